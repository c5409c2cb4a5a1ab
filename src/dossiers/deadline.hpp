// Deadline arithmetic for dossiers, pure (no storage): the appointment date from a statutory
// time, the 15:00 transfer cut-off, step deadlines, pauses and the national on-time rule.
// Separate from the service so that Tết, weekends and cut-offs are tested exhaustively.
#pragma once

#include <optional>

#include "calendar/calendar.hpp"
#include "catalog/catalog.hpp"
#include "core/clock.hpp"

namespace tinhso::dossiers {

/// The appointment (ngày hẹn trả) for a dossier received at `received`:
/// - working days, whole n: the end of the n-th working day after the day of receipt (a period
///   in days starts the next day, BLDS 2015 art. 147–148); a fraction adds office hours
///   (1 working day = the calendar's day length), so ½ day received at 09:00 is due 13:30+1h;
/// - days: the end of the n-th calendar day after receipt, moved to the next working day if
///   that day is not one (reference implementation, domain.md §2.4);
/// - hours: n office hours after receipt;
/// - 0: returned at once, due at receipt.
core::Seconds Appointment(const calendar::WorkingCalendar& cal, core::Seconds received,
                          const catalog::ProcessingTime& time);

/// The 15:00 rule (NĐ 61/2018 art. 18, kept by NĐ 118/2025): a dossier received by 15:00 on a
/// working day must reach the competent agency the same day (by the end of office hours); one
/// received after 15:00, or on a day off, by the start of the next working day.
core::Seconds TransferDeadline(const calendar::WorkingCalendar& cal, core::Seconds received);

/// The start of the first office window of the first working day after `t`'s date.
core::Seconds NextWorkingMorning(const calendar::WorkingCalendar& cal, core::Seconds t);

/// A step that starts at `start` and takes `share` of the office time between `received` and
/// `due` ends at this instant (never after `due` unless `start` already is).
core::Seconds StepDue(const calendar::WorkingCalendar& cal, core::Seconds start,
                      core::Seconds received, core::Seconds due, double share);

/// The appointment after a pause from `paused` to `resumed` (waiting for a financial
/// obligation): the office time the pause took is added, so waiting is not counted.
core::Seconds ShiftForPause(const calendar::WorkingCalendar& cal, core::Seconds due,
                            core::Seconds paused, core::Seconds resumed);

/// The facts the national rule needs (QĐ 766 indicator 2.1).
struct TimelinessFacts {
  std::optional<core::Seconds> due;       ///< the appointment (before any apology)
  std::optional<core::Seconds> finished;  ///< end of processing; nullopt while in progress
  int supplement_requests = 0;            ///< after acceptance
  bool waiting_for_applicant = false;     ///< paused: the clock does not run
};

enum class Timeliness;
/// finished ≤ due → on time (early when finished on an earlier day); later → late; more than one
/// supplement request → late whatever the dates. In progress: overdue when `now` > due (and the
/// dossier is not waiting for the applicant), else undue. No appointment: kNone.
Timeliness ClassifyTimeliness(const calendar::WorkingCalendar& cal, const TimelinessFacts& facts,
                              core::Seconds now);

}  // namespace tinhso::dossiers
