// The signature check page (/kiem-tra-chu-ky): the shape of POST /api/v1/verify's answer and
// the pure logic around it (base64 in chunks, the verdict, the signing time, hints for errors).
import type { Key } from '../i18n';

/** The largest file the server takes (its kMaxDocument); bigger ones are refused here. */
export const MAX_VERIFY_BYTES = 50 * 1024 * 1024;

export interface VerifyProblem {
  code: string;
  message: string;
  message_en: string;
}

export interface SignatureReport {
  format?: string;
  valid: boolean;
  integrity_ok: boolean;
  chain_ok: boolean;
  revocation_checked: boolean;
  revoked: boolean;
  signer_name: string;
  signer_organization: string;
  signer_title: string;
  signer_subject: string;
  issuer_subject: string;
  certificate_serial: string;
  certificate_kind: 'organisation' | 'official' | '' | string;
  claimed_time: string | null;
  timestamp_time: string | null;
  problems: VerifyProblem[];
  notes: string[];
  notes_en: string[];
}

export interface VerifyResult {
  format: 'cms' | 'pades' | 'xmldsig' | string;
  valid: boolean;
  signatures: SignatureReport[];
}

// ---------------------------------------------------------------------------------------------
// Base64 in chunks

/**
 * Bytes per chunk: a multiple of 3, so each chunk's base64 has no padding and the chunks
 * can simply be joined; small enough for String.fromCharCode's argument limit.
 */
export const BASE64_CHUNK = 3 * 8 * 1024; // 24 KiB

function chunkToBase64(bytes: Uint8Array): string {
  let s = '';
  // fromCharCode.apply with at most 8 K arguments at a time (engines limit argument counts).
  for (let i = 0; i < bytes.length; i += 8192) {
    s += String.fromCharCode.apply(null, Array.from(bytes.subarray(i, i + 8192)));
  }
  return btoa(s);
}

/** The whole buffer as base64, encoded `chunk` bytes at a time (chunk rounded down to ×3). */
export function bytesToBase64(bytes: Uint8Array, chunk = BASE64_CHUNK): string {
  const step = Math.max(3, chunk - (chunk % 3));
  const parts: string[] = [];
  for (let i = 0; i < bytes.length; i += step) parts.push(chunkToBase64(bytes.subarray(i, i + step)));
  return parts.join('');
}

/**
 * The same, giving the page a chance to paint between slices of about `sliceBytes` (a 50 MB
 * file is ~2 000 chunks): `onProgress(done, total)` after each slice.
 */
export async function bytesToBase64Async(
  bytes: Uint8Array,
  onProgress?: (done: number, total: number) => void,
  sliceBytes = 1024 * 1024,
  signal?: AbortSignal,
): Promise<string> {
  const slice = Math.max(BASE64_CHUNK, sliceBytes - (sliceBytes % BASE64_CHUNK));
  const parts: string[] = [];
  for (let i = 0; i < bytes.length; i += slice) {
    if (signal?.aborted) throw new DOMException('aborted', 'AbortError');
    parts.push(bytesToBase64(bytes.subarray(i, i + slice)));
    onProgress?.(Math.min(i + slice, bytes.length), bytes.length);
    if (i + slice < bytes.length) await new Promise((r) => setTimeout(r, 0));
  }
  onProgress?.(bytes.length, bytes.length);
  return parts.join('');
}

/** Reads a file as an ArrayBuffer with FileReader, reporting progress. */
export function readFileBytes(
  file: Blob,
  onProgress?: (loaded: number, total: number) => void,
  signal?: AbortSignal,
): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onprogress = (e) => {
      if (e.lengthComputable) onProgress?.(e.loaded, e.total);
    };
    r.onload = () => {
      onProgress?.(file.size, file.size);
      resolve(new Uint8Array(r.result as ArrayBuffer));
    };
    r.onerror = () => reject(r.error ?? new Error('read failed'));
    r.onabort = () => reject(new DOMException('aborted', 'AbortError'));
    signal?.addEventListener('abort', () => r.abort());
    r.readAsArrayBuffer(file);
  });
}

/** The request body {"file": "…", "signature": "…"} as a Blob, without one giant string copy. */
export function verifyBody(fileB64: string, signatureB64?: string | null): Blob {
  const parts = ['{"file":"', fileB64, '"'];
  if (signatureB64) parts.push(',"signature":"', signatureB64, '"');
  parts.push('}');
  return new Blob(parts, { type: 'application/json' });
}

// ---------------------------------------------------------------------------------------------
// Files

/** Is this name a detached signature (.p7s; .p7m/.sig are accepted too)? */
export function isDetachedSignatureName(name: string): boolean {
  return /\.(p7s|p7m|sig)$/i.test(name.trim());
}

/**
 * Sorts dropped files into the signed file and the detached signature: a .p7s goes to the
 * signature, the first other file to the signed file. Files not used are returned too.
 */
export function sortDroppedFiles<T extends { name: string }>(files: T[]): { file?: T; signature?: T; unused: T[] } {
  let file: T | undefined;
  let signature: T | undefined;
  const unused: T[] = [];
  for (const f of files) {
    if (!signature && isDetachedSignatureName(f.name)) signature = f;
    else if (!file) file = f;
    else unused.push(f);
  }
  // A single dropped .p7s with nothing else: the user meant the signature.
  return { file, signature, unused };
}

export function tooLarge(size: number, max = MAX_VERIFY_BYTES): boolean {
  return size > max;
}

// ---------------------------------------------------------------------------------------------
// The verdict and the time

/** Valid only when the server says so and there is at least one signature. */
export function overallValid(r: VerifyResult): boolean {
  return r.valid === true && r.signatures.length > 0 && r.signatures.every((s) => s.valid);
}

export type TimeSource = 'timestamp' | 'claimed' | 'none';

/** When it was signed: the trusted time-stamp first, else the time the signer claimed. */
export function signingTime(s: Pick<SignatureReport, 'timestamp_time' | 'claimed_time'>): { iso: string | null; source: TimeSource } {
  if (s.timestamp_time) return { iso: s.timestamp_time, source: 'timestamp' };
  if (s.claimed_time) return { iso: s.claimed_time, source: 'claimed' };
  return { iso: null, source: 'none' };
}

/** Splits an RFC 4514 name ("CN=A\, B,O=C,C=VN") into its attributes, unescaped. */
export function parseDn(dn: string): { type: string; value: string }[] {
  const out: { type: string; value: string }[] = [];
  let cur = '';
  const flush = () => {
    const eq = cur.indexOf('=');
    if (eq > 0) out.push({ type: cur.slice(0, eq).trim().toUpperCase(), value: cur.slice(eq + 1).trim() });
    cur = '';
  };
  for (let i = 0; i < dn.length; i++) {
    const c = dn[i];
    if (c === '\\' && i + 1 < dn.length) {
      cur += dn[++i];
    } else if (c === ',' || c === '+') {
      flush();
    } else {
      cur += c;
    }
  }
  flush();
  return out;
}

/** The name to show for a certificate subject: its CN, with O when different; else the whole. */
export function displayName(dn: string): string {
  const attrs = parseDn(dn);
  const cn = attrs.find((a) => a.type === 'CN')?.value;
  const o = attrs.find((a) => a.type === 'O')?.value;
  if (cn && o && o !== cn && !cn.includes(o)) return `${cn} (${o})`;
  return cn || o || dn;
}

export function kindKey(kind: string): Key {
  if (kind === 'organisation') return 'verify.kind.organisation';
  if (kind === 'official') return 'verify.kind.official';
  return 'verify.kind.other';
}

export function formatKey(format: string): Key | null {
  if (format === 'cms') return 'verify.format.cms';
  if (format === 'pades') return 'verify.format.pades';
  if (format === 'xmldsig') return 'verify.format.xmldsig';
  return null;
}

/** The page's own hint for an error of the check (null: the general hint by HTTP status). */
export function verifyErrorHint(code: string, status: number): Key | null {
  if (code === 'signing.signature_required') return 'verify.hint.signature_required';
  if (code === 'signing.not_signed' || code.endsWith('.no_signature')) return 'verify.hint.not_signed';
  if (status === 413 || code.endsWith('too_large')) return 'verify.hint.too_large';
  if (code.startsWith('signing.') || code.startsWith('pdf.') || code.startsWith('xmlsig.')) return 'verify.hint.damaged';
  return null;
}
