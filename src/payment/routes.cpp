// Thin HTTP handlers for payments: parse, call the service, render.
#include "http/api.hpp"
#include "payment/api.hpp"
#include "payment/messages.hpp"
#include "payment/payment.hpp"

namespace tinhso::payment {
namespace {

PaymentView View(const Payment& p, const std::vector<Event>& events) {
  PaymentView v{.reference = p.reference,
                .dossier_id = p.dossier_id,
                .dossier_code = p.dossier_code,
                .attempt = p.attempt,
                .amount = p.amount,
                .currency = "VND",
                .fees = p.fees,
                .description = p.description,
                .payer_name = p.payer_name,
                .procedure_code = p.procedure_code,
                .procedure_name = p.procedure_name,
                .agency_code = p.agency_code,
                .agency_name = p.agency_name,
                .status = p.status,
                .payment_url = p.payment_url,
                .init_count = p.init_count,
                .gateway_transaction = p.gateway_transaction,
                .gateway_bank = p.gateway_bank,
                .failure_code = p.failure_code,
                .late = p.late,
                .paid_via = p.paid_via,
                .refund_reason = p.refund_reason,
                .created_at = p.created_at,
                .updated_at = p.updated_at,
                .paid_at = p.paid_at,
                .closed_at = p.closed_at,
                .refunded_at = p.refunded_at,
                .events = {}};
  for (const Event& e : events) {
    v.events.push_back({.source = e.source,
                        .received_at = e.received_at,
                        .verdict = e.verdict,
                        .anomaly = e.anomaly,
                        .note = e.note});
  }
  return v;
}

Result<http::Response> Render(Service& service, const Payment& p) {
  TINHSO_ASSIGN_OR_RETURN(std::vector<Event> events, service.Events(p.reference));
  return http::Reply(200, View(p, events));
}

// Finds the payment and asks the app's object check, if any.
Result<Payment> Authorized(Service& service, const ObjectCheck& check, const http::Context& ctx,
                           std::string_view action) {
  TINHSO_ASSIGN_OR_RETURN(Payment p, service.Get(ctx.Param("reference")));
  if (check) TINHSO_RETURN_IF_ERROR(check(ctx.actor, action, p));
  return p;
}

std::string_view AnswerCode(const Error& e) {
  if (e.reason == "payment.bad_checksum") return kAnswerBadChecksum;
  if (e.reason == "payment.wrong_partner") return kAnswerWrongPartner;
  if (e.reason == "payment.unknown_reference") return kAnswerUnknownReference;
  if (e.reason == "payment.amount_mismatch") return kAnswerAmountMismatch;
  if (e.code == ErrorCode::kInvalidArgument) return kAnswerBadMessage;
  return kAnswerRetryLater;
}

// The answer's fields (BuildConfirmAnswer, BuildRefusal) as the declared reply: those present.
http::Response Answered(int status, const Fields& answer) {
  auto present = [&](std::string_view name) -> std::optional<std::string> {
    const auto it = answer.find(std::string(name));
    if (it == answer.end()) return std::nullopt;
    return it->second;
  };
  CallbackReply reply{.MaLoi = {std::string(Field(answer, "MaLoi"))},
                      .MoTaLoi = std::string(Field(answer, "MoTaLoi")),
                      .MaDoiTac = present("MaDoiTac"),
                      .MaThamChieu = present("MaThamChieu"),
                      .ThoiGianGD = present("ThoiGianGD"),
                      .MaXacThuc = {}};
  if (auto checksum = present("MaXacThuc")) reply.MaXacThuc.emplace(std::move(*checksum));
  return http::Reply(status, reply);
}

// The platform's confirmation, answered in the platform's format: MaLoi "00" when the message
// was taken into account (a duplicate included, so the platform stops resending); otherwise our
// code with a non-2xx status, so that a 5xx ("99") is retried. Only a message that passed its
// checks gets a signed answer repeating its fields: signing anything else would hand anyone a
// checksum over values they chose. Never an Error: the platform reads only its own format
// (Route::errors).
Result<http::Response> CallbackHandler(Service& service, const http::Request& req, http::Context&) {
  CallbackResult result = service.Callback(req.body);
  if (!result.checked) {
    const Error& e = result.outcome.error();
    return Answered(http::StatusFor(e.code), BuildRefusal(AnswerCode(e), e.message_vi));
  }
  const Fields& sent = *result.checked;
  if (result.outcome.ok()) {
    return Answered(200, BuildConfirmAnswer(kAnswerAccepted, VerdictName(result.outcome->verdict),
                                            sent, service.config()));
  }
  const Error& e = result.outcome.error();
  return Answered(http::StatusFor(e.code),
                  BuildConfirmAnswer(AnswerCode(e), e.message_vi, sent, service.config()));
}

Result<http::Response> GetHandler(Service& service, const ObjectCheck& check, const http::Request&,
                                  http::Context& ctx) {
  TINHSO_ASSIGN_OR_RETURN(Payment p, Authorized(service, check, ctx, "payment.read"));
  return Render(service, p);
}

Result<http::Response> QueryHandler(Service& service, const ObjectCheck& check,
                                    const http::Request&, http::Context& ctx) {
  TINHSO_ASSIGN_OR_RETURN(Payment p, Authorized(service, check, ctx, "payment.manage"));
  TINHSO_ASSIGN_OR_RETURN(Payment now, service.Query(p.reference));
  return Render(service, now);
}

Result<http::Response> RefundHandler(Service& service, const ObjectCheck& check,
                                     const http::Request&, http::Context& ctx) {
  TINHSO_ASSIGN_OR_RETURN(Payment p, Authorized(service, check, ctx, "payment.manage"));
  const auto& in = ctx.Body<RefundInput>();
  TINHSO_ASSIGN_OR_RETURN(Payment refunded,
                          service.Refund(p.reference, in.reason.value, ctx.actor));
  return Render(service, refunded);
}

}  // namespace

void RegisterRoutes(http::Router& router, Service& service, ObjectCheck check) {
  // MaThamChieu: the dossier code and the attempt (payment.hpp, Reference).
  const http::PathParam kReference = http::CodeParam("reference");
  router.Add(
      {.method = http::Method::kPost,
       .path = "/api/v1/payments/callback",
       .action = "public.payment_callback",
       .summary_vi = "Nhận kết quả thanh toán từ Nền tảng thanh toán (xác thực bằng MaXacThuc)",
       .summary_en = "Receive a payment result from the payment platform (MaXacThuc-signed)",
       .handler = [&service](const http::Request& r,
                             http::Context& c) { return CallbackHandler(service, r, c); },
       .tag = "payment",
       .body = http::DocumentedBody<CallbackMessage>(),
       .answers = {http::Returns<CallbackReply>(
                       200,
                       "MaLoi 00: đã ghi nhận, kể cả bản tin gửi lại (có ký) / taken into "
                       "account, a resent message included (signed)"),
                   http::Returns<CallbackReply>(
                       400,
                       "MaLoi 05: bản tin sai dạng (không ký) / a malformed message "
                       "(unsigned)"),
                   http::Returns<CallbackReply>(
                       403,
                       "MaLoi 01: MaXacThuc sai (không ký); 02: MaDoiTac không phải của "
                       "chúng tôi (có ký) / 01: a wrong MaXacThuc (unsigned); 02: not our "
                       "partner code (signed)"),
                   http::Returns<CallbackReply>(
                       404,
                       "MaLoi 03: không có MaThamChieu này (có ký) / no such reference "
                       "(signed)"),
                   http::Returns<CallbackReply>(
                       422,
                       "MaLoi 04: SoTien hoặc MaTienTe khác yêu cầu (có ký) / the amount "
                       "or currency differs (signed)")},
       .errors = http::ErrorBody<CallbackReply>()});
  router.Add(
      {.method = http::Method::kGet,
       .path = "/api/v1/payments/{reference}",
       .action = "payment.read",
       .summary_vi = "Xem yêu cầu thanh toán và nhật ký bản tin",
       .summary_en = "Read a payment request and its message log",
       .handler = [&service, check](const http::Request& r,
                                    http::Context& c) { return GetHandler(service, check, r, c); },
       .tag = "payment",
       .params = {kReference},
       .answers = {http::Returns<PaymentView>()}});
  router.Add({.method = http::Method::kPost,
              .path = "/api/v1/payments/{reference}/query",
              .action = "payment.manage",
              .summary_vi = "Tra soát trạng thái giao dịch với Nền tảng thanh toán",
              .summary_en = "Ask the payment platform for the transaction's state and reconcile",
              .handler = [&service, check](
                             const http::Request& r,
                             http::Context& c) { return QueryHandler(service, check, r, c); },
              .tag = "payment",
              .params = {kReference},
              .answers = {http::Returns<PaymentView>()}});
  router.Add({.method = http::Method::kPost,
              .path = "/api/v1/payments/{reference}/refund",
              .action = "payment.manage",
              .summary_vi = "Ghi nhận hoàn tiền cho khoản đã thanh toán",
              .summary_en = "Record the refund of a paid request",
              .handler = [&service, check](
                             const http::Request& r,
                             http::Context& c) { return RefundHandler(service, check, r, c); },
              .tag = "payment",
              .params = {kReference},
              .body = http::JsonBody<RefundInput>(),
              .answers = {http::Returns<PaymentView>()}});
}

}  // namespace tinhso::payment

namespace tinhso::http {

void Codec<payment::ReplyCode>::Schema(SchemaSet&, boost::json::object& out) {
  out["type"] = "string";
  out["enum"] = {payment::kAnswerAccepted,       payment::kAnswerBadChecksum,
                 payment::kAnswerWrongPartner,   payment::kAnswerUnknownReference,
                 payment::kAnswerAmountMismatch, payment::kAnswerBadMessage,
                 payment::kAnswerRetryLater};
  out["description"] =
      "00 đã ghi nhận, 01 MaXacThuc sai, 02 sai MaDoiTac, 03 không có MaThamChieu, 04 sai số "
      "tiền, 05 bản tin sai dạng, 99 lỗi phía chúng tôi: gửi lại sau / 00 taken into account, "
      "01 wrong checksum, 02 wrong partner, 03 unknown reference, 04 amount mismatch, 05 "
      "malformed, 99 our fault: send it again";
}

}  // namespace tinhso::http
