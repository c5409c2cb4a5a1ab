// Deadline arithmetic on the real 2026 calendar (Tết: Monday 16 – Friday 20 February).
#include "dossiers/deadline.hpp"

#include <gtest/gtest.h>

#include "core/parse.hpp"
#include "dossiers/dossiers.hpp"

namespace tinhso::dossiers {
namespace {

using catalog::ProcessingTime;
using catalog::TimeUnit;

// Local Vietnam time "2026-02-13T10:00" as an instant.
core::Seconds At(const std::string& local) {
  auto t = core::ParseTimestamp(local + ":00+07:00");
  EXPECT_TRUE(t.has_value()) << local;
  return t.value_or(core::Seconds{});
}

class DeadlineTest : public ::testing::Test {
 protected:
  calendar::WorkingCalendar cal_;
};

TEST_F(DeadlineTest, WorkingDaysSkipWeekendAndTet) {
  // Received Friday before Tết: the period starts the next working day, Monday 23 February.
  EXPECT_EQ(Appointment(cal_, At("2026-02-13T10:00"), {3, TimeUnit::kWorkingDays}),
            At("2026-02-25T17:00"));
  // One working day from a Thursday ends on Friday.
  EXPECT_EQ(Appointment(cal_, At("2026-11-19T09:00"), {1, TimeUnit::kWorkingDays}),
            At("2026-11-20T17:00"));
  // Over a weekend.
  EXPECT_EQ(Appointment(cal_, At("2026-11-20T16:59"), {2, TimeUnit::kWorkingDays}),
            At("2026-11-24T17:00"));
  // Across Independence Day (2–3 September 2026, Wednesday–Thursday).
  EXPECT_EQ(Appointment(cal_, At("2026-09-01T08:00"), {2, TimeUnit::kWorkingDays}),
            At("2026-09-07T17:00"));
}

TEST_F(DeadlineTest, FractionsHoursAndCalendarDays) {
  // Half a working day = 4 office hours: 09:00 + 2h30 to 11:30, then 1h30 from 13:30.
  EXPECT_EQ(Appointment(cal_, At("2026-11-23T09:00"), {0.5, TimeUnit::kWorkingDays}),
            At("2026-11-23T15:00"));
  // 8 office hours from Friday 15:00: 2 h on Friday, 6 h on Monday (4h30 + 1h30).
  EXPECT_EQ(Appointment(cal_, At("2026-11-20T15:00"), {8, TimeUnit::kHours}),
            At("2026-11-23T15:00"));
  // 15 calendar days from 5 February 2026 end on 20 February, inside Tết: moved to Monday 23.
  EXPECT_EQ(Appointment(cal_, At("2026-02-05T10:00"), {15, TimeUnit::kDays}),
            At("2026-02-23T17:00"));
  // Returned at once.
  EXPECT_EQ(Appointment(cal_, At("2026-11-23T09:00"), {0, TimeUnit::kWorkingDays}),
            At("2026-11-23T09:00"));
}

TEST_F(DeadlineTest, FifteenHundredCutOff) {
  // By 15:00 on a working day: transferred the same day.
  EXPECT_EQ(TransferDeadline(cal_, At("2026-11-23T14:59")), At("2026-11-23T17:00"));
  EXPECT_EQ(TransferDeadline(cal_, At("2026-11-23T15:00")), At("2026-11-23T17:00"));
  // After 15:00: the start of the next working day.
  EXPECT_EQ(TransferDeadline(cal_, At("2026-11-23T15:01")), At("2026-11-24T07:00"));
  // Friday after 15:00: Monday morning; and before Tết: the Monday after it.
  EXPECT_EQ(TransferDeadline(cal_, At("2026-11-20T15:30")), At("2026-11-23T07:00"));
  EXPECT_EQ(TransferDeadline(cal_, At("2026-02-13T15:30")), At("2026-02-23T07:00"));
  // Received on a Saturday (online): Monday morning, whatever the hour.
  EXPECT_EQ(TransferDeadline(cal_, At("2026-11-21T09:00")), At("2026-11-23T07:00"));
}

TEST_F(DeadlineTest, StepShareOfTheStatutoryTime) {
  const auto received = At("2026-11-23T08:00");
  const auto due = Appointment(cal_, received, {5, TimeUnit::kWorkingDays});  // 30 Nov 17:00
  ASSERT_EQ(due, At("2026-11-30T17:00"));
  // 47 office hours between (Monday 08:00 → next Monday 17:00); 25% = 11 h 45.
  EXPECT_EQ(StepDue(cal_, received, received, due, 0.25), At("2026-11-24T13:45"));
  // A step never ends after the appointment.
  EXPECT_EQ(StepDue(cal_, At("2026-11-30T16:00"), received, due, 0.5), due);
}

TEST_F(DeadlineTest, PauseAddsTheOfficeTimeItTook) {
  const auto due = At("2026-11-30T17:00");
  // Paused Wednesday 10:00 → Thursday 10:00: 8 office hours → due moves one working day.
  EXPECT_EQ(ShiftForPause(cal_, due, At("2026-11-25T10:00"), At("2026-11-26T10:00")),
            At("2026-12-01T17:00"));
}

TEST_F(DeadlineTest, NationalOnTimeRule) {
  const auto due = At("2026-11-30T17:00");
  auto classify = [&](std::optional<core::Seconds> finished, int supplements, bool waiting,
                      core::Seconds now) {
    return ClassifyTimeliness(cal_, {due, finished, supplements, waiting}, now);
  };
  const auto now = At("2026-12-10T09:00");
  EXPECT_EQ(classify(At("2026-11-27T10:00"), 0, false, now), Timeliness::kEarly);
  EXPECT_EQ(classify(At("2026-11-30T16:59"), 0, false, now), Timeliness::kOnTime);
  EXPECT_EQ(classify(due, 1, false, now), Timeliness::kOnTime);
  EXPECT_EQ(classify(At("2026-11-30T17:01"), 0, false, now), Timeliness::kLate);
  // More than one supplement request counts as late, whatever the dates.
  EXPECT_EQ(classify(At("2026-11-25T10:00"), 2, false, now), Timeliness::kLate);
  // In progress.
  EXPECT_EQ(classify(std::nullopt, 0, false, At("2026-11-30T12:00")), Timeliness::kUndue);
  EXPECT_EQ(classify(std::nullopt, 0, false, now), Timeliness::kOverdue);
  EXPECT_EQ(classify(std::nullopt, 0, true, now), Timeliness::kUndue);
  EXPECT_EQ(ClassifyTimeliness(cal_, {}, now), Timeliness::kNone);
}

}  // namespace
}  // namespace tinhso::dossiers
