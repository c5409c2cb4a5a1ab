import { describe, expect, it } from 'vitest';
import { ApiError, retryable } from '../src/lib/api';
import { buildForm, fileProgress } from '../src/lib/submission';

const file = (name: string, size: number) => new File([new Uint8Array(size)], name);

describe('multipart body of a request with files', () => {
  it('has the fields in a json part, then one part per file named by its component', async () => {
    const files = [
      { component: 'TP1', file: file('tờ khai.pdf', 5) },
      { component: 'TP2', file: file('ảnh.jpg', 3) },
      { component: '', file: file('kết quả.pdf', 7) },
    ];
    const b = buildForm({ version: 3, note: 'Đủ' }, files);
    expect([...b.form.keys()]).toEqual(['json', 'files.TP1', 'files.TP2', 'files']);
    // The fields are a plain field (no filename): the server refuses a json part sent as a file.
    expect(typeof b.form.get('json')).toBe('string');
    expect(JSON.parse(b.form.get('json') as string)).toEqual({ version: 3, note: 'Đủ' });
    expect((b.form.get('files.TP1') as File).name).toBe('tờ khai.pdf');
    expect((b.form.get('files') as File).size).toBe(7);
    expect(b.sizes).toEqual([5, 3, 7]);
  });
});

describe('per-file upload progress', () => {
  // Two files of 1000 and 3000 bytes in a body of 4200 (200 bytes of json part and headers).
  const sizes = [1000, 3000];
  const total = 4200;
  it('maps the bytes sent to each file by the files’ cumulative sizes', () => {
    expect(fileProgress(sizes, 0, total)).toEqual([0, 0]);
    expect(fileProgress(sizes, 200, total)).toEqual([0, 0]);
    expect(fileProgress(sizes, 700, total)).toEqual([0.5, 0]);
    expect(fileProgress(sizes, 1200, total)).toEqual([1, 0]);
    expect(fileProgress(sizes, 2700, total)).toEqual([1, 0.5]);
    expect(fileProgress(sizes, total, total)).toEqual([1, 1]);
  });
  it('never runs ahead of the bytes sent, and never leaves 0..1', () => {
    for (let loaded = 0; loaded <= total; loaded += 37) {
      const p = fileProgress(sizes, loaded, total);
      for (const x of p) expect(x >= 0 && x <= 1).toBe(true);
      expect(p[0] * 1000 + p[1] * 3000).toBeLessThanOrEqual(loaded);
      // A file starts only when the one before it is done.
      if (p[1] > 0) expect(p[0]).toBe(1);
    }
  });
  it('works with an unknown total and with no file', () => {
    expect(fileProgress(sizes, 500, 0)).toEqual([0.5, 0]);
    expect(fileProgress([], 10, 10)).toEqual([]);
  });
});

describe('whether "send again" can help', () => {
  const e = (status: number, code = `http.${status}`) => new ApiError({ status, code });
  it('offers it when the request may get through next time', () => {
    expect(retryable(e(0, 'network'))).toBe(true);
    expect(retryable(e(408))).toBe(true);
    expect(retryable(e(429))).toBe(true);
    expect(retryable(e(500))).toBe(true);
    expect(retryable(e(503))).toBe(true);
    expect(retryable(new Error('unexpected'))).toBe(true);
  });
  it('does not when the same request would be refused again', () => {
    expect(retryable(e(413, 'http.file_too_large'))).toBe(false);
    expect(retryable(e(413, 'dossier.json_too_large'))).toBe(false);
    expect(retryable(e(400, 'dossier.file_name_mismatch'))).toBe(false);
    expect(retryable(e(400, 'dossier.file_type'))).toBe(false);
    expect(retryable(e(403))).toBe(false);
    expect(retryable(e(404))).toBe(false);
    expect(retryable(e(409, 'dossier.version_conflict'))).toBe(false);
    expect(retryable(e(422))).toBe(false);
  });
});
