import { fold } from './text';
import { call } from './api';
import type { Competent, Procedure, ProcedureSummary } from './types';

/**
 * Page addresses of a procedure. The code travels in the query string (the form the tests and
 * printed receipts use); the router also accepts /thu-tuc/1.001193 now that the server serves
 * the page for dotted paths.
 */
export const procedureUrl = (code: string) => `/thu-tuc?ma=${encodeURIComponent(code)}`;
export const submitUrl = (code: string) => `/thu-tuc/nop?ma=${encodeURIComponent(code)}`;

/** The procedure's name in the chosen language (English when the catalog has one). */
export function procName(p: { name: string; name_en?: string }, lang: 'vi' | 'en'): string {
  return lang === 'en' && p.name_en ? p.name_en : p.name;
}

let summaries: Promise<ProcedureSummary[]> | null = null;
/** All active procedures (36 or so: small, cached for the session). */
export function allProcedures(): Promise<ProcedureSummary[]> {
  if (!summaries) {
    summaries = call('get', '/api/v1/procedures').then((r) => r.items);
    summaries.catch(() => (summaries = null));
  }
  return summaries;
}

const details = new Map<string, Promise<Procedure>>();
export function procedureDetail(code: string): Promise<Procedure> {
  let p = details.get(code);
  if (!p) {
    p = call('get', '/api/v1/procedures/{code}', { path: { code } });
    details.set(code, p);
    p.catch(() => details.delete(code));
  }
  return p;
}
export function forgetProcedures(): void {
  summaries = null;
  details.clear();
}

/** Identifies who decides a procedure (for filtering): "department:van_hoa", "commune:". */
export function competentKey(c: Competent | undefined | null): string {
  if (!c || !c.kind) return '';
  return `${c.kind}:${c.kind === 'department' ? (c.sector ?? '') : ''}`;
}

/** The competent agency's name as the server gives it ('' when it has none). */
export function competentName(c: Competent | undefined | null, lang: 'vi' | 'en'): string {
  if (!c) return '';
  return (lang === 'en' ? c.name_en || c.name : c.name || c.name_en) ?? '';
}

/**
 * How the home orders its groups (by the competent agency's name): the server's rule
 * (src/portal GroupOrderKey, core::SearchKey), so that the page drawn on the server does not
 * reorder when the app takes over. Compare the keys with < (code units).
 */
export function groupOrderKey(name: string): string {
  return fold(name)
    .replace(/['\u2019]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** Procedures grouped by who decides, in groupOrderKey order; each group in the list's order. */
export function groupByCompetent<T extends { competent?: Competent }>(list: T[], lang: 'vi' | 'en'): { name: string; items: T[] }[] {
  const groups = new Map<string, T[]>();
  for (const p of list) {
    const n = competentName(p.competent, lang);
    const g = groups.get(n);
    if (g) g.push(p);
    else groups.set(n, [p]);
  }
  return [...groups.entries()]
    .map(([name, items]) => ({ name, items, key: groupOrderKey(name) }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map(({ name, items }) => ({ name, items }));
}

/** The distinct competent agencies of a list of procedures, by name. */
export function competentOptions(list: { competent?: Competent }[], lang: 'vi' | 'en'): { key: string; name: string }[] {
  const m = new Map<string, string>();
  for (const p of list) {
    const k = competentKey(p.competent);
    const n = competentName(p.competent, lang);
    if (k && n && !m.has(k)) m.set(k, n);
  }
  return [...m.entries()].map(([key, name]) => ({ key, name })).sort((a, b) => a.name.localeCompare(b.name, 'vi'));
}
