import { lazy, Suspense } from 'react';
import type { ComponentProps } from 'react';
import type { Chart as ChartType } from '../pages/dashboard/Chart';
import { Loading } from './ui';

// ECharts is ≈ 500 KB: one chunk of its own, fetched when a chart is first drawn, while the
// page's figures and tables are already shown (web/tools/bundle-budget.test.mjs).
const LazyChart = lazy(() => import('../pages/dashboard/Chart').then((m) => ({ default: m.Chart })));

export function Chart(props: ComponentProps<typeof ChartType>) {
  return (
    <Suspense fallback={<div className={props.className ?? 'chart'}><Loading /></div>}>
      <LazyChart {...props} />
    </Suspense>
  );
}
