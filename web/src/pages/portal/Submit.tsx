import { useEffect, useMemo, useRef, useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router-dom';
import { useAuth } from '../../auth';
import { useI18n } from '../../i18n';
import { ApiError, call, callForm, newIdempotencyKey, retryable } from '../../lib/api';
import { accountApplicant, applicantFields, BLANK_APPLICANT } from '../../lib/applicant';
import type { ApplicantInput } from '../../lib/applicant';
import { procedureUrl, procName } from '../../lib/catalog';
import { checkField, fileTypeOf, formPayload } from '../../lib/formcheck';
import { formatBytes, formatDate, formatDateTime, formatMoney } from '../../lib/format';
import { hasRole } from '../../lib/roles';
import { buildForm, fileProgress, MAX_FILE_BYTES } from '../../lib/submission';
import type { Dossier } from '../../lib/types';
import { useAsync } from '../../lib/useAsync';
import { EForm, useProblemText } from '../../components/EForm';
import { FilePicker } from '../../components/FilePicker';
import type { PickedFile } from '../../components/FilePicker';
import { ErrorBox, Field, Loading, PageTitle, ProgressBar } from '../../components/ui';

type Step = 'fill' | 'review' | 'sending' | 'done';

export default function SubmitPage() {
  const [params] = useSearchParams();
  // /thu-tuc?ma=CODE, or the path form /thu-tuc/CODE.
  const { ma } = useParams();
  const code = params.get('ma') ?? ma ?? '';
  const { t, lang } = useI18n();
  const { user } = useAuth();
  const problemText = useProblemText();
  const isReception = hasRole(user, 'reception');

  const spec = useAsync(
    async (signal) => {
      const form = await call('get', '/api/v1/procedures/{code}/form', { path: { code }, signal });
      return { form };
    },
    [code],
  );
  const communes = useAsync(
    (signal) => call('get', '/api/v1/agencies', { query: { limit: 500 }, signal }).then((r) => r.items.filter((a) => /commune_pc|ward_pc|township_pc/.test(a.kind))),
    [],
  );

  const [step, setStep] = useState<Step>('fill');
  // Online, the applicant is the account itself (the server gives the dossier the account's
  // identity) unless the citizen submits for someone else (nộp thay); reception types in whoever
  // stands at the counter.
  const [onBehalf, setOnBehalf] = useState(false);
  const [applicant, setApplicant] = useState<ApplicantInput>(() => (isReception ? { ...BLANK_APPLICANT } : accountApplicant(user)));
  const ownIdentity = !isReception && !onBehalf;
  const [channel, setChannel] = useState<'online' | 'counter' | 'postal'>(isReception ? 'counter' : 'online');
  const [locality, setLocality] = useState('');
  const [values, setValues] = useState<Record<string, unknown>>({});
  const [files, setFiles] = useState<PickedFile[]>([]);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [fileErrors, setFileErrors] = useState<Record<string, string>>({});
  const [progress, setProgress] = useState<number[] | undefined>();
  const [total, setTotal] = useState(0);
  const [sendError, setSendError] = useState<unknown>(null);
  const [result, setResult] = useState<Dossier | null>(null);
  const keyRef = useRef<string | null>(null);
  const topRef = useRef<HTMLDivElement>(null);

  // Any change to what is sent makes a new attempt (a new idempotency key).
  useEffect(() => {
    keyRef.current = null;
  }, [applicant, onBehalf, values, files, locality, channel]);

  useEffect(() => {
    topRef.current?.querySelector<HTMLElement>('h2, [role=alert]')?.focus();
  }, [step]);

  const proc = spec.data?.form;
  // Commune-level procedures, and provincial ones whose workflow asks the applicant's commune.
  const needsLocality = spec.data?.form.needs_commune === true;

  const applicantErrors = useMemo(() => {
    const e: Record<string, string> = {};
    if (!applicant.name.trim()) e.name = t('form.err.required');
    if (applicant.kind === 1 && applicant.id_number && !/^\d{12}$/.test(applicant.id_number)) e.id_number = t('form.err.cccd');
    if (applicant.kind === 2 && applicant.id_number && !/^\d{10}(-\d{3})?$/.test(applicant.id_number)) e.id_number = t('form.err.tax_code');
    if (applicant.phone && !/^(\+84|0)\d{9,10}$/.test(applicant.phone.replace(/[\s.]/g, ''))) e.phone = t('form.err.phone');
    if (applicant.email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(applicant.email)) e.email = t('form.err.email');
    return e;
  }, [applicant, t]);

  if (spec.loading) return <div className="container"><Loading /></div>;
  if (spec.error || !proc)
    return (
      <div className="container">
        <PageTitle>{t('submit.title')}</PageTitle>
        <ErrorBox error={spec.error} onRetry={spec.reload} />
      </div>
    );

  function validate(): boolean {
    if (!proc) return false;
    const e: Record<string, string> = {};
    for (const f of proc.form) {
      const p = checkField(f, values[f.name]);
      if (p) e[f.name] = problemText(p);
    }
    const fe: Record<string, string> = {};
    for (const c of proc.components) {
      const mine = files.filter((f) => f.component === c.code);
      const types = c.file_types.length ? c.file_types : ['pdf'];
      if (c.required && mine.length === 0) fe[c.code] = t('upload.required');
      else if (mine.some((f) => !types.includes(fileTypeOf(f.file.name)))) fe[c.code] = t('upload.bad_type');
      else if (mine.some((f) => f.file.size > MAX_FILE_BYTES)) fe[c.code] = t('upload.too_big');
    }
    if (needsLocality && !locality) e.__locality = t('form.err.required');
    for (const [k, v] of Object.entries(applicantErrors)) e[`__applicant_${k}`] = v;
    setErrors(e);
    setFileErrors(fe);
    const ok = Object.keys(e).length === 0 && Object.keys(fe).length === 0;
    if (!ok) {
      // Focus the first invalid control.
      setTimeout(() => {
        const el = document.querySelector<HTMLElement>('[aria-invalid="true"]');
        el?.focus();
      }, 0);
    }
    return ok;
  }

  async function send() {
    if (!proc) return;
    setSendError(null);
    setStep('sending');
    try {
      const head: Record<string, unknown> = {
        procedure_code: proc.code,
        channel,
        ...applicantFields(applicant, onBehalf),
        form: formPayload(proc.form, values),
      };
      if (locality) head.locality_code = locality;
      const body = buildForm(head, files);
      setTotal(body.sizes.reduce((a, b) => a + b, 0));
      setProgress(files.map(() => 0));
      if (!keyRef.current) keyRef.current = newIdempotencyKey();
      const d = await callForm('/api/v1/dossiers', {
        form: body.form,
        headers: { 'Idempotency-Key': keyRef.current },
        onProgress: (loaded, all) => setProgress(fileProgress(body.sizes, loaded, all)),
      });
      setResult(d);
      setStep('done');
    } catch (e) {
      setSendError(e instanceof ApiError ? e : new ApiError({ status: 0, code: 'network' }));
      // A refused upload must not leave its bars at 100 %, as if it had gone through.
      setProgress(undefined);
      setStep('review');
    }
  }

  // "Send again" only when sending the same again can succeed (not after a file too large,
  // of the wrong type, or a field to correct): otherwise the way on is to edit.
  const canResend = !sendError || retryable(sendError);
  const set = (k: keyof ApplicantInput, v: string | number) => setApplicant((a) => ({ ...a, [k]: v }));
  const name = procName(proc, lang);

  if (step === 'done' && result) return <Receipt d={result} procName={name} />;

  return (
    <div className="container" ref={topRef}>
      <nav aria-label={t('common.breadcrumb')} className="breadcrumb">
        <Link to="/">{t('nav.portal')}</Link> <span aria-hidden="true">›</span> <Link to={procedureUrl(proc.code)}>{proc.code}</Link>{' '}
        <span aria-hidden="true">›</span> <span>{t('submit.title')}</span>
      </nav>
      <PageTitle sub={name}>{t('submit.title')}</PageTitle>
      <ol className="stepper" aria-label={t('submit.progress')}>
        <li className={step === 'fill' ? 'current' : 'done'} aria-current={step === 'fill' ? 'step' : undefined}>
          {t('submit.step_fill')}
        </li>
        <li className={step === 'review' || step === 'sending' ? 'current' : ''} aria-current={step !== 'fill' ? 'step' : undefined}>
          {t('submit.step_review')}
        </li>
        <li>{t('submit.step_receipt')}</li>
      </ol>

      {step === 'fill' && (
        <form
          className="form"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            if (validate()) setStep('review');
          }}
        >
          <section className="card" aria-labelledby="sec-applicant">
            <h2 id="sec-applicant" tabIndex={-1}>{t('submit.applicant')}</h2>
            {isReception && (
              <fieldset className="field">
                <legend>{t('submit.channel')}</legend>
                {(['counter', 'postal'] as const).map((c) => (
                  <label key={c} className="radio">
                    <input type="radio" name="channel" value={c} checked={channel === c} onChange={() => setChannel(c)} />
                    {t(`channel.${c}`)}
                  </label>
                ))}
              </fieldset>
            )}
            {!isReception && (
              <div className="field field-check">
                <input
                  id="on-behalf"
                  type="checkbox"
                  checked={onBehalf}
                  onChange={(e) => {
                    setOnBehalf(e.target.checked);
                    setApplicant(e.target.checked ? { ...BLANK_APPLICANT } : accountApplicant(user));
                  }}
                  aria-describedby="on-behalf-hint"
                  data-testid="on-behalf"
                />
                <label htmlFor="on-behalf">{t('submit.on_behalf')}</label>
                <p id="on-behalf-hint" className="muted">
                  {onBehalf ? t('submit.on_behalf_hint') : t('submit.own_identity_hint')}
                </p>
              </div>
            )}
            <fieldset className="field" disabled={ownIdentity}>
              <legend>{t('submit.applicant_kind')}</legend>
              {[1, 2].map((k) => (
                <label key={k} className="radio">
                  <input type="radio" name="applicant-kind" checked={applicant.kind === k} onChange={() => set('kind', k)} />
                  {t(k === 1 ? 'applicant.kind1' : 'applicant.kind2')}
                </label>
              ))}
            </fieldset>
            <div className="grid2">
              <Field id="ap-name" label={applicant.kind === 2 ? t('applicant.org_name') : t('applicant.name')} required error={errors.__applicant_name}>
                <input id="ap-name" value={applicant.name} readOnly={ownIdentity} onChange={(e) => set('name', e.target.value)} autoComplete="name" aria-invalid={errors.__applicant_name ? true : undefined} data-testid="applicant-name" />
              </Field>
              <Field id="ap-id" label={applicant.kind === 2 ? t('applicant.tax_code') : t('applicant.cccd')} error={errors.__applicant_id_number}>
                <input id="ap-id" inputMode="numeric" value={applicant.id_number} readOnly={ownIdentity} onChange={(e) => set('id_number', e.target.value)} aria-invalid={errors.__applicant_id_number ? true : undefined} data-testid="applicant-id" />
              </Field>
              <Field id="ap-phone" label={t('applicant.phone')} error={errors.__applicant_phone}>
                <input id="ap-phone" type="tel" value={applicant.phone} onChange={(e) => set('phone', e.target.value)} autoComplete="tel" aria-invalid={errors.__applicant_phone ? true : undefined} data-testid="applicant-phone" />
              </Field>
              <Field id="ap-email" label={t('applicant.email')} error={errors.__applicant_email}>
                <input id="ap-email" type="email" value={applicant.email} onChange={(e) => set('email', e.target.value)} autoComplete="email" aria-invalid={errors.__applicant_email ? true : undefined} />
              </Field>
            </div>
            <Field id="ap-address" label={t('applicant.address')}>
              <input id="ap-address" value={applicant.address} onChange={(e) => set('address', e.target.value)} autoComplete="street-address" />
            </Field>
            {needsLocality && (
              <Field id="ap-locality" label={t('submit.locality')} hint={t('submit.locality_hint')} required error={errors.__locality}>
                <select id="ap-locality" value={locality} onChange={(e) => setLocality(e.target.value)} aria-invalid={errors.__locality ? true : undefined} aria-describedby="ap-locality-hint" data-testid="locality">
                  <option value="">{t('form.choose')}</option>
                  {(communes.data ?? []).map((a) => (
                    <option key={a.id} value={a.code}>
                      {lang === 'en' && a.name_en ? a.name_en : a.name}
                    </option>
                  ))}
                </select>
              </Field>
            )}
          </section>

          {proc.form.length > 0 && (
            <section className="card" aria-labelledby="sec-form">
              <h2 id="sec-form">{t('submit.eform')}</h2>
              <p className="muted">{t('submit.required_note')}</p>
              <EForm fields={proc.form} values={values} errors={errors} onChange={(n, v) => setValues((x) => ({ ...x, [n]: v }))} />
            </section>
          )}

          <section className="card" aria-labelledby="sec-files">
            <h2 id="sec-files">{t('submit.files')}</h2>
            <p className="muted">{t('submit.files_intro')}</p>
            <FilePicker components={proc.components} files={files} onChange={setFiles} errors={fileErrors} />
          </section>

          {(Object.keys(errors).length > 0 || Object.keys(fileErrors).length > 0) && (
            <div className="alert alert-error" role="alert">
              {t('submit.fix_errors', { n: Object.keys(errors).length + Object.keys(fileErrors).length })}
            </div>
          )}
          <div className="form-actions">
            <Link className="btn" to={procedureUrl(proc.code)}>
              {t('common.cancel')}
            </Link>
            <button className="btn btn-primary" type="submit" data-testid="to-review">
              {t('submit.to_review')}
            </button>
          </div>
        </form>
      )}

      {(step === 'review' || step === 'sending') && (
        <div>
          <section className="card" aria-labelledby="sec-review">
            <h2 id="sec-review" tabIndex={-1}>{t('submit.review_title')}</h2>
            <p>{t('submit.review_intro')}</p>
            <dl className="kv">
              <dt>{t('submit.procedure')}</dt>
              <dd>{name}</dd>
              {isReception && (
                <>
                  <dt>{t('submit.channel')}</dt>
                  <dd>{t(`channel.${channel}`)}</dd>
                </>
              )}
              <dt>{applicant.kind === 2 ? t('applicant.org_name') : t('applicant.name')}</dt>
              <dd>{applicant.name}</dd>
              {applicant.id_number && (
                <>
                  <dt>{applicant.kind === 2 ? t('applicant.tax_code') : t('applicant.cccd')}</dt>
                  <dd>{applicant.id_number}</dd>
                </>
              )}
              {applicant.phone && (
                <>
                  <dt>{t('applicant.phone')}</dt>
                  <dd>{applicant.phone}</dd>
                </>
              )}
              {applicant.email && (
                <>
                  <dt>{t('applicant.email')}</dt>
                  <dd>{applicant.email}</dd>
                </>
              )}
              {locality && (
                <>
                  <dt>{t('submit.locality')}</dt>
                  <dd>{communes.data?.find((a) => a.code === locality)?.name ?? locality}</dd>
                </>
              )}
              {proc.form.map((f) =>
                values[f.name] !== undefined && values[f.name] !== '' ? (
                  <div key={f.name} className="kv-row">
                    <dt>{lang === 'en' ? f.label_en || f.label_vi : f.label_vi}</dt>
                    <dd>{f.type === 'boolean' ? (values[f.name] ? t('common.yes') : t('common.no')) : f.type === 'date' ? formatDate(String(values[f.name])) : String(values[f.name])}</dd>
                  </div>
                ) : null,
              )}
            </dl>
            <h3>{t('submit.files')}</h3>
            {files.length === 0 ? (
              <p className="muted">{t('submit.no_files')}</p>
            ) : (
              <ul className="file-list">
                {files.map((f, i) => (
                  <li key={i}>
                    <span className="file-name">{f.file.name}</span> <span className="muted">({formatBytes(f.file.size)}) — {proc.components.find((c) => c.code === f.component)?.name}</span>
                    {progress && <ProgressBar value={progress[i] ?? 0} label={t('upload.progress', { name: f.file.name })} />}
                  </li>
                ))}
              </ul>
            )}
            {proc.fees.some((f) => f.amount > 0) && (
              <p>
                {t('submit.fee_note', { amount: formatMoney(proc.fees.reduce((s, f) => s + f.amount, 0), lang) })}
              </p>
            )}
            {step === 'sending' && (
              <p role="status" aria-live="polite" data-testid="sending">
                {t('submit.sending', { size: formatBytes(total) })}
              </p>
            )}
          </section>
          <ErrorBox error={sendError} title={t('submit.failed')} />
          {sendError ? <p className="muted" data-testid="send-advice">{t(canResend ? 'submit.retry_safe' : 'submit.fix_first')}</p> : null}
          <div className="form-actions">
            <button
              className={canResend ? 'btn' : 'btn btn-primary'}
              type="button"
              onClick={() => {
                setProgress(undefined);
                setSendError(null);
                setStep('fill');
              }}
              disabled={step === 'sending'}
              data-testid="back-edit"
            >
              {t('submit.back_edit')}
            </button>
            {canResend && (
              <button className="btn btn-primary" type="button" onClick={send} disabled={step === 'sending'} data-testid="confirm-submit">
                {step === 'sending' ? t('common.working') : sendError ? t('submit.retry') : t('submit.confirm')}
              </button>
            )}
          </div>
        </div>
      )}
    </div>
  );
}

function Receipt({ d, procName: name }: { d: Dossier; procName: string }) {
  const { t } = useI18n();
  const { user } = useAuth();
  const accepted = Boolean(d.code);
  const lookup = d.code && d.lookup_secret ? `/tra-cuu?ma=${encodeURIComponent(d.code)}&k=${encodeURIComponent(d.lookup_secret)}` : null;
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => ref.current?.focus(), []);
  return (
    <div className="container narrow">
      <div className="card receipt" data-testid="receipt">
        <h1 tabIndex={-1} ref={ref}>{accepted ? t('receipt.title_accepted') : t('receipt.title')}</h1>
        <p className="lead">{accepted ? t('receipt.lead_accepted') : t('receipt.lead')}</p>
        <dl className="kv">
          <dt>{t('submit.procedure')}</dt>
          <dd>{name}</dd>
          <dt>{t('dossier.code')}</dt>
          <dd data-testid="receipt-code">{d.code ?? t('receipt.code_pending')}</dd>
          <dt>{t('receipt.number')}</dt>
          <dd data-testid="receipt-id">{d.id}</dd>
          <dt>{t('dossier.submitted_at')}</dt>
          <dd>{formatDateTime(d.submitted_at)}</dd>
          <dt>{t('dossier.due_at')}</dt>
          <dd data-testid="receipt-due">{d.due_at ? formatDateTime(d.due_at) : t('receipt.due_pending')}</dd>
          {d.lookup_secret && (
            <>
              <dt>{t('lookup.secret')}</dt>
              <dd data-testid="receipt-secret"><code>{d.lookup_secret}</code></dd>
            </>
          )}
        </dl>
        <div className="form-actions">
          {accepted && (
            <a className="btn btn-primary" href={`/api/v1/dossiers/${d.id}/forms/receipt`} target="_blank" rel="noopener" data-testid="receipt-pdf">
              {t('receipt.pdf')}
            </a>
          )}
          {lookup && (
            <Link className="btn" to={lookup}>
              {t('receipt.lookup')}
            </Link>
          )}
          {hasRole(user, 'citizen', 'business') ? (
            <Link className="btn" to={`/ho-so-cua-toi/${d.id}`} data-testid="receipt-open">
              {t('receipt.open')}
            </Link>
          ) : (
            <Link className="btn" to={`/mot-cua/ho-so/${d.id}`}>
              {t('receipt.open')}
            </Link>
          )}
        </div>
        {!accepted && <p className="muted">{t('receipt.pdf_later')}</p>}
      </div>
    </div>
  );
}
