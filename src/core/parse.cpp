#include "core/parse.hpp"

#include <algorithm>
#include <charconv>
#include <cstdio>

#include "core/clock.hpp"

namespace tinhso::core {
namespace {

bool Digits(std::string_view s, std::size_t pos, std::size_t n, int& out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  out = v;
  return true;
}

}  // namespace

std::optional<std::int64_t> ParseInt64(std::string_view text) {
  if (text.empty()) return std::nullopt;
  std::int64_t v = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || ptr != text.data() + text.size()) return std::nullopt;
  return v;
}

std::optional<std::chrono::year_month_day> ParseDate(std::string_view text) {
  int y = 0, m = 0, d = 0;
  if (text.size() != 10 || text[4] != '-' || text[7] != '-' || !Digits(text, 0, 4, y) ||
      !Digits(text, 5, 2, m) || !Digits(text, 8, 2, d)) {
    return std::nullopt;
  }
  std::chrono::year_month_day ymd{std::chrono::year(y),
                                  std::chrono::month(static_cast<unsigned>(m)),
                                  std::chrono::day(static_cast<unsigned>(d))};
  if (!ymd.ok()) return std::nullopt;
  return ymd;
}

namespace {

// Writes `value` as exactly `width` decimal digits ending before `end`; returns the new end.
char* PutDigits(char* end, unsigned value, int width) {
  for (int i = 0; i < width; ++i) {
    *--end = static_cast<char>('0' + value % 10);
    value /= 10;
  }
  return end;
}

// "YYYY-MM-DD" into out[0..10). Years outside 0..9999 are clamped: they never come from our
// parsers, and a fixed width keeps the hot formatting path free of printf (lookups format a
// dozen times per request).
void PutDate(char* out, std::chrono::year_month_day d) {
  const int year = std::clamp(static_cast<int>(d.year()), 0, 9999);
  PutDigits(out + 4, static_cast<unsigned>(year), 4);
  out[4] = '-';
  PutDigits(out + 7, static_cast<unsigned>(d.month()), 2);
  out[7] = '-';
  PutDigits(out + 10, static_cast<unsigned>(d.day()), 2);
}

}  // namespace

std::string FormatDate(std::chrono::year_month_day d) {
  char buf[10];
  PutDate(buf, d);
  return std::string(buf, sizeof buf);
}

std::string FormatTimestamp(std::chrono::sys_seconds t) {
  const auto day = std::chrono::floor<std::chrono::days>(t);
  const std::chrono::hh_mm_ss hms{t - day};
  char buf[20];  // YYYY-MM-DDTHH:MM:SSZ
  PutDate(buf, std::chrono::year_month_day{day});
  buf[10] = 'T';
  PutDigits(buf + 13, static_cast<unsigned>(hms.hours().count()), 2);
  buf[13] = ':';
  PutDigits(buf + 16, static_cast<unsigned>(hms.minutes().count()), 2);
  buf[16] = ':';
  PutDigits(buf + 19, static_cast<unsigned>(hms.seconds().count()), 2);
  buf[19] = 'Z';
  return std::string(buf, sizeof buf);
}

std::string FormatVietnamDateTime(std::chrono::sys_seconds t) {
  const auto local = t + kVietnamOffset;
  const auto day = std::chrono::floor<std::chrono::days>(local);
  const std::chrono::year_month_day ymd{day};
  const std::chrono::hh_mm_ss hms{local - day};
  char buf[16];  // dd/mm/yyyy HH:MM
  PutDigits(buf + 2, static_cast<unsigned>(ymd.day()), 2);
  buf[2] = '/';
  PutDigits(buf + 5, static_cast<unsigned>(ymd.month()), 2);
  buf[5] = '/';
  PutDigits(buf + 10, static_cast<unsigned>(std::clamp(static_cast<int>(ymd.year()), 0, 9999)), 4);
  buf[10] = ' ';
  PutDigits(buf + 13, static_cast<unsigned>(hms.hours().count()), 2);
  buf[13] = ':';
  PutDigits(buf + 16, static_cast<unsigned>(hms.minutes().count()), 2);
  return std::string(buf, 16);
}

std::string FormatVietnamCompact(std::chrono::sys_seconds t) {
  const auto local = t + kVietnamOffset;
  const auto day = std::chrono::floor<std::chrono::days>(local);
  const std::chrono::year_month_day ymd{day};
  const std::chrono::hh_mm_ss hms{local - day};
  char buf[14];  // yyyyMMddHHmmss
  PutDigits(buf + 4, static_cast<unsigned>(std::clamp(static_cast<int>(ymd.year()), 0, 9999)), 4);
  PutDigits(buf + 6, static_cast<unsigned>(ymd.month()), 2);
  PutDigits(buf + 8, static_cast<unsigned>(ymd.day()), 2);
  PutDigits(buf + 10, static_cast<unsigned>(hms.hours().count()), 2);
  PutDigits(buf + 12, static_cast<unsigned>(hms.minutes().count()), 2);
  PutDigits(buf + 14, static_cast<unsigned>(hms.seconds().count()), 2);
  return std::string(buf, 14);
}

std::optional<std::chrono::sys_seconds> ParseTimestamp(std::string_view text) {
  auto date = ParseDate(text.substr(0, 10));
  if (!date) return std::nullopt;
  const auto midnight = std::chrono::sys_seconds(std::chrono::sys_days(*date));
  if (text.size() == 10) return midnight - kVietnamOffset;
  int hh = 0, mm = 0, ss = 0;
  if (text.size() < 20 || text[10] != 'T' || text[13] != ':' || text[16] != ':' ||
      !Digits(text, 11, 2, hh) || !Digits(text, 14, 2, mm) || !Digits(text, 17, 2, ss) || hh > 23 ||
      mm > 59 || ss > 59) {
    return std::nullopt;
  }
  auto t = midnight + std::chrono::hours(hh) + std::chrono::minutes(mm) + std::chrono::seconds(ss);
  std::string_view zone = text.substr(19);
  if (zone == "Z") return t;
  int zh = 0, zm = 0;
  if (zone.size() == 6 && (zone[0] == '+' || zone[0] == '-') && zone[3] == ':' &&
      Digits(zone, 1, 2, zh) && Digits(zone, 4, 2, zm)) {
    const auto offset = std::chrono::hours(zh) + std::chrono::minutes(zm);
    return zone[0] == '+' ? t - offset : t + offset;
  }
  return std::nullopt;
}

}  // namespace tinhso::core
