import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { useI18n } from '../../i18n';
import { call, callForm } from '../../lib/api';
import { procedureDetail } from '../../lib/catalog';
import { buildForm, fileProgress } from '../../lib/submission';
import type { Dossier, PaymentStart, Procedure } from '../../lib/types';
import { useAsync } from '../../lib/useAsync';
import { ApplicantFacts, DossierFacts, FileTable, useDossier } from '../../components/DossierParts';
import { FilePicker } from '../../components/FilePicker';
import type { PickedFile } from '../../components/FilePicker';
import { Timeline } from '../../components/Timeline';
import { ErrorBox, Field, Loading, PageTitle } from '../../components/ui';

export default function MyDossier() {
  const { id = '' } = useParams();
  const { t } = useI18n();
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
  return (
    <div className="container">
      <nav aria-label={t('common.breadcrumb')} className="breadcrumb">
        <Link to="/ho-so-cua-toi">{t('my.title')}</Link> <span aria-hidden="true">›</span> <span>{d.code ?? `#${d.id}`}</span>
      </nav>
      <PageTitle sub={d.procedure_name}>{t('my.dossier')}</PageTitle>
      {notice && (
        <div className="alert alert-success" role="status" data-testid="notice">
          {notice}
        </div>
      )}
      <div className="two-col">
        <div>
          <section className="card" aria-labelledby="sec-status">
            <h2 id="sec-status">{t('my.status_title')}</h2>
            <DossierFacts d={d} />
            <div className="form-actions">
              {d.code && (
                <a className="btn" href={`/api/v1/dossiers/${d.id}/forms/receipt`} target="_blank" rel="noopener">
                  {t('receipt.pdf')}
                </a>
              )}
              {d.code && d.lookup_secret && (
                <Link className="btn" to={`/tra-cuu?ma=${encodeURIComponent(d.code)}&k=${encodeURIComponent(d.lookup_secret)}`}>
                  {t('receipt.lookup')}
                </Link>
              )}
            </div>
          </section>
          {d.status === 5 && <SupplementBox d={d} proc={proc.data} onDone={() => done(t('my.supplement_sent'))} />}
          {d.status === 6 && <PayBox d={d} />}
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

function PayBox({ d }: { d: Dossier }) {
  const { t } = useI18n();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [pay, setPay] = useState<PaymentStart | null>(null);
  async function start() {
    setBusy(true);
    setError(null);
    try {
      setPay(await call('post', '/api/v1/dossiers/{id}/pay', { path: { id: d.id } }));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }
  return (
    <section className="card action-card" aria-labelledby="sec-pay">
      <h2 id="sec-pay">{t('my.pay_title')}</h2>
      <p>{t('my.pay_intro')}</p>
      <ErrorBox error={error} />
      {pay ? (
        <p>
          {t('my.pay_ref', { ref: pay.reference })}{' '}
          <a className="btn btn-primary" href={pay.payment_url} target="_blank" rel="noopener" data-testid="pay-link">
            {t('my.pay_open')}
          </a>
        </p>
      ) : (
        <button className="btn btn-primary" type="button" onClick={start} disabled={busy} data-testid="pay-start">
          {busy ? t('common.working') : t('my.pay_start')}
        </button>
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
