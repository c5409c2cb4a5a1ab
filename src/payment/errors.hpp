// Internal: the module's errors, one builder per stable reason, so that each reason has one
// wording in Vietnamese and English wherever it is raised.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace tinhso::payment::internal {

inline std::string Quoted(std::string_view s) { return "\"" + std::string(s) + "\""; }

inline Error InvalidInput(std::string_view field, std::string_view why_vi,
                          std::string_view why_en) {
  return MakeError(ErrorCode::kInvalidArgument, "payment.invalid_input",
                   "Trường " + Quoted(field) + " " + std::string(why_vi),
                   "Field " + Quoted(field) + " " + std::string(why_en));
}

inline Error NotFound(std::string_view reference) {
  return MakeError(ErrorCode::kNotFound, "payment.not_found",
                   "Không tìm thấy yêu cầu thanh toán " + Quoted(reference) + ".",
                   "No payment request " + Quoted(reference) + ".");
}

inline Error PendingExists(std::string_view reference) {
  return MakeError(ErrorCode::kFailedPrecondition, "payment.pending_exists",
                   "Hồ sơ đang có yêu cầu thanh toán " + Quoted(reference) +
                       " với số tiền khác chưa hoàn tất; chờ yêu cầu đó kết thúc rồi tạo lại.",
                   "The dossier already has the unfinished payment request " + Quoted(reference) +
                       " for another amount; wait until it ends, then request again.");
}

inline Error NotPaid(std::string_view reference, std::string_view status) {
  return MakeError(ErrorCode::kFailedPrecondition, "payment.not_paid",
                   "Yêu cầu thanh toán " + Quoted(reference) +
                       " chưa được thanh toán (trạng thái " + std::string(status) +
                       ") nên không thể hoàn tiền.",
                   "The payment request " + Quoted(reference) + " is not paid (status " +
                       std::string(status) + "), so it cannot be refunded.");
}

inline Error GatewayUnreachable(std::string detail) {
  return MakeError(ErrorCode::kUnavailable, "payment.gateway_unreachable",
                   "Không kết nối được Nền tảng thanh toán. Yêu cầu đã được lưu; vui lòng thử "
                   "lại sau.",
                   "The payment platform cannot be reached. The request is saved; please try "
                   "again later.",
                   std::move(detail));
}

inline Error GatewayBadResponse(std::string detail) {
  return MakeError(ErrorCode::kUnavailable, "payment.gateway_bad_response",
                   "Nền tảng thanh toán trả lời không hợp lệ. Vui lòng thử lại sau.",
                   "The payment platform sent an invalid answer. Please try again later.",
                   std::move(detail));
}

inline Error InitRejected(std::string_view code, std::string detail) {
  return MakeError(ErrorCode::kFailedPrecondition, "payment.init_rejected",
                   "Nền tảng thanh toán từ chối khởi tạo giao dịch (mã lỗi " + std::string(code) +
                       "). Vui lòng kiểm tra thông tin và tạo yêu cầu mới.",
                   "The payment platform refused to start the transaction (error " +
                       std::string(code) + "). Check the details and make a new request.",
                   std::move(detail));
}

inline Error BadChecksum() {
  return MakeError(ErrorCode::kPermissionDenied, "payment.bad_checksum",
                   "Mã xác thực (MaXacThuc) của bản tin không đúng.",
                   "The message's checksum (MaXacThuc) is wrong.");
}

inline Error WrongPartner(std::string_view partner) {
  return MakeError(ErrorCode::kPermissionDenied, "payment.wrong_partner",
                   "Bản tin gửi cho mã đối tác " + Quoted(partner) + ", không phải của hệ thống.",
                   "The message is addressed to partner " + Quoted(partner) + ", not to us.");
}

inline Error UnknownReference(std::string_view reference) {
  return MakeError(ErrorCode::kNotFound, "payment.unknown_reference",
                   "Không có yêu cầu thanh toán nào mang mã tham chiếu " + Quoted(reference) + ".",
                   "No payment request has the reference " + Quoted(reference) + ".");
}

inline Error AmountMismatch(std::string_view reference, std::string_view got,
                            std::int64_t expected) {
  return MakeError(ErrorCode::kFailedPrecondition, "payment.amount_mismatch",
                   "Số tiền trong bản tin (" + std::string(got) + ") khác số tiền yêu cầu (" +
                       std::to_string(expected) + " đồng) của " + Quoted(reference) +
                       "; đã ghi nhận để kiểm tra.",
                   "The amount in the message (" + std::string(got) +
                       ") differs from the requested amount (" + std::to_string(expected) +
                       " VND) of " + Quoted(reference) + "; recorded for review.");
}

inline Error BadMessage(std::string_view why_vi, std::string_view why_en) {
  return MakeError(ErrorCode::kInvalidArgument, "payment.bad_message",
                   "Bản tin thanh toán không hợp lệ: " + std::string(why_vi),
                   "The payment message is malformed: " + std::string(why_en));
}

}  // namespace tinhso::payment::internal
