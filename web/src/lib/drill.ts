// Dashboard drill-down: the officer list behind each number of the statistics.

export type DrillWhat = 'received' | 'in_progress' | 'early' | 'on_time' | 'late' | 'overdue' | 'closed' | 'online';

/**
 * The officer list (/mot-cua?…) behind a dashboard number: dossiers received in [from, to)
 * at the competent agency (and the agencies under it), narrowed to what the number counts.
 * "In progress" is every open status (2, 4, 5, 6); the workspace merges those lists. "Closed"
 * (withdrawn after reception) is status 7.
 */
export function drillUrl(what: DrillWhat, from: string, toExclusive: string, competentAgencyId?: string): string {
  const p = new URLSearchParams({ received_from: from, received_to: toExclusive });
  if (competentAgencyId) p.set('competent_agency_id', competentAgencyId);
  if (what === 'in_progress') p.set('status', '2,4,5,6');
  else if (what === 'closed') p.set('status', '7');
  else if (what === 'early' || what === 'on_time' || what === 'late') p.set('outcome', what);
  else if (what === 'overdue') p.set('overdue', 'true');
  else if (what === 'online') p.set('channel', 'online');
  return `/mot-cua?${p.toString()}`;
}
