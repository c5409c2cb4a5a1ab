// Mẫu 06: Sổ theo dõi hồ sơ, the register of every dossier a one-stop desk received in a
// period. A4 landscape; one row per dossier, as many pages as it takes, the header row
// repeated on each.
#include <string>
#include <vector>

#include "forms/forms.hpp"
#include "forms/layout.hpp"

namespace tinhso::forms {
namespace {

using internal::Align;
using internal::Canvas;
using internal::TextStyle;

void ComposeTrackingBook(Canvas& canvas, const TrackingBook& book) {
  internal::Heading(canvas, book.letterhead, {}, std::nullopt);
  internal::Title(canvas, "SỔ THEO DÕI HỒ SƠ", book.period_text);

  const std::vector<internal::Column> columns = {
      {.share = 4, .header_markup = "TT", .align = Align::kCenter},
      {.share = 14, .header_markup = "Mã hồ sơ"},
      {.share = 24, .header_markup = "Tên TTHC"},
      {.share = 16, .header_markup = "Người nộp"},
      {.share = 9, .header_markup = "Ngày nhận", .align = Align::kCenter},
      {.share = 9, .header_markup = "Ngày hẹn trả", .align = Align::kCenter},
      {.share = 9, .header_markup = "Ngày trả", .align = Align::kCenter},
      {.share = 15, .header_markup = "Ghi chú"},
  };
  std::vector<std::vector<std::string>> rows;
  rows.reserve(book.rows.size());
  for (std::size_t i = 0; i < book.rows.size(); ++i) {
    const TrackingRow& row = book.rows[i];
    std::string applicant = "<b>" + canvas.Escape(row.applicant_name) + "</b>";
    if (!row.applicant_contact.empty()) {
      applicant += "\n" + canvas.Escape(row.applicant_contact);
    }
    rows.push_back({std::to_string(i + 1), canvas.Escape(row.dossier_code),
                    canvas.Escape(row.procedure_name), applicant, canvas.Escape(row.received_at),
                    canvas.Escape(row.appointment_at), canvas.Escape(row.returned_at),
                    canvas.Escape(row.note)});
  }
  const TextStyle cell{.family = internal::Family::kSans, .size_pt = 8, .line_spacing = 1.0};
  TextStyle header_cell = cell;
  header_cell.bold = true;
  canvas.Table(columns, rows, cell, header_cell);
}

}  // namespace

Result<std::string> RenderTrackingBook(const TrackingBook& book) {
  return internal::RenderPdf(internal::A4Landscape("Sổ theo dõi hồ sơ"),
                             [&](Canvas& canvas) { ComposeTrackingBook(canvas, book); });
}

}  // namespace tinhso::forms
