import { Suspense, useEffect, useState } from 'react';
import { Link, NavLink, Outlet, useLocation, useNavigate } from 'react-router-dom';
import { useAuth } from '../auth';
import { useI18n } from '../i18n';
import { Loading } from './ui';
import { canSeeDashboard, isAdmin, isApplicant, isOfficer } from '../lib/roles';

export function Layout() {
  const { t, lang, setLang } = useI18n();
  const { user, logout } = useAuth();
  const [menuOpen, setMenuOpen] = useState(false);
  const loc = useLocation();
  const navigate = useNavigate();
  useEffect(() => setMenuOpen(false), [loc.pathname]);

  const links: { to: string; label: string; show: boolean; testid: string }[] = [
    { to: '/', label: t('nav.portal'), show: true, testid: 'nav-portal' },
    { to: '/tra-cuu', label: t('nav.lookup'), show: true, testid: 'nav-lookup' },
    { to: '/kiem-tra-chu-ky', label: t('nav.verify'), show: true, testid: 'nav-verify' },
    { to: '/ho-so-cua-toi', label: t('nav.my'), show: isApplicant(user), testid: 'nav-my' },
    { to: '/mot-cua', label: t('nav.workspace'), show: isOfficer(user), testid: 'nav-workspace' },
    { to: '/bang-dieu-khien', label: t('nav.dashboard'), show: canSeeDashboard(user), testid: 'nav-dashboard' },
    { to: '/quan-tri', label: t('nav.admin'), show: isAdmin(user), testid: 'nav-admin' },
  ];

  return (
    <>
      <a className="skip-link" href="#main">
        {t('nav.skip')}
      </a>
      <header className="site-header">
        <div className="header-inner">
          <Link to="/" className="brand">
            <svg aria-hidden="true" viewBox="0 0 32 32" width="36" height="36">
              <rect width="32" height="32" rx="6" fill="#9b1c1c" />
              <path d="M16 6l2.6 6.9 7.4.3-5.8 4.6 2 7.1L16 20.8l-6.2 4.1 2-7.1L6 13.2l7.4-.3z" fill="#fcd34d" />
            </svg>
            <span className="brand-text">
              <span className="brand-name">{t('app.title')}</span>
              <span className="brand-sub">{t('app.subtitle')}</span>
            </span>
          </Link>
          <div className="header-tools">
            <button
              type="button"
              className="lang-switch"
              lang={lang === 'vi' ? 'en' : 'vi'}
              onClick={() => setLang(lang === 'vi' ? 'en' : 'vi')}
              data-testid="lang-switch"
              aria-label={lang === 'vi' ? 'Switch to English' : 'Chuyển sang tiếng Việt'}
            >
              {lang === 'vi' ? 'English' : 'Tiếng Việt'}
            </button>
            {user ? (
              <div className="account">
                <span className="account-name" data-testid="account-name">
                  {user.full_name}
                  {user.identity_provider && (
                    <span className="account-verified" title={t('applicant.verified')} data-testid="account-verified">
                      {' '}
                      <span aria-hidden="true">✓</span> {t('account.verified_short')}
                    </span>
                  )}
                </span>
                <button
                  type="button"
                  className="btn btn-small btn-ghost-light"
                  data-testid="logout"
                  onClick={async () => {
                    await logout();
                    navigate('/');
                  }}
                >
                  {t('nav.logout')}
                </button>
              </div>
            ) : (
              <Link className="btn btn-small btn-light" to="/dang-nhap" data-testid="login-link">
                {t('nav.login')}
              </Link>
            )}
            <button
              type="button"
              className="menu-toggle"
              aria-expanded={menuOpen}
              aria-controls="main-nav"
              onClick={() => setMenuOpen((o) => !o)}
            >
              {t('nav.menu')}
            </button>
          </div>
        </div>
        <nav id="main-nav" className={`main-nav${menuOpen ? ' open' : ''}`} aria-label={t('nav.main')}>
          <ul>
            {links
              .filter((l) => l.show)
              .map((l) => (
                <li key={l.to}>
                  <NavLink to={l.to} end={l.to === '/'} data-testid={l.testid}>
                    {l.label}
                  </NavLink>
                </li>
              ))}
          </ul>
        </nav>
      </header>
      <main id="main" tabIndex={-1}>
        <Suspense fallback={<Loading />}>
          <Outlet />
        </Suspense>
      </main>
      <footer className="site-footer">
        <div className="footer-inner">
          <p>{t('footer.about')}</p>
          <p>
            {t('footer.hotline')} · <Link to="/tra-cuu">{t('nav.lookup')}</Link>
          </p>
        </div>
      </footer>
    </>
  );
}
