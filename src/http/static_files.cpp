// Static files for the web UI (web/dist, or web/static before the UI exists). Paths arrive
// percent-decoded, so "%2e%2e" is already ".." here and is refused like a literal one.
#include <sys/stat.h>

#include <array>
#include <boost/beast/core/string.hpp>
#include <cstdio>
#include <system_error>

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
    if (boost::beast::iequals(item, coding)) return q;
    if (item == "*") star = q;
  }
  if (star >= 0) return star;
  return coding == "identity" ? 1000 : 0;
}

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

Result<StaticFiles> StaticFiles::Open(const std::string& dir) {
  std::error_code ec;
  const fs::path root = fs::canonical(dir, ec);
  if (ec || !fs::is_directory(root, ec)) {
    return MakeError(ErrorCode::kInvalidArgument, "http.static_dir",
                     "Thư mục tệp tĩnh không tồn tại: " + dir,
                     "The static files directory does not exist: " + dir, ec.message());
  }
  return StaticFiles(root);
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
  return File(index, true, request);
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

  // Strong ETag from size and mtime (nanoseconds) of what is sent: cheap, and it changes on
  // every deploy that rewrites the file; each encoding has its own. Content hashes would cost a
  // read of the file per request.
  char etag[64];
  const auto mtime_ns = static_cast<unsigned long long>(st.st_mtim.tv_sec) * 1000000000ull +
                        static_cast<unsigned long long>(st.st_mtim.tv_nsec);
  std::snprintf(etag, sizeof etag, "\"%llx-%llx\"", static_cast<unsigned long long>(st.st_size),
                mtime_ns);

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
