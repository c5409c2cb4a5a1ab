import { useI18n } from '../i18n';
import { formatDateTime } from '../lib/format';
import type { DossierEvent } from '../lib/types';
import { Empty } from './ui';

export function Timeline({ events, showActors }: { events: DossierEvent[]; showActors?: boolean }) {
  const { t, tk } = useI18n();
  if (events.length === 0) return <Empty title={t('timeline.empty')} />;
  return (
    <ol className="timeline" data-testid="timeline">
      {[...events].reverse().map((e) => (
        <li key={e.seq}>
          <div className="tl-head">
            <time dateTime={e.at}>{formatDateTime(e.at)}</time>
            <strong>{tk(`event.${e.action}`, tk(`action.${e.action}`, e.action))}</strong>
            <span className={`badge status-${e.status}`}>{tk(`status.${e.status}`, e.status_name)}</span>
          </div>
          <p className="tl-content" lang="vi">{e.content}</p>
          <p className="muted tl-meta">
            {e.agency_name}
            {showActors && e.actor_name ? ` · ${e.actor_name}${e.actor_position ? ` (${e.actor_position})` : ''}` : ''}
          </p>
        </li>
      ))}
    </ol>
  );
}
