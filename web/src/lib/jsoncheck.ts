// Where a JSON text goes wrong, the same in every browser (JSON.parse's messages differ and
// Safari's give no position): a small strict scanner of RFC 8259 JSON.

export interface JsonErrorAt {
  /** 0-based offset of the offending character (text.length at an unexpected end). */
  offset: number;
  /** 1-based line and column (columns count UTF-16 units, as a textarea does). */
  line: number;
  column: number;
  /** What was found there: a character, or '' at the end of the text. */
  found: string;
}

export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === '\n') {
      line++;
      start = i + 1;
    }
  }
  return { line, column: offset - start + 1 };
}

class Fail {
  constructor(readonly offset: number) {}
}

/** null when `text` is valid JSON, else where the first error is. */
export function findJsonError(text: string): JsonErrorAt | null {
  let i = 0;
  const fail = (at = i): never => {
    throw new Fail(at);
  };
  const ws = () => {
    while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++;
  };
  const lit = (word: string) => {
    for (let k = 0; k < word.length; k++) if (text[i + k] !== word[k]) fail(i + k);
    i += word.length;
  };
  const str = () => {
    i++; // opening quote
    for (;;) {
      if (i >= text.length) fail();
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return;
      }
      if (c < 0x20) fail();
      if (c === 0x5c) {
        const e = text[i + 1];
        if (e === 'u') {
          for (let k = 2; k < 6; k++) if (!/[0-9a-fA-F]/.test(text[i + k] ?? '')) fail(i + k);
          i += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2;
        else fail(i + 1);
      } else i++;
    }
  };
  const digits = () => {
    const s = i;
    while (i < text.length && text[i] >= '0' && text[i] <= '9') i++;
    if (i === s) fail();
  };
  const num = () => {
    if (text[i] === '-') i++;
    if (text[i] === '0') i++;
    else digits();
    if (text[i] === '.') {
      i++;
      digits();
    }
    if (text[i] === 'e' || text[i] === 'E') {
      i++;
      if (text[i] === '+' || text[i] === '-') i++;
      digits();
    }
  };
  const value = (depth: number): void => {
    if (depth > 500) fail();
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail();
        str();
        ws();
        if (text[i] !== ':') fail();
        i++;
        value(depth + 1);
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return;
        }
        fail();
      }
    } else if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') {
        i++;
        return;
      }
      for (;;) {
        value(depth + 1);
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return;
        }
        fail();
      }
    } else if (c === '"') str();
    else if (c === 't') lit('true');
    else if (c === 'f') lit('false');
    else if (c === 'n') lit('null');
    else if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) num();
    else fail();
  };
  try {
    if (text.charCodeAt(0) === 0xfeff) i = 1; // a byte-order mark, as editors save it
    value(0);
    ws();
    if (i < text.length) fail();
    return null;
  } catch (e) {
    if (!(e instanceof Fail)) throw e;
    const offset = Math.min(e.offset, text.length);
    return { offset, ...lineColumn(text, offset), found: text[offset] ?? '' };
  }
}
