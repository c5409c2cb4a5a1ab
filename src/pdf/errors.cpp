#include "pdf/errors.hpp"

#include <utility>

namespace tinhso::pdf::internal {

Error NotPdf(std::string detail) {
  return MakeError(ErrorCode::kInvalidArgument, "pdf.not_pdf", "Tệp không phải là tệp PDF",
                   "the file is not a PDF", std::move(detail));
}

Error Truncated(std::string detail) {
  return MakeError(ErrorCode::kInvalidArgument, "pdf.truncated",
                   "Tệp PDF bị cắt cụt hoặc thiếu phần cuối tệp",
                   "the PDF file is truncated or its end is missing", std::move(detail));
}

Error XrefInvalid(std::string detail) {
  return MakeError(ErrorCode::kInvalidArgument, "pdf.xref_invalid",
                   "Bảng tham chiếu chéo (xref) của tệp PDF bị hỏng",
                   "the PDF cross-reference table is damaged", std::move(detail));
}

Error Malformed(std::string detail) {
  return MakeError(ErrorCode::kInvalidArgument, "pdf.malformed", "Tệp PDF có cấu trúc không hợp lệ",
                   "the PDF file is malformed", std::move(detail));
}

Error BadStream(std::string detail) {
  return MakeError(ErrorCode::kInvalidArgument, "pdf.bad_stream",
                   "Một luồng dữ liệu (stream) trong tệp PDF bị hỏng",
                   "a stream in the PDF file is damaged", std::move(detail));
}

Error LimitExceeded(std::string detail) {
  // 413: the file asks for more work than any real document of its size needs. Not 429, which
  // would tell the sender to try the same file again later.
  return MakeError(ErrorCode::kPayloadTooLarge, "pdf.limit_exceeded",
                   "Tệp PDF vượt quá giới hạn xử lý (dung lượng giải nén, số đối tượng hoặc độ "
                   "lồng nhau) so với kích thước của nó; tệp có thể bị hỏng hoặc được tạo cố ý.",
                   "The PDF exceeds a processing limit (decompressed size, object count or "
                   "nesting) for its size; it may be damaged or made on purpose.",
                   std::move(detail));
}

Error Unsupported(std::string detail) {
  return MakeError(ErrorCode::kInvalidArgument, "pdf.unsupported",
                   "Tệp PDF dùng tính năng chưa được hỗ trợ",
                   "the PDF uses a feature that is not supported", std::move(detail));
}

Error Encrypted() {
  return MakeError(ErrorCode::kFailedPrecondition, "pdf.encrypted",
                   "Tệp PDF đã được mã hóa; hãy gỡ mật khẩu trước khi ký",
                   "the PDF is encrypted; remove the password before signing");
}

Error BadTextString(std::string detail) {
  return MakeError(ErrorCode::kInvalidArgument, "pdf.bad_text_string",
                   "Một chuỗi văn bản trong tệp PDF có mã hóa ký tự không hợp lệ",
                   "a text string in the PDF has an invalid character encoding", std::move(detail));
}

Error InvalidRequest(std::string message_vi, std::string message_en) {
  return MakeError(ErrorCode::kInvalidArgument, "pdf.invalid_request", std::move(message_vi),
                   std::move(message_en));
}

Error RenderFailed(std::string detail) {
  return MakeError(ErrorCode::kInternal, "pdf.render_failed",
                   "Không tạo được hình hiển thị của chữ ký",
                   "could not render the signature appearance", std::move(detail));
}

Error CertifiedDocument(int permission) {
  if (permission == 1) {
    return MakeError(ErrorCode::kFailedPrecondition, "pdf.certified_no_changes",
                     "Tệp PDF đã được chứng nhận ở mức “không cho phép thay đổi”: thêm chữ ký sẽ "
                     "làm mất hiệu lực chứng nhận. Hãy đề nghị nơi phát hành gửi bản chưa chứng "
                     "nhận.",
                     "The PDF is certified with “no changes allowed”: adding a signature would "
                     "break the certification. Ask the issuer for a copy that is not certified.");
  }
  return MakeError(ErrorCode::kFailedPrecondition, "pdf.certified_no_new_fields",
                   "Tệp PDF đã được chứng nhận, chỉ cho phép điền biểu mẫu và ký vào ô chữ ký có "
                   "sẵn: thêm ô chữ ký mới sẽ làm mất hiệu lực chứng nhận.",
                   "The PDF is certified to allow only filling in forms and signing the signature "
                   "fields already in it: adding a new signature field would break the "
                   "certification.");
}

}  // namespace tinhso::pdf::internal
