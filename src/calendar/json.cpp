// The calendar's API types from its domain structs, and their JSON, shared by the CLI and the
// HTTP routes.

#include "calendar/api.hpp"
#include "calendar/errors.hpp"

namespace tinhso::calendar {

Error UnknownEnumValue(const OverrideKind*, std::string_view text) {
  return errors::UnknownKind(text);
}

CalendarYear ToApi(const YearCalendar& year) {
  CalendarYear out{.year = year.year, .days = {}};
  out.days.reserve(year.days.size());
  for (const Day& d : year.days) {
    out.days.push_back({.date = d.date,
                        .kind = d.kind,
                        .name_vi = d.name_vi,
                        .name_en = d.name_en,
                        .note = d.note.empty() ? std::nullopt : std::optional(d.note),
                        .overridden = d.overridden});
  }
  return out;
}

CalendarOverride ToApi(const Override& o) {
  return {
      .date = o.date, .kind = o.kind, .name_vi = o.name_vi, .name_en = o.name_en, .note = o.note};
}

std::string YearToJson(const YearCalendar& year) { return http::Render(ToApi(year)); }

std::string OverrideToJson(const Override& o) { return http::Render(ToApi(o)); }

}  // namespace tinhso::calendar
