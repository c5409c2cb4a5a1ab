import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { useI18n } from '../../i18n';
import { call, callForm } from '../../lib/api';
import { procedureDetail } from '../../lib/catalog';
import { buildForm, fileProgress } from '../../lib/submission';
import { formatMoney } from '../../lib/format';
import { useSite } from '../../lib/site';
import type { Dossier, DossierFile, Procedure } from '../../lib/types';
import { useAsync } from '../../lib/useAsync';
import { ApplicantFacts, DossierFacts, FileTable, fileUrl, useDossier } from '../../components/DossierParts';
import { FilePicker } from '../../components/FilePicker';
import type { PickedFile } from '../../components/FilePicker';
import { Timeline } from '../../components/Timeline';
import { OWED_STATUSES, StatusGuide } from '../../components/StatusGuide';
import { ErrorBox, Field, Loading, PageTitle, StatusBadge } from '../../components/ui';

export default function MyDossier() {
  const { id = '' } = useParams();
  const { t, lang } = useI18n();
  const s = useDossier(id);
  const proc = useAsync(() => (s.data ? procedureDetail(s.data.dossier.procedure_code) : Promise.resolve(undefined)), [s.data?.dossier.procedure_code]);
  const [notice, setNotice] = useState('');

  if (s.loading && !s.data) return <div className="container"><Loading /></div>;
  if (s.error || !s.data)
    return (
      <div className="container">
        <PageTitle>{t('my.dossier')}</PageTitle>
        <ErrorBox error={s.error} onRetry={s.reload} />
        <Link to="/ho-so-cua-toi">{t('my.back')}</Link>
      </div>
    );
  const { dossier: d, events, files } = s.data;
  const comps = Object.fromEntries((proc.data?.components ?? []).map((c) => [c.code, c.name]));
  const done = (msg: string) => {
    setNotice(msg);
    s.reload();
  };
  const resultFiles = files.filter((f) => f.kind === 'result');
  // Paid since the fees were asked for: online (the platform's confirmation) or at the desk.
  const lastAsk = events.map((e) => e.action).lastIndexOf('request_payment');
  const paid = lastAsk >= 0 && events.slice(lastAsk).some((e) => e.action === 'paid' || e.action === 'confirm_payment');
  // The lookup takes the code once there is one, the reference before.
  const lookupKey = d.code ?? d.reference;
  return (
    <div className="container">
      <nav aria-label={t('common.breadcrumb')} className="breadcrumb">
        <Link to="/ho-so-cua-toi">{t('my.title')}</Link> <span aria-hidden="true">›</span> <span>{d.code ?? d.reference}</span>
      </nav>
      <PageTitle sub={d.subject ? `${d.procedure_name} — ${d.subject}` : d.procedure_name}>{t('my.dossier')}</PageTitle>
      {notice && (
        <div className="alert alert-success" role="status" data-testid="notice">
          {notice}
        </div>
      )}
      {/* What the applicant owes comes first, above everything else. */}
      {OWED_STATUSES.includes(d.status) && (
        <div data-testid="owed">
          {d.status === 5 && <SupplementBox d={d} proc={proc.data} onDone={() => done(t('my.supplement_sent'))} />}
          {d.status === 6 && <PayBox d={d} proc={proc.data} />}
        </div>
      )}
      {resultFiles.length > 0 && <ResultBox d={d} files={resultFiles} />}
      <div className="two-col">
        <div>
          <section className="card" aria-labelledby="sec-status">
            <h2 id="sec-status">{t('guide.title')}</h2>
            <p>
              <StatusBadge status={d.status} vi={d.status_name} en={d.status_name_en} />
            </p>
            <StatusGuide d={d} />
            {paid && d.status !== 6 && (
              <p className="alert alert-success" data-testid="paid">
                {t('pay.paid_detail', { amount: formatMoney(d.fee_total, lang) })}
              </p>
            )}
          </section>
          <section className="card" aria-labelledby="sec-facts">
            <h2 id="sec-facts">{t('my.status_title')}</h2>
            <DossierFacts d={d} />
            <div className="form-actions">
              {d.code && (
                <a className="btn" href={`/api/v1/dossiers/${d.id}/forms/receipt`} target="_blank" rel="noopener">
                  {t('receipt.pdf')}
                </a>
              )}
              {d.lookup_secret && (
                <Link className="btn" to={`/tra-cuu?ma=${encodeURIComponent(lookupKey)}&k=${encodeURIComponent(d.lookup_secret)}`} data-testid="lookup-link">
                  {t('receipt.lookup')}
                </Link>
              )}
            </div>
          </section>
          {d.status === 10 && d.rating === null && <RateBox d={d} onDone={() => done(t('my.rated'))} />}
          {[1, 2, 4, 5, 6].includes(d.status) && <WithdrawBox d={d} onDone={() => done(t('my.withdrawn'))} />}
          <section className="card" aria-labelledby="sec-files">
            <h2 id="sec-files">{t('files.title')}</h2>
            <FileTable dossierId={d.id} files={files} components={comps} />
          </section>
        </div>
        <div>
          <section className="card" aria-labelledby="sec-applicant">
            <h2 id="sec-applicant">{t('dossier.applicant')}</h2>
            <ApplicantFacts d={d} />
          </section>
          <section className="card" aria-labelledby="sec-tl">
            <h2 id="sec-tl">{t('dossier.timeline')}</h2>
            <Timeline events={events} />
          </section>
        </div>
      </div>
    </div>
  );
}

/**
 * The result, as a citizen on a phone wants it: one large button named after the document, who
 * signed it (read from its signatures when it was issued), and where to check the signature.
 */
function ResultBox({ d, files }: { d: Dossier; files: DossierFile[] }) {
  const { t } = useI18n();
  return (
    <section className="card result-card" aria-labelledby="sec-result" data-testid="result">
      <h2 id="sec-result">{t('result.title')}</h2>
      {files.map((f) => (
        <div key={f.id} className="result-file">
          <a className="btn btn-primary btn-block btn-large" href={fileUrl(d.id, f.id)} download={f.name || undefined} data-testid="result-download">
            {t('result.download', { name: f.name })}
          </a>
          <p className={f.signed_by ? 'signed' : 'muted'} data-testid="result-signer">
            {f.signed_by ? t('result.signed_by', { names: f.signed_by }) : t('result.unsigned')}
          </p>
        </div>
      ))}
      <p>
        <Link to="/kiem-tra-chu-ky" data-testid="result-verify">
          {t('result.verify')}
        </Link>
      </p>
    </section>
  );
}

function SupplementBox({ d, proc, onDone }: { d: Dossier; proc?: Procedure; onDone: () => void }) {
  const { t } = useI18n();
  const [files, setFiles] = useState<PickedFile[]>([]);
  const [note, setNote] = useState('');
  const [progress, setProgress] = useState<number[] | undefined>();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const components = proc?.components ?? [];
  async function send() {
    setError(null);
    if (files.length === 0) {
      setError(null);
      return;
    }
    setBusy(true);
    try {
      const body = buildForm({ version: d.version, note }, files);
      setProgress(files.map(() => 0));
      await callForm('/api/v1/dossiers/{id}/supplement', { path: { id: d.id }, form: body.form, onProgress: (l, all) => setProgress(fileProgress(body.sizes, l, all)) });
      onDone();
    } catch (e) {
      setError(e);
      setProgress(undefined);
    } finally {
      setBusy(false);
    }
  }
  return (
    <section className="card action-card" aria-labelledby="sec-supp">
      <h2 id="sec-supp">{t('my.supplement_title')}</h2>
      <p>{t('my.supplement_intro')}</p>
      <FilePicker components={components} files={files} onChange={setFiles} progress={progress} />
      <Field id="supp-note" label={t('my.note')}>
        <textarea id="supp-note" rows={3} value={note} onChange={(e) => setNote(e.target.value)} />
      </Field>
      <ErrorBox error={error} />
      {files.length === 0 && <p className="muted">{t('my.supplement_pick')}</p>}
      <button className="btn btn-primary" type="button" onClick={send} disabled={busy || files.length === 0} data-testid="supplement-send">
        {busy ? t('common.working') : t('my.supplement_send')}
      </button>
    </section>
  );
}

/** The fee lines of a dossier as the catalog computes them from its form (per copy where it says so). */
function feeLines(proc: Procedure | undefined, form: Record<string, unknown>) {
  return (proc?.fees ?? [])
    .map((f) => {
      const raw = f.quantity_field ? Number(form[f.quantity_field]) : 1;
      const n = Number.isFinite(raw) && raw >= 1 ? Math.floor(raw) : 1;
      return { fee: f, n, total: f.amount * n };
    })
    .filter((l) => l.total > 0);
}

function PayBox({ d, proc }: { d: Dossier; proc?: Procedure }) {
  const { t, lang } = useI18n();
  const site = useSite();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const online = site?.online_payment !== false;
  async function start() {
    setBusy(true);
    setError(null);
    try {
      const pay = await call('post', '/api/v1/dossiers/{id}/pay', { path: { id: d.id } });
      // The platform's page, in this tab: it sends the payer back to "Hồ sơ của tôi".
      window.location.assign(pay.payment_url);
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  }
  const lines = feeLines(proc, d.form as Record<string, unknown>);
  const others = site && (
    <ul data-testid="pay-other">
      <li>{t('pay.counter', { agency: site.agency, address: site.address, hours: site.counter_hours })}</li>
      <li>
        {t('pay.transfer', { account: site.bank_account, bank: site.bank_name, holder: site.bank_account_name, reference: d.code ?? d.reference, name: d.applicant.name })}
      </li>
    </ul>
  );
  return (
    <section className="card action-card" aria-labelledby="sec-pay" data-testid="pay">
      <h2 id="sec-pay">{t('my.pay_title')}</h2>
      <p>{t('my.pay_intro')}</p>
      <dl className="kv">
        <dt>{t('pay.amount')}</dt>
        <dd className="amount" data-testid="pay-amount">
          <strong>{formatMoney(d.fee_total, lang)}</strong>
        </dd>
        {lines.some((l) => l.n > 1) && (
          <>
            <dt>{t('pay.lines')}</dt>
            <dd>
              {lines.map((l) => (
                <div key={l.fee.code}>{l.fee.unit ? t('pay.line_units', { name: l.fee.name, amount: formatMoney(l.fee.amount, lang), n: l.n, unit: l.fee.unit }) : `${l.fee.name}: ${formatMoney(l.total, lang)}`}</div>
              ))}
            </dd>
          </>
        )}
      </dl>
      {online && !error ? (
        <>
          <button className="btn btn-primary" type="button" onClick={start} disabled={busy} data-testid="pay-start">
            {busy ? t('common.working') : t('my.pay_start')}
          </button>
          {others && (
            <details>
              <summary>{t('pay.other_title')}</summary>
              {others}
            </details>
          )}
        </>
      ) : (
        <div className="alert alert-info" data-testid="pay-offline">
          <p>{t('pay.unavailable')}</p>
          {others}
        </div>
      )}
    </section>
  );
}

function RateBox({ d, onDone }: { d: Dossier; onDone: () => void }) {
  const { t } = useI18n();
  const [rating, setRating] = useState(0);
  const [note, setNote] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  async function send() {
    setBusy(true);
    setError(null);
    try {
      await call('post', '/api/v1/dossiers/{id}/rate', { path: { id: d.id }, body: { version: d.version, rating, note } });
      onDone();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }
  return (
    <section className="card action-card" aria-labelledby="sec-rate">
      <h2 id="sec-rate">{t('my.rate_title')}</h2>
      <fieldset className="rating" data-testid="rating">
        <legend>{t('my.rate_question')}</legend>
        {[3, 2, 1].map((n) => (
          <label key={n} className="radio">
            <input type="radio" name="rating" value={n} checked={rating === n} onChange={() => setRating(n)} data-testid={`rating-${n}`} />
            {t(`rating.${n}` as 'rating.1')}
          </label>
        ))}
      </fieldset>
      <Field id="rate-note" label={t('my.rate_comment')}>
        <textarea id="rate-note" rows={2} value={note} onChange={(e) => setNote(e.target.value)} />
      </Field>
      <ErrorBox error={error} />
      <button className="btn btn-primary" type="button" disabled={busy || rating === 0} onClick={send} data-testid="rate-send">
        {busy ? t('common.working') : t('my.rate_send')}
      </button>
    </section>
  );
}

function WithdrawBox({ d, onDone }: { d: Dossier; onDone: () => void }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const [note, setNote] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  async function send() {
    setBusy(true);
    setError(null);
    try {
      await call('post', '/api/v1/dossiers/{id}/withdraw', { path: { id: d.id }, body: { version: d.version, note } });
      onDone();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }
  return (
    <section className="card" aria-labelledby="sec-withdraw">
      <h2 id="sec-withdraw" className="h3">{t('my.withdraw_title')}</h2>
      {!open ? (
        <button type="button" className="btn" onClick={() => setOpen(true)} aria-expanded={false}>
          {t('my.withdraw_open')}
        </button>
      ) : (
        <>
          <p>{t('my.withdraw_warn')}</p>
          <Field id="wd-note" label={t('my.withdraw_reason')}>
            <textarea id="wd-note" rows={2} value={note} onChange={(e) => setNote(e.target.value)} />
          </Field>
          <ErrorBox error={error} />
          <div className="form-actions">
            <button type="button" className="btn" onClick={() => setOpen(false)}>
              {t('common.cancel')}
            </button>
            <button type="button" className="btn btn-danger" onClick={send} disabled={busy}>
              {t('my.withdraw_confirm')}
            </button>
          </div>
        </>
      )}
    </section>
  );
}
