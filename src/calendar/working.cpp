// WorkingCalendar: working days and office-time arithmetic in local (Vietnam) time.

#include <algorithm>
#include <array>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <utility>

#include "calendar/calendar.hpp"

namespace tinhso::calendar {
namespace {

using std::chrono::days;
using std::chrono::minutes;
using std::chrono::seconds;
using std::chrono::sys_days;
using std::chrono::sys_seconds;

constexpr minutes kDay = std::chrono::hours(24);

bool ValidWindows(const std::vector<OfficeWindow>& windows) {
  if (windows.empty()) return false;
  minutes previous_end{0};
  for (const OfficeWindow& w : windows) {
    if (w.start < previous_end || w.start >= w.end || w.end > kDay) return false;
    previous_end = w.end;
  }
  return true;
}

Error WindowsError(std::string_view text) {
  return MakeError(ErrorCode::kInvalidArgument, "calendar.bad_windows",
                   "Giờ làm việc không hợp lệ: cần dạng \"07:00-11:30,13:30-17:00\", các khoảng "
                   "theo thứ tự và không chồng nhau.",
                   "Invalid office hours: expected \"07:00-11:30,13:30-17:00\", windows in order "
                   "and not overlapping.",
                   std::string(text));
}

// "HH:MM" with 00 ≤ HH ≤ 24 (24:00 only as an end), 00 ≤ MM ≤ 59.
std::optional<minutes> ParseClock(std::string_view s) {
  if (s.size() != 5 || s[2] != ':') return std::nullopt;
  for (std::size_t i : {0, 1, 3, 4}) {
    if (s[i] < '0' || s[i] > '9') return std::nullopt;
  }
  const int h = (s[0] - '0') * 10 + (s[1] - '0');
  const int m = (s[3] - '0') * 10 + (s[4] - '0');
  if (h > 24 || m > 59 || (h == 24 && m != 0)) return std::nullopt;
  return std::chrono::hours(h) + minutes(m);
}

std::string_view TrimSpaces(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

}  // namespace

struct WorkingCalendar::YearIndex {
  enum State : std::uint8_t { kWeeklyRule, kOff, kWorked };
  YearCalendar calendar;
  std::array<State, 366> state{};  // by day of the year, 0 = 1 January
};

std::vector<OfficeWindow> DefaultOfficeWindows() {
  using std::chrono::hours;
  return {{hours(7), hours(11) + minutes(30)}, {hours(13) + minutes(30), hours(17)}};
}

Result<std::vector<OfficeWindow>> ParseOfficeWindows(std::string_view text) {
  std::vector<OfficeWindow> windows;
  for (std::size_t pos = 0;;) {
    const std::size_t comma = text.find(',', pos);
    const std::string_view item = TrimSpaces(text.substr(pos, comma - pos));
    const std::size_t dash = item.find('-');
    if (dash == std::string_view::npos) return WindowsError(text);
    const auto start = ParseClock(TrimSpaces(item.substr(0, dash)));
    const auto end = ParseClock(TrimSpaces(item.substr(dash + 1)));
    if (!start || !end) return WindowsError(text);
    windows.push_back({*start, *end});
    if (comma == std::string_view::npos) break;
    pos = comma + 1;
  }
  if (!ValidWindows(windows)) return WindowsError(text);
  return windows;
}

WorkingCalendar::WorkingCalendar(std::vector<Override> overrides, WorkingOptions options)
    : options_(std::move(options)), overrides_(std::move(overrides)) {
  if (!ValidWindows(options_.windows)) {
    throw std::invalid_argument(
        "calendar: office windows must be non-empty, in order, "
        "not overlapping, within one day");
  }
}

void WorkingCalendar::Reset(std::vector<Override> overrides) {
  std::unique_lock lock(mu_);
  overrides_ = std::move(overrides);
  years_.clear();
}

std::shared_ptr<const WorkingCalendar::YearIndex> WorkingCalendar::Index(int year) const {
  {
    std::shared_lock lock(mu_);
    if (auto it = years_.find(year); it != years_.end()) return it->second;
  }
  // Built under the exclusive lock so that a concurrent Reset() cannot be overtaken by a year
  // built from the old overrides. A year takes well under a millisecond.
  std::unique_lock lock(mu_);
  if (auto it = years_.find(year); it != years_.end()) return it->second;
  auto index = std::make_shared<YearIndex>();
  index->calendar = BuildYear(year, overrides_, options_.rules);
  const sys_days jan1{std::chrono::year(year) / std::chrono::January / 1};
  for (const Day& d : index->calendar.days) {
    const auto doy = static_cast<std::size_t>((sys_days{d.date} - jan1).count());
    index->state[doy] = d.kind == DayKind::kWorkingDay ? YearIndex::kWorked : YearIndex::kOff;
  }
  years_.emplace(year, index);
  return index;
}

YearCalendar WorkingCalendar::Year(int year) const { return Index(year)->calendar; }

bool WorkingCalendar::IsWorkingDay(Date date) const {
  const int year = static_cast<int>(date.year());
  const auto index = Index(year);
  const sys_days day{date};
  const sys_days jan1{date.year() / std::chrono::January / 1};
  switch (index->state[static_cast<std::size_t>((day - jan1).count())]) {
    case YearIndex::kOff:
      return false;
    case YearIndex::kWorked:
      return true;
    case YearIndex::kWeeklyRule:
      break;
  }
  const std::chrono::weekday wd{day};
  return wd != std::chrono::Saturday && wd != std::chrono::Sunday;
}

Date WorkingCalendar::AddWorkingDays(Date date, int n) const {
  sys_days d{date};
  const days step{n >= 0 ? 1 : -1};
  for (long long left = std::llabs(static_cast<long long>(n)); left > 0;) {
    d += step;
    if (IsWorkingDay(Date{d})) --left;
  }
  return Date{d};
}

sys_seconds WorkingCalendar::AddWorkingHours(sys_seconds start, minutes amount) const {
  if (amount == minutes(0)) return start;
  const seconds offset = options_.utc_offset;
  const auto& windows = options_.windows;
  seconds remaining = amount < minutes(0) ? seconds(-amount) : seconds(amount);
  sys_seconds local = start + offset;  // local wall time, written as if it were UTC
  sys_days day = std::chrono::floor<days>(local);

  if (amount > minutes(0)) {
    for (;;) {
      if (IsWorkingDay(Date{day})) {
        for (const OfficeWindow& w : windows) {
          const sys_seconds window_start = day + w.start;
          const sys_seconds window_end = day + w.end;
          if (local >= window_end) continue;
          const sys_seconds from = std::max(local, window_start);
          const seconds available = window_end - from;
          if (remaining <= available) return from + remaining - offset;
          remaining -= available;
          local = window_end;
        }
      }
      day += days(1);
      local = day;
    }
  }
  for (;;) {  // backwards: the mirror image
    if (IsWorkingDay(Date{day})) {
      for (auto w = windows.rbegin(); w != windows.rend(); ++w) {
        const sys_seconds window_start = day + w->start;
        const sys_seconds window_end = day + w->end;
        if (local <= window_start) continue;
        const sys_seconds to = std::min(local, window_end);
        const seconds available = to - window_start;
        if (remaining <= available) return to - remaining - offset;
        remaining -= available;
        local = window_start;
      }
    }
    day -= days(1);
    local = day + kDay;
  }
}

minutes WorkingCalendar::WorkingTimeBetween(sys_seconds a, sys_seconds b) const {
  if (b < a) return -WorkingTimeBetween(b, a);
  const seconds offset = options_.utc_offset;
  const sys_seconds from = a + offset;
  const sys_seconds to = b + offset;
  seconds total{0};
  for (sys_days day = std::chrono::floor<days>(from); day <= std::chrono::floor<days>(to);
       day += days(1)) {
    if (!IsWorkingDay(Date{day})) continue;
    for (const OfficeWindow& w : options_.windows) {
      const sys_seconds s = std::max<sys_seconds>(day + w.start, from);
      const sys_seconds e = std::min<sys_seconds>(day + w.end, to);
      if (e > s) total += e - s;
    }
  }
  return std::chrono::duration_cast<minutes>(total);
}

sys_seconds WorkingCalendar::EndOfWorkingDay(Date date) const {
  return sys_seconds{sys_days{date}} + options_.windows.back().end - options_.utc_offset;
}

minutes WorkingCalendar::WorkingDayLength() const {
  minutes total{0};
  for (const OfficeWindow& w : options_.windows) total += w.end - w.start;
  return total;
}

Date WorkingCalendar::LocalDate(sys_seconds t) const {
  return Date{std::chrono::floor<days>(t + options_.utc_offset)};
}

}  // namespace tinhso::calendar
