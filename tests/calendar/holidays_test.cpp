#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "calendar/calendar.hpp"
#include "core/parse.hpp"

namespace tinhso::calendar {
namespace {

Date D(std::string_view text) {
  auto d = core::ParseDate(text);
  EXPECT_TRUE(d.has_value()) << text;
  return d.value_or(Date{});
}

// "2026-04-27 compensatory" lines: compact to compare, easy to read in a failure message.
std::vector<std::string> Lines(const std::vector<Day>& days) {
  std::vector<std::string> out;
  for (const Day& d : days) {
    out.push_back(core::FormatDate(d.date) + " " + std::string(DayKindName(d.kind)));
  }
  return out;
}

Override Make(std::string_view date, OverrideKind kind, std::string name_vi = {},
              std::string name_en = {}) {
  return Override{D(date), kind, std::move(name_vi), std::move(name_en), {}};
}

TEST(DayKind, NamesRoundTrip) {
  for (DayKind k : {DayKind::kHoliday, DayKind::kTet, DayKind::kCompensatory, DayKind::kDayOff,
                    DayKind::kWorkingDay}) {
    EXPECT_EQ(ParseDayKind(DayKindName(k)), k);
  }
  for (OverrideKind k : {OverrideKind::kHoliday, OverrideKind::kTet, OverrideKind::kCompensatory,
                         OverrideKind::kDayOff, OverrideKind::kWorkingDay, OverrideKind::kRemove}) {
    EXPECT_EQ(ParseOverrideKind(OverrideKindName(k)), k);
  }
  EXPECT_EQ(OverrideKindName(OverrideKind::kRemove), "remove");
  EXPECT_EQ(OverrideKindName(OverrideKind::kWorkingDay), "working_day");
  EXPECT_FALSE(ParseOverrideKind("Holiday"));
  EXPECT_FALSE(ParseOverrideKind("nghi_le"));
  EXPECT_FALSE(ParseDayKind("remove"));  // a day is never "remove"
}

// Labour Code 2019 art. 112.1 applied to 2026 by hand: 1/1 Thursday; Tết 1/1 âm lịch = Tue
// 17/2 (domain.md §6), so the last day of the year (29 tháng Chạp) is Mon 16/2 and the five
// days are 16–20/2; Giỗ Tổ 10/3 âm lịch = Sun 26/4; 30/4 Thursday; 1/5 Friday; 2/9 is a
// Wednesday, joined by 3/9 under the default rule.
TEST(DefaultHolidays, Year2026) {
  EXPECT_EQ(Lines(DefaultHolidays(2026)), (std::vector<std::string>{
                                              "2026-01-01 holiday",
                                              "2026-02-16 tet",
                                              "2026-02-17 tet",
                                              "2026-02-18 tet",
                                              "2026-02-19 tet",
                                              "2026-02-20 tet",
                                              "2026-04-26 holiday",
                                              "2026-04-30 holiday",
                                              "2026-05-01 holiday",
                                              "2026-09-02 holiday",
                                              "2026-09-03 holiday",
                                          }));
}

// The 2026 default calendar: the statutory days plus Monday 27/4, made up for Giỗ Tổ on a
// Sunday (art. 111.3). No other holiday falls on a weekend in 2026.
TEST(BuildYear, Year2026Listed) {
  const YearCalendar y = BuildYear(2026, {});
  EXPECT_EQ(y.year, 2026);
  struct Expected {
    std::string_view date;
    DayKind kind;
    std::string_view name_vi;
    std::string_view name_en;
  };
  const Expected kDays[] = {
      {"2026-01-01", DayKind::kHoliday, "Tết Dương lịch", "New Year's Day"},
      {"2026-02-16", DayKind::kTet, "Tết Âm lịch", "Lunar New Year (Tết)"},
      {"2026-02-17", DayKind::kTet, "Tết Âm lịch", "Lunar New Year (Tết)"},
      {"2026-02-18", DayKind::kTet, "Tết Âm lịch", "Lunar New Year (Tết)"},
      {"2026-02-19", DayKind::kTet, "Tết Âm lịch", "Lunar New Year (Tết)"},
      {"2026-02-20", DayKind::kTet, "Tết Âm lịch", "Lunar New Year (Tết)"},
      {"2026-04-26", DayKind::kHoliday, "Giỗ Tổ Hùng Vương", "Hung Kings Commemoration Day"},
      {"2026-04-27", DayKind::kCompensatory, "Nghỉ bù Giỗ Tổ Hùng Vương",
       "Compensatory day off for Hung Kings Commemoration Day"},
      {"2026-04-30", DayKind::kHoliday, "Ngày Chiến thắng", "Reunification Day"},
      {"2026-05-01", DayKind::kHoliday, "Ngày Quốc tế lao động", "International Labour Day"},
      {"2026-09-02", DayKind::kHoliday, "Quốc khánh", "National Day"},
      {"2026-09-03", DayKind::kHoliday, "Quốc khánh (ngày nghỉ liền kề)",
       "National Day (adjacent day off)"},
  };
  ASSERT_EQ(y.days.size(), std::size(kDays));
  for (std::size_t i = 0; i < y.days.size(); ++i) {
    EXPECT_EQ(core::FormatDate(y.days[i].date), kDays[i].date);
    EXPECT_EQ(y.days[i].kind, kDays[i].kind) << kDays[i].date;
    EXPECT_EQ(y.days[i].name_vi, kDays[i].name_vi) << kDays[i].date;
    EXPECT_EQ(y.days[i].name_en, kDays[i].name_en) << kDays[i].date;
  }
  ASSERT_NE(y.Find(D("2026-04-27")), nullptr);
  EXPECT_EQ(y.Find(D("2026-04-27"))->kind, DayKind::kCompensatory);
  EXPECT_EQ(y.Find(D("2026-04-28")), nullptr);
}

TEST(BuildYear, CompensatoryDays) {
  struct Case {
    int year;
    std::vector<std::string> compensatory;
    std::string_view why;
  };
  const Case kCases[] = {
      {2022,
       {"2022-01-03", "2022-04-11", "2022-05-02", "2022-05-03"},
       "1/1 Sat → Mon 3/1; Giỗ Tổ Sun 10/4 → Mon 11/4; 30/4 Sat and 1/5 Sun → Mon 2/5 and "
       "Tue 3/5 (as the 2022 notice did)"},
      {2023,
       {"2023-01-02", "2023-01-26", "2023-01-27", "2023-05-02", "2023-05-03", "2023-09-04"},
       "1/1 Sun → Mon 2/1; Tết 21–25/1 has Sat 21 and Sun 22 → Thu 26 and Fri 27; Giỗ Tổ Sat "
       "29/4 and 30/4 Sun with 1/5 Mon a holiday → Tue 2/5 and Wed 3/5; Sat 2/9 (joined by Fri "
       "1/9) → Mon 4/9 (the 2023 notices gave 29/4–3/5 and 1–4/9)"},
      {2024,
       {"2024-02-14", "2024-02-15"},
       "Tết 9–13/2 has Sat 10 and Sun 11 → Wed 14 and Thu 15, after the Tết days"},
      {2026, {"2026-04-27"}, "Giỗ Tổ Sun 26/4 → Mon 27/4"},
      {2027,
       {"2027-02-10", "2027-02-11", "2027-05-03"},
       "Tết 5–9/2 has Sat 6 and Sun 7 → Wed 10 and Thu 11; 1/5 Sat → Mon 3/5"},
      {2029, {"2029-09-04"}, "Sun 2/9 joined by Mon 3/9 → Tue 4/9"},
  };
  for (const Case& c : kCases) {
    std::vector<std::string> got;
    for (const Day& d : BuildYear(c.year, {}).days) {
      if (d.kind == DayKind::kCompensatory) got.push_back(core::FormatDate(d.date));
    }
    EXPECT_EQ(got, c.compensatory) << c.why;
  }
}

TEST(DefaultHolidays, NationalDayCompanion) {
  struct Case {
    int year;
    NationalDayRule rule;
    std::string_view companion;
    std::string_view why;
  };
  const Case kCases[] = {
      {2024, NationalDayRule::kJoinWeekend, "2024-09-03", "2/9 Monday → Tuesday 3/9"},
      {2025, NationalDayRule::kJoinWeekend, "2025-09-01", "2/9 Tuesday → Monday 1/9"},
      {2026, NationalDayRule::kJoinWeekend, "2026-09-03", "2/9 Wednesday → 3/9 (a guess)"},
      {2027, NationalDayRule::kJoinWeekend, "2027-09-03", "2/9 Thursday → Friday 3/9"},
      {2022, NationalDayRule::kJoinWeekend, "2022-09-01", "2/9 Friday → Thursday 1/9"},
      {2023, NationalDayRule::kJoinWeekend, "2023-09-01", "2/9 Saturday → Friday 1/9"},
      {2029, NationalDayRule::kJoinWeekend, "2029-09-03", "2/9 Sunday → Monday 3/9"},
      {2026, NationalDayRule::kDayBefore, "2026-09-01", "always 1/9"},
      {2024, NationalDayRule::kDayBefore, "2024-09-01", "always 1/9, even a Sunday"},
      {2025, NationalDayRule::kDayAfter, "2025-09-03", "always 3/9"},
  };
  for (const Case& c : kCases) {
    HolidayRules rules;
    rules.national_day = c.rule;
    std::vector<std::string> september;
    for (const Day& d : DefaultHolidays(c.year, rules)) {
      if (d.date.month() == std::chrono::September && d.date.day() != std::chrono::day(2)) {
        september.push_back(core::FormatDate(d.date));
      }
    }
    EXPECT_EQ(september, std::vector<std::string>{std::string(c.companion)}) << c.why;
  }
}

TEST(DefaultHolidays, TetChoiceIsAParameter) {
  // NĐ 145/2020's other choice: 2 days before lunar New Year's Day and 3 after. In 2026 that is
  // Sun 15/2 to Thu 19/2; Sunday 15/2 is then made up on Friday 20/2.
  HolidayRules rules;
  rules.tet_days_before_new_year = 2;
  std::vector<std::string> tet;
  for (const Day& d : DefaultHolidays(2026, rules)) {
    if (d.kind == DayKind::kTet) tet.push_back(core::FormatDate(d.date));
  }
  EXPECT_EQ(tet, (std::vector<std::string>{"2026-02-15", "2026-02-16", "2026-02-17", "2026-02-18",
                                           "2026-02-19"}));
  const YearCalendar y = BuildYear(2026, {}, rules);
  const Day* friday = y.Find(D("2026-02-20"));
  ASSERT_NE(friday, nullptr);
  EXPECT_EQ(friday->kind, DayKind::kCompensatory);
  EXPECT_EQ(friday->name_en, "Compensatory day off for Lunar New Year (Tết)");
}

TEST(DefaultHolidays, LunarTimeZoneIsAParameter) {
  // 2030: Tết is Sat 2/2 at UTC+7 but Sun 3/2 at UTC+8 (domain.md §6).
  HolidayRules china;
  china.lunar_time_zone = 8;
  const YearCalendar vietnam = BuildYear(2030, {});
  const YearCalendar chinese = BuildYear(2030, {}, china);
  ASSERT_NE(vietnam.Find(D("2030-02-01")), nullptr);  // Friday, the last day of the year
  EXPECT_EQ(vietnam.Find(D("2030-02-01"))->kind, DayKind::kTet);
  EXPECT_EQ(chinese.Find(D("2030-02-01")), nullptr);
  ASSERT_NE(chinese.Find(D("2030-02-06")), nullptr);
  EXPECT_EQ(chinese.Find(D("2030-02-06"))->kind, DayKind::kTet);
  EXPECT_EQ(vietnam.Find(D("2030-02-06"))->kind, DayKind::kCompensatory);
}

TEST(BuildYear, Overrides) {
  struct Case {
    std::vector<Override> overrides;
    std::vector<std::string> changed;  // the lines of the 2026 calendar that differ from default
    std::string_view why;
  };
  const auto diff = [](const YearCalendar& y) {
    const std::vector<std::string> base = Lines(BuildYear(2026, {}).days);
    std::vector<std::string> out;
    for (const std::string& line : Lines(y.days)) {
      if (std::find(base.begin(), base.end(), line) == base.end()) out.push_back("+" + line);
    }
    const std::vector<std::string> now = Lines(y.days);
    for (const std::string& line : base) {
      if (std::find(now.begin(), now.end(), line) == now.end()) out.push_back("-" + line);
    }
    return out;
  };
  const Case kCases[] = {
      {{Make("2026-02-13", OverrideKind::kDayOff), Make("2026-02-28", OverrideKind::kWorkingDay)},
       {"+2026-02-13 day_off", "+2026-02-28 working_day"},
       "a swap: Friday before Tết off, Saturday 28/2 worked instead"},
      {{Make("2026-09-03", OverrideKind::kRemove),
        Make("2026-09-01", OverrideKind::kHoliday, "Quốc khánh")},
       {"+2026-09-01 holiday", "-2026-09-03 holiday"},
       "the Prime Minister picks 1/9 instead of the default 3/9"},
      {{Make("2026-04-27", OverrideKind::kRemove)},
       {"-2026-04-27 compensatory"},
       "removing a computed compensatory day cancels it; it does not move"},
      {{Make("2026-04-27", OverrideKind::kWorkingDay)},
       {"+2026-04-27 working_day", "-2026-04-27 compensatory"},
       "working_day on a compensatory day wins"},
      {{Make("2026-04-27", OverrideKind::kDayOff)},
       {"+2026-04-27 day_off", "+2026-04-28 compensatory", "-2026-04-27 compensatory"},
       "an extra day off on the Monday pushes the compensatory day to Tuesday"},
      {{Make("2026-04-26", OverrideKind::kRemove)},
       {"-2026-04-26 holiday", "-2026-04-27 compensatory"},
       "removing the Sunday holiday removes the day made up for it"},
      {{Make("2026-04-26", OverrideKind::kDayOff)},
       {"+2026-04-26 day_off", "-2026-04-26 holiday", "-2026-04-27 compensatory"},
       "a weekend day_off is not a holiday: nothing to make up"},
      {{Make("2026-11-21", OverrideKind::kHoliday, "Ngày lễ thử")},
       {"+2026-11-21 holiday", "+2026-11-23 compensatory"},
       "a holiday decided on a Saturday is made up on Monday"},
      {{Make("2026-03-07", OverrideKind::kTet)},
       {"+2026-03-07 tet", "+2026-03-09 compensatory"},
       "Tết days too"},
      {{Make("2026-05-04", OverrideKind::kCompensatory, "Nghỉ bù")},
       {"+2026-05-04 compensatory"},
       "a compensatory day placed by decision"},
      {{Make("2025-04-28", OverrideKind::kDayOff), Make("2027-01-04", OverrideKind::kDayOff)},
       {},
       "overrides of other years are ignored"},
      {{Make("2026-02-13", OverrideKind::kDayOff), Make("2026-02-13", OverrideKind::kWorkingDay)},
       {"+2026-02-13 working_day"},
       "two overrides on one date: the later one wins"},
  };
  for (const Case& c : kCases) {
    const YearCalendar y = BuildYear(2026, c.overrides);
    std::vector<std::string> got = diff(y);
    std::sort(got.begin(), got.end());
    std::vector<std::string> want = c.changed;
    std::sort(want.begin(), want.end());
    EXPECT_EQ(got, want) << c.why;
  }
}

TEST(BuildYear, OverrideNamesAndNotes) {
  Override o = Make("2026-02-28", OverrideKind::kWorkingDay);
  o.note = "  Thông báo số 123/TB-BNV  ";
  const YearCalendar y = BuildYear(2026, std::vector<Override>{o});
  const Day* d = y.Find(D("2026-02-28"));
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->name_vi, "Ngày làm bù");
  EXPECT_EQ(d->name_en, "Make-up working day");
  EXPECT_EQ(d->note, "Thông báo số 123/TB-BNV");
}

TEST(BuildYear, RemovingWeekendTetDaysCancelsTheirCompensation) {
  // 2024 by decision: the weekend Tết days 10–11/2 taken out, so no day is made up for them.
  const std::vector<Override> o = {Make("2024-02-10", OverrideKind::kRemove),
                                   Make("2024-02-11", OverrideKind::kRemove)};
  std::vector<std::string> got = Lines(BuildYear(2024, o).days);
  std::vector<std::string> feb;
  for (const auto& line : got) {
    if (line.starts_with("2024-02")) feb.push_back(line);
  }
  EXPECT_EQ(feb, (std::vector<std::string>{"2024-02-09 tet", "2024-02-12 tet", "2024-02-13 tet"}));
}

TEST(CheckOverrideHasEffect, RejectsNoOps) {
  struct Case {
    Override o;
    bool ok;
    std::string_view why;
  };
  const Case kCases[] = {
      {Make("2026-09-03", OverrideKind::kRemove), true, "a default holiday"},
      {Make("2026-04-27", OverrideKind::kRemove), true, "a computed compensatory day"},
      {Make("2026-09-04", OverrideKind::kRemove), false, "nothing on a plain Friday"},
      {Make("2026-02-28", OverrideKind::kWorkingDay), true, "a Saturday"},
      {Make("2026-02-16", OverrideKind::kWorkingDay), true, "a Tết day"},
      {Make("2026-03-02", OverrideKind::kWorkingDay), false, "a Monday is already worked"},
      {Make("2026-03-02", OverrideKind::kDayOff), true, "days off can always be added"},
  };
  for (const Case& c : kCases) {
    auto r = CheckOverrideHasEffect(c.o, {});
    EXPECT_EQ(r.ok(), c.ok) << c.why;
    if (!r.ok()) {
      EXPECT_EQ(r.error().code, ErrorCode::kFailedPrecondition);
    }
  }
  // The other overrides of the year count, except one on the same date (being replaced).
  const std::vector<Override> others = {Make("2026-03-06", OverrideKind::kDayOff),
                                        Make("2026-09-04", OverrideKind::kDayOff)};
  EXPECT_TRUE(CheckOverrideHasEffect(Make("2026-03-06", OverrideKind::kWorkingDay), others).ok() ==
              false);
  EXPECT_TRUE(CheckOverrideHasEffect(Make("2026-09-04", OverrideKind::kRemove), others).ok() ==
              false);
  const std::vector<Override> swapped = {Make("2026-03-07", OverrideKind::kWorkingDay)};
  EXPECT_TRUE(CheckOverrideHasEffect(Make("2026-03-07", OverrideKind::kWorkingDay), swapped).ok());
}

TEST(ValidateOverride, ChecksDateAndText) {
  EXPECT_TRUE(ValidateOverride(Make("2026-02-13", OverrideKind::kDayOff, "Nghỉ", "Off")).ok());
  struct Case {
    Override o;
    std::string_view reason;
  };
  Override bad_date = Make("2026-02-13", OverrideKind::kDayOff);
  bad_date.date = Date{std::chrono::year(2026), std::chrono::February, std::chrono::day(30)};
  Override long_note = Make("2026-02-13", OverrideKind::kDayOff);
  long_note.note = std::string(1001, 'x');
  const Case kCases[] = {
      {bad_date, "calendar.bad_date"},
      {Make("1899-12-31", OverrideKind::kDayOff), "calendar.bad_date"},
      {Make("2200-01-01", OverrideKind::kDayOff), "calendar.bad_date"},
      {Make("2026-02-13", OverrideKind::kDayOff, "Ngh\xE1\xBB"), "calendar.bad_text"},
      {Make("2026-02-13", OverrideKind::kDayOff, "", std::string(201, 'a')),
       "calendar.text_too_long"},
      {long_note, "calendar.text_too_long"},
  };
  for (const Case& c : kCases) {
    auto r = ValidateOverride(c.o);
    ASSERT_FALSE(r.ok()) << c.reason;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(r.error().reason, c.reason);
    EXPECT_FALSE(r.error().message_vi.empty());
    EXPECT_FALSE(r.error().message_en.empty());
  }
  // 200 Vietnamese letters are 200 characters, not 400+ bytes.
  std::string vietnamese;
  for (int i = 0; i < 200; ++i) vietnamese += "ệ";
  EXPECT_TRUE(ValidateOverride(Make("2026-02-13", OverrideKind::kDayOff, vietnamese)).ok());
}

TEST(Normalize, FillsDefaultNamesAndComposes) {
  const Override o = Normalize(Make("2026-02-13", OverrideKind::kDayOff, "  Nghi\xCC\x89 ", ""));
  EXPECT_EQ(o.name_vi, "Nghỉ");  // NFD "i + hook above" composed, spaces trimmed
  EXPECT_EQ(o.name_en, "Day off");
  EXPECT_EQ(Normalize(Make("2026-02-13", OverrideKind::kTet)).name_en, "Lunar New Year (Tết)");
  EXPECT_EQ(Normalize(Make("2026-02-13", OverrideKind::kCompensatory)).name_vi, "Nghỉ bù");
  EXPECT_EQ(Normalize(Make("2026-02-13", OverrideKind::kRemove)).name_vi, "");
}

}  // namespace
}  // namespace tinhso::calendar
