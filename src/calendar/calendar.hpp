// The working-day calendar of Vietnamese public bodies: which days are worked, and office-time
// arithmetic for deadlines (one-stop dossiers, incoming documents). Other modules include only
// this header and use `CalendarService::Working()`.
//
// Where the days come from:
//   - weekly rest: Saturday and Sunday (public bodies work a 40-hour, five-day week);
//   - public holidays, Bộ luật Lao động 2019 (45/2019/QH14) art. 112.1: 1/1, five Tết days,
//     Giỗ Tổ Hùng Vương (10/3 lunar), 30/4, 1/5, 2/9 plus one adjacent day;
//   - compensatory days (nghỉ bù), art. 111.3: a holiday on a weekly rest day is made up on the
//     next working day;
//   - each year's decisions of the Prime Minister (art. 112.3: the exact Tết and Quốc khánh
//     days) and swaps of working days, entered by administrators as overrides.
// The statutory part is computed (lunar dates by calendar/lunar.hpp); the rest is data.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/actor.hpp"
#include "core/clock.hpp"
#include "core/result.hpp"

namespace tinhso::storage {
class Database;
}
namespace tinhso::http {
class Router;
}

namespace tinhso::calendar {

using Date = std::chrono::year_month_day;

/// The years the API and the service accept. The lunar algorithm is published and checked for
/// this range; the holiday rules are today's (Labour Code 2019, in force 2021-01-01), applied
/// to any year asked for.
inline constexpr int kMinYear = 1900;
inline constexpr int kMaxYear = 2199;

// ---- Days -----------------------------------------------------------------------------------

enum class DayKind : std::uint8_t {
  kHoliday,       // "holiday": a public holiday of art. 112.1 other than Tết
  kTet,           // "tet": one of the five Tết Âm lịch days
  kCompensatory,  // "compensatory": nghỉ bù for a holiday that fell on a weekly rest day
  kDayOff,        // "day_off": an extra day off decided for the year (e.g. a swapped day)
  kWorkingDay,    // "working_day": a Saturday or Sunday worked instead (làm bù)
};

/// The stable lower-case name ("holiday", "tet", "compensatory", "day_off", "working_day").
std::string_view DayKindName(DayKind kind);
std::optional<DayKind> ParseDayKind(std::string_view name);

/// One day that differs from the weekly rule.
struct Day {
  Date date;
  DayKind kind = DayKind::kHoliday;
  std::string name_vi;
  std::string name_en;
  std::string note;         // from an override: the decision behind it ("Thông báo 6150/TB-BNV")
  bool overridden = false;  // set by an administrator's override, not by the statutory rules
};

/// Every day off (kHoliday, kTet, kCompensatory, kDayOff) and every swapped working day
/// (kWorkingDay) of one Gregorian year, in date order, at most one per date.
struct YearCalendar {
  int year = 0;
  std::vector<Day> days;

  /// The entry for `date`, or nullptr when the weekly rule applies.
  const Day* Find(Date date) const;
};

// ---- Administrator overrides ----------------------------------------------------------------

enum class OverrideKind : std::uint8_t {
  kHoliday,       // "holiday": a public holiday (a weekend one earns a compensatory day)
  kTet,           // "tet": a Tết day (likewise)
  kCompensatory,  // "compensatory": a compensatory day placed by decision
  kDayOff,        // "day_off": an extra day off (no compensatory day if on a weekend)
  kWorkingDay,    // "working_day": the date is worked (a swapped Saturday)
  kRemove,        // "remove": the computed day on this date does not apply this year
};

std::string_view OverrideKindName(OverrideKind kind);
std::optional<OverrideKind> ParseOverrideKind(std::string_view name);

/// One decision for one date. An override replaces whatever the rules computed for its date.
struct Override {
  Date date;
  OverrideKind kind = OverrideKind::kDayOff;
  std::string name_vi;  // empty: a default name for the kind
  std::string name_en;
  std::string note;  // the decision it comes from, free text
  bool operator==(const Override&) const = default;
};

/// Checks one override on its own: a real date in [kMinYear, kMaxYear], valid UTF-8, names at
/// most 200 characters, note at most 1000. Errors: kInvalidArgument ("calendar.bad_date",
/// "calendar.bad_text", "calendar.text_too_long").
Result<void> ValidateOverride(const Override& o);

/// `o` with NFC text, trimmed names, and the kind's default names filled in when empty
/// ("Ngày nghỉ" / "Day off", "Ngày làm bù" / "Make-up working day", …).
Override Normalize(Override o);

// ---- Rules ----------------------------------------------------------------------------------

/// Which day joins 2/9 for the second Quốc khánh day (art. 112.1.đ: "02/9 and one day before or
/// after"). The Prime Minister picks it each year; the default is what recent decisions did.
enum class NationalDayRule : std::uint8_t {
  kJoinWeekend,  // Mon→3/9, Tue→1/9, Wed→3/9, Thu→3/9, Fri→1/9, Sat→1/9, Sun→3/9
  kDayBefore,    // always 1/9
  kDayAfter,     // always 3/9
};

struct HolidayRules {
  /// How many of the five Tết days come before lunar New Year's Day: 1 (the last day of the
  /// old year + the first 4 of the new) or 2 (2 + 3), the two choices of NĐ 145/2020/NĐ-CP.
  int tet_days_before_new_year = 1;
  NationalDayRule national_day = NationalDayRule::kJoinWeekend;
  /// Time zone of the lunar calendar, hours east of UTC (7 in Vietnam since 1968).
  double lunar_time_zone = 7.0;
};

/// The statutory holidays of `year` (kHoliday and kTet only), before compensatory days and
/// overrides, in date order. Two holidays on the same date are merged into one entry.
std::vector<Day> DefaultHolidays(int year, const HolidayRules& rules = {});

/// The full calendar of `year`: statutory holidays, then the overrides of that year (others
/// are ignored), then compensatory days for the holidays that fall on a Saturday or Sunday,
/// each on the next day that is neither a weekly rest day nor already off (art. 111.3).
/// An override always decides its own date: "remove" or "working_day" on a computed
/// compensatory day cancels it. A compensatory day never moves into the next year.
YearCalendar BuildYear(int year, std::span<const Override> overrides,
                       const HolidayRules& rules = {});

/// Checks that `o` changes something, given the other overrides of its year: "remove" needs a
/// computed day on its date, "working_day" a date that would otherwise be off. Catches a
/// mistyped date before it silently does nothing.
/// Errors: kFailedPrecondition ("calendar.nothing_to_remove", "calendar.already_working").
Result<void> CheckOverrideHasEffect(const Override& o, std::span<const Override> others,
                                    const HolidayRules& rules = {});

// ---- Working time ---------------------------------------------------------------------------

/// An office-hours window on a working day, as local times since midnight.
struct OfficeWindow {
  std::chrono::minutes start{0};
  std::chrono::minutes end{0};
  bool operator==(const OfficeWindow&) const = default;
};

/// 07:00–11:30 and 13:30–17:00: 8 hours, the windows public bodies commonly post.
std::vector<OfficeWindow> DefaultOfficeWindows();

/// Parses "07:00-11:30,13:30-17:00" (for configuration). Windows must be non-empty, in order,
/// not overlapping, within one day. Errors: kInvalidArgument ("calendar.bad_windows").
Result<std::vector<OfficeWindow>> ParseOfficeWindows(std::string_view text);

struct WorkingOptions {
  HolidayRules rules;
  std::vector<OfficeWindow> windows = DefaultOfficeWindows();
  /// Local time of the offices; Vietnam is UTC+7 all year.
  std::chrono::seconds utc_offset = core::kVietnamOffset;
};

/// Working days and office time, for deadlines. Years are built on first use from the rules
/// and the overrides it holds, and cached. Thread-safe: any number of readers, and Reset()
/// may run concurrently with them (a reader sees the calendar before or after, never a mix
/// within one year).
class WorkingCalendar {
 public:
  /// Throws std::invalid_argument when `options.windows` is not a valid list (see
  /// ParseOfficeWindows): a configuration error, to be caught at startup.
  explicit WorkingCalendar(std::vector<Override> overrides = {}, WorkingOptions options = {});

  WorkingCalendar(const WorkingCalendar&) = delete;
  WorkingCalendar& operator=(const WorkingCalendar&) = delete;

  /// Replaces the overrides (all years) and drops the cached years.
  void Reset(std::vector<Override> overrides);

  /// The calendar of `year` as this object sees it.
  YearCalendar Year(int year) const;

  /// Monday–Friday, not a day off; or a swapped working Saturday/Sunday.
  bool IsWorkingDay(Date date) const;

  /// The n-th working day after `date` (`date` itself does not count, whether or not it is a
  /// working day: a period in days starts the next day, BLDS 2015 art. 147.2). n = 0 returns
  /// `date`; n < 0 counts backwards, to the |n|-th working day before `date`.
  Date AddWorkingDays(Date date, int n) const;

  /// The instant `amount` of office time after `start`, counting only inside the office windows
  /// of working days, in local time. A start outside a window counts from the next window's
  /// start (after the last window: the next working morning). When the amount runs out exactly
  /// at a window's end, the result is that end (11:30, not 13:30). amount = 0 returns `start`;
  /// a negative amount counts backwards.
  std::chrono::sys_seconds AddWorkingHours(std::chrono::sys_seconds start,
                                           std::chrono::minutes amount) const;

  /// Office time between two instants (negative when b < a), truncated to whole minutes.
  /// WorkingTimeBetween(s, AddWorkingHours(s, m)) == m for minute-aligned s.
  std::chrono::minutes WorkingTimeBetween(std::chrono::sys_seconds a,
                                          std::chrono::sys_seconds b) const;

  /// The end of the last office window on `date` (17:00 local by default), whether or not the
  /// date is a working day. A period counted in days ends at the end of its last day (BLDS 2015
  /// art. 148.1): due_at = EndOfWorkingDay(AddWorkingDays(received, n)).
  std::chrono::sys_seconds EndOfWorkingDay(Date date) const;

  /// One working day of office time: the sum of the windows (8 hours by default).
  std::chrono::minutes WorkingDayLength() const;

  /// The local calendar date of an instant.
  Date LocalDate(std::chrono::sys_seconds t) const;

  const WorkingOptions& options() const { return options_; }

 private:
  struct YearIndex;
  std::shared_ptr<const YearIndex> Index(int year) const;

  const WorkingOptions options_;
  mutable std::shared_mutex mu_;
  std::vector<Override> overrides_;                                // guarded by mu_
  mutable std::map<int, std::shared_ptr<const YearIndex>> years_;  // guarded by mu_
};

// ---- JSON -----------------------------------------------------------------------------------

/// (calendar/api.hpp: CalendarYear)
/// {"year":2026,"days":[{"date":"2026-01-01","kind":"holiday","name_vi":"Tết Dương lịch",
/// "name_en":"New Year's Day"},…]}, days in date order; "note" only when not empty. The shape of
/// both `tinhso calendar YEAR` and GET /api/v1/calendar/{year}.
std::string YearToJson(const YearCalendar& year);

/// (CalendarOverride) {"date","kind","name_vi","name_en","note"}: the PUT response and the audit
/// data.
std::string OverrideToJson(const Override& o);

// ---- Service --------------------------------------------------------------------------------

/// The calendar with the administrators' overrides, stored in calendar_overrides. Thread-safe:
/// one instance serves all requests. Every change runs in one transaction with its audit entry.
class CalendarService {
 public:
  CalendarService(storage::Database& db, const core::Clock& clock, WorkingOptions options = {});

  /// Reads all overrides into Working(). Call once at startup; until then Working() knows only
  /// the statutory days. Errors: storage errors.
  Result<void> Load();

  /// The calendar of `year` from the stored overrides.
  /// Errors: kInvalidArgument ("calendar.bad_year"), storage errors.
  Result<YearCalendar> Year(int year) const;

  /// The stored overrides of `year`, in date order (for the admin screen).
  Result<std::vector<Override>> Overrides(int year) const;

  /// Creates or replaces the override for `o.date` (after Normalize) and audits it as
  /// "calendar.override.put". Errors: kInvalidArgument (see ValidateOverride),
  /// kFailedPrecondition (see CheckOverrideHasEffect), storage errors.
  Result<void> PutOverride(const Override& o, const core::Actor& actor);

  /// Deletes the override for `date`, audited as "calendar.override.delete".
  /// Errors: kNotFound ("calendar.override_not_found"), storage errors.
  Result<void> DeleteOverride(Date date, const core::Actor& actor);

  /// The working calendar, refreshed after every successful change. The reference stays valid
  /// for the service's lifetime.
  const WorkingCalendar& Working() const { return working_; }

 private:
  storage::Database& db_;
  const core::Clock& clock_;
  WorkingCalendar working_;
  std::mutex write_mu_;  // one change at a time, so Working() follows the commit order
};

/// GET /api/v1/calendar/{year} ("public.calendar"), PUT and DELETE
/// /api/v1/calendar/overrides/{date} ("calendar.manage").
void RegisterRoutes(http::Router& router, CalendarService& service);

}  // namespace tinhso::calendar
