#include "pdf/text.hpp"

#include <chrono>
#include <cstdio>

#include "core/text.hpp"
#include "pdf/errors.hpp"

namespace tinhso::pdf::internal {
namespace {

constexpr std::int64_t kVietnamOffsetSeconds = 7 * 3600;

void AppendUtf8(char32_t cp, std::string& out) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xc0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xe0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  } else {
    out += static_cast<char>(0xf0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3f));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  }
}

// PDFDocEncoding (ISO 32000-1 Annex D) where it differs from Latin-1; 0 = undefined.
char32_t PdfDocCodePoint(unsigned char c) {
  static constexpr char32_t k18[8] = {0x02d8, 0x02c7, 0x02c6, 0x02d9,
                                      0x02dd, 0x02db, 0x02da, 0x02dc};
  static constexpr char32_t k80[33] = {
      0x2022, 0x2020, 0x2021, 0x2026, 0x2014, 0x2013, 0x0192, 0x2044, 0x2039, 0x203a, 0x2212,
      0x2030, 0x201e, 0x201c, 0x201d, 0x2018, 0x2019, 0x201a, 0x2122, 0xfb01, 0xfb02, 0x0141,
      0x0152, 0x0160, 0x0178, 0x017d, 0x0131, 0x0142, 0x0153, 0x0161, 0x017e, 0,      0x20ac};
  if (c == '\t' || c == '\n' || c == '\r') {
    return c;
  }
  if (c < 0x18) {
    return 0;
  }
  if (c < 0x20) {
    return k18[c - 0x18];
  }
  if (c == 0x7f || c == 0xad) {
    return 0;
  }
  if (c >= 0x80 && c <= 0xa0) {
    return k80[c - 0x80];
  }
  return c;
}

std::chrono::sys_days Days(int y, unsigned m, unsigned d, bool* ok) {
  const std::chrono::year_month_day ymd{std::chrono::year{y}, std::chrono::month{m},
                                        std::chrono::day{d}};
  *ok = ymd.ok();
  return std::chrono::sys_days{ymd};
}

struct Civil {
  int year;
  unsigned month, day, hour, minute, second;
};

Civil VietnamCivil(std::int64_t utc_seconds) {
  const std::int64_t local = utc_seconds + kVietnamOffsetSeconds;
  std::int64_t days = local / 86400;
  std::int64_t rest = local % 86400;
  if (rest < 0) {
    rest += 86400;
    --days;
  }
  const std::chrono::year_month_day ymd{std::chrono::sys_days{std::chrono::days{days}}};
  return Civil{static_cast<int>(ymd.year()),          static_cast<unsigned>(ymd.month()),
               static_cast<unsigned>(ymd.day()),      static_cast<unsigned>(rest / 3600),
               static_cast<unsigned>(rest / 60 % 60), static_cast<unsigned>(rest % 60)};
}

}  // namespace

Result<std::string> DecodeTextString(std::string_view bytes) {
  std::string out;
  if (bytes.size() >= 2 && static_cast<unsigned char>(bytes[0]) == 0xfe &&
      static_cast<unsigned char>(bytes[1]) == 0xff) {
    if (bytes.size() % 2 != 0) {
      return BadTextString("UTF-16 text string with an odd number of bytes");
    }
    bool in_language_escape = false;
    for (std::size_t i = 2; i < bytes.size(); i += 2) {
      char32_t unit =
          (static_cast<unsigned char>(bytes[i]) << 8) | static_cast<unsigned char>(bytes[i + 1]);
      if (unit == 0x1b) {  // §7.9.2.2: ESC language-code ESC
        in_language_escape = !in_language_escape;
        continue;
      }
      if (in_language_escape) {
        continue;
      }
      if (unit >= 0xdc00 && unit <= 0xdfff) {
        return BadTextString("UTF-16 text string with an unpaired low surrogate");
      }
      if (unit >= 0xd800 && unit <= 0xdbff) {
        if (i + 3 >= bytes.size()) {
          return BadTextString("UTF-16 text string ends inside a surrogate pair");
        }
        const char32_t low = (static_cast<unsigned char>(bytes[i + 2]) << 8) |
                             static_cast<unsigned char>(bytes[i + 3]);
        if (low < 0xdc00 || low > 0xdfff) {
          return BadTextString("UTF-16 text string with an unpaired high surrogate");
        }
        unit = 0x10000 + ((unit - 0xd800) << 10) + (low - 0xdc00);
        i += 2;
      }
      AppendUtf8(unit, out);
    }
    if (in_language_escape) {
      return BadTextString("UTF-16 text string with an unterminated language escape");
    }
    return out;
  }
  if (bytes.size() >= 3 && bytes.substr(0, 3) == "\xEF\xBB\xBF") {
    const std::string_view utf8 = bytes.substr(3);
    if (!core::IsValidUtf8(utf8)) {
      return BadTextString("UTF-8 text string that is not valid UTF-8");
    }
    return std::string(utf8);
  }
  for (char ch : bytes) {
    const char32_t cp = PdfDocCodePoint(static_cast<unsigned char>(ch));
    if (cp == 0) {
      char detail[64];
      std::snprintf(detail, sizeof detail, "byte 0x%02X is undefined in PDFDocEncoding",
                    static_cast<unsigned char>(ch));
      return BadTextString(detail);
    }
    AppendUtf8(cp, out);
  }
  return out;
}

std::string EncodeTextString(std::string_view utf8) {
  bool ascii = true;
  for (char c : utf8) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u > 0x7e) {
      ascii = false;
      break;
    }
  }
  if (ascii) {
    return std::string(utf8);
  }
  std::string out = "\xFE\xFF";
  std::size_t i = 0;
  while (i < utf8.size()) {
    const auto c = static_cast<unsigned char>(utf8[i]);
    char32_t cp = 0;
    int extra = 0;
    if (c < 0x80) {
      cp = c;
    } else if (c < 0xe0) {
      cp = c & 0x1f;
      extra = 1;
    } else if (c < 0xf0) {
      cp = c & 0x0f;
      extra = 2;
    } else {
      cp = c & 0x07;
      extra = 3;
    }
    ++i;
    for (int k = 0; k < extra && i < utf8.size(); ++k, ++i) {
      cp = (cp << 6) | (static_cast<unsigned char>(utf8[i]) & 0x3f);
    }
    auto put = [&out](char32_t unit) {
      out += static_cast<char>(unit >> 8);
      out += static_cast<char>(unit & 0xff);
    };
    if (cp >= 0x10000) {
      cp -= 0x10000;
      put(0xd800 + (cp >> 10));
      put(0xdc00 + (cp & 0x3ff));
    } else {
      put(cp);
    }
  }
  return out;
}

std::string PdfDate(std::int64_t utc_seconds) {
  const Civil c = VietnamCivil(utc_seconds);
  char text[40];
  std::snprintf(text, sizeof text, "D:%04d%02u%02u%02u%02u%02u+07'00'", c.year % 10000, c.month,
                c.day, c.hour, c.minute, c.second);
  return text;
}

std::string DisplayTime(std::int64_t utc_seconds) {
  const Civil c = VietnamCivil(utc_seconds);
  char text[40];
  std::snprintf(text, sizeof text, "%02u/%02u/%04d %02u:%02u:%02u +07:00", c.day, c.month,
                c.year % 10000, c.hour, c.minute, c.second);
  return text;
}

std::optional<std::int64_t> ParsePdfDate(std::string_view text) {
  if (text.substr(0, 2) == "D:") {
    text.remove_prefix(2);
  }
  std::size_t pos = 0;
  auto digits = [&](std::size_t n, int fallback, int* out) {
    if (pos >= text.size() || text[pos] < '0' || text[pos] > '9') {
      *out = fallback;
      return true;
    }
    int value = 0;
    for (std::size_t i = 0; i < n; ++i, ++pos) {
      if (pos >= text.size() || text[pos] < '0' || text[pos] > '9') {
        return false;
      }
      value = value * 10 + (text[pos] - '0');
    }
    *out = value;
    return true;
  };
  int year = 0, month = 1, day = 1, hour = 0, minute = 0, second = 0;
  if (text.size() < 4 || !digits(4, 0, &year) || !digits(2, 1, &month) || !digits(2, 1, &day) ||
      !digits(2, 0, &hour) || !digits(2, 0, &minute) || !digits(2, 0, &second)) {
    return std::nullopt;
  }
  int offset = 0;
  if (pos < text.size()) {
    const char sign = text[pos++];
    if (sign != 'Z' && sign != '+' && sign != '-') {
      return std::nullopt;
    }
    int oh = 0, om = 0;
    if (!digits(2, 0, &oh)) {
      return std::nullopt;
    }
    if (pos < text.size() && text[pos] == '\'') {
      ++pos;
    }
    if (!digits(2, 0, &om)) {
      return std::nullopt;
    }
    if (pos < text.size() && text[pos] == '\'') {
      ++pos;
    }
    if (pos != text.size() || oh > 23 || om > 59) {
      return std::nullopt;
    }
    offset = (oh * 3600 + om * 60) * (sign == '-' ? -1 : 1);
  }
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) {
    return std::nullopt;
  }
  bool ok = false;
  const auto days = Days(year, static_cast<unsigned>(month), static_cast<unsigned>(day), &ok);
  if (!ok) {
    return std::nullopt;
  }
  return static_cast<std::int64_t>(days.time_since_epoch().count()) * 86400 + hour * 3600 +
         minute * 60 + second - offset;
}

}  // namespace tinhso::pdf::internal
