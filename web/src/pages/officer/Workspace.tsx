import { useEffect, useRef, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { useAuth } from '../../auth';
import { useI18n } from '../../i18n';
import type { Key } from '../../i18n';
import { call } from '../../lib/api';
import { endOfWorkingDaysFromToday } from '../../lib/calendarClient';
import { formatDate } from '../../lib/format';
import { FILTER_KEYS, fetchFilteredPage, parseStatusList } from '../../lib/listing';
import type { DossierQuery } from '../../lib/listing';
import { fetchQueueCounts, fetchQueuePage, isQueueKey, QUEUE_KEYS } from '../../lib/queues';
import type { QueueKey } from '../../lib/queues';
import { hasRole } from '../../lib/roles';
import type { Dossier } from '../../lib/types';
import { useAsync, useDebounced } from '../../lib/useAsync';
import { DeadlineBadge, Empty, ErrorBox, Loading, PageTitle, StatusBadge } from '../../components/ui';
import { Pager } from '../portal/MyDossiers';
import '../../i18n/vi-staff'; // the officers' words (this page's chunk)

const PAGE = 25;

function defaultQueue(roles: { reception: boolean; leader: boolean }): QueueKey {
  if (roles.reception) return 'receive';
  if (roles.leader) return 'approve';
  return 'processing';
}

export default function Workspace() {
  const { t, tk, lang } = useI18n();
  const { user } = useAuth();
  const [params, setParams] = useSearchParams();
  const navigate = useNavigate();
  const searchRef = useRef<HTMLInputElement>(null);
  const [q, setQ] = useState(params.get('q') ?? '');
  const dq = useDebounced(q.trim(), 300);
  const [offset, setOffset] = useState(0);

  // The address's text goes as it is: the server checks each value (a 400 that says which).
  const filters: Record<string, string> = {};
  for (const k of FILTER_KEYS) {
    const v = params.get(k);
    if (v) filters[k] = v;
  }
  const filterMode = Object.keys(filters).length > 0;
  const hang = params.get('hang');
  const queue: QueueKey = isQueueKey(hang) ? hang : defaultQueue({ reception: hasRole(user, 'reception'), leader: hasRole(user, 'leader') });

  // Only for the deadline colours; the server decides what "due soon" holds.
  const soon = useAsync(() => endOfWorkingDaysFromToday(2), []);
  const counts = useAsync((signal) => fetchQueueCounts(signal), []);

  const list = useAsync(
    async (signal): Promise<{ items: Dossier[]; total: number }> => {
      if (filterMode) return fetchFilteredPage({ sort: 'due_at', ...(filters as DossierQuery), q: dq }, offset, PAGE, signal);
      const page = await fetchQueuePage(queue, { q: dq, limit: PAGE, offset }, signal);
      return { items: page.items, total: page.total };
    },
    [queue, dq, offset, params.toString()],
  );

  // Agency filters name the agency, not its number.
  const agencyFilter = Boolean(filters.agency_id || filters.competent_agency_id);
  const agencies = useAsync(
    async (signal) => (agencyFilter ? (await call('get', '/api/v1/agencies', { query: { limit: 500 }, signal })).items : []),
    [agencyFilter],
  );
  const agencyName = (id: string) => {
    const a = agencies.data?.find((x) => String(x.id) === id);
    return a ? (lang === 'en' && a.name_en ? a.name_en : a.name) : `#${id}`;
  };
  const filterText = (k: string, v: string): string => {
    if (k.endsWith('_from') || k.endsWith('_to')) return formatDate(v);
    if (k === 'status') return (parseStatusList(v) ?? [v]).map((n) => tk(`status.${n}`, String(n))).join(', ');
    if (k === 'overdue') return t('common.yes');
    if (k === 'channel') return tk(`channel.${v}`, v);
    if (k === 'outcome') return tk(`timeliness.${v}`, v);
    if (k === 'agency_id' || k === 'competent_agency_id') return agencyName(v);
    return v;
  };

  useEffect(() => setOffset(0), [queue, dq, params.toString()]);

  // Keyboard: "/" focuses the search, 1–7 open a queue (outside text fields).
  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      const el = e.target as HTMLElement;
      if (el.closest('input, textarea, select, [contenteditable]') || e.ctrlKey || e.metaKey || e.altKey) return;
      if (e.key === '/') {
        e.preventDefault();
        searchRef.current?.focus();
      } else if (/^[1-7]$/.test(e.key)) {
        const k = QUEUE_KEYS[Number(e.key) - 1];
        navigate(`/mot-cua?hang=${k}`);
      }
    }
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [navigate]);

  const title = filterMode ? t('ws.filtered') : t(`queue.${queue}` as Key);
  const shown = list.data?.items ?? [];
  const total = list.data?.total ?? 0;

  return (
    <div className="container">
      <PageTitle sub={<span className="kbd-hint">{t('ws.kbd')}</span>}>{t('ws.title')}</PageTitle>
      <div className="workspace">
        <nav aria-label={t('ws.queues')}>
          <ul className="queues" data-testid="queues">
            {QUEUE_KEYS.map((k, i) => {
              const n = counts.data?.[k];
              const tone = (k === 'overdue' && n) ? 'count-bad' : (k === 'due_soon' && n) ? 'count-warn' : '';
              return (
                <li key={k}>
                  <Link to={`/mot-cua?hang=${k}`} aria-current={!filterMode && queue === k ? 'page' : undefined} data-testid={`queue-${k}`} aria-keyshortcuts={String(i + 1)}>
                    <span>{t(`queue.${k}` as Key)}</span>
                    <span className={`count ${tone}`} data-testid={`queue-count-${k}`} aria-label={n === undefined ? t('common.loading') : t('ws.count', { n })}>
                      {n === undefined ? '…' : n}
                    </span>
                  </Link>
                </li>
              );
            })}
          </ul>
          {counts.error ? <ErrorBox error={counts.error} onRetry={counts.reload} title={t('ws.counts_failed')} /> : null}
        </nav>
        <section aria-labelledby="queue-title">
          <h2 id="queue-title">{title}</h2>
          {filterMode && (
            <div className="alert alert-info">
              <p>{t('ws.filtered_intro')}</p>
              <ul>
                {Object.entries(filters).map(([k, v]) => (
                  <li key={k}>
                    {t(`filter.${k}` as Key)}: <strong>{filterText(k, String(v))}</strong>
                  </li>
                ))}
              </ul>
              <button type="button" className="btn btn-small" onClick={() => setParams({})}>
                {t('ws.clear_filters')}
              </button>
            </div>
          )}
          <div className="toolbar">
            <div className="filter">
              <label htmlFor="ws-search">{t('ws.search')}</label>
              <input id="ws-search" ref={searchRef} type="search" value={q} onChange={(e) => setQ(e.target.value)} placeholder={t('ws.search_placeholder')} data-testid="ws-search" aria-keyshortcuts="/" />
            </div>
            {hasRole(user, 'reception') && (
              <Link className="btn" to="/mot-cua/tiep-nhan" data-testid="counter-intake-link">
                {t('ws.counter_submit')}
              </Link>
            )}
          </div>
          <div aria-live="polite" className="muted">
            {!list.loading && list.data ? t('ws.count', { n: total }) : ''}
          </div>
          {list.error ? (
            <ErrorBox error={list.error} onRetry={list.reload} />
          ) : (list.loading && !list.data) || !list.data ? (
            <Loading />
          ) : shown.length === 0 ? (
            <Empty title={dq ? t('ws.none_search') : t(`queue.empty.${filterMode ? 'filtered' : queue}` as Key)} />
          ) : (
            <>
              <div className="table-wrap" tabIndex={0}>
                <table className="dossier-table" data-testid="dossier-table">
                  <caption className="sr-only">{title}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{t('dossier.code')}</th>
                      <th scope="col">{t('dossier.procedure')}</th>
                      <th scope="col">{t('dossier.applicant')}</th>
                      <th scope="col">{t('dossier.status')}</th>
                      <th scope="col">{t('dossier.received_at')}</th>
                      <th scope="col">{t('dossier.due_at')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {shown.map((d) => (
                      <tr key={d.id} data-testid="dossier-row">
                        <td>
                          <Link to={`/mot-cua/ho-so/${d.id}`} data-testid="dossier-link">
                            {d.code ?? t('ws.no_code', { id: d.id })}
                          </Link>
                          <div className="muted small">{t(`channel.${d.channel}` as Key)}</div>
                        </td>
                        <td>{d.procedure_name}</td>
                        <td>{d.applicant.name}</td>
                        <td>
                          <StatusBadge status={d.status} vi={d.status_name} en={d.status_name_en} />
                        </td>
                        {/* The reception date once received; before that, only when it was sent. */}
                        <td className="nowrap" data-testid="received-cell">
                          {d.received_at ? formatDate(d.received_at) : (
                            <>
                              <span className="muted">{t('ws.not_received')}</span>
                              <div className="muted small">{t('ws.submitted_on', { date: formatDate(d.submitted_at) })}</div>
                            </>
                          )}
                        </td>
                        <td>
                          <DeadlineBadge status={d.status} dueAt={d.due_at} soonUntil={soon.data} />
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              <Pager total={total} offset={offset} limit={PAGE} onChange={setOffset} />
            </>
          )}
          <p className="muted small" lang={lang}>{t('ws.legend')}</p>
        </section>
      </div>
    </div>
  );
}
