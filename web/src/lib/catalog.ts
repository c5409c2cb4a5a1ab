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
