import { describe, expect, it } from 'vitest';
import {
  displayName,
  kindKey,
  overallValid,
  parseDn,
  signingTime,
  sortDroppedFiles,
  tooLarge,
  verifyErrorHint,
  verifyForm,
  MAX_VERIFY_BYTES,
} from '../src/lib/verify';
import type { SignatureReport, VerifyResult } from '../src/lib/verify';
import { formatDateTime } from '../src/lib/format';

describe('the request', () => {
  it('sends the file and its detached signature as multipart parts', async () => {
    const file = new File(['%PDF-1.7 …'], 'công văn.pdf', { type: 'application/pdf' });
    const sig = new File([new Uint8Array([0x30, 0x82])], 'công văn.pdf.p7s');
    const form = verifyForm(file, sig);
    expect([...form.keys()]).toEqual(['file', 'signature']);
    const sent = form.get('file') as File;
    expect(sent.name).toBe('công văn.pdf');
    expect(await sent.text()).toBe('%PDF-1.7 …');
    expect((form.get('signature') as File).size).toBe(2);
    expect([...verifyForm(file).keys()]).toEqual(['file']);
    expect([...verifyForm(file, null).keys()]).toEqual(['file']);
  });
});

describe('files', () => {
  it('sorts dropped files into the signed file and its .p7s', () => {
    const f = (name: string) => ({ name });
    expect(sortDroppedFiles([f('cong-van.pdf'), f('cong-van.pdf.p7s')])).toEqual({ file: f('cong-van.pdf'), signature: f('cong-van.pdf.p7s'), unused: [] });
    expect(sortDroppedFiles([f('A.P7S'), f('a.docx'), f('b.docx')])).toEqual({ file: f('a.docx'), signature: f('A.P7S'), unused: [f('b.docx')] });
    expect(sortDroppedFiles([f('only.p7s')]).file).toBeUndefined();
  });
  it('refuses files over 10 MB, the server limit', () => {
    expect(MAX_VERIFY_BYTES).toBe(10 * 1024 * 1024);
    expect(tooLarge(MAX_VERIFY_BYTES)).toBe(false);
    expect(tooLarge(MAX_VERIFY_BYTES + 1)).toBe(true);
  });
});

const sig = (over: Partial<SignatureReport> = {}): SignatureReport => ({
  format: 'pades',
  valid: true,
  integrity_ok: true,
  chain_ok: true,
  revocation_checked: true,
  revoked: false,
  signer_name: 'Sở Tư pháp',
  signer_organization: 'Sở Tư pháp',
  signer_title: '',
  signer_subject: 'CN=Sở Tư pháp,O=Sở Tư pháp,C=VN',
  issuer_subject: 'CN=Issuing CA,O=UBND,C=VN',
  certificate_serial: '01',
  certificate_kind: 'organisation',
  claimed_time: '2026-11-23T18:30:00Z',
  timestamp_time: null,
  problems: [],
  notes: [],
  notes_en: [],
  ...over,
});

describe('verdict and time', () => {
  it('is valid only with signatures that are all valid', () => {
    const r = (valid: boolean, signatures: SignatureReport[]): VerifyResult => ({ format: 'cms', valid, signatures });
    expect(overallValid(r(true, [sig()]))).toBe(true);
    expect(overallValid(r(true, []))).toBe(false);
    expect(overallValid(r(false, [sig()]))).toBe(false);
    expect(overallValid(r(true, [sig(), sig({ valid: false })]))).toBe(false);
  });
  it('prefers the trusted time-stamp to the claimed time, in Vietnam time', () => {
    const ts = signingTime(sig({ timestamp_time: '2026-11-24T01:49:51Z' }));
    expect(ts).toEqual({ iso: '2026-11-24T01:49:51Z', source: 'timestamp' });
    expect(formatDateTime(ts.iso)).toBe('24/11/2026 08:49');
    const claimed = signingTime(sig());
    expect(claimed.source).toBe('claimed');
    expect(formatDateTime(claimed.iso)).toBe('24/11/2026 01:30');
    expect(signingTime(sig({ claimed_time: null }))).toEqual({ iso: null, source: 'none' });
  });
  it('names kinds', () => {
    expect(kindKey('organisation')).toBe('verify.kind.organisation');
    expect(kindKey('official')).toBe('verify.kind.official');
    expect(kindKey('')).toBe('verify.kind.other');
  });
});

describe('certificate names', () => {
  it('reads escaped commas', () => {
    expect(parseDn('CN=Sở Văn hóa\\, Thể thao và Du lịch,O=UBND tỉnh,C=VN')).toEqual([
      { type: 'CN', value: 'Sở Văn hóa, Thể thao và Du lịch' },
      { type: 'O', value: 'UBND tỉnh' },
      { type: 'C', value: 'VN' },
    ]);
  });
  it('shows the CN, with the organisation when it adds something', () => {
    expect(displayName('CN=Issuing CA - UBND tỉnh,O=UBND tỉnh,C=VN')).toBe('Issuing CA - UBND tỉnh');
    expect(displayName('CN=TSA,O=UBND,C=VN')).toBe('TSA (UBND)');
    expect(displayName('O=Only Org')).toBe('Only Org');
    expect(displayName('garbage')).toBe('garbage');
  });
});

describe('error hints', () => {
  it('asks for the .p7s, or says the file is damaged or not signed', () => {
    expect(verifyErrorHint('signing.signature_required', 400)).toBe('verify.hint.signature_required');
    expect(verifyErrorHint('signing.cms_malformed', 400)).toBe('verify.hint.damaged');
    expect(verifyErrorHint('pdf.malformed', 400)).toBe('verify.hint.damaged');
    expect(verifyErrorHint('xmlsig.malformed', 400)).toBe('verify.hint.damaged');
    expect(verifyErrorHint('xmlsig.no_signature', 400)).toBe('verify.hint.not_signed');
    expect(verifyErrorHint('signing.not_signed', 400)).toBe('verify.hint.not_signed');
    expect(verifyErrorHint('http.body_too_large', 413)).toBe('verify.hint.too_large');
    expect(verifyErrorHint('xmlsig.too_large', 400)).toBe('verify.hint.too_large');
    expect(verifyErrorHint('network', 0)).toBeNull();
    expect(verifyErrorHint('http.500', 500)).toBeNull();
  });
});
