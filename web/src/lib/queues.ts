// The officer's work queues, built from GET /api/v1/dossiers filters. The API has no queue or
// multi-status filter (reported): a queue may combine several list calls, and "to approve"
// is filtered in the browser by the role of the dossier's current step.
import { api } from './api';
import type { Query } from './api';
import { procedureDetail } from './catalog';
import type { Dossier, DossierPage } from './types';

export type QueueKey = 'receive' | 'processing' | 'approve' | 'return' | 'overdue' | 'due_soon';
export const QUEUE_KEYS: QueueKey[] = ['receive', 'processing', 'approve', 'return', 'overdue', 'due_soon'];

export interface QueueDef {
  key: QueueKey;
  queries: Query[];
  /** Keeps only some dossiers (client side); the count then needs the full list. */
  filter?: (items: Dossier[]) => Promise<Dossier[]>;
}

/** True when the dossier's current step is performed by `role`. */
export async function stepRoleIs(d: Dossier, role: string): Promise<boolean> {
  try {
    const p = await procedureDetail(d.procedure_code);
    return p.steps[d.step_index]?.role === role;
  } catch {
    return false;
  }
}

async function keepStepRole(items: Dossier[], role: string): Promise<Dossier[]> {
  const keep = await Promise.all(items.map((d) => stepRoleIs(d, role)));
  return items.filter((_, i) => keep[i]);
}

/** `soonUntil`: the end of the second working day from now (ISO time). */
export function queueDefs(nowIso: string, soonUntil: string): Record<QueueKey, QueueDef> {
  return {
    receive: { key: 'receive', queries: [{ status: 1, sort: 'submitted_at' }] },
    processing: {
      key: 'processing',
      queries: [
        { status: 2, sort: 'due_at' },
        { status: 4, sort: 'due_at' },
      ],
    },
    approve: { key: 'approve', queries: [{ status: 4, sort: 'due_at' }], filter: (items) => keepStepRole(items, 'leader') },
    return: { key: 'return', queries: [{ status: 9, sort: 'due_at' }] },
    overdue: { key: 'overdue', queries: [{ overdue: 'true', sort: 'due_at' }] },
    due_soon: {
      key: 'due_soon',
      queries: [
        { status: 2, due_from: nowIso, due_to: soonUntil, sort: 'due_at' },
        { status: 4, due_from: nowIso, due_to: soonUntil, sort: 'due_at' },
      ],
    },
  };
}

const MAX_FETCH = 500;

/** How many dossiers a queue holds. */
export async function queueCount(def: QueueDef, extra: Query, signal?: AbortSignal): Promise<number> {
  if (def.filter) return (await queueItems(def, extra, signal)).length;
  const pages = await Promise.all(def.queries.map((q) => api<DossierPage>('/api/v1/dossiers', { query: { ...q, ...extra, limit: 1 }, signal })));
  return pages.reduce((s, p) => s + p.total, 0);
}

/** The queue's dossiers, soonest deadline first (at most 500 per underlying call). */
export async function queueItems(def: QueueDef, extra: Query, signal?: AbortSignal): Promise<Dossier[]> {
  const pages = await Promise.all(def.queries.map((q) => api<DossierPage>('/api/v1/dossiers', { query: { ...q, ...extra, limit: MAX_FETCH }, signal })));
  let items = pages.flatMap((p) => p.items);
  if (def.filter) items = await def.filter(items);
  if (def.key !== 'receive') {
    items.sort((a, b) => (a.due_at ?? '9999').localeCompare(b.due_at ?? '9999'));
  }
  return items;
}
