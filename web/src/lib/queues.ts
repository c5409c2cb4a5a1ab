// The officer's work queues: counted by the server at the signed-in officer's agency in one
// query (GET /api/v1/dossiers/queues) and listed with GET /api/v1/dossiers?queue=KEY.
import { call } from './api';
import type { DossierQuery } from './listing';
import type { DossierPage } from './types';

export type QueueKey = 'receive' | 'processing' | 'approve' | 'return' | 'overdue' | 'due_soon' | 'consult';
/** The order shown (and the 1–7 keyboard shortcuts). */
export const QUEUE_KEYS: QueueKey[] = ['receive', 'processing', 'approve', 'return', 'overdue', 'due_soon', 'consult'];

export function isQueueKey(v: string | null | undefined): v is QueueKey {
  return !!v && (QUEUE_KEYS as string[]).includes(v);
}

/** How the list of a queue is sorted: arrivals by submission, the rest soonest deadline first. */
export function queueSort(key: QueueKey): 'submitted_at' | 'due_at' {
  return key === 'receive' ? 'submitted_at' : 'due_at';
}

/**
 * The server's answer as a map with every queue present (a queue the server does not name
 * counts 0; keys it adds later are ignored).
 */
export function queueCounts(body: { queues?: { key: string; count: number }[] } | null | undefined): Record<QueueKey, number> {
  const out = Object.fromEntries(QUEUE_KEYS.map((k) => [k, 0])) as Record<QueueKey, number>;
  for (const q of body?.queues ?? []) {
    if (isQueueKey(q.key) && Number.isFinite(q.count)) out[q.key] = q.count;
  }
  return out;
}

/** How many dossiers wait in each queue of the officer's agency. */
export async function fetchQueueCounts(signal?: AbortSignal): Promise<Record<QueueKey, number>> {
  return queueCounts(await call('get', '/api/v1/dossiers/queues', { signal }));
}

/** One page of a queue. */
export function fetchQueuePage(key: QueueKey, extra: DossierQuery, signal?: AbortSignal): Promise<DossierPage> {
  return call('get', '/api/v1/dossiers', { query: { sort: queueSort(key), ...extra, queue: key }, signal });
}
