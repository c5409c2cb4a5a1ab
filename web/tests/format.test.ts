import { describe, expect, it } from 'vitest';
import { addDays, formatDate, formatDateTime, formatMoney, formatNumber, formatPercent, isoDateVN } from '../src/lib/format';

describe('dates in Vietnam time', () => {
  it('formats as dd/mm/yyyy in Asia/Ho_Chi_Minh whatever the machine zone', () => {
    expect(formatDate('2026-11-23T18:30:00Z')).toBe('24/11/2026'); // 01:30 next day in Vietnam
    expect(formatDateTime('2026-11-23T18:30:00Z')).toBe('24/11/2026 01:30');
    expect(formatDate('2026-01-05')).toBe('05/01/2026');
    expect(formatDate(null)).toBe('');
    expect(formatDate('not a date')).toBe('');
  });
  it('gives the Vietnamese calendar date and adds days', () => {
    expect(isoDateVN('2026-12-31T17:30:00Z')).toBe('2027-01-01');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
  });
  it('formats numbers and percentages as each language writes them', () => {
    expect(formatNumber(1234.5, 'vi')).toBe('1.234,5');
    expect(formatNumber(1234.5, 'en')).toBe('1,234.5');
    expect(formatPercent(0.864, 'vi')).toBe('86,4\u00a0%');
    expect(formatPercent(0.864, 'en')).toBe('86.4%');
    expect(formatPercent(12.345, 'vi')).toBe('1.234,5\u00a0%');
    expect(formatPercent(Number.NaN, 'vi')).toBe('0\u00a0%');
  });
  it('formats money in both languages', () => {
    expect(formatMoney(200000, 'vi')).toMatch(/^200\.000 đồng$/);
    expect(formatMoney(200000, 'en')).toBe('200,000 VND');
  });
});
