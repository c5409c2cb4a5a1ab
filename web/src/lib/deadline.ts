// Deadline colours for officers' lists: overdue (red), due soon (amber), on track (green),
// finished (grey).
export type DeadlineTone = 'overdue' | 'soon' | 'ok' | 'done' | 'none';

const FINAL_OR_DONE = new Set([3, 7, 8, 9, 10]);
/** Statuses where the clock is paused waiting for the applicant. */
const PAUSED = new Set([5, 6]);

/**
 * `soonUntil` is the end of the "due soon" window (now + 2 working days, computed with the
 * calendar by the caller); when absent, 2 calendar days are used.
 */
export function deadlineTone(
  status: number,
  dueAt: string | null | undefined,
  now: Date = new Date(),
  soonUntil?: Date,
): DeadlineTone {
  if (FINAL_OR_DONE.has(status)) return 'done';
  if (!dueAt) return 'none';
  const due = new Date(dueAt);
  if (Number.isNaN(due.getTime())) return 'none';
  if (PAUSED.has(status)) return 'none';
  if (due.getTime() < now.getTime()) return 'overdue';
  const limit = soonUntil ?? new Date(now.getTime() + 2 * 86400000);
  if (due.getTime() <= limit.getTime()) return 'soon';
  return 'ok';
}

/** Whole days from now to `dueAt` (negative when overdue), rounded towards zero. */
export function daysLeft(dueAt: string, now: Date = new Date()): number {
  return Math.trunc((new Date(dueAt).getTime() - now.getTime()) / 86400000);
}
