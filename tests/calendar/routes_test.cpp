// The calendar routes, called through the Router without a socket.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <string_view>

#include "calendar/calendar.hpp"
#include "core/clock.hpp"
#include "http/http.hpp"
#include "support/database.hpp"

namespace tinhso::calendar {
namespace {

using http::Method;

class CalendarRoutesTest : public ::testing::Test {
 protected:
  CalendarRoutesTest()
      : db_(test::FreshDatabase(storage::Backend::kSqlite)),
        clock_(core::Seconds{
            std::chrono::sys_days{std::chrono::year(2026) / std::chrono::January / 5}}),
        service_(*db_, clock_) {
    RegisterRoutes(router_, service_);
    admin_.kind = core::ActorKind::kAdmin;
    admin_.user_id = 1;
    admin_.login = "admin";
  }

  Result<http::Response> Call(Method method, std::string path, std::string body = {}) {
    const http::Router::Match match = router_.Find(method, path);
    EXPECT_NE(match.route, nullptr) << path;
    if (match.route == nullptr) return InternalError("no route");
    http::Request request;
    request.method = method;
    request.path = path;
    request.body = std::move(body);
    http::Context context;
    context.actor = admin_;
    context.params = match.params;
    return match.route->handler(request, context);
  }

  const http::Route* RouteFor(Method method, std::string_view path) {
    return router_.Find(method, path).route;
  }

  std::unique_ptr<storage::Database> db_;
  core::FakeClock clock_;
  CalendarService service_;
  http::Router router_;
  core::Actor admin_;
};

TEST_F(CalendarRoutesTest, ActionsNextToPaths) {
  ASSERT_NE(RouteFor(Method::kGet, "/api/v1/calendar/2026"), nullptr);
  EXPECT_EQ(RouteFor(Method::kGet, "/api/v1/calendar/2026")->action, "public.calendar");
  ASSERT_NE(RouteFor(Method::kPut, "/api/v1/calendar/overrides/2026-02-28"), nullptr);
  EXPECT_EQ(RouteFor(Method::kPut, "/api/v1/calendar/overrides/2026-02-28")->action,
            "calendar.manage");
  ASSERT_NE(RouteFor(Method::kDelete, "/api/v1/calendar/overrides/2026-02-28"), nullptr);
  EXPECT_EQ(RouteFor(Method::kDelete, "/api/v1/calendar/overrides/2026-02-28")->action,
            "calendar.manage");
}

TEST_F(CalendarRoutesTest, GetYear) {
  auto r = Call(Method::kGet, "/api/v1/calendar/2026");
  ASSERT_TRUE(r.ok()) << r.error().detail;
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, YearToJson(BuildYear(2026, {})));
  EXPECT_NE(r->body.find(R"({"date":"2026-04-27","kind":"compensatory")"), std::string::npos);
}

TEST_F(CalendarRoutesTest, BadYear) {
  for (std::string_view year : {"abc", "1899", "2200", "-2026", "2026.5", "20261"}) {
    auto r = Call(Method::kGet, "/api/v1/calendar/" + std::string(year));
    ASSERT_FALSE(r.ok()) << year;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument) << year;
    EXPECT_EQ(r.error().reason, "calendar.bad_year") << year;
    EXPECT_NE(r.error().message_vi.find("Năm không hợp lệ"), std::string::npos);
    EXPECT_NE(r.error().message_en.find("Invalid year"), std::string::npos);
  }
}

TEST_F(CalendarRoutesTest, PutGetDelete) {
  auto put = Call(Method::kPut, "/api/v1/calendar/overrides/2026-02-28",
                  R"({"kind":"working_day","note":"Thông báo hoán đổi"})");
  ASSERT_TRUE(put.ok()) << put.error().message_en;
  EXPECT_EQ(put->status, 200);
  EXPECT_EQ(put->body, R"({"date":"2026-02-28","kind":"working_day","name_vi":"Ngày làm bù",)"
                       R"("name_en":"Make-up working day","note":"Thông báo hoán đổi"})");

  auto get = Call(Method::kGet, "/api/v1/calendar/2026");
  ASSERT_TRUE(get.ok());
  EXPECT_NE(get->body.find(R"({"date":"2026-02-28","kind":"working_day")"), std::string::npos);
  EXPECT_NE(get->body.find(R"(Thông báo hoán đổi","overridden":true})"), std::string::npos)
      << "the administrator's day is marked, so that the UI offers to delete only it";
  EXPECT_NE(get->body.find(R"(New Year's Day","overridden":false})"), std::string::npos);
  EXPECT_TRUE(service_.Working().IsWorkingDay(std::chrono::year(2026) / 2 / 28));

  auto del = Call(Method::kDelete, "/api/v1/calendar/overrides/2026-02-28");
  ASSERT_TRUE(del.ok());
  EXPECT_EQ(del->status, 204);
  EXPECT_TRUE(del->body.empty());
  EXPECT_FALSE(service_.Working().IsWorkingDay(std::chrono::year(2026) / 2 / 28));

  auto again = Call(Method::kDelete, "/api/v1/calendar/overrides/2026-02-28");
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, ErrorCode::kNotFound);
}

TEST_F(CalendarRoutesTest, ValidationErrors) {
  struct Case {
    Method method;
    std::string path;
    std::string body;
    std::string_view reason;
  };
  const Case kCases[] = {
      {Method::kPut, "/api/v1/calendar/overrides/2026-02-30", R"({"kind":"day_off"})",
       "calendar.bad_date"},
      {Method::kPut, "/api/v1/calendar/overrides/28-02-2026", R"({"kind":"day_off"})",
       "calendar.bad_date"},
      {Method::kPut, "/api/v1/calendar/overrides/1800-01-01", R"({"kind":"day_off"})",
       "calendar.bad_date"},
      {Method::kDelete, "/api/v1/calendar/overrides/2026-13-01", "", "calendar.bad_date"},
      {Method::kPut, "/api/v1/calendar/overrides/2026-02-27", R"({"kind":"nghi_le"})",
       "calendar.unknown_kind"},
      {Method::kPut, "/api/v1/calendar/overrides/2026-02-27", R"({"name_vi":"Nghỉ"})",
       "request.invalid_field"},
      {Method::kPut, "/api/v1/calendar/overrides/2026-02-27", R"({"kind":"day_off","note":5})",
       "request.invalid_field"},
      {Method::kPut, "/api/v1/calendar/overrides/2026-02-27", R"({"kind":)",
       "request.malformed_json"},
      {Method::kPut, "/api/v1/calendar/overrides/2026-03-02", R"({"kind":"working_day"})",
       "calendar.already_working"},
  };
  for (const Case& c : kCases) {
    auto r = Call(c.method, c.path, c.body);
    ASSERT_FALSE(r.ok()) << c.path << " " << c.body;
    EXPECT_EQ(r.error().reason, c.reason) << c.path << " " << c.body;
    EXPECT_FALSE(r.error().message_vi.empty());
    EXPECT_FALSE(r.error().message_en.empty());
  }
  auto unknown = Call(Method::kPut, "/api/v1/calendar/overrides/2026-02-27", R"({"kind":"x"})");
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.error().message_vi.find("working_day"), std::string::npos);
  EXPECT_NE(unknown.error().message_en.find("Unknown kind"), std::string::npos);
}

}  // namespace
}  // namespace tinhso::calendar
