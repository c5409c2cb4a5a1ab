import { describe, expect, it } from 'vitest';
import { prefillFrom, sexOption } from '../src/lib/citizen';
import type { CitizenRecord } from '../src/lib/citizen';

const lan: CitizenRecord = {
  so_dinh_danh: '019190000001',
  ho_va_ten: 'Nguyễn Thị Lan',
  ngay_sinh: '1990-03-08',
  gioi_tinh: '2',
  dan_toc: '07',
  quoc_tich: 'VN',
  que_quan: 'Xã Chợ Mới, tỉnh Thái Nguyên',
  noi_thuong_tru: 'Thôn Nà Cù, xã Chợ Mới, tỉnh Thái Nguyên',
  noi_o_hien_tai: 'Tổ 5, phường Đức Xuân, tỉnh Thái Nguyên',
};
const own = { kind: 1, name: 'Nguyễn Thị Lan', id_number: '019190000001', phone: '0912345678', email: '', address: '', birth_date: '' };
// The judicial record certificate's form (3.000333): the requester's own fields, and a child's
// birth date that is someone else's.
const fields = [
  { name: 'nguoi_yeu_cau_ho_ten', type: 'text' },
  { name: 'ngay_sinh', type: 'date' },
  { name: 'gioi_tinh', type: 'select', options: ['Nam', 'Nữ'] },
  { name: 'noi_thuong_tru', type: 'text' },
  { name: 'tre_ngay_sinh', type: 'date' },
];

describe('filling a submission from the population database', () => {
  it('fills the empty fields that are the applicant own, never another person', () => {
    const p = prefillFrom(lan, own, {}, fields, false);
    expect(p.replaced).toEqual([]);
    expect(p.applicant).toMatchObject({ name: 'Nguyễn Thị Lan', birth_date: '1990-03-08', address: 'Tổ 5, phường Đức Xuân, tỉnh Thái Nguyên', phone: '0912345678' });
    expect(p.values).toEqual({
      nguoi_yeu_cau_ho_ten: 'Nguyễn Thị Lan',
      ngay_sinh: '1990-03-08',
      gioi_tinh: 'Nữ',
      noi_thuong_tru: 'Thôn Nà Cù, xã Chợ Mới, tỉnh Thái Nguyên',
    });
    expect(p.filled).not.toContain('applicant.name'); // already that
  });

  it('keeps what the citizen typed unless they confirm', () => {
    const typed = { ...own, address: 'Số 1, đường A' };
    const kept = prefillFrom(lan, typed, { ngay_sinh: '1990-03-09', gioi_tinh: 'Nữ' }, fields, false);
    expect(kept.replaced).toEqual(['applicant.address', 'form.ngay_sinh']);
    expect(kept.applicant.address).toBe('Số 1, đường A');
    expect(kept.values.ngay_sinh).toBe('1990-03-09');
    expect(kept.values.noi_thuong_tru).toBe(lan.noi_thuong_tru); // empty: filled
    const replaced = prefillFrom(lan, typed, { ngay_sinh: '1990-03-09' }, fields, true);
    expect(replaced.applicant.address).toBe(lan.noi_o_hien_tai);
    expect(replaced.values.ngay_sinh).toBe('1990-03-08');
  });

  it('names the sex by the select option', () => {
    expect(sexOption('1', ['Nam', 'Nữ'])).toBe('Nam');
    expect(sexOption('2', ['nam', 'nữ'])).toBe('nữ');
    expect(sexOption('3', ['Nam', 'Nữ'])).toBeUndefined();
    expect(sexOption('2', null)).toBe('Nữ');
  });
});
