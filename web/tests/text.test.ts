import { describe, expect, it } from 'vitest';
import { fold, highlight, matchesLoose } from '../src/lib/text';

describe('diacritics-insensitive text', () => {
  it('folds Vietnamese letters', () => {
    expect(fold('Đăng ký KẾT HÔN')).toBe('dang ky ket hon');
    expect(fold('  Lý   lịch tư pháp ')).toBe('ly lich tu phap');
  });
  it('matches without diacritics, any order of words', () => {
    expect(matchesLoose('Thủ tục đăng ký kết hôn', 'ket hon')).toBe(true);
    expect(matchesLoose('Thủ tục đăng ký kết hôn', 'hon dang')).toBe(true);
    expect(matchesLoose('Thủ tục đăng ký khai sinh', 'ket hon')).toBe(false);
    expect(matchesLoose('anything', '')).toBe(true);
  });
  it('highlights the matching parts of the original text', () => {
    const parts = highlight('Đăng ký kết hôn', 'ket');
    expect(parts.filter((p) => p.hit).map((p) => p.text)).toEqual(['kết']);
    expect(parts.map((p) => p.text).join('')).toBe('Đăng ký kết hôn');
  });
  it('marks beginnings of words only, as the server matches them', () => {
    const hits = (text: string, q: string) => highlight(text, q).filter((p) => p.hit).map((p) => p.text);
    expect(hits('Đăng ký hoạt động cơ sở in', 'co so in')).toEqual(['cơ', 'sở', 'in']);
    expect(hits('Thủ tục đăng ký khai sinh', 'in')).toEqual([]);
    expect(hits('Cấp giấy phép xây dựng', 'giay phep xay')).toEqual(['giấy', 'phép', 'xây']);
  });
});
