import { useI18n } from '../i18n';
import type { FormField } from '../lib/types';
import { DateInput, Field } from './ui';

/** Renders the procedure's electronic form from the catalog's description. */
export function EForm({
  fields,
  values,
  errors,
  onChange,
}: {
  fields: FormField[];
  values: Record<string, unknown>;
  errors: Record<string, string>;
  onChange: (name: string, value: unknown) => void;
}) {
  const { lang, t } = useI18n();
  return (
    <div className="eform">
      {fields.map((f) => {
        const id = `f-${f.name}`;
        const label = lang === 'en' ? f.label_en || f.label_vi : f.label_vi;
        const err = errors[f.name];
        const describedBy = err ? `${id}-error` : undefined;
        const common = {
          id,
          name: f.name,
          'aria-invalid': err ? true : undefined,
          'aria-describedby': describedBy,
          'aria-required': f.required || undefined,
          'data-testid': `form-${f.name}`,
        } as const;
        const v = values[f.name];
        if (f.type === 'boolean') {
          return (
            <div key={f.name} className={`field field-check${err ? ' field-invalid' : ''}`}>
              {err && <p className="field-error" id={`${id}-error`}>{err}</p>}
              <input {...common} type="checkbox" checked={Boolean(v)} onChange={(e) => onChange(f.name, e.target.checked)} />
              <label htmlFor={id}>
                {label}
                {f.required && <span className="req" aria-hidden="true"> *</span>}
              </label>
            </div>
          );
        }
        let input;
        if (f.type === 'select') {
          input = (
            <select {...common} value={String(v ?? '')} onChange={(e) => onChange(f.name, e.target.value)}>
              <option value="">{t('form.choose')}</option>
              {(f.options ?? []).map((o) => (
                <option key={o} value={o}>
                  {o}
                </option>
              ))}
            </select>
          );
        } else if (f.type === 'date') {
          const { id: _id, 'aria-describedby': errId, ...rest } = common;
          void _id;
          input = (
            <DateInput
              {...rest}
              id={id}
              describedBy={[`${id}-hint`, errId].filter(Boolean).join(' ')}
              value={String(v ?? '')}
              onValue={(x) => onChange(f.name, x)}
            />
          );
        } else if (f.type === 'textarea') {
          input = <textarea {...common} rows={4} maxLength={f.max_length || 500} value={String(v ?? '')} onChange={(e) => onChange(f.name, e.target.value)} />;
        } else {
          const type =
            f.type === 'number' ? 'number' : f.type === 'email' ? 'email' : f.type === 'phone' ? 'tel' : 'text';
          const inputMode = f.type === 'cccd' || f.type === 'tax_code' ? 'numeric' : undefined;
          input = (
            <input
              {...common}
              type={type}
              inputMode={inputMode}
              min={f.min ?? undefined}
              max={f.max ?? undefined}
              maxLength={f.type === 'text' ? f.max_length || 500 : f.type === 'cccd' ? 12 : undefined}
              autoComplete={f.type === 'email' ? 'email' : f.type === 'phone' ? 'tel' : 'off'}
              value={String(v ?? '')}
              onChange={(e) => onChange(f.name, e.target.value)}
            />
          );
        }
        const hint = f.type === 'cccd' ? t('form.hint.cccd') : f.type === 'date' ? t('form.hint.date') : f.type === 'tax_code' ? t('form.hint.tax_code') : undefined;
        return (
          <Field key={f.name} id={id} label={label} required={f.required} error={err} hint={hint}>
            {input}
          </Field>
        );
      })}
    </div>
  );
}
