// Mẫu 05: Phiếu kiểm soát quá trình giải quyết hồ sơ. It travels with the dossier; each
// hand-over is one row, with who gave and who took the dossier, when, and whether the step
// finished before, on or after its own deadline (NĐ 61/2018 Điều 19.5–19.7).
#include <string>
#include <vector>

#include "forms/forms.hpp"
#include "forms/layout.hpp"

namespace tinhso::forms {
namespace {

using internal::Align;
using internal::Canvas;
using internal::Mm;
using internal::TextStyle;

// "label <b>value</b>" lines joined into one cell; empty values are left out.
std::string CellLines(Canvas& canvas,
                      const std::vector<std::pair<std::string_view, std::string_view>>& lines) {
  std::string cell;
  for (const auto& [label, value] : lines) {
    if (value.empty()) {
      continue;
    }
    if (!cell.empty()) {
      cell += '\n';
    }
    cell += std::string(label) + "<b>" + canvas.Escape(value) + "</b>";
  }
  return cell;
}

void ComposeControlSheet(Canvas& canvas, const ControlSheet& sheet) {
  if (!internal::CheckCommon(canvas, sheet.dossier_code, sheet.issued_on)) {
    return;
  }
  // On this form the dossier code sits under the title, where the next handler looks first.
  internal::Heading(canvas, sheet.letterhead, {}, sheet.issued_on);
  internal::Title(canvas, "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ");
  canvas.Skip(-Mm(2));
  canvas.Paragraph("Mã hồ sơ: <b>" + canvas.Escape(sheet.dossier_code) + "</b>",
                   {.align = Align::kCenter});
  canvas.Skip(Mm(3));
  internal::NameField(canvas, "Kèm theo hồ sơ của:", sheet.applicant_name);
  internal::Field(canvas, "Nội dung yêu cầu giải quyết:", sheet.procedure_name);
  internal::NameField(canvas, "Ngày nhận hồ sơ:", sheet.received_at);
  internal::NameField(canvas, "Ngày hẹn trả kết quả:", sheet.appointment_at);
  canvas.Skip(Mm(2));

  const std::vector<internal::Column> columns = {
      {.share = 5, .header_markup = "TT", .align = Align::kCenter},
      {.share = 20, .header_markup = "Tên cơ quan, bước xử lý"},
      {.share = 28, .header_markup = "Thời gian giao, nhận hồ sơ"},
      {.share = 16, .header_markup = "Hạn xử lý", .align = Align::kCenter},
      {.share = 16, .header_markup = "Hoàn thành", .align = Align::kCenter},
      {.share = 15,
       .header_markup = "Kết quả (trước hạn, đúng hạn, quá hạn)",
       .align = Align::kCenter},
  };
  std::vector<std::vector<std::string>> rows;
  for (std::size_t i = 0; i < sheet.steps.size(); ++i) {
    const ControlStep& step = sheet.steps[i];
    std::string outcome = "<b>" + canvas.Escape(step.outcome) + "</b>";
    if (!step.note.empty()) {
      outcome += "\n<i>" + canvas.Escape(step.note) + "</i>";
    }
    rows.push_back({std::to_string(i + 1), canvas.Escape(step.step),
                    CellLines(canvas, {{"Giao: ", step.from_person},
                                       {"Nhận: ", step.to_person},
                                       {"Lúc: ", step.handed_at}}),
                    canvas.Escape(step.due_at), canvas.Escape(step.finished_at), outcome});
  }
  const TextStyle cell{.size_pt = 7, .line_spacing = 1.0};
  TextStyle header_cell = cell;
  header_cell.bold = true;
  canvas.Table(columns, rows, cell, header_cell);
}

}  // namespace

Result<std::string> RenderControlSheet(const ControlSheet& sheet) {
  return internal::RenderPdf(
      internal::A5Portrait("Phiếu kiểm soát quá trình giải quyết hồ sơ", sheet.issued_on),
      [&](Canvas& canvas) { ComposeControlSheet(canvas, sheet); });
}

}  // namespace tinhso::forms
