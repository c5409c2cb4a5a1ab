// The notices sent to an applicant: Mẫu 02 (yêu cầu bổ sung, hoàn thiện hồ sơ), Mẫu 03 (từ chối
// tiếp nhận) and Mẫu 04 (xin lỗi và hẹn lại ngày trả kết quả). The wording follows the
// templates of TT 01/2018/TT-VPCP.
#include <string>

#include "forms/forms.hpp"
#include "forms/layout.hpp"

namespace tinhso::forms {
namespace {

using internal::Canvas;
using internal::Mm;

// Address, phone, e-mail and ID of the applicant, each line only when known.
void ApplicantDetails(Canvas& canvas, const Applicant& applicant) {
  internal::NameField(canvas, "Địa chỉ:", applicant.address);
  internal::Field(canvas, "Số điện thoại:", applicant.phone);
  internal::Field(canvas, "Email:", applicant.email);
  internal::Field(canvas, "Số CCCD/Hộ chiếu:", applicant.id_number);
}

// "- text" lines, indented like the templates' lists.
void Bullets(Canvas& canvas, const std::vector<std::string>& lines, bool numbered) {
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::string marker = numbered ? std::to_string(i + 1) + ". " : "- ";
    canvas.Paragraph(marker + canvas.Escape(lines[i]), internal::Body(), Mm(5));
    canvas.Skip(1);
  }
}

void ComposeCompletionRequest(Canvas& canvas, const CompletionRequest& request) {
  if (!internal::CheckCommon(canvas, request.dossier_code, request.issued_on)) {
    return;
  }
  internal::Heading(canvas, request.letterhead, request.dossier_code, request.issued_on);
  internal::Title(canvas, "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ");
  internal::NameField(canvas, "Hồ sơ của ông (bà):", request.applicant.name);
  ApplicantDetails(canvas, request.applicant);
  internal::Field(canvas, "Nội dung yêu cầu giải quyết:", request.procedure_name);
  internal::NameField(canvas, "Thời gian tiếp nhận hồ sơ:", request.received_at);
  canvas.Skip(2);
  canvas.Paragraph(
      "Sau khi kiểm tra thành phần hồ sơ, " +
          canvas.EscapeName(request.letterhead.agency, internal::Body(), canvas.content_width()) +
          " đề nghị ông (bà) bổ sung, hoàn thiện hồ sơ gồm những nội dung sau:",
      internal::Body());
  canvas.Skip(2);
  Bullets(canvas, request.items, /*numbered=*/true);
  if (!request.guidance.empty()) {
    canvas.Skip(1);
    canvas.Paragraph("<i>Hướng dẫn:</i> " + canvas.Escape(request.guidance), internal::Body());
  }
  canvas.Skip(2);
  std::string contact = "Trong quá trình hoàn thiện hồ sơ, nếu có vướng mắc, ông (bà) liên hệ ";
  contact += request.contact_text.empty() ? "Bộ phận tiếp nhận và trả kết quả"
                                          : canvas.Escape(request.contact_text);
  contact += " để được hướng dẫn.";
  canvas.Paragraph(contact, internal::Body());
  internal::Signatures(
      canvas, std::nullopt,
      {.title = "Người hướng dẫn", .hint = "(Ký và ghi rõ họ tên)", .name = request.officer_name});
}

void ComposeRejection(Canvas& canvas, const Rejection& rejection) {
  if (!internal::CheckCommon(canvas, rejection.dossier_code, rejection.issued_on)) {
    return;
  }
  internal::Heading(canvas, rejection.letterhead, rejection.dossier_code, rejection.issued_on);
  internal::Title(canvas, "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ");
  internal::NameField(canvas, "Bộ phận tiếp nhận và trả kết quả:", rejection.letterhead.agency);
  internal::NameField(canvas, "Tiếp nhận hồ sơ của ông (bà):", rejection.applicant.name);
  ApplicantDetails(canvas, rejection.applicant);
  internal::Field(canvas, "Nội dung yêu cầu giải quyết:", rejection.procedure_name);
  internal::NameField(canvas, "Thời gian tiếp nhận hồ sơ:", rejection.received_at);
  canvas.Skip(2);
  canvas.Paragraph(
      "Qua xem xét, " +
          canvas.EscapeName(rejection.letterhead.agency, internal::Body(), canvas.content_width()) +
          " thông báo không tiếp nhận, giải quyết hồ sơ này với lý do cụ thể như sau:",
      internal::Body());
  canvas.Skip(2);
  Bullets(canvas, rejection.reasons, /*numbered=*/false);
  canvas.Skip(2);
  canvas.Paragraph("Xin thông báo để ông (bà) được biết và thực hiện./.", internal::Body());
  internal::Signatures(canvas, std::nullopt,
                       {.title = "Người tiếp nhận hồ sơ",
                        .hint = "(Ký và ghi rõ họ tên)",
                        .name = rejection.officer_name});
}

void ComposeApology(Canvas& canvas, const Apology& apology) {
  if (!internal::CheckCommon(canvas, apology.dossier_code, apology.issued_on)) {
    return;
  }
  const double width = canvas.content_width();
  const std::string agency = canvas.EscapeName(apology.letterhead.agency, internal::Body(), width);
  internal::Heading(canvas, apology.letterhead, apology.dossier_code, apology.issued_on);
  internal::Title(canvas, "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ");
  internal::TextStyle addressee = internal::Body();
  addressee.align = internal::Align::kCenter;
  canvas.Paragraph("Kính gửi: ông (bà) <b>" +
                       canvas.EscapeName(apology.applicant.name, internal::BodyBold(), width) +
                       "</b>",
                   addressee);
  canvas.Skip(Mm(2));
  const auto paragraph = [&](const std::string& markup) {
    canvas.Paragraph(markup, internal::Body());
    canvas.Skip(2.5);
  };
  paragraph("Vào " + canvas.EscapeName(apology.received_at, internal::Body(), width) + ", " +
            agency + " đã tiếp nhận hồ sơ của ông (bà) đề nghị giải quyết thủ tục <b>" +
            canvas.Escape(apology.procedure_name) + "</b> (mã hồ sơ <b>" +
            canvas.Escape(apology.dossier_code) + "</b>).");
  paragraph("Thời gian hẹn trả kết quả giải quyết hồ sơ: <b>" +
            canvas.EscapeName(apology.original_appointment_at, internal::BodyBold(), width) +
            "</b>.");
  paragraph("Tuy nhiên, đến nay " + agency +
            " chưa trả kết quả giải quyết hồ sơ cho ông (bà) đúng hẹn.");
  paragraph("Lý do: " + canvas.Escape(apology.reason));
  paragraph("Sự chậm trễ này đã gây phiền hà cho ông (bà). " + agency +
            " xin lỗi ông (bà) và sẽ trả kết quả giải quyết hồ sơ vào <b>" +
            canvas.EscapeName(apology.new_appointment_at, internal::BodyBold(), width) + "</b>.");
  paragraph("Xin trân trọng cảm ơn sự hợp tác của ông (bà)./.");
  internal::Signatures(canvas, std::nullopt,
                       {.title = apology.signer_title.empty() ? std::string("Thủ trưởng cơ quan")
                                                              : apology.signer_title,
                        .hint = "(Ký, ghi rõ họ tên và đóng dấu)",
                        .name = apology.signer_name});
}

}  // namespace

Result<std::string> RenderCompletionRequest(const CompletionRequest& request) {
  return internal::RenderPdf(
      internal::A5Portrait("Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ", request.issued_on),
      [&](Canvas& canvas) { ComposeCompletionRequest(canvas, request); });
}

Result<std::string> RenderRejection(const Rejection& rejection) {
  return internal::RenderPdf(
      internal::A5Portrait("Phiếu từ chối tiếp nhận giải quyết hồ sơ", rejection.issued_on),
      [&](Canvas& canvas) { ComposeRejection(canvas, rejection); });
}

Result<std::string> RenderApology(const Apology& apology) {
  return internal::RenderPdf(
      internal::A5Portrait("Phiếu xin lỗi và hẹn lại ngày trả kết quả", apology.issued_on),
      [&](Canvas& canvas) { ComposeApology(canvas, apology); });
}

}  // namespace tinhso::forms
