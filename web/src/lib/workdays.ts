// Working days in Vietnam: Monday to Friday, less the public holidays and days off of the
// year's calendar (GET /api/v1/calendar/{year}), plus swapped working days.
import type { CalendarDay } from './types';

/** What the count needs of a calendar day. */
export type Workday = Pick<CalendarDay, 'date' | 'kind'>;

export function isWorkingDay(iso: string, days: Map<string, Workday>): boolean {
  const special = days.get(iso);
  if (special) return special.kind === 'working_day';
  const dow = new Date(`${iso}T00:00:00Z`).getUTCDay();
  return dow !== 0 && dow !== 6;
}

/** The date `n` working days after `iso` (n ≥ 0; n = 0 gives `iso` itself). */
export function addWorkingDays(iso: string, n: number, days: Map<string, Workday>): string {
  let d = new Date(`${iso}T00:00:00Z`);
  let left = n;
  while (left > 0) {
    d = new Date(d.getTime() + 86400000);
    if (isWorkingDay(d.toISOString().slice(0, 10), days)) left--;
  }
  return d.toISOString().slice(0, 10);
}
