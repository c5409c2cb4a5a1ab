#include "core/parse.hpp"

#include <gtest/gtest.h>

#include <chrono>

namespace tinhso::core {
namespace {

using std::chrono::sys_days;
using namespace std::chrono_literals;

TEST(ParseTest, TimestampsFormatAsRfc3339UtcAndParseBack) {
  const std::chrono::sys_seconds t = sys_days{std::chrono::year{2026} / 2 / 17} + 7h + 5min + 9s;
  EXPECT_EQ(FormatTimestamp(t), "2026-02-17T07:05:09Z");
  EXPECT_EQ(FormatTimestamp(std::chrono::sys_seconds{}), "1970-01-01T00:00:00Z");
  EXPECT_EQ(FormatTimestamp(sys_days{std::chrono::year{9999} / 12 / 31} + 23h + 59min + 59s),
            "9999-12-31T23:59:59Z");
  EXPECT_EQ(ParseTimestamp(FormatTimestamp(t)), t);
  EXPECT_EQ(FormatDate(std::chrono::year{2025} / 7 / 1), "2025-07-01");
  // 17:05 UTC is past midnight in Vietnam: the next day.
  EXPECT_EQ(FormatVietnamDateTime(sys_days{std::chrono::year{2026} / 2 / 16} + 17h + 5min),
            "17/02/2026 00:05");
}

}  // namespace
}  // namespace tinhso::core
