import { describe, expect, it } from 'vitest';
import { draftContent, forgetUnsaved, keepUnsaved, markSaved, pendingFiles, problemErrors, restoreContent, savedTime, summaryItems, takeUnsaved } from '../src/lib/draft';
import type { DraftPickedFile, DraftState, DraftView } from '../src/lib/draft';

const file = (name: string, size: number) => new File([new Uint8Array(size)], name);
const stored = (id: number, component: string, name: string, size: number): DraftView['files'][number] => ({
  id,
  kind: 'draft',
  component,
  name,
  content_type: 'application/pdf',
  size,
  sha256: '',
  at: '2026-11-23T02:00:00Z',
  signed_by: '',
});
const base: DraftState = {
  applicant: { kind: 1, name: 'Nguyễn Thị Lan', id_number: '019190000001', phone: '', email: '', address: '' },
  onBehalf: false,
  locality: '',
  values: {},
};

describe('the draft of an online submission', () => {
  it('comes back as it was saved, for the procedure’s fields only', () => {
    const s: DraftState = { ...base, applicant: { ...base.applicant, phone: '0912345678' }, locality: 'H55.60.01', values: { ten_co_so: 'Cơ sở in Hoàng Gia', so_thiet_bi: 3, gone: 'x' } };
    const back = restoreContent(JSON.parse(JSON.stringify(draftContent(s))), base, ['ten_co_so', 'so_thiet_bi']);
    expect(back.values).toEqual({ ten_co_so: 'Cơ sở in Hoàng Gia', so_thiet_bi: 3 });
    expect(back.applicant.phone).toBe('0912345678');
    expect(back.locality).toBe('H55.60.01');
  });

  it('never takes the account’s own name or number from a draft', () => {
    const content = { applicant: { name: 'Người khác', id_number: '001099000001', phone: '0912' }, on_behalf: false };
    const back = restoreContent(content, base, []);
    expect(back.applicant.name).toBe('Nguyễn Thị Lan');
    expect(back.applicant.id_number).toBe('019190000001');
    expect(back.applicant.phone).toBe('0912');
    // Submitting for someone else, the draft holds that person.
    const other = restoreContent({ ...content, on_behalf: true }, base, []);
    expect(other.applicant.name).toBe('Người khác');
  });

  it('ignores what it cannot read', () => {
    expect(restoreContent('nonsense', base, ['a'])).toBe(base);
    expect(restoreContent({ form: { a: { nested: 1 } }, applicant: 3 }, base, ['a']).values).toEqual({});
  });

  it('sends only the files not stored yet, and the ids of those removed', () => {
    const kept: DraftPickedFile = { component: 'TP1', file: file('to-khai.pdf', 5), draftFileId: 7 };
    const fresh: DraftPickedFile = { component: 'TP2', file: file('anh.jpg', 3) };
    const p = pendingFiles([kept, fresh], [stored(7, 'TP1', 'to-khai.pdf', 5), stored(8, 'TP3', 'cu.pdf', 9)]);
    expect(p.added).toEqual([fresh]);
    expect(p.removed).toEqual([8]);
  });

  it('marks the files sent with the ids the server gave them, one each', () => {
    const a: DraftPickedFile = { component: 'TP1', file: file('scan', 5) };
    const b: DraftPickedFile = { component: 'TP1', file: file('scan', 5) };
    const later: DraftPickedFile = { component: 'TP2', file: file('x.pdf', 1) }; // picked during the save
    const out = markSaved([a, b, later], [a, b], [stored(3, 'TP1', 'scan.pdf', 5), stored(4, 'TP1', 'scan.pdf', 5)]);
    expect(out.map((f) => f.draftFileId)).toEqual([3, 4, undefined]);
  });

  it('shows its save time in Vietnam', () => {
    expect(savedTime('2026-11-23T03:42:10Z')).toBe('10:42');
  });
});

describe('errors as GOV.UK shows them', () => {
  it('puts each server problem on its field, in the chosen language', () => {
    const problems = [
      { field: 'applicant.id_number', message_vi: 'Số định danh …', message_en: 'The id …' },
      { field: 'locality_code', message_vi: 'Chọn xã, phường nơi cư trú', message_en: 'Choose the commune' },
      { field: 'form.ten_co_so', message_vi: 'Nhập tên cơ sở in', message_en: 'Enter the name of the printing facility' },
    ];
    expect(problemErrors(problems, 'vi')).toEqual({ __applicant_id_number: 'Số định danh …', __locality: 'Chọn xã, phường nơi cư trú', ten_co_so: 'Nhập tên cơ sở in' });
    expect(problemErrors(problems, 'en').ten_co_so).toBe('Enter the name of the printing facility');
  });

  it('lists the summary in the order of the page, each line linked to its field', () => {
    const items = summaryItems({ __file_TP1: 'Chọn tệp Tờ khai', ten_co_so: 'Nhập tên cơ sở in', __applicant_phone: 'Số điện thoại …', __declaration: 'Đánh dấu ô cam đoan' }, [
      '__applicant_phone',
      'ten_co_so',
      '__file_TP1',
      '__declaration',
    ]);
    expect(items.map((i) => i.target)).toEqual(['ap-phone', 'f-ten_co_so', 'file-TP1', 'declaration']);
    expect(items[1].message).toBe('Nhập tên cơ sở in');
  });
});

describe('what the tab had not saved (Unsaved)', () => {
  function memory(): Storage {
    const m = new Map<string, string>();
    return {
      getItem: (k: string) => m.get(k) ?? null,
      setItem: (k: string, v: string) => void m.set(k, v),
      removeItem: (k: string) => void m.delete(k),
      clear: () => m.clear(),
      key: () => null,
      length: 0,
    } as Storage;
  }
  const kept = { user: 7, code: '1.003725', draftId: 12, content: { form: { ten_co_so: 'Cơ sở in Bình Minh' } }, files: ['anh.jpg'] };

  it('gives back what the same account typed for the same procedure', () => {
    const s = memory();
    keepUnsaved(s, kept);
    expect(takeUnsaved(s, 7, '1.003725')).toEqual(kept);
    expect(takeUnsaved(s, 7, '1.001193')).toBeNull();
  });
  it('never to another account, and drops it', () => {
    const s = memory();
    keepUnsaved(s, kept);
    expect(takeUnsaved(s, 8, '1.003725')).toBeNull();
    expect(takeUnsaved(s, 7, '1.003725')).toBeNull();
  });
  it('forgets once saved, and survives what another version of the page wrote', () => {
    const s = memory();
    keepUnsaved(s, kept);
    forgetUnsaved(s, '1.003725');
    expect(takeUnsaved(s, 7, '1.003725')).toBeNull();
    s.setItem('tinhso.unsaved.1.003725', '{not json');
    expect(takeUnsaved(s, 7, '1.003725')).toBeNull();
    s.setItem('tinhso.unsaved.1.003725', JSON.stringify({ ...kept, draftId: 'x', files: [1, 'b.pdf'] }));
    expect(takeUnsaved(s, 7, '1.003725')).toEqual({ ...kept, draftId: null, files: ['b.pdf'] });
  });
});
