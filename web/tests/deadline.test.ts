import { describe, expect, it } from 'vitest';
import { deadlineTone, daysLeft } from '../src/lib/deadline';
import { addWorkingDays, isWorkingDay } from '../src/lib/workdays';
import type { Workday } from '../src/lib/workdays';

const now = new Date('2026-11-24T03:00:00Z'); // Tuesday 10:00 in Vietnam

describe('deadline colour', () => {
  it('is red when past due, amber when due soon, green otherwise', () => {
    expect(deadlineTone(4, '2026-11-23T10:00:00Z', now)).toBe('overdue');
    expect(deadlineTone(4, '2026-11-25T10:00:00Z', now)).toBe('soon');
    expect(deadlineTone(4, '2026-12-10T10:00:00Z', now)).toBe('ok');
  });
  it('uses the given end of the due-soon window', () => {
    const soonUntil = new Date('2026-11-26T16:59:59Z');
    expect(deadlineTone(2, '2026-11-26T10:00:00Z', now, soonUntil)).toBe('soon');
    expect(deadlineTone(2, '2026-11-27T10:00:00Z', now, soonUntil)).toBe('ok');
  });
  it('is neutral for finished, paused or undated dossiers', () => {
    expect(deadlineTone(10, '2026-11-01T10:00:00Z', now)).toBe('done');
    expect(deadlineTone(9, '2026-11-01T10:00:00Z', now)).toBe('done');
    expect(deadlineTone(5, '2026-11-01T10:00:00Z', now)).toBe('none');
    expect(deadlineTone(1, null, now)).toBe('none');
  });
  it('counts whole days left', () => {
    expect(daysLeft('2026-11-26T03:00:00Z', now)).toBe(2);
    expect(daysLeft('2026-11-22T03:00:00Z', now)).toBe(-2);
  });
});

describe('working days', () => {
  const days = new Map<string, Workday>([
    ['2026-09-02', { date: '2026-09-02', kind: 'holiday' }],
    ['2026-09-03', { date: '2026-09-03', kind: 'holiday' }],
    ['2026-09-05', { date: '2026-09-05', kind: 'working_day' }],
  ]);
  it('skips weekends and holidays, counts swapped working days', () => {
    expect(isWorkingDay('2026-11-28', days)).toBe(false); // Saturday
    expect(isWorkingDay('2026-09-02', days)).toBe(false);
    expect(isWorkingDay('2026-09-05', days)).toBe(true);
    expect(addWorkingDays('2026-11-27', 2, days)).toBe('2026-12-01'); // Fri + 2 → Tue
    expect(addWorkingDays('2026-09-01', 1, days)).toBe('2026-09-04');
    expect(addWorkingDays('2026-09-04', 1, days)).toBe('2026-09-05');
  });
});
