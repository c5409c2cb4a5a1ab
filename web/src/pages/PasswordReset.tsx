// "Quên mật khẩu" for officers and administrators: ask for a reset link (/quen-mat-khau), then
// set a new password with the link's token (/dat-lai-mat-khau#<token>). The request page says
// the same whether or not the account exists; the token comes after '#', so it never reaches a
// server log or another site's Referer.
import { useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import { Link } from 'react-router-dom';
import { useI18n } from '../i18n';
import { call } from '../lib/api';
import { ErrorBox, Field, PageTitle } from '../components/ui';

export function ForgotPasswordPage() {
  const { t } = useI18n();
  const [login, setLogin] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [sent, setSent] = useState(false);
  const [missing, setMissing] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    setMissing(!login.trim());
    if (!login.trim()) {
      document.getElementById('reset-login')?.focus();
      return;
    }
    setBusy(true);
    try {
      await call('post', '/api/v1/auth/password-reset', { body: { login: login.trim() } });
      setSent(true);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="container narrow">
      <PageTitle>{t('reset.request_title')}</PageTitle>
      {sent ? (
        <div className="alert alert-success" role="status" data-testid="reset-requested">
          <p>{t('reset.requested')}</p>
          <p>
            <Link to="/dang-nhap">{t('reset.back_to_login')}</Link>
          </p>
        </div>
      ) : (
        <>
          <p className="lead">{t('reset.request_intro')}</p>
          <form className="card form" onSubmit={submit} noValidate data-testid="reset-request-form">
            <Field id="reset-login" label={t('reset.login')} hint={t('reset.login_hint')} error={missing ? t('reset.login_required') : undefined} required>
              <input
                id="reset-login"
                name="username"
                autoComplete="username"
                value={login}
                onChange={(e) => setLogin(e.target.value)}
                required
                aria-invalid={missing || undefined}
                aria-describedby={missing ? 'reset-login-error reset-login-hint' : 'reset-login-hint'}
                data-testid="reset-login"
              />
            </Field>
            <ErrorBox error={error} />
            <button className="btn btn-primary" type="submit" disabled={busy} data-testid="reset-request-submit">
              {busy ? t('common.working') : t('reset.request_submit')}
            </button>
          </form>
          <p className="hint">{t('reset.citizens')}</p>
        </>
      )}
    </div>
  );
}

export function ResetPasswordPage() {
  const { t } = useI18n();
  // Read from the address, which is cleared of the token once the page is on screen: not while
  // rendering, since React may render this again (after a sibling suspended) and must read the
  // same token then.
  const [token] = useState(() => window.location.hash.replace(/^#/, ''));
  useEffect(() => {
    if (window.location.hash) window.history.replaceState(window.history.state, '', window.location.pathname);
  }, []);
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [mismatch, setMismatch] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    setMismatch(password !== repeat);
    if (password !== repeat) return;
    setBusy(true);
    try {
      await call('post', '/api/v1/auth/password-reset/confirm', { body: { token, password } });
      setDone(true);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="container narrow">
      <PageTitle>{t('reset.title')}</PageTitle>
      {done ? (
        <div className="alert alert-success" role="status" data-testid="reset-done">
          <p>{t('reset.done')}</p>
          <p>
            <Link to="/dang-nhap">{t('reset.back_to_login')}</Link>
          </p>
        </div>
      ) : !token ? (
        <div className="alert alert-error" role="alert" data-testid="reset-no-token">
          <p>{t('reset.no_token')}</p>
          <p>
            <Link to="/quen-mat-khau">{t('reset.ask_again')}</Link>
          </p>
        </div>
      ) : (
        <>
          <p className="lead">{t('reset.intro')}</p>
          <form className="card form" onSubmit={submit} noValidate data-testid="reset-form">
            <Field id="reset-password" label={t('reset.password')} hint={t('reset.password_hint')} required>
              <input
                id="reset-password"
                name="new-password"
                type="password"
                autoComplete="new-password"
                value={password}
                onChange={(e) => setPassword(e.target.value)}
                required
                aria-describedby="reset-password-hint"
                data-testid="reset-password"
              />
            </Field>
            <Field id="reset-repeat" label={t('reset.repeat')} error={mismatch ? t('reset.mismatch') : undefined} required>
              <input
                id="reset-repeat"
                name="repeat-password"
                type="password"
                autoComplete="new-password"
                value={repeat}
                onChange={(e) => setRepeat(e.target.value)}
                required
                aria-invalid={mismatch || undefined}
                aria-describedby={mismatch ? 'reset-repeat-error' : undefined}
                data-testid="reset-repeat"
              />
            </Field>
            <ErrorBox error={error} />
            <button className="btn btn-primary" type="submit" disabled={busy} data-testid="reset-submit">
              {busy ? t('common.working') : t('reset.submit')}
            </button>
          </form>
          <p className="hint">
            <Link to="/quen-mat-khau">{t('reset.ask_again')}</Link>
          </p>
        </>
      )}
    </div>
  );
}
