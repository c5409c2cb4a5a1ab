// Fees and online payment of dossiers through the national payment platform (Nền tảng thanh toán
// trực tuyến of the DVCQG, "PayGov"; domain.md §7.2).
//
// A payment request (yêu cầu thanh toán) belongs to one dossier and carries our unique
// reference (MaThamChieu, "<dossier code>-<n>"), the amount in đồng and its fee lines. Its life:
//
//   pending ──(confirmation MaLoi "00", or a QUERY saying paid)──▶ paid ──(Refund)──▶ refunded
//      ├──(confirmation with another MaLoi)──▶ failed ─┐
//      └──(Reconcile: older than payment_ttl, QUERY    │ a successful confirmation that arrives
//          says unpaid)──────────────────────▶ expired ┴─▶ paid, flagged late (the money was taken)
//
// A dossier has at most one pending request at a time; a new one may follow a failed or expired
// one. Every message received from the platform (callbacks, INIT and QUERY answers) is kept in
// the payment_events log with its verdict, including forged and rejected ones.
//
// The wire format (fields, checksum order, codes) is in messages.hpp.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/actor.hpp"
#include "core/clock.hpp"
#include "core/result.hpp"
#include "storage/database.hpp"

namespace tinhso::http {
class Router;
}

namespace tinhso::payment {

/// Where and how to reach the platform (the app fills it from its configuration file).
struct GatewayConfig {
  std::string init_url;      ///< INIT endpoint, "http://…" (TLS is a later step of http::Fetch)
  std::string query_url;     ///< QUERY endpoint
  std::string partner_code;  ///< MaDoiTac: our partner code at the platform
  std::string secret;        ///< the shared secret key appended to every checksum
  std::string return_url;    ///< where the platform sends the payer's browser back (UrlTraVe)
  std::chrono::seconds timeout{15};                           ///< per call to the platform
  std::chrono::seconds payment_ttl = std::chrono::hours(24);  ///< pending older → expiry
  std::string bank_code = "PAYMENT";    ///< MaNganHang sent in INIT (platform chooses the bank)
  std::string channel = "1";            ///< MaKenhThanhToan
  std::string device = "1";             ///< MaThietBi
  std::string server_ip = "127.0.0.1";  ///< Ip sent in INIT: our server's address
};

enum class Status { kPending, kPaid, kFailed, kExpired, kRefunded };
/// "pending", "paid", "failed", "expired", "refunded": stored and sent as such.
std::string_view StatusName(Status status);
std::optional<Status> ParseStatus(std::string_view name);

/// One fee line (PhiLePhi of the receipt block).
struct FeeLine {
  std::string kind;  ///< LoaiPhiLePhi: "phi" (fee) or "lephi" (charge), as the catalogue says
  std::string code;  ///< MaPhiLePhi
  std::string name;  ///< TenPhiLePhi
  std::int64_t amount = 0;  ///< SoTien, đồng
};

struct PaymentRequestInput {
  std::int64_t dossier_id = 0;
  std::string dossier_code;        ///< MaHoSo; the reference is "<dossier_code>-<n>"
  std::int64_t agency_id = 0;      ///< the agency owning the dossier (for scope checks); 0 = none
  std::int64_t payer_user_id = 0;  ///< the applicant's account, if any (for scope checks)
  std::int64_t amount = 0;         ///< SoTien, đồng; must equal the sum of the fee lines
  std::vector<FeeLine> fees;       ///< at least one
  std::string payer_name;          ///< HoTenNguoiNop
  std::string payer_id_number;     ///< SoCMNDNguoiNop (CCCD)
  std::string procedure_code;      ///< MaTTHC
  std::string procedure_name;      ///< TenTTHC
  std::string agency_code;         ///< MaDonVi
  std::string agency_name;         ///< TenDonVi
  std::string description;         ///< ThongTinGiaoDich; default "Thanh toan ho so <code>"
};

struct Payment {
  std::int64_t id = 0;
  std::string reference;  ///< MaThamChieu
  std::int64_t dossier_id = 0;
  std::string dossier_code;
  int attempt = 0;  ///< n of the reference: 1 for the dossier's first request
  std::int64_t agency_id = 0;
  std::int64_t payer_user_id = 0;
  std::int64_t amount = 0;
  std::vector<FeeLine> fees;
  std::string description;
  std::string payer_name;
  std::string payer_id_number;
  std::string procedure_code;
  std::string procedure_name;
  std::string agency_code;
  std::string agency_name;
  Status status = Status::kPending;
  std::string payment_url;  ///< the platform's page for the payer; empty until INIT succeeds
  int init_count = 0;       ///< INIT messages sent (a retry resends with the same reference)
  std::string gateway_transaction;  ///< MaGiaoDich of the payment
  std::string gateway_bank;         ///< MaNganHang of the payment
  std::string gateway_time;         ///< ThoiGianGD of the confirmation, as sent
  std::string failure_code;         ///< MaLoi of a failed payment
  bool late = false;                ///< paid after the request had failed or expired
  std::string paid_via;             ///< "callback" or "query"
  std::string refund_reason;
  core::Seconds created_at{};
  core::Seconds updated_at{};
  std::optional<core::Seconds> init_at;  ///< ThoiGianGD of the last INIT sent
  std::optional<core::Seconds> paid_at;
  std::optional<core::Seconds> closed_at;  ///< when it failed or expired
  std::optional<core::Seconds> refunded_at;
};

/// What a callback did.
enum class Verdict {
  kPaid,           ///< pending → paid
  kPaidLate,       ///< failed/expired → paid (late = true)
  kFailed,         ///< pending → failed
  kDuplicate,      ///< already in the state the message asks for: nothing changed
  kIgnored,        ///< a failure notice for a request that is already closed: nothing changed
  kSecondPayment,  ///< a success with another MaGiaoDich for a paid request: anomaly, no change
};
std::string_view VerdictName(Verdict verdict);

struct ConfirmOutcome {
  Verdict verdict = Verdict::kPaid;
  bool changed = false;  ///< the payment's state changed (and OnPaid ran when it became paid)
  bool anomaly = false;  ///< someone must look at it (e.g. a dossier paid twice: refund one)
  Payment payment;
};

/// What a callback did, and the message when it passed its checks (LoaiBanTin, field values,
/// MaXacThuc): only then may an answer repeat its fields and be signed with the secret.
struct CallbackResult {
  Result<ConfirmOutcome> outcome;
  std::optional<std::map<std::string, std::string>> checked;
};

/// One entry of the payment_events log: every message received from the platform.
struct Event {
  std::int64_t id = 0;
  std::string reference;  ///< MaThamChieu as received (possibly forged or unknown)
  std::string source;     ///< "callback", "init", "query"
  core::Seconds received_at{};
  std::string body;     ///< the raw message
  std::string verdict;  ///< "paid", "duplicate", "bad_checksum", "amount_mismatch", …
  bool anomaly = false;
  std::string note;
};

struct ReconcileReport {
  int checked = 0;        ///< pending requests older than payment_ttl
  int expired = 0;        ///< the platform confirmed them unpaid
  int paid = 0;           ///< the platform said paid (the callback was lost)
  int failed = 0;         ///< the platform said the payment failed
  int still_pending = 0;  ///< the platform does not know the final state yet
  int errors = 0;         ///< the platform could not be asked (left pending, retried next run)
};

/// Called inside the transaction that makes a payment paid (by callback, query or late), so
/// the dossier's state changes with the payment or not at all. An error rolls everything back:
/// the payment keeps its state, the platform gets an error answer (and retries), and an event
/// with verdict "error" is logged. A hook should therefore accept a late payment
/// (Payment::late) of a dossier that has moved on, rather than fail it.
using PaidHook = std::function<Result<void>(storage::Transaction&, const Payment&)>;

/// Thread-safe once hooks are registered (register them all before serving requests).
class Service {
 public:
  Service(storage::Database& db, const core::Clock& clock, GatewayConfig config);

  /// Adds a hook run when a payment becomes paid (see PaidHook).
  void OnPaid(PaidHook hook);

  /// Creates a payment request for a dossier and sends INIT; returns it with payment_url set.
  /// The request is stored (with its audit entry) before INIT is sent, so nothing is lost when
  /// the platform is down: the request stays pending without a URL and the error is returned.
  /// Calling Request again for a dossier with a pending request of the same amount resends INIT
  /// with the same reference when there is no URL yet, or returns the request as it is.
  /// Errors: kInvalidArgument "payment.invalid_input"; kFailedPrecondition
  /// "payment.pending_exists" (a pending request with another amount), "payment.init_rejected"
  /// (the platform refused INIT: the request is marked failed); kUnavailable
  /// "payment.gateway_unreachable", "payment.gateway_bad_response" (request kept pending).
  Result<Payment> Request(const PaymentRequestInput& input, const core::Actor& actor);

  /// The platform's confirmation (callback), as flat fields (see messages.hpp), checked with
  /// CheckMessage first. Logged whatever happens. Errors (nothing changes): kPermissionDenied
  /// "payment.bad_checksum",
  /// "payment.wrong_partner"; kNotFound "payment.unknown_reference"; kFailedPrecondition
  /// "payment.amount_mismatch" (recorded as an anomaly); kInvalidArgument "payment.bad_message".
  Result<ConfirmOutcome> Confirm(const std::map<std::string, std::string>& fields);
  /// The same from the raw JSON body of the callback (stored verbatim in the log).
  Result<ConfirmOutcome> ConfirmJson(std::string_view body);
  /// ConfirmJson, telling also whether the message passed its checks (for the answer).
  CallbackResult Callback(std::string_view body);

  /// Asks the platform (QUERY) and reconciles: paid there → paid here (late if it had failed or
  /// expired); failed there → a pending request fails. Errors: kNotFound
  /// "payment.not_found"; kUnavailable (platform unreachable or bad answer); the Confirm
  /// errors for an answer that does not match the request.
  Result<Payment> Query(std::string_view reference);

  /// Records a refund of a paid request (local state and audit only: the platform's refund
  /// message is not in domain.md, so the refund itself is made outside, e.g. by the treasury).
  /// Errors: kInvalidArgument "payment.invalid_input" (no reason); kNotFound;
  /// kFailedPrecondition "payment.not_paid".
  Result<Payment> Refund(std::string_view reference, std::string_view reason,
                         const core::Actor& actor);

  /// Expires pending requests created before now - payment_ttl, each after a QUERY confirms it
  /// unpaid; a QUERY saying paid marks it paid instead. Requests the platform cannot be asked
  /// about are left for the next run. Errors only from the database.
  Result<ReconcileReport> Reconcile(core::Seconds now);

  /// Errors: kNotFound "payment.not_found".
  Result<Payment> Get(std::string_view reference) const;
  /// The dossier's requests, oldest first.
  Result<std::vector<Payment>> ListByDossier(std::int64_t dossier_id) const;
  /// The log entries for a reference, oldest first.
  Result<std::vector<Event>> Events(std::string_view reference) const;
  /// Log entries flagged as anomalies, newest first (at most `limit`).
  Result<std::vector<Event>> Anomalies(int limit = 100) const;

  const GatewayConfig& config() const { return config_; }

 private:
  struct Remote;    // a QUERY answer
  struct Decision;  // what one message does to one payment
  Result<Payment> SendInit(Payment payment);
  Result<Remote> Ask(const Payment& payment);
  Result<void> CheckConfirmation(const std::map<std::string, std::string>& fields,
                                 std::string_view raw);
  Result<ConfirmOutcome> Apply(const std::map<std::string, std::string>& fields,
                               std::string_view raw);
  Result<Decision> Settle(storage::Transaction& tx, const std::map<std::string, std::string>& f,
                          std::string_view raw, std::string_view source, bool success,
                          std::string_view failure_code);
  Result<ConfirmOutcome> SettleAndLog(const std::map<std::string, std::string>& fields,
                                      std::string_view raw, std::string_view source, bool success,
                                      std::string_view failure_code);
  Result<void> LogEvent(std::string_view reference, std::string_view source, std::string_view body,
                        std::string_view verdict, bool anomaly, std::string_view note);

  storage::Database& db_;
  const core::Clock& clock_;
  GatewayConfig config_;
  std::vector<PaidHook> paid_hooks_;
};

/// Object-level permission check for the read/manage routes, supplied by the app (it knows the
/// policy): called with the actor, the route's action and the payment. Empty = no check beyond
/// the route's action.
using ObjectCheck =
    std::function<Result<void>(const core::Actor&, std::string_view action, const Payment&)>;

/// POST /api/v1/payments/callback            "public.payment_callback" (checksum-authenticated)
/// GET  /api/v1/payments/{reference}         "payment.read"
/// POST /api/v1/payments/{reference}/query   "payment.manage"
/// POST /api/v1/payments/{reference}/refund  "payment.manage"  body {"reason": "…"}
void RegisterRoutes(http::Router& router, Service& service, ObjectCheck check = {});

}  // namespace tinhso::payment
