import { api } from './api';
import type { Procedure, ProcedureSummary } from './types';

/**
 * Page addresses of a procedure. Codes contain dots ("1.001193"), which the server's static
 * fallback would take for a file extension, so the code travels in the query string.
 */
export const procedureUrl = (code: string) => `/thu-tuc?ma=${encodeURIComponent(code)}`;
export const submitUrl = (code: string) => `/thu-tuc/nop?ma=${encodeURIComponent(code)}`;

/** The procedure's name in the chosen language (English when the catalog has one). */
export function procName(p: { name: string; name_en?: string }, lang: 'vi' | 'en'): string {
  return lang === 'en' && p.name_en ? p.name_en : p.name;
}

let summaries: Promise<ProcedureSummary[]> | null = null;
/** All active procedures (36 or so: small, cached for the session). */
export function allProcedures(): Promise<ProcedureSummary[]> {
  if (!summaries) {
    summaries = api<{ items: ProcedureSummary[] }>('/api/v1/procedures').then((r) => r.items);
    summaries.catch(() => (summaries = null));
  }
  return summaries;
}

const details = new Map<string, Promise<Procedure>>();
export function procedureDetail(code: string): Promise<Procedure> {
  let p = details.get(code);
  if (!p) {
    p = api<Procedure>(`/api/v1/procedures/${encodeURIComponent(code)}`);
    details.set(code, p);
    p.catch(() => details.delete(code));
  }
  return p;
}
export function forgetProcedures(): void {
  summaries = null;
  details.clear();
}

/**
 * The catalog's sector codes and the departments they stand for. The procedure JSON names the
 * competent agency only by kind and sector (API gap, reported): this table is the client's
 * fallback, from data/catalog/procedures.json.
 */
export const SECTOR_NAMES: Record<string, { vi: string; en: string }> = {
  noi_vu: { vi: 'Sở Nội vụ', en: 'Department of Home Affairs' },
  tu_phap: { vi: 'Sở Tư pháp', en: 'Department of Justice' },
  tai_chinh: { vi: 'Sở Tài chính', en: 'Department of Finance' },
  cong_thuong: { vi: 'Sở Công Thương', en: 'Department of Industry and Trade' },
  nong_nghiep_moi_truong: { vi: 'Sở Nông nghiệp và Môi trường', en: 'Department of Agriculture and Environment' },
  xay_dung: { vi: 'Sở Xây dựng', en: 'Department of Construction' },
  van_hoa: { vi: 'Sở Văn hóa, Thể thao và Du lịch', en: 'Department of Culture, Sports and Tourism' },
  khoa_hoc_cong_nghe: { vi: 'Sở Khoa học và Công nghệ', en: 'Department of Science and Technology' },
  giao_duc: { vi: 'Sở Giáo dục và Đào tạo', en: 'Department of Education and Training' },
  y_te: { vi: 'Sở Y tế', en: 'Department of Health' },
  dan_toc_ton_giao: { vi: 'Sở Dân tộc và Tôn giáo', en: 'Department of Ethnic and Religious Affairs' },
  hanh_chinh_cong: { vi: 'Trung tâm Phục vụ hành chính công tỉnh', en: 'Provincial Public Administration Service Centre' },
  khu_cong_nghiep: { vi: 'Ban Quản lý các khu công nghiệp tỉnh', en: 'Provincial Industrial Zones Authority' },
  thue: { vi: 'Cơ quan thuế', en: 'Tax authority' },
  cong_an: { vi: 'Công an tỉnh', en: 'Provincial Police' },
  bhxh: { vi: 'Bảo hiểm xã hội tỉnh', en: 'Provincial Social Insurance' },
};
