import { lazy, Suspense } from 'react';
import type { ReactNode } from 'react';
import { BrowserRouter, Navigate, Route, Routes, useLocation } from 'react-router-dom';
import { AuthProvider, useAuth } from './auth';
import { I18nProvider, useI18n } from './i18n';
import { Layout } from './components/Layout';
import { Empty, Loading, PageTitle } from './components/ui';
import { PortalHome } from './pages/portal/Home';
import { hasRole } from './lib/roles';

// The portal home is in the main chunk; every other page loads on demand.
const ProcedurePage = lazy(() => import('./pages/portal/Procedure'));
const SubmitPage = lazy(() => import('./pages/portal/Submit'));
const LookupPage = lazy(() => import('./pages/portal/Lookup'));
const MyDossiers = lazy(() => import('./pages/portal/MyDossiers'));
const MyDossier = lazy(() => import('./pages/portal/MyDossier'));
const VerifyPage = lazy(() => import('./pages/portal/Verify'));
const LoginPage = lazy(() => import('./pages/Login'));
const ForgotPasswordPage = lazy(() => import('./pages/PasswordReset').then((m) => ({ default: m.ForgotPasswordPage })));
const ResetPasswordPage = lazy(() => import('./pages/PasswordReset').then((m) => ({ default: m.ResetPasswordPage })));
const Workspace = lazy(() => import('./pages/officer/Workspace'));
const OfficerDossier = lazy(() => import('./pages/officer/OfficerDossier'));
const Dashboard = lazy(() => import('./pages/dashboard/Dashboard'));
const Admin = lazy(() => import('./pages/admin/Admin'));
const CounterIntake = lazy(() => import('./pages/officer/CounterIntake'));
const PrivacyPage = lazy(() => import('./pages/portal/Privacy'));
const FeedbackPage = lazy(() => import('./pages/portal/Feedback'));
const FeedbackList = lazy(() => import('./pages/portal/Feedback').then((m) => ({ default: m.FeedbackList })));
const Notifications = lazy(() => import('./pages/notifications/Notifications'));
const NotificationSettings = lazy(() => import('./pages/notifications/NotificationSettings'));

/** Shows the page only to the given roles; sends others to sign in or explains. */
function RequireRole({ roles, children }: { roles: string[]; children: ReactNode }) {
  const { user, loading } = useAuth();
  const { t } = useI18n();
  const loc = useLocation();
  if (loading) return <Loading />;
  if (!user) return <Navigate to={`/dang-nhap?next=${encodeURIComponent(loc.pathname + loc.search)}`} replace />;
  if (!hasRole(user, ...roles)) {
    return (
      <div className="container">
        <PageTitle>{t('error.forbidden_title')}</PageTitle>
        <Empty title={t('error.forbidden_body')} />
      </div>
    );
  }
  return <>{children}</>;
}

function NotFound() {
  const { t } = useI18n();
  return (
    <div className="container">
      <PageTitle>{t('notfound.title')}</PageTitle>
      <Empty title={t('notfound.body')}>
        <a href="/">{t('notfound.home')}</a>
      </Empty>
    </div>
  );
}

const OFFICERS = ['officer', 'reception', 'clerk', 'leader', 'admin'];
const SIGNED_IN = [...OFFICERS, 'citizen', 'business'];

export function App() {
  return (
    <I18nProvider>
      <AuthProvider>
        <BrowserRouter>
          <Suspense fallback={<Loading />}>
            <Routes>
              <Route element={<Layout />}>
                <Route index element={<PortalHome />} />
                <Route path="thu-tuc" element={<ProcedurePage />} />
                <Route path="thu-tuc/:ma" element={<ProcedurePage />} />
                {['thu-tuc/nop', 'thu-tuc/nop/:ma'].map((path) => (
                  <Route
                    key={path}
                    path={path}
                    element={
                      <RequireRole roles={['citizen', 'business', 'reception']}>
                        <SubmitPage />
                      </RequireRole>
                    }
                  />
                ))}
                <Route path="tra-cuu" element={<LookupPage />} />
                <Route path="kiem-tra-chu-ky" element={<VerifyPage />} />
                <Route path="dang-nhap" element={<LoginPage />} />
                <Route path="quen-mat-khau" element={<ForgotPasswordPage />} />
                <Route path="dat-lai-mat-khau" element={<ResetPasswordPage />} />
                <Route
                  path="ho-so-cua-toi"
                  element={
                    <RequireRole roles={['citizen', 'business']}>
                      <MyDossiers />
                    </RequireRole>
                  }
                />
                <Route
                  path="ho-so-cua-toi/:id"
                  element={
                    <RequireRole roles={['citizen', 'business']}>
                      <MyDossier />
                    </RequireRole>
                  }
                />
                <Route
                  path="mot-cua"
                  element={
                    <RequireRole roles={OFFICERS}>
                      <Workspace />
                    </RequireRole>
                  }
                />
                <Route
                  path="mot-cua/tiep-nhan"
                  element={
                    <RequireRole roles={['reception']}>
                      <CounterIntake />
                    </RequireRole>
                  }
                />
                <Route
                  path="mot-cua/ho-so/:id"
                  element={
                    <RequireRole roles={OFFICERS}>
                      <OfficerDossier />
                    </RequireRole>
                  }
                />
                <Route
                  path="bang-dieu-khien"
                  element={
                    <RequireRole roles={['leader', 'admin', 'officer', 'reception']}>
                      <Dashboard />
                    </RequireRole>
                  }
                />
                <Route
                  path="quan-tri/*"
                  element={
                    <RequireRole roles={['admin']}>
                      <Admin />
                    </RequireRole>
                  }
                />
                <Route path="quyen-rieng-tu" element={<PrivacyPage />} />
                <Route path="phan-anh-kien-nghi" element={<FeedbackPage />} />
                <Route
                  path="phan-anh-kien-nghi/da-nhan"
                  element={
                    <RequireRole roles={['admin', 'leader', 'reception']}>
                      <FeedbackList />
                    </RequireRole>
                  }
                />
                <Route path="thong-bao" element={<RequireRole roles={SIGNED_IN}><Notifications /></RequireRole>} />
                <Route path="thong-bao/cai-dat" element={<RequireRole roles={SIGNED_IN}><NotificationSettings /></RequireRole>} />
                <Route path="*" element={<NotFound />} />
              </Route>
            </Routes>
          </Suspense>
        </BrowserRouter>
      </AuthProvider>
    </I18nProvider>
  );
}
