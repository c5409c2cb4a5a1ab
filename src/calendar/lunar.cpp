#include "calendar/lunar.hpp"

#include <cmath>
#include <numbers>

namespace tinhso::calendar::lunar {
namespace {

using std::chrono::year_month_day;

constexpr double kPi = std::numbers::pi;
constexpr double kRadiansPerDegree = kPi / 180;
// The new moon of 1900-01-01 at 13:52 UT, as a Julian date: the k = 0 of NewMoon.
constexpr double kNewMoonEpoch = 2415021.076998695;
// The mean synodic month, in days.
constexpr double kSynodicMonth = 29.530588853;

// The algorithm works in INT(x) = the greatest integer ≤ x (Math.floor in its JavaScript).
std::int64_t Floor(double x) { return static_cast<std::int64_t>(std::floor(x)); }

// The index of the new moon at or before Julian date `jd` (approximately: callers check the
// neighbour).
int NewMoonIndex(double jd) {
  return static_cast<int>(Floor((jd - kNewMoonEpoch) / kSynodicMonth));
}

// The leap month's number for a 13-month interval whose leap month comes `offset` months after
// month 11: offset 1 → 11, 2 → 12, 3 → 1, …, 12 → 10.
int LeapMonthNumber(int offset) { return (offset + 9) % 12 + 1; }

}  // namespace

std::int64_t JdFromDate(year_month_day date) {
  const std::int64_t d = static_cast<unsigned>(date.day());
  const std::int64_t m = static_cast<unsigned>(date.month());
  const std::int64_t y = static_cast<int>(date.year());
  // Counted in years that start in March so that the leap day is the last day of the year.
  const std::int64_t a = (14 - m) / 12;
  const std::int64_t yy = y + 4800 - a;
  const std::int64_t mm = m + 12 * a - 3;
  return d + (153 * mm + 2) / 5 + 365 * yy + yy / 4 - yy / 100 + yy / 400 - 32045;
}

year_month_day JdToDate(std::int64_t jd) {
  const std::int64_t a = jd + 32044;
  const std::int64_t b = (4 * a + 3) / 146097;  // Gregorian 400-year cycles
  const std::int64_t c = a - (146097 * b) / 4;
  const std::int64_t d = (4 * c + 3) / 1461;  // 4-year cycles
  const std::int64_t e = c - (1461 * d) / 4;
  const std::int64_t m = (5 * e + 2) / 153;  // months counted from March
  const auto day = static_cast<unsigned>(e - (153 * m + 2) / 5 + 1);
  const auto month = static_cast<unsigned>(m + 3 - 12 * (m / 10));
  const auto year = static_cast<int>(b * 100 + d - 4800 + m / 10);
  return year_month_day{std::chrono::year(year), std::chrono::month(month), std::chrono::day(day)};
}

double NewMoon(int k) {
  // Meeus ch. 49, with the coefficients of the original: mean phase, then the largest
  // periodic terms (sun's anomaly M, moon's anomaly Mpr, moon's argument of latitude F).
  const double t = k / 1236.85;  // Julian centuries from 1900-01-01
  const double t2 = t * t;
  const double t3 = t2 * t;
  const double dr = kRadiansPerDegree;
  double jd1 = 2415020.75933 + 29.53058868 * k + 0.0001178 * t2 - 0.000000155 * t3;
  jd1 += 0.00033 * std::sin((166.56 + 132.87 * t - 0.009173 * t2) * dr);
  const double m = 359.2242 + 29.10535608 * k - 0.0000333 * t2 - 0.00000347 * t3;
  const double mpr = 306.0253 + 385.81691806 * k + 0.0107306 * t2 + 0.00001236 * t3;
  const double f = 21.2964 + 390.67050646 * k - 0.0016528 * t2 - 0.00000239 * t3;
  double c1 = (0.1734 - 0.000393 * t) * std::sin(m * dr) + 0.0021 * std::sin(2 * dr * m);
  c1 = c1 - 0.4068 * std::sin(mpr * dr) + 0.0161 * std::sin(dr * 2 * mpr);
  c1 = c1 - 0.0004 * std::sin(dr * 3 * mpr);
  c1 = c1 + 0.0104 * std::sin(dr * 2 * f) - 0.0051 * std::sin(dr * (m + mpr));
  c1 = c1 - 0.0074 * std::sin(dr * (m - mpr)) + 0.0004 * std::sin(dr * (2 * f + m));
  c1 = c1 - 0.0004 * std::sin(dr * (2 * f - m)) - 0.0006 * std::sin(dr * (2 * f + mpr));
  c1 = c1 + 0.0010 * std::sin(dr * (2 * f - mpr)) + 0.0005 * std::sin(dr * (2 * mpr + m));
  // ΔT (TT − UT) in days: the series above gives Terrestrial Time; calendars need UT.
  double delta_t = 0;
  if (t < -11) {
    delta_t = 0.001 + 0.000839 * t + 0.0002261 * t2 - 0.00000845 * t3 - 0.000000081 * t * t3;
  } else {
    delta_t = -0.000278 + 0.000265 * t + 0.000262 * t2;
  }
  return jd1 + c1 - delta_t;
}

double SunLongitude(double jd) {
  // Meeus ch. 25, low accuracy: mean longitude L0 plus the equation of centre. The original
  // stops here (geometric longitude): no −0.00569° − 0.00478° sin Ω for nutation and
  // aberration, and this must stay so to give the same months as the published tables.
  const double t = (jd - 2451545.0) / 36525;  // Julian centuries from J2000.0
  const double t2 = t * t;
  const double dr = kRadiansPerDegree;
  const double m = 357.52910 + 35999.05030 * t - 0.0001559 * t2 - 0.00000048 * t * t2;
  const double l0 = 280.46645 + 36000.76983 * t + 0.0003032 * t2;
  double dl = (1.914600 - 0.004817 * t - 0.000014 * t2) * std::sin(dr * m);
  dl = dl + (0.019993 - 0.000101 * t) * std::sin(dr * 2 * m) + 0.000290 * std::sin(dr * 3 * m);
  double l = (l0 + dl) * dr;
  l = l - kPi * 2 * static_cast<double>(Floor(l / (kPi * 2)));
  return l;
}

int SunLongitudeSector(std::int64_t day_number, double time_zone) {
  // Local midnight that starts the day: a Julian day number starts at noon UTC, hence −0.5.
  const double midnight = static_cast<double>(day_number) - 0.5 - time_zone / 24;
  return static_cast<int>(Floor(SunLongitude(midnight) / kPi * 6));
}

std::int64_t NewMoonDay(int k, double time_zone) {
  return Floor(NewMoon(k) + 0.5 + time_zone / 24);
}

std::int64_t LunarMonth11(int year, double time_zone) {
  const year_month_day dec31{std::chrono::year(year), std::chrono::December, std::chrono::day(31)};
  const double off = static_cast<double>(JdFromDate(dec31)) - 2415021;
  const int k = static_cast<int>(Floor(off / kSynodicMonth));
  std::int64_t nm = NewMoonDay(k, time_zone);
  // The new moon before 31 December starts month 11 unless the solstice comes after it (the
  // sun is then already past 270° at its start, sector ≥ 9): then it is the one before.
  if (SunLongitudeSector(nm, time_zone) >= 9) nm = NewMoonDay(k - 1, time_zone);
  return nm;
}

int LeapMonthOffset(std::int64_t a11, double time_zone) {
  const int k =
      static_cast<int>(Floor((static_cast<double>(a11) - kNewMoonEpoch) / kSynodicMonth + 0.5));
  // Walk the months after month 11 until one starts in the same sector as the next one: that
  // month contains no principal term.
  int i = 1;
  int arc = SunLongitudeSector(NewMoonDay(k + i, time_zone), time_zone);
  int last = 0;
  do {
    last = arc;
    ++i;
    arc = SunLongitudeSector(NewMoonDay(k + i, time_zone), time_zone);
  } while (arc != last && i < 14);
  return i - 1;
}

LunarDate SolarToLunar(year_month_day date, double time_zone) {
  const std::int64_t day_number = JdFromDate(date);
  // The month that contains the day starts at the last new moon on or before it. k is the
  // mean-phase estimate; the true new moon can be up to ~14 hours off the mean one, so when
  // both k + 1 and k start after the day, the month is k − 1. (The original checks only k + 1
  // and k, and answers "day 0" for such days: 2054-05-07 and 2062-04-09 at UTC+7 between 1900
  // and 2199, seven days at UTC+8.)
  const int k = NewMoonIndex(static_cast<double>(day_number));
  std::int64_t month_start = NewMoonDay(k + 1, time_zone);
  for (int back = 0; month_start > day_number; ++back) {
    month_start = NewMoonDay(k - back, time_zone);
  }

  const int yy = static_cast<int>(date.year());
  std::int64_t a11 = LunarMonth11(yy, time_zone);
  std::int64_t b11 = a11;
  LunarDate lunar;
  if (a11 >= month_start) {
    lunar.year = yy;
    a11 = LunarMonth11(yy - 1, time_zone);
  } else {
    lunar.year = yy + 1;
    b11 = LunarMonth11(yy + 1, time_zone);
  }
  lunar.day = static_cast<int>(day_number - month_start + 1);
  const int diff = static_cast<int>((month_start - a11) / 29);  // whole months since month 11
  lunar.month = diff + 11;
  if (b11 - a11 > 365) {  // 13 months in this interval
    const int leap_offset = LeapMonthOffset(a11, time_zone);
    if (diff >= leap_offset) {
      lunar.month = diff + 10;
      lunar.leap = diff == leap_offset;
    }
  }
  if (lunar.month > 12) lunar.month -= 12;
  // Months 11 and 12 (and a leap 11 or 12) belong to the lunar year that began the previous
  // winter.
  if (lunar.month >= 11 && diff < 4) lunar.year -= 1;
  return lunar;
}

std::optional<year_month_day> LunarToSolar(const LunarDate& lunar, double time_zone) {
  if (lunar.month < 1 || lunar.month > 12 || lunar.day < 1 || lunar.day > 30) {
    return std::nullopt;
  }
  std::int64_t a11 = 0;
  std::int64_t b11 = 0;
  if (lunar.month < 11) {
    a11 = LunarMonth11(lunar.year - 1, time_zone);
    b11 = LunarMonth11(lunar.year, time_zone);
  } else {
    a11 = LunarMonth11(lunar.year, time_zone);
    b11 = LunarMonth11(lunar.year + 1, time_zone);
  }
  int off = lunar.month - 11;  // months after month 11
  if (off < 0) off += 12;
  if (b11 - a11 > 365) {
    const int leap_offset = LeapMonthOffset(a11, time_zone);
    if (lunar.leap && lunar.month != LeapMonthNumber(leap_offset)) return std::nullopt;
    if (lunar.leap || off >= leap_offset) off += 1;
  } else if (lunar.leap) {
    return std::nullopt;  // a 12-month interval has no leap month
  }
  const int k =
      static_cast<int>(Floor(0.5 + (static_cast<double>(a11) - kNewMoonEpoch) / kSynodicMonth));
  const std::int64_t month_start = NewMoonDay(k + off, time_zone);
  const std::int64_t next_month_start = NewMoonDay(k + off + 1, time_zone);
  if (lunar.day > next_month_start - month_start) return std::nullopt;  // day 30 of a short month
  return JdToDate(month_start + lunar.day - 1);
}

int LeapMonth(int year, double time_zone) {
  // Leap months 1..10 of lunar year Y lie between month 11 of Y−1 and month 11 of Y; a leap 11
  // or 12 of Y lies after month 11 of Y.
  const std::int64_t before = LunarMonth11(year - 1, time_zone);
  const std::int64_t start = LunarMonth11(year, time_zone);
  const std::int64_t after = LunarMonth11(year + 1, time_zone);
  if (start - before > 365) {
    const int offset = LeapMonthOffset(before, time_zone);
    if (offset >= 3) return LeapMonthNumber(offset);
  }
  if (after - start > 365) {
    const int offset = LeapMonthOffset(start, time_zone);
    if (offset <= 2) return LeapMonthNumber(offset);
  }
  return 0;
}

year_month_day NewYear(int year, double time_zone) {
  // 1/1 of a non-leap month always exists.
  return *LunarToSolar(LunarDate{.day = 1, .month = 1, .year = year}, time_zone);
}

}  // namespace tinhso::calendar::lunar
