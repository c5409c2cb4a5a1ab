import { lazy, Suspense, useMemo, useState } from 'react';
import type { ComponentProps } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { useAuth } from '../../auth';
import { useI18n } from '../../i18n';
import { call } from '../../lib/api';
import { addDays, formatDate, formatNumber, formatPercent, isoDateVN } from '../../lib/format';
import { hasRole } from '../../lib/roles';
import type { StatsRow } from '../../lib/types';
import { useAsync } from '../../lib/useAsync';
import { drillUrl } from '../../lib/drill';
import type { DrillWhat } from '../../lib/drill';
import { DateInput, Empty, ErrorBox, Loading, PageTitle } from '../../components/ui';
import type { Chart as ChartType } from './Chart';

// ECharts is most of the dashboard's weight (≈ 500 KB): its own chunk, fetched while the
// figures and the table are already shown.
const LazyChart = lazy(() => import('./Chart').then((m) => ({ default: m.Chart })));

function Chart(props: ComponentProps<typeof ChartType>) {
  return (
    <Suspense fallback={<div className={props.className ?? 'chart'}><Loading /></div>}>
      <LazyChart {...props} />
    </Suspense>
  );
}

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

/** Shares of finished dossiers: early, on time, late. */
export function shares(r: StatsRow): { early: number; onTime: number; late: number; done: number } {
  const done = r.done_early + r.done_on_time + r.done_late;
  if (done === 0) return { early: 0, onTime: 0, late: 0, done };
  return { early: r.done_early / done, onTime: r.done_on_time / done, late: r.done_late / done, done };
}

/** A count that opens the dossiers behind it (plain text when there are none). */
function Num({ n, to, what, where, text }: { n: number; to: string; what: string; where: string; text?: string }) {
  const { t, lang } = useI18n();
  const shown = text ?? formatNumber(n, lang);
  if (!n) return <>{shown}</>;
  return (
    // The visible text starts the name (WCAG 2.5.3) when it is not the count itself.
    <Link to={to} aria-label={`${text ? `${text}: ` : ''}${t('dash.drill', { n: formatNumber(n, lang), what, agency: where })}`}>
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
  const rows = useMemo(() => [...(byAgency.data?.rows ?? [])].sort((a, b) => b.received - a.received), [byAgency.data]);
  const label = (r: StatsRow) => names.get(r.key) ?? r.label;
  const pct = (x: number) => formatPercent(x, lang);
  const num = (x: number) => formatNumber(x, lang);

  const top = rows.slice(0, 12).reverse();
  const agencyOption = useMemo(
    () => ({
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      legend: { top: 0 },
      grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
      xAxis: { type: 'value' },
      yAxis: { type: 'category', data: top.map((r) => { const n = label(r); return n.length > 34 ? `${n.slice(0, 33)}…` : n; }) },
      series: [
        { name: t('dash.early'), type: 'bar', stack: 'x', data: top.map((r) => r.done_early), itemStyle: { color: '#15803d' } },
        { name: t('dash.on_time'), type: 'bar', stack: 'x', data: top.map((r) => r.done_on_time), itemStyle: { color: '#2563eb' } },
        { name: t('dash.late'), type: 'bar', stack: 'x', data: top.map((r) => r.done_late), itemStyle: { color: '#b91c1c' } },
        { name: t('dash.in_progress'), type: 'bar', stack: 'x', data: top.map((r) => r.in_progress), itemStyle: { color: '#9ca3af' } },
      ],
    }),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [byAgency.data, names, lang],
  );
  const months = byMonth.data?.rows ?? [];
  const monthOption = useMemo(
    () => ({
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
      xAxis: { type: 'category', data: months.map((r) => `${r.key.slice(5, 7)}/${r.key.slice(0, 4)}`) },
      yAxis: [{ type: 'value' }, { type: 'value', max: 100, axisLabel: { formatter: '{value}%' } }],
      series: [
        { name: t('dash.received'), type: 'bar', data: months.map((r) => r.received), itemStyle: { color: '#9b1c1c' } },
        { name: t('dash.online'), type: 'bar', data: months.map((r) => r.online), itemStyle: { color: '#1d4ed8' } },
        { name: t('dash.on_time_ratio'), type: 'line', yAxisIndex: 1, data: months.map((r) => Math.round(r.on_time_ratio * 1000) / 10), itemStyle: { color: '#15803d' } },
      ],
    }),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [byMonth.data, lang],
  );

  const sh = total ? shares(total) : null;
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
              <Link className="kpi" to={drill('received')} data-testid="kpi-received">
                <div className="kpi-label">{t('dash.received')}</div>
                <div className="kpi-value">{num(total.received)}</div>
                <div className="kpi-sub">{t('dash.in_progress_n', { n: num(total.in_progress) })}</div>
              </Link>
              <Link className="kpi kpi-good" to={drill('early')} data-testid="kpi-early">
                <div className="kpi-label">{t('dash.early')}</div>
                <div className="kpi-value">{pct(sh!.early)}</div>
                <div className="kpi-sub">{t('dash.of_done', { n: num(total.done_early), done: num(sh!.done) })}</div>
              </Link>
              <Link className="kpi" to={drill('on_time')} data-testid="kpi-ontime">
                <div className="kpi-label">{t('dash.on_time')}</div>
                <div className="kpi-value">{pct(sh!.onTime)}</div>
                <div className="kpi-sub">{t('dash.of_done', { n: num(total.done_on_time), done: num(sh!.done) })}</div>
              </Link>
              <Link className="kpi kpi-bad" to={drill('late')} data-testid="kpi-late">
                <div className="kpi-label">{t('dash.late')}</div>
                <div className="kpi-value">{pct(sh!.late)}</div>
                <div className="kpi-sub">{t('dash.of_done', { n: num(total.done_late), done: num(sh!.done) })}</div>
              </Link>
              <Link className="kpi" to={drill('online')} data-testid="kpi-online">
                <div className="kpi-label">{t('dash.online_share')}</div>
                <div className="kpi-value">{pct(total.online_share)}</div>
                <div className="kpi-sub">{t('dash.online_n', { n: num(total.online) })}</div>
              </Link>
              <Link className={`kpi${total.overdue ? ' kpi-bad' : ' kpi-good'}`} to={drill('overdue')} data-testid="kpi-overdue">
                <div className="kpi-label">{t('dash.overdue')}</div>
                <div className="kpi-value">{num(total.overdue)}</div>
                <div className="kpi-sub">{t('dash.on_time_ratio_n', { p: pct(total.on_time_ratio) })}</div>
              </Link>
            </div>
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
                        <th scope="col" className="num">{t('dash.received')}</th>
                        <th scope="col" className="num">{t('dash.in_progress')}</th>
                        <th scope="col" className="num">{t('dash.early')}</th>
                        <th scope="col" className="num">{t('dash.on_time')}</th>
                        <th scope="col" className="num">{t('dash.late')}</th>
                        <th scope="col" className="num">{t('dash.overdue')}</th>
                        <th scope="col" className="num">{t('dash.on_time_ratio')}</th>
                        <th scope="col" className="num">{t('dash.online_share')}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {rows.map((r) => (
                        <tr key={r.key}>
                          <th scope="row">{label(r)}</th>
                          <td className="num"><Num n={r.received} to={drill('received', r.key)} what={t('dash.received')} where={label(r)} /></td>
                          <td className="num"><Num n={r.in_progress} to={drill('in_progress', r.key)} what={t('dash.in_progress')} where={label(r)} /></td>
                          <td className="num"><Num n={r.done_early} to={drill('early', r.key)} what={t('dash.early')} where={label(r)} /></td>
                          <td className="num"><Num n={r.done_on_time} to={drill('on_time', r.key)} what={t('dash.on_time')} where={label(r)} /></td>
                          <td className="num"><Num n={r.done_late} to={drill('late', r.key)} what={t('dash.late')} where={label(r)} /></td>
                          <td className="num"><Num n={r.overdue} to={drill('overdue', r.key)} what={t('dash.overdue')} where={label(r)} /></td>
                          <td className="num">{pct(r.on_time_ratio)}</td>
                          <td className="num"><Num n={r.online} to={drill('online', r.key)} what={t('dash.online')} where={label(r)} text={pct(r.online_share)} /></td>
                        </tr>
                      ))}
                    </tbody>
                    <tfoot>
                      <tr>
                        <th scope="row">{t('common.total')}</th>
                        <td className="num"><Num n={total.received} to={drill('received')} what={t('dash.received')} where={t('common.total')} /></td>
                        <td className="num"><Num n={total.in_progress} to={drill('in_progress')} what={t('dash.in_progress')} where={t('common.total')} /></td>
                        <td className="num"><Num n={total.done_early} to={drill('early')} what={t('dash.early')} where={t('common.total')} /></td>
                        <td className="num"><Num n={total.done_on_time} to={drill('on_time')} what={t('dash.on_time')} where={t('common.total')} /></td>
                        <td className="num"><Num n={total.done_late} to={drill('late')} what={t('dash.late')} where={t('common.total')} /></td>
                        <td className="num"><Num n={total.overdue} to={drill('overdue')} what={t('dash.overdue')} where={t('common.total')} /></td>
                        <td className="num">{pct(total.on_time_ratio)}</td>
                        <td className="num"><Num n={total.online} to={drill('online')} what={t('dash.online')} where={t('common.total')} text={pct(total.online_share)} /></td>
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
