import { useState } from 'react';
import { Link } from 'react-router-dom';
import { useI18n } from '../../i18n';
import { api } from '../../lib/api';
import { allProcedures, forgetProcedures, procedureDetail, procedureUrl, procName } from '../../lib/catalog';
import type { Procedure } from '../../lib/types';
import { useAsync } from '../../lib/useAsync';
import { Empty, ErrorBox, Field, Loading } from '../../components/ui';

interface ImportStats {
  created: number;
  updated: number;
  unchanged: number;
  sectors: number;
}

/** A procedure as the import document expects it (the read API adds computed fields). */
function forImport(p: Procedure): Record<string, unknown> {
  const { total_fee: _fee, version: _v, updated_at: _u, ...rest } = p as Procedure & Record<string, unknown>;
  void _fee; void _v; void _u;
  return rest;
}

function download(name: string, text: string) {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

export function CatalogAdmin() {
  const { t, lang } = useI18n();
  const s = useAsync(() => allProcedures(), []);
  const [error, setError] = useState<unknown>(null);
  const [result, setResult] = useState<ImportStats | null>(null);
  const [busy, setBusy] = useState(false);
  const [editing, setEditing] = useState<string | null>(null);
  const [text, setText] = useState('');

  async function importText(doc: string) {
    setError(null);
    setResult(null);
    setBusy(true);
    try {
      const r = await api<ImportStats>('/api/v1/procedures/import', { method: 'POST', body: doc });
      setResult(r);
      forgetProcedures();
      s.reload();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }
  async function exportAll() {
    setError(null);
    setBusy(true);
    try {
      const list = await allProcedures();
      const procedures = await Promise.all(list.map((p) => procedureDetail(p.code).then(forImport)));
      download(`catalog-${new Date().toISOString().slice(0, 10)}.json`, JSON.stringify({ procedures }, null, 2));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }
  async function edit(code: string) {
    setError(null);
    try {
      const p = await procedureDetail(code);
      setText(JSON.stringify(forImport(p), null, 2));
      setEditing(code);
      setTimeout(() => document.getElementById('cat-json')?.focus(), 0);
    } catch (e) {
      setError(e);
    }
  }
  return (
    <>
      <section className="card" aria-labelledby="cat-io">
        <h2 id="cat-io">{t('admin.cat.io')}</h2>
        <p className="muted">{t('admin.cat.io_intro')}</p>
        <div className="form-actions">
          <button type="button" className="btn" onClick={exportAll} disabled={busy} data-testid="catalog-export">{t('admin.cat.export')}</button>
          <div className="field">
            <label htmlFor="cat-file">{t('admin.cat.import_file')}</label>
            <input
              id="cat-file"
              type="file"
              accept=".json,application/json"
              disabled={busy}
              onChange={async (e) => {
                const f = e.target.files?.[0];
                e.target.value = '';
                if (f) await importText(await f.text());
              }}
            />
          </div>
        </div>
        {busy && <Loading label={t('common.working')} />}
        <ErrorBox error={error} title={t('admin.cat.failed')} />
        {result && (
          <div className="alert alert-success" role="status">
            {t('admin.cat.result', { created: result.created, updated: result.updated, unchanged: result.unchanged, sectors: result.sectors })}
          </div>
        )}
      </section>
      {editing && (
        <section className="card" aria-labelledby="cat-edit">
          <h2 id="cat-edit">{t('admin.cat.edit_title', { code: editing })}</h2>
          <Field id="cat-json" label={t('admin.cat.json')} hint={t('admin.cat.json_hint')} required>
            <textarea id="cat-json" className="code" value={text} onChange={(e) => setText(e.target.value)} spellCheck={false} aria-describedby="cat-json-hint" />
          </Field>
          <div className="form-actions">
            <button type="button" className="btn" onClick={() => setEditing(null)}>{t('common.cancel')}</button>
            <button
              type="button"
              className="btn btn-primary"
              disabled={busy}
              onClick={() => {
                let parsed: unknown;
                try {
                  parsed = JSON.parse(text);
                } catch {
                  setError(new Error('json'));
                  return;
                }
                void importText(JSON.stringify({ procedures: [parsed] }));
              }}
            >
              {t('admin.cat.save')}
            </button>
          </div>
        </section>
      )}
      <section className="card" aria-labelledby="cat-list">
        <h2 id="cat-list">{t('admin.cat.list', { n: s.data?.length ?? 0 })}</h2>
        {s.error ? <ErrorBox error={s.error} onRetry={s.reload} /> : s.loading ? <Loading /> : !s.data?.length ? <Empty title={t('admin.cat.none')} /> : (
          <div className="table-wrap" tabIndex={0}>
            <table>
              <caption className="sr-only">{t('admin.catalog')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('proc.code')}</th>
                  <th scope="col">{t('proc.name')}</th>
                  <th scope="col">{t('proc.field')}</th>
                  <th scope="col" className="num">{t('admin.cat.version')}</th>
                  <th scope="col"><span className="sr-only">{t('files.actions')}</span></th>
                </tr>
              </thead>
              <tbody>
                {s.data.map((p) => (
                  <tr key={p.code}>
                    <td className="nowrap">{p.code}</td>
                    <td><Link to={procedureUrl(p.code)}>{procName(p, lang)}</Link></td>
                    <td>{p.field.name}</td>
                    <td className="num">{p.version}</td>
                    <td><button type="button" className="btn btn-small" onClick={() => edit(p.code)} aria-label={t('admin.cat.edit_named', { code: p.code })}>{t('admin.cat.edit')}</button></td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}
