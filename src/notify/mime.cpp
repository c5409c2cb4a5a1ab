// MIME messages in UTF-8 and their DKIM signature (RFC 6376, rsa-sha256, relaxed/relaxed).
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <array>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/crypto.hpp"
#include "notify/email.hpp"

namespace tinhso::notify {
namespace {

constexpr std::string_view kCrlf = "\r\n";

bool IsWsp(char c) { return c == ' ' || c == '\t'; }

bool IsAsciiPrintable(std::string_view s) {
  for (unsigned char c : s) {
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

// RFC 2047 encoded-words ("=?UTF-8?B?…?="), split between UTF-8 characters and folded so that
// no line passes 76 characters; `used` is what the line already holds ("Subject: "). ASCII text
// goes as it is.
std::string EncodedWords(std::string_view text, std::size_t used) {
  if (IsAsciiPrintable(text)) return std::string(text);
  std::string out;
  std::size_t pos = 0;
  while (pos < text.size()) {
    // 12 characters of framing; 4 base64 characters per 3 bytes.
    const std::size_t room = 76 > used + 12 + 4 ? (76 - used - 12) / 4 * 3 : 3;
    std::size_t end = std::min(text.size(), pos + room);
    // Back off to a character boundary (never split a UTF-8 sequence between two words).
    while (end < text.size() && end > pos &&
           (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) {
      --end;
    }
    if (!out.empty()) out += "\r\n ";
    out += "=?UTF-8?B?" + core::Base64Encode(text.substr(pos, end - pos)) + "?=";
    pos = end;
    used = 1;  // continuation lines start with one space
  }
  return out;
}

// Folds a header value made of "; "-separated parts (DKIM-Signature) before it passes 76
// characters. Relaxed canonicalisation reads ";\r\n x" as "; x", so the folded and the
// unfolded forms hash alike.
std::string FoldAtSemicolons(std::string_view value, std::size_t used) {
  std::string out;
  std::size_t line = used;
  std::size_t pos = 0;
  while (pos < value.size()) {
    std::size_t next = value.find("; ", pos);
    next = next == std::string_view::npos ? value.size() : next + 1;
    const std::string_view part = value.substr(pos, next - pos);
    if (line + part.size() > 76 && line > 1) {
      out += "\r\n";
      line = 0;
      if (part.front() != ' ') {
        out += ' ';
        line = 1;
      }
    }
    out += part;
    line += part.size();
    pos = next;
  }
  return out;
}

// The last line's length of a folded header.
std::size_t LastLine(std::string_view folded) {
  const std::size_t nl = folded.rfind('\n');
  return nl == std::string_view::npos ? folded.size() : folded.size() - nl - 1;
}

std::string Base64Lines(std::string_view body) {
  const std::string b64 = core::Base64Encode(body);
  std::string out;
  for (std::size_t i = 0; i < b64.size(); i += 76) {
    out += b64.substr(i, 76);
    out += kCrlf;
  }
  return out;
}

// Quoted-printable (RFC 2045 §6.7): lines of at most 76 characters with soft breaks; a space
// or tab before a line end is encoded. Lines may begin with "." (SMTP dot-stuffs them).
std::string QuotedPrintable(std::string_view body) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  std::size_t column = 0;
  auto put = [&](std::string_view piece) {
    if (column + piece.size() > 75) {
      out += "=\r\n";
      column = 0;
    }
    out += piece;
    column += piece.size();
  };
  for (std::size_t i = 0; i < body.size(); ++i) {
    const auto c = static_cast<unsigned char>(body[i]);
    if (c == '\r' && i + 1 < body.size() && body[i + 1] == '\n') continue;
    if (c == '\n') {
      out += kCrlf;
      column = 0;
      continue;
    }
    const bool at_line_end = i + 1 == body.size() || body[i + 1] == '\n' || body[i + 1] == '\r';
    if ((c >= 33 && c <= 126 && c != '=') || (IsWsp(static_cast<char>(c)) && !at_line_end)) {
      put(std::string_view(reinterpret_cast<const char*>(&body[i]), 1));
    } else {
      const char enc[3] = {'=', kHex[c >> 4], kHex[c & 15]};
      put(std::string_view(enc, 3));
    }
  }
  if (out.size() < 2 || out.substr(out.size() - 2) != kCrlf) out += kCrlf;
  return out;
}

std::string RfcDate(core::Seconds t) {
  // Vietnam time, as a reader there expects it.
  const auto local = t + core::kVietnamOffset;
  const auto days = std::chrono::floor<std::chrono::days>(local);
  const std::chrono::year_month_day ymd{days};
  const std::chrono::weekday wd{days};
  const std::chrono::hh_mm_ss hms{local - days};
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s, %u %s %d %02d:%02d:%02d +0700", kDays[wd.c_encoding()],
                static_cast<unsigned>(ymd.day()), kMonths[static_cast<unsigned>(ymd.month()) - 1],
                static_cast<int>(ymd.year()), static_cast<int>(hms.hours().count()),
                static_cast<int>(hms.minutes().count()), static_cast<int>(hms.seconds().count()));
  return buf;
}

bool SafeAddress(std::string_view a) {
  return !a.empty() && a.find_first_of("\r\n<> ") == std::string_view::npos &&
         a.find('@') != std::string_view::npos;
}

// ---- DKIM --------------------------------------------------------------------------------------

// Relaxed body canonicalisation (RFC 6376 §3.4.4): runs of WSP become one space, WSP at line
// ends goes, empty lines at the end go, and a non-empty body ends with one CRLF.
std::string RelaxedBody(std::string_view body) {
  std::vector<std::string> lines;
  std::size_t pos = 0;
  while (pos < body.size()) {
    std::size_t end = body.find(kCrlf, pos);
    if (end == std::string_view::npos) end = body.size();
    std::string line;
    bool space = false;
    for (char c : body.substr(pos, end - pos)) {
      if (IsWsp(c)) {
        space = true;
        continue;
      }
      if (space) line += ' ';
      space = false;
      line += c;
    }
    lines.push_back(std::move(line));
    pos = end + 2;
  }
  while (!lines.empty() && lines.back().empty()) lines.pop_back();
  std::string out;
  for (const std::string& l : lines) out += l + "\r\n";
  return out;
}

// Relaxed header canonicalisation (§3.4.2) of one "Name: value" header (possibly folded).
std::string RelaxedHeader(std::string_view header) {
  const std::size_t colon = header.find(':');
  std::string name(header.substr(0, colon));
  while (!name.empty() && IsWsp(name.back())) name.pop_back();
  for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  std::string value;
  bool space = false;
  for (char c : header.substr(colon + 1)) {
    if (c == '\r' || c == '\n') continue;  // unfold
    if (IsWsp(c)) {
      space = true;
      continue;
    }
    if (space && !value.empty()) value += ' ';
    space = false;
    value += c;
  }
  return name + ":" + value;
}

Error DkimKeyError(std::string detail) {
  return MakeError(ErrorCode::kInvalidArgument, "notify.dkim_key", "Không đọc được khóa ký DKIM.",
                   "The DKIM signing key cannot be read.", std::move(detail));
}

Result<std::string> RsaSha256(std::string_view pem, std::string_view data) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(
      BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), &BIO_free);
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(
      PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr), &EVP_PKEY_free);
  if (!key || EVP_PKEY_get_base_id(key.get()) != EVP_PKEY_RSA) {
    return DkimKeyError("not an RSA private key in PEM");
  }
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  std::size_t size = 0;
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key.get()) != 1 ||
      EVP_DigestSign(ctx.get(), nullptr, &size, reinterpret_cast<const unsigned char*>(data.data()),
                     data.size()) != 1) {
    return DkimKeyError("EVP_DigestSign failed");
  }
  std::string sig(size, '\0');
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &size,
                     reinterpret_cast<const unsigned char*>(data.data()), data.size()) != 1) {
    return DkimKeyError("EVP_DigestSign failed");
  }
  sig.resize(size);
  return sig;
}

}  // namespace

Result<std::string> BuildMime(const SmtpConfig& config, const MailMessage& message) {
  if (!SafeAddress(message.to) || !SafeAddress(config.from_address)) {
    return MakeError(ErrorCode::kInvalidArgument, "notify.bad_address",
                     "Địa chỉ thư điện tử không hợp lệ.", "The e-mail address is not valid.",
                     message.to);
  }
  // Headers in order; DKIM signs those that matter to the reader.
  std::vector<std::pair<std::string, std::string>> headers = {
      {"From",
       [&] {
         std::string name = EncodedWords(config.from_name, 6);
         const std::string address = "<" + config.from_address + ">";
         return name + (LastLine(name) + 1 + address.size() > 76 ? "\r\n " : " ") + address;
       }()},
      {"To", "<" + message.to + ">"},
      {"Subject", EncodedWords(message.subject, 9)},
      {"Date", RfcDate(message.date)},
      {"Message-ID", "<" + message.message_id + ">"},
      {"MIME-Version", "1.0"},
      {"Content-Type", "text/plain; charset=UTF-8"},
      {"Content-Transfer-Encoding",
       config.body_encoding == SmtpConfig::BodyEncoding::kBase64 ? "base64" : "quoted-printable"},
  };
  const std::string body = config.body_encoding == SmtpConfig::BodyEncoding::kBase64
                               ? Base64Lines(message.body)
                               : QuotedPrintable(message.body);
  std::string head;
  for (const auto& [name, value] : headers) head += name + ": " + value + "\r\n";

  if (!config.dkim_domain.empty() && !config.dkim_selector.empty() &&
      !config.dkim_private_key_pem.empty()) {
    // What a reader sees and relies on; Content-Transfer-Encoding is left out to keep h= on
    // one line (changing it breaks the body hash anyway).
    std::string signed_names;
    std::string hashed;
    for (const auto& [name, value] : headers) {
      if (name == "Content-Transfer-Encoding") continue;
      if (!signed_names.empty()) signed_names += ':';
      std::string lower = name;
      for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      signed_names += lower;
      hashed += RelaxedHeader(name + ": " + value) + "\r\n";
    }
    const std::string dkim_value =
        "v=1; a=rsa-sha256; c=relaxed/relaxed; d=" + config.dkim_domain +
        "; s=" + config.dkim_selector +
        "; t=" + std::to_string(message.date.time_since_epoch().count()) + "; h=" + signed_names +
        "; bh=" + core::Base64Encode(core::Sha256(RelaxedBody(body))) + "; b=";
    // The signature header itself is hashed last, as sent but with b= empty and no final CRLF.
    const std::string dkim_header = "DKIM-Signature: " + FoldAtSemicolons(dkim_value, 16);
    hashed += RelaxedHeader(dkim_header);
    TINHSO_ASSIGN_OR_RETURN(std::string sig, RsaSha256(config.dkim_private_key_pem, hashed));
    const std::string b64 = core::Base64Encode(sig);
    // Folded so that no line passes 78 characters (RFC 5322); verifiers drop b='s whitespace.
    std::string folded;
    for (std::size_t i = 0; i < b64.size(); i += 64) folded += "\r\n " + b64.substr(i, 64);
    head = dkim_header + folded + "\r\n" + head;
  }
  return head + "\r\n" + body;
}

}  // namespace tinhso::notify
