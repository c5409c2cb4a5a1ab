import { useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import { Link, Navigate, useNavigate, useSearchParams } from 'react-router-dom';
import { useAuth } from '../auth';
import { translate, useI18n } from '../i18n';
import { ApiError, call } from '../lib/api';
import type { components } from '../api/schema';
import { ErrorBox, Field, PageTitle } from '../components/ui';
import { homeFor } from '../lib/roles';

type OidcProvider = components['schemas']['OidcProviderView'];

// The reasons a sign-in through an identity provider comes back refused (?oidc_error=…), each
// with its own sentence; any other one gets the general one.
const OIDC_ERRORS = ['oidc.identity_missing', 'oidc.state_invalid', 'oidc.provider_error', 'oidc.provider_unreachable', 'oidc.account_unknown', 'auth.account_disabled'] as const;
type OidcErrorKey = `login.${(typeof OIDC_ERRORS)[number]}`;

export default function LoginPage() {
  const { t, lang } = useI18n();
  const { user, login } = useAuth();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const next = params.get('next');
  const safeNext = next && next.startsWith('/') && !next.startsWith('//') ? next : null;
  const [providers, setProviders] = useState<OidcProvider[]>([]);
  useEffect(() => {
    call('get', '/api/v1/auth/oidc/providers')
      .then((list) => setProviders(list.items))
      .catch(() => setProviders([]));
  }, []);
  const oidcError = params.get('oidc_error');
  const oidcMessage = oidcError
    ? t((OIDC_ERRORS as readonly string[]).includes(oidcError) ? (`login.${oidcError}` as OidcErrorKey) : 'login.oidc_failed')
    : null;

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
      {oidcMessage && (
        <div className="alert alert-error" role="alert" data-testid="oidc-error">
          {oidcMessage}
        </div>
      )}
      {providers.length > 0 && (
        <div className="card" data-testid="oidc-providers">
          {providers.map((p) => (
            <a
              key={p.id}
              className="btn btn-primary"
              href={`/api/v1/auth/oidc/${encodeURIComponent(p.id)}/start?return_to=${encodeURIComponent(safeNext ?? '/')}`}
              data-testid={`oidc-${p.id}`}
            >
              {t('login.oidc_with', { name: lang === 'vi' ? p.name_vi : p.name_en })}
            </a>
          ))}
          <p className="hint">{t('login.oidc_or_password')}</p>
        </div>
      )}
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
        <p className="hint">
          <Link to="/quen-mat-khau" data-testid="login-forgot">
            {t('login.forgot')}
          </Link>
        </p>
      </form>
    </div>
  );
}
