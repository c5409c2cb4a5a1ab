// What comes back after delivery: signed receipts from the SMS gateway, bounces (RFC 3464
// delivery status notifications) from the mail system, and the reading of a received message
// for the demo mailbox (RFC 2045 transfer encodings, RFC 2047 header words).
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <cctype>
#include <optional>
#include <regex>

#include "core/crypto.hpp"
#include "notify/email.hpp"
#include "notify/notify.hpp"

namespace tinhso::notify {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return std::string(s);
}

// A header block split into (lower-case name, unfolded value); the body after the blank line.
struct Parsed {
  std::vector<std::pair<std::string, std::string>> headers;
  std::string_view body;
  std::string Header(std::string_view name) const {
    for (const auto& [n, v] : headers) {
      if (n == name) return v;
    }
    return "";
  }
};

Parsed Split(std::string_view raw) {
  Parsed p;
  std::size_t pos = 0;
  while (pos < raw.size()) {
    std::size_t end = raw.find('\n', pos);
    if (end == std::string_view::npos) end = raw.size();
    std::string_view line = raw.substr(pos, end - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    pos = end + 1;
    if (line.empty()) break;
    if ((line.front() == ' ' || line.front() == '\t') && !p.headers.empty()) {
      p.headers.back().second += " " + Trim(line);
      continue;
    }
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    p.headers.emplace_back(Lower(Trim(line.substr(0, colon))), Trim(line.substr(colon + 1)));
  }
  p.body = pos < raw.size() ? raw.substr(pos) : std::string_view{};
  return p;
}

// A parameter of a structured header: boundary="abc" → abc.
std::string Param(std::string_view value, std::string_view name) {
  const std::string lower = Lower(value);
  const std::string key = std::string(name) + "=";
  std::size_t at = 0;
  while ((at = lower.find(key, at)) != std::string::npos) {
    if (at == 0 || lower[at - 1] == ';' || lower[at - 1] == ' ' || lower[at - 1] == '\t') break;
    at += key.size();
  }
  if (at == std::string::npos) return "";
  std::string_view rest = value.substr(at + key.size());
  if (!rest.empty() && rest.front() == '"') {
    rest.remove_prefix(1);
    return std::string(rest.substr(0, rest.find('"')));
  }
  return Trim(rest.substr(0, rest.find(';')));
}

// The parts of a multipart body between "--boundary" lines.
std::vector<std::string_view> Parts(std::string_view body, std::string_view boundary) {
  std::vector<std::string_view> out;
  if (boundary.empty()) return out;
  const std::string delimiter = "--" + std::string(boundary);
  std::size_t at = body.find(delimiter);
  while (at != std::string_view::npos) {
    std::size_t start = body.find('\n', at);
    if (start == std::string_view::npos) break;
    if (body.substr(at + delimiter.size(), 2) == "--") break;  // the closing delimiter
    ++start;
    const std::size_t next = body.find("\n" + delimiter, start);
    out.push_back(body.substr(
        start, next == std::string_view::npos ? body.size() - start : next + 1 - start));
    at = next == std::string_view::npos ? next : next + 1;
  }
  return out;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

// Quoted-printable (RFC 2045 §6.7); in a header word (RFC 2047 "Q") '_' is a space.
std::string FromQuotedPrintable(std::string_view in, bool header) {
  std::string out;
  for (std::size_t i = 0; i < in.size(); ++i) {
    const char c = in[i];
    if (c == '=' && i + 1 < in.size() && (in[i + 1] == '\r' || in[i + 1] == '\n')) {
      i += in[i + 1] == '\r' && i + 2 < in.size() && in[i + 2] == '\n' ? 2 : 1;  // soft break
    } else if (c == '=' && i + 2 < in.size() && HexValue(in[i + 1]) >= 0 &&
               HexValue(in[i + 2]) >= 0) {
      out += static_cast<char>(HexValue(in[i + 1]) * 16 + HexValue(in[i + 2]));
      i += 2;
    } else if (c == '_' && header) {
      out += ' ';
    } else if (c != '\r') {
      out += c;
    }
  }
  return out;
}

std::string FromBase64(std::string_view in) {
  std::string clean;
  for (char c : in) {
    if (c != '\r' && c != '\n' && c != ' ' && c != '\t') clean += c;
  }
  return core::Base64Decode(clean).value_or("");
}

// RFC 2047: "=?UTF-8?B?…?=" and "=?UTF-8?Q?…?=" words, the space between two of them dropped.
std::string DecodeWords(std::string_view value) {
  static const std::regex word(R"(=\?([^?]+)\?([BbQq])\?([^?]*)\?=)");
  std::string out;
  std::string text(value);
  auto it = std::sregex_iterator(text.begin(), text.end(), word);
  std::size_t last = 0;
  bool previous_word = false;
  for (; it != std::sregex_iterator(); ++it) {
    const std::smatch& m = *it;
    std::string between = text.substr(last, m.position(0) - last);
    if (!(previous_word && Trim(between).empty())) out += between;
    const std::string encoded = m[3].str();
    out += (m[2].str() == "B" || m[2].str() == "b") ? FromBase64(encoded)
                                                    : FromQuotedPrintable(encoded, true);
    last = m.position(0) + m.length(0);
    previous_word = true;
  }
  out += text.substr(last);
  return out;
}

std::string DecodedBody(const Parsed& p) {
  const std::string encoding = Lower(p.Header("content-transfer-encoding"));
  std::string body;
  if (encoding == "base64") {
    body = FromBase64(p.body);
  } else if (encoding == "quoted-printable") {
    body = FromQuotedPrintable(p.body, false);
  } else {
    body = std::string(p.body);
  }
  body.erase(std::remove(body.begin(), body.end(), '\r'), body.end());
  return body;
}

}  // namespace

std::string ReceiptSignature(std::string_view secret, std::string_view body) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(body.data()), body.size(), mac, &length);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "sha256=";
  for (unsigned int i = 0; i < length; ++i) {
    out += kHex[mac[i] >> 4];
    out += kHex[mac[i] & 15];
  }
  return out;
}

bool ReceiptSignatureValid(std::string_view secret, std::string_view body,
                           std::string_view signature) {
  if (secret.empty()) return false;
  return core::ConstantTimeEquals(ReceiptSignature(secret, body), signature);
}

Result<DsnReport> ParseDsn(std::string_view raw) {
  const auto not_dsn = [](std::string why) {
    return MakeError(ErrorCode::kInvalidArgument, "notify.not_a_dsn",
                     "Thư gửi đến không phải là báo cáo gửi thư (DSN) về một thư của hệ thống.",
                     "The message is not a delivery status notification about one of ours.",
                     std::move(why));
  };
  const Parsed top = Split(raw);
  const std::string type = top.Header("content-type");
  if (Lower(type).rfind("multipart/report", 0) != 0 ||
      Lower(Param(type, "report-type")) != "delivery-status") {
    return not_dsn("Content-Type: " + type);
  }
  std::optional<std::string> action;
  std::string status_code;
  std::string diagnostic;
  std::string original_id;
  static const std::regex ours(R"(<(notification-[0-9]+)@)");
  for (std::string_view part : Parts(top.body, Param(type, "boundary"))) {
    const Parsed p = Split(part);
    const std::string part_type = Lower(p.Header("content-type"));
    if (part_type.rfind("message/delivery-status", 0) == 0) {
      // Per-message fields, a blank line, then per-recipient fields: read as header blocks.
      std::string_view rest = p.body;
      while (!rest.empty()) {
        const Parsed fields = Split(rest);
        if (fields.headers.empty() && fields.body.size() == rest.size()) break;
        if (std::string a = Lower(fields.Header("action")); !a.empty() && !action) {
          action = a;
          status_code = fields.Header("status");
          diagnostic = fields.Header("diagnostic-code");
        }
        rest = fields.body;
      }
    } else if (part_type.rfind("message/rfc822", 0) == 0 ||
               part_type.rfind("text/rfc822-headers", 0) == 0) {
      const Parsed original = Split(p.body);
      const std::string id = original.Header("message-id");
      std::smatch m;
      if (std::regex_search(id, m, ours)) original_id = m[1].str();
    }
  }
  if (!action) return not_dsn("no per-recipient Action field");
  if (original_id.empty()) return not_dsn("no Message-ID of ours in the returned message");
  DsnReport report;
  report.stable_id = original_id;
  report.detail = Trim(status_code + " " + diagnostic);
  if (*action == "failed") {
    report.status = Status::kBounced;
  } else if (*action == "delivered") {
    report.status = Status::kDelivered;
  } else {
    return MakeError(ErrorCode::kFailedPrecondition, "notify.dsn_not_final",
                     "Báo cáo gửi thư chưa cho biết kết quả cuối cùng (" + *action + ").",
                     "The delivery status notification is not final yet (" + *action + ").");
  }
  return report;
}

ReadableMail ReadMail(std::string_view raw) {
  const Parsed p = Split(raw);
  ReadableMail m;
  m.from = DecodeWords(p.Header("from"));
  m.to = DecodeWords(p.Header("to"));
  m.subject = DecodeWords(p.Header("subject"));
  m.message_id = p.Header("message-id");
  const std::string type = p.Header("content-type");
  if (Lower(type).rfind("multipart/", 0) == 0) {
    // The first text/plain part (our messages are single-part; a DSN or another sender's are not).
    for (std::string_view part : Parts(p.body, Param(type, "boundary"))) {
      const Parsed inner = Split(part);
      const std::string t = Lower(inner.Header("content-type"));
      if (t.empty() || t.rfind("text/plain", 0) == 0) {
        m.body = DecodedBody(inner);
        break;
      }
    }
  } else {
    m.body = DecodedBody(p);
  }
  return m;
}

}  // namespace tinhso::notify
