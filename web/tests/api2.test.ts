import { describe, expect, it } from 'vitest';
import { isQueueKey, queueCounts, queueSort, QUEUE_KEYS } from '../src/lib/queues';
import { compareBy, mergePage, parseStatusList } from '../src/lib/listing';
import { drillUrl } from '../src/lib/drill';
import { competentKey, competentName, competentOptions } from '../src/lib/catalog';
import { allowedActions, answerableConsultations } from '../src/lib/actions';
import { canListUsers } from '../src/lib/roles';
import type { Dossier, DossierEvent, User } from '../src/lib/types';

const user = (over: Partial<User>): User => ({
  id: 1, login: 'u', kind: 'officer', full_name: 'U', email: '', phone: '', agency_id: 10, position: '', roles: ['officer'], disabled: false, ...over,
});
const dossier = (over: Partial<Dossier>): Dossier =>
  ({ id: 1, code: 'X', status: 4, due_at: null, submitted_at: '2026-01-01T00:00:00Z', received_at: null, updated_at: '', receiving_agency_id: 10, competent_agency_id: 10, current_agency_id: 10, step_index: 1, fee_total: 0, apology_issued: false, ...over }) as Dossier;
const ev = (over: Partial<DossierEvent>): DossierEvent => ({
  seq: 1, at: '2026-01-01T00:00:00Z', action: 'x', agency_name: '', content: '', status: 4, status_name: '', status_name_en: '',
  actor_id: 0, actor_name: '', actor_position: '', agency_id: 10, step_code: '', step_started_at: null, step_due_at: null, items: [], ...over,
});

describe('queues', () => {
  it('reads the server counts, every queue present', () => {
    const c = queueCounts({ queues: [{ key: 'approve', count: 23 }, { key: 'overdue', count: 3 }, { key: 'future', count: 9 }] });
    expect(Object.keys(c).sort()).toEqual([...QUEUE_KEYS].sort());
    expect(c.approve).toBe(23);
    expect(c.overdue).toBe(3);
    expect(c.receive).toBe(0);
    expect(queueCounts(null).processing).toBe(0);
  });
  it('knows its keys and sorts', () => {
    expect(isQueueKey('due_soon')).toBe(true);
    expect(isQueueKey('bogus')).toBe(false);
    expect(isQueueKey(null)).toBe(false);
    expect(queueSort('receive')).toBe('submitted_at');
    expect(queueSort('overdue')).toBe('due_at');
  });
});

describe('multi-status lists', () => {
  it('parses status lists', () => {
    expect(parseStatusList('2,4,5,6')).toEqual([2, 4, 5, 6]);
    expect(parseStatusList('4')).toEqual([4]);
    expect(parseStatusList('4,4')).toEqual([4]);
    expect(parseStatusList('0,4')).toBeNull();
    expect(parseStatusList('11')).toBeNull();
    expect(parseStatusList('a')).toBeNull();
    expect(parseStatusList('')).toBeNull();
  });
  it('merges sorted lists into one page, empty deadlines last', () => {
    const a = [dossier({ id: 1, due_at: '2026-01-02' }), dossier({ id: 2, due_at: '2026-01-05' })];
    const b = [dossier({ id: 3, due_at: '2026-01-01' }), dossier({ id: 4, due_at: null })];
    expect(mergePage([a, b], 'due_at', 0, 3).map((d) => d.id)).toEqual([3, 1, 2]);
    expect(mergePage([a, b], 'due_at', 2, 3).map((d) => d.id)).toEqual([2, 4]);
    expect([...a, ...b].sort(compareBy('-due_at')).map((d) => d.id)).toEqual([2, 1, 3, 4]);
  });
});

describe('dashboard drill-down', () => {
  it('filters by competent agency and what the number counts', () => {
    const q = (u: string) => Object.fromEntries(new URL(u, 'http://x').searchParams);
    expect(q(drillUrl('received', '2026-01-01', '2026-11-25', '146'))).toEqual({ received_from: '2026-01-01', received_to: '2026-11-25', competent_agency_id: '146' });
    expect(q(drillUrl('late', '2026-01-01', '2026-02-01')).outcome).toBe('late');
    expect(q(drillUrl('on_time', '2026-01-01', '2026-02-01')).outcome).toBe('on_time');
    expect(q(drillUrl('online', '2026-01-01', '2026-02-01')).channel).toBe('online');
    expect(q(drillUrl('overdue', '2026-01-01', '2026-02-01')).overdue).toBe('true');
    expect(q(drillUrl('in_progress', '2026-01-01', '2026-02-01')).status).toBe('2,4,5,6');
    expect(drillUrl('received', '2026-01-01', '2026-02-01')).not.toContain('agency_id');
  });
});

describe('competent agency', () => {
  const vh = { kind: 'department', sector: 'van_hoa', name: 'Sở Văn hóa, Thể thao và Du lịch', name_en: 'Sở Văn hóa, Thể thao và Du lịch' };
  const xa = { kind: 'commune', sector: '', name: 'Ủy ban nhân dân cấp xã', name_en: "Commune People's Committee" };
  it('keys, names and options', () => {
    expect(competentKey(vh)).toBe('department:van_hoa');
    expect(competentKey(xa)).toBe('commune:');
    expect(competentKey(undefined)).toBe('');
    expect(competentName(xa, 'en')).toBe("Commune People's Committee");
    expect(competentName({ kind: 'department', sector: 'y_te', name: 'Sở Y tế' }, 'en')).toBe('Sở Y tế');
    const opts = competentOptions([{ competent: xa }, { competent: vh }, { competent: xa }, { competent: { kind: 'department', sector: 'x' } }], 'vi');
    expect(opts.map((o) => o.key)).toEqual(['department:van_hoa', 'commune:']);
  });
});

describe('officer actions', () => {
  it('offers assign only to roles that may list accounts', () => {
    const d = dossier({ status: 4 });
    expect(canListUsers(user({ roles: ['officer'] }))).toBe(false);
    expect(allowedActions(d, user({ roles: ['officer'] }), undefined)).not.toContain('assign');
    expect(allowedActions(d, user({ roles: ['leader'] }), undefined)).toContain('assign');
  });
  it('offers open consultations to the consulted agency only', () => {
    const ask1 = ev({ seq: 5, action: 'consult', consultation_id: 7, consulted_agency_id: 20 });
    const ask2 = ev({ seq: 8, action: 'consult', consultation_id: 9, consulted_agency_id: 20 });
    const other = ev({ seq: 6, action: 'consult', consultation_id: 8, consulted_agency_id: 30 });
    const me = user({ agency_id: 20, roles: ['officer'] });
    expect(answerableConsultations([ask1, other], me)).toEqual([ask1]);
    expect(answerableConsultations([ask1], user({ agency_id: 20, roles: ['reception'] }))).toEqual([]);
    expect(answerableConsultations([ask1], null)).toEqual([]);
    // An answer event without its consultation id: one answer closes one of the two.
    const answer = ev({ seq: 7, action: 'answer_consultation', agency_id: 20 });
    expect(answerableConsultations([ask1, answer], me)).toEqual([]);
    expect(answerableConsultations([ask1, answer, ask2], me)).toEqual([ask1, ask2]);
    // When answers name their consultation, exactly those are closed.
    const named = ev({ seq: 9, action: 'answer_consultation', agency_id: 20, consultation_id: 9 });
    expect(answerableConsultations([ask1, ask2, named], me)).toEqual([ask1]);
  });
});

describe('lazy English dictionary', () => {
  it('is loaded on demand and then used', async () => {
    const i18n = await import('../src/i18n');
    expect(i18n.translate('en', 'nav.login')).toBe(i18n.translate('vi', 'nav.login'));
    await i18n.loadLanguage('en');
    expect(i18n.translate('en', 'nav.login')).toBe('Sign in');
  });
});
