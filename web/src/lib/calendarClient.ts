import { call } from './api';
import { isoDateVN } from './format';
import { addWorkingDays } from './workdays';
import type { CalendarDay } from './types';

const years = new Map<number, Promise<CalendarDay[]>>();
export function calendarYear(year: number): Promise<CalendarDay[]> {
  let p = years.get(year);
  if (!p) {
    p = call('get', '/api/v1/calendar/{year}', { path: { year } }).then((r) => r.days);
    years.set(year, p);
    p.catch(() => years.delete(year));
  }
  return p;
}
export function forgetCalendar(year: number): void {
  years.delete(year);
}

/** The end (23:59:59 Vietnam time) of the n-th working day after today. */
export async function endOfWorkingDaysFromToday(n: number, now = new Date()): Promise<Date> {
  const today = isoDateVN(now);
  const y = Number(today.slice(0, 4));
  const days = new Map<string, CalendarDay>();
  try {
    for (const list of await Promise.all([calendarYear(y), calendarYear(y + 1)])) {
      for (const d of list) days.set(d.date, d);
    }
  } catch {
    /* without the calendar, weekends only */
  }
  const target = addWorkingDays(today, n, days);
  return new Date(`${target}T23:59:59+07:00`);
}
