import { useState } from 'react';
import { useI18n } from '../../i18n';
import type { Key } from '../../i18n';
import { call } from '../../lib/api';
import { formatBytes, formatDateTime } from '../../lib/format';
import type { OutboxMessage, OutboxMessageDetail, OutboxStatus } from '../../lib/types';
import { useAsync } from '../../lib/useAsync';
import { Dialog, Empty, ErrorBox, Loading } from '../../components/ui';
import '../../i18n/vi-staff'; // the officers' words (this page's chunk)

const STATUSES: OutboxStatus[] = ['dead', 'retrying', 'queued', 'sending', 'delivered', 'cancelled'];
const PAGE = 50;

type Change = { kind: 'retry' | 'cancel'; message: OutboxMessage };

/** The messages tinhso sends to other systems: what waits, what failed and why; retry or cancel. */
export function OutboxAdmin() {
  const { t } = useI18n();
  const [status, setStatus] = useState<OutboxStatus | ''>('dead');
  const [offset, setOffset] = useState(0);
  const list = useAsync(
    (signal) => call('get', '/api/v1/outbox/messages', { query: { status: status || undefined, limit: PAGE, offset }, signal }),
    [status, offset],
  );
  const summary = useAsync((signal) => call('get', '/api/v1/outbox/summary', { signal }), []);
  const [openId, setOpenId] = useState<number | null>(null);
  const [change, setChange] = useState<Change | null>(null);
  const [notice, setNotice] = useState('');
  const count = (s: OutboxStatus) => (summary.data?.items ?? []).filter((c) => c.status === s).reduce((n, c) => n + c.messages, 0);
  const refresh = () => {
    list.reload();
    summary.reload();
  };
  const page = list.data;
  return (
    <>
      <section className="card" aria-labelledby="ob-list">
        <h2 id="ob-list">{t('admin.outbox')}</h2>
        <p className="muted">{t('admin.ob.intro')}</p>
        <div className="field">
          <label htmlFor="ob-status">{t('admin.ob.status')}</label>
          <select
            id="ob-status"
            value={status}
            data-testid="outbox-status"
            onChange={(e) => {
              setStatus(STATUSES.find((s) => s === e.target.value) ?? '');
              setOffset(0);
            }}
          >
            <option value="">{t('admin.ob.all')}</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {summary.data ? t('admin.ob.status_count', { status: t(`admin.ob.st.${s}` as Key), n: count(s) }) : t(`admin.ob.st.${s}` as Key)}
              </option>
            ))}
          </select>
        </div>
        {notice && <div className="alert alert-success" role="status">{notice}</div>}
        {list.error ? <ErrorBox error={list.error} onRetry={list.reload} /> : list.loading && !page ? <Loading /> : !page?.items.length ? <Empty title={t('admin.ob.none')} /> : (
          <>
            <div className="table-wrap" tabIndex={0}>
              <table data-testid="outbox-table">
                <caption className="sr-only">{t('admin.outbox')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('admin.ob.id')}</th>
                    <th scope="col">{t('admin.ob.destination')}</th>
                    <th scope="col">{t('admin.ob.key')}</th>
                    <th scope="col">{t('admin.ob.status')}</th>
                    <th scope="col">{t('admin.ob.attempts')}</th>
                    <th scope="col">{t('admin.ob.when')}</th>
                    <th scope="col">{t('admin.ob.error')}</th>
                    <th scope="col"><span className="sr-only">{t('files.actions')}</span></th>
                  </tr>
                </thead>
                <tbody>
                  {page.items.map((m) => (
                    <tr key={m.id}>
                      <td>{m.id}</td>
                      <td>{m.destination}</td>
                      <td className="wrap-anywhere">{m.idempotency_key}</td>
                      <td>{t(`admin.ob.st.${m.status}` as Key)}</td>
                      <td>{m.attempts}</td>
                      <td className="nowrap">{whenText(m, t)}</td>
                      <td className="wrap-anywhere">{m.last_error}</td>
                      <td className="nowrap">
                        <button type="button" className="btn btn-small" aria-haspopup="dialog" onClick={() => { setNotice(''); setOpenId(m.id); }} aria-label={t('admin.ob.view_named', { id: m.id })} data-testid={`outbox-view-${m.id}`}>
                          {t('admin.ob.view')}
                        </button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <nav className="form-actions" aria-label={t('admin.ob.pages')}>
              <span className="muted">{t('admin.ob.showing', { from: offset + 1, to: offset + page.items.length, total: page.total })}</span>
              <button type="button" className="btn btn-small" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>
                {t('admin.ob.prev')}
              </button>
              <button type="button" className="btn btn-small" disabled={offset + page.items.length >= page.total} onClick={() => setOffset(offset + PAGE)}>
                {t('admin.ob.next_page')}
              </button>
            </nav>
          </>
        )}
      </section>
      <MessageDialog id={openId} onClose={() => setOpenId(null)} onChange={(c) => setChange(c)} />
      <ConfirmDialog
        change={change}
        onClose={() => setChange(null)}
        onDone={(c) => {
          setChange(null);
          setOpenId(null);
          setNotice(t(c.kind === 'retry' ? 'admin.ob.retried' : 'admin.ob.cancelled', { id: c.message.id }));
          refresh();
        }}
      />
    </>
  );
}

function whenText(m: OutboxMessage, t: (key: Key, params?: Record<string, string | number>) => string): string {
  if (m.delivered_at) return t('admin.ob.delivered_at', { at: formatDateTime(m.delivered_at) });
  if (m.status === 'queued' || m.status === 'retrying') return t('admin.ob.next_at', { at: formatDateTime(m.next_attempt_at) });
  return formatDateTime(m.updated_at);
}

/** One message: its request, body and attempts, with Retry or Cancel when they apply. */
function MessageDialog({ id, onClose, onChange }: { id: number | null; onClose: () => void; onChange: (c: Change) => void }) {
  const { t } = useI18n();
  const s = useAsync(
    (signal) => (id === null ? Promise.resolve(null) : call('get', '/api/v1/outbox/messages/{id}', { path: { id }, signal })),
    [id],
  );
  const d: OutboxMessageDetail | null | undefined = s.data;
  const m = d?.message;
  return (
    <Dialog open={id !== null} title={id !== null ? t('admin.ob.detail', { id }) : ''} onClose={onClose} testId="outbox-dialog">
      {s.error ? <ErrorBox error={s.error} onRetry={s.reload} /> : !d || !m ? <Loading /> : (
        <>
          <dl className="kv">
            <dt>{t('admin.ob.status')}</dt>
            <dd data-testid="outbox-dialog-status">{t(`admin.ob.st.${m.status}` as Key)}</dd>
            <dt>{t('admin.ob.destination')}</dt>
            <dd>{m.destination}</dd>
            <dt>{t('admin.ob.request')}</dt>
            <dd className="wrap-anywhere">{m.method} {m.path}</dd>
            <dt>{t('admin.ob.key')}</dt>
            <dd className="wrap-anywhere">{m.idempotency_key}</dd>
            <dt>{t('admin.ob.ordering')}</dt>
            <dd>{m.ordering_key ? t('admin.ob.ordering_seq', { key: m.ordering_key, seq: m.seq }) : t('admin.ob.ordering_none')}</dd>
            <dt>{t('admin.ob.created')}</dt>
            <dd>{formatDateTime(m.created_at)}</dd>
            {m.last_error && (
              <>
                <dt>{t('admin.ob.error')}</dt>
                <dd className="wrap-anywhere">{m.last_error}</dd>
              </>
            )}
          </dl>
          {d.headers.length > 0 && (
            <>
              <h3>{t('admin.ob.headers')}</h3>
              <pre className="code">{d.headers.map((h) => `${h.name}: ${h.value}`).join('\n')}</pre>
            </>
          )}
          <h3>{t('admin.ob.body')}</h3>
          {d.body_text !== null ? (
            <pre className="code" data-testid="outbox-body">{d.body_text}</pre>
          ) : (
            <p className="muted">{t('admin.ob.body_binary', { size: formatBytes(m.body_size), hash: m.body_sha256 })}</p>
          )}
          <h3>{t('admin.ob.history')}</h3>
          {!d.attempts.length ? <p className="muted">{t('admin.ob.no_attempts')}</p> : (
            <div className="table-wrap" tabIndex={0}>
              <table data-testid="outbox-attempts">
                <caption className="sr-only">{t('admin.ob.history')}</caption>
                <thead>
                  <tr>
                    <th scope="col">#</th>
                    <th scope="col">{t('admin.ob.started')}</th>
                    <th scope="col">{t('admin.ob.outcome')}</th>
                    <th scope="col">{t('admin.ob.code')}</th>
                    <th scope="col">{t('admin.ob.attempt_error')}</th>
                  </tr>
                </thead>
                <tbody>
                  {d.attempts.map((a, i) => (
                    <tr key={i}>
                      <td>{i + 1}</td>
                      <td className="nowrap">{formatDateTime(a.started_at)}</td>
                      <td>{t(`admin.ob.out.${a.outcome}` as Key)}</td>
                      <td>{a.status_code || '—'}</td>
                      <td className="wrap-anywhere">{a.error}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <div className="form-actions">
            <button type="button" className="btn" onClick={onClose}>{t('common.close')}</button>
            {(m.status === 'dead' || m.status === 'cancelled') && (
              <button type="button" className="btn btn-primary" aria-haspopup="dialog" onClick={() => onChange({ kind: 'retry', message: m })} data-testid="outbox-retry">
                {t('admin.ob.retry')}
              </button>
            )}
            {(m.status === 'queued' || m.status === 'retrying') && (
              <button type="button" className="btn btn-danger" aria-haspopup="dialog" onClick={() => onChange({ kind: 'cancel', message: m })} data-testid="outbox-cancel">
                {t('admin.ob.cancel')}
              </button>
            )}
          </div>
        </>
      )}
    </Dialog>
  );
}

/** "Send again?" / "Cancel it?": a change an administrator confirms, then audited by the server. */
function ConfirmDialog({ change, onClose, onDone }: { change: Change | null; onClose: () => void; onDone: (c: Change) => void }) {
  const { t } = useI18n();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [shownFor, setShownFor] = useState<Change | null>(null);
  if (change !== shownFor) {
    setShownFor(change);
    setError(null);
  }
  async function confirm() {
    if (!change) return;
    setBusy(true);
    setError(null);
    try {
      const path = { id: change.message.id };
      await (change.kind === 'retry'
        ? call('post', '/api/v1/outbox/messages/{id}/retry', { path })
        : call('post', '/api/v1/outbox/messages/{id}/cancel', { path }));
      onDone(change);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }
  const params = change ? { id: change.message.id, destination: change.message.destination } : { id: 0, destination: '' };
  return (
    <Dialog
      open={!!change}
      title={change ? t(change.kind === 'retry' ? 'admin.ob.retry_title' : 'admin.ob.cancel_title', params) : ''}
      onClose={onClose}
      testId="outbox-confirm"
    >
      <p>{change ? t(change.kind === 'retry' ? 'admin.ob.confirm_retry' : 'admin.ob.confirm_cancel', params) : ''}</p>
      <ErrorBox error={error} />
      <div className="form-actions">
        <button type="button" className="btn" onClick={onClose}>{t('admin.ob.keep')}</button>
        <button type="button" className={change?.kind === 'cancel' ? 'btn btn-danger' : 'btn btn-primary'} disabled={busy} onClick={confirm} data-testid="outbox-confirm-yes">
          {busy ? t('common.working') : change?.kind === 'retry' ? t('admin.ob.retry') : t('admin.ob.cancel')}
        </button>
      </div>
    </Dialog>
  );
}
