// Nền tảng tích hợp (LGSP): the gateway's registry (members, their systems, access tokens and
// certificates), its services, the access rights between them, and the message log with a
// summary of the page shown. Everything through /api/v1/gateway/… (src/gateway/routes.cpp).
import { useMemo, useState } from 'react';
import type { FormEvent, ReactNode } from 'react';
import { NavLink, Navigate, Route, Routes } from 'react-router-dom';
import { useI18n } from '../../i18n';
import type { Key } from '../../i18n';
import { ApiError, call } from '../../lib/api';
import type { Schema } from '../../lib/api';
import { formatBytes, formatDateTime, formatNumber, formatPercent } from '../../lib/format';
import { checkLimits, checkMember, checkRight, checkService, checkSubsystem, errorField, errorText, formatMs, lgspCodeKey, summarise } from '../../lib/gateway';
import type { FieldErrors, LogEntry, ServiceForm } from '../../lib/gateway';
import { useAsync } from '../../lib/useAsync';
import { Dialog, Empty, ErrorBox, Field, Loading } from '../../components/ui';
import { Chart } from '../../components/LazyChart';
import '../../i18n/vi-staff'; // the officers' words (this page's chunk)

type Member = Schema<'MemberView'>;
type Subsystem = Schema<'SubsystemView'>;
type Service = Schema<'ServiceView'>;
type Right = Schema<'RightView'>;

/** A form's state: the field errors (client checks or the server's, placed) and the rest. */
function useFormErrors<F extends string>() {
  const { t, lang } = useI18n();
  const [fields, setFields] = useState<Partial<Record<F, string>>>({});
  const [general, setGeneral] = useState<unknown>(null);
  return {
    fields,
    general,
    clear() {
      setFields({});
      setGeneral(null);
    },
    /** Shows the client checks' findings; false when there were some (focus on the first). */
    checked(found: FieldErrors<F>, idOf: (f: F) => string): boolean {
      const entries = Object.entries(found) as [F, Key][];
      setFields(Object.fromEntries(entries.map(([f, k]) => [f, t(k)])) as Partial<Record<F, string>>);
      setGeneral(null);
      if (entries.length) document.getElementById(idOf(entries[0][0]))?.focus();
      return entries.length === 0;
    },
    /** Editing a field takes its message away (the inputs' ids are "<form>-<field>"). */
    onInput(e: FormEvent) {
      const field = (e.target as HTMLElement).id.replace(/^[a-z]+-/, '') as F;
      if (fields[field]) setFields((x) => ({ ...x, [field]: undefined }));
    },
    /** A server error on its field when it names one, else above the form's button. */
    failed(e: unknown, field: F | null, idOf: (f: F) => string) {
      if (field && e instanceof ApiError) {
        setFields({ [field]: errorText(e, lang) } as Partial<Record<F, string>>);
        document.getElementById(idOf(field))?.focus();
      } else setGeneral(e);
    },
  };
}

/** aria attributes of an input with an optional hint and error (Field draws them). */
function described(id: string, error: string | undefined, hint = false) {
  const ids = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return { 'aria-invalid': error ? true : undefined, 'aria-describedby': ids || undefined } as const;
}

export function GatewayAdmin() {
  const { t } = useI18n();
  const members = useAsync((signal) => call('get', '/api/v1/gateway/members', { signal }).then((r) => r.items), []);
  const subsystems = useAsync((signal) => call('get', '/api/v1/gateway/subsystems', { signal }).then((r) => r.items), []);
  const services = useAsync((signal) => call('get', '/api/v1/gateway/services', { signal }).then((r) => r.items), []);
  const failed = members.error ?? subsystems.error ?? services.error;
  let body: ReactNode;
  if (failed) {
    body = (
      <ErrorBox
        error={failed}
        onRetry={() => {
          members.reload();
          subsystems.reload();
          services.reload();
        }}
      />
    );
  } else if (!members.data || !subsystems.data || !services.data) body = <Loading />;
  else {
    const data = { members: members.data, subsystems: subsystems.data, services: services.data };
    body = (
      <Routes>
        <Route index element={<Navigate to="thanh-vien" replace />} />
        <Route path="thanh-vien" element={<MembersTab {...data} onMember={members.reload} onSubsystem={subsystems.reload} />} />
        <Route path="dich-vu" element={<ServicesTab {...data} onChange={services.reload} />} />
        <Route path="quyen" element={<RightsTab {...data} />} />
        <Route path="nhat-ky" element={<><LogTab {...data} /><ArchivesCard /></>} />
      </Routes>
    );
  }
  return (
    <>
      <p className="muted">{t('admin.gw.intro')}</p>
      <UpstreamAlerts />
      <nav className="tabs tabs-sub" aria-label={t('admin.gw.sections')}>
        <NavLink to="/quan-tri/lgsp/thanh-vien" data-testid="gw-tab-members">{t('admin.gw.tab.members')}</NavLink>
        <NavLink to="/quan-tri/lgsp/dich-vu" data-testid="gw-tab-services">{t('admin.gw.tab.services')}</NavLink>
        <NavLink to="/quan-tri/lgsp/quyen" data-testid="gw-tab-rights">{t('admin.gw.tab.rights')}</NavLink>
        <NavLink to="/quan-tri/lgsp/nhat-ky" data-testid="gw-tab-log">{t('admin.gw.tab.log')}</NavLink>
      </nav>
      {body}
    </>
  );
}

/** Services whose error rate or latency is over its threshold now (src/gateway/alerts.cpp). */
function UpstreamAlerts() {
  const { t, lang } = useI18n();
  const alerts = useAsync((signal) => call('get', '/api/v1/gateway/alerts', { signal }).then((r) => r.items), []);
  if (!alerts.data?.length) return null;
  return (
    <div className="alert alert-error" role="alert" data-testid="gw-alerts">
      <strong>{t('admin.gw.alerts')}</strong>
      <ul>
        {alerts.data.map((a) => (
          <li key={`${a.service}-${a.kind}`}>
            {t(a.kind === 'latency' ? 'admin.gw.alert.latency' : 'admin.gw.alert.error_rate', {
              service: a.service,
              value: a.kind === 'latency' ? formatMs(a.value, lang) : formatPercent(a.value, lang),
              threshold: a.kind === 'latency' ? formatMs(a.threshold, lang) : formatPercent(a.threshold, lang),
              calls: formatNumber(a.calls, lang),
              since: formatDateTime(a.since_ms),
            })}
          </li>
        ))}
      </ul>
    </div>
  );
}

// ---- Thành viên & hệ thống ---------------------------------------------------------------------

function MembersTab({ members, subsystems, onMember, onSubsystem }: { members: Member[]; subsystems: Subsystem[]; onMember: () => void; onSubsystem: () => void }) {
  const { t } = useI18n();
  const [tokenFor, setTokenFor] = useState<Subsystem | null>(null);
  const [certFor, setCertFor] = useState<Subsystem | null>(null);
  const [asked, setAsked] = useState<SystemAction | null>(null);
  const [limitsFor, setLimitsFor] = useState<Subsystem | null>(null);
  const [notice, setNotice] = useState('');
  return (
    <>
      <section className="card" aria-labelledby="gw-members">
        <h2 id="gw-members">{t('admin.gw.members')}</h2>
        {notice && <div className="alert alert-success" role="status">{notice}</div>}
        {members.length === 0 ? (
          <Empty title={t('admin.gw.members_none')} />
        ) : (
          members.map((m) => {
            const own = subsystems.filter((s) => s.member_id === m.id);
            return (
              <div key={m.id} className="gw-member" data-testid={`member-${m.code}`}>
                <h3>
                  {m.name} <span className="code-tag">{m.code}</span>
                </h3>
                {own.length === 0 ? (
                  <p className="muted">{t('admin.gw.systems_none')}</p>
                ) : (
                  <div className="table-wrap" tabIndex={0}>
                    <table className="gw-table">
                      <caption className="sr-only">{t('admin.gw.systems_of', { name: m.name })}</caption>
                      <thead>
                        <tr>
                          <th scope="col">{t('admin.gw.system')}</th>
                          <th scope="col">{t('admin.gw.credentials')}</th>
                          <th scope="col" className="num">{t('admin.gw.rate_short')}</th>
                          <th scope="col">{t('admin.gw.allowed_ips')}</th>
                          <th scope="col"><span className="sr-only">{t('files.actions')}</span></th>
                        </tr>
                      </thead>
                      <tbody>
                        {own.map((s) => (
                          <tr key={s.id} data-testid={`system-${s.code}`}>
                            <td>
                              <span className="code-tag">{s.code}</span>
                              {!s.enabled && <> <span className="badge badge-warn">{t('admin.gw.disabled')}</span></>}
                            </td>
                            <td>
                              <div>{s.has_token ? t('admin.gw.has_token') : t('admin.gw.no_token')}</div>
                              <div className="small">{s.certificate_sha256 ? <>{t('admin.gw.has_cert')} <span className="code-tag" title={s.certificate_sha256}>{s.certificate_sha256.slice(0, 16)}…</span></> : t('admin.gw.no_cert')}</div>
                            </td>
                            <td className="num">{s.rate_per_second}</td>
                            <td>{s.allowed_ips.length ? s.allowed_ips.join(', ') : t('admin.gw.any_ip')}</td>
                            <td className="nowrap">
                              <button type="button" className="btn btn-small" aria-haspopup="dialog" onClick={() => { setNotice(''); setTokenFor(s); }} data-testid={`token-${s.code}`} aria-label={`${t(s.has_token ? 'admin.gw.token_new' : 'admin.gw.token_issue')}: ${s.code}`}>
                                {t(s.has_token ? 'admin.gw.token_new' : 'admin.gw.token_issue')}
                              </button>{' '}
                              <button type="button" className="btn btn-small" aria-haspopup="dialog" onClick={() => { setNotice(''); setCertFor(s); }} aria-label={`${t('admin.gw.cert_bind')}: ${s.code}`}>
                                {t('admin.gw.cert_bind')}
                              </button>{' '}
                              {s.has_token && (
                                <>
                                  <button type="button" className="btn btn-small" aria-haspopup="dialog" onClick={() => { setNotice(''); setAsked({ kind: 'revoke', system: s }); }} data-testid={`revoke-${s.code}`} aria-label={`${t('admin.gw.token_revoke')}: ${s.code}`}>
                                    {t('admin.gw.token_revoke')}
                                  </button>{' '}
                                </>
                              )}
                              {s.certificate_sha256 && (
                                <>
                                  <button type="button" className="btn btn-small" aria-haspopup="dialog" onClick={() => { setNotice(''); setAsked({ kind: 'unbind', system: s }); }} data-testid={`unbind-${s.code}`} aria-label={`${t('admin.gw.cert_unbind')}: ${s.code}`}>
                                    {t('admin.gw.cert_unbind')}
                                  </button>{' '}
                                </>
                              )}
                              <button type="button" className="btn btn-small" aria-haspopup="dialog" onClick={() => { setNotice(''); setLimitsFor(s); }} data-testid={`limits-${s.code}`} aria-label={`${t('admin.gw.limits_edit')}: ${s.code}`}>
                                {t('admin.gw.limits_edit')}
                              </button>{' '}
                              <button type="button" className="btn btn-small" aria-haspopup="dialog" onClick={() => { setNotice(''); setAsked({ kind: s.enabled ? 'disable' : 'enable', system: s }); }} data-testid={`toggle-${s.code}`} aria-label={`${t(s.enabled ? 'admin.gw.system_disable' : 'admin.gw.system_enable')}: ${s.code}`}>
                                {t(s.enabled ? 'admin.gw.system_disable' : 'admin.gw.system_enable')}
                              </button>
                            </td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  </div>
                )}
              </div>
            );
          })
        )}
      </section>
      <div className="grid2 grid2-top">
        <AddMember onAdded={onMember} />
        <AddSubsystem members={members} onAdded={onSubsystem} />
      </div>
      <TokenDialog subsystem={tokenFor} onClose={() => setTokenFor(null)} onIssued={onSubsystem} />
      <LimitsDialog
        system={limitsFor}
        onClose={() => setLimitsFor(null)}
        onSaved={(s) => {
          setLimitsFor(null);
          setNotice(t('admin.gw.limits_saved', { code: s.code }));
          onSubsystem();
        }}
      />
      <SystemActionDialog
        asked={asked}
        onClose={() => setAsked(null)}
        onDone={(done, s) => {
          setAsked(null);
          setNotice(t(DONE[done], { code: s.code }));
          onSubsystem();
        }}
      />
      <CertificateDialog
        subsystem={certFor}
        onClose={() => setCertFor(null)}
        onBound={(s) => {
          setCertFor(null);
          setNotice(t('admin.gw.cert_bound', { code: s.code }));
          onSubsystem();
        }}
      />
    </>
  );
}

function AddMember({ onAdded }: { onAdded: () => void }) {
  const { t } = useI18n();
  const [f, setF] = useState({ code: '', name: '' });
  const [done, setDone] = useState('');
  const err = useFormErrors<'code' | 'name'>();
  const id = (x: string) => `gm-${x}`;
  async function submit(e: FormEvent) {
    e.preventDefault();
    setDone('');
    if (!err.checked(checkMember(f), id)) return;
    try {
      const m = await call('post', '/api/v1/gateway/members', { body: { code: f.code.trim(), name: f.name.trim() } });
      setDone(t('admin.gw.member_added', { code: m.code }));
      setF({ code: '', name: '' });
      onAdded();
    } catch (x) {
      err.failed(x, errorField(x, ['code', 'name'] as const, { 'storage.unique': 'code' }), id);
    }
  }
  return (
    <section className="card" aria-labelledby="gm-title">
      <h2 id="gm-title">{t('admin.gw.member_add')}</h2>
      <form onSubmit={submit} onInput={err.onInput} noValidate>
        <Field id="gm-code" label={t('admin.gw.member_code')} hint={t('admin.gw.member_code_hint')} error={err.fields.code} required>
          <input id="gm-code" value={f.code} onChange={(e) => setF({ ...f, code: e.target.value })} autoComplete="off" spellCheck={false} {...described('gm-code', err.fields.code, true)} />
        </Field>
        <Field id="gm-name" label={t('admin.gw.member_name')} error={err.fields.name} required>
          <input id="gm-name" value={f.name} onChange={(e) => setF({ ...f, name: e.target.value })} {...described('gm-name', err.fields.name)} />
        </Field>
        <ErrorBox error={err.general} />
        {done && <div className="alert alert-success" role="status">{done}</div>}
        <button type="submit" className="btn btn-primary" data-testid="gm-submit">{t('admin.gw.member_add')}</button>
      </form>
    </section>
  );
}

function AddSubsystem({ members, onAdded }: { members: Member[]; onAdded: () => void }) {
  const { t } = useI18n();
  const [f, setF] = useState({ member_code: '', name: '', rate_per_second: '50', allowed_ips: '' });
  const [done, setDone] = useState('');
  const err = useFormErrors<'member_code' | 'name' | 'rate_per_second' | 'allowed_ips'>();
  const id = (x: string) => `gs-${x}`;
  async function submit(e: FormEvent) {
    e.preventDefault();
    setDone('');
    if (!err.checked(checkSubsystem(f), id)) return;
    try {
      const ips = f.allowed_ips.split(/[\s,;]+/).filter(Boolean);
      const s = await call('post', '/api/v1/gateway/subsystems', {
        body: { member_code: f.member_code, name: f.name.trim(), rate_per_second: Number(f.rate_per_second), allowed_ips: ips },
      });
      setDone(t('admin.gw.system_added', { code: s.code }));
      setF({ ...f, name: '' });
      onAdded();
    } catch (x) {
      err.failed(x, errorField(x, ['member_code', 'name', 'rate_per_second', 'allowed_ips'] as const, { 'gateway.not_found': 'member_code', 'storage.unique': 'name' }), id);
    }
  }
  return (
    <section className="card" aria-labelledby="gs-title">
      <h2 id="gs-title">{t('admin.gw.system_add')}</h2>
      <form onSubmit={submit} onInput={err.onInput} noValidate>
        <Field id="gs-member_code" label={t('admin.gw.member')} error={err.fields.member_code} required>
          <select id="gs-member_code" value={f.member_code} onChange={(e) => setF({ ...f, member_code: e.target.value })} {...described('gs-member_code', err.fields.member_code)}>
            <option value="">{t('form.choose')}</option>
            {members.map((m) => <option key={m.id} value={m.code}>{`${m.name} (${m.code})`}</option>)}
          </select>
        </Field>
        <Field id="gs-name" label={t('admin.gw.system_name')} hint={t('admin.gw.system_name_hint')} error={err.fields.name} required>
          <input id="gs-name" value={f.name} onChange={(e) => setF({ ...f, name: e.target.value })} autoComplete="off" spellCheck={false} {...described('gs-name', err.fields.name, true)} />
        </Field>
        <Field id="gs-rate_per_second" label={t('admin.gw.rate')} error={err.fields.rate_per_second} required>
          <input id="gs-rate_per_second" className="input-short" inputMode="numeric" value={f.rate_per_second} onChange={(e) => setF({ ...f, rate_per_second: e.target.value })} {...described('gs-rate_per_second', err.fields.rate_per_second)} />
        </Field>
        <Field id="gs-allowed_ips" label={t('admin.gw.allowed_ips')} hint={t('admin.gw.allowed_ips_hint')} error={err.fields.allowed_ips}>
          <input id="gs-allowed_ips" value={f.allowed_ips} onChange={(e) => setF({ ...f, allowed_ips: e.target.value })} autoComplete="off" spellCheck={false} {...described('gs-allowed_ips', err.fields.allowed_ips, true)} />
        </Field>
        <ErrorBox error={err.general} />
        {done && <div className="alert alert-success" role="status">{done}</div>}
        <button type="submit" className="btn btn-primary" data-testid="gs-submit">{t('admin.gw.system_add')}</button>
      </form>
    </section>
  );
}

/** A system's rate and allowed addresses, changed in place (PATCH; the next call obeys them). */
function LimitsDialog({ system, onClose, onSaved }: { system: Subsystem | null; onClose: () => void; onSaved: (s: Subsystem) => void }) {
  const { t } = useI18n();
  const [f, setF] = useState({ rate_per_second: '', allowed_ips: '' });
  const [shownFor, setShownFor] = useState<Subsystem | null>(null);
  const [busy, setBusy] = useState(false);
  const err = useFormErrors<'rate_per_second' | 'allowed_ips'>();
  if (system !== shownFor) {
    setShownFor(system);
    setF({ rate_per_second: String(system?.rate_per_second ?? ''), allowed_ips: (system?.allowed_ips ?? []).join(', ') });
  }
  const id = (x: string) => `gx-${x}`;
  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!system || !err.checked(checkLimits(f), id)) return;
    setBusy(true);
    try {
      const path = { member: system.code.slice(0, system.code.indexOf('/')), name: system.name };
      const ips = f.allowed_ips.split(/[\s,;]+/).filter(Boolean);
      onSaved(await call('patch', '/api/v1/gateway/subsystems/{member}/{name}', { path, body: { rate_per_second: Number(f.rate_per_second), allowed_ips: ips } }));
    } catch (x) {
      err.failed(x, errorField(x, ['rate_per_second', 'allowed_ips'] as const, { 'gateway.invalid': (a) => (/IPv4|IPv6/.test(a.messageEn) ? 'allowed_ips' : 'rate_per_second') }), id);
    } finally {
      setBusy(false);
    }
  }
  return (
    <Dialog open={!!system} title={t('admin.gw.limits_title', { code: system?.code ?? '' })} onClose={onClose} testId="limits-dialog">
      <form onSubmit={submit} onInput={err.onInput} noValidate>
        <Field id="gx-rate_per_second" label={t('admin.gw.rate')} error={err.fields.rate_per_second} required>
          <input id="gx-rate_per_second" className="input-short" inputMode="numeric" value={f.rate_per_second} onChange={(e) => setF({ ...f, rate_per_second: e.target.value })} {...described('gx-rate_per_second', err.fields.rate_per_second)} />
        </Field>
        <Field id="gx-allowed_ips" label={t('admin.gw.allowed_ips')} hint={t('admin.gw.allowed_ips_hint')} error={err.fields.allowed_ips}>
          <input id="gx-allowed_ips" value={f.allowed_ips} onChange={(e) => setF({ ...f, allowed_ips: e.target.value })} autoComplete="off" spellCheck={false} {...described('gx-allowed_ips', err.fields.allowed_ips, true)} />
        </Field>
        <ErrorBox error={err.general} />
        <div className="form-actions">
          <button type="button" className="btn" onClick={onClose}>{t('common.cancel')}</button>
          <button type="submit" className="btn btn-primary" disabled={busy} data-testid="limits-save">{busy ? t('common.working') : t('admin.gw.limits_save')}</button>
        </div>
      </form>
    </Dialog>
  );
}

/** What the administrator may do to a system at once, each asked first. */
type SystemAction = { kind: 'revoke' | 'unbind' | 'disable' | 'enable'; system: Subsystem };
const ASK: Record<SystemAction['kind'], Key> = {
  revoke: 'admin.gw.token_revoke_confirm',
  unbind: 'admin.gw.cert_unbind_confirm',
  disable: 'admin.gw.system_disable_confirm',
  enable: 'admin.gw.system_enable_confirm',
};
const ACT: Record<SystemAction['kind'], Key> = {
  revoke: 'admin.gw.token_revoke',
  unbind: 'admin.gw.cert_unbind',
  disable: 'admin.gw.system_disable',
  enable: 'admin.gw.system_enable',
};
const DONE: Record<SystemAction['kind'], Key> = {
  revoke: 'admin.gw.token_revoked',
  unbind: 'admin.gw.cert_unbound',
  disable: 'admin.gw.system_disabled',
  enable: 'admin.gw.system_enabled',
};

function SystemActionDialog({ asked, onClose, onDone }: { asked: SystemAction | null; onClose: () => void; onDone: (kind: SystemAction['kind'], s: Subsystem) => void }) {
  const { t } = useI18n();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [shownFor, setShownFor] = useState<SystemAction | null>(null);
  if (asked !== shownFor) {
    setShownFor(asked);
    setError(null);
  }
  async function act() {
    if (!asked) return;
    const [member, name] = [asked.system.code.slice(0, asked.system.code.indexOf('/')), asked.system.name];
    const path = { member, name };
    setBusy(true);
    setError(null);
    try {
      const s =
        asked.kind === 'revoke'
          ? await call('delete', '/api/v1/gateway/subsystems/{member}/{name}/token', { path })
          : asked.kind === 'unbind'
            ? await call('delete', '/api/v1/gateway/subsystems/{member}/{name}/certificate', { path })
            : await call('patch', '/api/v1/gateway/subsystems/{member}/{name}', { path, body: { enabled: asked.kind === 'enable' } });
      onDone(asked.kind, s);
    } catch (x) {
      setError(x);
    } finally {
      setBusy(false);
    }
  }
  return (
    <Dialog open={!!asked} title={asked ? `${t(ACT[asked.kind])}: ${asked.system.code}` : ''} onClose={onClose} testId="system-action-dialog">
      <p>{asked ? t(ASK[asked.kind], { code: asked.system.code }) : ''}</p>
      <ErrorBox error={error} />
      <div className="form-actions">
        <button type="button" className="btn" onClick={onClose}>{t('common.cancel')}</button>
        <button type="button" className={asked?.kind === 'enable' ? 'btn btn-primary' : 'btn btn-danger'} onClick={act} disabled={busy} data-testid="system-action-confirm">
          {busy ? t('common.working') : asked ? t(ACT[asked.kind]) : ''}
        </button>
      </div>
    </Dialog>
  );
}

/** Issues an access token: asks first (a new token ends the old one), then shows it once. */
function TokenDialog({ subsystem, onClose, onIssued }: { subsystem: Subsystem | null; onClose: () => void; onIssued: () => void }) {
  const { t } = useI18n();
  const [token, setToken] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [copied, setCopied] = useState<'' | 'ok' | 'failed'>('');
  const [shownFor, setShownFor] = useState<number | null>(null);
  if ((subsystem?.id ?? null) !== shownFor) {
    setShownFor(subsystem?.id ?? null);
    setToken('');
    setError(null);
    setCopied('');
  }
  async function issue() {
    if (!subsystem) return;
    setBusy(true);
    setError(null);
    try {
      const r = await call('post', '/api/v1/gateway/tokens', { body: { subsystem: subsystem.code } });
      setToken(r.token);
      onIssued();
    } catch (x) {
      setError(x);
    } finally {
      setBusy(false);
    }
  }
  async function copy() {
    try {
      await navigator.clipboard.writeText(token);
      setCopied('ok');
    } catch {
      // No clipboard (an insecure origin, a refused permission): select it for Ctrl+C.
      const input = document.getElementById('gw-token') as HTMLInputElement | null;
      input?.focus();
      input?.select();
      setCopied('failed');
    }
  }
  const close = () => {
    setToken(''); // never kept once the dialog is closed
    onClose();
  };
  return (
    <Dialog open={!!subsystem} title={t('admin.gw.token_title', { code: subsystem?.code ?? '' })} onClose={close} testId="token-dialog">
      {!token ? (
        <>
          <p>{t('admin.gw.token_intro')}</p>
          {subsystem?.has_token && <p className="alert alert-info">{t('admin.gw.token_replaces')}</p>}
          <ErrorBox error={error} />
          <div className="form-actions">
            <button type="button" className="btn" onClick={close}>{t('common.cancel')}</button>
            <button type="button" className="btn btn-primary" onClick={issue} disabled={busy} data-testid="token-issue">
              {busy ? t('common.working') : t(subsystem?.has_token ? 'admin.gw.token_new' : 'admin.gw.token_issue')}
            </button>
          </div>
        </>
      ) : (
        <>
          <div className="alert alert-warning" role="alert">
            <p className="alert-title">{t('admin.gw.token_once_title')}</p>
            <p>{t('admin.gw.token_once')}</p>
          </div>
          <div className="field">
            <label htmlFor="gw-token">{t('admin.gw.token')}</label>
            <input id="gw-token" className="code-input" readOnly value={token} onFocus={(e) => e.target.select()} data-testid="token-value" spellCheck={false} />
          </div>
          <p className="small" role="status">{copied === 'ok' ? t('admin.gw.copied') : copied === 'failed' ? t('admin.gw.copy_failed') : ''}</p>
          <div className="form-actions">
            <button type="button" className="btn" onClick={copy} data-testid="token-copy">{t('admin.gw.copy')}</button>
            <button type="button" className="btn btn-primary" onClick={close} data-testid="token-done">{t('admin.gw.token_saved')}</button>
          </div>
        </>
      )}
    </Dialog>
  );
}

function CertificateDialog({ subsystem, onClose, onBound }: { subsystem: Subsystem | null; onClose: () => void; onBound: (s: Subsystem) => void }) {
  const { t } = useI18n();
  const [pem, setPem] = useState('');
  const [busy, setBusy] = useState(false);
  const err = useFormErrors<'certificate_pem'>();
  const [shownFor, setShownFor] = useState<number | null>(null);
  if ((subsystem?.id ?? null) !== shownFor) {
    setShownFor(subsystem?.id ?? null);
    setPem('');
    err.clear();
  }
  const id = () => 'gc-certificate_pem';
  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!subsystem) return;
    if (!err.checked(pem.includes('-----BEGIN CERTIFICATE-----') ? {} : { certificate_pem: 'admin.gw.check.pem' }, id)) return;
    setBusy(true);
    try {
      onBound(await call('post', '/api/v1/gateway/certificates', { body: { subsystem: subsystem.code, certificate_pem: pem } }));
    } catch (x) {
      err.failed(x, errorField(x, ['certificate_pem'] as const, { 'gateway.certificate_invalid': 'certificate_pem', 'gateway.invalid': 'certificate_pem' }), id);
    } finally {
      setBusy(false);
    }
  }
  return (
    <Dialog open={!!subsystem} title={t('admin.gw.cert_title', { code: subsystem?.code ?? '' })} onClose={onClose} testId="cert-dialog">
      <form onSubmit={submit} onInput={err.onInput} noValidate>
        <Field id="gc-certificate_pem" label={t('admin.gw.cert_pem')} hint={t('admin.gw.cert_hint')} error={err.fields.certificate_pem} required>
          <textarea id="gc-certificate_pem" className="code" rows={10} value={pem} onChange={(e) => setPem(e.target.value)} spellCheck={false} placeholder="-----BEGIN CERTIFICATE-----" {...described('gc-certificate_pem', err.fields.certificate_pem, true)} />
        </Field>
        <ErrorBox error={err.general} />
        <div className="form-actions">
          <button type="button" className="btn" onClick={onClose}>{t('common.cancel')}</button>
          <button type="submit" className="btn btn-primary" disabled={busy} data-testid="cert-submit">{busy ? t('common.working') : t('admin.gw.cert_bind')}</button>
        </div>
      </form>
    </Dialog>
  );
}

// ---- Dịch vụ ------------------------------------------------------------------------------------

const NEW_SERVICE: ServiceForm = { code: '', provider_code: '', name: '', description: '', upstream_url: '', timeout_ms: '10000', max_request_bytes: String(10 << 20), max_response_bytes: String(20 << 20), enabled: true };

function formOf(s: Service): ServiceForm {
  return {
    code: s.code,
    provider_code: s.provider_code,
    name: s.name,
    description: s.description,
    upstream_url: s.upstream_url,
    timeout_ms: String(s.timeout_ms),
    max_request_bytes: String(s.max_request_bytes),
    max_response_bytes: String(s.max_response_bytes),
    enabled: s.enabled,
  };
}

function ServicesTab({ subsystems, services, onChange }: { subsystems: Subsystem[]; services: Service[]; onChange: () => void }) {
  const { t, lang } = useI18n();
  const [editing, setEditing] = useState<Service | null>(null);
  const [notice, setNotice] = useState('');
  return (
    <>
      <section className="card" aria-labelledby="gv-list">
        <h2 id="gv-list">{t('admin.gw.services')}</h2>
        {notice && <div className="alert alert-success" role="status">{notice}</div>}
        {services.length === 0 ? (
          <Empty title={t('admin.gw.services_none')} />
        ) : (
          <div className="table-wrap" tabIndex={0}>
            <table className="gw-table" data-testid="services-table">
              <caption className="sr-only">{t('admin.gw.services')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('admin.gw.service')}</th>
                  <th scope="col">{t('admin.gw.provider')}</th>
                  <th scope="col">{t('admin.gw.upstream')}</th>
                  <th scope="col">{t('admin.gw.limits')}</th>
                  <th scope="col">{t('admin.gw.state')}</th>
                  <th scope="col"><span className="sr-only">{t('files.actions')}</span></th>
                </tr>
              </thead>
              <tbody>
                {services.map((s) => (
                  <tr key={s.id} data-testid={`service-${s.code}`}>
                    <td>{s.name}<div className="code-tag">/lgsp/{s.code}</div></td>
                    <td className="code-tag">{s.provider_code}</td>
                    <td className="wrap-anywhere">{s.upstream_url}</td>
                    <td className="small">{t('admin.gw.limits_line', { timeout: formatNumber(s.timeout_ms, lang), req: formatBytes(s.max_request_bytes), res: formatBytes(s.max_response_bytes) })}</td>
                    <td>{s.enabled ? <span className="badge online-full">{t('admin.gw.enabled')}</span> : <span className="badge badge-warn">{t('admin.gw.disabled')}</span>}</td>
                    <td>
                      <button type="button" className="btn btn-small" onClick={() => { setNotice(''); setEditing(s); document.getElementById('gv-form')?.focus(); }} data-testid={`edit-${s.code}`} aria-label={`${t('admin.gw.edit')}: ${s.name}`}>{t('admin.gw.edit')}</button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <ServiceEditor key={editing?.id ?? 'new'} editing={editing} subsystems={subsystems} onCancel={() => setEditing(null)} onSaved={(s) => { setEditing(null); setNotice(t('admin.gw.service_saved', { code: s.code })); onChange(); }} />
    </>
  );
}

function ServiceEditor({ editing, subsystems, onCancel, onSaved }: { editing: Service | null; subsystems: Subsystem[]; onCancel: () => void; onSaved: (s: Service) => void }) {
  const { t } = useI18n();
  const [f, setF] = useState<ServiceForm>(editing ? formOf(editing) : NEW_SERVICE);
  const [busy, setBusy] = useState(false);
  type F = keyof ReturnType<typeof checkService>;
  const err = useFormErrors<F>();
  const id = (x: string) => `gv-${x}`;
  const set = (k: keyof ServiceForm, v: string) => setF((x) => ({ ...x, [k]: v }));
  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!err.checked(checkService(f), id)) return;
    setBusy(true);
    try {
      const s = await call('put', '/api/v1/gateway/services/{code}', {
        path: { code: f.code.trim() },
        body: {
          provider_code: f.provider_code,
          name: f.name.trim(),
          description: f.description,
          upstream_url: f.upstream_url.trim(),
          timeout_ms: Number(f.timeout_ms),
          max_request_bytes: Number(f.max_request_bytes),
          max_response_bytes: Number(f.max_response_bytes),
          enabled: f.enabled,
        },
      });
      if (!editing) setF(NEW_SERVICE);
      onSaved(s);
    } catch (x) {
      const fields = ['code', 'provider_code', 'name', 'upstream_url', 'timeout_ms', 'max_request_bytes', 'max_response_bytes'] as const;
      err.failed(x, errorField<F>(x, fields, { 'gateway.not_found': 'provider_code' }), id);
    } finally {
      setBusy(false);
    }
  }
  const num = (k: 'timeout_ms' | 'max_request_bytes' | 'max_response_bytes', label: Key, hint: string) => (
    <Field id={id(k)} label={t(label)} hint={hint} error={err.fields[k]} required>
      <input id={id(k)} inputMode="numeric" value={f[k]} onChange={(e) => set(k, e.target.value)} {...described(id(k), err.fields[k], true)} />
    </Field>
  );
  const bytesHint = (v: string) => (/^\d+$/.test(v) ? t('admin.gw.bytes_hint', { size: formatBytes(Number(v)) }) : t('admin.gw.bytes_hint', { size: '—' }));
  return (
    <section className="card" aria-labelledby="gv-form" id="gv-section">
      <h2 id="gv-form" tabIndex={-1}>{editing ? t('admin.gw.service_edit', { code: editing.code }) : t('admin.gw.service_add')}</h2>
      <form onSubmit={submit} onInput={err.onInput} noValidate>
        <div className="grid2">
          <Field id="gv-code" label={t('admin.gw.service_code')} hint={t('admin.gw.service_code_hint')} error={err.fields.code} required>
            <input id="gv-code" value={f.code} readOnly={!!editing} onChange={(e) => set('code', e.target.value)} autoComplete="off" spellCheck={false} {...described('gv-code', err.fields.code, true)} />
          </Field>
          <Field id="gv-provider_code" label={t('admin.gw.provider')} error={err.fields.provider_code} required>
            <select id="gv-provider_code" value={f.provider_code} onChange={(e) => set('provider_code', e.target.value)} {...described('gv-provider_code', err.fields.provider_code)}>
              <option value="">{t('form.choose')}</option>
              {subsystems.map((s) => <option key={s.id} value={s.code}>{s.code}</option>)}
            </select>
          </Field>
        </div>
        <Field id="gv-name" label={t('admin.gw.service_name')} error={err.fields.name} required>
          <input id="gv-name" value={f.name} onChange={(e) => set('name', e.target.value)} {...described('gv-name', err.fields.name)} />
        </Field>
        <Field id="gv-upstream_url" label={t('admin.gw.upstream')} hint={t('admin.gw.upstream_hint')} error={err.fields.upstream_url} required>
          <input id="gv-upstream_url" type="url" value={f.upstream_url} onChange={(e) => set('upstream_url', e.target.value)} autoComplete="off" spellCheck={false} {...described('gv-upstream_url', err.fields.upstream_url, true)} />
        </Field>
        <div className="grid3">
          {num('timeout_ms', 'admin.gw.timeout', t('admin.gw.timeout_hint'))}
          {num('max_request_bytes', 'admin.gw.max_request', bytesHint(f.max_request_bytes))}
          {num('max_response_bytes', 'admin.gw.max_response', bytesHint(f.max_response_bytes))}
        </div>
        <Field id="gv-description" label={t('admin.gw.description')} hint={t('admin.gw.description_hint')}>
          <textarea id="gv-description" rows={3} value={f.description} onChange={(e) => set('description', e.target.value)} aria-describedby="gv-description-hint" />
        </Field>
        <div className="field field-check">
          <input id="gv-enabled" type="checkbox" checked={f.enabled} onChange={(e) => setF({ ...f, enabled: e.target.checked })} />
          <label htmlFor="gv-enabled">{t('admin.gw.enabled_label')}</label>
        </div>
        <ErrorBox error={err.general} />
        <div className="form-actions">
          {editing && <button type="button" className="btn" onClick={onCancel}>{t('common.cancel')}</button>}
          <button type="submit" className="btn btn-primary" disabled={busy} data-testid="gv-submit">{busy ? t('common.working') : editing ? t('common.save') : t('admin.gw.service_add')}</button>
        </div>
      </form>
    </section>
  );
}

// ---- Quyền truy cập -----------------------------------------------------------------------------

function RightsTab({ subsystems, services }: { subsystems: Subsystem[]; services: Service[] }) {
  const { t, lang } = useI18n();
  const [all, setAll] = useState(false);
  const rights = useAsync((signal) => call('get', '/api/v1/gateway/rights', { query: { all }, signal }).then((r) => r.items), [all]);
  const [withdrawing, setWithdrawing] = useState<Right | null>(null);
  const [notice, setNotice] = useState('');
  const serviceName = (code: string) => services.find((s) => s.code === code)?.name ?? code;
  const quota = (n: number) => (n === 0 ? t('admin.gw.no_quota') : formatNumber(n, lang));
  return (
    <>
      <section className="card" aria-labelledby="gr-list">
        <h2 id="gr-list">{t('admin.gw.rights')}</h2>
        <p className="muted">{t('admin.gw.rights_intro')}</p>
        <div className="field field-check">
          <input id="gr-all" type="checkbox" checked={all} onChange={(e) => setAll(e.target.checked)} data-testid="rights-all" />
          <label htmlFor="gr-all">{t('admin.gw.rights_all')}</label>
        </div>
        {notice && <div className="alert alert-success" role="status">{notice}</div>}
        {rights.error ? (
          <ErrorBox error={rights.error} onRetry={rights.reload} />
        ) : !rights.data ? (
          <Loading />
        ) : rights.data.length === 0 ? (
          <Empty title={t('admin.gw.rights_none')} />
        ) : (
          <div className="table-wrap" tabIndex={0}>
            <table className="gw-table" data-testid="rights-table">
              <caption className="sr-only">{t('admin.gw.rights')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('admin.gw.client')}</th>
                  <th scope="col">{t('admin.gw.service')}</th>
                  <th scope="col" className="num">{t('admin.gw.per_minute')}</th>
                  <th scope="col" className="num">{t('admin.gw.per_day')}</th>
                  <th scope="col">{t('admin.gw.granted_at')}</th>
                  <th scope="col">{t('admin.gw.state')}</th>
                  <th scope="col"><span className="sr-only">{t('files.actions')}</span></th>
                </tr>
              </thead>
              <tbody>
                {rights.data.map((r) => (
                  <tr key={r.id} data-testid={`right-${r.client}-${r.service}`} data-state={r.withdrawn_at ? 'withdrawn' : 'active'}>
                    <td className="code-tag">{r.client}</td>
                    <td>{serviceName(r.service)}<div className="code-tag">{r.service}</div></td>
                    <td className="num">{quota(r.per_minute)}</td>
                    <td className="num">{quota(r.per_day)}</td>
                    <td className="nowrap">{formatDateTime(r.granted_at)}</td>
                    <td>{r.withdrawn_at ? <span className="badge">{t('admin.gw.withdrawn_at', { at: formatDateTime(r.withdrawn_at) })}</span> : <span className="badge online-full">{t('admin.gw.active')}</span>}</td>
                    <td>
                      {!r.withdrawn_at && (
                        <button type="button" className="btn btn-small btn-danger-outline" aria-haspopup="dialog" onClick={() => { setNotice(''); setWithdrawing(r); }} data-testid="right-withdraw" aria-label={t('admin.gw.withdraw_named', { client: r.client, service: r.service })}>
                          {t('admin.gw.withdraw')}
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <GrantForm subsystems={subsystems} services={services} onGranted={(r) => { setNotice(t('admin.gw.granted', { client: r.client, service: r.service })); rights.reload(); }} />
      <WithdrawDialog right={withdrawing} onClose={() => setWithdrawing(null)} onDone={(r) => { setWithdrawing(null); setNotice(t('admin.gw.withdrawn', { client: r.client, service: r.service })); rights.reload(); }} />
    </>
  );
}

function GrantForm({ subsystems, services, onGranted }: { subsystems: Subsystem[]; services: Service[]; onGranted: (r: Right) => void }) {
  const { t } = useI18n();
  const [f, setF] = useState({ client: '', service: '', per_minute: '0', per_day: '0' });
  const [busy, setBusy] = useState(false);
  type F = 'client' | 'service' | 'per_minute' | 'per_day';
  const err = useFormErrors<F>();
  const id = (x: string) => `gg-${x}`;
  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!err.checked(checkRight(f), id)) return;
    setBusy(true);
    try {
      const r = await call('post', '/api/v1/gateway/rights', { body: { client: f.client, service: f.service, per_minute: Number(f.per_minute), per_day: Number(f.per_day) } });
      onGranted(r);
    } catch (x) {
      // "no such service" names the service's code; any other not-found is about the system.
      const notFound = (e: ApiError): F => (e.messageEn.includes(`service ${f.service}`) ? 'service' : 'client');
      err.failed(x, errorField<F>(x, ['client', 'service', 'per_minute', 'per_day'] as const, { 'gateway.not_found': notFound, 'gateway.invalid': 'per_minute' }), id);
    } finally {
      setBusy(false);
    }
  }
  return (
    <section className="card" aria-labelledby="gg-title">
      <h2 id="gg-title">{t('admin.gw.grant')}</h2>
      <p className="muted">{t('admin.gw.grant_intro')}</p>
      <form onSubmit={submit} onInput={err.onInput} noValidate>
        <div className="grid2">
          <Field id="gg-client" label={t('admin.gw.client')} error={err.fields.client} required>
            <select id="gg-client" value={f.client} onChange={(e) => setF({ ...f, client: e.target.value })} {...described('gg-client', err.fields.client)}>
              <option value="">{t('form.choose')}</option>
              {subsystems.map((s) => <option key={s.id} value={s.code}>{s.code}</option>)}
            </select>
          </Field>
          <Field id="gg-service" label={t('admin.gw.service')} error={err.fields.service} required>
            <select id="gg-service" value={f.service} onChange={(e) => setF({ ...f, service: e.target.value })} {...described('gg-service', err.fields.service)}>
              <option value="">{t('form.choose')}</option>
              {services.map((s) => <option key={s.id} value={s.code}>{`${s.name} (${s.code})`}</option>)}
            </select>
          </Field>
          <Field id="gg-per_minute" label={t('admin.gw.per_minute')} hint={t('admin.gw.quota_hint')} error={err.fields.per_minute} required>
            <input id="gg-per_minute" inputMode="numeric" value={f.per_minute} onChange={(e) => setF({ ...f, per_minute: e.target.value })} {...described('gg-per_minute', err.fields.per_minute, true)} />
          </Field>
          <Field id="gg-per_day" label={t('admin.gw.per_day')} hint={t('admin.gw.quota_hint')} error={err.fields.per_day} required>
            <input id="gg-per_day" inputMode="numeric" value={f.per_day} onChange={(e) => setF({ ...f, per_day: e.target.value })} {...described('gg-per_day', err.fields.per_day, true)} />
          </Field>
        </div>
        <ErrorBox error={err.general} />
        <button type="submit" className="btn btn-primary" disabled={busy} data-testid="gg-submit">{busy ? t('common.working') : t('admin.gw.grant')}</button>
      </form>
    </section>
  );
}

function WithdrawDialog({ right, onClose, onDone }: { right: Right | null; onClose: () => void; onDone: (r: Right) => void }) {
  const { t } = useI18n();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [shownFor, setShownFor] = useState<number | null>(null);
  if ((right?.id ?? null) !== shownFor) {
    setShownFor(right?.id ?? null);
    setError(null);
  }
  async function withdraw() {
    if (!right) return;
    setBusy(true);
    setError(null);
    try {
      onDone(await call('delete', '/api/v1/gateway/rights/{id}', { path: { id: right.id } }));
    } catch (x) {
      setError(x);
    } finally {
      setBusy(false);
    }
  }
  return (
    <Dialog open={!!right} title={t('admin.gw.withdraw_title')} onClose={onClose} testId="withdraw-dialog">
      <p>{right ? t('admin.gw.withdraw_confirm', { client: right.client, service: right.service }) : ''}</p>
      <ErrorBox error={error} />
      <div className="form-actions">
        <button type="button" className="btn" onClick={onClose}>{t('common.cancel')}</button>
        <button type="button" className="btn btn-danger" onClick={withdraw} disabled={busy} data-testid="withdraw-confirm">{busy ? t('common.working') : t('admin.gw.withdraw')}</button>
      </div>
    </Dialog>
  );
}

// ---- Nhật ký giao dịch ---------------------------------------------------------------------------

const PAGE = 50;

function LogTab({ subsystems, services }: { subsystems: Subsystem[]; services: Service[] }) {
  const { t } = useI18n();
  const [client, setClient] = useState('');
  const [service, setService] = useState('');
  const [tick, setTick] = useState(0);
  // Pages after the first, kept while the filter stays the same.
  const [more, setMore] = useState<{ items: LogEntry[]; pages: number; done: boolean }>({ items: [], pages: 0, done: false });
  const [moreBusy, setMoreBusy] = useState(false);
  const [moreError, setMoreError] = useState<unknown>(null);
  const first = useAsync(
    (signal) => {
      setMore({ items: [], pages: 0, done: false });
      setMoreError(null);
      return call('get', '/api/v1/gateway/log', { query: { client: client || undefined, service: service || undefined, limit: PAGE }, signal }).then((r) => r.items);
    },
    [client, service, tick],
  );
  const items = useMemo(() => [...(first.data ?? []), ...more.items], [first.data, more.items]);
  const done = more.pages ? more.done : (first.data?.length ?? 0) < PAGE;
  async function loadMore() {
    const last = items[items.length - 1];
    if (!last) return;
    setMoreBusy(true);
    setMoreError(null);
    try {
      const r = await call('get', '/api/v1/gateway/log', { query: { client: client || undefined, service: service || undefined, before: last.seq, limit: PAGE } });
      setMore((m) => ({ items: [...m.items, ...r.items], pages: m.pages + 1, done: r.items.length < PAGE }));
    } catch (x) {
      setMoreError(x);
    } finally {
      setMoreBusy(false);
    }
  }
  return (
    <section className="card" aria-labelledby="gl-title">
      <h2 id="gl-title">{t('admin.gw.log')}</h2>
      <p className="muted">{t('admin.gw.log_intro')}</p>
      <div className="filters gw-filters">
        <div className="field">
          <label htmlFor="gl-client">{t('admin.gw.client')}</label>
          <select id="gl-client" value={client} onChange={(e) => setClient(e.target.value)}>
            <option value="">{t('common.all')}</option>
            {subsystems.map((s) => <option key={s.id} value={s.code}>{s.code}</option>)}
          </select>
        </div>
        <div className="field">
          <label htmlFor="gl-service">{t('admin.gw.service')}</label>
          <select id="gl-service" value={service} onChange={(e) => setService(e.target.value)}>
            <option value="">{t('common.all')}</option>
            {services.map((s) => <option key={s.id} value={s.code}>{`${s.name} (${s.code})`}</option>)}
          </select>
        </div>
        <button type="button" className="btn" onClick={() => setTick((n) => n + 1)} data-testid="log-refresh">{t('admin.gw.refresh')}</button>
      </div>
      {first.error ? (
        <ErrorBox error={first.error} onRetry={first.reload} />
      ) : !first.data ? (
        <Loading />
      ) : items.length === 0 ? (
        <Empty title={t('admin.gw.log_none')} />
      ) : (
        <>
          <LogSummaryView items={items} />
          <LogTable items={items} />
          <ErrorBox error={moreError} onRetry={loadMore} />
          <div className="pager">
            <span className="muted">{t('admin.gw.log_shown', { n: items.length })}</span>
            {!done && (
              <button type="button" className="btn" onClick={loadMore} disabled={moreBusy} data-testid="log-more">
                {moreBusy ? t('common.loading') : t('admin.gw.more')}
              </button>
            )}
          </div>
        </>
      )}
    </section>
  );
}

/** The log's archive files: signed, chained files outside the database (`tinhso gateway log verify` checks them). */
function ArchivesCard() {
  const { t, lang } = useI18n();
  const archives = useAsync((signal) => call('get', '/api/v1/gateway/archives', { signal }).then((r) => r.items), []);
  return (
    <section className="card" aria-labelledby="ga-title" data-testid="gw-archives">
      <h2 id="ga-title">{t('admin.gw.archives')}</h2>
      <p className="muted">{t('admin.gw.archives_intro')}</p>
      {archives.error ? (
        <ErrorBox error={archives.error} onRetry={archives.reload} />
      ) : !archives.data ? (
        <Loading />
      ) : archives.data.length === 0 ? (
        <Empty title={t('admin.gw.archives_none')} />
      ) : (
        <div className="table-wrap" tabIndex={0}>
          <table className="gw-table">
            <caption className="sr-only">{t('admin.gw.archives')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('admin.gw.archive_file')}</th>
                <th scope="col" className="num">{t('admin.gw.archive_records')}</th>
                <th scope="col">{t('admin.gw.archive_created')}</th>
                <th scope="col">{t('admin.gw.archive_state')}</th>
              </tr>
            </thead>
            <tbody>
              {[...archives.data].reverse().map((a) => (
                <tr key={a.file_name}>
                  <td>
                    <span className="code-tag">{a.file_name}</span>
                    {a.sha256 && <div className="small muted" title={a.sha256}>SHA-256 {a.sha256.slice(0, 16)}…</div>}
                  </td>
                  <td className="num">{t('admin.gw.archive_range', { first: formatNumber(a.first_seq, lang), last: formatNumber(a.last_seq, lang), n: formatNumber(a.records, lang) })}</td>
                  <td>{formatDateTime(a.created_at)}</td>
                  <td>{!a.sha256 ? t('admin.gw.archive_writing') : a.purged ? t('admin.gw.archive_purged') : t('admin.gw.archive_kept')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function CodeWords({ code }: { code: string }) {
  const { t } = useI18n();
  const key = lgspCodeKey(code);
  if (!key) return null;
  return <>{t(key)} <span className="code-tag">({code})</span></>;
}

function LogSummaryView({ items }: { items: LogEntry[] }) {
  const { t, lang } = useI18n();
  const s = useMemo(() => summarise(items), [items]);
  const refused = s.refusals.reduce((n, r) => n + r.count, 0);
  const option = useMemo(
    () => ({
      grid: { left: 8, right: 24, top: 8, bottom: 8, containLabel: true },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      xAxis: { type: 'value', minInterval: 1 },
      yAxis: { type: 'category', inverse: true, data: s.refusals.map((r) => `${t(lgspCodeKey(r.code) ?? 'admin.gw.code.other')} (${r.code})`) },
      series: [{ type: 'bar', name: t('admin.gw.sum_refused'), data: s.refusals.map((r) => r.count), itemStyle: { color: '#b91c1c' }, barMaxWidth: 22 }],
    }),
    [s, t],
  );
  const label = t('admin.gw.chart_label', { list: s.refusals.map((r) => `${t(lgspCodeKey(r.code) ?? 'admin.gw.code.other')}: ${r.count}`).join('; ') });
  return (
    <figure className="gw-summary" data-testid="log-summary">
      <div className="kpis">
        <div className="kpi"><div className="kpi-label">{t('admin.gw.sum_calls')}</div><div className="kpi-value" data-testid="sum-calls">{formatNumber(s.calls, lang)}</div></div>
        <div className="kpi kpi-good"><div className="kpi-label">{t('admin.gw.sum_ok')}</div><div className="kpi-value">{formatNumber(s.succeeded, lang)}</div></div>
        <div className={`kpi${refused ? ' kpi-bad' : ''}`}><div className="kpi-label">{t('admin.gw.sum_refused')}</div><div className="kpi-value" data-testid="sum-refused">{formatNumber(refused, lang)}</div>{s.upstreamErrors > 0 && <div className="kpi-sub">{t('admin.gw.sum_upstream_errors', { n: s.upstreamErrors })}</div>}</div>
        <div className="kpi"><div className="kpi-label">{t('admin.gw.sum_duration')}</div><div className="kpi-value kpi-value-small" data-testid="sum-duration">{s.medianMs === null ? '—' : `${formatMs(s.medianMs, lang)} / ${formatMs(s.p95Ms ?? 0, lang)}`}</div><div className="kpi-sub">{t('admin.gw.sum_duration_sub')}</div></div>
      </div>
      {s.refusals.length > 0 && (
        <div>
          <h3 className="small-heading">{t('admin.gw.sum_by_reason')}</h3>
          <Chart option={option} label={label} className="chart chart-compact" />
        </div>
      )}
      <figcaption className="muted small" data-testid="sum-caption">{t('admin.gw.sum_caption', { n: s.calls })}</figcaption>
    </figure>
  );
}

function LogTable({ items }: { items: LogEntry[] }) {
  const { t, lang } = useI18n();
  return (
    <div className="table-wrap" tabIndex={0}>
      <table className="gw-log-table" data-testid="log-table">
        <caption className="sr-only">{t('admin.gw.log')}</caption>
        <thead>
          <tr>
            <th scope="col" className="num">{t('admin.gw.seq')}</th>
            <th scope="col">{t('admin.gw.at')}</th>
            <th scope="col">{t('admin.gw.client')}</th>
            <th scope="col">{t('admin.gw.call')}</th>
            <th scope="col">{t('admin.gw.result')}</th>
            <th scope="col" className="num">{t('admin.gw.duration')}</th>
            <th scope="col">{t('admin.gw.stamp')}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((r) => (
            <tr key={r.seq} data-testid="log-row" data-seq={r.seq} data-code={r.error_code}>
              <td className="num">{r.seq}</td>
              <td className="nowrap">{formatDateTime(r.at_ms)}</td>
              <td><span className="code-tag">{r.client || t('admin.gw.unknown_client')}</span><div className="small muted">{r.client_ip}</div></td>
              <td><span className="code-tag">{r.method} /lgsp/{r.service}{r.path === '/' ? '' : r.path}</span></td>
              <td>
                <span className={`badge ${r.error_code ? 'badge-bad' : r.status >= 400 ? 'badge-warn' : 'online-full'}`}>{r.status}</span>{' '}
                {r.error_code ? <CodeWords code={r.error_code} /> : r.status < 400 ? t('admin.gw.passed') : t('admin.gw.upstream_error')}
              </td>
              <td className="num nowrap">{formatMs(r.duration_us / 1000, lang)}</td>
              <td>{r.stamp_id === null ? <span className="badge badge-warn">{t('admin.gw.stamp_waiting')}</span> : <span className="badge online-full">{t('admin.gw.stamped', { id: r.stamp_id })}</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
