// Thin HTTP handlers for payments: parse, call the service, render.
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "core/json.hpp"
#include "core/parse.hpp"
#include "http/http.hpp"
#include "payment/messages.hpp"
#include "payment/payment.hpp"

namespace tinhso::payment {
namespace {

boost::json::value OptionalTime(const std::optional<core::Seconds>& t) {
  if (!t) return nullptr;
  return boost::json::value(core::FormatTimestamp(*t));
}

boost::json::object PaymentJson(const Payment& p, const std::vector<Event>& events) {
  boost::json::object o;
  o["reference"] = p.reference;
  o["dossier_id"] = p.dossier_id;
  o["dossier_code"] = p.dossier_code;
  o["attempt"] = p.attempt;
  o["amount"] = p.amount;
  o["currency"] = "VND";
  boost::json::array fees;
  for (const FeeLine& f : p.fees) {
    fees.push_back(boost::json::object{
        {"kind", f.kind}, {"code", f.code}, {"name", f.name}, {"amount", f.amount}});
  }
  o["fees"] = std::move(fees);
  o["description"] = p.description;
  o["payer_name"] = p.payer_name;
  o["procedure_code"] = p.procedure_code;
  o["procedure_name"] = p.procedure_name;
  o["agency_code"] = p.agency_code;
  o["agency_name"] = p.agency_name;
  o["status"] = StatusName(p.status);
  o["payment_url"] = p.payment_url;
  o["init_count"] = p.init_count;
  o["gateway_transaction"] = p.gateway_transaction;
  o["gateway_bank"] = p.gateway_bank;
  o["failure_code"] = p.failure_code;
  o["late"] = p.late;
  o["paid_via"] = p.paid_via;
  o["refund_reason"] = p.refund_reason;
  o["created_at"] = core::FormatTimestamp(p.created_at);
  o["updated_at"] = core::FormatTimestamp(p.updated_at);
  o["paid_at"] = OptionalTime(p.paid_at);
  o["closed_at"] = OptionalTime(p.closed_at);
  o["refunded_at"] = OptionalTime(p.refunded_at);
  boost::json::array log;
  for (const Event& e : events) {
    // The raw body stays out: it is evidence for the log, not for the screen.
    log.push_back(boost::json::object{{"source", e.source},
                                      {"received_at", core::FormatTimestamp(e.received_at)},
                                      {"verdict", e.verdict},
                                      {"anomaly", e.anomaly},
                                      {"note", e.note}});
  }
  o["events"] = std::move(log);
  return o;
}

Result<http::Response> Render(Service& service, const Payment& p) {
  TINHSO_ASSIGN_OR_RETURN(std::vector<Event> events, service.Events(p.reference));
  return http::JsonResponse(200, json::Serialize(PaymentJson(p, events)));
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

// The platform's confirmation, answered in the platform's format: MaLoi "00" when the message
// was taken into account (a duplicate included, so the platform stops resending); otherwise our
// code with a non-2xx status, so that a 5xx ("99") is retried. Only a message that passed its
// checks gets a signed answer repeating its fields: signing anything else would hand anyone a
// checksum over values they chose.
Result<http::Response> CallbackHandler(Service& service, const http::Request& req, http::Context&) {
  CallbackResult result = service.Callback(req.body);
  if (!result.checked) {
    const Error& e = result.outcome.error();
    return http::JsonResponse(http::StatusFor(e.code),
                              ToJson(BuildRefusal(AnswerCode(e), e.message_vi)));
  }
  const Fields& sent = *result.checked;
  if (result.outcome.ok()) {
    const Fields answer = BuildConfirmAnswer(kAnswerAccepted, VerdictName(result.outcome->verdict),
                                             sent, service.config());
    return http::JsonResponse(200, ToJson(answer));
  }
  const Error& e = result.outcome.error();
  const Fields answer = BuildConfirmAnswer(AnswerCode(e), e.message_vi, sent, service.config());
  return http::JsonResponse(http::StatusFor(e.code), ToJson(answer));
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
                                     const http::Request& req, http::Context& ctx) {
  TINHSO_ASSIGN_OR_RETURN(Payment p, Authorized(service, check, ctx, "payment.manage"));
  TINHSO_ASSIGN_OR_RETURN(boost::json::object body, json::ParseObject(req.body));
  TINHSO_ASSIGN_OR_RETURN(std::string reason, json::RequiredString(body, "reason", 500));
  TINHSO_ASSIGN_OR_RETURN(Payment refunded, service.Refund(p.reference, reason, ctx.actor));
  return Render(service, refunded);
}

}  // namespace

void RegisterRoutes(http::Router& router, Service& service, ObjectCheck check) {
  router.Add(
      {.method = http::Method::kPost,
       .path = "/api/v1/payments/callback",
       .action = "public.payment_callback",
       .summary_vi = "Nhận kết quả thanh toán từ Nền tảng thanh toán (xác thực bằng MaXacThuc)",
       .summary_en = "Receive a payment result from the payment platform (MaXacThuc-signed)",
       .handler = [&service](const http::Request& r,
                             http::Context& c) { return CallbackHandler(service, r, c); },
       .tag = "payment"});
  router.Add(
      {.method = http::Method::kGet,
       .path = "/api/v1/payments/{reference}",
       .action = "payment.read",
       .summary_vi = "Xem yêu cầu thanh toán và nhật ký bản tin",
       .summary_en = "Read a payment request and its message log",
       .handler = [&service, check](const http::Request& r,
                                    http::Context& c) { return GetHandler(service, check, r, c); },
       .tag = "payment"});
  router.Add({.method = http::Method::kPost,
              .path = "/api/v1/payments/{reference}/query",
              .action = "payment.manage",
              .summary_vi = "Tra soát trạng thái giao dịch với Nền tảng thanh toán",
              .summary_en = "Ask the payment platform for the transaction's state and reconcile",
              .handler = [&service, check](
                             const http::Request& r,
                             http::Context& c) { return QueryHandler(service, check, r, c); },
              .tag = "payment"});
  router.Add(
      {.method = http::Method::kPost,
       .path = "/api/v1/payments/{reference}/refund",
       .action = "payment.manage",
       .summary_vi = "Ghi nhận hoàn tiền cho khoản đã thanh toán",
       .summary_en = "Record the refund of a paid request",
       .handler = [&service, check](
                      const http::Request& r,
                      http::Context& c) { return RefundHandler(service, check, r, c); },
       .request_schema =
           R"({"type":"object","required":["reason"],"properties":{"reason":{"type":"string"}}})",
       .tag = "payment"});
}

}  // namespace tinhso::payment
