// The signature check page (/kiem-tra-chu-ky): the shape of POST /api/v1/verify's answer and
// the pure logic around it (the request, the verdict, the signing time, hints for errors).
import type { Key } from '../i18n';
import type { Schema } from './api';
import { MAX_FILE_BYTES } from './submission';

/** The largest file (and signature) the server checks: its max_file_mb, 10 MB by default. */
export const MAX_VERIFY_BYTES = MAX_FILE_BYTES;

export type VerifyProblem = Schema<'VerifyProblem'>;
/** One signature: who, as what (certificate_kind "organisation", "official" or ""), when, and why not valid. */
export type SignatureReport = Schema<'SignatureReportView'>;
/** POST /api/v1/verify's answer (format "cms", "pades" or "xmldsig"). */
export type VerifyResult = Schema<'VerificationView'>;

// ---------------------------------------------------------------------------------------------
// The request

/** POST /api/v1/verify as multipart/form-data: the part `file`, and `signature` if detached. */
export function verifyForm(file: File, signature?: File | null): FormData {
  const form = new FormData();
  form.append('file', file, file.name);
  if (signature) form.append('signature', signature, signature.name);
  return form;
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
