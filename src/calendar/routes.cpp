// Thin HTTP handlers for the calendar: parse, call CalendarService, render. The route-level
// action is checked by the server's Guard before a handler runs.

#include <functional>
#include <string>
#include <utility>

#include "calendar/calendar.hpp"
#include "calendar/errors.hpp"
#include "core/json.hpp"
#include "core/parse.hpp"
#include "http/http.hpp"

namespace tinhso::calendar {
namespace {

constexpr std::string_view kPublicAction = "public.calendar";
constexpr std::string_view kManageAction = "calendar.manage";

constexpr std::string_view kYearSchema = R"({"type":"object","properties":{
"year":{"type":"integer"},
"days":{"type":"array","items":{"type":"object","properties":{
"date":{"type":"string","format":"date"},
"kind":{"type":"string","enum":["holiday","tet","compensatory","day_off","working_day"]},
"name_vi":{"type":"string"},"name_en":{"type":"string"},"note":{"type":"string"}}}}}})";

constexpr std::string_view kOverrideSchema = R"({"type":"object","required":["kind"],
"properties":{
"kind":{"type":"string","enum":["holiday","tet","compensatory","day_off","working_day","remove"]},
"name_vi":{"type":"string","maxLength":200},"name_en":{"type":"string","maxLength":200},
"note":{"type":"string","maxLength":1000}}})";

Result<int> PathYear(const http::Context& context) {
  const std::string_view text = context.Param("year");
  const auto year = core::ParseInt64(text);
  if (!year || *year < kMinYear || *year > kMaxYear) return errors::BadYear(text);
  return static_cast<int>(*year);
}

Result<Date> PathDate(const http::Context& context) {
  const std::string_view text = context.Param("date");
  const auto date = core::ParseDate(text);
  if (!date || !errors::InRange(static_cast<int>(date->year()))) return errors::BadDate(text);
  return *date;
}

// GET /api/v1/calendar/{year}
Result<http::Response> GetYear(CalendarService& service, const http::Request& /*request*/,
                               http::Context& context) {
  TINHSO_ASSIGN_OR_RETURN(const int year, PathYear(context));
  TINHSO_ASSIGN_OR_RETURN(auto calendar, service.Year(year));
  return http::JsonResponse(200, YearToJson(calendar));
}

// PUT /api/v1/calendar/overrides/{date} {"kind","name_vi","name_en","note"}
Result<http::Response> PutOverride(CalendarService& service, const http::Request& request,
                                   http::Context& context) {
  TINHSO_ASSIGN_OR_RETURN(const Date date, PathDate(context));
  TINHSO_ASSIGN_OR_RETURN(auto body, json::ParseObject(request.body));
  TINHSO_ASSIGN_OR_RETURN(auto kind_text, json::RequiredString(body, "kind", 40));
  const auto kind = ParseOverrideKind(kind_text);
  if (!kind) return errors::UnknownKind(kind_text);
  TINHSO_ASSIGN_OR_RETURN(auto name_vi, json::OptionalString(body, "name_vi", 200));
  TINHSO_ASSIGN_OR_RETURN(auto name_en, json::OptionalString(body, "name_en", 200));
  TINHSO_ASSIGN_OR_RETURN(auto note, json::OptionalString(body, "note", 1000));
  const Override o{date, *kind, name_vi.value_or(""), name_en.value_or(""), note.value_or("")};
  TINHSO_RETURN_IF_ERROR(service.PutOverride(o, context.actor));
  return http::JsonResponse(200, OverrideToJson(Normalize(o)));  // what was stored
}

// DELETE /api/v1/calendar/overrides/{date}
Result<http::Response> DeleteOverride(CalendarService& service, const http::Request& /*request*/,
                                      http::Context& context) {
  TINHSO_ASSIGN_OR_RETURN(const Date date, PathDate(context));
  TINHSO_RETURN_IF_ERROR(service.DeleteOverride(date, context.actor));
  return http::JsonResponse(204, "");
}

}  // namespace

void RegisterRoutes(http::Router& router, CalendarService& service) {
  using http::Method;
  auto svc = std::ref(service);
  router.Add({.method = Method::kGet,
              .path = "/api/v1/calendar/{year}",
              .action = std::string(kPublicAction),
              .summary_vi = "Lịch ngày nghỉ lễ, Tết, nghỉ bù và ngày làm bù của một năm",
              .summary_en = "Public holidays, Tết, compensatory days off and swapped working days "
                            "of a year",
              .handler = std::bind_front(GetYear, svc),
              .response_schema = std::string(kYearSchema),
              .tag = "calendar"});
  router.Add(
      {.method = Method::kPut,
       .path = "/api/v1/calendar/overrides/{date}",
       .action = std::string(kManageAction),
       .summary_vi = "Đặt điều chỉnh lịch cho một ngày (ngày nghỉ thêm, làm bù, bỏ ngày nghỉ)",
       .summary_en = "Set the calendar override of a date (extra day off, swapped working "
                     "day, removed day off)",
       .handler = std::bind_front(PutOverride, svc),
       .request_schema = std::string(kOverrideSchema),
       .tag = "calendar"});
  router.Add({.method = Method::kDelete,
              .path = "/api/v1/calendar/overrides/{date}",
              .action = std::string(kManageAction),
              .summary_vi = "Xoá điều chỉnh lịch của một ngày",
              .summary_en = "Delete the calendar override of a date",
              .handler = std::bind_front(DeleteOverride, svc),
              .tag = "calendar"});
}

}  // namespace tinhso::calendar
