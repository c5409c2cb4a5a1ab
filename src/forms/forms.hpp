// The one-stop forms of TT 01/2018/TT-VPCP (Điều 9, Mẫu 01–06), rendered as PDF bytes.
//
// The caller (the dossiers module) fills plain structs with text it has already formatted:
// times such as "08 giờ 30 phút, ngày 23 tháng 11 năm 2026" come in as text, so this module
// needs no clock and no calendar. Each Render* function lays the form out like the paper
// template (agency header top left, the national motto top right, centred bold title, body,
// signature blocks) with Cairo and Pango, embeds the fonts (Liberation Serif, metric-compatible
// with the Times New Roman NĐ 30/2020 prescribes; DejaVu Sans for the lookup address), and
// returns the PDF.
// Mẫu 01–05 are A5 portrait; Mẫu 06 is A4 landscape. Content that does not fit one page flows
// onto more pages (tables repeat their header row), numbered "Trang 1/2" at the foot.
//
// Errors, for every Render* function:
//   kInvalidArgument "forms.invalid_input": text that is not UTF-8, an impossible date, an empty
//     dossier code, or a lookup URL too long for a QR code;
//   kInternal "forms.render_failed": Cairo or Pango failed, or a font is missing (or lacks
//     Vietnamese letters, as Liberation 1.x does).
//
// Thread safety: every function may be called from several threads at once; each render uses
// its own Cairo surface and the calling thread's own Pango font map.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace tinhso::forms {

// The agency block at the top left of every form, and the place of the date line.
struct Letterhead {
  std::string parent_agency;  // "UBND tỉnh Thái Nguyên" (printed upper-case)
  std::string agency;         // "Trung tâm Phục vụ hành chính công" (bold upper-case)
  std::string place;  // "Thái Nguyên", as in "Thái Nguyên, ngày 23 tháng 11 năm 2026"
};

// A calendar day (the form's issue date). Checked when rendering: year 1900–9999, a real day.
struct Date {
  int year = 0;
  int month = 0;
  int day = 0;
};

// The person or organisation the dossier belongs to. Empty optional fields are left out.
struct Applicant {
  std::string name;       // "Nguyễn Thị Hồng Nhung"
  std::string address;    // optional
  std::string phone;      // optional
  std::string email;      // optional
  std::string id_number;  // CCCD, passport or tax code; optional
};

// One row of the components table on Mẫu 01: how many papers of each kind were handed in.
// A count of 0 prints as an empty cell.
struct ComponentLine {
  std::string name;   // "Tờ khai đăng ký khai sinh"
  int originals = 0;  // bản chính
  int certified = 0;  // bản sao (chứng thực)
  int copies = 0;     // bản chụp (photocopies or scans)
};

// Mẫu 01: Giấy tiếp nhận hồ sơ và hẹn trả kết quả.
struct Receipt {
  Letterhead letterhead;
  std::string dossier_code;  // "H55.19-261123-0001"
  Date issued_on;
  Applicant applicant;
  std::string channel_text;    // "Trực tiếp tại Bộ phận Một cửa" (optional)
  std::string procedure_name;  // the TTHC: "Đăng ký khai sinh"
  std::vector<ComponentLine> components;
  int sets = 1;                     // số lượng hồ sơ (bộ)
  std::string statutory_time_text;  // "05 ngày làm việc"
  std::string received_at;          // "08 giờ 30 phút, ngày 23 tháng 11 năm 2026"
  std::string appointment_at;       // the promised return time, same style
  std::string return_place;         // where the result is collected
  // The public lookup page, encoded in a QR code (level M) and printed under it with the
  // secret. When empty, the receipt has no QR code.
  std::string lookup_url;     // "https://dichvucong.thainguyen.gov.vn/tra-cuu?ma=…&k=7GQ2KX"
  std::string lookup_secret;  // "7GQ2KX", printed as "Mã tra cứu: 7GQ2KX"
  std::string officer_name;   // the receiving officer, under their signature
};

// Mẫu 02: Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ (one complete guidance, NĐ 61/2018 Điều 17).
struct CompletionRequest {
  Letterhead letterhead;
  std::string dossier_code;
  Date issued_on;
  Applicant applicant;
  std::string procedure_name;
  std::string received_at;
  std::vector<std::string> items;  // what to supply or correct, one per line, numbered
  std::string guidance;            // further explanation (optional)
  std::string contact_text;  // who to ask: "Bộ phận Một cửa, điện thoại 0208 3855 123"
  std::string officer_name;
};

// Mẫu 03: Phiếu từ chối tiếp nhận giải quyết hồ sơ.
struct Rejection {
  Letterhead letterhead;
  std::string dossier_code;
  Date issued_on;
  Applicant applicant;
  std::string procedure_name;
  std::string received_at;
  std::vector<std::string> reasons;  // each printed as its own bullet
  std::string officer_name;
};

// Mẫu 04: Phiếu xin lỗi và hẹn lại ngày trả kết quả (NĐ 61/2018 Điều 19.9: sent at least one
// day before the deadline; the new date may be set only once).
struct Apology {
  Letterhead letterhead;
  std::string dossier_code;
  Date issued_on;
  Applicant applicant;
  std::string procedure_name;
  std::string received_at;
  std::string original_appointment_at;
  std::string new_appointment_at;
  std::string reason;
  std::string signer_title;  // "GIÁM ĐỐC"; empty gives "THỦ TRƯỞNG CƠ QUAN"
  std::string signer_name;
};

// One hand-over in the processing of a dossier (a row of Mẫu 05).
struct ControlStep {
  std::string step;         // the unit or step: "Phòng Tư pháp – thẩm định"
  std::string from_person;  // who handed the dossier over
  std::string to_person;    // who received it
  std::string handed_at;    // "08:45 23/11/2026"
  std::string due_at;       // the step's own deadline
  std::string finished_at;  // empty while in progress
  std::string outcome;  // "Trước hạn", "Đúng hạn", "Quá hạn"; empty while in progress
  std::string note;     // optional
};

// Mẫu 05: Phiếu kiểm soát quá trình giải quyết hồ sơ.
struct ControlSheet {
  Letterhead letterhead;
  std::string dossier_code;
  Date issued_on;
  std::string applicant_name;
  std::string procedure_name;
  std::string received_at;
  std::string appointment_at;
  std::vector<ControlStep> steps;
};

// One dossier in the tracking book (a row of Mẫu 06).
struct TrackingRow {
  std::string dossier_code;
  std::string procedure_name;
  std::string applicant_name;
  std::string applicant_contact;  // address or phone, printed under the name (optional)
  std::string received_at;        // "23/11/2026 08:30"
  std::string appointment_at;
  std::string returned_at;  // empty until returned
  std::string note;
};

// Mẫu 06: Sổ theo dõi hồ sơ.
struct TrackingBook {
  Letterhead letterhead;
  std::string period_text;  // "Từ ngày 01/11/2026 đến ngày 30/11/2026"
  std::vector<TrackingRow> rows;
};

// PDF bytes ("%PDF-…") of each form. Errors: see the top of this file.
Result<std::string> RenderReceipt(const Receipt& receipt);
Result<std::string> RenderCompletionRequest(const CompletionRequest& request);
Result<std::string> RenderRejection(const Rejection& rejection);
Result<std::string> RenderApology(const Apology& apology);
Result<std::string> RenderControlSheet(const ControlSheet& sheet);
Result<std::string> RenderTrackingBook(const TrackingBook& book);

// The place-and-date line of Vietnamese official papers, with the leading zeros of NĐ 30/2020
// Phụ lục I (days below 10 and months 1 and 2):
//   ("Thái Nguyên", 2026, 1, 5)  → "Thái Nguyên, ngày 05 tháng 01 năm 2026"
//   ("Thái Nguyên", 2026, 3, 23) → "Thái Nguyên, ngày 23 tháng 3 năm 2026"
// An empty place gives "Ngày 05 tháng 01 năm 2026". The numbers are printed as given.
std::string VietnameseDateLine(std::string_view place, int year, int month, int day);

// A QR code symbol: `size` × `size` modules, row-major, 1 = dark; no quiet zone.
struct QrCode {
  int size = 0;
  std::vector<std::uint8_t> modules;

  bool IsDark(int x, int y) const { return modules[static_cast<std::size_t>(y * size + x)] != 0; }
};

// Encodes `text` (as UTF-8 bytes, case kept) at error-correction level M, in the smallest
// version that holds it; this is the symbol Mẫu 01 draws. Errors: kInvalidArgument
// "forms.invalid_input" (empty, a NUL byte, or too long for version 40).
Result<QrCode> EncodeQr(std::string_view text);

// Specimen images for the demo province, as PNG: a signature (the person's given name in blue
// italic over a flourish) and an organisation's seal (a red double ring, a star, the name).
// Real provinces register scans of their specimens instead (pki::Service::SetAppearance).
Result<std::string> SignatureSpecimenPng(std::string_view name);
Result<std::string> SealSpecimenPng(std::string_view organisation);

}  // namespace tinhso::forms
