// Thin HTTP handlers for the calendar: parse, call CalendarService, render. The route-level
// action is checked by the server's Guard before a handler runs.

#include <functional>
#include <string>
#include <utility>

#include "calendar/api.hpp"
#include "calendar/calendar.hpp"
#include "calendar/errors.hpp"
#include "core/parse.hpp"
#include "http/api.hpp"

namespace tinhso::calendar {
namespace {

constexpr std::string_view kPublicAction = "public.calendar";
constexpr std::string_view kManageAction = "calendar.manage";

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
  return http::Reply(200, ToApi(calendar));
}

// PUT /api/v1/calendar/overrides/{date} CalendarOverrideInput
Result<http::Response> PutOverride(CalendarService& service, const http::Request& /*request*/,
                                   http::Context& context) {
  TINHSO_ASSIGN_OR_RETURN(const Date date, PathDate(context));
  const auto& in = context.Body<CalendarOverrideInput>();
  const Override o{date, in.kind, in.name_vi ? in.name_vi->value : "",
                   in.name_en ? in.name_en->value : "", in.note ? in.note->value : ""};
  TINHSO_RETURN_IF_ERROR(service.PutOverride(o, context.actor));
  return http::Reply(200, ToApi(Normalize(o)));  // what was stored
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
              .tag = "calendar",
              .params = {http::IntParam("year", kMinYear, kMaxYear)},
              .answers = {http::Returns<CalendarYear>()}});
  router.Add(
      {.method = Method::kPut,
       .path = "/api/v1/calendar/overrides/{date}",
       .action = std::string(kManageAction),
       .summary_vi = "Đặt điều chỉnh lịch cho một ngày (ngày nghỉ thêm, làm bù, bỏ ngày nghỉ)",
       .summary_en = "Set the calendar override of a date (extra day off, swapped working "
                     "day, removed day off)",
       .handler = std::bind_front(PutOverride, svc),
       .tag = "calendar",
       .params = {http::DateParam("date")},
       .body = http::JsonBody<CalendarOverrideInput>(),
       .answers = {http::Returns<CalendarOverride>()}});
  router.Add({.method = Method::kDelete,
              .path = "/api/v1/calendar/overrides/{date}",
              .action = std::string(kManageAction),
              .summary_vi = "Xoá điều chỉnh lịch của một ngày",
              .summary_en = "Delete the calendar override of a date",
              .handler = std::bind_front(DeleteOverride, svc),
              .tag = "calendar",
              .params = {http::DateParam("date")},
              .answers = {http::NoContent()}});
}

}  // namespace tinhso::calendar
