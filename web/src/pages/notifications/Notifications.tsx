import { useEffect } from 'react';
import { Link } from 'react-router-dom';
import { useAuth } from '../../auth';
import { useI18n } from '../../i18n';
import { formatDateTime } from '../../lib/format';
import { dossierLink, listNotifications, markRead, onNotificationsChanged, unreadCount } from '../../lib/notifications';
import { isOfficer } from '../../lib/roles';
import { useAsync } from '../../lib/useAsync';
import { Empty, ErrorBox, Loading, PageTitle } from '../../components/ui';

/** The signed-in user's notifications in the portal, newest first; opening one marks it read. */
export default function NotificationsPage() {
  const { t } = useI18n();
  const { user } = useAuth();
  const s = useAsync((signal) => listNotifications(signal), []);
  const reload = s.reload;
  useEffect(() => onNotificationsChanged(reload), [reload]);
  const items = s.data ?? [];
  const unread = unreadCount(items);

  const readAll = async () => {
    for (const n of items.filter((i) => !i.read_at)) await markRead(n.id);
  };

  return (
    <div className="container">
      <PageTitle sub={unread > 0 ? t('notif.unread_count', { n: unread }) : undefined}>{t('notif.title')}</PageTitle>
      <p className="toolbar">
        <Link to="/thong-bao/cai-dat" data-testid="notif-settings-link">
          {t('notif.settings_link')}
        </Link>
        {unread > 0 && (
          <button type="button" className="btn btn-small" onClick={readAll} data-testid="notif-read-all">
            {t('notif.read_all')}
          </button>
        )}
      </p>
      {s.loading && !s.data ? (
        <Loading />
      ) : s.error ? (
        <ErrorBox error={s.error} onRetry={s.reload} />
      ) : items.length === 0 ? (
        <Empty title={t('notif.none')} />
      ) : (
        <ul className="plain notif-list" data-testid="notif-list">
          {items.map((n) => {
            const to = dossierLink(n, isOfficer(user));
            return (
              <li key={n.id} className={`card notif${n.read_at ? '' : ' notif-unread'}`} data-testid="notif-item" data-read={n.read_at ? 'yes' : 'no'}>
                <h2 className="notif-subject">
                  {!n.read_at && <span className="badge badge-warn">{t('notif.new')}</span>} {n.subject || t('notif.untitled')}
                </h2>
                <p className="muted small">{formatDateTime(n.created_at)}</p>
                <p className="notif-body">{n.body}</p>
                <p className="notif-actions">
                  {to && (
                    <Link to={to} onClick={() => !n.read_at && markRead(n.id)} data-testid="notif-open">
                      {t('notif.open_dossier')}
                    </Link>
                  )}
                  {!n.read_at && (
                    <button type="button" className="btn btn-small" onClick={() => markRead(n.id)} data-testid="notif-mark-read">
                      {t('notif.mark_read')}
                    </button>
                  )}
                </p>
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}
