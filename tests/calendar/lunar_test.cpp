#include "calendar/lunar.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <numbers>
#include <string>
#include <string_view>

#include "core/parse.hpp"

namespace tinhso::calendar::lunar {
namespace {

using std::chrono::sys_days;
using std::chrono::year_month_day;

year_month_day D(std::string_view text) {
  auto d = core::ParseDate(text);
  EXPECT_TRUE(d.has_value()) << text;
  return d.value_or(year_month_day{});
}

std::string S(year_month_day d) { return core::FormatDate(d); }

// A Julian date (UT) from a UTC date and time, computed independently of JdFromDate: the Unix
// epoch 1970-01-01T00:00Z is JD 2440587.5.
double JulianDate(std::string_view date, int hour, int minute) {
  const double days_since_epoch = sys_days{D(date)}.time_since_epoch().count();
  return 2440587.5 + days_since_epoch + (hour + minute / 60.0) / 24.0;
}

TEST(JulianDay, KnownDays) {
  struct Case {
    std::string_view date;
    std::int64_t jd;
    std::string_view why;
  };
  const Case kCases[] = {
      {"2000-01-01", 2451545, "J2000.0 is noon of this day"},
      {"1970-01-01", 2440588, "the Unix epoch day"},
      {"1900-01-01", 2415021, "the day of NewMoon(0)"},
      {"1582-10-15", 2299161, "the first Gregorian day"},
      {"2026-02-17", 2461089, "Tết 2026"},
  };
  for (const Case& c : kCases) {
    EXPECT_EQ(JdFromDate(D(c.date)), c.jd) << c.why;
    EXPECT_EQ(S(JdToDate(c.jd)), c.date) << c.why;
  }
}

TEST(JulianDay, RoundTripsEveryDayFrom1800To2400) {
  std::int64_t expected = JdFromDate(D("1800-01-01"));
  for (sys_days d = sys_days{D("1800-01-01")}; d <= sys_days{D("2400-12-31")};
       d += std::chrono::days(1)) {
    const year_month_day ymd{d};
    ASSERT_EQ(JdFromDate(ymd), expected) << S(ymd);
    ASSERT_EQ(JdToDate(expected), ymd) << S(ymd);
    ++expected;
  }
}

TEST(NewMoon, MatchesObservedNewMoons) {
  // New moons of well-known solar eclipses (a solar eclipse happens at new moon), UT, from
  // the published eclipse circumstances; the series is accurate to a few minutes.
  struct Case {
    std::string_view date;
    int hour;
    int minute;
    std::string_view why;
  };
  const Case kCases[] = {
      {"2027-02-06", 15, 59, "annular eclipse; the new moon that starts Tết 2027 (domain.md §6)"},
      {"2024-04-08", 18, 21, "total eclipse over North America"},
      {"2017-08-21", 18, 30, "total eclipse over the United States"},
      {"1999-08-11", 11, 8, "total eclipse over Europe"},
  };
  for (const Case& c : kCases) {
    const double jd = JulianDate(c.date, c.hour, c.minute);
    const int k = static_cast<int>(std::lround((jd - 2415021.076998695) / 29.530588853));
    EXPECT_NEAR(NewMoon(k), jd, 15.0 / 1440) << c.why;  // within 15 minutes
  }
}

TEST(SunLongitude, EquinoxesAndSolstices) {
  // Instants from the published equinox/solstice tables (UT). The longitude has no
  // nutation/aberration term, which shifts it by about 0.006°–0.01° from the apparent one.
  struct Case {
    std::string_view date;
    int hour;
    int minute;
    double degrees;
  };
  const Case kCases[] = {
      {"2024-03-20", 3, 6, 0},     // March equinox
      {"2024-06-20", 20, 51, 90},  // June solstice
      {"2024-09-22", 12, 44, 180},
      {"2024-12-21", 9, 20, 270},  // the winter solstice: month 11 must contain it
  };
  for (const Case& c : kCases) {
    double got = SunLongitude(JulianDate(c.date, c.hour, c.minute)) * 180 / std::numbers::pi;
    if (c.degrees == 0 && got > 180) got -= 360;
    EXPECT_NEAR(got, c.degrees, 0.03) << c.date;
  }
}

TEST(SunLongitude, IsNormalised) {
  for (double jd = 2415021; jd < 2524000; jd += 7.3) {
    const double l = SunLongitude(jd);
    ASSERT_GE(l, 0) << jd;
    ASSERT_LT(l, 2 * std::numbers::pi) << jd;
  }
}

TEST(NewYear, TetDatesInVietnamAndChina) {
  struct Case {
    int year;
    std::string_view vietnam;  // UTC+7
    std::string_view china;    // UTC+8
  };
  const Case kCases[] = {
      // domain.md §6: the table and the two test vectors of the UTC+7/UTC+8 difference.
      {1985, "1985-01-21", "1985-02-20"},
      {2007, "2007-02-17", "2007-02-18"},
      {2020, "2020-01-25", "2020-01-25"},
      {2023, "2023-01-22", "2023-01-22"},
      {2024, "2024-02-10", "2024-02-10"},
      {2025, "2025-01-29", "2025-01-29"},
      {2026, "2026-02-17", "2026-02-17"},
      {2027, "2027-02-06", "2027-02-06"},
      {2028, "2028-01-26", "2028-01-26"},
      {2029, "2029-02-13", "2029-02-13"},
      {2030, "2030-02-02", "2030-02-03"},
      {2031, "2031-01-23", "2031-01-23"},
      {2032, "2032-02-11", "2032-02-11"},
      {2033, "2033-01-31", "2033-01-31"},
      {2034, "2034-02-19", "2034-02-19"},
      {2035, "2035-02-08", "2035-02-08"},
      // Tết Mậu Thân 1968: the North, on the new UTC+7 calendar, celebrated a day before the
      // South, which still used UTC+8.
      {1968, "1968-01-29", "1968-01-30"},
      // Widely published Tết dates of recent years.
      {2015, "2015-02-19", "2015-02-19"},
      {2016, "2016-02-08", "2016-02-08"},
      {2017, "2017-01-28", "2017-01-28"},
      {2018, "2018-02-16", "2018-02-16"},
      {2019, "2019-02-05", "2019-02-05"},
      {2021, "2021-02-12", "2021-02-12"},
      {2022, "2022-02-01", "2022-02-01"},
  };
  for (const Case& c : kCases) {
    EXPECT_EQ(S(NewYear(c.year, kVietnamTimeZone)), c.vietnam) << c.year;
    EXPECT_EQ(S(NewYear(c.year, kChinaTimeZone)), c.china) << c.year;
    EXPECT_EQ(SolarToLunar(D(c.vietnam)), (LunarDate{1, 1, c.year, false})) << c.year;
  }
}

TEST(LunarToSolar, HungKingsDay) {
  // 10/3 âm lịch, domain.md §6 (and 2019, 2021–2023 as they were observed).
  struct Case {
    int year;
    std::string_view date;
  };
  const Case kCases[] = {
      {2019, "2019-04-14"}, {2021, "2021-04-21"}, {2022, "2022-04-10"}, {2023, "2023-04-29"},
      {2024, "2024-04-18"}, {2025, "2025-04-07"}, {2026, "2026-04-26"}, {2027, "2027-04-16"},
      {2028, "2028-04-04"}, {2029, "2029-04-23"}, {2030, "2030-04-12"}, {2031, "2031-04-01"},
      {2032, "2032-04-19"}, {2033, "2033-04-09"}, {2034, "2034-04-28"}, {2035, "2035-04-17"},
  };
  for (const Case& c : kCases) {
    auto d = LunarToSolar({.day = 10, .month = 3, .year = c.year});
    ASSERT_TRUE(d.has_value()) << c.year;
    EXPECT_EQ(S(*d), c.date) << c.year;
  }
}

TEST(LeapMonth, KnownYears) {
  struct Case {
    int year;
    int leap;
  };
  const Case kCases[] = {
      // domain.md §6, 2024–2035, including the leap 11 of 2033.
      {2024, 0},
      {2025, 6},
      {2026, 0},
      {2027, 0},
      {2028, 5},
      {2029, 0},
      {2030, 0},
      {2031, 3},
      {2032, 0},
      {2033, 11},
      {2034, 0},
      {2035, 0},
      // Widely published leap months of earlier years (năm nhuận âm lịch).
      {2001, 4},
      {2004, 2},
      {2006, 7},
      {2009, 5},
      {2012, 4},
      {2014, 9},
      {2017, 6},
      {2020, 4},
      {2023, 2},
  };
  for (const Case& c : kCases) {
    EXPECT_EQ(LeapMonth(c.year), c.leap) << c.year;
  }
}

TEST(LeapMonth, LeapMonthsExistOnlyWhereTheyAre) {
  // 2025 has a leap 6: it exists, follows month 6, and converts back with leap = true.
  auto m6 = LunarToSolar({.day = 1, .month = 6, .year = 2025});
  auto leap6 = LunarToSolar({.day = 1, .month = 6, .year = 2025, .leap = true});
  auto m7 = LunarToSolar({.day = 1, .month = 7, .year = 2025});
  ASSERT_TRUE(m6 && leap6 && m7);
  EXPECT_LT(sys_days{*m6}, sys_days{*leap6});
  EXPECT_LT(sys_days{*leap6}, sys_days{*m7});
  EXPECT_TRUE(SolarToLunar(*leap6).leap);
  EXPECT_EQ(SolarToLunar(*leap6).month, 6);

  // The "2033 problem": the leap month is 11, at the very end of lunar year 2033.
  auto m11 = LunarToSolar({.day = 1, .month = 11, .year = 2033});
  auto leap11 = LunarToSolar({.day = 1, .month = 11, .year = 2033, .leap = true});
  auto m12 = LunarToSolar({.day = 1, .month = 12, .year = 2033});
  ASSERT_TRUE(m11 && leap11 && m12);
  EXPECT_LT(sys_days{*m11}, sys_days{*leap11});
  EXPECT_LT(sys_days{*leap11}, sys_days{*m12});
  EXPECT_EQ(SolarToLunar(*leap11), (LunarDate{1, 11, 2033, true}));

  EXPECT_FALSE(LunarToSolar({.day = 1, .month = 5, .year = 2025, .leap = true}));
  EXPECT_FALSE(LunarToSolar({.day = 1, .month = 4, .year = 2026, .leap = true}));
}

TEST(LunarToSolar, RejectsDaysThatDoNotExist) {
  // Tết 2025 and Tết 2026 both came after a 29-day month 12 ("no 30 Tết" those years):
  // the last day of the year was 29 tháng Chạp, the day before 1/1.
  EXPECT_EQ(S(*LunarToSolar({.day = 29, .month = 12, .year = 2024})), "2025-01-28");
  EXPECT_FALSE(LunarToSolar({.day = 30, .month = 12, .year = 2024}));
  EXPECT_EQ(S(*LunarToSolar({.day = 29, .month = 12, .year = 2025})), "2026-02-16");
  EXPECT_FALSE(LunarToSolar({.day = 30, .month = 12, .year = 2025}));

  EXPECT_FALSE(LunarToSolar({.day = 0, .month = 1, .year = 2026}));
  EXPECT_FALSE(LunarToSolar({.day = 31, .month = 1, .year = 2026}));
  EXPECT_FALSE(LunarToSolar({.day = 1, .month = 0, .year = 2026}));
  EXPECT_FALSE(LunarToSolar({.day = 1, .month = 13, .year = 2026}));
}

TEST(SolarToLunar, DayBeforeALateNewMoon) {
  // The mean new moon falls on these days but the true one comes the next day: the day is the
  // last of its month, not "day 0" (the original algorithm's answer).
  for (std::string_view day : {"2054-05-07", "2062-04-09"}) {
    const LunarDate l = SolarToLunar(D(day));
    EXPECT_TRUE(l.day == 29 || l.day == 30) << day << ": " << l.day;
    const year_month_day next{sys_days{D(day)} + std::chrono::days(1)};
    EXPECT_EQ(SolarToLunar(next).day, 1) << day;
  }
}

// Every day from 1900 to 2199, in both time zones: solar → lunar → solar is the identity, and
// the lunar dates run as a calendar must: day + 1 within a month, months of 29 or 30 days,
// 12 or 13 months a year, a leap month only right after its ordinary namesake.
void CheckCalendarStructure(double time_zone) {
  LunarDate previous = SolarToLunar(D("1899-12-31"), time_zone);
  int months_in_year = 0;
  for (sys_days d = sys_days{D("1900-01-01")}; d <= sys_days{D("2199-12-31")};
       d += std::chrono::days(1)) {
    const year_month_day ymd{d};
    const LunarDate l = SolarToLunar(ymd, time_zone);
    const auto back = LunarToSolar(l, time_zone);
    ASSERT_TRUE(back.has_value()) << S(ymd);
    ASSERT_EQ(*back, ymd) << S(ymd);
    if (l.day != 1) {
      ASSERT_EQ(l.day, previous.day + 1) << S(ymd);
      ASSERT_EQ(l.month, previous.month) << S(ymd);
      ASSERT_EQ(l.leap, previous.leap) << S(ymd);
      ASSERT_EQ(l.year, previous.year) << S(ymd);
      previous = l;
      continue;
    }
    ASSERT_TRUE(previous.day == 29 || previous.day == 30) << S(ymd);
    if (l.leap) {
      ASSERT_EQ(l.month, previous.month) << S(ymd);
      ASSERT_FALSE(previous.leap) << S(ymd);
      ASSERT_EQ(LeapMonth(l.year, time_zone), l.month) << S(ymd);
    } else {
      ASSERT_EQ(l.month, previous.month % 12 + 1) << S(ymd);
    }
    ++months_in_year;
    if (l.month == 1 && !l.leap) {
      ASSERT_EQ(l.year, previous.year + 1) << S(ymd);
      if (previous.year >= 1900) {
        ASSERT_TRUE(months_in_year == 12 || months_in_year == 13) << S(ymd);
        ASSERT_EQ(months_in_year == 13, LeapMonth(previous.year, time_zone) != 0) << S(ymd);
      }
      months_in_year = 0;
    }
    previous = l;
  }
}

TEST(SolarToLunar, RoundTripsAndStructureFrom1900To2199Vietnam) {
  CheckCalendarStructure(kVietnamTimeZone);
}

TEST(SolarToLunar, RoundTripsAndStructureFrom1900To2199China) {
  CheckCalendarStructure(kChinaTimeZone);
}

}  // namespace
}  // namespace tinhso::calendar::lunar
