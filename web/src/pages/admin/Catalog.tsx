import { useState } from 'react';
import { Link } from 'react-router-dom';
import { useI18n } from '../../i18n';
import { ApiError, call } from '../../lib/api';
import { allProcedures, forgetProcedures, procedureUrl, procName } from '../../lib/catalog';
import { findJsonError } from '../../lib/jsoncheck';
import { translate } from '../../i18n';
import type { ImportStats } from '../../lib/types';
import { useAsync } from '../../lib/useAsync';
import { Empty, ErrorBox, Loading } from '../../components/ui';
import { ProcedureEditor } from './ProcedureEditor';
import type { ProcedureDoc, Sector } from './ProcedureEditor';
import '../../i18n/vi-staff'; // the officers' words (this page's chunk)


/** The whole catalog as an importable document (GET /api/v1/procedures/export, admin). */
interface CatalogDocument {
  sectors?: unknown[];
  procedures: ({ code: string } & Record<string, unknown>)[];
}
// The document declares the export an open object (the catalog file format is not typed member by
// member): this is the part the page reads.
const exportCatalog = () => call('get', '/api/v1/procedures/export') as Promise<Record<string, unknown> & CatalogDocument>;

/** For text that is not JSON: where it breaks, in both languages (shown like a server error). */
function jsonProblem(text: string): { error: ApiError; offset: number } | null {
  const bad = findJsonError(text);
  if (!bad) return null;
  const say = (l: 'vi' | 'en') =>
    translate(l, 'admin.cat.json_error', { line: bad.line, column: bad.column, found: bad.found ? `“${bad.found}”` : translate(l, 'admin.cat.json_end') });
  return { error: new ApiError({ status: 400, code: 'client.json', messageVi: say('vi'), messageEn: say('en') }), offset: bad.offset };
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
  const [editing, setEditing] = useState<{ procedure: ProcedureDoc; sectors: Sector[] } | null>(null);

  /** Imports a document; the caller shows what went wrong (the editor, by each field). */
  async function importDocument(doc: string) {
    setError(null);
    setResult(null);
    setBusy(true);
    try {
      // The text as written, not a parsed copy: the server's problems then point into what the
      // administrator wrote (line:column).
      const r = await call('post', '/api/v1/procedures/import', { body: doc as unknown as Record<string, unknown> });
      setResult(r);
      forgetProcedures();
      s.reload();
    } finally {
      setBusy(false);
    }
  }
  async function importText(doc: string) {
    try {
      await importDocument(doc);
    } catch (e) {
      setError(e);
    }
  }
  async function exportAll() {
    setError(null);
    setBusy(true);
    try {
      const doc = await exportCatalog();
      download(`catalog-${new Date().toISOString().slice(0, 10)}.json`, JSON.stringify(doc, null, 2));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }
  async function edit(code: string) {
    setError(null);
    try {
      // The export's entry is exactly what the import takes back (the read API adds names).
      const doc = await exportCatalog();
      const p = doc.procedures.find((x) => x.code === code);
      if (!p) throw new ApiError({ status: 404, code: 'catalog.not_found', messageVi: translate('vi', 'admin.cat.not_in_export', { code }), messageEn: translate('en', 'admin.cat.not_in_export', { code }) });
      setEditing({ procedure: p as unknown as ProcedureDoc, sectors: (doc.sectors ?? []) as Sector[] });
      setTimeout(() => document.getElementById('cat-edit')?.focus(), 0);
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
                if (!f) return;
                const doc = await f.text();
                const bad = jsonProblem(doc);
                if (bad) {
                  setResult(null);
                  setError(bad.error);
                  return;
                }
                await importText(doc);
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
          <h2 id="cat-edit" tabIndex={-1}>{t('admin.cat.edit_title', { code: editing.procedure.code })}</h2>
          <p className="muted">{t('admin.proc.intro')}</p>
          <ProcedureEditor
            key={editing.procedure.code}
            initial={editing.procedure}
            sectors={editing.sectors}
            busy={busy}
            onCancel={() => setEditing(null)}
            onSave={async (p) => {
              // The sectors it names go with it: an import checks each reference in its document.
              const named = new Set([...JSON.stringify(p).matchAll(/"sector":"([^"]+)"/g)].map((m) => m[1]));
              await importDocument(JSON.stringify({ sectors: editing.sectors.filter((x) => named.has(x.code)), procedures: [p] }));
              setEditing(null);
            }}
          />
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
