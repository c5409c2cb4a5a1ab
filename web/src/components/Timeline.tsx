import type { ReactNode } from 'react';
import { useI18n } from '../i18n';
import { formatDateTime } from '../lib/format';
import type { Schema } from '../lib/api';
import type { DossierEvent } from '../lib/types';
import { Empty } from './ui';

/** An event as anyone may see it (the public lookup), or with the officers' details. */
type TimelineEvent = Schema<'PublicDossierEvent'> & Partial<DossierEvent>;

export function Timeline<E extends TimelineEvent>({
  events,
  showActors,
  extra,
}: {
  events: E[];
  showActors?: boolean;
  /** Something to show under an event (the officer page: "Answer consultation"). */
  extra?: (e: E) => ReactNode;
}) {
  const { t, tk, pick } = useI18n();
  if (events.length === 0) return <Empty title={t('timeline.empty')} />;
  return (
    <ol className="timeline" data-testid="timeline">
      {[...events].reverse().map((e) => {
        const items = (e.items ?? []).filter((x) => x.trim());
        return (
          <li key={e.seq} data-testid={`event-${e.action}`}>
            <div className="tl-head">
              <time dateTime={e.at}>{formatDateTime(e.at)}</time>
              <strong>{tk(`event.${e.action}`, tk(`action.${e.action}`, e.action))}</strong>
              <span className={`badge status-${e.status}`}>{pick(e.status_name, e.status_name_en) || tk(`status.${e.status}`, String(e.status))}</span>
            </div>
            <p className="tl-content" lang="vi">{e.content}</p>
            {items.length > 0 && (
              <>
                <p className="tl-items-title">{e.action === 'reject' ? t('timeline.reasons') : t('timeline.items')}</p>
                <ul className="tl-items" lang="vi" data-testid="event-items">
                  {items.map((x, i) => (
                    <li key={i}>{x}</li>
                  ))}
                </ul>
              </>
            )}
            <p className="muted tl-meta">
              {e.agency_name}
              {showActors && e.actor_name ? ` · ${e.actor_name}${e.actor_position ? ` (${e.actor_position})` : ''}` : ''}
            </p>
            {extra?.(e)}
          </li>
        );
      })}
    </ol>
  );
}
