import { useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { useAuth } from '../../auth';
import { useI18n } from '../../i18n';
import type { Key } from '../../i18n';
import { call } from '../../lib/api';
import { addDays, formatDate, isoDateVN } from '../../lib/format';
import { hasRole } from '../../lib/roles';
import type { StatsRow } from '../../lib/types';
import { useAsync } from '../../lib/useAsync';
import { drillUrl } from '../../lib/drill';
import type { DrillWhat } from '../../lib/drill';
import { DateInput, Empty, ErrorBox, Loading, PageTitle } from '../../components/ui';
import { Chart } from '../../components/LazyChart';
import { COLOURS, formatters, tooltipHtml } from './figures';
import type { Figure } from './figures';
import '../../i18n/vi-staff'; // the officers' words (this page's chunk)

type Preset = 'month' | 'quarter' | 'year' | '30d' | 'custom';

function presetRange(p: Preset, today: string): [string, string] {
  const y = today.slice(0, 4);
  const m = Number(today.slice(5, 7));
  switch (p) {
    case 'month':
      return [`${today.slice(0, 7)}-01`, today];
    case 'quarter': {
      const qm = String(Math.floor((m - 1) / 3) * 3 + 1).padStart(2, '0');
      return [`${y}-${qm}-01`, today];
    }
    case '30d':
      return [addDays(today, -29), today];
    default:
      return [`${y}-01-01`, today];
  }
}

/** A count that opens the dossiers behind it (plain text when there are none). */
function Num({ n, to, what, where, text }: { n: number; to: string; what: string; where: string; text?: string }) {
  const { t, lang } = useI18n();
  const shown = text ?? formatters(lang).num(n);
  if (!n) return <>{shown}</>;
  return (
    // The visible text starts the name (WCAG 2.5.3) when it is not the count itself.
    <Link to={to} aria-label={`${text ? `${text}: ` : ''}${t('dash.drill', { n: formatters(lang).num(n), what, agency: where })}`}>
      {shown}
    </Link>
  );
}

export default function Dashboard() {
  const { t, lang } = useI18n();
  const { user } = useAuth();
  const navigate = useNavigate();
  const today = isoDateVN();
  const [preset, setPreset] = useState<Preset>('year');
  const [range, setRange] = useState<[string, string]>(presetRange('year', today));
  const [agency, setAgency] = useState('');
  const provinceWide = hasRole(user, 'admin') || hasRole(user, 'leader');

  const agencies = useAsync((signal) => call('get', '/api/v1/agencies', { query: { limit: 500 }, signal }).then((r) => r.items), []);
  const names = useMemo(() => new Map((agencies.data ?? []).map((a) => [String(a.id), lang === 'en' && a.name_en ? a.name_en : a.name])), [agencies.data, lang]);

  // "to" is exclusive on the server: ask for the day after the last day shown.
  const query = { from: range[0], to: addDays(range[1], 1), agency_id: agency ? Number(agency) : undefined };
  const byAgency = useAsync((signal) => call('get', '/api/v1/statistics/dossiers', { query: { ...query, group_by: 'agency' }, signal }), [range[0], range[1], agency]);
  const byMonth = useAsync((signal) => call('get', '/api/v1/statistics/dossiers', { query: { ...query, group_by: 'month' }, signal }), [range[0], range[1], agency]);

  // Statistics count dossiers received in the period by competent agency (subtree): the lists
  // behind each number use the same filters.
  const drill = (what: DrillWhat, agencyId?: string) => drillUrl(what, range[0], addDays(range[1], 1), agencyId || agency);

  const total = byAgency.data?.total;
  const definitions = byAgency.data?.definitions ?? [];
  const defined = (key: string) => definitions.find((d) => d.key === key);
  const definition = (key: string) => {
    const d = defined(key);
    return d ? (lang === 'en' ? d.text_en : d.text) : '';
  };
  const rows = useMemo(() => [...(byAgency.data?.rows ?? [])].sort((a, b) => b.received - a.received), [byAgency.data]);
  const label = (r: StatsRow) => names.get(r.key) ?? r.label;
  const { num, pct, pct100 } = formatters(lang);
  // A phone: fewer agencies, shorter names, the legend scrolled rather than over the bars.
  const narrow = typeof window !== 'undefined' && window.matchMedia('(max-width: 640px)').matches;
  const common = {
    legend: { top: 0, type: 'scroll' as const },
    grid: { left: 8, right: 16, top: 40, bottom: 8, containLabel: true },
  };

  const top = rows.slice(0, narrow ? 8 : 12).reverse();
  // The parts of each agency's bar add up to what it received.
  const parts: [Figure, (r: StatsRow) => number][] = [
    ['early', (r) => r.done_early],
    ['on_time', (r) => r.done_on_time],
    ['late', (r) => r.done_late],
    ['undue', (r) => r.undue],
    ['overdue', (r) => r.overdue],
    ['closed', (r) => r.closed],
  ];
  const agencyOption = useMemo(
    () => ({
      ...common,
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, formatter: (items: Parameters<typeof tooltipHtml>[0]) => tooltipHtml(items, (v) => num(v)) },
      xAxis: { type: 'value', axisLabel: { formatter: num } },
      yAxis: { type: 'category', data: top.map((r) => { const n = label(r); const max = narrow ? 18 : 34; return n.length > max ? `${n.slice(0, max - 1)}…` : n; }) },
      series: parts.map(([key, value]) => ({ name: t(`dash.${key}` as Key), type: 'bar', stack: 'x', data: top.map(value), itemStyle: { color: COLOURS[key] } })),
    }),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [byAgency.data, names, lang, narrow],
  );
  const months = byMonth.data?.rows ?? [];
  const monthOption = useMemo(
    () => ({
      ...common,
      tooltip: {
        trigger: 'axis',
        // Each series in its own unit: counts, and the rate as a percentage.
        formatter: (items: Parameters<typeof tooltipHtml>[0]) => tooltipHtml(items, (v, series) => (series === 2 ? pct100(v) : num(v))),
      },
      xAxis: { type: 'category', data: months.map((r) => `${r.key.slice(5, 7)}/${r.key.slice(0, 4)}`) },
      yAxis: [{ type: 'value', axisLabel: { formatter: num } }, { type: 'value', max: 100, axisLabel: { formatter: pct100 } }],
      series: [
        { name: t('dash.received'), type: 'bar', data: months.map((r) => r.received), itemStyle: { color: COLOURS.received } },
        { name: t('dash.online'), type: 'bar', data: months.map((r) => r.online), itemStyle: { color: COLOURS.online } },
        { name: t('dash.on_time_ratio'), type: 'line', yAxisIndex: 1, data: months.map((r) => Math.round(r.on_time_ratio * 1000) / 10), itemStyle: { color: COLOURS.on_time_ratio }, lineStyle: { color: COLOURS.on_time_ratio } },
      ],
    }),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [byMonth.data, lang, narrow],
  );

  // The table's columns, each a figure of the server's row; counts open the dossiers behind them.
  const count = (what: DrillWhat | null, value: (r: StatsRow) => number, name: Key) => (r: StatsRow, agencyId: string, where: string) =>
    what ? <Num n={value(r)} to={drill(what, agencyId)} what={t(name)} where={where} /> : <>{num(value(r))}</>;
  const cols: [Figure, (r: StatsRow, agencyId: string, where: string) => ReactNode][] = [
    ['received', count('received', (r) => r.received, 'dash.received')],
    ['early', count('early', (r) => r.done_early, 'dash.early')],
    ['on_time', count('on_time', (r) => r.done_on_time, 'dash.on_time')],
    ['late', count('late', (r) => r.done_late, 'dash.late')],
    ['in_progress', count('in_progress', (r) => r.in_progress, 'dash.in_progress')],
    ['overdue', count('overdue', (r) => r.overdue, 'dash.overdue')],
    ['closed', count('closed', (r) => r.closed, 'dash.closed')],
    ['on_time_ratio', (r) => <span data-testid="rate">{pct(r.on_time_ratio)}</span>],
    ['online_share', (r, agencyId, where) => <Num n={r.online} to={drill('online', agencyId)} what={t('dash.online')} where={where} text={pct(r.online_share)} />],
  ];

  /** A card of one figure: its colour, its value, and how it is computed (title and legend). */
  const Kpi = ({ figure, value, sub, to, testid }: { figure: Figure; value: string; sub?: string; to?: string; testid: string }) => {
    const body = (
      <>
        <div className="kpi-label">{t(`dash.${figure}` as Key)}</div>
        <div className="kpi-value" data-testid={`${testid}-value`}>{value}</div>
        {sub ? <div className="kpi-sub">{sub}</div> : null}
      </>
    );
    const style = { borderLeftColor: COLOURS[figure] } as const;
    const title = definition(figure) || undefined;
    return to ? (
      <Link className="kpi" to={to} style={style} title={title} data-testid={testid}>{body}</Link>
    ) : (
      <div className="kpi" style={style} title={title} data-testid={testid}>{body}</div>
    );
  };

  return (
    <div className="container">
      <PageTitle sub={t('dash.period', { from: formatDate(range[0]), to: formatDate(range[1]) })}>{t('dash.title')}</PageTitle>
      <form className="card toolbar toolbar-top" onSubmit={(e) => e.preventDefault()} aria-label={t('dash.filters')}>
        <div className="filter">
          <label htmlFor="d-preset">{t('dash.preset')}</label>
          <select
            id="d-preset"
            value={preset}
            onChange={(e) => {
              const p = e.target.value as Preset;
              setPreset(p);
              if (p !== 'custom') setRange(presetRange(p, today));
            }}
          >
            <option value="month">{t('dash.this_month')}</option>
            <option value="quarter">{t('dash.this_quarter')}</option>
            <option value="year">{t('dash.this_year')}</option>
            <option value="30d">{t('dash.last30')}</option>
            <option value="custom">{t('dash.custom')}</option>
          </select>
        </div>
        <div className="filter">
          <label htmlFor="d-from">{t('common.from')}</label>
          <DateInput id="d-from" value={range[0]} max={range[1]} onValue={(v) => { setPreset('custom'); if (v) setRange([v, range[1]]); }} />
        </div>
        <div className="filter">
          <label htmlFor="d-to">{t('common.to')}</label>
          <DateInput id="d-to" value={range[1]} min={range[0]} onValue={(v) => { setPreset('custom'); if (v) setRange([range[0], v]); }} />
        </div>
        {provinceWide && (
          <div className="filter">
            <label htmlFor="d-agency">{t('dash.agency')}</label>
            <select id="d-agency" value={agency} onChange={(e) => setAgency(e.target.value)} data-testid="dash-agency">
              <option value="">{t('dash.all_scope')}</option>
              {(agencies.data ?? []).map((a) => (
                <option key={a.id} value={a.id}>
                  {lang === 'en' && a.name_en ? a.name_en : a.name}
                </option>
              ))}
            </select>
          </div>
        )}
      </form>

      {byAgency.error ? (
        <ErrorBox error={byAgency.error} onRetry={byAgency.reload} />
      ) : !total ? (
        <Loading />
      ) : (
        <>
          <section aria-labelledby="kpi-title">
            <h2 id="kpi-title" className="sr-only">{t('dash.kpis')}</h2>
            <div className="kpis" data-testid="kpis">
              <Kpi figure="received" testid="kpi-received" to={drill('received')} value={num(total.received)}
                sub={t('dash.received_parts', { done: num(total.done), progress: num(total.in_progress), closed: num(total.closed) })} />
              <Kpi figure="on_time_ratio" testid="kpi-rate" value={pct(total.on_time_ratio)} sub={t('dash.rate_sub', { n: num(total.done_early + total.done_on_time + total.undue), of: num(total.done + total.in_progress) })} />
              <Kpi figure="early" testid="kpi-early" to={drill('early')} value={num(total.done_early)} />
              <Kpi figure="on_time" testid="kpi-ontime" to={drill('on_time')} value={num(total.done_on_time)} />
              <Kpi figure="late" testid="kpi-late" to={drill('late')} value={num(total.done_late)} />
              <Kpi figure="in_progress" testid="kpi-progress" to={drill('in_progress')} value={num(total.in_progress)} sub={t('dash.progress_parts', { undue: num(total.undue), overdue: num(total.overdue) })} />
              <Kpi figure="overdue" testid="kpi-overdue" to={drill('overdue')} value={num(total.overdue)} />
              <Kpi figure="online_share" testid="kpi-online" to={drill('online')} value={pct(total.online_share)} sub={t('dash.online_n', { n: num(total.online) })} />
            </div>
            {definitions.length > 0 && (
              <details className="card definitions" data-testid="definitions">
                <summary>{t('dash.how')}</summary>
                <dl>
                  {definitions.map((d) => (
                    <div key={d.key} className="definition">
                      <dt>
                        <span className="swatch" style={{ background: COLOURS[d.key as Figure] ?? '#6b7280' }} aria-hidden="true" />
                        {lang === 'en' ? d.name_en : d.name}
                      </dt>
                      <dd data-testid={`def-${d.key}`}>{lang === 'en' ? d.text_en : d.text}</dd>
                    </div>
                  ))}
                </dl>
              </details>
            )}
          </section>
          {total.received === 0 ? (
            <Empty title={t('dash.none')}>
              <p>{t('dash.none_hint')}</p>
            </Empty>
          ) : (
            <div className="charts">
              <section className="card" aria-labelledby="ch-agency">
                <h2 id="ch-agency">{t('dash.by_agency')}</h2>
                <Chart option={agencyOption} label={t('dash.by_agency_desc')} onClickIndex={(i) => navigate(drill('received', top[i].key))} />
              </section>
              <section className="card" aria-labelledby="ch-month">
                <h2 id="ch-month">{t('dash.by_month')}</h2>
                {byMonth.error ? <ErrorBox error={byMonth.error} onRetry={byMonth.reload} /> : <Chart option={monthOption} label={t('dash.by_month_desc')} />}
              </section>
              <section className="card chart-wide" aria-labelledby="tbl-agency">
                <h2 id="tbl-agency">{t('dash.table')}</h2>
                <p className="muted small">{t('dash.table_hint')}</p>
                <div className="table-wrap" tabIndex={0}>
                  <table data-testid="dash-table">
                    <caption className="sr-only">{t('dash.table')}</caption>
                    <thead>
                      <tr>
                        <th scope="col">{t('dash.agency')}</th>
                        {cols.map(([key]) => (
                          <th key={key} scope="col" className="num" title={definition(key) || undefined}>
                            <span className="swatch" style={{ background: COLOURS[key] }} aria-hidden="true" />
                            {t(`dash.${key}` as Key)}
                          </th>
                        ))}
                      </tr>
                    </thead>
                    <tbody>
                      {rows.map((r) => (
                        <tr key={r.key}>
                          <th scope="row">{label(r)}</th>
                          {cols.map(([key, cell]) => <td key={key} className="num">{cell(r, r.key, label(r))}</td>)}
                        </tr>
                      ))}
                    </tbody>
                    <tfoot>
                      <tr data-testid="dash-total">
                        <th scope="row">{t('common.total')}</th>
                        {cols.map(([key, cell]) => <td key={key} className="num">{cell(total, '', t('common.total'))}</td>)}
                      </tr>
                    </tfoot>
                  </table>
                </div>
              </section>
            </div>
          )}
        </>
      )}
    </div>
  );
}
