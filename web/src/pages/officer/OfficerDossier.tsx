import { useEffect, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { Link, useParams } from 'react-router-dom';
import { useAuth } from '../../auth';
import { useI18n } from '../../i18n';
import type { Key } from '../../i18n';
import { ApiError, call, callForm } from '../../lib/api';
import type { Schema } from '../../lib/api';
import { allowedActions, answerableConsultations, printableForms } from '../../lib/actions';
import type { ActionName } from '../../lib/actions';
import { procedureDetail } from '../../lib/catalog';
import { formatDate, formatDateTime, formatMoney, isoDateVN } from '../../lib/format';
import { canListUsers, hasRole } from '../../lib/roles';
import { buildForm, fileProgress } from '../../lib/submission';
import type { Agency, Dossier, DossierEvent, Procedure, User } from '../../lib/types';
import { useAsync } from '../../lib/useAsync';
import { ApplicantFacts, DossierFacts, FileTable, useDossier } from '../../components/DossierParts';
import { FilePicker } from '../../components/FilePicker';
import type { PickedFile } from '../../components/FilePicker';
import { Timeline } from '../../components/Timeline';
import { DossierMessages } from '../../components/DossierMessages';
import { DateInput, ErrorBox, Field, Loading, PageTitle } from '../../components/ui';
import '../../i18n/vi-staff'; // the officers' words (this page's chunk)

export default function OfficerDossier() {
  const { id = '' } = useParams();
  const { t, lang } = useI18n();
  const { user } = useAuth();
  const s = useDossier(id);
  const proc = useAsync(() => (s.data ? procedureDetail(s.data.dossier.procedure_code) : Promise.resolve(undefined)), [s.data?.dossier.procedure_code]);
  const [open, setOpen] = useState<ActionName | null>(null);
  const [notice, setNotice] = useState('');

  if (s.loading && !s.data) return <div className="container"><Loading /></div>;
  if (s.error || !s.data)
    return (
      <div className="container">
        <PageTitle>{t('od.title')}</PageTitle>
        <ErrorBox error={s.error} onRetry={s.reload} />
        <Link to="/mot-cua">{t('od.back')}</Link>
      </div>
    );
  const { dossier: d, events, files } = s.data;
  const p = proc.data;
  const actions = allowedActions(d, user, p);
  const forms = printableForms(d, events.map((e) => e.action));
  const toAnswer = answerableConsultations(events, user);
  const comps = Object.fromEntries((p?.components ?? []).map((c) => [c.code, c.name]));
  const step = p?.steps[d.step_index];

  return (
    <div className="container">
      <nav aria-label={t('common.breadcrumb')} className="breadcrumb">
        <Link to="/mot-cua">{t('nav.workspace')}</Link> <span aria-hidden="true">›</span> <span>{d.code ?? `#${d.id}`}</span>
      </nav>
      <PageTitle sub={d.procedure_name}>{d.code ? t('od.title_code', { code: d.code }) : t('od.title_new', { id: d.id })}</PageTitle>
      {notice && (
        <div className="alert alert-success" role="status" data-testid="notice">
          {notice}
        </div>
      )}
      <section className="card action-card" aria-labelledby="sec-actions">
        <h2 id="sec-actions">{t('od.actions')}</h2>
        {step && (
          <p>
            {t('dossier.step')}: <strong>{lang === 'en' ? step.name_en || step.name : step.name}</strong> <span className="muted">({t(`role.${step.role}` as Key)})</span>
          </p>
        )}
        {toAnswer.map((e) => (
          <AnswerConsultation
            key={e.seq}
            d={d}
            e={e}
            onDone={() => {
              setNotice(t('od.answered'));
              s.reload();
            }}
            onReload={s.reload}
          />
        ))}
        {actions.length === 0 ? (
          toAnswer.length === 0 && <p className="muted" data-testid="no-actions">{t('od.no_actions')}</p>
        ) : (
          <div className="action-list" role="group" aria-label={t('od.actions')}>
            {actions.map((a) => (
              <button
                key={a}
                type="button"
                className={`btn${open === a ? ' btn-primary' : ''}${a === 'reject' || a === 'stop' ? ' btn-danger-outline' : ''}`}
                aria-expanded={open === a}
                aria-controls="action-panel"
                onClick={() => setOpen(open === a ? null : a)}
                data-testid={`action-${a}`}
              >
                {t(`action.${a}`)}
              </button>
            ))}
          </div>
        )}
        {open && (
          <ActionPanel
            key={open}
            action={open}
            d={d}
            proc={p}
            user={user}
            onCancel={() => setOpen(null)}
            onDone={(nd) => {
              setOpen(null);
              setNotice(t('od.done', { action: t(`action.${open}`), status: t(`status.${nd.status}` as Key) }));
              s.reload();
            }}
            onReload={() => {
              setOpen(null);
              s.reload();
            }}
          />
        )}
        {forms.length > 0 && (
          <>
            <h3>{t('od.print')}</h3>
            <ul className="plain action-list">
              {forms.map((f) => (
                <li key={f}>
                  <a className="btn btn-small" href={`/api/v1/dossiers/${d.id}/forms/${f}`} target="_blank" rel="noopener" data-testid={`form-${f}`}>
                    {t(`pdf.${f}` as Key)}
                  </a>
                </li>
              ))}
            </ul>
          </>
        )}
      </section>
      <div className="two-col">
        <div>
          <section className="card" aria-labelledby="sec-facts">
            <h2 id="sec-facts">{t('od.facts')}</h2>
            <DossierFacts d={d} officer />
          </section>
          <section className="card" aria-labelledby="sec-form">
            <h2 id="sec-form">{t('submit.eform')}</h2>
            <FormAnswers d={d} p={p} />
          </section>
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
            <Timeline
              events={events}
              showActors
              extra={(e) =>
                toAnswer.includes(e) ? (
                  <p className="tl-extra">
                    <span className="badge badge-warn">{t('od.consult_waiting')}</span>
                  </p>
                ) : null
              }
            />
          </section>
          <section className="card" aria-labelledby="sec-messages">
            <h2 id="sec-messages">{t('notif.dossier_title')}</h2>
            <DossierMessages dossierId={d.id} />
          </section>
        </div>
      </div>
    </div>
  );
}

function FormAnswers({ d, p }: { d: Dossier; p?: Procedure }) {
  const { t, lang } = useI18n();
  const entries = Object.entries(d.form ?? {});
  if (entries.length === 0) return <p className="muted">{t('od.no_form')}</p>;
  const label = (name: string) => {
    const f = p?.form.find((x) => x.name === name);
    return f ? (lang === 'en' ? f.label_en || f.label_vi : f.label_vi) : name;
  };
  const isDate = (name: string) => p?.form.find((x) => x.name === name)?.type === 'date';
  return (
    <dl className="kv">
      {entries.map(([k, v]) => (
        <div key={k} className="kv-row">
          <dt>{label(k)}</dt>
          <dd>{typeof v === 'boolean' ? (v ? t('common.yes') : t('common.no')) : isDate(k) ? formatDate(String(v)) : String(v)}</dd>
        </div>
      ))}
    </dl>
  );
}

/** A consultation asked of the user's agency: its question and a form to answer it. */
function AnswerConsultation({ d, e, onDone, onReload }: { d: Dossier; e: DossierEvent; onDone: () => void; onReload: () => void }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const [note, setNote] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const id = `answer-${e.consultation_id}`;
  async function submit(ev: FormEvent) {
    ev.preventDefault();
    setError(null);
    if (!note.trim()) {
      setError(new ApiError({ status: 400, code: 'client.invalid', messageVi: t('od.err.answer'), messageEn: t('od.err.answer') }));
      document.getElementById(`${id}-note`)?.focus();
      return;
    }
    setBusy(true);
    try {
      await call('post', '/api/v1/dossiers/{id}/answer_consultation', { path: { id: d.id }, body: { version: d.version, consultation_id: e.consultation_id, note: note.trim() } });
      onDone();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }
  const conflict = error instanceof ApiError && error.status === 409 && error.code === 'dossier.version_conflict';
  return (
    <div className="card consult-card" data-testid="consultation">
      <h3>{t('od.consult_from', { agency: e.agency_name })}</h3>
      <p className="muted small">{formatDateTime(e.at)}{e.actor_name ? ` · ${e.actor_name}` : ''}</p>
      <p lang="vi">{e.content}</p>
      {!open ? (
        <button type="button" className="btn btn-primary" onClick={() => { setOpen(true); setTimeout(() => document.getElementById(`${id}-note`)?.focus(), 0); }} aria-expanded={false} data-testid="action-answer_consultation">
          {t('action.answer_consultation')}
        </button>
      ) : (
        <form onSubmit={submit} noValidate>
          <Field id={`${id}-note`} label={t('od.answer')} required>
            <textarea id={`${id}-note`} rows={3} value={note} onChange={(x) => setNote(x.target.value)} data-testid="answer-note" />
          </Field>
          <ErrorBox error={error} onRetry={conflict ? onReload : undefined} />
          <div className="form-actions">
            <button type="button" className="btn" onClick={() => { setOpen(false); setError(null); }}>
              {t('common.cancel')}
            </button>
            <button type="submit" className="btn btn-primary" disabled={busy} data-testid="answer-confirm">
              {busy ? t('common.working') : t('od.confirm', { action: t('action.answer_consultation') })}
            </button>
          </div>
        </form>
      )}
    </div>
  );
}

const NEEDS_ITEMS: ActionName[] = ['request_completion', 'reject', 'request_supplement'];
const NEEDS_NOTE: ActionName[] = ['stop', 'apologise'];

function ActionPanel({
  action,
  d,
  proc,
  user,
  onCancel,
  onDone,
  onReload,
}: {
  action: ActionName;
  d: Dossier;
  proc?: Procedure;
  user: User | null;
  onCancel: () => void;
  onDone: (d: Dossier) => void;
  onReload: () => void;
}) {
  const { t, lang } = useI18n();
  const [note, setNote] = useState('');
  const [items, setItems] = useState('');
  const [assignee, setAssignee] = useState(user && !hasRole(user, 'leader') ? String(user.id) : '');
  const [agency, setAgency] = useState('');
  const [due, setDue] = useState('');
  type ReturnMethod = NonNullable<Schema<'DossierAction'>['return_method']>;
  const [method, setMethod] = useState<ReturnMethod>(d.channel === 'online' ? 'online' : 'counter');
  const [files, setFiles] = useState<PickedFile[]>([]);
  // request_payment: the amount computed at acceptance, editable only where the catalog allows.
  const [amount, setAmount] = useState(String(d.fee_total));
  const feeAdjustable = (proc?.fees ?? []).some((f) => f.adjustable);
  const [progress, setProgress] = useState<number[] | undefined>();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    ref.current?.querySelector<HTMLElement>('input, textarea, select, button.btn-primary')?.focus();
  }, []);

  const users = useAsync(
    async (signal) => (action === 'assign' && canListUsers(user) ? (await call('get', '/api/v1/users', { query: { agency: d.current_agency_id, limit: 200 }, signal })).items : []),
    [action],
  );
  const agencies = useAsync(
    async (signal) => (action === 'consult' ? (await call('get', '/api/v1/agencies', { query: { limit: 500 }, signal })).items : ([] as Agency[])),
    [action],
  );

  function invalid(msgKey: Key) {
    setError(new ApiError({ status: 400, code: 'client.invalid', messageVi: t(msgKey), messageEn: t(msgKey) }));
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    const list = items.split('\n').map((x) => x.trim()).filter(Boolean);
    if (NEEDS_ITEMS.includes(action) && list.length === 0) return invalid('od.err.items');
    if (NEEDS_NOTE.includes(action) && !note.trim()) return invalid('od.err.note');
    if (action === 'assign' && !assignee) return invalid('od.err.assignee');
    if (action === 'consult' && !agency) return invalid('od.err.agency');
    if (action === 'apologise' && !due) return invalid('od.err.due');
    const body: Schema<'DossierAction'> = { version: d.version };
    if (note.trim()) body.note = note.trim();
    if (NEEDS_ITEMS.includes(action)) body.items = list;
    if (action === 'assign') body.assignee_id = Number(assignee);
    if (action === 'consult') {
      body.agency_code = agency;
      if (due) body.new_due_at = new Date(`${due}T17:00:00+07:00`).toISOString();
    }
    if (action === 'apologise') body.new_due_at = new Date(`${due}T17:00:00+07:00`).toISOString();
    if (action === 'return') body.return_method = method;
    if (action === 'request_payment' && feeAdjustable && Number(amount) !== d.fee_total) {
      if (!/^\d+$/.test(amount.trim()) || Number(amount) <= 0) return invalid('od.fee_amount');
      body.amount = Number(amount);
    }
    setBusy(true);
    try {
      let nd: Dossier;
      if (action === 'issue_result') {
        const built = buildForm(body, files.map((f) => ({ component: '', file: f.file })));
        setProgress(files.map(() => 0));
        nd = await callForm('/api/v1/dossiers/{id}/issue_result', { path: { id: d.id }, form: built.form, onProgress: (l, all) => setProgress(fileProgress(built.sizes, l, all)) });
      } else {
        nd = await call('post', `/api/v1/dossiers/{id}/${action}`, { path: { id: d.id }, body });
      }
      onDone(nd);
    } catch (err) {
      setError(err);
      setProgress(undefined);
    } finally {
      setBusy(false);
    }
  }

  const conflict = error instanceof ApiError && error.status === 409;
  return (
    <div id="action-panel" className="card" ref={ref} data-testid="action-panel">
      <form onSubmit={submit} noValidate>
        <h3>{t(`action.${action}`)}</h3>
        <p className="muted">{t(`od.help.${action}` as Key)}</p>
        {NEEDS_ITEMS.includes(action) && (
          <Field id="act-items" label={action === 'reject' ? t('od.reasons') : t('od.items')} hint={t('od.items_hint')} required>
            <textarea id="act-items" rows={4} value={items} onChange={(e) => setItems(e.target.value)} aria-describedby="act-items-hint" data-testid="act-items" />
          </Field>
        )}
        {action === 'assign' && (
          <Field id="act-assignee" label={t('dossier.assignee')} required>
            {users.loading ? (
              <Loading />
            ) : users.error ? (
              <ErrorBox error={users.error} title={t('od.users_failed')} onRetry={users.reload} />
            ) : (
              <select id="act-assignee" value={assignee} onChange={(e) => setAssignee(e.target.value)} data-testid="act-assignee">
                <option value="">{t('form.choose')}</option>
                {(users.data ?? []).filter((u) => !u.disabled).map((u) => (
                  <option key={u.id} value={u.id}>
                    {u.full_name} ({u.roles.map((r) => t(`role.${r}` as Key)).join(', ')})
                  </option>
                ))}
                {user && !(users.data ?? []).some((u) => u.id === user.id) && <option value={user.id}>{user.full_name}</option>}
              </select>
            )}
          </Field>
        )}
        {action === 'consult' && (
          <>
            <Field id="act-agency" label={t('od.consult_agency')} required>
              <select id="act-agency" value={agency} onChange={(e) => setAgency(e.target.value)}>
                <option value="">{t('form.choose')}</option>
                {(agencies.data ?? []).filter((a) => a.id !== d.current_agency_id).map((a) => (
                  <option key={a.id} value={a.code}>
                    {lang === 'en' && a.name_en ? a.name_en : a.name}
                  </option>
                ))}
              </select>
            </Field>
            <Field id="act-due" label={t('od.consult_due')} hint={t('od.consult_due_hint')}>
              <DateInput id="act-due" value={due} onValue={setDue} describedBy="act-due-hint" min={isoDateVN()} />
            </Field>
          </>
        )}
        {action === 'apologise' && (
          <Field id="act-due" label={t('od.new_due')} required>
            <DateInput id="act-due" value={due} onValue={setDue} min={isoDateVN()} />
          </Field>
        )}
        {action === 'return' && (
          <Field id="act-method" label={t('od.return_method')} required>
            <select id="act-method" value={method} onChange={(e) => setMethod(e.target.value as ReturnMethod)} data-testid="act-method">
              {['counter', 'online', 'postal'].map((m) => (
                <option key={m} value={m}>
                  {t(`channel.${m}` as Key)}
                </option>
              ))}
            </select>
          </Field>
        )}
        {action === 'request_payment' && (
          <Field id="act-amount" label={t('od.fee_amount')} hint={feeAdjustable ? t('od.fee_editable') : t('od.fee_fixed')} required>
            <input
              id="act-amount"
              inputMode="numeric"
              value={feeAdjustable ? amount : formatMoney(d.fee_total, lang)}
              readOnly={!feeAdjustable}
              onChange={(e) => setAmount(e.target.value)}
              aria-describedby="act-amount-hint act-amount-computed"
              data-testid="act-amount"
            />
            <p className="muted small" id="act-amount-computed" data-testid="act-amount-computed">
              {t('od.fee_computed', { amount: formatMoney(d.fee_total, lang) })}
            </p>
          </Field>
        )}
        {action === 'issue_result' && (
          <FilePicker
            components={[{ code: '', name: t('od.result_files'), originals: 0, certified: 0, copies: 0, required: false, file_types: ['pdf', 'jpg', 'png', 'docx', 'xml'] }]}
            files={files}
            onChange={setFiles}
            progress={progress}
          />
        )}
        <Field id="act-note" label={action === 'consult' ? t('od.question') : action === 'stop' || action === 'apologise' ? t('od.reason') : t('od.note')} required={NEEDS_NOTE.includes(action)}>
          <textarea id="act-note" rows={3} value={note} onChange={(e) => setNote(e.target.value)} data-testid="act-note" />
        </Field>
        <ErrorBox error={error} onRetry={conflict ? onReload : undefined} />
        <div className="form-actions">
          <button type="button" className="btn" onClick={onCancel}>
            {t('common.cancel')}
          </button>
          <button type="submit" className="btn btn-primary" disabled={busy} data-testid="act-confirm">
            {busy ? t('common.working') : t('od.confirm', { action: t(`action.${action}`) })}
          </button>
        </div>
        {proc === undefined && <p className="muted small">{t('common.loading')}</p>}
      </form>
    </div>
  );
}
