// "Điền từ CSDL dân cư": a signed-in citizen's own record from the national population database
// (GET /api/v1/citizens/me, through the province's gateway) fills the submission form. Pure
// functions, so that what is filled and what would be replaced is tested without a page.
import type { Schema } from './api';
import type { ApplicantInput } from './applicant';

export type CitizenRecord = Schema<'CitizenView'>;

/** A form field as the e-form describes it (only what the prefill needs). */
export interface PrefillField {
  name: string;
  type: string;
  options?: string[] | null;
}

/**
 * The e-form's fields that are the applicant's own, by the catalog's names: the requester's
 * name, number, birth date, sex and residence (never the child's, the spouse's, the deceased's:
 * "tre_ngay_sinh", "vo_ngay_sinh"… are other people).
 */
const FORM_FIELDS: Record<string, (r: CitizenRecord, f: PrefillField) => string | undefined> = {
  nguoi_yeu_cau_ho_ten: (r) => r.ho_va_ten,
  nguoi_yeu_cau_so_dinh_danh: (r) => r.so_dinh_danh,
  ngay_sinh: (r) => r.ngay_sinh,
  gioi_tinh: (r, f) => sexOption(r.gioi_tinh, f.options ?? null),
  noi_thuong_tru: (r) => r.noi_thuong_tru,
  dia_chi_cu_tru: (r) => r.noi_o_hien_tai || r.noi_thuong_tru,
};

/** The option of a select that names the record's sex ("1" nam, "2" nữ), or the code itself. */
export function sexOption(code: string, options: string[] | null): string | undefined {
  const word = code === '1' ? 'nam' : code === '2' ? 'nữ' : '';
  if (!word) return undefined;
  if (!options || options.length === 0) return word === 'nam' ? 'Nam' : 'Nữ';
  return options.find((o) => o.trim().toLowerCase() === word);
}

export interface Prefill {
  applicant: ApplicantInput;
  values: Record<string, unknown>;
  /** What was filled: 'applicant.<field>' or 'form.<name>'. */
  filled: string[];
  /** Among them, those that replace something the citizen typed (to confirm first). */
  replaced: string[];
}

/**
 * What the record fills: the applicant's name (only where it may be typed: the account's own is
 * read-only), birth date and address, and the e-form's fields that are the applicant's own.
 * With `overwrite` false, what the citizen typed stays as it is.
 */
export function prefillFrom(r: CitizenRecord, applicant: ApplicantInput, values: Record<string, unknown>, fields: PrefillField[], overwrite: boolean): Prefill {
  const filled: string[] = [];
  const replaced: string[] = [];
  const nextApplicant: ApplicantInput = { ...applicant };
  const nextValues: Record<string, unknown> = { ...values };
  const put = (key: string, current: unknown, value: string | undefined, set: (v: string) => void) => {
    if (!value) return;
    const typed = current !== undefined && current !== null && String(current).trim() !== '';
    if (typed && String(current).trim() === value) return; // already that
    if (typed) {
      replaced.push(key);
      if (!overwrite) return;
    }
    set(value);
    filled.push(key);
  };
  put('applicant.name', applicant.name, r.ho_va_ten, (v) => (nextApplicant.name = v));
  put('applicant.birth_date', applicant.birth_date, r.ngay_sinh, (v) => (nextApplicant.birth_date = v));
  put('applicant.address', applicant.address, r.noi_o_hien_tai || r.noi_thuong_tru, (v) => (nextApplicant.address = v));
  for (const f of fields) {
    const pick = FORM_FIELDS[f.name];
    if (!pick) continue;
    put(`form.${f.name}`, values[f.name], pick(r, f), (v) => (nextValues[f.name] = v));
  }
  return { applicant: nextApplicant, values: nextValues, filled, replaced };
}
