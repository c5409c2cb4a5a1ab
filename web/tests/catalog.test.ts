import { describe, expect, it } from 'vitest';
import { groupByCompetent, groupOrderKey } from '../src/lib/catalog';

describe('the home groups procedures by who decides, in the server’s order', () => {
  // The same names in the same order as tests/portal/pages_test.cpp GroupOrderKeyTest, so that
  // the page the server drew does not reorder when the app takes over.
  it('sorts agency names as src/portal GroupOrderKey does', () => {
    const names = [
      'Ủy ban nhân dân cấp xã',
      'Sở Tư pháp',
      'Công an tỉnh',
      'Đài Phát thanh - Truyền hình',
      'Ban Quản lý các khu công nghiệp',
      'Sở Công Thương',
    ];
    const sorted = [...names].sort((a, b) => (groupOrderKey(a) < groupOrderKey(b) ? -1 : 1));
    expect(sorted).toEqual([
      'Ban Quản lý các khu công nghiệp',
      'Công an tỉnh',
      'Đài Phát thanh - Truyền hình',
      'Sở Công Thương',
      'Sở Tư pháp',
      'Ủy ban nhân dân cấp xã',
    ]);
    expect(groupOrderKey('Đài Phát thanh - Truyền hình')).toBe('dai phat thanh truyen hinh');
  });
  it('keeps each group in the list’s order and names it in the reader’s language', () => {
    const p = (code: string, name: string, name_en: string) => ({ code, competent: { kind: 'department', sector: code, name, name_en } });
    const groups = groupByCompetent([p('2', 'Sở Tư pháp', 'Department of Justice'), p('1', 'Công an tỉnh', 'Provincial Police'), p('3', 'Sở Tư pháp', 'Department of Justice')], 'en');
    expect(groups.map((g) => [g.name, g.items.map((i) => i.code)])).toEqual([
      ['Department of Justice', ['2', '3']],
      ['Provincial Police', ['1']],
    ]);
  });
});
