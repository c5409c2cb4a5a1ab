// The calendar's API types: what its routes read and answer, described once for the parser,
// the renderer and the OpenAPI document (http/api.hpp). Also rendered by the CLI.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "calendar/calendar.hpp"
#include "http/api.hpp"

namespace tinhso::calendar {

BOOST_DESCRIBE_ENUM(DayKind, kHoliday, kTet, kCompensatory, kDayOff, kWorkingDay)
BOOST_DESCRIBE_ENUM(OverrideKind, kHoliday, kTet, kCompensatory, kDayOff, kWorkingDay, kRemove)

// An unknown kind reads as the calendar says it (calendar.unknown_kind, listing the kinds).
Error UnknownEnumValue(const OverrideKind*, std::string_view text);

struct CalendarDay {
  Date date;
  DayKind kind = DayKind::kHoliday;
  std::string name_vi;
  std::string name_en;
  std::optional<std::string> note;  // the decision behind an override, when there is one
  bool overridden = false;
};
TINHSO_API_STRUCT(CalendarDay, (date, kind, name_vi, name_en, note, overridden))

struct CalendarYear {
  int year = 0;
  std::vector<CalendarDay> days;
};
TINHSO_API_STRUCT(CalendarYear, (year, days))

// PUT /api/v1/calendar/overrides/{date}
struct CalendarOverrideInput {
  OverrideKind kind = OverrideKind::kDayOff;
  std::optional<http::Text<200>> name_vi;  // empty: the kind's default name
  std::optional<http::Text<200>> name_en;
  std::optional<http::Text<1000>> note;
};
TINHSO_API_STRUCT(CalendarOverrideInput, (kind, name_vi, name_en, note))

// An override as stored.
struct CalendarOverride {
  Date date;
  OverrideKind kind = OverrideKind::kDayOff;
  std::string name_vi;
  std::string name_en;
  std::string note;
};
TINHSO_API_STRUCT(CalendarOverride, (date, kind, name_vi, name_en, note))

CalendarYear ToApi(const YearCalendar& year);
CalendarOverride ToApi(const Override& o);

}  // namespace tinhso::calendar
