#include "dossiers/deadline.hpp"

#include <algorithm>
#include <cmath>

#include "dossiers/dossiers.hpp"

namespace tinhso::dossiers {
namespace {

using std::chrono::days;
using std::chrono::minutes;
using std::chrono::sys_days;

// Local midnight of a date, as a UTC instant.
core::Seconds LocalMidnight(const calendar::WorkingCalendar& cal, calendar::Date date) {
  return core::Seconds(sys_days(date).time_since_epoch()) - cal.options().utc_offset;
}

minutes FirstWindowStart(const calendar::WorkingCalendar& cal) {
  return cal.options().windows.empty() ? minutes(0) : cal.options().windows.front().start;
}

minutes WorkingMinutes(const calendar::WorkingCalendar& cal, double working_days) {
  return minutes(std::llround(working_days * static_cast<double>(cal.WorkingDayLength().count())));
}

}  // namespace

core::Seconds Appointment(const calendar::WorkingCalendar& cal, core::Seconds received,
                          const catalog::ProcessingTime& time) {
  if (time.value <= 0) return received;
  const calendar::Date day = cal.LocalDate(received);
  switch (time.unit) {
    case catalog::TimeUnit::kWorkingDays: {
      const double whole = std::floor(time.value);
      const double fraction = time.value - whole;
      if (whole == 0) return cal.AddWorkingHours(received, WorkingMinutes(cal, fraction));
      core::Seconds due = cal.EndOfWorkingDay(cal.AddWorkingDays(day, static_cast<int>(whole)));
      if (fraction > 0) due = cal.AddWorkingHours(due, WorkingMinutes(cal, fraction));
      return due;
    }
    case catalog::TimeUnit::kDays: {
      calendar::Date last{sys_days(day) + days(static_cast<int>(std::ceil(time.value)))};
      if (!cal.IsWorkingDay(last)) last = cal.AddWorkingDays(last, 1);
      return cal.EndOfWorkingDay(last);
    }
    case catalog::TimeUnit::kHours:
      return cal.AddWorkingHours(received, minutes(std::llround(time.value * 60)));
  }
  return received;
}

core::Seconds NextWorkingMorning(const calendar::WorkingCalendar& cal, core::Seconds t) {
  const calendar::Date next = cal.AddWorkingDays(cal.LocalDate(t), 1);
  return LocalMidnight(cal, next) + FirstWindowStart(cal);
}

core::Seconds TransferDeadline(const calendar::WorkingCalendar& cal, core::Seconds received) {
  const calendar::Date day = cal.LocalDate(received);
  const core::Seconds cutoff = LocalMidnight(cal, day) + std::chrono::hours(15);
  if (cal.IsWorkingDay(day) && received <= cutoff) return cal.EndOfWorkingDay(day);
  return NextWorkingMorning(cal, received);
}

core::Seconds StepDue(const calendar::WorkingCalendar& cal, core::Seconds start,
                      core::Seconds received, core::Seconds due, double share) {
  const minutes total = cal.WorkingTimeBetween(received, due);
  const auto part =
      minutes(std::llround(static_cast<double>(total.count()) * std::clamp(share, 0.0, 1.0)));
  const core::Seconds end = cal.AddWorkingHours(start, part);
  return start >= due ? end : std::min(end, due);
}

core::Seconds ShiftForPause(const calendar::WorkingCalendar& cal, core::Seconds due,
                            core::Seconds paused, core::Seconds resumed) {
  if (resumed <= paused) return due;
  return cal.AddWorkingHours(due, cal.WorkingTimeBetween(paused, resumed));
}

Timeliness ClassifyTimeliness(const calendar::WorkingCalendar& cal, const TimelinessFacts& facts,
                              core::Seconds now) {
  if (!facts.due) return Timeliness::kNone;
  if (facts.finished) {
    if (facts.supplement_requests > 1 || *facts.finished > *facts.due) return Timeliness::kLate;
    return cal.LocalDate(*facts.finished) < cal.LocalDate(*facts.due) ? Timeliness::kEarly
                                                                      : Timeliness::kOnTime;
  }
  if (facts.supplement_requests > 1) return Timeliness::kOverdue;
  if (!facts.waiting_for_applicant && now > *facts.due) return Timeliness::kOverdue;
  return Timeliness::kUndue;
}

}  // namespace tinhso::dossiers
