// JSON renderings of the calendar, shared by the CLI and the HTTP routes.

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "calendar/calendar.hpp"
#include "core/parse.hpp"

namespace tinhso::calendar {

std::string YearToJson(const YearCalendar& year) {
  boost::json::array days;
  days.reserve(year.days.size());
  for (const Day& d : year.days) {
    boost::json::object o;
    o["date"] = core::FormatDate(d.date);
    o["kind"] = DayKindName(d.kind);
    o["name_vi"] = d.name_vi;
    o["name_en"] = d.name_en;
    if (!d.note.empty()) o["note"] = d.note;
    o["overridden"] = d.overridden;
    days.emplace_back(std::move(o));
  }
  boost::json::object root;
  root["year"] = year.year;
  root["days"] = std::move(days);
  return boost::json::serialize(root);
}

std::string OverrideToJson(const Override& o) {
  boost::json::object root;
  root["date"] = core::FormatDate(o.date);
  root["kind"] = OverrideKindName(o.kind);
  root["name_vi"] = o.name_vi;
  root["name_en"] = o.name_en;
  root["note"] = o.note;
  return boost::json::serialize(root);
}

}  // namespace tinhso::calendar
