import { describe, expect, it } from 'vitest';
import { findJsonError, lineColumn } from '../src/lib/jsoncheck';

describe('JSON error position', () => {
  it('accepts what JSON.parse accepts', () => {
    for (const s of ['{}', '[]', '0', '-1.5e+3', '"a\\u00e9\\n"', ' {"a": [1, true, false, null, {"b": "c"}]} ', '\ufeff{"x":1}']) {
      expect(findJsonError(s), s).toBeNull();
    }
  });
  it('finds the first error with line and column', () => {
    const text = '{\n  "code": "1.001193",\n  "name": "Khai sinh"\n  "level": "commune"\n}';
    const e = findJsonError(text)!;
    expect(e.line).toBe(4);
    expect(e.column).toBe(3);
    expect(e.found).toBe('"');
    expect(() => JSON.parse(text)).toThrow();
  });
  it('reports trailing commas, bad literals, unclosed text and trailing junk', () => {
    expect(findJsonError('{"a": 1,}')).toMatchObject({ offset: 8, found: '}' });
    expect(findJsonError('[1, tru]')).toMatchObject({ offset: 7 });
    expect(findJsonError('{"a": "b')).toMatchObject({ offset: 8, found: '' });
    expect(findJsonError('{} x')).toMatchObject({ offset: 3, found: 'x' });
    expect(findJsonError('')).toMatchObject({ offset: 0, line: 1, column: 1 });
    expect(findJsonError('{"a": 01}')).toMatchObject({ offset: 7 });
    expect(findJsonError("{'a': 1}")).toMatchObject({ offset: 1 });
  });
  it('agrees with JSON.parse on random mutations', () => {
    const base = JSON.stringify({ procedures: [{ code: '1.0', steps: [{ a: 1.5, b: [true, null] }], s: 'é"\\' }] }, null, 2);
    let seed = 7;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2147483648), seed % n);
    const chars = '{}[]:,"\\ 0a-.e';
    for (let k = 0; k < 400; k++) {
      const i = rnd(base.length);
      const t = base.slice(0, i) + chars[rnd(chars.length)] + base.slice(i + rnd(2));
      let ok = true;
      try {
        JSON.parse(t);
      } catch {
        ok = false;
      }
      expect(findJsonError(t) === null, t).toBe(ok);
    }
  });
  it('counts lines and columns', () => {
    expect(lineColumn('ab\ncd', 4)).toEqual({ line: 2, column: 2 });
  });
});
