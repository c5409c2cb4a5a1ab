import { Link, useParams, useSearchParams } from 'react-router-dom';
import { useI18n } from '../../i18n';
import { useAuth } from '../../auth';
import { competentName, procedureDetail, procName, submitUrl } from '../../lib/catalog';
import { formatMoney } from '../../lib/format';
import { hasRole } from '../../lib/roles';
import type { Procedure } from '../../lib/types';
import { useAsync } from '../../lib/useAsync';
import { ErrorBox, Loading, PageTitle } from '../../components/ui';

export function competentAgencyText(p: Procedure, lang: 'vi' | 'en', t: (k: 'agency.commune' | 'agency.province_pc' | 'agency.department') => string): string {
  const c = p.competent;
  const name = competentName(c, lang);
  if (name) return name;
  if (c?.kind === 'commune') return t('agency.commune');
  if (c?.kind === 'province_pc') return t('agency.province_pc');
  return t('agency.department');
}

export default function ProcedurePage() {
  const [params] = useSearchParams();
  // /thu-tuc?ma=CODE, or the path form /thu-tuc/CODE.
  const { ma } = useParams();
  const code = params.get('ma') ?? ma ?? '';
  const { t, lang, tk } = useI18n();
  const { user } = useAuth();
  const s = useAsync(() => procedureDetail(code), [code]);
  if (s.loading) return <div className="container"><Loading /></div>;
  if (s.error || !s.data)
    return (
      <div className="container">
        <PageTitle>{t('proc.title')}</PageTitle>
        <ErrorBox error={s.error} onRetry={s.reload} />
        <Link to="/">{t('common.back_to_search')}</Link>
      </div>
    );
  const p = s.data;
  const canSubmit = !user || hasRole(user, 'citizen', 'business', 'reception');
  const time =
    p.processing_time.value === 0
      ? t('proc.time_immediate')
      : `${p.processing_time.value} ${tk(`unit.${p.processing_time.unit}`, p.processing_time.unit)}`;
  const copies = (c: Procedure['components'][number]) => {
    const parts: string[] = [];
    if (c.originals) parts.push(t('proc.originals', { n: c.originals }));
    if (c.certified) parts.push(t('proc.certified', { n: c.certified }));
    if (c.copies) parts.push(t('proc.copies', { n: c.copies }));
    return parts.join(', ');
  };
  return (
    <div className="container">
      <nav aria-label={t('common.breadcrumb')} className="breadcrumb">
        <Link to="/">{t('nav.portal')}</Link> <span aria-hidden="true">›</span> <span>{p.code}</span>
      </nav>
      <PageTitle sub={lang === 'en' && p.name_en ? <span lang="vi">{p.name}</span> : undefined}>{procName(p, lang)}</PageTitle>
      <div className="proc-actions">
        <span className={`badge online-${p.online_level}`}>{tk(`online.${p.online_level}`, p.online_level)}</span>
        {canSubmit && (
          <Link className="btn btn-primary btn-large" to={submitUrl(p.code)} data-testid="submit-online">
            {t('proc.submit_online')}
          </Link>
        )}
      </div>
      <div className="proc-detail">
        <section className="card" aria-labelledby="sec-general">
          <h2 id="sec-general">{t('proc.general')}</h2>
          <dl className="kv">
            <dt>{t('proc.name')}</dt>
            <dd>{procName(p, lang)}</dd>
            <dt>{t('proc.code')}</dt>
            <dd>{p.code}</dd>
            <dt>{t('proc.field')}</dt>
            <dd>{p.field.name}</dd>
            <dt>{t('proc.agency')}</dt>
            <dd>{competentAgencyText(p, lang, t)}</dd>
            <dt>{t('proc.level')}</dt>
            <dd>{tk(`level.${p.level}`, p.level)}</dd>
            <dt>{t('proc.time')}</dt>
            <dd>{time}</dd>
            <dt>{t('proc.subjects')}</dt>
            <dd>{t('proc.subjects_text')}</dd>
            <dt>{t('proc.method')}</dt>
            <dd>
              <ul className="plain">
                <li>{t('method.counter')}</li>
                <li>{t('method.postal')}</li>
                <li>{p.online_level === 'full' ? t('method.online_full') : t('method.online_partial')}</li>
              </ul>
            </dd>
            <dt>{t('proc.results')}</dt>
            <dd>
              <ul className="plain">
                {p.results.map((r, i) => (
                  <li key={i}>{r}</li>
                ))}
              </ul>
            </dd>
          </dl>
        </section>

        <section className="card" aria-labelledby="sec-steps">
          <h2 id="sec-steps">{t('proc.steps')}</h2>
          <ol className="steps">
            {p.steps.map((st) => (
              <li key={st.code}>
                <strong>{lang === 'en' ? st.name_en || st.name : st.name}</strong>{' '}
                <span className="muted">({tk(`role.${st.role}`, st.role)})</span>
              </li>
            ))}
          </ol>
        </section>

        <section className="card" aria-labelledby="sec-components">
          <h2 id="sec-components">{t('proc.components')}</h2>
          <div className="table-wrap" tabIndex={0}>
            <table>
              <caption className="sr-only">{t('proc.components')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('proc.component')}</th>
                  <th scope="col">{t('proc.quantity')}</th>
                  <th scope="col">{t('proc.required')}</th>
                  <th scope="col">{t('proc.file_types')}</th>
                </tr>
              </thead>
              <tbody>
                {p.components.map((c) => (
                  <tr key={c.code}>
                    <td>{c.name}</td>
                    <td>{copies(c) || '—'}</td>
                    <td>{c.required ? t('common.yes') : t('common.no')}</td>
                    <td>{(c.file_types.length ? c.file_types : ['pdf']).join(', ').toUpperCase()}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>

        <section className="card" aria-labelledby="sec-fees">
          <h2 id="sec-fees">{t('proc.fees')}</h2>
          {p.fees.length === 0 ? (
            <p>{t('proc.free')}</p>
          ) : (
            <ul className="fees">
              {p.fees.map((f) => (
                <li key={f.code}>
                  <strong>{f.name}</strong>:{' '}
                  {f.amount ? (f.unit ? t('proc.per_unit', { amount: formatMoney(f.amount, lang), unit: f.unit }) : formatMoney(f.amount, lang)) : f.adjustable ? '' : t('proc.free')}
                  {f.adjustable && <span className="muted"> ({t('proc.fee_adjustable')})</span>}
                  {f.note && <p className="muted">{f.note}</p>}
                </li>
              ))}
            </ul>
          )}
        </section>

        <section className="card" aria-labelledby="sec-forms">
          <h2 id="sec-forms">{t('proc.forms')}</h2>
          {p.form.length === 0 ? (
            <p>{t('proc.no_form')}</p>
          ) : (
            <>
              <p className="muted">{t('proc.form_intro')}</p>
              <ul className="plain cols">
                {p.form.map((f) => (
                  <li key={f.name}>
                    {lang === 'en' ? f.label_en || f.label_vi : f.label_vi}
                    {f.required ? ' *' : ''}
                  </li>
                ))}
              </ul>
            </>
          )}
        </section>

        <section className="card" aria-labelledby="sec-legal">
          <h2 id="sec-legal">{t('proc.legal')}</h2>
          <ul className="plain">
            {p.legal_basis.map((l, i) => (
              <li key={i}>{l}</li>
            ))}
          </ul>
        </section>
      </div>
    </div>
  );
}
