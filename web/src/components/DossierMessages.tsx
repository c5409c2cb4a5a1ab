import { useI18n } from '../i18n';
import { call } from '../lib/api';
import { formatDateTime } from '../lib/format';
import { useAsync } from '../lib/useAsync';
import { ErrorBox, Loading } from './ui';

/** The messages sent about a dossier, with each one's delivery status (officers). */
export function DossierMessages({ dossierId }: { dossierId: number }) {
  const { t, tk } = useI18n();
  const s = useAsync((signal) => call('get', '/api/v1/dossiers/{id}/notifications', { path: { id: dossierId }, signal }), [dossierId]);
  if (s.loading && !s.data) return <Loading />;
  if (s.error || !s.data) return <ErrorBox error={s.error} onRetry={s.reload} />;
  const items = [...s.data.items].reverse(); // newest first
  if (items.length === 0) return <p className="muted">{t('notif.dossier_none')}</p>;
  return (
    <div className="table-wrap" tabIndex={0}>
      <table data-testid="dossier-messages">
        <caption className="sr-only">{t('notif.dossier_title')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('notif.col_message')}</th>
            <th scope="col">{t('notif.col_status')}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((m) => (
            <tr key={m.id} data-testid="dossier-message" data-channel={m.channel} data-template={m.template_key} data-status={m.status}>
              <td>
                <strong>{tk(`notif.channel.${m.channel}`, m.channel)}</strong>
                {m.address && <span className="muted"> · {m.address}</span>}
                <div>{m.subject || m.body}</div>
                <div className="muted small">
                  {formatDateTime(m.created_at)}
                  {m.channel === 'sms' && m.segments > 0 && <> · {t('notif.segments', { n: m.segments })}</>}
                </div>
              </td>
              <td>
                <span className={`badge notif-status-${m.status}`} data-testid="dossier-message-status">
                  {tk(`notif.status.${m.status}`, m.status)}
                </span>
                {m.delivered_at && <div className="muted small">{formatDateTime(m.delivered_at)}</div>}
                {m.last_error && ['failed', 'bounced', 'suppressed'].includes(m.status) && <div className="muted small">{m.last_error}</div>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
