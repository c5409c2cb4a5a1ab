// multipart/form-data (RFC 7578) over a body held in memory or spooled to a temporary file. The
// body is scanned once, a window at a time, for its delimiters; each part is then a range of the
// body, so a file is never copied into memory.
#include <algorithm>
#include <cstring>
#include <functional>

#include "core/text.hpp"
#include "http/http.hpp"
#include "http/internal.hpp"

namespace tinhso::http {
namespace {

constexpr std::size_t kWindow = 64 * 1024;
constexpr std::size_t kMaxPartHeaders = 8 * 1024;
constexpr std::size_t kMaxFilenameBytes = 255;

Error Malformed(std::string_view why_vi, std::string_view why_en) {
  return MakeError(ErrorCode::kInvalidArgument, "http.bad_multipart",
                   "Nội dung multipart/form-data không hợp lệ: " + std::string(why_vi),
                   "The multipart/form-data body is malformed: " + std::string(why_en));
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// The parameters of a header value such as `form-data; name="a"; filename="b.pdf"`, names
// lower-cased. Quoted values may escape a quote or a backslash with a backslash.
std::vector<std::pair<std::string, std::string>> HeaderParams(std::string_view value) {
  std::vector<std::pair<std::string, std::string>> out;
  std::size_t i = value.find(';');
  while (i != std::string_view::npos && i < value.size()) {
    ++i;
    while (i < value.size() && (value[i] == ' ' || value[i] == '\t')) ++i;
    const std::size_t eq = value.find('=', i);
    if (eq == std::string_view::npos) break;
    std::string name = Lower(internal::TrimOws(value.substr(i, eq - i)));
    std::size_t j = eq + 1;
    std::string v;
    if (j < value.size() && value[j] == '"') {
      ++j;
      while (j < value.size() && value[j] != '"') {
        if (value[j] == '\\' && j + 1 < value.size() &&
            (value[j + 1] == '"' || value[j + 1] == '\\')) {
          ++j;
        }
        v += value[j++];
      }
      i = value.find(';', j);
    } else {
      const std::size_t end = value.find(';', j);
      v = std::string(
          internal::TrimOws(value.substr(j, end == std::string_view::npos ? end : end - j)));
      i = end;
    }
    out.emplace_back(std::move(name), std::move(v));
  }
  return out;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// RFC 5987 `UTF-8''name%20with%20spaces`; nullopt for any other charset or a bad escape.
std::optional<std::string> ExtendedValue(std::string_view v) {
  const std::size_t quote = v.find("''");
  if (quote == std::string_view::npos || Lower(v.substr(0, quote)) != "utf-8") return std::nullopt;
  std::string out;
  for (std::size_t i = quote + 2; i < v.size(); ++i) {
    if (v[i] != '%') {
      out += v[i];
      continue;
    }
    if (i + 2 >= v.size() || HexValue(v[i + 1]) < 0 || HexValue(v[i + 2]) < 0) {
      return std::nullopt;
    }
    out += static_cast<char>(HexValue(v[i + 1]) * 16 + HexValue(v[i + 2]));
    i += 2;
  }
  return out;
}

// The name a browser gives, without any folder a client put in front (old browsers sent the
// whole path), and without what browsers percent-encode of quotes and line breaks.
std::string CleanFilename(std::string name) {
  for (const auto& [from, to] : {std::pair{"%22", "\""}, {"%0D", ""}, {"%0A", ""}}) {
    for (std::size_t at = name.find(from); at != std::string::npos; at = name.find(from, at)) {
      name.replace(at, std::strlen(from), to);
    }
  }
  const std::size_t slash = name.find_last_of("/\\");
  if (slash != std::string::npos) name.erase(0, slash + 1);
  return name;
}

// Every offset in `body` where `delimiter` begins, as if `body` began with CRLF (so that the
// first delimiter, which has none before it, is found too): offsets are into that virtual text.
Result<std::vector<std::uint64_t>> FindDelimiters(const core::ByteSource& body,
                                                  std::string_view delimiter,
                                                  std::size_t max_count) {
  std::vector<std::uint64_t> found;
  const std::boyer_moore_horspool_searcher searcher(delimiter.begin(), delimiter.end());
  std::string window = "\r\n";  // the virtual CRLF
  std::uint64_t window_start = 0;
  std::uint64_t read = 0;
  while (true) {
    TINHSO_ASSIGN_OR_RETURN(std::string piece, body.Read(read, kWindow));
    read += piece.size();
    window += piece;
    for (auto it = std::search(window.begin(), window.end(), searcher); it != window.end();
         it = std::search(it + 1, window.end(), searcher)) {
      found.push_back(window_start + static_cast<std::uint64_t>(it - window.begin()));
      if (found.size() > max_count) return found;
    }
    if (piece.empty()) break;
    // Keep what could be the start of a delimiter cut by the window's end.
    const std::size_t keep = std::min(window.size(), delimiter.size() - 1);
    window_start += window.size() - keep;
    window.erase(0, window.size() - keep);
  }
  return found;
}

}  // namespace

bool IsMultipart(const Request& request) {
  return Lower(internal::TrimOws(request.Header("content-type")))
      .starts_with("multipart/form-data");
}

bool IsJson(const Request& request) {
  const std::string_view type = request.Header("content-type");
  return Lower(internal::TrimOws(type.substr(0, type.find(';')))) == "application/json";
}

core::ByteSource RequestSource(const Request& request) {
  if (request.upload_path.empty()) return core::ByteSource(request.body);
  return core::ByteSource::FromFile(request.upload_path, 0, request.upload_size);
}

Result<std::vector<FormPart>> ParseMultipart(const Request& request, const FormLimits& limits) {
  std::string boundary;
  for (auto& [name, value] : HeaderParams(request.Header("content-type"))) {
    if (name == "boundary") boundary = value;
  }
  if (boundary.empty() || boundary.size() > 70) {
    return Malformed("thiếu tham số boundary trong Content-Type.",
                     "the Content-Type has no boundary parameter.");
  }
  const core::ByteSource body = RequestSource(request);
  const std::string delimiter = "\r\n--" + boundary;
  TINHSO_ASSIGN_OR_RETURN(auto at, FindDelimiters(body, delimiter, limits.max_parts + 1));
  if (at.size() > limits.max_parts + 1) {
    return MakeError(ErrorCode::kPayloadTooLarge, "http.too_many_parts",
                     "Gửi quá nhiều phần (tối đa " + std::to_string(limits.max_parts) + ").",
                     "Too many parts (" + std::to_string(limits.max_parts) + " at most).");
  }
  std::vector<FormPart> parts;
  bool closed = false;
  for (std::size_t k = 0; k < at.size() && !closed; ++k) {
    // Offsets into the body: the virtual CRLF is 2 bytes long.
    const std::uint64_t after = at[k] + delimiter.size() - 2;
    TINHSO_ASSIGN_OR_RETURN(std::string head, body.Read(after, kMaxPartHeaders + 4));
    if (head.starts_with("--")) {
      closed = true;
      break;
    }
    std::size_t line_end = head.find("\r\n");
    if (line_end == std::string::npos ||
        head.find_first_not_of(" \t", 0) < line_end) {  // only padding may follow a delimiter
      return Malformed("dòng phân cách không đúng.", "a delimiter line is malformed.");
    }
    if (k + 1 >= at.size()) {
      return Malformed("nội dung bị cắt ngang (thiếu dòng kết thúc).",
                       "the body is cut short (no closing delimiter).");
    }
    const std::size_t headers_start = line_end + 2;
    const std::size_t headers_end = head.find("\r\n\r\n", line_end);
    std::size_t content_offset = 0;
    std::string_view headers;
    if (head.compare(headers_start, 2, "\r\n") == 0) {  // no headers at all
      content_offset = headers_start + 2;
    } else if (headers_end == std::string::npos) {
      return Malformed("phần tiêu đề của một phần quá dài hoặc không kết thúc.",
                       "a part's headers are too long or never end.");
    } else {
      headers = std::string_view(head).substr(headers_start, headers_end - headers_start);
      content_offset = headers_end + 4;
    }
    FormPart part;
    bool disposition = false;
    for (std::size_t p = 0; p <= headers.size() && !headers.empty();) {
      const std::size_t e = std::min(headers.find("\r\n", p), headers.size());
      const std::string_view line = headers.substr(p, e - p);
      p = e + 2;
      const std::size_t colon = line.find(':');
      if (colon == std::string_view::npos) {
        return Malformed("một dòng tiêu đề không có dấu hai chấm.", "a header line has no colon.");
      }
      const std::string name = Lower(internal::TrimOws(line.substr(0, colon)));
      const std::string_view value = internal::TrimOws(line.substr(colon + 1));
      if (name == "content-type") {
        part.content_type = Lower(value.substr(0, value.find(';')));
      } else if (name == "content-disposition") {
        if (Lower(internal::TrimOws(value.substr(0, value.find(';')))) != "form-data") {
          return Malformed("Content-Disposition phải là form-data.",
                           "Content-Disposition must be form-data.");
        }
        disposition = true;
        bool has_filename = false;
        std::optional<std::string> extended;
        for (auto& [pname, pvalue] : HeaderParams(value)) {
          if (pname == "name") part.name = pvalue;
          if (pname == "filename") {
            part.filename = CleanFilename(pvalue);
            has_filename = true;
          }
          if (pname == "filename*") extended = ExtendedValue(pvalue);
        }
        if (extended) {
          part.filename = CleanFilename(*extended);
          has_filename = true;
        }
        part.is_file = has_filename;
      }
    }
    if (!disposition || part.name.empty()) {
      return Malformed("mỗi phần cần Content-Disposition: form-data có name.",
                       "every part needs a Content-Disposition: form-data with a name.");
    }
    if (part.filename.size() > kMaxFilenameBytes || !core::IsValidUtf8(part.filename)) {
      return Malformed("tên tệp dài quá 255 byte hoặc không phải UTF-8.",
                       "a file name is over 255 bytes or not UTF-8.");
    }
    part.filename = core::ToNfc(part.filename);
    const std::uint64_t start = after + content_offset;
    const std::uint64_t end = at[k + 1] - 2;
    if (end < start) return Malformed("một phần bị cắt ngang.", "a part is cut short.");
    part.content = body.Slice(start, end - start);
    if (part.is_file && part.content.size() > limits.max_file_bytes) {
      const std::string mb = std::to_string(limits.max_file_bytes >> 20);
      return MakeError(ErrorCode::kPayloadTooLarge, "http.file_too_large",
                       "Tệp '" + part.filename + "' vượt quá dung lượng cho phép (" + mb + " MB).",
                       "File '" + part.filename + "' is over the size limit (" + mb + " MB).");
    }
    if (!part.is_file && part.content.size() > limits.max_field_bytes) {
      return MakeError(ErrorCode::kPayloadTooLarge, "http.field_too_large",
                       "Trường '" + part.name + "' quá dài.",
                       "Field '" + part.name + "' is too long.");
    }
    parts.push_back(std::move(part));
  }
  if (!closed) {
    return Malformed("nội dung bị cắt ngang (thiếu dòng kết thúc).",
                     "the body is cut short (no closing delimiter).");
  }
  return parts;
}

}  // namespace tinhso::http
