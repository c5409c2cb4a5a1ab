// The dashboard's figures: one colour per meaning, and the number formats of each language.
// The figures themselves and how each is computed come from the server (GET
// /api/v1/statistics/dossiers: rows, total, definitions); the page only shows them.
import { formatNumber, formatPercent } from '../../lib/format';

export type Figure = 'received' | 'done' | 'early' | 'on_time' | 'late' | 'in_progress' | 'undue' | 'overdue' | 'closed' | 'on_time_ratio' | 'online' | 'online_share';

/** One colour per meaning, the same in the cards, the charts and the legend. */
export const COLOURS: Record<Figure, string> = {
  received: '#1e3a8a', // navy: all that was received
  done: '#166534',
  early: '#0f766e', // teal: finished before the appointment
  on_time: '#15803d', // green: finished on time
  late: '#b91c1c', // red: finished late
  in_progress: '#6b7280',
  undue: '#9ca3af', // grey: in progress, not yet due
  overdue: '#c2410c', // orange: in progress, past the appointment
  closed: '#7c3aed', // violet: withdrawn
  on_time_ratio: '#111827', // black line: the on-time rate
  online: '#0369a1', // blue: submitted online
  online_share: '#0369a1',
};

/** Numbers as each language writes them: 1.234,5 and 86,4 % in Vietnamese; 1,234.5 and 86.4%. */
export function formatters(lang: 'vi' | 'en') {
  return {
    num: (v: unknown) => (typeof v === 'number' ? formatNumber(v, lang) : String(v ?? '')),
    pct: (ratio: number) => formatPercent(ratio, lang),
    /** A percentage already multiplied by 100 (a chart's rate axis). */
    pct100: (v: unknown) => (typeof v === 'number' ? formatPercent(v / 100, lang) : String(v ?? '')),
  };
}

interface TooltipItem { seriesName?: string; value?: unknown; axisValueLabel?: string; seriesIndex?: number }
const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * An axis tooltip's HTML: the category, then "series: value" per line, each value written by
 * `format` (by series index). No inline style (the page's CSP refuses them, and ECharts' own
 * markers carry one): the legend gives the colours.
 */
export function tooltipHtml(items: TooltipItem | TooltipItem[], format: (value: unknown, seriesIndex: number) => string): string {
  const list = Array.isArray(items) ? items : [items];
  const head = list[0]?.axisValueLabel ?? '';
  return [escapeHtml(head), ...list.map((i) => `${escapeHtml(i.seriesName ?? '')}: <strong>${escapeHtml(format(i.value, i.seriesIndex ?? 0))}</strong>`)].join('<br>');
}
