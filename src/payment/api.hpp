// The payment module's API types (http/api.hpp): what its routes read and answer.
#pragma once

#include <string>
#include <vector>

#include "http/api.hpp"
#include "payment/payment.hpp"

namespace tinhso::payment {

BOOST_DESCRIBE_ENUM(Status, kPending, kPaid, kFailed, kExpired, kRefunded)
TINHSO_API_STRUCT(FeeLine, (kind, code, name, amount))

// One message of the payment's log; the raw body stays out: it is evidence for the log, not
// for the screen.
struct PaymentEvent {
  std::string source;  // "callback", "init", "query"
  http::Timestamp received_at;
  std::string verdict;
  bool anomaly = false;
  std::string note;
};
TINHSO_API_STRUCT(PaymentEvent, (source, received_at, verdict, anomaly, note))

struct PaymentView {
  std::string reference;
  std::int64_t dossier_id = 0;
  std::string dossier_code;
  int attempt = 0;
  std::int64_t amount = 0;
  std::string currency;  // "VND"
  std::vector<FeeLine> fees;
  std::string description;
  std::string payer_name;
  std::string procedure_code;
  std::string procedure_name;
  std::string agency_code;
  std::string agency_name;
  Status status = Status::kPending;
  std::string payment_url;
  int init_count = 0;
  std::string gateway_transaction;
  std::string gateway_bank;
  std::string failure_code;
  bool late = false;
  std::string paid_via;
  std::string refund_reason;
  http::Timestamp created_at;
  http::Timestamp updated_at;
  http::Nullable<http::Timestamp> paid_at;
  http::Nullable<http::Timestamp> closed_at;
  http::Nullable<http::Timestamp> refunded_at;
  std::vector<PaymentEvent> events;
};
TINHSO_API_STRUCT(PaymentView,
                  (reference, dossier_id, dossier_code, attempt, amount, currency, fees,
                   description, payer_name, procedure_code, procedure_name, agency_code,
                   agency_name, status, payment_url, init_count, gateway_transaction, gateway_bank,
                   failure_code, late, paid_via, refund_reason, created_at, updated_at, paid_at,
                   closed_at, refunded_at, events))

// POST /api/v1/payments/{reference}/refund
struct RefundInput {
  http::Text<500> reason;
};
TINHSO_API_STRUCT(RefundInput, (reason))

}  // namespace tinhso::payment
