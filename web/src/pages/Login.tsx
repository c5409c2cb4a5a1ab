import { useState } from 'react';
import type { FormEvent } from 'react';
import { Navigate, useNavigate, useSearchParams } from 'react-router-dom';
import { useAuth } from '../auth';
import { translate, useI18n } from '../i18n';
import { ApiError } from '../lib/api';
import { ErrorBox, Field, PageTitle } from '../components/ui';
import { homeFor } from '../lib/roles';

export default function LoginPage() {
  const { t } = useI18n();
  const { user, login } = useAuth();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const next = params.get('next');
  const safeNext = next && next.startsWith('/') && !next.startsWith('//') ? next : null;

  if (user && !busy) return <Navigate to={safeNext ?? homeFor(user)} replace />;

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    if (!name.trim() || !password) {
      setError(new ApiError({ status: 400, code: 'login.empty', messageVi: translate('vi', 'login.empty'), messageEn: translate('en', 'login.empty') }));
      return;
    }
    setBusy(true);
    try {
      const u = await login(name.trim(), password);
      navigate(safeNext ?? homeFor(u), { replace: true });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="container narrow">
      <PageTitle>{t('login.title')}</PageTitle>
      <p className="lead">{t('login.intro')}</p>
      <form className="card form" onSubmit={submit} noValidate data-testid="login-form">
        <Field id="login-name" label={t('login.login')} hint={t('login.login_hint')} required>
          <input
            id="login-name"
            name="username"
            autoComplete="username"
            value={name}
            onChange={(e) => setName(e.target.value)}
            required
            aria-describedby="login-name-hint"
            data-testid="login-name"
          />
        </Field>
        <Field id="login-password" label={t('login.password')} required>
          <input
            id="login-password"
            name="password"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            required
            data-testid="login-password"
          />
        </Field>
        <ErrorBox error={error} title={t('login.failed')} />
        <button className="btn btn-primary" type="submit" disabled={busy} data-testid="login-submit">
          {busy ? t('common.working') : t('login.submit')}
        </button>
      </form>
    </div>
  );
}
