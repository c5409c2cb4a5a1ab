import { useEffect, useMemo, useState } from 'react';
import type { FormEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { useI18n } from '../../i18n';
import { call } from '../../lib/api';
import { allProcedures, competentKey, competentName, competentOptions, groupByCompetent, procedureUrl, procName } from '../../lib/catalog';
import { formatMoney } from '../../lib/format';
import { highlight } from '../../lib/text';
import type { ProcedureQuery, ProcedureSummary } from '../../lib/types';
import { useAsync, useDebounced } from '../../lib/useAsync';
import { Empty, ErrorBox, Loading } from '../../components/ui';

/** The levels the search knows; another one from the address is left out of the query. */
const LEVELS: NonNullable<ProcedureQuery['level']>[] = ['province', 'commune'];

function Highlighted({ text, query }: { text: string; query: string }) {
  return (
    <>
      {highlight(text, query).map((p, i) => (p.hit ? <mark key={i}>{p.text}</mark> : <span key={i}>{p.text}</span>))}
    </>
  );
}

export function ProcedureCard({ p, query }: { p: ProcedureSummary; query: string }) {
  const { t, lang, tk } = useI18n();
  const time =
    p.processing_time.value === 0
      ? t('proc.time_immediate')
      : `${p.processing_time.value} ${tk(`unit.${p.processing_time.unit}`, p.processing_time.unit)}`;
  return (
    <li className="proc-card" data-testid="procedure-result">
      <h3>
        <Link to={procedureUrl(p.code)} data-testid={`procedure-link-${p.code}`}>
          <Highlighted text={procName(p, lang)} query={query} />
        </Link>
      </h3>
      {lang === 'en' && p.name_en && <p className="proc-alt" lang="vi">{p.name}</p>}
      <dl className="proc-meta">
        <div>
          <dt>{t('proc.code')}</dt>
          <dd>{p.code}</dd>
        </div>
        <div>
          <dt>{t('proc.field')}</dt>
          <dd>{p.field.name}</dd>
        </div>
        <div>
          <dt>{t('proc.level')}</dt>
          <dd>{tk(`level.${p.level}`, p.level)}</dd>
        </div>
        {competentName(p.competent, lang) && (
          <div>
            <dt>{t('proc.agency')}</dt>
            <dd>{competentName(p.competent, lang)}</dd>
          </div>
        )}
        <div>
          <dt>{t('proc.time')}</dt>
          <dd>{time}</dd>
        </div>
        <div>
          <dt>{t('proc.fee')}</dt>
          <dd>{p.total_fee ? formatMoney(p.total_fee, lang) : t('proc.free')}</dd>
        </div>
      </dl>
      <span className={`badge online-${p.online_level}`}>{tk(`online.${p.online_level}`, p.online_level)}</span>
    </li>
  );
}

export function PortalHome() {
  const { t, lang } = useI18n();
  const [params, setParams] = useSearchParams();
  const [q, setQ] = useState(params.get('q') ?? '');
  const [field, setField] = useState(params.get('field') ?? '');
  const [level, setLevel] = useState(params.get('level') ?? '');
  // Who decides: filtered here, from the procedures' "competent" (the search API has no such filter).
  const [agency, setAgency] = useState(params.get('co_quan') ?? '');
  const dq = useDebounced(q.trim(), 300);
  const navigate = useNavigate();
  const [code, setCode] = useState('');
  const [secret, setSecret] = useState('');

  useEffect(() => {
    document.title = `${t('portal.title')} — ${t('app.title')}`;
  }, [t]);

  useEffect(() => {
    const next = new URLSearchParams();
    if (dq) next.set('q', dq);
    if (field) next.set('field', field);
    if (level) next.set('level', level);
    if (agency) next.set('co_quan', agency);
    setParams(next, { replace: true });
  }, [dq, field, level, agency, setParams]);

  const all = useAsync(() => allProcedures(), []);
  const fields = useMemo(() => {
    const m = new Map<string, string>();
    for (const p of all.data ?? []) m.set(p.field.code, p.field.name);
    return [...m.entries()].sort((a, b) => a[1].localeCompare(b[1], 'vi'));
  }, [all.data]);
  const agencies = useMemo(() => competentOptions(all.data ?? [], lang), [all.data, lang]);

  const results = useAsync(
    (signal) =>
      call('get', '/api/v1/procedures', {
        query: { q: dq, field, level: LEVELS.find((l) => l === level) },
        signal,
      }),
    [dq, field, level],
  );

  function lookup(e: FormEvent) {
    e.preventDefault();
    navigate(`/tra-cuu?ma=${encodeURIComponent(code.trim())}&k=${encodeURIComponent(secret.trim())}`);
  }

  const items = (results.data?.items ?? []).filter((p) => !agency || competentKey(p.competent) === agency);
  const filtered = Boolean(dq || field || level || agency);
  return (
    <>
      <section className="hero" aria-labelledby="hero-title">
        <div className="container">
          <h1 id="hero-title" tabIndex={-1}>
            {t('portal.title')}
          </h1>
          <p className="hero-lead">{t('portal.lead')}</p>
          <form className="search" role="search" onSubmit={(e) => e.preventDefault()}>
            <label htmlFor="proc-search" className="search-label">
              {t('portal.search_label')}
            </label>
            <div className="search-row">
              <input
                id="proc-search"
                type="search"
                value={q}
                onChange={(e) => setQ(e.target.value)}
                placeholder={t('portal.search_placeholder')}
                autoComplete="off"
                aria-describedby="proc-search-hint"
                data-testid="procedure-search"
              />
            </div>
            <p id="proc-search-hint" className="search-hint">
              {t('portal.search_hint')}
            </p>
            <div className="filters">
              <div className="filter">
                <label htmlFor="proc-field">{t('proc.field')}</label>
                <select id="proc-field" value={field} onChange={(e) => setField(e.target.value)} data-testid="procedure-field">
                  <option value="">{t('common.all')}</option>
                  {fields.map(([c, n]) => (
                    <option key={c} value={c}>
                      {n}
                    </option>
                  ))}
                </select>
              </div>
              <div className="filter">
                <label htmlFor="proc-agency">{t('proc.agency')}</label>
                <select id="proc-agency" value={agency} onChange={(e) => setAgency(e.target.value)} data-testid="procedure-agency">
                  <option value="">{t('common.all')}</option>
                  {agencies.map((a) => (
                    <option key={a.key} value={a.key}>
                      {a.name}
                    </option>
                  ))}
                </select>
              </div>
              <div className="filter">
                <label htmlFor="proc-level">{t('portal.agency_level')}</label>
                <select id="proc-level" value={level} onChange={(e) => setLevel(e.target.value)}>
                  <option value="">{t('common.all')}</option>
                  <option value="province">{t('level.province')}</option>
                  <option value="commune">{t('level.commune')}</option>
                </select>
              </div>
            </div>
          </form>
        </div>
      </section>
      <div className="container portal-grid">
        <section aria-labelledby="results-title" className="results">
          <h2 id="results-title">{filtered ? t('portal.results') : t('portal.all_procedures')}</h2>
          <p className="muted" aria-live="polite" data-testid="result-count">
            {results.loading ? t('common.loading') : t('portal.count', { n: items.length })}
          </p>
          {results.error ? (
            <ErrorBox error={results.error} onRetry={results.reload} />
          ) : results.loading && !results.data ? (
            <Loading />
          ) : items.length === 0 ? (
            <Empty title={t('portal.none')}>
              <p>{t('portal.none_hint')}</p>
              <button type="button" className="btn btn-small" onClick={() => { setQ(''); setField(''); setLevel(''); setAgency(''); }}>
                {t('portal.clear')}
              </button>
            </Empty>
          ) : filtered ? (
            <ul className="proc-list">
              {items.map((p) => (
                <ProcedureCard key={p.code} p={p} query={dq} />
              ))}
            </ul>
          ) : (
            // The whole catalog, grouped by who decides, as the server draws it (src/portal).
            groupByCompetent(items, lang).map((g) => (
              <section className="sector" key={g.name} data-testid="procedure-group">
                <h3 className="sector-title">{g.name || t('portal.other_agency')}</h3>
                <ul className="proc-list">
                  {g.items.map((p) => (
                    <ProcedureCard key={p.code} p={p} query={dq} />
                  ))}
                </ul>
              </section>
            ))
          )}
        </section>
        <aside className="side" aria-labelledby="lookup-title">
          <div className="card">
            <h2 id="lookup-title">{t('lookup.title')}</h2>
            <p className="muted">{t('lookup.intro_short')}</p>
            <form onSubmit={lookup} className="form">
              <div className="field">
                <label htmlFor="home-code">{t('lookup.code')}</label>
                <input id="home-code" value={code} onChange={(e) => setCode(e.target.value)} required autoComplete="off" />
              </div>
              <div className="field">
                <label htmlFor="home-secret">{t('lookup.secret')}</label>
                <input id="home-secret" value={secret} onChange={(e) => setSecret(e.target.value)} required autoComplete="off" />
              </div>
              <button className="btn btn-primary" type="submit">
                {t('lookup.submit')}
              </button>
            </form>
          </div>
          <div className="card">
            <h2>{t('portal.how_title')}</h2>
            <ol className="how">
              <li>{t('portal.how1')}</li>
              <li>{t('portal.how2')}</li>
              <li>{t('portal.how3')}</li>
              <li>{t('portal.how4')}</li>
            </ol>
          </div>
        </aside>
      </div>
    </>
  );
}
