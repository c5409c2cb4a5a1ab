// Every statement the payment module runs, portable to SQLite 3.40 and PostgreSQL 15.
// Parameter names are never repeated within one statement (the PostgreSQL rewrite to $n).
#pragma once

#include <string_view>

namespace tinhso::payment::sql {

// The columns read into a Payment, in the order service.cpp expects them.
#define TINHSO_PAYMENT_COLUMNS                                                                   \
  "id, reference, dossier_id, dossier_code, attempt, agency_id, payer_user_id, amount, "         \
  "description, payer_name, payer_id_number, procedure_code, procedure_name, agency_code, "      \
  "agency_name, status, payment_url, init_count, gateway_transaction, gateway_bank, "            \
  "gateway_time, failure_code, late, paid_via, refund_reason, created_at, updated_at, paid_at, " \
  "closed_at, refunded_at, init_at"

inline constexpr std::string_view kByReference =
    "SELECT " TINHSO_PAYMENT_COLUMNS " FROM payments WHERE reference = :reference";

// Takes the row lock first (PostgreSQL; SQLite's write transaction already holds the database
// lock) and returns the row as committed by whoever held the lock before us, so concurrent
// callbacks for one reference are decided one after the other.
inline constexpr std::string_view kLockByReference =
    "UPDATE payments SET updated_at = updated_at WHERE reference = :reference "
    "RETURNING " TINHSO_PAYMENT_COLUMNS;

inline constexpr std::string_view kByDossier =
    "SELECT " TINHSO_PAYMENT_COLUMNS
    " FROM payments WHERE dossier_id = :dossier_id ORDER BY attempt";

inline constexpr std::string_view kPendingByDossier =
    "SELECT " TINHSO_PAYMENT_COLUMNS
    " FROM payments WHERE dossier_id = :dossier_id AND status = 'pending'";

// Pending requests created before :before, oldest first.
inline constexpr std::string_view kStalePending =
    "SELECT reference FROM payments WHERE status = 'pending' AND created_at < :before "
    "ORDER BY created_at, id";

#undef TINHSO_PAYMENT_COLUMNS

inline constexpr std::string_view kNextAttempt = R"(
SELECT COALESCE(MAX(attempt), 0) + 1 FROM payments WHERE dossier_id = :dossier_id)";

inline constexpr std::string_view kInsert = R"(
INSERT INTO payments (reference, dossier_id, dossier_code, attempt, agency_id, payer_user_id,
  amount, description, payer_name, payer_id_number, procedure_code, procedure_name, agency_code,
  agency_name, status, created_by, created_at, updated_at)
VALUES (:reference, :dossier_id, :dossier_code, :attempt, :agency_id, :payer_user_id, :amount,
  :description, :payer_name, :payer_id_number, :procedure_code, :procedure_name, :agency_code,
  :agency_name, 'pending', :created_by, :created_at, :updated_at)
RETURNING id)";

inline constexpr std::string_view kInsertFee = R"(
INSERT INTO payment_fees (payment_id, line_no, kind, code, name, amount)
VALUES (:payment_id, :line_no, :kind, :code, :name, :amount))";

inline constexpr std::string_view kFees = R"(
SELECT kind, code, name, amount FROM payment_fees WHERE payment_id = :payment_id ORDER BY line_no)";

// Counts an INIT about to be sent, whatever its fate.
inline constexpr std::string_view kInitSent = R"(
UPDATE payments SET init_count = init_count + 1, init_at = :init_at, updated_at = :updated_at
WHERE id = :id)";

inline constexpr std::string_view kSetUrl = R"(
UPDATE payments SET payment_url = :payment_url, updated_at = :updated_at
WHERE id = :id AND status = 'pending')";

inline constexpr std::string_view kMarkPaid = R"(
UPDATE payments SET status = 'paid', gateway_transaction = :gateway_transaction,
  gateway_bank = :gateway_bank, gateway_time = :gateway_time, late = :late, paid_via = :paid_via,
  paid_at = :paid_at, updated_at = :updated_at
WHERE id = :id AND status IN ('pending', 'failed', 'expired'))";

inline constexpr std::string_view kMarkFailed = R"(
UPDATE payments SET status = 'failed', failure_code = :failure_code,
  gateway_transaction = :gateway_transaction, gateway_time = :gateway_time,
  closed_at = :closed_at, updated_at = :updated_at
WHERE id = :id AND status = 'pending')";

inline constexpr std::string_view kMarkExpired = R"(
UPDATE payments SET status = 'expired', closed_at = :closed_at, updated_at = :updated_at
WHERE id = :id AND status = 'pending')";

inline constexpr std::string_view kMarkRefunded = R"(
UPDATE payments SET status = 'refunded', refund_reason = :refund_reason,
  refunded_at = :refunded_at, updated_at = :updated_at
WHERE id = :id AND status = 'paid')";

// Other paid requests of the same dossier (a late payment may make it paid twice).
inline constexpr std::string_view kOtherPaid = R"(
SELECT reference FROM payments WHERE dossier_id = :dossier_id AND status = 'paid' AND id <> :id)";

inline constexpr std::string_view kInsertEvent = R"(
INSERT INTO payment_events (reference, source, received_at, body, verdict, anomaly, note)
VALUES (:reference, :source, :received_at, :body, :verdict, :anomaly, :note))";

inline constexpr std::string_view kEventsByReference = R"(
SELECT id, reference, source, received_at, body, verdict, anomaly, note
FROM payment_events WHERE reference = :reference ORDER BY id)";

inline constexpr std::string_view kAnomalies = R"(
SELECT id, reference, source, received_at, body, verdict, anomaly, note
FROM payment_events WHERE anomaly = 1 ORDER BY id DESC LIMIT :limit)";

}  // namespace tinhso::payment::sql
