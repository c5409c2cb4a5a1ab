import { useEffect, useRef, useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router-dom';
import { useAuth } from '../../auth';
import { useI18n } from '../../i18n';
import { ApiError, call, callForm, newIdempotencyKey, retryable } from '../../lib/api';
import type { Schema } from '../../lib/api';
import { accountApplicant, applicantFields, BLANK_APPLICANT, verifiedIdentity } from '../../lib/applicant';
import type { ApplicantInput } from '../../lib/applicant';
import { procedureUrl, procName } from '../../lib/catalog';
import { prefillFrom } from '../../lib/citizen';
import type { Prefill } from '../../lib/citizen';
import { draftContent, forgetUnsaved, keepUnsaved, markSaved, pendingFiles, problemErrors, restoreContent, savedTime, summaryItems, takeUnsaved } from '../../lib/draft';
import type { Unsaved } from '../../lib/draft';
import type { DraftState, DraftView } from '../../lib/draft';
import { fileTypeOf, formPayload } from '../../lib/formcheck';
import { formatBytes, formatDate, formatDateTime, formatMoney } from '../../lib/format';
import { hasRole } from '../../lib/roles';
import { buildForm, fileProgress, MAX_FILE_BYTES } from '../../lib/submission';
import type { Dossier } from '../../lib/types';
import { useAsync } from '../../lib/useAsync';
import { EForm } from '../../components/EForm';
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
  const isReception = hasRole(user, 'reception');
  // Citizens and businesses keep drafts (Lưu nháp); reception types in whoever is at the counter.
  const keepsDrafts = hasRole(user, 'citizen', 'business');
  const draftParam = Number(params.get('nhap') ?? '') || 0;

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
  const verified = ownIdentity ? verifiedIdentity(user) : null;
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
  const [summaryShown, setSummaryShown] = useState(0);
  const [declared, setDeclared] = useState(false);
  const [checking, setChecking] = useState(false);
  // "Điền từ CSDL dân cư": the citizen's own record, and what it would replace, to confirm.
  const canPrefill = ownIdentity && user?.kind === 'citizen';
  const [prefilling, setPrefilling] = useState(false);
  const [prefillAsk, setPrefillAsk] = useState<Prefill | null>(null);
  const [prefillNote, setPrefillNote] = useState<string | null>(null);
  const [prefillError, setPrefillError] = useState<unknown>(null);

  // ---- The draft (Lưu nháp): saved on the server, with the files, as the citizen goes.
  const [draft, setDraft] = useState<DraftView | null>(null);
  const [offer, setOffer] = useState<DraftView | null>(null);
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<unknown>(null);
  const state: DraftState = { applicant, onBehalf, locality, values };
  const snapshot = JSON.stringify([draftContent(state), files.map((f) => f.draftFileId ?? `${f.component}/${f.file.name}/${f.file.size}`)]);
  // What the server holds: the snapshot last saved (or the fresh page's, before anything is typed).
  const savedRef = useRef<string | null>(null);
  if (savedRef.current === null && spec.data) savedRef.current = snapshot;
  const latest = useRef({ state, files, draft, snapshot });
  latest.current = { state, files, draft, snapshot };
  const running = useRef<Promise<DraftView | null> | null>(null);

  const drafts = useAsync(
    async (signal) => (keepsDrafts && code ? (await call('get', '/api/v1/drafts', { query: { procedure: code }, signal })).items : []),
    [code, keepsDrafts],
  );
  // What this tab had typed and not saved when it last left the page (a session that ended, a
  // reload): read once, before the effects below keep the new page's state in its place.
  const unsavedRef = useRef<Unsaved | null | undefined>(undefined);
  if (unsavedRef.current === undefined) unsavedRef.current = keepsDrafts && user ? takeUnsaved(sessionStorage, user.id, code) : null;
  const [recovered, setRecovered] = useState<string[] | null>(null);
  // Once the form and the drafts are both known (a draft's answers are kept for the form's fields).
  useEffect(() => {
    if (!spec.data || !drafts.data) return;
    const mine = drafts.data;
    const unsaved = unsavedRef.current;
    unsavedRef.current = null;
    if (unsaved) {
      void recover(unsaved, mine.find((d) => d.id === unsaved.draftId));
      return;
    }
    const asked = draftParam ? mine.find((d) => d.id === draftParam) : undefined;
    if (asked) void resume(asked);
    else if (mine.length && !draft) setOffer(mine[0]);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [drafts.data, spec.data, draftParam]);

  // Every change not yet on the server is kept in the tab until it is (see Unsaved).
  useEffect(() => {
    if (!keepsDrafts || !user || offer || savedRef.current === null || unsavedRef.current) return;
    const content = draftContent(state);
    const unsentFiles = files.filter((f) => f.draftFileId === undefined).map((f) => f.file.name);
    // (The saved snapshot names a file by its name until the save gives it an id: compare the
    // answers and the files not sent, not the snapshots.)
    const savedContent = JSON.stringify((JSON.parse(savedRef.current) as unknown[])[0]);
    if (step === 'done' || (JSON.stringify(content) === savedContent && unsentFiles.length === 0)) {
      forgetUnsaved(sessionStorage, code);
      return;
    }
    if (step !== 'fill') return;
    keepUnsaved(sessionStorage, { user: user.id, code, draftId: draft?.id ?? null, content, files: unsentFiles });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [snapshot, step, offer, draft]);

  /** Saves what is on the page now (after any save in flight); resolves with the draft as stored. */
  function saveDraft(onProgress?: (loaded: number, total: number) => void): Promise<DraftView | null> {
    const previous = running.current ?? Promise.resolve(null);
    const next = previous.catch(() => null).then(async () => {
      const { state: st, files: fs, draft: d, snapshot: snap } = latest.current;
      if (!keepsDrafts || snap === savedRef.current) return d;
      setSaving(true);
      try {
        const pending = pendingFiles(fs, d?.files ?? []);
        // A file the server would refuse for its size is not sent: the check before sending says so.
        const added = pending.added.filter((f) => f.file.size <= MAX_FILE_BYTES);
        const removed = pending.removed;
        const fields: Record<string, unknown> = { content: draftContent(st) };
        let saved: DraftView;
        if (d) {
          fields.version = d.version;
          if (removed.length) fields.remove_files = removed;
          saved = await callForm('/api/v1/drafts/{id}', { path: { id: d.id }, form: buildForm(fields, added).form, onProgress });
        } else {
          fields.procedure_code = code;
          saved = await callForm('/api/v1/drafts', { form: buildForm(fields, added).form, onProgress });
        }
        setDraft(saved);
        latest.current.draft = saved;
        setFiles((now) => markSaved(now, added, saved.files));
        savedRef.current = snap;
        setSaveError(null);
        return saved;
      } catch (e) {
        setSaveError(e);
        throw e;
      } finally {
        setSaving(false);
      }
    });
    running.current = next;
    return next;
  }

  // Autosave: two seconds after the last change, while the citizen fills the form.
  useEffect(() => {
    if (!keepsDrafts || step !== 'fill' || offer || savedRef.current === null || snapshot === savedRef.current) return;
    const timer = setTimeout(() => void saveDraft().catch(() => undefined), 2000);
    return () => clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [snapshot, step, offer]);

  const freshState = (): DraftState => ({ applicant: isReception ? { ...BLANK_APPLICANT } : accountApplicant(user), onBehalf: false, locality: '', values: {} });
  const fieldNames = () => (spec.data?.form.form ?? []).map((f) => f.name);

  /**
   * Puts back what the tab kept: the draft it belonged to (when the server still has it), then
   * the answers typed since its last save over it. The autosave then stores them.
   */
  async function recover(u: Unsaved, d: DraftView | undefined) {
    const base = d ? await resume(d) : freshState();
    const st = restoreContent(u.content, base, fieldNames());
    setApplicant(st.applicant);
    setOnBehalf(st.onBehalf);
    setLocality(st.locality);
    setValues(st.values);
    setRecovered(u.files);
  }

  /** Puts a stored draft on the page: its answers, and its files fetched back as files. */
  async function resume(d: DraftView): Promise<DraftState> {
    setOffer(null);
    const st = restoreContent(d.content, freshState(), fieldNames());
    const picked: PickedFile[] = [];
    for (const f of d.files) {
      const r = await fetch(`/api/v1/drafts/${d.id}/files/${f.id}`, { credentials: 'same-origin' });
      if (!r.ok) continue;
      picked.push({ component: f.component, file: new File([await r.blob()], f.name, { type: f.content_type }), draftFileId: f.id });
    }
    setApplicant(st.applicant);
    setOnBehalf(st.onBehalf);
    setLocality(st.locality);
    setValues(st.values);
    setFiles(picked);
    setDraft(d);
    savedRef.current = JSON.stringify([draftContent(st), picked.map((f) => f.draftFileId)]);
    return st;
  }

  async function discard(d: DraftView) {
    setOffer(null);
    try {
      await call('delete', '/api/v1/drafts/{id}', { path: { id: d.id }, query: { version: d.version } });
    } catch {
      /* kept until it expires: nothing the citizen must do */
    }
  }

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

  if (spec.loading) return <div className="container"><Loading /></div>;
  if (spec.error || !proc)
    return (
      <div className="container">
        <PageTitle>{t('submit.title')}</PageTitle>
        <ErrorBox error={spec.error} onRetry={spec.reload} />
      </div>
    );

  /** Takes the citizen's own record and fills the form; asks before replacing what was typed. */
  async function prefill() {
    if (!proc) return;
    setPrefilling(true);
    setPrefillNote(null);
    setPrefillError(null);
    setPrefillAsk(null);
    try {
      const record = await call('get', '/api/v1/citizens/me', {});
      const keep = prefillFrom(record, applicant, values, proc.form, false);
      const all = prefillFrom(record, applicant, values, proc.form, true);
      setApplicant(keep.applicant);
      setValues(keep.values);
      if (keep.replaced.length > 0) setPrefillAsk(all);
      else setPrefillNote(keep.filled.length > 0 ? t('prefill.done') : t('prefill.nothing'));
    } catch (e) {
      setPrefillError(e);
    } finally {
      setPrefilling(false);
    }
  }

  // The page's error keys in the order of its fields: the summary lists them so.
  const errorOrder = [
    '__applicant_name', '__applicant_id_number', '__applicant_birth_date', '__applicant_phone', '__applicant_email', '__locality',
    ...proc.form.map((f) => f.name),
    ...proc.components.map((c) => `__file_${c.code}`),
    '__declaration',
  ];

  /** Shows the error summary and moves focus to it, GOV.UK's way. */
  function showSummary() {
    setSummaryShown((n) => n + 1);
  }

  // The files are checked here (required, type by name, size: the server checks the content
  // again); every other field by the server (POST /api/v1/dossiers/check), whose messages name
  // each field: the formats are stated once, by the code that refuses them.
  async function validate(): Promise<boolean> {
    if (!proc) return false;
    const fe: Record<string, string> = {};
    for (const c of proc.components) {
      const mine = files.filter((f) => f.component === c.code);
      const types = c.file_types.length ? c.file_types : ['pdf'];
      if (c.required && mine.length === 0) fe[c.code] = t('upload.required_named', { name: c.name });
      else if (mine.some((f) => !types.includes(fileTypeOf(f.file.name)))) fe[c.code] = t('upload.bad_type');
      else if (mine.some((f) => f.file.size > MAX_FILE_BYTES)) fe[c.code] = t('upload.too_big');
    }
    const e: Record<string, string> = {};
    if (!applicant.name.trim()) {
      e.__applicant_name = t('submit.name_required');
    } else {
      setChecking(true);
      try {
        const head = { procedure_code: proc.code, channel, ...applicantFields(applicant, onBehalf), form: formPayload(proc.form, values), ...(locality ? { locality_code: locality } : {}) };
        const r = await call('post', '/api/v1/dossiers/check', { body: head as Schema<'DossierSubmission'> });
        Object.assign(e, problemErrors(r.problems, lang));
        setSendError(null);
      } catch (err) {
        setSendError(err);
        return false;
      } finally {
        setChecking(false);
      }
    }
    setErrors(e);
    setFileErrors(fe);
    const ok = Object.keys(e).length === 0 && Object.keys(fe).length === 0;
    if (!ok) showSummary();
    return ok;
  }

  /** Follows a summary link: the field, scrolled so that its label and message show above it. */
  function goTo(target: string) {
    const el = document.getElementById(target);
    if (!el) return;
    (el.closest('.field, .upload-slot') ?? el).scrollIntoView({ block: 'start' });
    el.focus({ preventScroll: true });
  }

  async function send() {
    if (!proc) return;
    if (!declared) {
      setErrors({ __declaration: t('submit.declaration_required') });
      showSummary();
      return;
    }
    setErrors({});
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
      // The files not in the draft yet go up with its last save (their bars follow it); then the
      // dossier takes them from the draft, and the submission carries the fields only. Without
      // a draft (it could not be saved: a file the server refuses), the files go with the
      // submission, as before drafts.
      const waiting = files.map((f, i) => ({ f, i })).filter(({ f }) => f.draftFileId === undefined && f.file.size <= MAX_FILE_BYTES);
      const waitingSizes = waiting.map(({ f }) => f.file.size);
      setTotal(waitingSizes.reduce((a, b) => a + b, 0));
      setProgress(files.map((f) => (f.draftFileId !== undefined ? 1 : 0)));
      const stored = keepsDrafts
        ? await saveDraft((loaded, all) => {
            const p = fileProgress(waitingSizes, loaded, all);
            setProgress((now) => {
              const next = [...(now ?? files.map(() => 0))];
              waiting.forEach(({ i }, k) => (next[i] = p[k]));
              return next;
            });
          }).catch(() => null)
        : null;
      if (stored) head.draft = { id: stored.id, version: stored.version };
      const body = buildForm(head, stored ? [] : files);
      if (!stored) {
        setTotal(body.sizes.reduce((a, b) => a + b, 0));
        setProgress(files.map(() => 0));
      }
      if (!keyRef.current) keyRef.current = newIdempotencyKey();
      const d = await callForm('/api/v1/dossiers', {
        form: body.form,
        headers: { 'Idempotency-Key': keyRef.current },
        onProgress: stored ? undefined : (loaded, all) => setProgress(fileProgress(body.sizes, loaded, all)),
      });
      setResult(d);
      setDraft(null);
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

      {recovered && step === 'fill' && (
        <div className="card draft-offer" role="status" data-testid="draft-recovered">
          <p>{t('draft.recovered')}</p>
          {recovered.length > 0 && <p>{t('draft.recovered_files', { names: recovered.join(', ') })}</p>}
        </div>
      )}

      {offer && step === 'fill' && (
        <section className="card draft-offer" aria-labelledby="draft-offer-title" data-testid="draft-offer">
          <h2 id="draft-offer-title">{t('draft.found_title')}</h2>
          <p>{t('draft.found_text', { time: formatDateTime(offer.updated_at), files: offer.files.length, date: formatDate(offer.expires_at) })}</p>
          <div className="form-actions">
            <button className="btn btn-primary" type="button" onClick={() => void resume(offer)} data-testid="draft-resume">
              {t('draft.resume')}
            </button>
            <button className="btn" type="button" onClick={() => void discard(offer)} data-testid="draft-discard">
              {t('draft.start_over')}
            </button>
          </div>
        </section>
      )}

      <ErrorSummary focusKey={summaryShown} items={summaryItems({ ...errors, ...Object.fromEntries(Object.entries(fileErrors).map(([k, v]) => [`__file_${k}`, v])) }, errorOrder)} onFollow={goTo} />

      {step === 'fill' && (
        <form
          className="form"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            void validate().then((ok) => ok && setStep('review'));
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
            {verified && (
              <p className="alert alert-success" data-testid="applicant-verified">
                <strong>{t('applicant.verified')}</strong> {t('applicant.verified_hint')}
                {verified.birthDate && (
                  <>
                    {' '}
                    {t('applicant.birth_date')}: {formatDate(verified.birthDate)}.
                  </>
                )}
              </p>
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
            {canPrefill && (
              <div className="prefill" data-testid="prefill">
                <button className="btn" type="button" onClick={() => void prefill()} disabled={prefilling} aria-describedby="prefill-hint" data-testid="prefill-button">
                  {prefilling ? t('prefill.loading') : t('prefill.button')}
                </button>
                <p id="prefill-hint" className="muted">
                  {t('prefill.hint')}
                </p>
                {prefillNote && (
                  <p className="alert alert-success" role="status" data-testid="prefill-note">
                    {prefillNote}
                  </p>
                )}
                {prefillAsk && (
                  <div className="alert alert-warning" role="alert" data-testid="prefill-confirm">
                    <p>{t('prefill.confirm', { n: prefillAsk.replaced.length })}</p>
                    <div className="form-actions">
                      <button
                        className="btn btn-primary"
                        type="button"
                        onClick={() => {
                          setApplicant(prefillAsk.applicant);
                          setValues(prefillAsk.values);
                          setPrefillAsk(null);
                          setPrefillNote(t('prefill.done'));
                        }}
                        data-testid="prefill-replace"
                      >
                        {t('prefill.replace')}
                      </button>
                      <button
                        className="btn"
                        type="button"
                        onClick={() => {
                          setPrefillAsk(null);
                          setPrefillNote(t('prefill.kept'));
                        }}
                        data-testid="prefill-keep"
                      >
                        {t('prefill.keep')}
                      </button>
                    </div>
                  </div>
                )}
                {prefillError ? (
                  <p className="alert alert-error" role="alert" data-testid="prefill-error">
                    {t('prefill.failed', { why: prefillError instanceof ApiError && prefillError.status !== 0 ? (lang === 'en' ? prefillError.messageEn : prefillError.messageVi) : t('draft.offline') })}
                  </p>
                ) : null}
              </div>
            )}
            <div className="grid2">
              <Field id="ap-name" label={applicant.kind === 2 ? t('applicant.org_name') : t('applicant.name')} required error={errors.__applicant_name}>
                <input id="ap-name" value={applicant.name} readOnly={ownIdentity} onChange={(e) => set('name', e.target.value)} autoComplete="name" aria-invalid={errors.__applicant_name ? true : undefined} data-testid="applicant-name" />
              </Field>
              <Field id="ap-id" label={applicant.kind === 2 ? t('applicant.tax_code') : t('applicant.cccd')} error={errors.__applicant_id_number}>
                <input id="ap-id" inputMode="numeric" value={applicant.id_number} readOnly={ownIdentity} onChange={(e) => set('id_number', e.target.value)} aria-invalid={errors.__applicant_id_number ? true : undefined} data-testid="applicant-id" />
              </Field>
              {applicant.kind === 1 && (
                <Field id="ap-birth" label={t('applicant.birth_date')} hint={t('applicant.birth_date_hint')} error={errors.__applicant_birth_date}>
                  <input
                    id="ap-birth"
                    type="date"
                    value={applicant.birth_date ?? ''}
                    readOnly={Boolean(verified?.birthDate)}
                    onChange={(e) => set('birth_date', e.target.value)}
                    autoComplete="bday"
                    aria-invalid={errors.__applicant_birth_date ? true : undefined}
                    aria-describedby="ap-birth-hint"
                    data-testid="applicant-birth-date"
                  />
                </Field>
              )}
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

          <ErrorBox error={step === 'fill' ? sendError : null} title={t('submit.check_failed')} />
          <div className="form-actions">
            <Link className="btn" to={procedureUrl(proc.code)}>
              {t('common.cancel')}
            </Link>
            {keepsDrafts && (
              <button className="btn" type="button" onClick={() => void saveDraft().catch(() => undefined)} disabled={saving} data-testid="draft-save">
                {t('draft.save')}
              </button>
            )}
            <button className="btn btn-primary" type="submit" disabled={checking} data-testid="to-review">
              {checking ? t('common.working') : t('submit.to_review')}
            </button>
          </div>
          {keepsDrafts && (
            <p className="draft-status muted" role="status" aria-live="polite" data-testid="draft-status">
              {saving
                ? t('draft.saving')
                : saveError
                  ? t('draft.save_failed', { why: saveError instanceof ApiError && saveError.status !== 0 ? (lang === 'en' ? saveError.messageEn : saveError.messageVi) : t('draft.offline') })
                  : draft
                    ? t('draft.saved_at', { time: savedTime(draft.updated_at) })
                    : ''}
            </p>
          )}
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
              {applicant.kind === 1 && applicant.birth_date && (
                <>
                  <dt>{t('applicant.birth_date')}</dt>
                  <dd>{formatDate(applicant.birth_date)}</dd>
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
          <div className="field field-check declaration">
            {errors.__declaration && (
              <p className="field-error" id="declaration-error">
                {errors.__declaration}
              </p>
            )}
            <input
              id="declaration"
              type="checkbox"
              checked={declared}
              onChange={(e) => setDeclared(e.target.checked)}
              aria-invalid={errors.__declaration ? true : undefined}
              aria-describedby={errors.__declaration ? 'declaration-error' : undefined}
              data-testid="declaration"
            />
            <label htmlFor="declaration">{t('submit.declaration')}</label>
          </div>
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
  // The reference finds the dossier from now on, before it has its code and after.
  const lookup = d.lookup_secret ? `/tra-cuu?ma=${encodeURIComponent(d.reference)}&k=${encodeURIComponent(d.lookup_secret)}` : null;
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
          <dt>{t('ref.label')}</dt>
          <dd data-testid="receipt-reference">
            <strong>{d.reference}</strong> <span className="muted small">{t('ref.hint')}</span>
          </dd>
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

/**
 * GOV.UK's error summary: how many problems, each a link that moves focus to its field. Focused
 * (and announced) when a check fails.
 */
function ErrorSummary({ items, onFollow, focusKey }: { items: { key: string; target: string; message: string }[]; onFollow: (target: string) => void; focusKey: number }) {
  const { t } = useI18n();
  const ref = useRef<HTMLDivElement>(null);
  // Each failed check (focusKey moves) brings the summary into view and focus, once rendered.
  useEffect(() => {
    if (!focusKey || !ref.current) return;
    ref.current.scrollIntoView({ block: 'start' });
    ref.current.focus({ preventScroll: true });
  }, [focusKey]);
  if (items.length === 0) return null;
  return (
    <div className="error-summary" role="alert" tabIndex={-1} ref={ref} aria-labelledby="error-summary-title" data-testid="error-summary">
      <h2 id="error-summary-title">{items.length === 1 ? t('submit.summary_title_one') : t('submit.summary_title', { n: items.length })}</h2>
      <ul>
        {items.map((i) => (
          <li key={i.key}>
            <a
              href={`#${i.target}`}
              data-testid={`error-link-${i.key}`}
              onClick={(e) => {
                e.preventDefault();
                onFollow(i.target);
              }}
            >
              {i.message}
            </a>
          </li>
        ))}
      </ul>
    </div>
  );
}
