#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "calendar/calendar.hpp"
#include "core/parse.hpp"

namespace tinhso::calendar {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::sys_days;
using std::chrono::sys_seconds;

Date D(std::string_view text) {
  auto d = core::ParseDate(text);
  EXPECT_TRUE(d.has_value()) << text;
  return d.value_or(Date{});
}

// "2026-03-02 08:00" in Vietnam time (UTC+7), as an instant. Written without the code under
// test: local midnight minus seven hours.
sys_seconds Local(std::string_view text) {
  const int h = std::stoi(std::string(text.substr(11, 2)));
  const int m = std::stoi(std::string(text.substr(14, 2)));
  return sys_seconds{sys_days{D(text.substr(0, 10))}} + hours(h) + minutes(m) - hours(7);
}

// The inverse of Local, for failure messages and comparisons.
std::string ShowLocal(sys_seconds t) {
  const sys_seconds local = t + hours(7);
  const auto day = std::chrono::floor<std::chrono::days>(local);
  const std::chrono::hh_mm_ss hms{local - day};
  char buf[8];
  std::snprintf(buf, sizeof buf, "%02d:%02d", static_cast<int>(hms.hours().count()),
                static_cast<int>(hms.minutes().count()));
  return core::FormatDate(Date{day}) + " " + buf;
}

Override Make(std::string_view date, OverrideKind kind) {
  return Override{D(date), kind, {}, {}, {}};
}

TEST(WorkingCalendar, IsWorkingDayIn2026) {
  const WorkingCalendar cal;
  struct Case {
    std::string_view date;
    bool working;
    std::string_view why;
  };
  const Case kCases[] = {
      {"2026-01-01", false, "New Year's Day, Thursday"},
      {"2026-01-02", true, "Friday"},
      {"2026-01-03", false, "Saturday"},
      {"2026-01-04", false, "Sunday"},
      {"2026-02-13", true, "Friday before Tết"},
      {"2026-02-16", false, "Tết: last day of the lunar year"},
      {"2026-02-20", false, "Tết: 4/1 âm lịch"},
      {"2026-02-23", true, "first Monday after Tết"},
      {"2026-04-26", false, "Giỗ Tổ, a Sunday"},
      {"2026-04-27", false, "compensatory day for Giỗ Tổ"},
      {"2026-04-28", true, "Tuesday"},
      {"2026-04-30", false, "Reunification Day"},
      {"2026-05-01", false, "International Labour Day"},
      {"2026-09-02", false, "National Day"},
      {"2026-09-03", false, "National Day, adjacent day"},
      {"2026-09-04", true, "Friday"},
  };
  for (const Case& c : kCases) {
    EXPECT_EQ(cal.IsWorkingDay(D(c.date)), c.working) << c.date << ": " << c.why;
  }
}

TEST(WorkingCalendar, AddWorkingDays) {
  const WorkingCalendar cal;
  struct Case {
    std::string_view from;
    int n;
    std::string_view to;
    std::string_view why;
  };
  const Case kCases[] = {
      {"2026-03-02", 1, "2026-03-03", "Monday + 1 is Tuesday: the start day does not count"},
      {"2026-03-06", 1, "2026-03-09", "Friday + 1 skips the weekend"},
      {"2026-03-07", 1, "2026-03-09", "from a Saturday, the first working day is Monday"},
      {"2026-03-02", 5, "2026-03-09", "a week"},
      {"2026-03-02", 0, "2026-03-02", "n = 0"},
      {"2026-03-07", 0, "2026-03-07", "n = 0 keeps even a weekend date"},
      {"2026-02-13", 1, "2026-02-23", "Fri 13/2 + 1: Sat, Sun, Tết 16–20/2, Sat, Sun skipped"},
      {"2026-02-12", 2, "2026-02-23", "Thu 12/2 + 2: Fri 13/2 then Mon 23/2"},
      {"2026-02-13", 5, "2026-02-27", "the first week after Tết"},
      {"2026-02-14", 1, "2026-02-23", "from the Saturday before Tết"},
      {"2026-04-24", 3, "2026-05-04",
       "Fri 24/4 + 3: Sun 26/4 Giỗ Tổ, Mon 27/4 made up; Tue 28 (1), Wed 29 (2); 30/4 and 1/5 "
       "off, weekend; Mon 4/5 (3)"},
      {"2026-04-29", 1, "2026-05-04", "across 30/4–1/5 and the weekend"},
      {"2026-04-20", 10, "2026-05-07", "ten working days across Giỗ Tổ and 30/4–1/5"},
      {"2026-09-01", 1, "2026-09-04", "Tue 1/9 + 1: 2/9 and 3/9 off"},
      {"2026-09-01", 2, "2026-09-07", "then the weekend"},
      {"2026-12-31", 1, "2027-01-04", "across the year: Fri 1/1/2027 is New Year's Day"},
      {"2027-02-04", 1, "2027-02-12",
       "Tết 2027 (Sat 6/2): Tết 5–9/2, made up Wed 10 and Thu 11 for the weekend Tết days"},
      {"2026-02-23", -1, "2026-02-13", "backwards across Tết"},
      {"2026-05-04", -3, "2026-04-24", "backwards across 30/4–1/5 and Giỗ Tổ"},
  };
  for (const Case& c : kCases) {
    EXPECT_EQ(core::FormatDate(cal.AddWorkingDays(D(c.from), c.n)), c.to) << c.why;
  }
}

TEST(WorkingCalendar, OverridesDecideWorkingDays) {
  // A swap: Friday 27/2 off, Saturday 28/2 worked instead.
  WorkingCalendar cal(
      {Make("2026-02-27", OverrideKind::kDayOff), Make("2026-02-28", OverrideKind::kWorkingDay)});
  EXPECT_FALSE(cal.IsWorkingDay(D("2026-02-27")));
  EXPECT_TRUE(cal.IsWorkingDay(D("2026-02-28")));
  EXPECT_EQ(core::FormatDate(cal.AddWorkingDays(D("2026-02-26"), 1)), "2026-02-28");
  EXPECT_EQ(core::FormatDate(cal.AddWorkingDays(D("2026-02-26"), 2)), "2026-03-02");
  ASSERT_NE(cal.Year(2026).Find(D("2026-02-28")), nullptr);

  // Reset takes effect at once and keeps the same object (services hand out references).
  cal.Reset({});
  EXPECT_TRUE(cal.IsWorkingDay(D("2026-02-27")));
  EXPECT_FALSE(cal.IsWorkingDay(D("2026-02-28")));
  EXPECT_EQ(cal.Year(2026).Find(D("2026-02-28")), nullptr);
}

TEST(WorkingCalendar, AddWorkingHours) {
  const WorkingCalendar cal;
  struct Case {
    std::string_view start;  // local time
    minutes amount;
    std::string_view end;  // local time
    std::string_view why;
  };
  const Case kCases[] = {
      {"2026-03-02 08:00", hours(2), "2026-03-02 10:00", "inside the morning"},
      {"2026-03-02 10:00", minutes(90), "2026-03-02 11:30", "ends exactly at 11:30, not 13:30"},
      {"2026-03-02 10:00", hours(2), "2026-03-02 14:00", "1.5 h before lunch, 0.5 h after"},
      {"2026-03-02 12:00", hours(1), "2026-03-02 14:30", "from lunch: starts at 13:30"},
      {"2026-03-02 06:00", hours(1), "2026-03-02 08:00", "before opening: starts at 07:00"},
      {"2026-03-02 16:00", hours(2), "2026-03-03 08:00", "1 h today, 1 h tomorrow morning"},
      {"2026-03-02 17:00", hours(1), "2026-03-03 08:00", "at closing time"},
      {"2026-03-02 18:00", hours(1), "2026-03-03 08:00", "in the evening: next morning"},
      {"2026-03-02 07:00", hours(8), "2026-03-02 17:00", "one working day is 8 hours"},
      {"2026-03-02 08:00", hours(8), "2026-03-03 08:00", "8 hours from 08:00"},
      {"2026-03-06 16:00", hours(2), "2026-03-09 08:00", "Friday afternoon to Monday"},
      {"2026-03-07 10:00", hours(1), "2026-03-09 08:00", "from a Saturday"},
      {"2026-03-02 11:30", minutes(0), "2026-03-02 11:30", "zero: unchanged"},
      {"2026-03-07 10:00", minutes(0), "2026-03-07 10:00", "zero: unchanged, even on Saturday"},
      {"2026-02-13 15:00", hours(8), "2026-02-23 15:00",
       "2 h on Friday 13/2, then Tết and two weekends, 6 h on Monday 23/2"},
      {"2026-03-02 08:00", hours(40), "2026-03-09 08:00", "five days"},
      {"2026-03-03 08:00", -hours(2), "2026-03-02 16:00", "backwards overnight"},
      {"2026-03-02 14:00", -hours(1), "2026-03-02 11:00", "backwards across lunch"},
      {"2026-03-02 13:30", -minutes(30), "2026-03-02 11:00", "backwards from a window start"},
      {"2026-03-09 08:00", -hours(2), "2026-03-06 16:00", "backwards across the weekend"},
      {"2026-03-02 11:30", -hours(4) - minutes(30), "2026-03-02 07:00", "to a window start"},
  };
  for (const Case& c : kCases) {
    EXPECT_EQ(ShowLocal(cal.AddWorkingHours(Local(c.start), c.amount)), c.end) << c.why;
  }
}

TEST(WorkingCalendar, AddWorkingHoursWorksInVietnamTimeNotUtc) {
  const WorkingCalendar cal;
  // 23:00 UTC on Sunday 1/3 is 06:00 on Monday 2/3 in Vietnam: 30 minutes of office time end
  // at 07:30 local = 00:30 UTC on Monday.
  const sys_seconds start = sys_seconds{sys_days{D("2026-03-01")}} + hours(23);
  const sys_seconds want = sys_seconds{sys_days{D("2026-03-02")}} + minutes(30);
  EXPECT_EQ(cal.AddWorkingHours(start, minutes(30)), want);
}

TEST(WorkingCalendar, ConfigurableWindows) {
  auto windows = ParseOfficeWindows("08:00-12:00, 13:00-17:00");
  ASSERT_TRUE(windows.ok());
  WorkingOptions options;
  options.windows = *windows;
  const WorkingCalendar cal({}, options);
  EXPECT_EQ(cal.WorkingDayLength(), hours(8));
  EXPECT_EQ(ShowLocal(cal.AddWorkingHours(Local("2026-03-02 11:00"), hours(2))),
            "2026-03-02 14:00");
  EXPECT_EQ(ShowLocal(cal.AddWorkingHours(Local("2026-03-02 07:00"), hours(1))),
            "2026-03-02 09:00");
  EXPECT_EQ(ShowLocal(cal.EndOfWorkingDay(D("2026-03-02"))), "2026-03-02 17:00");

  // A single long window.
  options.windows = {{hours(7), hours(16)}};
  const WorkingCalendar one({}, options);
  EXPECT_EQ(one.WorkingDayLength(), hours(9));
  EXPECT_EQ(ShowLocal(one.AddWorkingHours(Local("2026-03-02 15:00"), hours(2))),
            "2026-03-03 08:00");
}

TEST(WorkingCalendar, DefaultWindows) {
  const WorkingCalendar cal;
  EXPECT_EQ(cal.WorkingDayLength(), hours(8));
  EXPECT_EQ(DefaultOfficeWindows(),
            (std::vector<OfficeWindow>{{hours(7), hours(11) + minutes(30)},
                                       {hours(13) + minutes(30), hours(17)}}));
  // 17:00 in Vietnam is 10:00 UTC.
  EXPECT_EQ(cal.EndOfWorkingDay(D("2026-02-23")),
            sys_seconds{sys_days{D("2026-02-23")}} + hours(10));
  EXPECT_EQ(core::FormatDate(cal.LocalDate(Local("2026-03-02 00:30"))), "2026-03-02");
  EXPECT_EQ(core::FormatDate(cal.LocalDate(Local("2026-03-01 23:59"))), "2026-03-01");
}

TEST(ParseOfficeWindows, RejectsBadLists) {
  EXPECT_TRUE(ParseOfficeWindows("07:00-11:30,13:30-17:00").ok());
  EXPECT_TRUE(ParseOfficeWindows("00:00-24:00").ok());
  for (std::string_view bad :
       {"", "07:00", "07:00-", "7:00-11:30", "07:00-11:30;13:30-17:00", "11:30-07:00",
        "07:00-07:00", "07:00-12:00,11:00-17:00", "13:30-17:00,07:00-11:30", "07:00-24:30",
        "25:00-26:00", "07:60-08:00", "07:00-11:30,"}) {
    auto r = ParseOfficeWindows(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().reason, "calendar.bad_windows") << bad;
  }
  WorkingOptions options;
  options.windows = {};
  EXPECT_THROW(WorkingCalendar({}, options), std::invalid_argument);
  options.windows = {{hours(13), hours(17)}, {hours(7), hours(11)}};
  EXPECT_THROW(WorkingCalendar({}, options), std::invalid_argument);
}

TEST(WorkingCalendar, WorkingTimeBetween) {
  const WorkingCalendar cal;
  struct Case {
    std::string_view a;
    std::string_view b;
    minutes expected;
    std::string_view why;
  };
  const Case kCases[] = {
      {"2026-03-02 08:00", "2026-03-02 10:00", hours(2), "inside a window"},
      {"2026-03-02 10:00", "2026-03-02 14:00", hours(2), "lunch does not count"},
      {"2026-03-02 16:00", "2026-03-03 08:00", hours(2), "the night does not count"},
      {"2026-03-02 00:00", "2026-03-09 00:00", hours(40), "a full week: 5 × 8 h"},
      {"2026-03-07 09:00", "2026-03-08 16:00", hours(0), "a weekend"},
      {"2026-02-13 15:00", "2026-02-23 15:00", hours(8), "across Tết"},
      {"2026-03-02 12:00", "2026-03-02 13:00", hours(0), "inside lunch"},
      {"2026-03-02 10:00", "2026-03-02 10:00", hours(0), "empty"},
      {"2026-03-02 14:00", "2026-03-02 10:00", -hours(2), "reversed: negative"},
      {"2026-02-23 15:00", "2026-02-13 15:00", -hours(8), "reversed across Tết"},
  };
  for (const Case& c : kCases) {
    EXPECT_EQ(cal.WorkingTimeBetween(Local(c.a), Local(c.b)), c.expected) << c.why;
  }
}

TEST(WorkingCalendar, AddWorkingHoursAndWorkingTimeBetweenAreInverse) {
  // Starts every 17 minutes over three weeks around Tết 2026, amounts from a minute to two
  // weeks: the office time between a start and start + amount is the amount, both ways.
  const WorkingCalendar cal({Make("2026-02-28", OverrideKind::kWorkingDay)});
  const minutes kAmounts[] = {minutes(1), minutes(29),   hours(1), minutes(270),
                              hours(8),   minutes(1000), hours(80)};
  for (sys_seconds s = Local("2026-02-09 00:00"); s < Local("2026-03-02 00:00"); s += minutes(17)) {
    for (minutes m : kAmounts) {
      const sys_seconds forward = cal.AddWorkingHours(s, m);
      ASSERT_GT(forward, s) << ShowLocal(s);
      ASSERT_EQ(cal.WorkingTimeBetween(s, forward), m) << ShowLocal(s) << " + " << m.count();
      ASSERT_EQ(cal.WorkingTimeBetween(forward, s), -m) << ShowLocal(s) << " + " << m.count();
      const sys_seconds backward = cal.AddWorkingHours(s, -m);
      ASSERT_LT(backward, s) << ShowLocal(s);
      ASSERT_EQ(cal.WorkingTimeBetween(backward, s), m) << ShowLocal(s) << " - " << m.count();
    }
  }
}

TEST(WorkingCalendar, ConcurrentReadersAndResets) {
  // Readers on several years while another thread resets the overrides: no crash, no torn
  // answer (each read agrees with one of the two calendars).
  WorkingCalendar cal;
  std::atomic<bool> stop{false};
  std::atomic<int> bad{0};
  std::vector<std::thread> readers;
  for (int t = 0; t < 3; ++t) {
    readers.emplace_back([&, t] {
      int year = 2020 + t;
      while (!stop) {
        const Date d{std::chrono::year(year), std::chrono::February, std::chrono::day(28)};
        (void)cal.IsWorkingDay(d);
        const Date next = cal.AddWorkingDays(D("2026-02-26"), 1);
        if (next != D("2026-02-27") && next != D("2026-03-02")) ++bad;
        year = year == 2030 ? 2020 : year + 1;
      }
    });
  }
  for (int i = 0; i < 200; ++i) {
    cal.Reset(i % 2 == 0 ? std::vector<Override>{Make("2026-02-27", OverrideKind::kDayOff)}
                         : std::vector<Override>{});
  }
  stop = true;
  for (auto& r : readers) r.join();
  EXPECT_EQ(bad, 0);
}

}  // namespace
}  // namespace tinhso::calendar
