// The Vietnamese lunisolar calendar (âm lịch), computed with Hồ Ngọc Đức's algorithm
// ("Âm lịch Việt Nam", https://www.informatik.uni-leipzig.de/~duc/amlich/), which takes its
// astronomy from Jean Meeus, "Astronomical Algorithms" (1998): a truncated series for the new
// moon with ΔT, and the sun's true longitude without the nutation/aberration terms (the original
// leaves them out; adding them moves a few solar terms by minutes and changes some months).
//
// Rules, as the algorithm states them:
//   - a month starts on the local day (UTC+7 for Vietnam) that contains the new moon;
//   - month 11 is the month that contains the winter solstice (sun longitude 270°);
//   - when 13 new moons separate two month-11 starts, the first month after month 11 that
//     contains no principal term (trung khí) is the leap month and takes the previous number.
// The time zone is a parameter: UTC+8 gives the Chinese calendar, which differs in some years
// (Tết 1985, 2007, 2030).
//
// Pure functions, thread-safe. Dates are proleptic Gregorian; results are meant for
// 1900–2199, the range the published tables cover.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>

namespace tinhso::calendar::lunar {

inline constexpr double kVietnamTimeZone = 7.0;  // hours east of UTC
inline constexpr double kChinaTimeZone = 8.0;

/// The Julian day number of a Gregorian date (the day that starts at noon UTC on that date):
/// 2000-01-01 → 2451545. The original's jdFromDate.
std::int64_t JdFromDate(std::chrono::year_month_day date);

/// The Gregorian date of a Julian day number. The original's jdToDate.
std::chrono::year_month_day JdToDate(std::int64_t jd);

/// The moment of the k-th new moon after the one of 1900-01-01 (k may be negative), as a
/// Julian date in UT (fractional days from noon UTC, 4713 BC). The original's NewMoon.
double NewMoon(int k);

/// The sun's true geometric longitude at Julian date `jd` (UT), in radians in [0, 2π).
/// No nutation or aberration correction, as in the original's SunLongitude.
double SunLongitude(double jd);

/// Which 30° sector (0..11) the sun is in at the start of local day `day_number` (a Julian day
/// number) in time zone `time_zone`: sector 9 starts at the winter solstice. A month whose
/// start and end fall in the same sector contains no principal term.
int SunLongitudeSector(std::int64_t day_number, double time_zone);

/// The Julian day number of the local day that contains the k-th new moon. The original's
/// getNewMoonDay.
std::int64_t NewMoonDay(int k, double time_zone);

/// The Julian day number on which month 11 starts in the lunar year that contains the winter
/// solstice of Gregorian `year`. The original's getLunarMonth11.
std::int64_t LunarMonth11(int year, double time_zone);

/// For a lunar year with 13 months starting at month 11 on day `a11`: how many months after
/// month 11 the leap month comes (1 = the month right after month 11, which is then "leap 11").
/// The original's getLeapMonthOffset.
int LeapMonthOffset(std::int64_t a11, double time_zone);

struct LunarDate {
  int day = 1;    // 1..30
  int month = 1;  // 1..12
  int year = 0;   // the Gregorian year in which this lunar year's month 1 starts
  bool leap = false;
  bool operator==(const LunarDate&) const = default;
};

/// The lunar date of a Gregorian date. The original's convertSolar2Lunar.
LunarDate SolarToLunar(std::chrono::year_month_day date, double time_zone = kVietnamTimeZone);

/// The Gregorian date of a lunar date, or nullopt when it does not exist: a leap month that
/// year does not have, day 30 of a 29-day month, or fields out of range. The original's
/// convertLunar2Solar, plus those checks.
std::optional<std::chrono::year_month_day> LunarToSolar(const LunarDate& lunar,
                                                        double time_zone = kVietnamTimeZone);

/// The leap month of lunar year `year` (1..12), or 0 when the year has 12 months.
int LeapMonth(int year, double time_zone = kVietnamTimeZone);

/// Tết Nguyên đán: the Gregorian date of 1/1 of lunar year `year`.
std::chrono::year_month_day NewYear(int year, double time_zone = kVietnamTimeZone);

}  // namespace tinhso::calendar::lunar
