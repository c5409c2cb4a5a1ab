// Dates are shown as dd/mm/yyyy (and HH:mm) in Vietnam time whatever the browser's zone.
export const VN_TZ = 'Asia/Ho_Chi_Minh';

const partsFmt = new Intl.DateTimeFormat('en-GB', {
  timeZone: VN_TZ,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

function parts(d: Date): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of partsFmt.formatToParts(d)) out[p.type] = p.value;
  return out;
}

function toDate(v: string | number | Date | null | undefined): Date | null {
  if (v === null || v === undefined || v === '') return null;
  // A bare YYYY-MM-DD is a calendar date: read it as that day in Vietnam (noon, to be safe).
  if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v)) {
    return new Date(`${v}T12:00:00+07:00`);
  }
  const d = v instanceof Date ? v : new Date(v);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** "24/11/2026", or "" for no date. */
export function formatDate(v: string | number | Date | null | undefined): string {
  const d = toDate(v);
  if (!d) return '';
  const p = parts(d);
  return `${p.day}/${p.month}/${p.year}`;
}

/** "24/11/2026 14:05". */
export function formatDateTime(v: string | number | Date | null | undefined): string {
  const d = toDate(v);
  if (!d) return '';
  const p = parts(d);
  return `${p.day}/${p.month}/${p.year} ${p.hour}:${p.minute}`;
}

/** The calendar date in Vietnam as YYYY-MM-DD (for API queries). */
export function isoDateVN(v: Date | string | number = new Date()): string {
  const d = toDate(v) ?? new Date();
  const p = parts(d);
  return `${p.year}-${p.month}-${p.day}`;
}

/** Adds `days` calendar days to a YYYY-MM-DD date. */
export function addDays(iso: string, days: number): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** "1.234.567 đ" / "1,234,567 VND". */
export function formatMoney(amount: number, lang: 'vi' | 'en'): string {
  const n = new Intl.NumberFormat(lang === 'vi' ? 'vi-VN' : 'en-US').format(amount);
  return lang === 'vi' ? `${n} đồng` : `${n} VND`;
}

export function formatNumber(n: number, lang: 'vi' | 'en'): string {
  return new Intl.NumberFormat(lang === 'vi' ? 'vi-VN' : 'en-US').format(n);
}

/** 0.8734 → "87,3 %" / "87.3%": Vietnamese writes a (no-break) space before the sign. */
export function formatPercent(ratio: number, lang: 'vi' | 'en'): string {
  const v = Number.isFinite(ratio) ? ratio : 0;
  if (lang === 'vi') {
    return `${new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 1 }).format(v * 100)}\u00a0%`;
  }
  return new Intl.NumberFormat('en-US', { style: 'percent', maximumFractionDigits: 1 }).format(v);
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(0)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}
