import { useState } from 'react';
import type { FormEvent } from 'react';
import { useI18n } from '../../i18n';
import type { Key } from '../../i18n';
import { call } from '../../lib/api';
import type { AgencyPage, NewUser, User } from '../../lib/types';
import { useAsync, useDebounced } from '../../lib/useAsync';
import { Dialog, Empty, ErrorBox, Field, Loading } from '../../components/ui';
import '../../i18n/vi-staff'; // the officers' words (this page's chunk)

const ROLES = ['reception', 'officer', 'leader', 'clerk'];
const KINDS: NewUser['kind'][] = ['officer', 'admin', 'citizen', 'business'];

export function UsersAdmin() {
  const { t, lang } = useI18n();
  const [q, setQ] = useState('');
  const dq = useDebounced(q, 300);
  const s = useAsync((signal) => call('get', '/api/v1/users', { query: { q: dq, limit: 200 }, signal }), [dq]);
  const agencies = useAsync((signal) => call('get', '/api/v1/agencies', { query: { limit: 500 }, signal }).then((r) => r.items), []);
  const agencyName = (id: number | null) => {
    const a = agencies.data?.find((x) => x.id === id);
    return a ? (lang === 'en' && a.short_name ? a.short_name : a.short_name || a.name) : id ? `#${id}` : '—';
  };
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState('');
  async function toggle(u: User) {
    setError(null);
    try {
      const path = { id: u.id };
      await (u.disabled ? call('post', '/api/v1/users/{id}/enable', { path }) : call('post', '/api/v1/users/{id}/disable', { path }));
      setNotice(t(u.disabled ? 'admin.u.enabled' : 'admin.u.disabled_done', { name: u.full_name }));
      s.reload();
    } catch (e) {
      setError(e);
    }
  }
  const [resetting, setResetting] = useState<User | null>(null);
  return (
    <>
      <section className="card" aria-labelledby="u-list">
        <h2 id="u-list">{t('admin.users')}</h2>
        <div className="field">
          <label htmlFor="u-q">{t('admin.u.search')}</label>
          <input id="u-q" type="search" value={q} onChange={(e) => setQ(e.target.value)} />
        </div>
        <ErrorBox error={error} />
        {notice && <div className="alert alert-success" role="status">{notice}</div>}
        {s.error ? <ErrorBox error={s.error} onRetry={s.reload} /> : s.loading && !s.data ? <Loading /> : !s.data?.items.length ? <Empty title={t('admin.u.none')} /> : (
          <div className="table-wrap" tabIndex={0}>
            <table data-testid="users-table">
              <caption className="sr-only">{t('admin.users')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('admin.u.login')}</th>
                  <th scope="col">{t('admin.u.name')}</th>
                  <th scope="col">{t('admin.u.roles')}</th>
                  <th scope="col">{t('admin.u.agency')}</th>
                  <th scope="col">{t('admin.u.state')}</th>
                  <th scope="col"><span className="sr-only">{t('files.actions')}</span></th>
                </tr>
              </thead>
              <tbody>
                {s.data.items.map((u) => (
                  <tr key={u.id}>
                    <td>{u.login}</td>
                    <td>{u.full_name}</td>
                    <td>{(u.kind === 'officer' ? u.roles : [u.kind]).map((r) => t(`role.${r}` as Key)).join(', ')}</td>
                    <td>{agencyName(u.agency_id)}</td>
                    <td>{u.disabled ? t('admin.u.disabled') : t('admin.u.active')}</td>
                    <td className="nowrap">
                      <button type="button" className="btn btn-small" onClick={() => toggle(u)} aria-label={`${u.disabled ? t('admin.u.enable') : t('admin.u.disable')}: ${u.full_name}`}>
                        {u.disabled ? t('admin.u.enable') : t('admin.u.disable')}
                      </button>{' '}
                      <button type="button" className="btn btn-small" onClick={() => { setNotice(''); setResetting(u); }} aria-haspopup="dialog" data-testid={`reset-${u.login}`} aria-label={`${t('admin.u.reset')}: ${u.full_name}`}>
                        {t('admin.u.reset')}
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <CreateUser agencies={agencies.data ?? []} onCreated={() => s.reload()} />
      <PasswordDialog
        user={resetting}
        onClose={() => setResetting(null)}
        onDone={(u) => {
          setResetting(null);
          setNotice(t('admin.u.password_done', { name: u.full_name }));
        }}
      />
    </>
  );
}

/** The server's shortest password (src/auth/password.cpp); it answers with its own message for its other rules. */
const MIN_PASSWORD = 8;

/** Sets a new password for an account: a labelled modal dialog instead of window.prompt. */
function PasswordDialog({ user, onClose, onDone }: { user: User | null; onClose: () => void; onDone: (u: User) => void }) {
  const { t } = useI18n();
  const [pw, setPw] = useState('');
  const [again, setAgain] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [fieldError, setFieldError] = useState<{ pw?: string; again?: string }>({});
  const [busy, setBusy] = useState(false);
  const [shownFor, setShownFor] = useState<number | null>(null);
  if ((user?.id ?? null) !== shownFor) {
    // A new account: start empty.
    setShownFor(user?.id ?? null);
    setPw('');
    setAgain('');
    setError(null);
    setFieldError({});
  }
  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!user) return;
    setError(null);
    const fe: { pw?: string; again?: string } = {};
    if (pw.length < MIN_PASSWORD) fe.pw = t('admin.u.pw_short', { n: MIN_PASSWORD });
    else if (pw !== again) fe.again = t('admin.u.pw_mismatch');
    setFieldError(fe);
    if (fe.pw || fe.again) {
      document.getElementById(fe.pw ? 'pw-new' : 'pw-again')?.focus();
      return;
    }
    setBusy(true);
    try {
      await call('post', '/api/v1/users/{id}/password', { path: { id: user.id }, body: { password: pw } });
      onDone(user);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }
  return (
    <Dialog open={!!user} title={user ? t('admin.u.pw_title', { name: user.full_name }) : ''} onClose={onClose} testId="password-dialog">
      <form onSubmit={submit} noValidate>
        <p className="muted">{t('admin.u.pw_intro', { login: user?.login ?? '', n: MIN_PASSWORD })}</p>
        <Field id="pw-new" label={t('admin.u.pw_new')} hint={t('admin.u.pw_hint', { n: MIN_PASSWORD })} error={fieldError.pw} required>
          <input
            id="pw-new"
            type="password"
            value={pw}
            onChange={(e) => setPw(e.target.value)}
            autoComplete="new-password"
            aria-invalid={fieldError.pw ? true : undefined}
            aria-describedby={fieldError.pw ? 'pw-new-hint pw-new-error' : 'pw-new-hint'}
            data-testid="pw-new"
          />
        </Field>
        <Field id="pw-again" label={t('admin.u.pw_again')} error={fieldError.again} required>
          <input
            id="pw-again"
            type="password"
            value={again}
            onChange={(e) => setAgain(e.target.value)}
            autoComplete="new-password"
            aria-invalid={fieldError.again ? true : undefined}
            aria-describedby={fieldError.again ? 'pw-again-error' : undefined}
            data-testid="pw-again"
          />
        </Field>
        <ErrorBox error={error} title={t('admin.u.pw_failed')} />
        <div className="form-actions">
          <button type="button" className="btn" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button type="submit" className="btn btn-primary" disabled={busy} data-testid="pw-save">
            {busy ? t('common.working') : t('admin.u.reset')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

/** The create form's fields: the document's NewUserInput as the inputs hold it (text; the agency's id as the select's value). */
type UserForm = { kind: NewUser['kind'] } & Record<'login' | 'full_name' | 'password' | 'agency_id' | 'position' | 'email' | 'phone', string>;

function CreateUser({ agencies, onCreated }: { agencies: AgencyPage['items']; onCreated: () => void }) {
  const { t, lang } = useI18n();
  const [f, setF] = useState<UserForm>({ kind: 'officer', login: '', full_name: '', password: '', agency_id: '', position: '', email: '', phone: '' });
  const [roles, setRoles] = useState<string[]>(['officer']);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState('');
  const set = (k: Exclude<keyof UserForm, 'kind'>, v: string) => setF((x) => ({ ...x, [k]: v }));
  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    setDone('');
    try {
      const body: NewUser = { kind: f.kind, login: f.login.trim(), full_name: f.full_name.trim(), password: f.password, position: f.position, email: f.email, phone: f.phone };
      if (f.agency_id) body.agency_id = Number(f.agency_id);
      if (f.kind === 'officer') body.roles = roles;
      const u = await call('post', '/api/v1/users', { body });
      setDone(t('admin.u.created', { login: u.login }));
      setF({ ...f, login: '', full_name: '', password: '' });
      onCreated();
    } catch (err) {
      setError(err);
    }
  }
  return (
    <section className="card" aria-labelledby="u-new">
      <h2 id="u-new">{t('admin.u.create')}</h2>
      <form onSubmit={submit} noValidate>
        <div className="grid2">
          <Field id="nu-kind" label={t('admin.u.kind')} required>
            <select id="nu-kind" value={f.kind} onChange={(e) => setF((x) => ({ ...x, kind: e.target.value as NewUser['kind'] }))}>
              {KINDS.map((k) => <option key={k} value={k}>{t(`kind.${k}` as Key)}</option>)}
            </select>
          </Field>
          <Field id="nu-login" label={t('admin.u.login')} required>
            <input id="nu-login" value={f.login} onChange={(e) => set('login', e.target.value)} autoComplete="off" />
          </Field>
          <Field id="nu-name" label={t('admin.u.name')} required>
            <input id="nu-name" value={f.full_name} onChange={(e) => set('full_name', e.target.value)} />
          </Field>
          <Field id="nu-pw" label={t('admin.u.password')} hint={t('admin.u.password_hint')} required>
            <input id="nu-pw" type="password" value={f.password} onChange={(e) => set('password', e.target.value)} autoComplete="new-password" aria-describedby="nu-pw-hint" />
          </Field>
          {f.kind === 'officer' && (
            <Field id="nu-agency" label={t('admin.u.agency')} required>
              <select id="nu-agency" value={f.agency_id} onChange={(e) => set('agency_id', e.target.value)}>
                <option value="">{t('form.choose')}</option>
                {agencies.map((a) => <option key={a.id} value={a.id}>{lang === 'en' && a.name_en ? a.name_en : a.name}</option>)}
              </select>
            </Field>
          )}
          <Field id="nu-position" label={t('admin.u.position')}>
            <input id="nu-position" value={f.position} onChange={(e) => set('position', e.target.value)} />
          </Field>
        </div>
        {f.kind === 'officer' && (
          <fieldset className="field">
            <legend>{t('admin.u.roles')}</legend>
            {ROLES.map((r) => (
              <label key={r} className="radio">
                <input type="checkbox" checked={roles.includes(r)} onChange={(e) => setRoles(e.target.checked ? [...roles, r] : roles.filter((x) => x !== r))} />
                {t(`role.${r}` as Key)}
              </label>
            ))}
          </fieldset>
        )}
        <ErrorBox error={error} />
        {done && <div className="alert alert-success" role="status">{done}</div>}
        <button type="submit" className="btn btn-primary">{t('admin.u.create')}</button>
      </form>
    </section>
  );
}
