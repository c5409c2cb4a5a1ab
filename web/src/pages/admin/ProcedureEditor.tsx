// The procedure editor: a form over one entry of the catalog document (GET
// /api/v1/procedures/export). Saving imports the entry again; the server checks it as it checks
// any import, and each problem it reports names its field ("fees[0].amount"), shown beside it.
// Members the form does not show (steps, results, legal basis…) go back as they came.
import { useState } from 'react';
import type { FormEvent, ReactNode } from 'react';
import { useI18n } from '../../i18n';
import type { Key } from '../../i18n';
import { ApiError } from '../../lib/api';
import '../../i18n/vi-staff'; // the officers' words (this page's chunk)

type Json = Record<string, unknown>;
interface Fee { code: string; name: string; kind: string; amount: unknown; note?: string }
interface Component { code: string; name: string; originals: unknown; certified: unknown; copies: unknown; required: boolean; file_types?: string[] }
interface FormField { name: string; label_vi: string; label_en: string; type: string; required: boolean; max_length?: unknown; options?: string[] }
export interface ProcedureDoc extends Json {
  code: string;
  name: string;
  name_en?: string;
  level: string;
  competent: { kind: string; sector?: string };
  processing_time: { value: unknown; unit: string };
  fees: Fee[];
  components: Component[];
  form: FormField[];
}
export interface Sector { code: string; name: string }

const FIELD_TYPES = ['text', 'textarea', 'date', 'number', 'select', 'boolean', 'cccd', 'tax_code', 'phone', 'email'];

/** The id of the input for a field path: "fees[0].amount" → "p-fees-0-amount". */
export function inputId(path: string): string {
  return `p-${path.replace(/[[\].]+/g, '-').replace(/-$/, '')}`;
}

/** A number typed in a box: a number when it reads as one, else the text (the server says why). */
function numberOrText(v: string): unknown {
  const n = Number(v.replace(',', '.'));
  return v.trim() !== '' && Number.isFinite(n) ? n : v;
}

/** What the server says about one field, without the "Procedure X, field y:" it starts with. */
function fieldMessage(message: string): string {
  const colon = message.indexOf(': ');
  return colon >= 0 ? message.slice(colon + 2) : message;
}

export function ProcedureEditor({ initial, sectors, busy, onSave, onCancel }: { initial: ProcedureDoc; sectors: Sector[]; busy: boolean; onSave: (p: ProcedureDoc) => Promise<unknown>; onCancel: () => void }) {
  const { t, lang } = useI18n();
  const [p, setP] = useState<ProcedureDoc>(() => structuredClone(initial));
  const [error, setError] = useState<ApiError | null>(null);
  const set = (patch: Partial<ProcedureDoc>) => setP((old) => ({ ...old, ...patch }));
  const setIn = <K extends 'fees' | 'components' | 'form'>(list: K, i: number, patch: Partial<ProcedureDoc[K][number]>) =>
    setP((old) => ({ ...old, [list]: (old[list] as unknown as Json[]).map((x, j) => (j === i ? { ...x, ...patch } : x)) }));
  const remove = (list: 'fees' | 'components' | 'form', i: number) => setP((old) => ({ ...old, [list]: (old[list] as unknown as Json[]).filter((_, j) => j !== i) }));

  // The server's problems by field; those of fields the form does not show stay in the summary.
  const problems = (error?.problems ?? []).map((x) => ({ field: (x as { field?: string }).field ?? '$', text: lang === 'en' ? x.message_en || x.message : x.message }));
  const errorOf = (path: string) => {
    const found = problems.filter((x) => x.field === path);
    return found.length ? found.map((x) => fieldMessage(x.text)).join(' ') : undefined;
  };

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    try {
      await onSave(p);
    } catch (err) {
      if (err instanceof ApiError) {
        setError(err);
        // The summary first, as GOV.UK does: it links to each field.
        setTimeout(() => document.getElementById('proc-errors')?.focus(), 0);
      } else throw err;
    }
  }

  /** One labelled input with its problem above it (where a phone's keyboard does not hide it). */
  const field = (path: string, labelKey: Key, input: (id: string, invalid: boolean) => ReactNode, hint?: string) => {
    const id = inputId(path);
    const err = errorOf(path);
    return (
      <div className={`field${err ? ' field-invalid' : ''}`}>
        <label htmlFor={id}>{t(labelKey)}</label>
        {hint ? <p className="field-hint" id={`${id}-hint`}>{hint}</p> : null}
        {err ? <p className="field-error" id={`${id}-error`}>{err}</p> : null}
        {input(id, Boolean(err))}
      </div>
    );
  };
  const described = (id: string, invalid: boolean, hint = false) => ({
    id,
    'aria-invalid': invalid || undefined,
    'aria-describedby': [hint ? `${id}-hint` : '', invalid ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined,
  });
  const text = (path: string, labelKey: Key, value: string, onChange: (v: string) => void, hint?: string) =>
    field(path, labelKey, (id, bad) => <input type="text" {...described(id, bad, Boolean(hint))} value={value} onChange={(e) => onChange(e.target.value)} />, hint);
  const number = (path: string, labelKey: Key, value: unknown, onChange: (v: unknown) => void) =>
    field(path, labelKey, (id, bad) => <input type="text" inputMode="decimal" className="input-short" {...described(id, bad)} value={String(value ?? '')} onChange={(e) => onChange(numberOrText(e.target.value))} />);
  const select = (path: string, labelKey: Key, value: string, options: [string, string][], onChange: (v: string) => void) =>
    field(path, labelKey, (id, bad) => (
      <select {...described(id, bad)} value={value} onChange={(e) => onChange(e.target.value)}>
        {options.map(([v, l]) => <option key={v} value={v}>{l}</option>)}
      </select>
    ));
  const check = (path: string, labelKey: Key, value: boolean, onChange: (v: boolean) => void) => {
    const id = inputId(path);
    return (
      <div className="field field-check">
        <input type="checkbox" id={id} checked={value} onChange={(e) => onChange(e.target.checked)} />
        <label htmlFor={id}>{t(labelKey)}</label>
      </div>
    );
  };
  const shown = new Set<string>();
  const mark = (path: string) => { shown.add(path); return path; };

  const body = (
    <>
      <fieldset>
        <legend>{t('admin.proc.general')}</legend>
        <div className="field">
          <span className="field-label">{t('proc.code')}</span> <strong className="code-tag">{p.code}</strong>
        </div>
        {text(mark('name'), 'admin.proc.name', p.name, (v) => set({ name: v }))}
        {text(mark('name_en'), 'admin.proc.name_en', p.name_en ?? '', (v) => set({ name_en: v }))}
        {select(mark('level'), 'admin.proc.level', p.level, [['commune', t('admin.proc.level.commune')], ['province', t('admin.proc.level.province')]], (v) => set({ level: v }))}
        {select(mark('competent.kind'), 'admin.proc.agency', p.competent.kind, [['commune', t('admin.proc.agency.commune')], ['department', t('admin.proc.agency.department')], ['province_pc', t('admin.proc.agency.province_pc')]], (v) => set({ competent: { ...p.competent, kind: v } }))}
        {p.competent.kind === 'department' &&
          select(mark('competent.sector'), 'admin.proc.sector', p.competent.sector ?? '', [['', t('admin.proc.sector_of_field')], ...sectors.map((s): [string, string] => [s.code, s.name])], (v) => set({ competent: v ? { ...p.competent, sector: v } : { kind: p.competent.kind } }))}
        <div className="field-row">
          {number(mark('processing_time.value'), 'admin.proc.deadline', p.processing_time.value, (v) => set({ processing_time: { ...p.processing_time, value: v } }))}
          {select(mark('processing_time.unit'), 'admin.proc.unit', p.processing_time.unit, [['working_days', t('admin.proc.unit.working_days')], ['days', t('admin.proc.unit.days')], ['hours', t('admin.proc.unit.hours')]], (v) => set({ processing_time: { ...p.processing_time, unit: v } }))}
        </div>
      </fieldset>

      <fieldset>
        <legend>{t('admin.proc.fees')}</legend>
        {p.fees.length === 0 && <p className="muted">{t('admin.proc.no_fees')}</p>}
        {p.fees.map((f, i) => (
          <div className="editor-row" key={i} data-testid="fee-row">
            {text(mark(`fees[${i}].name`), 'admin.proc.fee_name', f.name, (v) => setIn('fees', i, { name: v }))}
            {select(mark(`fees[${i}].kind`), 'admin.proc.fee_kind', f.kind, [['le_phi', t('admin.proc.fee_kind.le_phi')], ['phi', t('admin.proc.fee_kind.phi')]], (v) => setIn('fees', i, { kind: v }))}
            {number(mark(`fees[${i}].amount`), 'admin.proc.amount', f.amount, (v) => setIn('fees', i, { amount: v }))}
            <button type="button" className="btn btn-small" onClick={() => remove('fees', i)} aria-label={t('admin.proc.remove_named', { name: f.name || f.code })}>{t('admin.proc.remove')}</button>
          </div>
        ))}
        <button type="button" className="btn btn-small" onClick={() => set({ fees: [...p.fees, { code: `P${p.fees.length + 1}`, name: '', kind: 'le_phi', amount: 0 }] })}>{t('admin.proc.add_fee')}</button>
      </fieldset>

      <fieldset>
        <legend>{t('admin.proc.components')}</legend>
        {p.components.map((c, i) => (
          <div className="editor-row" key={i} data-testid="component-row">
            {text(mark(`components[${i}].code`), 'admin.proc.component_code', c.code, (v) => setIn('components', i, { code: v }))}
            {text(mark(`components[${i}].name`), 'admin.proc.component_name', c.name, (v) => setIn('components', i, { name: v }))}
            {number(mark(`components[${i}].originals`), 'admin.proc.originals', c.originals, (v) => setIn('components', i, { originals: v }))}
            {number(mark(`components[${i}].certified`), 'admin.proc.certified', c.certified, (v) => setIn('components', i, { certified: v }))}
            {number(mark(`components[${i}].copies`), 'admin.proc.copies', c.copies, (v) => setIn('components', i, { copies: v }))}
            {check(mark(`components[${i}].required`), 'admin.proc.required', c.required, (v) => setIn('components', i, { required: v }))}
            <button type="button" className="btn btn-small" onClick={() => remove('components', i)} aria-label={t('admin.proc.remove_named', { name: c.name || c.code })}>{t('admin.proc.remove')}</button>
          </div>
        ))}
        <button type="button" className="btn btn-small" onClick={() => set({ components: [...p.components, { code: `TP${p.components.length + 1}`, name: '', originals: 1, certified: 0, copies: 0, required: true }] })}>{t('admin.proc.add_component')}</button>
      </fieldset>

      <fieldset>
        <legend>{t('admin.proc.form')}</legend>
        {p.form.map((f, i) => (
          <div className="editor-row" key={i} data-testid="form-field-row">
            {text(mark(`form[${i}].name`), 'admin.proc.field_name', f.name, (v) => setIn('form', i, { name: v }), t('admin.proc.field_name_hint'))}
            {text(mark(`form[${i}].label_vi`), 'admin.proc.label_vi', f.label_vi, (v) => setIn('form', i, { label_vi: v }))}
            {text(mark(`form[${i}].label_en`), 'admin.proc.label_en', f.label_en, (v) => setIn('form', i, { label_en: v }))}
            {select(mark(`form[${i}].type`), 'admin.proc.field_type', f.type, FIELD_TYPES.map((x): [string, string] => [x, t(`admin.proc.type.${x}` as Key)]), (v) => setIn('form', i, { type: v }))}
            {check(mark(`form[${i}].required`), 'admin.proc.required', f.required, (v) => setIn('form', i, { required: v }))}
            <button type="button" className="btn btn-small" onClick={() => remove('form', i)} aria-label={t('admin.proc.remove_named', { name: f.label_vi || f.name })}>{t('admin.proc.remove')}</button>
          </div>
        ))}
        <button type="button" className="btn btn-small" onClick={() => set({ form: [...p.form, { name: '', label_vi: '', label_en: '', type: 'text', required: false }] })}>{t('admin.proc.add_field')}</button>
      </fieldset>
    </>
  );

  return (
    <form onSubmit={submit} noValidate data-testid="procedure-editor">
      {error && (
        <div className="error-summary" id="proc-errors" tabIndex={-1} role="alert" data-testid="error-summary">
          <h3>{lang === 'en' ? error.messageEn || error.messageVi : error.messageVi}</h3>
          <ul>
            {(problems.length ? problems : [{ field: '$', text: lang === 'en' ? error.messageEn : error.messageVi }]).map((x, i) => (
              <li key={i}>{shown.has(x.field) ? <a href={`#${inputId(x.field)}`} onClick={(e) => { e.preventDefault(); document.getElementById(inputId(x.field))?.focus(); }}>{x.text}</a> : x.text}</li>
            ))}
          </ul>
        </div>
      )}
      {body}
      <div className="form-actions">
        <button type="button" className="btn" onClick={onCancel}>{t('common.cancel')}</button>
        <button type="submit" className="btn btn-primary" disabled={busy} data-testid="procedure-save">{t('admin.cat.save')}</button>
      </div>
    </form>
  );
}
