// The privacy notice (NĐ 13/2023/NĐ-CP): what personal data the portal keeps, why, for how long,
// the person's rights and whom to ask; the operator's name and contacts from the site's
// configuration.
import { useI18n } from '../../i18n';
import type { Key } from '../../i18n/vi';
import { useSite } from '../../lib/site';
import { PageTitle } from '../../components/ui';

const SECTIONS: [Key, Key][] = [
  ['privacy.controller_title', 'privacy.controller'],
  ['privacy.what_title', 'privacy.what'],
  ['privacy.why_title', 'privacy.why'],
  ['privacy.how_long_title', 'privacy.how_long'],
  ['privacy.rights_title', 'privacy.rights'],
  ['privacy.contact_title', 'privacy.contact'],
];

export default function PrivacyPage() {
  const { t, lang } = useI18n();
  const site = useSite();
  const params = {
    agency: site ? (lang === 'en' ? site.agency_en : site.agency) : t('app.title'),
    email: site?.email ?? '',
    hotline: site?.hotline ?? '',
  };
  return (
    <div className="container narrow privacy" data-testid="privacy">
      <PageTitle>{t('privacy.title')}</PageTitle>
      <p className="lead">{t('privacy.intro')}</p>
      {SECTIONS.map(([title, body]) => (
        <section key={title} className="card" aria-labelledby={`pv-${title}`}>
          <h2 id={`pv-${title}`}>{t(title)}</h2>
          <p>{t(body, params)}</p>
        </section>
      ))}
    </div>
  );
}
