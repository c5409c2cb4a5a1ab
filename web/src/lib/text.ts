// Vietnamese text helpers: matching that forgives missing diacritics ("ket hon" finds
// "kết hôn"), as people type on phones without a Vietnamese keyboard.

/** Lower-cases and strips Vietnamese diacritics (đ → d included). */
export function fold(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

/** True when every word of `query` occurs in `text`, ignoring case and diacritics. */
export function matchesLoose(text: string, query: string): boolean {
  const q = fold(query);
  if (!q) return true;
  const t = fold(text);
  return q.split(' ').every((w) => t.includes(w));
}

/**
 * Splits `text` into parts, marking the beginnings of its words that words of `query` begin
 * (for <mark>), as the server's search matches words as typed: "in" marks "In" in "cơ sở in",
 * not the "in" inside "sinh". What the server forgave ("kai" for "khai") is not marked.
 */
export function highlight(text: string, query: string): { text: string; hit: boolean }[] {
  const words = fold(query).split(' ').filter((w) => w.length > 1);
  if (words.length === 0) return [{ text, hit: false }];
  // fold() keeps the length of each character for Vietnamese text (NFD marks are removed one
  // by one per character), so map positions character by character.
  const chars = Array.from(text);
  const folded = chars.map((c) => fold(c) || c);
  const flat = folded.join('');
  if (flat.length !== chars.length) return [{ text, hit: false }];
  const hit = new Array<boolean>(chars.length).fill(false);
  const lower = flat.toLowerCase();
  const startsWord = (i: number) => i === 0 || !/[\p{L}\p{N}]/u.test(lower[i - 1]);
  for (const w of words) {
    let i = lower.indexOf(w);
    while (i >= 0) {
      if (startsWord(i)) for (let k = i; k < i + w.length; k++) hit[k] = true;
      i = lower.indexOf(w, i + 1);
    }
  }
  const out: { text: string; hit: boolean }[] = [];
  chars.forEach((c, i) => {
    const last = out[out.length - 1];
    if (last && last.hit === hit[i]) last.text += c;
    else out.push({ text: c, hit: hit[i] });
  });
  return out;
}
