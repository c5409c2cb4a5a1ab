// The e-form's answers as the server takes them, and a file's type by its name. The answers are
// checked by the server alone (POST /api/v1/dossiers/check, catalog ValidateForm): the page states
// no format of its own (lib/draft.ts).
import type { FormField } from './types';

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
