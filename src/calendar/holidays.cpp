// Statutory holidays, compensatory days and overrides: BuildYear and its helpers.

#include <algorithm>
#include <map>
#include <string>
#include <utility>

#include "calendar/calendar.hpp"
#include "calendar/errors.hpp"
#include "calendar/lunar.hpp"
#include "core/parse.hpp"
#include "core/text.hpp"

namespace tinhso::calendar {
namespace {

using std::chrono::sys_days;

constexpr std::size_t kMaxNameChars = 200;
constexpr std::size_t kMaxNoteChars = 1000;

struct DefaultNames {
  std::string_view vi;
  std::string_view en;
};

DefaultNames DefaultNamesFor(OverrideKind kind) {
  switch (kind) {
    case OverrideKind::kHoliday:
      return {"Ngày lễ", "Public holiday"};
    case OverrideKind::kTet:
      return {"Tết Âm lịch", "Lunar New Year (Tết)"};
    case OverrideKind::kCompensatory:
      return {"Nghỉ bù", "Compensatory day off"};
    case OverrideKind::kDayOff:
      return {"Ngày nghỉ", "Day off"};
    case OverrideKind::kWorkingDay:
      return {"Ngày làm bù", "Make-up working day"};
    case OverrideKind::kRemove:
      return {"", ""};
  }
  return {"", ""};
}

DayKind DayKindFor(OverrideKind kind) {
  switch (kind) {
    case OverrideKind::kHoliday:
      return DayKind::kHoliday;
    case OverrideKind::kTet:
      return DayKind::kTet;
    case OverrideKind::kCompensatory:
      return DayKind::kCompensatory;
    case OverrideKind::kDayOff:
    case OverrideKind::kRemove:  // never turned into a Day
      return DayKind::kDayOff;
    case OverrideKind::kWorkingDay:
      return DayKind::kWorkingDay;
  }
  return DayKind::kDayOff;
}

bool IsWeekend(sys_days d) {
  const std::chrono::weekday wd{d};
  return wd == std::chrono::Saturday || wd == std::chrono::Sunday;
}

int YearOf(sys_days d) { return static_cast<int>(Date{d}.year()); }

Date MakeDate(int year, unsigned month, unsigned day) {
  return Date{std::chrono::year(year), std::chrono::month(month), std::chrono::day(day)};
}

std::size_t CodePoints(std::string_view s) {
  return static_cast<std::size_t>(
      std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

std::string Trim(std::string_view s) {
  const auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  const auto last = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(first, last - first + 1));
}

Error TextError(std::string_view field, std::string_view vi, std::string_view en,
                std::string reason) {
  return MakeError(ErrorCode::kInvalidArgument, std::move(reason),
                   "Trường '" + std::string(field) + "' " + std::string(vi),
                   "Field '" + std::string(field) + "' " + std::string(en));
}

Result<void> CheckText(std::string_view field, std::string_view value, std::size_t max_chars) {
  if (!core::IsValidUtf8(value)) {
    return TextError(field, "không phải văn bản UTF-8 hợp lệ.", "is not valid UTF-8 text.",
                     "calendar.bad_text");
  }
  if (CodePoints(value) > max_chars) {
    return TextError(field, "dài quá " + std::to_string(max_chars) + " ký tự.",
                     "is longer than " + std::to_string(max_chars) + " characters.",
                     "calendar.text_too_long");
  }
  return Ok();
}

// The second Quốc khánh day (art. 112.1.đ: "02/9 and one day before or after").
Date NationalDayCompanion(int year, NationalDayRule rule) {
  const Date sep1 = MakeDate(year, 9, 1);
  const Date sep3 = MakeDate(year, 9, 3);
  switch (rule) {
    case NationalDayRule::kDayBefore:
      return sep1;
    case NationalDayRule::kDayAfter:
      return sep3;
    case NationalDayRule::kJoinWeekend:
      break;
  }
  // Pick the day that makes the longest break with the weekend, as the Prime Minister's recent
  // decisions did (2023: Fri 1/9 + Sat 2/9; 2024: Mon 2/9 + Tue 3/9; 2025: Mon 1/9 + Tue 2/9).
  // Wednesday has no such day; 3/9 is a guess (a 2-day break either way).
  switch (std::chrono::weekday{sys_days{MakeDate(year, 9, 2)}}.c_encoding()) {
    case 1:  // Monday: Mon–Tue after the weekend
      return sep3;
    case 2:  // Tuesday: Mon–Tue after the weekend
      return sep1;
    case 3:  // Wednesday
      return sep3;
    case 4:  // Thursday: Thu–Fri before the weekend
      return sep3;
    case 5:  // Friday: Thu–Fri before the weekend
      return sep1;
    case 6:  // Saturday: Fri 1/9 joins it; 2/9 is then made up on Monday
      return sep1;
    default:  // Sunday: Mon 3/9, and 2/9 is made up on Tuesday
      return sep3;
  }
}

}  // namespace

std::string_view DayKindName(DayKind kind) {
  switch (kind) {
    case DayKind::kHoliday:
      return "holiday";
    case DayKind::kTet:
      return "tet";
    case DayKind::kCompensatory:
      return "compensatory";
    case DayKind::kDayOff:
      return "day_off";
    case DayKind::kWorkingDay:
      return "working_day";
  }
  return "day_off";
}

std::optional<DayKind> ParseDayKind(std::string_view name) {
  for (DayKind k : {DayKind::kHoliday, DayKind::kTet, DayKind::kCompensatory, DayKind::kDayOff,
                    DayKind::kWorkingDay}) {
    if (DayKindName(k) == name) return k;
  }
  return std::nullopt;
}

std::string_view OverrideKindName(OverrideKind kind) {
  if (kind == OverrideKind::kRemove) return "remove";
  return DayKindName(DayKindFor(kind));
}

std::optional<OverrideKind> ParseOverrideKind(std::string_view name) {
  for (OverrideKind k : {OverrideKind::kHoliday, OverrideKind::kTet, OverrideKind::kCompensatory,
                         OverrideKind::kDayOff, OverrideKind::kWorkingDay, OverrideKind::kRemove}) {
    if (OverrideKindName(k) == name) return k;
  }
  return std::nullopt;
}

const Day* YearCalendar::Find(Date date) const {
  auto it = std::lower_bound(days.begin(), days.end(), date,
                             [](const Day& d, Date x) { return d.date < x; });
  return it != days.end() && it->date == date ? &*it : nullptr;
}

Result<void> ValidateOverride(const Override& o) {
  if (!o.date.ok() || !errors::InRange(static_cast<int>(o.date.year()))) {
    return errors::BadDate(core::FormatDate(o.date));
  }
  TINHSO_RETURN_IF_ERROR(CheckText("name_vi", o.name_vi, kMaxNameChars));
  TINHSO_RETURN_IF_ERROR(CheckText("name_en", o.name_en, kMaxNameChars));
  TINHSO_RETURN_IF_ERROR(CheckText("note", o.note, kMaxNoteChars));
  return Ok();
}

Override Normalize(Override o) {
  o.name_vi = Trim(core::ToNfc(o.name_vi));
  o.name_en = Trim(core::ToNfc(o.name_en));
  o.note = Trim(core::ToNfc(o.note));
  const DefaultNames names = DefaultNamesFor(o.kind);
  if (o.name_vi.empty()) o.name_vi = names.vi;
  if (o.name_en.empty()) o.name_en = names.en;
  return o;
}

std::vector<Day> DefaultHolidays(int year, const HolidayRules& rules) {
  std::map<sys_days, Day> days;
  const auto add = [&](Date date, DayKind kind, std::string_view vi, std::string_view en) {
    auto [it, inserted] = days.try_emplace(sys_days{date});
    Day& day = it->second;
    if (inserted) {
      day = Day{date, kind, std::string(vi), std::string(en), {}};
    } else {
      // Two holidays on one date (Giỗ Tổ can come as late as 30/4): the law gives no extra
      // day for this case, so they share the entry.
      day.name_vi += "; " + std::string(vi);
      day.name_en += "; " + std::string(en);
    }
  };
  const double tz = rules.lunar_time_zone;

  // Art. 112.1.a: Tết Dương lịch, 1 day.
  add(MakeDate(year, 1, 1), DayKind::kHoliday, "Tết Dương lịch", "New Year's Day");

  // Art. 112.1.b: Tết Âm lịch, 5 days around lunar New Year's Day; which ones is decided each
  // year (art. 112.3), between the two choices of NĐ 145/2020 (1 day before + 4, or 2 + 3).
  const sys_days new_year{lunar::NewYear(year, tz)};
  const int before = std::clamp(rules.tet_days_before_new_year, 0, 5);
  for (int i = -before; i < 5 - before; ++i) {
    add(Date{new_year + std::chrono::days(i)}, DayKind::kTet, "Tết Âm lịch",
        "Lunar New Year (Tết)");
  }

  // Art. 112.1.e: Giỗ Tổ Hùng Vương, 10/3 âm lịch (of the ordinary month 3 if there is also a
  // leap month 3, as the commemoration is always held).
  if (auto hung_kings = lunar::LunarToSolar({.day = 10, .month = 3, .year = year}, tz)) {
    add(*hung_kings, DayKind::kHoliday, "Giỗ Tổ Hùng Vương", "Hung Kings Commemoration Day");
  }

  // Art. 112.1.c and d.
  add(MakeDate(year, 4, 30), DayKind::kHoliday, "Ngày Chiến thắng", "Reunification Day");
  add(MakeDate(year, 5, 1), DayKind::kHoliday, "Ngày Quốc tế lao động", "International Labour Day");

  // Art. 112.1.đ: Quốc khánh, 2/9 and one day before or after.
  add(MakeDate(year, 9, 2), DayKind::kHoliday, "Quốc khánh", "National Day");
  add(NationalDayCompanion(year, rules.national_day), DayKind::kHoliday,
      "Quốc khánh (ngày nghỉ liền kề)", "National Day (adjacent day off)");

  std::vector<Day> out;
  out.reserve(days.size());
  for (auto& [date, day] : days) out.push_back(std::move(day));
  return out;
}

YearCalendar BuildYear(int year, std::span<const Override> overrides, const HolidayRules& rules) {
  // This year's overrides by date; for two on one date, the later one wins.
  std::map<sys_days, Override> decided;
  for (const Override& o : overrides) {
    if (o.date.ok() && static_cast<int>(o.date.year()) == year) {
      decided[sys_days{o.date}] = Normalize(o);
    }
  }

  // 1. The holidays of art. 112.1, as overridden: an override decides its date.
  std::map<sys_days, Day> holidays;
  for (Day& d : DefaultHolidays(year, rules)) {
    if (!decided.contains(sys_days{d.date})) holidays.emplace(sys_days{d.date}, std::move(d));
  }
  for (const auto& [date, o] : decided) {
    if (o.kind == OverrideKind::kHoliday || o.kind == OverrideKind::kTet) {
      holidays[date] = Day{o.date, DayKindFor(o.kind), o.name_vi, o.name_en, o.note, true};
    }
  }

  // 2. Art. 111.3: "Nếu ngày nghỉ hằng tuần trùng với ngày nghỉ lễ, tết … thì người lao động
  // được nghỉ bù ngày nghỉ hằng tuần vào ngày làm việc kế tiếp." Public bodies rest on
  // Saturday and Sunday, so each holiday on a weekend moves one day off to the next day that is
  // a working day once every holiday and decided day is in place.
  const auto off_before_compensation = [&](sys_days d) {
    if (holidays.contains(d)) return true;
    if (auto it = decided.find(d); it != decided.end()) {
      switch (it->second.kind) {
        case OverrideKind::kWorkingDay:
          return false;
        case OverrideKind::kRemove:
          // Back to the weekly rule. On a weekday the compensatory day lands here and step 3
          // removes it again: "remove" on a computed compensatory day cancels it.
          return IsWeekend(d);
        case OverrideKind::kHoliday:
        case OverrideKind::kTet:
        case OverrideKind::kCompensatory:
        case OverrideKind::kDayOff:
          return true;
      }
    }
    return IsWeekend(d);
  };
  std::map<sys_days, Day> compensatory;
  for (const auto& [date, holiday] : holidays) {
    if (!IsWeekend(date)) continue;
    sys_days d = date + std::chrono::days(1);
    while (YearOf(d) == year && (off_before_compensation(d) || compensatory.contains(d))) {
      d += std::chrono::days(1);
    }
    // A holiday decided for the last weekend of December would be made up in January: that
    // belongs to next year's decision, entered there as an override.
    if (YearOf(d) != year) continue;
    compensatory.emplace(d, Day{Date{d},
                                DayKind::kCompensatory,
                                "Nghỉ bù " + holiday.name_vi,
                                "Compensatory day off for " + holiday.name_en,
                                {}});
  }

  // 3. The remaining overrides decide their dates, over any compensatory day computed there.
  std::map<sys_days, Day> all = std::move(holidays);
  for (auto& [date, day] : compensatory) all.emplace(date, std::move(day));
  for (const auto& [date, o] : decided) {
    switch (o.kind) {
      case OverrideKind::kRemove:
        all.erase(date);
        break;
      case OverrideKind::kCompensatory:
      case OverrideKind::kDayOff:
      case OverrideKind::kWorkingDay:
        all[date] = Day{o.date, DayKindFor(o.kind), o.name_vi, o.name_en, o.note, true};
        break;
      case OverrideKind::kHoliday:
      case OverrideKind::kTet:
        break;  // placed in step 1
    }
  }

  YearCalendar out;
  out.year = year;
  out.days.reserve(all.size());
  for (auto& [date, day] : all) out.days.push_back(std::move(day));
  return out;
}

Result<void> CheckOverrideHasEffect(const Override& o, std::span<const Override> others,
                                    const HolidayRules& rules) {
  std::vector<Override> rest;
  for (const Override& x : others) {
    if (x.date != o.date) rest.push_back(x);
  }
  const YearCalendar without = BuildYear(static_cast<int>(o.date.year()), rest, rules);
  const Day* day = without.Find(o.date);
  if (o.kind == OverrideKind::kRemove && day == nullptr) {
    return MakeError(ErrorCode::kFailedPrecondition, "calendar.nothing_to_remove",
                     "Ngày này không có ngày nghỉ nào để bỏ.",
                     "There is no day off on this date to remove.");
  }
  if (o.kind == OverrideKind::kWorkingDay) {
    const bool working =
        day == nullptr ? !IsWeekend(sys_days{o.date}) : day->kind == DayKind::kWorkingDay;
    if (working) {
      return MakeError(ErrorCode::kFailedPrecondition, "calendar.already_working",
                       "Ngày này vốn đã là ngày làm việc.", "This date is already a working day.");
    }
  }
  return Ok();
}

}  // namespace tinhso::calendar
