import { NavLink, Navigate, Route, Routes } from 'react-router-dom';
import { useI18n } from '../../i18n';
import { PageTitle } from '../../components/ui';
import { AgenciesAdmin } from './Agencies';
import { UsersAdmin } from './Users';
import { CatalogAdmin } from './Catalog';
import { CalendarAdmin } from './Calendar';
import { OutboxAdmin } from './Outbox';
import { GatewayAdmin } from './Gateway';
import '../../i18n/vi-staff'; // the officers' words (this page's chunk)

export default function Admin() {
  const { t } = useI18n();
  return (
    <div className="container">
      <PageTitle>{t('admin.title')}</PageTitle>
      <nav className="tabs" aria-label={t('admin.sections')}>
        <NavLink to="/quan-tri/co-quan" data-testid="admin-agencies">{t('admin.agencies')}</NavLink>
        <NavLink to="/quan-tri/tai-khoan" data-testid="admin-users">{t('admin.users')}</NavLink>
        <NavLink to="/quan-tri/thu-tuc" data-testid="admin-catalog">{t('admin.catalog')}</NavLink>
        <NavLink to="/quan-tri/lich" data-testid="admin-calendar">{t('admin.calendar')}</NavLink>
        <NavLink to="/quan-tri/tin-gui-di" data-testid="admin-outbox">{t('admin.outbox')}</NavLink>
        <NavLink to="/quan-tri/lgsp" data-testid="admin-gateway">{t('admin.gateway')}</NavLink>
      </nav>
      <Routes>
        <Route index element={<Navigate to="co-quan" replace />} />
        <Route path="co-quan" element={<AgenciesAdmin />} />
        <Route path="tai-khoan" element={<UsersAdmin />} />
        <Route path="thu-tuc" element={<CatalogAdmin />} />
        <Route path="lich" element={<CalendarAdmin />} />
        <Route path="tin-gui-di" element={<OutboxAdmin />} />
        <Route path="lgsp/*" element={<GatewayAdmin />} />
      </Routes>
    </div>
  );
}
