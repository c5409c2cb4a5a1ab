// Tiếp nhận tại quầy: the reception officer's own screen, not the citizen's online form. Find
// the applicant by identity number (an account or earlier dossiers prefill them), choose the
// procedure, type the paper form in, tick each component received (and in which form), accept,
// and print the receipt (Mẫu 01).
import { useEffect, useMemo, useState } from 'react';
import type { FormEvent } from 'react';
import { Link } from 'react-router-dom';
import { useAuth } from '../../auth';
import { useI18n } from '../../i18n';
import type { Key } from '../../i18n';
import { call } from '../../lib/api';
import type { Schema } from '../../lib/api';
import { BLANK_APPLICANT } from '../../lib/applicant';
import type { ApplicantInput } from '../../lib/applicant';
import { allProcedures, procName } from '../../lib/catalog';
import { problemErrors } from '../../lib/draft';
import { formPayload } from '../../lib/formcheck';
import { formatDateTime } from '../../lib/format';
import type { Dossier } from '../../lib/types';
import { useAsync } from '../../lib/useAsync';
import { EForm } from '../../components/EForm';
import { ErrorBox, Field, Loading, PageTitle } from '../../components/ui';
import '../../i18n/vi-staff'; // the officers' words (this page's chunk)

type PaperForm = 'original' | 'certified' | 'copy';
interface Ticked { received: boolean; form: PaperForm }
type Lookup = Schema<'ApplicantLookup'>;

/** The form the catalog asks for first: a original if any, else a certified copy, else a copy. */
function expectedForm(c: { originals: number; certified: number }): PaperForm {
  return c.originals > 0 ? 'original' : c.certified > 0 ? 'certified' : 'copy';
}

export default function CounterIntake() {
  const { t, lang } = useI18n();
  const { user } = useAuth();
  const [idNumber, setIdNumber] = useState('');
  const [found, setFound] = useState<Lookup | null>(null);
  const [findError, setFindError] = useState<unknown>(null);
  const [finding, setFinding] = useState(false);
  const [applicant, setApplicant] = useState<ApplicantInput>({ ...BLANK_APPLICANT });
  const [code, setCode] = useState('');
  const [values, setValues] = useState<Record<string, unknown>>({});
  const [locality, setLocality] = useState('');
  const [ticks, setTicks] = useState<Record<string, Ticked>>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [sendError, setSendError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [accepted, setAccepted] = useState<Dossier | null>(null);

  const procedures = useAsync(() => allProcedures(), []);
  const spec = useAsync(async (signal) => (code ? call('get', '/api/v1/procedures/{code}/form', { path: { code }, signal }) : null), [code]);
  const communes = useAsync(
    (signal) => call('get', '/api/v1/agencies', { query: { limit: 500 }, signal }).then((r) => r.items.filter((a) => /commune_pc|ward_pc|township_pc/.test(a.kind))),
    [],
  );
  const proc = spec.data ?? null;
  // A new procedure: its components, each expected in the form the catalog names, none ticked.
  useEffect(() => {
    if (!proc) return;
    setTicks(Object.fromEntries(proc.components.map((c) => [c.code, { received: false, form: expectedForm(c) }])));
    setValues({});
    setErrors({});
  }, [proc]);
  // The officer's own commune is where a commune-level dossier goes unless the applicant lives
  // elsewhere.
  useEffect(() => {
    const own = communes.data?.find((a) => a.id === user?.agency_id);
    if (own && !locality) setLocality(own.code);
  }, [communes.data, user, locality]);

  async function find(e: FormEvent) {
    e.preventDefault();
    setFindError(null);
    setFound(null);
    setFinding(true);
    try {
      const r = await call('get', '/api/v1/applicants', { query: { id_number: idNumber.trim() } });
      setFound(r);
      setApplicant(r.applicant ? { ...BLANK_APPLICANT, ...r.applicant } : { ...BLANK_APPLICANT, id_number: idNumber.trim() });
    } catch (err) {
      setFindError(err);
    } finally {
      setFinding(false);
    }
  }

  const missing = useMemo(() => (proc ? proc.components.filter((c) => c.required && !ticks[c.code]?.received) : []), [proc, ticks]);

  async function accept(e: FormEvent) {
    e.preventDefault();
    if (!proc) return;
    setSendError(null);
    const body: Schema<'DossierSubmission'> = {
      procedure_code: proc.code,
      channel: 'counter',
      applicant: { kind: applicant.kind, name: applicant.name.trim(), id_number: applicant.id_number?.trim() || undefined, phone: applicant.phone?.trim() || undefined, email: applicant.email?.trim() || undefined, address: applicant.address?.trim() || undefined },
      form: formPayload(proc.form, values),
      ...(proc.needs_commune && locality ? { locality_code: locality } : {}),
      received_components: Object.entries(ticks).filter(([, v]) => v.received).map(([component, v]) => ({ component, form: v.form })),
    };
    const fe: Record<string, string> = {};
    for (const c of missing) fe[`__component_${c.code}`] = t('counter.component_missing', { name: c.name });
    setBusy(true);
    try {
      const check = await call('post', '/api/v1/dossiers/check', { body });
      Object.assign(fe, problemErrors(check.problems, lang));
      setErrors(fe);
      if (Object.keys(fe).length > 0) {
        setTimeout(() => document.getElementById('counter-errors')?.focus(), 0);
        return;
      }
      const d = await call('post', '/api/v1/dossiers', { body });
      setAccepted(d);
    } catch (err) {
      setSendError(err);
    } finally {
      setBusy(false);
    }
  }

  if (accepted) {
    return (
      <div className="container">
        <PageTitle>{t('counter.accepted_title')}</PageTitle>
        <section className="card" data-testid="counter-accepted">
          <p className="alert alert-success" role="status">{t('counter.accepted', { code: accepted.code ?? '' })}</p>
          <dl className="kv">
            <dt>{t('dossier.code')}</dt><dd data-testid="counter-code">{accepted.code}</dd>
            <dt>{t('dossier.applicant')}</dt><dd>{accepted.applicant.name}</dd>
            <dt>{t('dossier.received_at')}</dt><dd>{formatDateTime(accepted.received_at)}</dd>
            <dt>{t('dossier.due_at')}</dt><dd>{formatDateTime(accepted.due_at)}</dd>
          </dl>
          <div className="form-actions">
            <a className="btn btn-primary" href={`/api/v1/dossiers/${accepted.id}/forms/receipt`} target="_blank" rel="noopener" data-testid="counter-receipt">{t('counter.print_receipt')}</a>
            <Link className="btn" to={`/mot-cua/ho-so/${accepted.id}`}>{t('counter.open_dossier')}</Link>
            <button type="button" className="btn" onClick={() => { setAccepted(null); setFound(null); setIdNumber(''); setApplicant({ ...BLANK_APPLICANT }); setCode(''); }}>{t('counter.next')}</button>
          </div>
        </section>
      </div>
    );
  }

  const errorList = Object.entries(errors);
  const apField = (k: 'name' | 'phone' | 'email' | 'address', labelKey: Key, required = false) => (
    <Field id={`ap-${k}`} label={t(labelKey)} required={required} error={errors[`__applicant_${k}`]}>
      <input id={`ap-${k}`} type={k === 'email' ? 'email' : k === 'phone' ? 'tel' : 'text'} value={applicant[k] ?? ''} onChange={(e) => setApplicant({ ...applicant, [k]: e.target.value })} aria-invalid={errors[`__applicant_${k}`] ? true : undefined} aria-describedby={errors[`__applicant_${k}`] ? `ap-${k}-error` : undefined} data-testid={`ap-${k}`} />
    </Field>
  );
  return (
    <div className="container">
      <PageTitle sub={t('counter.sub')}>{t('counter.title')}</PageTitle>
      {errorList.length > 0 && (
        <div className="error-summary" id="counter-errors" tabIndex={-1} role="alert" data-testid="counter-errors">
          <h2>{t('counter.errors')}</h2>
          <ul>
            {errorList.map(([k, m]) => (
              <li key={k}><a href={`#${k.startsWith('__component_') ? `tp-${k.slice(12)}` : k.startsWith('__applicant_') ? `ap-${k.slice(12)}` : k === '__locality' ? 'ap-locality' : `f-${k}`}`}>{m}</a></li>
            ))}
          </ul>
        </div>
      )}

      <section className="card" aria-labelledby="c-who">
        <h2 id="c-who">{t('counter.who')}</h2>
        <form className="toolbar" onSubmit={find} role="search" aria-label={t('counter.find')}>
          <div className="filter">
            <label htmlFor="c-id">{t('counter.id_number')}</label>
            <input id="c-id" inputMode="numeric" autoComplete="off" value={idNumber} onChange={(e) => setIdNumber(e.target.value)} data-testid="counter-id" />
          </div>
          <button type="submit" className="btn" disabled={finding || idNumber.trim() === ''} data-testid="counter-find">{t('counter.find')}</button>
        </form>
        <ErrorBox error={findError} />
        {found && (
          <p className="alert alert-info" role="status" data-testid="counter-found">
            {found.account ? t('counter.found_account') : found.applicant ? t('counter.found_dossiers', { n: found.dossiers }) : t('counter.found_none')}
            {found.account && found.dossiers > 0 ? ` ${t('counter.found_dossiers', { n: found.dossiers })}` : ''}
          </p>
        )}
        {found && (
          <div className="form-grid">
            {apField('name', 'counter.name', true)}
            <Field id="ap-id_number" label={t('counter.id_number')} required error={errors.__applicant_id_number}>
              <input id="ap-id_number" inputMode="numeric" value={applicant.id_number ?? ''} onChange={(e) => setApplicant({ ...applicant, id_number: e.target.value })} aria-invalid={errors.__applicant_id_number ? true : undefined} />
            </Field>
            {apField('phone', 'counter.phone')}
            {apField('email', 'counter.email')}
            {apField('address', 'counter.address')}
          </div>
        )}
      </section>

      {found && (
        <form onSubmit={accept} noValidate>
          <section className="card" aria-labelledby="c-proc">
            <h2 id="c-proc">{t('counter.procedure')}</h2>
            <Field id="c-procedure" label={t('counter.procedure')} required>
              <select id="c-procedure" value={code} onChange={(e) => setCode(e.target.value)} data-testid="counter-procedure">
                <option value="">{t('counter.choose')}</option>
                {(procedures.data ?? []).map((p) => <option key={p.code} value={p.code}>{`${procName(p, lang)} (${p.code})`}</option>)}
              </select>
            </Field>
            {spec.loading && <Loading />}
            <ErrorBox error={spec.error} />
            {proc?.needs_commune && (
              <Field id="ap-locality" label={t('submit.locality')} required error={errors.__locality}>
                <select id="ap-locality" value={locality} onChange={(e) => setLocality(e.target.value)}>
                  <option value="">{t('counter.choose')}</option>
                  {(communes.data ?? []).map((a) => <option key={a.id} value={a.code}>{a.name}</option>)}
                </select>
              </Field>
            )}
          </section>

          {proc && (
            <>
              <section className="card" aria-labelledby="c-form">
                <h2 id="c-form">{t('counter.paper_form')}</h2>
                <EForm fields={proc.form} values={values} errors={errors} onChange={(n, v) => setValues((x) => ({ ...x, [n]: v }))} />
              </section>
              <section className="card" aria-labelledby="c-check">
                <h2 id="c-check">{t('counter.checklist')}</h2>
                <p className="muted">{t('counter.checklist_hint')}</p>
                <table className="checklist" data-testid="counter-checklist">
                  <caption className="sr-only">{t('counter.checklist')}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{t('counter.component')}</th>
                      <th scope="col">{t('counter.received')}</th>
                      <th scope="col">{t('counter.form')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {proc.components.map((c) => {
                      const tick = ticks[c.code] ?? { received: false, form: expectedForm(c) };
                      const err = errors[`__component_${c.code}`];
                      return (
                        <tr key={c.code} className={err ? 'row-invalid' : undefined} data-testid="checklist-row">
                          <th scope="row">
                            <label htmlFor={`tp-${c.code}`}>{c.name}</label>
                            <div className="muted small">{c.code} · {c.required ? t('counter.required') : t('counter.optional')}</div>
                            {err && <p className="field-error" id={`tp-${c.code}-error`}>{err}</p>}
                          </th>
                          <td>
                            <input type="checkbox" id={`tp-${c.code}`} checked={tick.received} onChange={(e) => setTicks({ ...ticks, [c.code]: { ...tick, received: e.target.checked } })} aria-describedby={err ? `tp-${c.code}-error` : undefined} data-testid={`tick-${c.code}`} />
                          </td>
                          <td>
                            <select aria-label={t('counter.form_of', { name: c.name })} value={tick.form} onChange={(e) => setTicks({ ...ticks, [c.code]: { ...tick, form: e.target.value as PaperForm } })} data-testid={`form-of-${c.code}`}>
                              <option value="original">{t('counter.original')}</option>
                              <option value="certified">{t('counter.certified')}</option>
                              <option value="copy">{t('counter.copy')}</option>
                            </select>
                          </td>
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
              </section>
              <ErrorBox error={sendError} />
              <div className="form-actions">
                <button type="submit" className="btn btn-primary" disabled={busy} data-testid="counter-accept">{t('counter.accept')}</button>
              </div>
            </>
          )}
        </form>
      )}
    </div>
  );
}
