// The officer's filtered dossier list (/mot-cua?status=&…): one GET /api/v1/dossiers call, or
// for a set of statuses ("status=2,4,5,6": the dashboard's "in progress") one call per status
// merged here, because the list API filters on a single status.
import type { paths } from '../api/schema';
import { call } from './api';
import type { Dossier } from './types';

/** The query of GET /api/v1/dossiers, as the document declares it. */
export type DossierQuery = NonNullable<paths['/api/v1/dossiers']['get']['parameters']['query']>;

/** The filters the workspace reads from its address (all optional). */
export const FILTER_KEYS = [
  'status',
  'agency_id',
  'competent_agency_id',
  'procedure',
  'channel',
  'outcome',
  'received_from',
  'received_to',
  'due_from',
  'due_to',
  'overdue',
] as const;
export type FilterKey = (typeof FILTER_KEYS)[number];

/** "2,4,5,6" → [2, 4, 5, 6]; null unless every part is a status 1–10. */
export function parseStatusList(v: string | null | undefined): number[] | null {
  if (!v) return null;
  const parts = v.split(',').map((s) => s.trim());
  const out: number[] = [];
  for (const p of parts) {
    if (!/^\d{1,2}$/.test(p)) return null;
    const n = Number(p);
    if (n < 1 || n > 10) return null;
    if (!out.includes(n)) out.push(n);
  }
  return out.length ? out : null;
}

type SortField = 'due_at' | 'submitted_at' | 'received_at' | 'updated_at' | 'code';

/** Compares two dossiers as the server's `sort` does ("due_at", "-submitted_at", …); empty values last. */
export function compareBy(sort: string): (a: Dossier, b: Dossier) => number {
  const desc = sort.startsWith('-');
  const field = (desc ? sort.slice(1) : sort) as SortField;
  return (a, b) => {
    const x = a[field] ?? null;
    const y = b[field] ?? null;
    if (x === y) return a.id - b.id;
    if (x === null) return 1;
    if (y === null) return -1;
    const c = String(x).localeCompare(String(y));
    return desc ? -c : c;
  };
}

/**
 * One page of several sorted lists taken together: each list must hold its first
 * `offset + limit` items (in `sort` order).
 */
export function mergePage(lists: Dossier[][], sort: string, offset: number, limit: number): Dossier[] {
  return lists.flat().sort(compareBy(sort)).slice(offset, offset + limit);
}

/** The most one call may ask for (the server's limit). */
export const MAX_LIMIT = 500;

/** A page of dossiers matching `query`, whose `status` may be a list ("2,4,5,6"). */
export async function fetchFilteredPage(query: DossierQuery, offset: number, limit: number, signal?: AbortSignal): Promise<{ items: Dossier[]; total: number }> {
  const statuses = parseStatusList(query.status);
  if (!statuses || statuses.length < 2) {
    const page = await call('get', '/api/v1/dossiers', { query: { ...query, limit, offset }, signal });
    return { items: page.items, total: page.total };
  }
  // Each status's first offset+limit dossiers hold the merged page (up to the server's limit).
  const need = Math.min(offset + limit, MAX_LIMIT);
  const pages = await Promise.all(
    statuses.map((s) => call('get', '/api/v1/dossiers', { query: { ...query, status: String(s), limit: need, offset: 0 }, signal })),
  );
  const sort = String(query.sort ?? '-submitted_at');
  return {
    items: mergePage(pages.map((p) => p.items), sort, offset, limit),
    total: pages.reduce((n, p) => n + p.total, 0),
  };
}
