// Working days in Vietnam: Monday to Friday, less the public holidays and days off of the
// year's calendar (GET /api/v1/calendar/{year}), plus swapped working days.
export interface CalendarDay {
  date: string; // YYYY-MM-DD
  kind: 'holiday' | 'tet' | 'compensatory' | 'day_off' | 'working_day' | string;
  name_vi?: string;
  name_en?: string;
  note?: string;
  /** True for a day the administrator set (PUT /calendar/overrides/{date}); only those can be deleted. */
  overridden?: boolean;
}

export function isWorkingDay(iso: string, days: Map<string, CalendarDay>): boolean {
  const special = days.get(iso);
  if (special) return special.kind === 'working_day';
  const dow = new Date(`${iso}T00:00:00Z`).getUTCDay();
  return dow !== 0 && dow !== 6;
}

/** The date `n` working days after `iso` (n ≥ 0; n = 0 gives `iso` itself). */
export function addWorkingDays(iso: string, n: number, days: Map<string, CalendarDay>): string {
  let d = new Date(`${iso}T00:00:00Z`);
  let left = n;
  while (left > 0) {
    d = new Date(d.getTime() + 86400000);
    if (isWorkingDay(d.toISOString().slice(0, 10), days)) left--;
  }
  return d.toISOString().slice(0, 10);
}
