// Mẫu 01: Giấy tiếp nhận hồ sơ và hẹn trả kết quả, with a QR code of the public lookup page.
#include <algorithm>
#include <optional>
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

constexpr double kQrColumnWidth = Mm(30);
constexpr double kQrGap = Mm(3);
// The printed symbol, quiet zone included: 26 mm keeps modules at 0.4 mm or more up to version
// 10 (213 bytes at level M), which phone cameras read from a printed A5 sheet.
constexpr double kQrSide = Mm(26);
constexpr int kQuietZoneModules = 4;  // ISO/IEC 18004 asks for four modules of white around
constexpr double kItemGap = 1.5;

std::string Count(int n) { return n > 0 ? std::to_string(n) : std::string(); }

std::string TwoDigits(int n) { return (n >= 0 && n < 10 ? "0" : "") + std::to_string(n); }

// Dark modules as rectangles, one per horizontal run, so the PDF stays small and rasterisers
// leave no seams between neighbouring modules.
void DrawQr(Canvas& canvas, const QrCode& code, double x, double y) {
  const double module = kQrSide / (code.size + 2 * kQuietZoneModules);
  canvas.FillRects({{x, y, kQrSide, kQrSide}}, /*white=*/true);
  std::vector<Canvas::Rect> dark;
  for (int row = 0; row < code.size; ++row) {
    int column = 0;
    while (column < code.size) {
      if (!code.IsDark(column, row)) {
        ++column;
        continue;
      }
      const int run_start = column;
      while (column < code.size && code.IsDark(column, row)) {
        ++column;
      }
      dark.push_back({x + (kQuietZoneModules + run_start) * module,
                      y + (kQuietZoneModules + row) * module, (column - run_start) * module,
                      module});
    }
  }
  canvas.FillRects(dark);
}

void ComposeReceipt(Canvas& canvas, const Receipt& receipt, const QrCode* qr) {
  if (!internal::CheckCommon(canvas, receipt.dossier_code, receipt.issued_on)) {
    return;
  }
  const Applicant& applicant = receipt.applicant;
  internal::Heading(canvas, receipt.letterhead, receipt.dossier_code, receipt.issued_on);
  internal::Title(canvas, "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ");

  internal::NameField(canvas, "Bộ phận tiếp nhận và trả kết quả:", receipt.letterhead.agency);
  internal::NameField(canvas, "Tiếp nhận hồ sơ của ông (bà):", applicant.name);
  internal::NameField(canvas, "Địa chỉ:", applicant.address);
  if (!applicant.phone.empty() || !applicant.email.empty()) {
    std::string contact;
    if (!applicant.phone.empty()) {
      contact += "Số điện thoại: <b>" + canvas.Escape(applicant.phone) + "</b>";
    }
    if (!applicant.email.empty()) {
      contact += std::string(contact.empty() ? "" : "     ") + "Email: <b>" +
                 canvas.Escape(applicant.email) + "</b>";
    }
    canvas.Paragraph(contact, internal::Body());
    canvas.Skip(1);
  }
  internal::Field(canvas, "Số CCCD/Hộ chiếu:", applicant.id_number);
  internal::Field(canvas, "Hình thức nộp:", receipt.channel_text);
  internal::Field(canvas, "Nội dung yêu cầu giải quyết:", receipt.procedure_name);

  canvas.Skip(1);
  canvas.Paragraph("1. Thành phần hồ sơ nộp gồm:", internal::Body());
  canvas.Skip(2);
  const std::vector<internal::Column> columns = {
      {.share = 6, .header_markup = "TT", .align = Align::kCenter},
      {.share = 49, .header_markup = "Tên giấy tờ"},
      {.share = 15, .header_markup = "Bản chính", .align = Align::kCenter},
      {.share = 15, .header_markup = "Bản sao", .align = Align::kCenter},
      {.share = 15, .header_markup = "Bản chụp", .align = Align::kCenter},
  };
  std::vector<std::vector<std::string>> rows;
  for (std::size_t i = 0; i < receipt.components.size(); ++i) {
    const ComponentLine& line = receipt.components[i];
    rows.push_back({std::to_string(i + 1), canvas.Escape(line.name), Count(line.originals),
                    Count(line.certified), Count(line.copies)});
  }
  const TextStyle cell{.size_pt = 8, .line_spacing = 1.0};
  TextStyle header_cell = cell;
  header_cell.bold = true;
  canvas.Table(columns, rows, cell, header_cell);
  canvas.Skip(Mm(2));

  const auto item = [&](const std::string& markup) {
    canvas.Paragraph(markup, internal::Body());
    canvas.Skip(kItemGap);
  };
  item("2. Số lượng hồ sơ: <b>" + TwoDigits(receipt.sets) + "</b> (bộ)");
  item("3. Thời gian giải quyết hồ sơ theo quy định: <b>" +
       canvas.Escape(receipt.statutory_time_text) + "</b>");
  item("4. Thời gian nhận hồ sơ: <b>" +
       canvas.EscapeName(receipt.received_at, internal::BodyBold(), canvas.content_width()) +
       "</b>");

  // Items 5 and 6 (when and where the result comes back) on the left, and beside them the QR
  // code of the page where the applicant follows the dossier until then.
  const double text_width = canvas.content_width() - (qr != nullptr ? kQrColumnWidth + kQrGap : 0);
  std::vector<std::string> items = {
      "5. Thời gian trả kết quả giải quyết hồ sơ: <b>" +
          canvas.EscapeName(receipt.appointment_at, internal::BodyBold(), text_width) + "</b>",
      "6. Đăng ký nhận kết quả tại: <b>" +
          canvas.EscapeName(receipt.return_place, internal::BodyBold(), text_width) + "</b>",
  };
  if (qr != nullptr) {
    items.push_back(
        "<i>Tra cứu tình trạng giải quyết hồ sơ: quét mã QR bên cạnh hoặc truy cập địa chỉ "
        "dưới đây.</i>");
  } else if (!receipt.lookup_secret.empty()) {
    items.push_back("Mã tra cứu: <b>" + canvas.Escape(receipt.lookup_secret) + "</b>");
  }
  double text_height = 0;
  for (const std::string& markup : items) {
    text_height += canvas.Measure(markup, internal::Body(), text_width) + kItemGap;
  }
  const TextStyle caption_style{.size_pt = 7.5, .align = Align::kCenter};
  const std::string caption =
      receipt.lookup_secret.empty()
          ? std::string()
          : "Mã tra cứu: <b>" + canvas.Escape(receipt.lookup_secret) + "</b>";
  double qr_height = 0;
  if (qr != nullptr) {
    qr_height =
        kQrSide + (caption.empty() ? 0 : canvas.Measure(caption, caption_style, kQrColumnWidth));
  }
  canvas.KeepTogether(std::max(text_height, qr_height));
  double y = canvas.y();
  for (const std::string& markup : items) {
    y += canvas.DrawAt(canvas.left(), y, text_width, markup, internal::Body()) + kItemGap;
  }
  if (qr != nullptr) {
    const double column_x = canvas.right() - kQrColumnWidth;
    DrawQr(canvas, *qr, column_x + (kQrColumnWidth - kQrSide) / 2, canvas.y());
    if (!caption.empty()) {
      canvas.DrawAt(column_x, canvas.y() + kQrSide, kQrColumnWidth, caption, caption_style);
    }
  }
  canvas.Skip(std::max(text_height, qr_height));
  if (qr != nullptr) {
    canvas.Skip(1);
    // On one line of its own (it fits up to about 110 characters) so it can be typed or copied.
    const TextStyle url_style{.family = internal::Family::kSans, .size_pt = 7};
    canvas.LinkParagraph(canvas.Escape(receipt.lookup_url), url_style, receipt.lookup_url);
  }

  internal::Signatures(
      canvas,
      internal::Signer{
          .title = "Người nộp hồ sơ", .hint = "(Ký và ghi rõ họ tên)", .name = applicant.name},
      {.title = "Người tiếp nhận hồ sơ",
       .hint = "(Ký và ghi rõ họ tên)",
       .name = receipt.officer_name});
}

}  // namespace

Result<std::string> RenderReceipt(const Receipt& receipt) {
  std::optional<QrCode> qr;
  if (!receipt.lookup_url.empty()) {
    TINHSO_ASSIGN_OR_RETURN(qr, EncodeQr(receipt.lookup_url));
  }
  return internal::RenderPdf(
      internal::A5Portrait("Giấy tiếp nhận hồ sơ và hẹn trả kết quả", receipt.issued_on),
      [&](Canvas& canvas) { ComposeReceipt(canvas, receipt, qr ? &*qr : nullptr); });
}

}  // namespace tinhso::forms
