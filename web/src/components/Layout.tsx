import { Suspense, useEffect, useState } from 'react';
import { Link, NavLink, Outlet, useLocation, useNavigate } from 'react-router-dom';
import { useAuth } from '../auth';
import { useI18n } from '../i18n';
import { Loading } from './ui';
import { useSite } from '../lib/site';
import { NotificationBell } from './NotificationBell';
import { canSeeDashboard, hasRole, isAdmin, isApplicant, isOfficer } from '../lib/roles';

export function Layout() {
  const { t, lang, setLang } = useI18n();
  const { user, logout } = useAuth();
  const site = useSite();
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
    { to: '/phan-anh-kien-nghi/da-nhan', label: t('footer.feedback'), show: hasRole(user, 'admin', 'leader', 'reception'), testid: 'nav-feedback' },
  ];

  return (
    <>
      <a className="skip-link" href="#main">
        {t('nav.skip')}
      </a>
      <header className="site-header">
        <div className="header-inner">
          <Link to="/" className="brand">
            {/* The emblem area: the province's emblem goes here (a drawn stand-in by default). */}
            <svg className="emblem" role="img" aria-label={t('site.emblem')} viewBox="0 0 32 32" width="40" height="40">
              <circle cx="16" cy="16" r="15.5" fill="#b91c1c" stroke="#fcd34d" strokeWidth="1" />
              <path d="M16 6l2.6 6.9 7.4.3-5.8 4.6 2 7.1L16 20.8l-6.2 4.1 2-7.1L6 13.2l7.4-.3z" fill="#fcd34d" />
            </svg>
            <span className="brand-text">
              {site && (
                <span className="brand-province" data-testid="site-province">
                  {t('site.province', { province: lang === 'en' ? site.province_en : site.province })}
                </span>
              )}
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
                <NotificationBell />
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
      <footer className="site-footer" data-testid="site-footer">
        <div className="footer-inner">
          {site && (
            <address className="footer-contacts">
              <strong>{t('footer.operator', { agency: lang === 'en' ? site.agency_en : site.agency })}</strong>
              <br />
              {t('footer.address', { address: site.address })}
              <br />
              {t('footer.hotline_label')}
              <a href={`tel:${site.hotline.replace(/[^\d+]/g, '')}`} data-testid="site-hotline">
                {site.hotline}
              </a>
              {' · '}
              {t('footer.email_label')}
              <a href={`mailto:${site.email}`} data-testid="site-email">
                {site.email}
              </a>
            </address>
          )}
          <p className="footer-links">
            <Link to="/quyen-rieng-tu" data-testid="footer-privacy">{t('footer.privacy')}</Link>
            {' · '}
            <Link to="/phan-anh-kien-nghi" data-testid="footer-feedback">{t('footer.feedback')}</Link>
            {' · '}
            <Link to="/tra-cuu">{t('nav.lookup')}</Link>
          </p>
          <p className="muted-light">{t('footer.about')}</p>
        </div>
      </footer>
    </>
  );
}
