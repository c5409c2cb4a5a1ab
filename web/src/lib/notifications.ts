// The signed-in user's in-app notifications: one read shared by the header's bell and the list
// page, refreshed when either marks something read (an event on window).
import { call } from './api';
import type { Schema } from './api';

export type Notification = Schema<'NotificationView'>;
export type Preference = Schema<'PreferenceView'>;

const CHANGED = 'tinhso:notifications-changed';

export function listNotifications(signal?: AbortSignal): Promise<Notification[]> {
  return call('get', '/api/v1/notifications', { query: { limit: 50 }, signal }).then((r) => r.items);
}

export async function markRead(id: number): Promise<void> {
  await call('post', '/api/v1/notifications/{id}/read', { path: { id } });
  window.dispatchEvent(new Event(CHANGED));
}

export function onNotificationsChanged(fn: () => void): () => void {
  window.addEventListener(CHANGED, fn);
  return () => window.removeEventListener(CHANGED, fn);
}

export function unreadCount(items: Notification[]): number {
  return items.filter((n) => !n.read_at).length;
}

/** Where a notification about a dossier leads: the applicant's page or the officer's. */
export function dossierLink(n: Notification, officer: boolean): string | null {
  if (n.dossier_id == null) return null;
  return officer ? `/mot-cua/ho-so/${n.dossier_id}` : `/ho-so-cua-toi/${n.dossier_id}`;
}

export const CHANNELS = ['inapp', 'email', 'sms'] as const;
export type ChannelName = (typeof CHANNELS)[number];
