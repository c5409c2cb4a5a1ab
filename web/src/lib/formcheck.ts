// Client-side checks of the procedure's e-form (the server checks again: catalog ValidateForm).
import type { FormField } from './types';

export type FieldProblem =
  | { key: 'required' }
  | { key: 'too_long'; max: number }
  | { key: 'cccd' }
  | { key: 'tax_code' }
  | { key: 'phone' }
  | { key: 'email' }
  | { key: 'number' }
  | { key: 'min'; min: number }
  | { key: 'max'; max: number }
  | { key: 'date' }
  | { key: 'option' };

export function checkField(f: FormField, value: unknown): FieldProblem | null {
  const empty = value === undefined || value === null || value === '' || (f.type === 'boolean' && value === false && f.required);
  if (empty) return f.required ? { key: 'required' } : null;
  const s = String(value).trim();
  switch (f.type) {
    case 'text':
    case 'textarea': {
      const max = f.max_length || 500;
      return [...s].length > max ? { key: 'too_long', max } : null;
    }
    case 'cccd':
      return /^\d{12}$/.test(s) ? null : { key: 'cccd' };
    case 'tax_code':
      return /^\d{10}(-\d{3})?$/.test(s) ? null : { key: 'tax_code' };
    case 'phone':
      return /^(\+84|0)\d{9,10}$/.test(s.replace(/[\s.]/g, '')) ? null : { key: 'phone' };
    case 'email':
      return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(s) ? null : { key: 'email' };
    case 'number': {
      const n = Number(s);
      if (!Number.isFinite(n)) return { key: 'number' };
      if (f.min != null && n < f.min) return { key: 'min', min: f.min };
      if (f.max != null && n > f.max) return { key: 'max', max: f.max };
      return null;
    }
    case 'date':
      return /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(s)) ? null : { key: 'date' };
    case 'select':
      return f.options && !f.options.includes(s) ? { key: 'option' } : null;
    default:
      return null;
  }
}

/** The form answers as the server expects them: numbers as numbers, booleans as booleans. */
export function formPayload(fields: FormField[], values: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) {
    const v = values[f.name];
    if (f.type === 'boolean') {
      if (v !== undefined) out[f.name] = Boolean(v);
      continue;
    }
    if (v === undefined || v === null || v === '') continue;
    out[f.name] = f.type === 'number' ? Number(v) : String(v).trim();
  }
  return out;
}

/** The file's extension-based type, to warn before upload (the server checks the content). */
export function fileTypeOf(name: string): string {
  const ext = name.toLowerCase().split('.').pop() ?? '';
  return ext === 'jpeg' ? 'jpg' : ext;
}
