#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <string>

#include "calendar/calendar.hpp"
#include "core/parse.hpp"

namespace tinhso::calendar {
namespace {

Date D(std::string_view text) { return core::ParseDate(text).value_or(Date{}); }

TEST(YearToJson, ExactShape) {
  YearCalendar y;
  y.year = 2026;
  y.days.push_back(Day{D("2026-01-01"), DayKind::kHoliday, "Tết Dương lịch", "New Year's Day", {}});
  y.days.push_back(Day{D("2026-02-28"), DayKind::kWorkingDay, "Ngày làm bù", "Make-up working day",
                       "Thông báo \"số 1\"", true});
  EXPECT_EQ(YearToJson(y), R"({"year":2026,"days":[)"
                           R"({"date":"2026-01-01","kind":"holiday","name_vi":"Tết Dương lịch",)"
                           R"("name_en":"New Year's Day","overridden":false},)"
                           R"({"date":"2026-02-28","kind":"working_day","name_vi":"Ngày làm bù",)"
                           R"("name_en":"Make-up working day","note":"Thông báo \"số 1\"",)"
                           R"("overridden":true}]})");
}

TEST(YearToJson, DefaultYear2026) {
  const boost::json::value v = boost::json::parse(YearToJson(BuildYear(2026, {})));
  EXPECT_EQ(v.at("year").as_int64(), 2026);
  const auto& days = v.at("days").as_array();
  ASSERT_EQ(days.size(), 12u);
  EXPECT_EQ(days[0].at("date").as_string(), "2026-01-01");
  EXPECT_EQ(days[7].at("date").as_string(), "2026-04-27");
  EXPECT_EQ(days[7].at("kind").as_string(), "compensatory");
  EXPECT_EQ(days[7].at("name_en").as_string(),
            "Compensatory day off for Hung Kings Commemoration Day");
  EXPECT_FALSE(days[7].as_object().contains("note"));
}

TEST(YearToJson, EmptyYear) {
  YearCalendar y;
  y.year = 2030;
  EXPECT_EQ(YearToJson(y), R"({"year":2030,"days":[]})");
}

TEST(OverrideToJson, AllFields) {
  const Override o{D("2026-09-03"), OverrideKind::kRemove, "", "", "QĐ số 1"};
  EXPECT_EQ(OverrideToJson(o),
            R"({"date":"2026-09-03","kind":"remove","name_vi":"","name_en":"","note":"QĐ số 1"})");
}

}  // namespace
}  // namespace tinhso::calendar
