#include "core/parse.hpp"

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

std::string FormatDate(std::chrono::year_month_day d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(d.year()),
                static_cast<unsigned>(d.month()), static_cast<unsigned>(d.day()));
  return buf;
}

std::string FormatTimestamp(std::chrono::sys_seconds t) {
  const auto day = std::chrono::floor<std::chrono::days>(t);
  const std::chrono::hh_mm_ss hms{t - day};
  char buf[32];
  std::snprintf(buf, sizeof buf, "%sT%02d:%02d:%02dZ",
                FormatDate(std::chrono::year_month_day{day}).c_str(),
                static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                static_cast<int>(hms.seconds().count()));
  return buf;
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
