// What each status means to the applicant, what they must do and by when: one table (the
// dictionaries' guide.<status>.what/todo/when), shown on the applicant's dossier page.
import { useI18n } from '../i18n';
import type { Key } from '../i18n/vi';
import { formatDateTime, formatMoney } from '../lib/format';
import type { Dossier } from '../lib/types';

/** The statuses in which the applicant owes an action (supplement, pay). */
export const OWED_STATUSES = [5, 6];

export const STATUS_GUIDE: Record<number, { what: Key; todo: Key; when: Key }> = Object.fromEntries(
  [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((n) => [
    n,
    { what: `guide.${n}.what` as Key, todo: `guide.${n}.todo` as Key, when: `guide.${n}.when` as Key },
  ]),
);

export function StatusGuide({ d }: { d: Dossier }) {
  const { t, lang } = useI18n();
  const g = STATUS_GUIDE[d.status];
  if (!g) return null;
  const params = {
    reference: d.reference,
    date: d.due_at ? formatDateTime(d.due_at) : t('receipt.due_pending'),
    amount: formatMoney(d.fee_total, lang),
  };
  return (
    <dl className="kv status-guide" data-testid="status-guide">
      <dt>{t('guide.what')}</dt>
      <dd data-testid="guide-what">{t(g.what, params)}</dd>
      <dt>{t('guide.todo')}</dt>
      <dd data-testid="guide-todo">{t(g.todo, params)}</dd>
      <dt>{t('guide.when')}</dt>
      <dd data-testid="guide-when">{t(g.when, params)}</dd>
    </dl>
  );
}
