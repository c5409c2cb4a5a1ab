import { useMemo, useState } from 'react';
import type { FormEvent } from 'react';
import { useI18n } from '../../i18n';
import type { Key } from '../../i18n';
import { call } from '../../lib/api';
import type { Schema } from '../../lib/api';
import { formatDate, isoDateVN } from '../../lib/format';
import { fold } from '../../lib/text';
import type { Agency, Reorganisation } from '../../lib/types';
import { useAsync } from '../../lib/useAsync';
import { DateInput, Empty, ErrorBox, Field, Loading } from '../../components/ui';
import '../../i18n/vi-staff'; // the officers' words (this page's chunk)

function Tree({ nodes, byParent, selected, onSelect, lang }: { nodes: Agency[]; byParent: Map<number, Agency[]>; selected: number | null; onSelect: (a: Agency) => void; lang: string }) {
  return (
    <ul className="tree">
      {nodes.map((a) => (
        <li key={a.id}>
          <button type="button" className="linklike" aria-current={selected === a.id ? 'true' : undefined} onClick={() => onSelect(a)}>
            {lang === 'en' && a.name_en ? a.name_en : a.name}
          </button>{' '}
          <span className="code-tag">{a.code}</span>
          {byParent.get(a.id)?.length ? <Tree nodes={byParent.get(a.id)!} byParent={byParent} selected={selected} onSelect={onSelect} lang={lang} /> : null}
        </li>
      ))}
    </ul>
  );
}

export function AgenciesAdmin() {
  const { t, lang } = useI18n();
  const s = useAsync((signal) => call('get', '/api/v1/agencies', { query: { limit: 500 }, signal }), []);
  const [selected, setSelected] = useState<Agency | null>(null);
  const [filter, setFilter] = useState('');
  const [historyKey, setHistoryKey] = useState(0);
  const all = s.data?.items ?? [];
  const { roots, byParent } = useMemo(() => {
    const byParent = new Map<number, Agency[]>();
    const ids = new Set(all.map((a) => a.id));
    const roots: Agency[] = [];
    const f = fold(filter);
    for (const a of all) {
      if (f && !fold(`${a.name} ${a.name_en} ${a.code}`).includes(f)) continue;
      if (a.parent_id && ids.has(a.parent_id) && !f) {
        const l = byParent.get(a.parent_id) ?? [];
        l.push(a);
        byParent.set(a.parent_id, l);
      } else roots.push(a);
    }
    return { roots, byParent };
  }, [all, filter]);
  const name = (id: number) => {
    const a = all.find((x) => x.id === id);
    return a ? `${lang === 'en' && a.name_en ? a.name_en : a.name} (${a.code})` : `#${id}`;
  };
  return (
    <div className="two-col">
      <section className="card" aria-labelledby="ag-tree">
        <h2 id="ag-tree">{t('admin.ag.tree')}</h2>
        <div className="field">
          <label htmlFor="ag-filter">{t('admin.ag.filter')}</label>
          <input id="ag-filter" type="search" value={filter} onChange={(e) => setFilter(e.target.value)} />
        </div>
        {s.error ? <ErrorBox error={s.error} onRetry={s.reload} /> : s.loading ? <Loading /> : roots.length === 0 ? <Empty title={t('admin.ag.none')} /> : (
          <div className="tree-root"><Tree nodes={roots} byParent={byParent} selected={selected?.id ?? null} onSelect={setSelected} lang={lang} /></div>
        )}
        <p className="muted small">{t('admin.ag.count', { n: all.length })}</p>
      </section>
      <div>
        {selected ? (
          <section className="card" aria-labelledby="ag-detail">
            <h2 id="ag-detail">{lang === 'en' && selected.name_en ? selected.name_en : selected.name}</h2>
            <dl className="kv">
              <dt>{t('admin.ag.code')}</dt><dd>{selected.code}</dd>
              <dt>{t('admin.ag.code_qcvn')}</dt><dd>{selected.code_qcvn}{selected.code_confirmed ? '' : ` (${t('admin.ag.unconfirmed')})`}</dd>
              <dt>{t('admin.ag.kind')}</dt><dd>{selected.kind}</dd>
              <dt>{t('admin.ag.short')}</dt><dd>{selected.short_name || '—'}</dd>
              <dt>{t('admin.ag.parent')}</dt><dd>{selected.parent_id ? name(selected.parent_id) : '—'}</dd>
              <dt>{t('admin.ag.valid_from')}</dt><dd>{formatDate(selected.valid_from)}</dd>
            </dl>
            <h3 id="ag-own-history">{t('admin.ag.own_history')}</h3>
            <History agencyId={selected.id} labelledBy="ag-own-history" />
          </section>
        ) : (
          <Empty title={t('admin.ag.pick')} />
        )}
        <Reorganise agencies={all} name={name} onApplied={() => { s.reload(); setHistoryKey((k) => k + 1); }} />
      </div>
      <section className="card two-col-wide" aria-labelledby="ag-history">
        <h2 id="ag-history">{t('admin.ag.history')}</h2>
        <p className="muted">{t('admin.ag.history_intro')}</p>
        <History key={historyKey} labelledBy="ag-history" />
      </section>
    </div>
  );
}

/** Names as a list: "A, B và C" / "A, B and C". */
function listText(names: string[], and: string): string {
  return names.length <= 1 ? names.join('') : `${names.slice(0, -1).join(', ')} ${and} ${names[names.length - 1]}`;
}

/** One reorganisation as a sentence: which units merged or split into which. */
export function reorganisationText(r: Reorganisation, t: (k: Key, v?: Record<string, string | number>) => string): string {
  const of = (role: string) => r.agencies.filter((a) => a.role === role).map((a) => a.name);
  const sources = listText(of('source'), t('admin.ag.and'));
  const targets = listText([...of('target'), ...of('created')], t('admin.ag.and'));
  switch (r.kind) {
    case 'merge':
      return t('admin.ag.h_merge', { sources, target: targets });
    case 'split':
      return t('admin.ag.h_split', { source: sources, targets });
    case 'rename':
      return t('admin.ag.h_rename', { source: sources });
    default:
      return t('admin.ag.h_move', { source: sources, target: targets });
  }
}

/** The recorded reorganisations, newest first: all of them, or those one agency took part in. */
function History({ agencyId, labelledBy }: { agencyId?: number; labelledBy: string }) {
  const { t } = useI18n();
  const h = useAsync(
    (signal) => call('get', '/api/v1/agencies/reorganisations', { query: { limit: 500, ...(agencyId ? { agency_id: agencyId } : {}) }, signal }),
    [agencyId],
  );
  if (h.error) return <ErrorBox error={h.error} onRetry={h.reload} />;
  if (h.loading || !h.data) return <Loading />;
  if (h.data.items.length === 0) return <p className="muted">{t('admin.ag.no_history')}</p>;
  return (
    <ol className="history" aria-labelledby={labelledBy} data-testid={agencyId ? 'agency-history' : 'reorg-history'}>
      {h.data.items.map((r) => (
        <li key={r.id ?? `${r.effective_date}-${r.decision}`} data-testid="history-item">
          <div className="history-date"><time dateTime={r.effective_date}>{formatDate(r.effective_date)}</time> · {t(`admin.ag.kind_${r.kind}` as Key)}</div>
          <div className="history-what">{reorganisationText(r, t)}</div>
          {r.decision && <div className="muted small">{t('admin.ag.h_decision', { decision: r.decision })}{r.confirmed ? '' : ` (${t('admin.ag.unconfirmed')})`}</div>}
          {r.note && <div className="muted small">{r.note}</div>}
        </li>
      ))}
    </ol>
  );
}

function Reorganise({ agencies, name, onApplied }: { agencies: Agency[]; name: (id: number) => string; onApplied: () => void }) {
  const { t, lang } = useI18n();
  const [kind, setKind] = useState<'merge' | 'split'>('merge');
  const [sources, setSources] = useState<string[]>([]);
  const [target, setTarget] = useState('');
  const [source, setSource] = useState('');
  const [targets, setTargets] = useState<string[]>([]);
  const [date, setDate] = useState(isoDateVN());
  const [decision, setDecision] = useState('');
  const [preview, setPreview] = useState<Reorganisation | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState('');
  const [busy, setBusy] = useState(false);
  const opts = agencies.map((a) => (
    <option key={a.id} value={a.id}>
      {(lang === 'en' && a.name_en ? a.name_en : a.name) + ` (${a.code})`}
    </option>
  ));
  const body = (): Schema<'ReorganisationInput'> =>
    kind === 'merge'
      ? { kind, effective_date: date, decision, sources: sources.map(Number), target_id: Number(target) }
      : { kind, effective_date: date, decision, source_id: Number(source), targets: targets.map((id, i) => ({ agency_id: Number(id), primary: i === 0 })) };
  async function run(apply: boolean, e?: FormEvent) {
    e?.preventDefault();
    setError(null);
    setDone('');
    setBusy(true);
    try {
      const r = apply
        ? await call('post', '/api/v1/agencies/reorganisations', { body: body() })
        : await call('post', '/api/v1/agencies/reorganisations/preview', { body: body() });
      if (apply) {
        setDone(t('admin.ag.applied'));
        setPreview(null);
        onApplied();
      } else setPreview(r);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }
  const multi = (e: React.ChangeEvent<HTMLSelectElement>) => Array.from(e.target.selectedOptions).map((o) => o.value);
  return (
    <section className="card" aria-labelledby="ag-reorg">
      <h2 id="ag-reorg">{t('admin.ag.reorg')}</h2>
      <p className="muted">{t('admin.ag.reorg_intro')}</p>
      <form onSubmit={(e) => run(false, e)} noValidate>
        <fieldset className="field">
          <legend>{t('admin.ag.reorg_kind')}</legend>
          {(['merge', 'split'] as const).map((k) => (
            <label key={k} className="radio">
              <input type="radio" name="reorg-kind" checked={kind === k} onChange={() => { setKind(k); setPreview(null); }} />
              {t(`admin.ag.${k}` as Key)}
            </label>
          ))}
        </fieldset>
        {kind === 'merge' ? (
          <>
            <Field id="rg-sources" label={t('admin.ag.sources')} hint={t('admin.ag.multi_hint')} required>
              <select id="rg-sources" multiple size={6} value={sources} onChange={(e) => setSources(multi(e))} aria-describedby="rg-sources-hint">{opts}</select>
            </Field>
            <Field id="rg-target" label={t('admin.ag.target')} required>
              <select id="rg-target" value={target} onChange={(e) => setTarget(e.target.value)}><option value="">{t('form.choose')}</option>{opts}</select>
            </Field>
          </>
        ) : (
          <>
            <Field id="rg-source" label={t('admin.ag.source')} required>
              <select id="rg-source" value={source} onChange={(e) => setSource(e.target.value)}><option value="">{t('form.choose')}</option>{opts}</select>
            </Field>
            <Field id="rg-targets" label={t('admin.ag.targets')} hint={t('admin.ag.targets_hint')} required>
              <select id="rg-targets" multiple size={6} value={targets} onChange={(e) => setTargets(multi(e))} aria-describedby="rg-targets-hint">{opts}</select>
            </Field>
          </>
        )}
        <div className="grid2">
          <Field id="rg-date" label={t('admin.ag.effective')} required>
            <DateInput id="rg-date" value={date} onValue={setDate} />
          </Field>
          <Field id="rg-decision" label={t('admin.ag.decision')} required>
            <input id="rg-decision" value={decision} onChange={(e) => setDecision(e.target.value)} placeholder="123/QĐ-UBND" />
          </Field>
        </div>
        <ErrorBox error={error} />
        {done && <div className="alert alert-success" role="status">{done}</div>}
        <div className="form-actions">
          <button type="submit" className="btn" disabled={busy}>{t('admin.ag.preview')}</button>
        </div>
      </form>
      {preview && (
        <div className="alert alert-info" aria-live="polite" data-testid="reorg-preview">
          <p className="alert-title">{t('admin.ag.preview_title')}</p>
          <ul>
            {preview.agencies.map((a) => (
              <li key={`${a.agency_id}-${a.role}`}>{t('admin.ag.role_line', { name: `${a.name} (${a.code})`, role: a.role })}</li>
            ))}
            {preview.children.map((c) => (
              <li key={`c${c.agency_id}`}>{t('admin.ag.child_line', { code: c.code, from: name(c.from_parent_id), to: name(c.to_parent_id) })}</li>
            ))}
            {preview.moves.map((m, i) => (
              <li key={`m${i}`}>{t('admin.ag.move_line', { n: m.count, kind: m.kind, from: name(m.from_agency_id), to: name(m.to_agency_id) })}</li>
            ))}
            {preview.codes.map((c) => (
              <li key={`k${c.code}`}>{t('admin.ag.code_line', { code: c.code, to: name(c.resolves_to_id) })}</li>
            ))}
          </ul>
          {preview.moves.length === 0 && preview.children.length === 0 && <p>{t('admin.ag.nothing_moves')}</p>}
          <button type="button" className="btn btn-primary" onClick={() => run(true)} disabled={busy}>{t('admin.ag.apply')}</button>
        </div>
      )}
    </section>
  );
}
