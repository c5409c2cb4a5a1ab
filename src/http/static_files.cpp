// Static files for the web UI (web/dist, or web/static before the UI exists). Paths arrive
// percent-decoded, so "%2e%2e" is already ".." here and is refused like a literal one.
#include <sys/stat.h>
#include <zlib.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <system_error>

#include "core/crypto.hpp"
#include "http/internal.hpp"

namespace tinhso::http::internal {
namespace {

namespace fs = std::filesystem;

// Hashed build output (Vite puts it under /assets/) never changes under a given name.
constexpr std::string_view kImmutable = "public, max-age=31536000, immutable";
// Everything else, index.html first, must be revalidated so a new release shows at once.
constexpr std::string_view kRevalidate = "no-cache";

Response BadPath(const Request& request) {
  return ServerError(ErrorCode::kInvalidArgument, "http.bad_path", "Đường dẫn không hợp lệ.",
                     "Invalid path.", request.request_id);
}

Response NotFound(const Request& request) {
  return ServerError(ErrorCode::kNotFound, "http.not_found", "Không tìm thấy địa chỉ yêu cầu.",
                     "No such resource.", request.request_id);
}

bool IsUnder(const fs::path& root, const fs::path& p) {
  // Both canonical: compare whole components, so "/srv/web2" is not under "/srv/web".
  auto r = root.begin();
  auto q = p.begin();
  for (; r != root.end(); ++r, ++q) {
    if (q == p.end() || *q != *r) return false;
  }
  return true;
}

// Weak comparison (RFC 9110 §13.1.2): If-None-Match matches W/"x" and "x" alike.
bool EtagMatches(std::string_view header, std::string_view etag) {
  while (!header.empty()) {
    const std::size_t comma = header.find(',');
    std::string_view item = TrimOws(header.substr(0, comma));
    header = comma == std::string_view::npos ? std::string_view{} : header.substr(comma + 1);
    if (item == "*") return true;
    if (item.starts_with("W/")) item.remove_prefix(2);
    if (item == etag) return true;
  }
  return false;
}

bool EqualsCaseless(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const char x = (a[i] >= 'A' && a[i] <= 'Z') ? static_cast<char>(a[i] - 'A' + 'a') : a[i];
    if (x != b[i]) return false;
  }
  return true;
}

// The weight the client gives `coding` in Accept-Encoding (RFC 9110 §12.5.3): its own entry,
// else "*", else 1 for identity and 0 for any other. Weights are compared in thousandths.
int Weight(std::string_view header, std::string_view coding) {
  int star = -1;
  while (!header.empty()) {
    const std::size_t comma = header.find(',');
    std::string_view item = header.substr(0, comma);
    header = comma == std::string_view::npos ? std::string_view{} : header.substr(comma + 1);
    std::string_view params;
    if (const std::size_t semi = item.find(';'); semi != std::string_view::npos) {
      params = item.substr(semi + 1);
      item = item.substr(0, semi);
    }
    item = TrimOws(item);
    int q = 1000;
    params = TrimOws(params);
    if (params.size() >= 2 && (params[0] == 'q' || params[0] == 'Q') && params[1] == '=') {
      // "0", "0.5", "1.000": at most three decimals; anything else counts as absent.
      const std::string_view v = TrimOws(params.substr(2));
      q = 0;
      int scale = 1000;
      bool point = false;
      for (char c : v) {
        if (c == '.' && !point) {
          point = true;
        } else if (c >= '0' && c <= '9') {
          if (!point) {
            q = q * 10 + (c - '0') * 1000;
          } else if (scale > 1) {
            scale /= 10;
            q += (c - '0') * scale;
          }
        } else {
          q = 0;
          break;
        }
      }
      if (q > 1000) q = 1000;
    }
    if (EqualsCaseless(item, coding)) return q;  // `coding` is lower case
    if (item == "*") star = q;
  }
  if (star >= 0) return star;
  return coding == "identity" ? 1000 : 0;
}

// A gzip member (RFC 1952) of `data`, at zlib's best compression.
std::string Gzip(std::string_view data) {
  z_stream z{};
  // 15 bits of window, +16: a gzip header and trailer rather than zlib's.
  if (deflateInit2(&z, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY) != Z_OK) {
    return {};
  }
  std::string out(deflateBound(&z, static_cast<uLong>(data.size())) + 32, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  const int rc = deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  return rc == Z_STREAM_END ? out : std::string{};
}

std::optional<std::string> ReadWhole(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return std::nullopt;
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return std::nullopt;
  return text;
}

// Size and modification time (nanoseconds) as an ETag body: cheap, and it changes on every
// deploy that rewrites the file. Content hashes would cost a read of the file per request.
std::string StatTag(const struct stat& st) {
  char tag[64];
  const auto mtime_ns = static_cast<unsigned long long>(st.st_mtim.tv_sec) * 1000000000ull +
                        static_cast<unsigned long long>(st.st_mtim.tv_nsec);
  std::snprintf(tag, sizeof tag, "%llx-%llx", static_cast<unsigned long long>(st.st_size),
                mtime_ns);
  return tag;
}

// Pages kept at most; beyond, the cache starts again (searches make keys without end).
constexpr std::size_t kMaxRenderedPages = 512;

}  // namespace

std::string_view ContentTypeFor(std::string_view file_name) {
  struct Entry {
    std::string_view ext;
    std::string_view type;
  };
  static constexpr std::array<Entry, 24> kTypes{{
      {".html", "text/html; charset=utf-8"},
      {".htm", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json; charset=utf-8"},
      {".map", "application/json; charset=utf-8"},
      {".webmanifest", "application/manifest+json; charset=utf-8"},
      {".txt", "text/plain; charset=utf-8"},
      {".xml", "application/xml; charset=utf-8"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".jpeg", "image/jpeg"},
      {".gif", "image/gif"},
      {".webp", "image/webp"},
      {".avif", "image/avif"},
      {".ico", "image/x-icon"},
      {".woff", "font/woff"},
      {".woff2", "font/woff2"},
      {".ttf", "font/ttf"},
      {".otf", "font/otf"},
      {".pdf", "application/pdf"},
      {".wasm", "application/wasm"},
  }};
  const std::size_t dot = file_name.rfind('.');
  if (dot == std::string_view::npos) return "application/octet-stream";
  std::string ext(file_name.substr(dot));
  for (char& c : ext) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  for (const Entry& e : kTypes) {
    if (e.ext == ext) return e.type;
  }
  return "application/octet-stream";
}

Result<StaticFiles> StaticFiles::Open(const std::string& dir, PageRenderer renderer) {
  std::error_code ec;
  const fs::path root = fs::canonical(dir, ec);
  if (ec || !fs::is_directory(root, ec)) {
    return MakeError(ErrorCode::kInvalidArgument, "http.static_dir",
                     "Thư mục tệp tĩnh không tồn tại: " + dir,
                     "The static files directory does not exist: " + dir, ec.message());
  }
  return StaticFiles(root, std::move(renderer));
}

Response StaticFiles::Serve(const Request& request) const {
  const std::string_view path = request.path;
  if (path.empty() || path[0] != '/' || path.find('\\') != std::string_view::npos ||
      path.find('\0') != std::string_view::npos) {
    return BadPath(request);
  }
  // Walk the segments: ".." and "." are refused outright (a traversal attempt, not a typo),
  // dot-files (.git, .env) are treated as absent, and the relative path is rebuilt from the
  // checked segments only.
  fs::path relative;
  std::string_view last;
  bool hidden = false;
  std::size_t start = 1;
  while (start <= path.size()) {
    std::size_t slash = path.find('/', start);
    if (slash == std::string_view::npos) slash = path.size();
    const std::string_view segment = path.substr(start, slash - start);
    start = slash + 1;
    if (segment.empty()) continue;
    if (segment == ".." || segment == ".") return BadPath(request);
    if (segment[0] == '.') hidden = true;
    relative /= fs::path(std::string(segment));
    last = segment;
  }
  const bool directory_like = path.back() == '/' || relative.empty();
  if (directory_like) {
    relative /= "index.html";
    last = "index.html";
  }

  if (!hidden) {
    std::error_code ec;
    const fs::path file = fs::canonical(root_ / relative, ec);
    // canonical() resolved every symlink: a link pointing outside the root is refused here.
    if (!ec && IsUnder(root_, file) && fs::is_regular_file(file, ec)) {
      if (renderer_ && file == root_ / "index.html") {
        if (auto page = renderer_(request)) {
          if (auto r = Rendered(file, *page, request)) return std::move(*r);
        }
      }
      return File(file, false, request);
    }
  }
  // Single-page app: a client-side route gets index.html. A missing asset (/assets/x.js,
  // /logo.png) stays a 404, so a broken build is not masked by HTML. A dot alone does not make
  // an asset when a browser navigates (it asks for HTML): procedure codes such as 1.001193
  // are path segments of client routes.
  const bool navigation = request.Header("accept").find("text/html") != std::string_view::npos;
  const bool is_asset =
      path.starts_with("/assets/") || (last.find('.') != std::string_view::npos && !navigation);
  if (hidden || is_asset) return NotFound(request);
  std::error_code ec;
  const fs::path index = root_ / "index.html";
  if (!fs::is_regular_file(index, ec)) return NotFound(request);
  if (renderer_) {
    if (auto page = renderer_(request)) {
      if (auto r = Rendered(index, *page, request)) return std::move(*r);
    }
  }
  return File(index, true, request);
}

std::optional<Response> StaticFiles::Rendered(const fs::path& index, const RenderedPage& page,
                                              const Request& request) const {
  struct stat st {};
  if (::stat(index.c_str(), &st) != 0) return std::nullopt;
  const std::string index_version = StatTag(st);
  std::shared_ptr<const Assembled> assembled;
  if (!page.no_store) {
    std::lock_guard lock(pages_->mu);
    auto it = pages_->by_key.find(page.key);
    if (it != pages_->by_key.end() && it->second->index_version == index_version) {
      assembled = it->second;
    }
  }
  if (!assembled) {
    auto text = ReadWhole(index);
    if (!text) return std::nullopt;
    constexpr std::string_view kRoot = "<div id=\"root\"></div>";
    const std::size_t at = text->find(kRoot);
    if (at == std::string::npos) return std::nullopt;
    auto a = std::make_shared<Assembled>();
    a->index_version = index_version;
    a->identity =
        text->substr(0, at + kRoot.size() - 6) + page.html + text->substr(at + kRoot.size() - 6);
    if (!page.lang.empty()) {
      const std::size_t open = a->identity.find("<html lang=\"");
      const std::size_t close = a->identity.find('"', open + 12);
      if (open < at && close != std::string::npos) {
        a->identity.replace(open + 12, close - open - 12, page.lang);
      }
    }
    if (!page.title_html.empty()) {
      const std::size_t open = a->identity.find("<title>");
      const std::size_t close = a->identity.find("</title>", open);
      if (open != std::string::npos && close != std::string::npos && open < at) {
        a->identity.replace(open + 7, close - open - 7, page.title_html);
      }
    }
    a->gzip = Gzip(a->identity);
    if (a->gzip.size() >= a->identity.size()) a->gzip.clear();
    a->etag = "\"p" + core::Sha256Hex(a->identity).substr(0, 24);
    assembled = a;
    if (!page.no_store) {
      std::lock_guard lock(pages_->mu);
      if (pages_->by_key.size() >= kMaxRenderedPages) pages_->by_key.clear();
      pages_->by_key[page.key] = std::move(a);
    }
  }

  const bool gzip =
      !assembled->gzip.empty() && Weight(request.Header("accept-encoding"), "gzip") > 0;
  const std::string etag = assembled->etag + (gzip ? "-gz\"" : "\"");
  Response r;
  r.content_type = std::string(ContentTypeFor("index.html"));
  if (page.no_store) {
    r.headers.emplace_back("cache-control", "no-store");
  } else {
    r.headers.emplace_back("etag", etag);
    r.headers.emplace_back("cache-control", std::string(kRevalidate));
  }
  // The language comes from a cookie when the address does not name it.
  r.headers.emplace_back("vary", "Accept-Encoding, Cookie");
  if (gzip) r.headers.emplace_back("content-encoding", "gzip");
  const std::string_view if_none_match = request.Header("if-none-match");
  if (!page.no_store && !if_none_match.empty() && EtagMatches(if_none_match, etag)) {
    r.status = 304;
    return r;
  }
  r.status = 200;
  r.body = gzip ? assembled->gzip : assembled->identity;
  return r;
}

Response StaticFiles::File(const fs::path& file, bool is_fallback, const Request& request) const {
  struct stat st {};
  if (::stat(file.c_str(), &st) != 0) return NotFound(request);
  const std::string name = file.filename().string();
  const bool immutable =
      !is_fallback && request.path.starts_with("/assets/") && name != "index.html";

  // The build writes name.br and name.gz next to each text file (scripts/build-web.sh): send
  // the smallest one the client accepts, brotli before gzip. A variant older than the file
  // itself is left out: someone edited the file after the build.
  struct Variant {
    std::string_view coding;
    std::string_view suffix;
  };
  static constexpr std::array<Variant, 2> kVariants{{{"br", ".br"}, {"gzip", ".gz"}}};
  const std::string_view accept_encoding = request.Header("accept-encoding");
  std::string chosen = file.string();
  std::string_view coding;
  bool has_variants = false;
  for (const Variant& v : kVariants) {
    struct stat vst {};
    const std::string path = file.string() + std::string(v.suffix);
    if (::stat(path.c_str(), &vst) != 0 || !S_ISREG(vst.st_mode)) continue;
    if (vst.st_mtim.tv_sec < st.st_mtim.tv_sec ||
        (vst.st_mtim.tv_sec == st.st_mtim.tv_sec && vst.st_mtim.tv_nsec < st.st_mtim.tv_nsec)) {
      continue;
    }
    has_variants = true;
    if (coding.empty() && Weight(accept_encoding, v.coding) > 0) {
      coding = v.coding;
      chosen = path;
      st = vst;
    }
  }

  // A strong ETag of what is sent (each encoding has its own).
  const std::string etag = "\"" + StatTag(st) + "\"";

  Response r;
  r.headers.emplace_back("etag", etag);
  r.headers.emplace_back("cache-control", std::string(immutable ? kImmutable : kRevalidate));
  // Caches must keep the encodings apart, also for a client that got the plain file.
  if (has_variants) r.headers.emplace_back("vary", "Accept-Encoding");
  if (!coding.empty()) r.headers.emplace_back("content-encoding", std::string(coding));
  r.content_type = std::string(ContentTypeFor(name));
  const std::string_view if_none_match = request.Header("if-none-match");
  if (!if_none_match.empty() && EtagMatches(if_none_match, etag)) {
    r.status = 304;
    return r;
  }
  r.status = 200;
  r.file_path = std::move(chosen);
  return r;
}

}  // namespace tinhso::http::internal
