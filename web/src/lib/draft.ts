// The online submission's draft (Lưu nháp) and its checks, as pure functions the page and the
// Vitest tests share. A draft keeps the page's state as JSON on the server (POST /api/v1/drafts,
// POST /api/v1/drafts/{id}) and the files already chosen, so that a reload, a closed tab or an
// expired session loses nothing; submitting it (POST /api/v1/dossiers with `draft`) moves the
// files into the dossier without sending them again.
//
// The formats (CCCD, tax code, phone…) are checked by the server only (POST
// /api/v1/dossiers/check, the same code as the submission's), whose answer names each field:
// the page places each message, and never states a format rule of its own.
import type { Schema } from './api';
import type { ApplicantInput } from './applicant';

export type DraftView = Schema<'DraftView'>;
export type FieldProblem = Schema<'FieldProblem'>;

/** A chosen file; `draftFileId` once it is stored with the draft (never sent again). */
export interface DraftPickedFile {
  component: string;
  file: File;
  draftFileId?: number;
}

/** What the page keeps in a draft's `content`. */
export interface DraftState {
  applicant: ApplicantInput;
  onBehalf: boolean;
  locality: string;
  values: Record<string, unknown>;
}

export function draftContent(s: DraftState): Record<string, unknown> {
  return { applicant: s.applicant, on_behalf: s.onBehalf, locality_code: s.locality, form: s.values };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The page's state from a draft's content, over `base` (the fresh page's). A content written by
 * another version of the page may lack or mistype anything: what cannot be read is left as in
 * `base`, and values are kept only for the procedure's fields.
 */
export function restoreContent(content: unknown, base: DraftState, fieldNames: string[]): DraftState {
  if (!isObject(content)) return base;
  const out: DraftState = { ...base, applicant: { ...base.applicant }, values: { ...base.values } };
  if (typeof content.on_behalf === 'boolean') out.onBehalf = content.on_behalf;
  if (typeof content.locality_code === 'string') out.locality = content.locality_code;
  if (isObject(content.applicant)) {
    const a = content.applicant;
    // The account's own identity comes from the account, not from a draft.
    const keys: (keyof ApplicantInput)[] = out.onBehalf ? ['kind', 'name', 'id_number', 'phone', 'email', 'address', 'birth_date'] : ['phone', 'email', 'address', 'birth_date'];
    for (const k of keys) {
      const v = a[k];
      if (k === 'kind' ? v === 1 || v === 2 : typeof v === 'string') (out.applicant as unknown as Record<string, unknown>)[k] = v;
    }
  }
  if (isObject(content.form)) {
    for (const name of fieldNames) {
      const v = content.form[name];
      if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out.values[name] = v;
    }
  }
  return out;
}

/** What a save must send: the files not stored yet, and the stored ones the citizen removed. */
export function pendingFiles(files: DraftPickedFile[], stored: DraftView['files']): { added: DraftPickedFile[]; removed: number[] } {
  const kept = new Set(files.map((f) => f.draftFileId).filter((id): id is number => id !== undefined));
  return {
    added: files.filter((f) => f.draftFileId === undefined),
    removed: stored.map((f) => f.id).filter((id) => !kept.has(id)),
  };
}

/**
 * The page's files after a save answered with `saved`: each file sent gets the id of the stored
 * file of the same component, name and size that no other file has taken (the server may add
 * the extension a name lacked: "scan" → "scan.pdf").
 */
export function markSaved(files: DraftPickedFile[], sent: DraftPickedFile[], saved: DraftView['files']): DraftPickedFile[] {
  const taken = new Set(files.map((f) => f.draftFileId).filter((id): id is number => id !== undefined));
  return files.map((f) => {
    if (f.draftFileId !== undefined || !sent.includes(f)) return f;
    const match = saved.find((s) => !taken.has(s.id) && s.component === f.component && s.size === f.file.size && (s.name === f.file.name || s.name.startsWith(`${f.file.name}.`)));
    if (!match) return f;
    taken.add(match.id);
    return { ...f, draftFileId: match.id };
  });
}

/**
 * The server's problems as the page's error keys: "form.<name>" → the field's name,
 * "applicant.<x>" → "__applicant_<x>", "locality_code" → "__locality".
 */
export function problemErrors(problems: FieldProblem[], lang: 'vi' | 'en'): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of problems) {
    const key = p.field.startsWith('form.') ? p.field.slice(5) : p.field.startsWith('applicant.') ? `__applicant_${p.field.slice(10)}` : p.field === 'locality_code' ? '__locality' : p.field;
    if (!(key in out)) out[key] = lang === 'en' ? p.message_en : p.message_vi;
  }
  return out;
}

/** The element an error key is about (the target of its link in the error summary). */
export function errorTarget(key: string): string {
  if (key.startsWith('__applicant_')) return { name: 'ap-name', id_number: 'ap-id', birth_date: 'ap-birth', phone: 'ap-phone', email: 'ap-email' }[key.slice(12)] ?? 'ap-name';
  if (key === '__locality') return 'ap-locality';
  if (key === '__declaration') return 'declaration';
  if (key.startsWith('__file_')) return `file-${key.slice(7)}`;
  return `f-${key}`;
}

export interface SummaryItem {
  key: string;
  target: string;
  message: string;
}

/** The error summary's lines, in the order of the page (`order`: the keys as the page shows them). */
export function summaryItems(errors: Record<string, string>, order: string[]): SummaryItem[] {
  const rank = (k: string) => {
    const i = order.indexOf(k);
    return i < 0 ? order.length : i;
  };
  return Object.keys(errors)
    .sort((a, b) => rank(a) - rank(b))
    .map((key) => ({ key, target: errorTarget(key), message: errors[key] }));
}

/**
 * What the page holds and the server does not yet: kept in the tab (sessionStorage) on every
 * change, so that a session that ends between two saves (the autosave answered 401 and the app
 * went to the sign-in page) or a reload loses nothing typed. Files chosen since the last save
 * cannot be kept there: their names are, so the page can ask for them again.
 */
export interface Unsaved {
  user: number;
  code: string;
  draftId: number | null;
  content: Record<string, unknown>;
  files: string[];
}

const unsavedKey = (code: string) => `tinhso.unsaved.${code}`;

export function keepUnsaved(storage: Pick<Storage, 'setItem'>, u: Unsaved): void {
  try {
    storage.setItem(unsavedKey(u.code), JSON.stringify(u));
  } catch {
    /* storage full or blocked: the server's draft is what is left */
  }
}

export function forgetUnsaved(storage: Pick<Storage, 'removeItem'>, code: string): void {
  try {
    storage.removeItem(unsavedKey(code));
  } catch {
    /* ignore */
  }
}

/** The unsaved state of `code` kept for `user` (another account's is dropped), or null. */
export function takeUnsaved(storage: Pick<Storage, 'getItem' | 'removeItem'>, user: number, code: string): Unsaved | null {
  let u: unknown;
  try {
    u = JSON.parse(storage.getItem(unsavedKey(code)) ?? 'null');
  } catch {
    u = null;
  }
  if (!isObject(u) || u.code !== code || !isObject(u.content)) return null;
  if (u.user !== user) {
    forgetUnsaved(storage, code);
    return null;
  }
  return {
    user,
    code,
    draftId: typeof u.draftId === 'number' ? u.draftId : null,
    content: u.content,
    files: Array.isArray(u.files) ? u.files.filter((f): f is string => typeof f === 'string') : [],
  };
}

/** "10:42": a save's time as the status line shows it, in Vietnam time. */
export function savedTime(iso: string): string {
  return new Intl.DateTimeFormat('vi-VN', { hour: '2-digit', minute: '2-digit', hour12: false, timeZone: 'Asia/Ho_Chi_Minh' }).format(new Date(iso));
}
