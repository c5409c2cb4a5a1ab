import { useEffect, useState } from 'react';
import { Link, useLocation } from 'react-router-dom';
import { useI18n } from '../i18n';
import { listNotifications, onNotificationsChanged, unreadCount } from '../lib/notifications';

/** The header's link to one's notifications, with the number not read yet. */
export function NotificationBell() {
  const { t } = useI18n();
  const loc = useLocation();
  const [unread, setUnread] = useState(0);
  const [tick, setTick] = useState(0);
  useEffect(() => onNotificationsChanged(() => setTick((n) => n + 1)), []);
  useEffect(() => {
    const ctl = new AbortController();
    listNotifications(ctl.signal).then(
      (items) => setUnread(unreadCount(items)),
      () => undefined, // the bell stays quiet; the list page shows errors
    );
    return () => ctl.abort();
  }, [loc.pathname, tick]);
  const label = unread > 0 ? t('notif.bell_unread', { n: unread }) : t('notif.bell');
  return (
    <Link to="/thong-bao" className="bell" aria-label={label} title={label} data-testid="notif-bell">
      <svg aria-hidden="true" viewBox="0 0 24 24" width="22" height="22">
        <path
          d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1z"
          fill="currentColor"
        />
      </svg>
      {unread > 0 && (
        <span className="bell-count" data-testid="notif-unread">
          {unread > 99 ? '99+' : unread}
        </span>
      )}
    </Link>
  );
}
