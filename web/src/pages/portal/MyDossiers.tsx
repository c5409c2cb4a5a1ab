import { useState } from 'react';
import { Link } from 'react-router-dom';
import { useI18n } from '../../i18n';
import { call } from '../../lib/api';
import { formatDate, formatDateTime } from '../../lib/format';
import { useAsync } from '../../lib/useAsync';
import { Empty, ErrorBox, Loading, PageTitle, StatusBadge } from '../../components/ui';

const PAGE = 20;

export default function MyDossiers() {
  const { t } = useI18n();
  const [status, setStatus] = useState('');
  const [offset, setOffset] = useState(0);
  const s = useAsync(
    (signal) => call('get', '/api/v1/dossiers', { query: { status, limit: PAGE, offset, sort: '-submitted_at' }, signal }),
    [status, offset],
  );
  return (
    <div className="container">
      <PageTitle>{t('my.title')}</PageTitle>
      <div className="toolbar">
        <div className="filter">
          <label htmlFor="my-status">{t('dossier.status')}</label>
          <select id="my-status" value={status} onChange={(e) => { setStatus(e.target.value); setOffset(0); }}>
            <option value="">{t('common.all')}</option>
            {[1, 2, 4, 5, 6, 9, 10, 3, 7, 8].map((n) => (
              <option key={n} value={n}>
                {t(`status.${n}` as 'status.1')}
              </option>
            ))}
          </select>
        </div>
        <Link to="/" className="btn btn-primary">
          {t('my.new')}
        </Link>
      </div>
      <MyDrafts />
      {s.error ? (
        <ErrorBox error={s.error} onRetry={s.reload} />
      ) : s.loading && !s.data ? (
        <Loading />
      ) : !s.data || s.data.items.length === 0 ? (
        <Empty title={status ? t('my.none_status') : t('my.none')}>
          <p>{t('my.none_hint')}</p>
          <Link to="/" className="btn btn-small">{t('my.new')}</Link>
        </Empty>
      ) : (
        <>
          <ul className="dossier-cards" data-testid="my-dossiers">
            {s.data.items.map((d) => (
              <li key={d.id} className="card dossier-card" data-testid="my-dossier">
                <h2 className="h3">
                  <Link to={`/ho-so-cua-toi/${d.id}`} data-testid="my-dossier-link">
                    {d.procedure_name}
                  </Link>
                </h2>
                {d.subject && (
                  <p className="dossier-subject" data-testid="my-dossier-subject">
                    <span className="muted">{t('my.subject')}:</span> <strong>{d.subject}</strong>
                  </p>
                )}
                <p>
                  <StatusBadge status={d.status} vi={d.status_name} en={d.status_name_en} />
                </p>
                <dl className="proc-meta">
                  <div>
                    <dt>{t('my.reference_code')}</dt>
                    <dd data-testid="my-dossier-number">
                      {d.reference}
                      {d.code ? ` · ${d.code}` : ` · ${t('receipt.code_pending')}`}
                    </dd>
                  </div>
                  <div>
                    <dt>{t('dossier.submitted_at')}</dt>
                    <dd>{formatDate(d.submitted_at)}</dd>
                  </div>
                  <div>
                    <dt>{t('dossier.due_at')}</dt>
                    <dd>{formatDate(d.due_at) || '—'}</dd>
                  </div>
                </dl>
                {d.status === 5 && <p className="notice">{t('my.needs_supplement')}</p>}
                {d.status === 6 && <p className="notice">{t('my.needs_payment')}</p>}
                {d.paid_online && d.status !== 6 && <p className="notice notice-ok" data-testid="my-dossier-paid">{t('my.paid')}</p>}
                {d.status === 10 && d.rating === null && <p className="notice">{t('my.needs_rating')}</p>}
              </li>
            ))}
          </ul>
          <Pager total={s.data.total} offset={offset} limit={PAGE} onChange={setOffset} />
        </>
      )}
    </div>
  );
}

export function Pager({ total, offset, limit, onChange }: { total: number; offset: number; limit: number; onChange: (o: number) => void }) {
  const { t } = useI18n();
  if (total <= limit) return <p className="muted">{t('pager.total', { n: total })}</p>;
  const page = Math.floor(offset / limit) + 1;
  const pages = Math.ceil(total / limit);
  return (
    <nav className="pager" aria-label={t('pager.label')}>
      <button type="button" className="btn btn-small" disabled={offset === 0} onClick={() => onChange(Math.max(0, offset - limit))}>
        {t('pager.prev')}
      </button>
      <span>{t('pager.page', { page, pages, n: total })}</span>
      <button type="button" className="btn btn-small" disabled={offset + limit >= total} onClick={() => onChange(offset + limit)}>
        {t('pager.next')}
      </button>
    </nav>
  );
}

/** The account's drafts (Lưu nháp): each reopens its submission page where it was left. */
function MyDrafts() {
  const { t } = useI18n();
  const [gone, setGone] = useState<number[]>([]);
  const d = useAsync((signal) => call('get', '/api/v1/drafts', { signal }), []);
  const items = (d.data?.items ?? []).filter((x) => !gone.includes(x.id));
  if (d.error) return <ErrorBox error={d.error} onRetry={d.reload} />;
  if (items.length === 0) return null;
  return (
    <section className="card" aria-labelledby="my-drafts-title" data-testid="my-drafts">
      <h2 id="my-drafts-title">{t('draft.list_title')}</h2>
      <p className="muted">{t('draft.list_intro')}</p>
      <ul className="dossier-cards">
        {items.map((x) => (
          <li key={x.id} className="dossier-card" data-testid="my-draft">
            <h3 className="h3">
              <Link to={`/thu-tuc/nop?ma=${encodeURIComponent(x.procedure_code)}&nhap=${x.id}`} data-testid="my-draft-link">
                {x.procedure_name || x.procedure_code}
              </Link>
            </h3>
            <p className="muted">{t('draft.meta', { time: formatDateTime(x.updated_at), files: x.files.length, date: formatDate(x.expires_at) })}</p>
            <button
              type="button"
              className="btn btn-small"
              aria-label={t('draft.delete_named', { name: x.procedure_name || x.procedure_code })}
              onClick={() =>
                void call('delete', '/api/v1/drafts/{id}', { path: { id: x.id }, query: { version: x.version } })
                  .then(() => setGone((g) => [...g, x.id]))
                  .catch(() => d.reload())
              }
            >
              {t('draft.delete')}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
