// The payment use cases: request (INIT), confirmation callbacks, QUERY reconciliation, refunds,
// expiry. The only file of the module that runs SQL or talks to the platform.
//
// Two rules hold throughout:
// - No database transaction is held across a call to the platform: the request is committed
//   before INIT is sent, and answers are applied in a new transaction.
// - Every message received from the platform is logged in payment_events, in the same
//   transaction as its effect when it has one, else on its own, so nothing is lost.
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <optional>
#include <utility>

#include "audit/audit.hpp"
#include "core/parse.hpp"
#include "core/text.hpp"
#include "http/client.hpp"
#include "payment/errors.hpp"
#include "payment/messages.hpp"
#include "payment/payment.hpp"
#include "payment/sql.hpp"

namespace tinhso::payment {
namespace {

using storage::Transaction;

std::int64_t Epoch(core::Seconds t) { return t.time_since_epoch().count(); }

// The author of changes made on the platform's word (callbacks, QUERY answers, expiry).
core::Actor PlatformActor() {
  core::Actor a = core::SystemActor();
  a.login = "paygov";
  a.full_name = "Nền tảng thanh toán";
  return a;
}

std::string Trimmed(std::string_view s) {
  const auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  const auto last = s.find_last_not_of(" \t\r\n");
  return core::ToNfc(s.substr(first, last - first + 1));
}

Payment FromRow(const storage::Row& r) {
  Payment p;
  p.id = r.Int(0);
  p.reference = r.Text(1);
  p.dossier_id = r.Int(2);
  p.dossier_code = r.Text(3);
  p.attempt = static_cast<int>(r.Int(4));
  p.agency_id = r.Int(5);
  p.payer_user_id = r.Int(6);
  p.amount = r.Int(7);
  p.description = r.Text(8);
  p.payer_name = r.Text(9);
  p.payer_id_number = r.Text(10);
  p.procedure_code = r.Text(11);
  p.procedure_name = r.Text(12);
  p.agency_code = r.Text(13);
  p.agency_name = r.Text(14);
  p.status = ParseStatus(r.Text(15)).value_or(Status::kPending);
  p.payment_url = r.Text(16);
  p.init_count = static_cast<int>(r.Int(17));
  p.gateway_transaction = r.Text(18);
  p.gateway_bank = r.Text(19);
  p.gateway_time = r.Text(20);
  p.failure_code = r.Text(21);
  p.late = r.Int(22) != 0;
  p.paid_via = r.Text(23);
  p.refund_reason = r.Text(24);
  p.created_at = r.Time(25);
  p.updated_at = r.Time(26);
  p.paid_at = r.OptionalTime(27);
  p.closed_at = r.OptionalTime(28);
  p.refunded_at = r.OptionalTime(29);
  p.init_at = r.OptionalTime(30);
  return p;
}

Result<void> LoadFees(Transaction& tx, Payment& p) {
  TINHSO_ASSIGN_OR_RETURN(storage::Rows rows, tx.Query(sql::kFees, {{"payment_id", p.id}}));
  p.fees.clear();
  for (const auto& r : rows) {
    p.fees.push_back({r.Text(0), r.Text(1), r.Text(2), r.Int(3)});
  }
  return Ok();
}

// The payment with `reference` (fees loaded), nullopt when there is none. `lock`: take the row
// lock first (see sql::kLockByReference).
Result<std::optional<Payment>> Find(Transaction& tx, std::string_view reference, bool lock) {
  TINHSO_ASSIGN_OR_RETURN(storage::Rows rows,
                          tx.Query(lock ? sql::kLockByReference : sql::kByReference,
                                   {{"reference", std::string(reference)}}));
  if (rows.empty()) return std::optional<Payment>();
  Payment p = FromRow(rows[0]);
  TINHSO_RETURN_IF_ERROR(LoadFees(tx, p));
  return std::optional<Payment>(std::move(p));
}

Result<Payment> MustFind(Transaction& tx, std::string_view reference, bool lock) {
  TINHSO_ASSIGN_OR_RETURN(std::optional<Payment> p, Find(tx, reference, lock));
  if (!p) return internal::NotFound(reference);
  return std::move(*p);
}

Result<void> InsertEvent(Transaction& tx, core::Seconds at, std::string_view reference,
                         std::string_view source, std::string_view body, std::string_view verdict,
                         bool anomaly, std::string_view note) {
  TINHSO_RETURN_IF_ERROR(tx.Execute(sql::kInsertEvent, {{"reference", std::string(reference)},
                                                        {"source", std::string(source)},
                                                        {"received_at", Epoch(at)},
                                                        {"body", std::string(body)},
                                                        {"verdict", std::string(verdict)},
                                                        {"anomaly", anomaly ? 1 : 0},
                                                        {"note", std::string(note)}}));
  return Ok();
}

Result<void> Audit(Transaction& tx, const core::Actor& actor, std::string_view action,
                   const Payment& p, boost::json::object data, core::Seconds at) {
  data["reference"] = p.reference;
  data["dossier_id"] = p.dossier_id;
  data["amount"] = p.amount;
  TINHSO_RETURN_IF_ERROR(audit::Append(
      tx, actor, {std::string(action), "payment", p.reference, boost::json::serialize(data)}, at));
  return Ok();
}

Result<PaymentRequestInput> Validate(const PaymentRequestInput& in) {
  using internal::InvalidInput;
  PaymentRequestInput out = in;
  if (in.dossier_id <= 0)
    return InvalidInput("dossier_id", "phải là số dương.", "must be positive.");
  out.dossier_code = Trimmed(in.dossier_code);
  if (out.dossier_code.empty() || out.dossier_code.size() > 60) {
    return InvalidInput("dossier_code", "là bắt buộc, tối đa 60 ký tự.",
                        "is required, at most 60 characters.");
  }
  for (char c : out.dossier_code) {
    // The code becomes MaThamChieu: it travels in checksums ('|' would shift every field) and
    // in the payer's URL, so only letters, digits, '.', '-' and '_'.
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '-' || c == '_';
    if (!ok) {
      return InvalidInput("dossier_code", "chỉ gồm chữ cái không dấu, chữ số, '.', '-' và '_'.",
                          "may only hold ASCII letters, digits, '.', '-' and '_'.");
    }
  }
  if (in.amount <= 0) return InvalidInput("amount", "phải lớn hơn 0 đồng.", "must be above 0 VND.");
  if (in.fees.empty()) {
    return InvalidInput("fees", "phải có ít nhất một khoản phí, lệ phí.",
                        "must have at least one fee line.");
  }
  std::int64_t sum = 0;
  for (FeeLine& fee : out.fees) {
    fee.kind = Trimmed(fee.kind);
    fee.code = Trimmed(fee.code);
    fee.name = Trimmed(fee.name);
    if (fee.name.empty()) return InvalidInput("fees.name", "là bắt buộc.", "is required.");
    if (fee.amount < 0 || fee.amount > in.amount) {
      return InvalidInput("fees.amount", "phải từ 0 đến tổng số tiền.",
                          "must be between 0 and the total amount.");
    }
    sum += fee.amount;
  }
  if (sum != in.amount) {
    return InvalidInput("amount",
                        "phải bằng tổng các khoản phí, lệ phí (" + std::to_string(sum) + " đồng).",
                        "must equal the sum of the fee lines (" + std::to_string(sum) + " VND).");
  }
  out.payer_name = Trimmed(in.payer_name);
  if (out.payer_name.empty()) {
    return InvalidInput("payer_name", "là bắt buộc.", "is required.");
  }
  out.payer_id_number = Trimmed(in.payer_id_number);
  out.procedure_code = Trimmed(in.procedure_code);
  out.procedure_name = Trimmed(in.procedure_name);
  out.agency_code = Trimmed(in.agency_code);
  out.agency_name = Trimmed(in.agency_name);
  out.description = Trimmed(in.description);
  // Without diacritics by default: the public client seen sends "THANH TOAN HO SO <code>", and
  // bank statements often cannot show Vietnamese letters.
  if (out.description.empty()) out.description = "Thanh toan ho so " + out.dossier_code;
  for (const std::string* s : {&out.description, &out.payer_name, &out.payer_id_number}) {
    if (s->find('|') != std::string::npos) {
      return InvalidInput("description", "không được chứa ký tự '|'.", "must not contain '|'.");
    }
  }
  return out;
}

}  // namespace

std::string_view StatusName(Status status) {
  switch (status) {
    case Status::kPending:
      return "pending";
    case Status::kPaid:
      return "paid";
    case Status::kFailed:
      return "failed";
    case Status::kExpired:
      return "expired";
    case Status::kRefunded:
      return "refunded";
  }
  return "pending";
}

std::optional<Status> ParseStatus(std::string_view name) {
  for (Status s :
       {Status::kPending, Status::kPaid, Status::kFailed, Status::kExpired, Status::kRefunded}) {
    if (StatusName(s) == name) return s;
  }
  return std::nullopt;
}

std::string_view VerdictName(Verdict verdict) {
  switch (verdict) {
    case Verdict::kPaid:
      return "paid";
    case Verdict::kPaidLate:
      return "paid_late";
    case Verdict::kFailed:
      return "failed";
    case Verdict::kDuplicate:
      return "duplicate";
    case Verdict::kIgnored:
      return "ignored";
    case Verdict::kSecondPayment:
      return "second_payment";
  }
  return "ignored";
}

// What the platform said about a reference in answer to QUERY.
struct Service::Remote {
  enum class State { kPaid, kFailed, kUndecided, kUnpaid } state = State::kUnpaid;
  Fields fields;
  std::string raw;
};

// The effect of one message on one payment, decided and written inside a transaction. A
// rejection is a decision too (it is logged and committed), returned as `error`.
struct Service::Decision {
  ConfirmOutcome outcome;
  std::optional<Error> error;
};

Service::Service(storage::Database& db, const core::Clock& clock, GatewayConfig config)
    : db_(db), clock_(clock), config_(std::move(config)) {}

void Service::OnPaid(PaidHook hook) { paid_hooks_.push_back(std::move(hook)); }

// Logs a message on its own. Callers on an error path ignore its result: the log is best effort
// there, and the error being returned matters more.
Result<void> Service::LogEvent(std::string_view reference, std::string_view source,
                               std::string_view body, std::string_view verdict, bool anomaly,
                               std::string_view note) {
  const core::Seconds now = clock_.Now();
  return storage::WithTransaction(db_, [&](Transaction& tx) {
    return InsertEvent(tx, now, reference, source, body, verdict, anomaly, note);
  });
}

// ---- Request and INIT ----------------------------------------------------------------------

Result<Payment> Service::Request(const PaymentRequestInput& raw_input, const core::Actor& actor) {
  TINHSO_ASSIGN_OR_RETURN(PaymentRequestInput in, Validate(raw_input));
  struct Created {
    Payment payment;
    bool send_init = true;
  };
  auto create = [&](Transaction& tx) -> Result<Created> {
    const core::Seconds now = clock_.Now();
    TINHSO_ASSIGN_OR_RETURN(storage::Rows pending,
                            tx.Query(sql::kPendingByDossier, {{"dossier_id", in.dossier_id}}));
    if (!pending.empty()) {
      Payment p = FromRow(pending[0]);
      TINHSO_RETURN_IF_ERROR(LoadFees(tx, p));
      if (p.amount != in.amount) return internal::PendingExists(p.reference);
      // The same request again: resend INIT (same reference) if the platform never answered.
      const bool resend = p.payment_url.empty();
      return Created{std::move(p), resend};
    }
    TINHSO_ASSIGN_OR_RETURN(storage::Rows next,
                            tx.Query(sql::kNextAttempt, {{"dossier_id", in.dossier_id}}));
    Payment p;
    p.attempt = static_cast<int>(next[0].Int(0));
    p.reference = in.dossier_code + "-" + std::to_string(p.attempt);
    p.dossier_id = in.dossier_id;
    p.dossier_code = in.dossier_code;
    p.agency_id = in.agency_id;
    p.payer_user_id = in.payer_user_id;
    p.amount = in.amount;
    p.fees = in.fees;
    p.description = in.description;
    p.payer_name = in.payer_name;
    p.payer_id_number = in.payer_id_number;
    p.procedure_code = in.procedure_code;
    p.procedure_name = in.procedure_name;
    p.agency_code = in.agency_code;
    p.agency_name = in.agency_name;
    p.status = Status::kPending;
    p.created_at = now;
    p.updated_at = now;
    TINHSO_ASSIGN_OR_RETURN(storage::Rows id,
                            tx.Query(sql::kInsert, {{"reference", p.reference},
                                                    {"dossier_id", p.dossier_id},
                                                    {"dossier_code", p.dossier_code},
                                                    {"attempt", std::int64_t{p.attempt}},
                                                    {"agency_id", p.agency_id},
                                                    {"payer_user_id", p.payer_user_id},
                                                    {"amount", p.amount},
                                                    {"description", p.description},
                                                    {"payer_name", p.payer_name},
                                                    {"payer_id_number", p.payer_id_number},
                                                    {"procedure_code", p.procedure_code},
                                                    {"procedure_name", p.procedure_name},
                                                    {"agency_code", p.agency_code},
                                                    {"agency_name", p.agency_name},
                                                    {"created_by", actor.user_id},
                                                    {"created_at", Epoch(now)},
                                                    {"updated_at", Epoch(now)}}));
    p.id = id[0].Int(0);
    std::int64_t line = 0;
    boost::json::array fees;
    for (const FeeLine& fee : p.fees) {
      TINHSO_RETURN_IF_ERROR(tx.Execute(sql::kInsertFee, {{"payment_id", p.id},
                                                          {"line_no", ++line},
                                                          {"kind", fee.kind},
                                                          {"code", fee.code},
                                                          {"name", fee.name},
                                                          {"amount", fee.amount}}));
      fees.push_back(boost::json::object{
          {"kind", fee.kind}, {"code", fee.code}, {"name", fee.name}, {"amount", fee.amount}});
    }
    boost::json::object data;
    data["dossier_code"] = p.dossier_code;
    data["fees"] = std::move(fees);
    TINHSO_RETURN_IF_ERROR(Audit(tx, actor, "payment.request", p, std::move(data), now));
    return Created{std::move(p), true};
  };
  auto created = storage::WithTransaction(db_, create);
  // Two requests for one dossier at once: the loser hits the unique reference (or the one-pending
  // index) and, on a second look, finds the winner's request.
  if (!created.ok() && created.error().code == ErrorCode::kAlreadyExists) {
    created = storage::WithTransaction(db_, create);
  }
  if (!created.ok()) return std::move(created).error();
  if (!created->send_init) return std::move(created->payment);
  return SendInit(std::move(created->payment));
}

Result<Payment> Service::SendInit(Payment payment) {
  const core::Seconds now = clock_.Now();
  // Counted before sending: if we crash in between, the row still shows an INIT went out.
  TINHSO_RETURN_IF_ERROR(storage::WithTransaction(db_, [&](Transaction& tx) -> Result<void> {
    TINHSO_RETURN_IF_ERROR(tx.Execute(
        sql::kInitSent, {{"init_at", Epoch(now)}, {"updated_at", Epoch(now)}, {"id", payment.id}}));
    return Ok();
  }));
  const Fields init = BuildInit(payment, config_, now);
  http::ClientRequest request;
  request.method = http::Method::kPost;
  request.url = config_.init_url;
  request.headers = {{"content-type", "application/json; charset=utf-8"}};
  request.body = InitJson(init, payment, config_);
  request.timeout = config_.timeout;
  auto response = http::Fetch(request);
  const std::string& ref = payment.reference;
  if (!response.ok()) {
    const Error& e = response.error();
    (void)LogEvent(ref, "init", "", "unreachable", false, e.reason + ": " + e.detail);
    return internal::GatewayUnreachable(e.reason + ": " + e.detail);
  }
  if (response->status < 200 || response->status > 299) {
    const std::string note = "HTTP " + std::to_string(response->status);
    (void)LogEvent(ref, "init", response->body, "http_error", false, note);
    return internal::GatewayUnreachable(note);
  }
  auto answer = FieldsFromJson(response->body);
  if (!answer.ok()) {
    (void)LogEvent(ref, "init", response->body, "malformed", false, answer.error().detail);
    return internal::GatewayBadResponse("INIT answer is not a JSON object");
  }
  if (auto checked = CheckMessage(MessageKind::kInitAnswer, *answer, config_.secret);
      !checked.ok()) {
    const Error& e = checked.error();
    const bool checksum = e.reason == "payment.bad_checksum";
    (void)LogEvent(ref, "init", response->body, checksum ? "bad_checksum" : "malformed", true,
                   e.detail);
    return internal::GatewayBadResponse(checksum ? "INIT answer has a wrong MaXacThuc"
                                                 : "INIT answer has an invalid " + e.detail);
  }
  if (Field(*answer, "MaThamChieu") != ref || Field(*answer, "MaDoiTac") != config_.partner_code) {
    (void)LogEvent(ref, "init", response->body, "mismatch", true, "");
    return internal::GatewayBadResponse("INIT answer is for another reference or partner");
  }
  const std::string code(Field(*answer, "MaLoi"));
  const std::string url(Field(*answer, "UrlThanhToan"));
  if (code == kSuccess && url.empty()) {
    (void)LogEvent(ref, "init", response->body, "malformed", false, "no UrlThanhToan");
    return internal::GatewayBadResponse("INIT answer without UrlThanhToan");
  }
  const std::string body = response->body;
  const core::Seconds answered = clock_.Now();
  auto stored = storage::WithTransaction(db_, [&](Transaction& tx) -> Result<Payment> {
    if (code == kSuccess) {
      TINHSO_RETURN_IF_ERROR(
          tx.Execute(sql::kSetUrl,
                     {{"payment_url", url}, {"updated_at", Epoch(answered)}, {"id", payment.id}}));
      TINHSO_RETURN_IF_ERROR(InsertEvent(tx, answered, ref, "init", body, "init_ok", false, ""));
    } else {
      TINHSO_ASSIGN_OR_RETURN(std::int64_t changed,
                              tx.Execute(sql::kMarkFailed, {{"failure_code", code},
                                                            {"gateway_transaction", std::string()},
                                                            {"gateway_time", std::string()},
                                                            {"closed_at", Epoch(answered)},
                                                            {"updated_at", Epoch(answered)},
                                                            {"id", payment.id}}));
      TINHSO_RETURN_IF_ERROR(
          InsertEvent(tx, answered, ref, "init", body, "init_rejected", false, ""));
      if (changed == 1) {
        boost::json::object data;
        data["code"] = code;
        data["message"] = std::string(Field(*answer, "MoTaLoi"));
        TINHSO_RETURN_IF_ERROR(Audit(tx, PlatformActor(), "payment.init_rejected", payment,
                                     std::move(data), answered));
      }
    }
    return MustFind(tx, ref, false);
  });
  if (!stored.ok()) return std::move(stored).error();
  if (code != kSuccess) {
    return internal::InitRejected(code, std::string(Field(*answer, "MoTaLoi")));
  }
  return std::move(*stored);
}

// ---- Confirmation ----------------------------------------------------------------------------

Result<Service::Decision> Service::Settle(Transaction& tx, const Fields& f, std::string_view raw,
                                          std::string_view source, bool success,
                                          std::string_view failure_code) {
  const core::Seconds now = clock_.Now();
  const std::string reference(Field(f, "MaThamChieu"));
  Decision d;
  auto reject = [&](Error e, std::string_view verdict, bool anomaly) -> Result<Decision> {
    TINHSO_RETURN_IF_ERROR(InsertEvent(tx, now, reference, source, raw, verdict, anomaly, ""));
    d.error = std::move(e);
    return std::move(d);
  };
  TINHSO_ASSIGN_OR_RETURN(std::optional<Payment> found, Find(tx, reference, true));
  if (!found) return reject(internal::UnknownReference(reference), "unknown_reference", false);
  Payment& p = *found;

  // The amount is checked whatever the message says: a signed message with the wrong amount
  // means a bug or fraud somewhere, and a person must look at it.
  const std::string_view amount_text = Field(f, "SoTien");
  const auto amount = core::ParseInt64(amount_text);
  const std::string_view currency = Field(f, "MaTienTe");
  if (!amount || *amount != p.amount || (!currency.empty() && currency != "VND")) {
    const std::string got = std::string(amount_text) + " " + std::string(currency);
    return reject(internal::AmountMismatch(reference, got, p.amount), "amount_mismatch", true);
  }

  const std::string transaction(Field(f, "MaGiaoDich"));
  std::string note;
  if (success) {
    if (p.status == Status::kPaid || p.status == Status::kRefunded) {
      if (p.gateway_transaction.empty() || p.gateway_transaction == transaction) {
        d.outcome.verdict = Verdict::kDuplicate;
      } else {
        // Money taken twice under one reference: only a person can sort it out (refund one).
        d.outcome.verdict = Verdict::kSecondPayment;
        d.outcome.anomaly = true;
        note = "already paid by transaction " + p.gateway_transaction;
      }
    } else {
      const bool late = p.status != Status::kPending;
      TINHSO_ASSIGN_OR_RETURN(
          std::int64_t changed,
          tx.Execute(sql::kMarkPaid, {{"gateway_transaction", transaction},
                                      {"gateway_bank", std::string(Field(f, "MaNganHang"))},
                                      {"gateway_time", std::string(Field(f, "ThoiGianGD"))},
                                      {"late", late ? 1 : 0},
                                      {"paid_via", std::string(source)},
                                      {"paid_at", Epoch(now)},
                                      {"updated_at", Epoch(now)},
                                      {"id", p.id}}));
      if (changed != 1) return InternalError("payment: locked row changed under us");
      d.outcome.verdict = late ? Verdict::kPaidLate : Verdict::kPaid;
      d.outcome.changed = true;
      if (late) note = "confirmed after the request was " + std::string(StatusName(p.status));
      TINHSO_ASSIGN_OR_RETURN(
          storage::Rows others,
          tx.Query(sql::kOtherPaid, {{"dossier_id", p.dossier_id}, {"id", p.id}}));
      if (!others.empty()) {
        d.outcome.anomaly = true;
        note += (note.empty() ? "" : "; ") + std::string("dossier also paid by ") +
                others[0].Text(0) + ": refund one";
      }
    }
  } else {
    if (p.status == Status::kPending) {
      TINHSO_ASSIGN_OR_RETURN(
          std::int64_t changed,
          tx.Execute(sql::kMarkFailed, {{"failure_code", std::string(failure_code)},
                                        {"gateway_transaction", transaction},
                                        {"gateway_time", std::string(Field(f, "ThoiGianGD"))},
                                        {"closed_at", Epoch(now)},
                                        {"updated_at", Epoch(now)},
                                        {"id", p.id}}));
      if (changed != 1) return InternalError("payment: locked row changed under us");
      d.outcome.verdict = Verdict::kFailed;
      d.outcome.changed = true;
    } else if (p.status == Status::kFailed) {
      d.outcome.verdict = Verdict::kDuplicate;
    } else {
      d.outcome.verdict = Verdict::kIgnored;  // a failure cannot undo a payment or an expiry
    }
  }

  if (d.outcome.changed) {
    TINHSO_ASSIGN_OR_RETURN(p, MustFind(tx, reference, false));
    boost::json::object data;
    data["via"] = std::string(source);
    data["transaction"] = transaction;
    if (p.status == Status::kPaid) {
      data["late"] = p.late;
      TINHSO_RETURN_IF_ERROR(Audit(tx, PlatformActor(), "payment.paid", p, std::move(data), now));
      for (const PaidHook& hook : paid_hooks_) TINHSO_RETURN_IF_ERROR(hook(tx, p));
    } else {
      data["code"] = std::string(failure_code);
      TINHSO_RETURN_IF_ERROR(Audit(tx, PlatformActor(), "payment.failed", p, std::move(data), now));
    }
  }
  TINHSO_RETURN_IF_ERROR(InsertEvent(tx, now, reference, source, raw,
                                     VerdictName(d.outcome.verdict), d.outcome.anomaly, note));
  d.outcome.payment = std::move(p);
  return d;
}

Result<ConfirmOutcome> Service::SettleAndLog(const Fields& fields, std::string_view raw,
                                             std::string_view source, bool success,
                                             std::string_view failure_code) {
  auto decided = storage::WithTransaction(
      db_, [&](Transaction& tx) { return Settle(tx, fields, raw, source, success, failure_code); });
  if (!decided.ok()) {
    // The database or a hook failed, so the decision rolled back. Keep the message anyway.
    const Error& e = decided.error();
    (void)LogEvent(Field(fields, "MaThamChieu"), source, raw, "error", false,
                   e.reason + (e.detail.empty() ? "" : ": " + e.detail));
    return std::move(decided).error();
  }
  if (decided->error) return std::move(*decided->error);
  return std::move(decided->outcome);
}

Result<ConfirmOutcome> Service::Confirm(const std::map<std::string, std::string>& fields) {
  const std::string raw = ToJson(fields);
  TINHSO_RETURN_IF_ERROR(CheckConfirmation(fields, raw));
  return Apply(fields, raw);
}

Result<ConfirmOutcome> Service::ConfirmJson(std::string_view body) {
  return Callback(body).outcome;
}

CallbackResult Service::Callback(std::string_view body) {
  auto fields = FieldsFromJson(body);
  if (!fields.ok()) {
    (void)LogEvent("", "callback", body, "malformed", false, fields.error().detail);
    return {std::move(fields).error(), std::nullopt};
  }
  if (auto checked = CheckConfirmation(*fields, body); !checked.ok()) {
    return {std::move(checked).error(), std::nullopt};
  }
  return {Apply(*fields, body), std::move(*fields)};
}

Result<void> Service::CheckConfirmation(const Fields& fields, std::string_view raw) {
  auto checked = CheckMessage(MessageKind::kConfirm, fields, config_.secret);
  if (checked.ok()) return checked;
  // Forged, corrupted or probing (a '|' inside a value, another LoaiBanTin): logged and
  // flagged, nothing else happens.
  const Error& e = checked.error();
  const bool checksum = e.reason == "payment.bad_checksum";
  TINHSO_RETURN_IF_ERROR(LogEvent(Field(fields, "MaThamChieu"), "callback", raw,
                                  checksum ? "bad_checksum" : "malformed", true, e.detail));
  return checked;
}

// `fields` passed CheckConfirmation.
Result<ConfirmOutcome> Service::Apply(const Fields& fields, std::string_view raw) {
  const std::string_view reference = Field(fields, "MaThamChieu");
  if (Field(fields, "MaDoiTac") != config_.partner_code) {
    TINHSO_RETURN_IF_ERROR(LogEvent(reference, "callback", raw, "wrong_partner", true, ""));
    return internal::WrongPartner(Field(fields, "MaDoiTac"));
  }
  if (reference.empty()) {
    TINHSO_RETURN_IF_ERROR(LogEvent(reference, "callback", raw, "malformed", false, ""));
    return internal::BadMessage("thiếu MaThamChieu.", "MaThamChieu is missing.");
  }
  const std::string_view code = Field(fields, "MaLoi");
  return SettleAndLog(fields, raw, "callback", code == kSuccess, code);
}

// ---- QUERY, reconciliation -------------------------------------------------------------------

Result<Service::Remote> Service::Ask(const Payment& payment) {
  const std::string& ref = payment.reference;
  const Fields query = BuildQuery(ref, config_, payment.init_at.value_or(payment.created_at));
  http::ClientRequest request;
  request.method = http::Method::kPost;
  request.url = config_.query_url;
  request.headers = {{"content-type", "application/json; charset=utf-8"}};
  request.body = ToJson(query);
  request.timeout = config_.timeout;
  auto response = http::Fetch(request);
  if (!response.ok()) {
    const Error& e = response.error();
    (void)LogEvent(ref, "query", "", "unreachable", false, e.reason + ": " + e.detail);
    return internal::GatewayUnreachable(e.reason + ": " + e.detail);
  }
  if (response->status < 200 || response->status > 299) {
    const std::string note = "HTTP " + std::to_string(response->status);
    (void)LogEvent(ref, "query", response->body, "http_error", false, note);
    return internal::GatewayUnreachable(note);
  }
  Remote remote;
  remote.raw = std::move(response->body);
  auto fields = FieldsFromJson(remote.raw);
  if (!fields.ok()) {
    (void)LogEvent(ref, "query", remote.raw, "malformed", false, fields.error().detail);
    return internal::GatewayBadResponse("QUERY answer is not a JSON object");
  }
  remote.fields = std::move(*fields);
  if (auto checked = CheckMessage(MessageKind::kQueryAnswer, remote.fields, config_.secret);
      !checked.ok()) {
    const Error& e = checked.error();
    const bool checksum = e.reason == "payment.bad_checksum";
    (void)LogEvent(ref, "query", remote.raw, checksum ? "bad_checksum" : "malformed", true,
                   e.detail);
    return internal::GatewayBadResponse(checksum ? "QUERY answer has a wrong MaXacThuc"
                                                 : "QUERY answer has an invalid " + e.detail);
  }
  if (Field(remote.fields, "MaThamChieu") != ref ||
      Field(remote.fields, "MaDoiTac") != config_.partner_code) {
    (void)LogEvent(ref, "query", remote.raw, "mismatch", true, "");
    return internal::GatewayBadResponse("QUERY answer is for another reference or partner");
  }
  const std::string_view code = Field(remote.fields, "MaLoi");
  const std::string_view state = Field(remote.fields, "TrangThaiGD");
  using State = Remote::State;
  if (code != kSuccess) {
    remote.state = State::kUnpaid;  // no completed transaction under this reference
  } else if (state == kRemotePaid) {
    remote.state = State::kPaid;
  } else if (state == kRemoteUndecided) {
    remote.state = State::kUndecided;
  } else if (state == kRemoteFailed) {
    remote.state = State::kFailed;
  } else {
    remote.state = State::kUnpaid;
  }
  return remote;
}

Result<Payment> Service::Query(std::string_view reference) {
  TINHSO_ASSIGN_OR_RETURN(Payment payment, Get(reference));
  TINHSO_ASSIGN_OR_RETURN(Remote remote, Ask(payment));
  using State = Remote::State;
  switch (remote.state) {
    case State::kPaid:
    case State::kFailed: {
      const bool paid = remote.state == State::kPaid;
      const std::string failure = "TrangThaiGD " + std::string(Field(remote.fields, "TrangThaiGD"));
      TINHSO_ASSIGN_OR_RETURN(ConfirmOutcome outcome,
                              SettleAndLog(remote.fields, remote.raw, "query", paid, failure));
      return std::move(outcome.payment);
    }
    case State::kUndecided:
    case State::kUnpaid: {
      const std::string_view verdict =
          remote.state == State::kUndecided ? "remote_undecided" : "remote_unpaid";
      TINHSO_RETURN_IF_ERROR(LogEvent(reference, "query", remote.raw, verdict, false, ""));
      return payment;
    }
  }
  return payment;
}

Result<ReconcileReport> Service::Reconcile(core::Seconds now) {
  ReconcileReport report;
  std::vector<std::string> stale;
  TINHSO_RETURN_IF_ERROR(storage::WithTransaction(
      db_,
      [&](Transaction& tx) -> Result<void> {
        TINHSO_ASSIGN_OR_RETURN(
            storage::Rows rows,
            tx.Query(sql::kStalePending, {{"before", Epoch(now - config_.payment_ttl)}}));
        for (const auto& r : rows) stale.push_back(r.Text(0));
        return Ok();
      },
      storage::TxKind::kReadOnly));
  using State = Remote::State;
  for (const std::string& reference : stale) {
    ++report.checked;
    auto payment = Get(reference);
    if (!payment.ok()) return std::move(payment).error();
    auto remote = Ask(*payment);
    if (!remote.ok()) {
      if (remote.error().code != ErrorCode::kUnavailable) return std::move(remote).error();
      ++report.errors;  // logged by Ask; tried again at the next run
      continue;
    }
    switch (remote->state) {
      case State::kPaid:
      case State::kFailed: {
        const bool paid = remote->state == State::kPaid;
        const std::string failure =
            "TrangThaiGD " + std::string(Field(remote->fields, "TrangThaiGD"));
        auto outcome = SettleAndLog(remote->fields, remote->raw, "query", paid, failure);
        if (!outcome.ok()) {
          ++report.errors;  // e.g. an amount mismatch: logged as an anomaly, left pending
          continue;
        }
        ++(paid ? report.paid : report.failed);
        break;
      }
      case State::kUndecided:
        ++report.still_pending;
        TINHSO_RETURN_IF_ERROR(
            LogEvent(reference, "query", remote->raw, "remote_undecided", false, ""));
        break;
      case State::kUnpaid: {
        const core::Seconds at = clock_.Now();
        TINHSO_ASSIGN_OR_RETURN(
            bool expired, storage::WithTransaction(db_, [&](Transaction& tx) -> Result<bool> {
              TINHSO_ASSIGN_OR_RETURN(Payment p, MustFind(tx, reference, true));
              bool changed = false;
              if (p.status == Status::kPending) {
                TINHSO_ASSIGN_OR_RETURN(std::int64_t n,
                                        tx.Execute(sql::kMarkExpired, {{"closed_at", Epoch(at)},
                                                                       {"updated_at", Epoch(at)},
                                                                       {"id", p.id}}));
                changed = n == 1;
              }
              if (changed) {
                boost::json::object data;
                data["ttl_seconds"] = static_cast<std::int64_t>(config_.payment_ttl.count());
                TINHSO_RETURN_IF_ERROR(
                    Audit(tx, PlatformActor(), "payment.expired", p, std::move(data), at));
              }
              // A confirmation may have slipped in between QUERY and now: then nothing expires.
              TINHSO_RETURN_IF_ERROR(InsertEvent(tx, at, reference, "query", remote->raw,
                                                 changed ? "expired" : "remote_unpaid", false, ""));
              return changed;
            }));
        if (expired) ++report.expired;
        break;
      }
    }
  }
  return report;
}

// ---- Refund ----------------------------------------------------------------------------------

Result<Payment> Service::Refund(std::string_view reference, std::string_view reason,
                                const core::Actor& actor) {
  const std::string why = Trimmed(reason);
  if (why.empty() || why.size() > 2000) {
    return internal::InvalidInput("reason", "là bắt buộc, tối đa 2000 byte.",
                                  "is required, at most 2000 bytes.");
  }
  const core::Seconds now = clock_.Now();
  return storage::WithTransaction(db_, [&](Transaction& tx) -> Result<Payment> {
    TINHSO_ASSIGN_OR_RETURN(Payment p, MustFind(tx, reference, true));
    if (p.status != Status::kPaid) return internal::NotPaid(reference, StatusName(p.status));
    TINHSO_RETURN_IF_ERROR(tx.Execute(sql::kMarkRefunded, {{"refund_reason", why},
                                                           {"refunded_at", Epoch(now)},
                                                           {"updated_at", Epoch(now)},
                                                           {"id", p.id}}));
    boost::json::object data;
    data["reason"] = why;
    data["transaction"] = p.gateway_transaction;
    TINHSO_RETURN_IF_ERROR(Audit(tx, actor, "payment.refund", p, std::move(data), now));
    return MustFind(tx, reference, false);
  });
}

// ---- Reads -----------------------------------------------------------------------------------

Result<Payment> Service::Get(std::string_view reference) const {
  return storage::WithTransaction(
      db_, [&](Transaction& tx) { return MustFind(tx, reference, false); },
      storage::TxKind::kReadOnly);
}

Result<std::vector<Payment>> Service::ListByDossier(std::int64_t dossier_id) const {
  return storage::WithTransaction(
      db_,
      [&](Transaction& tx) -> Result<std::vector<Payment>> {
        TINHSO_ASSIGN_OR_RETURN(storage::Rows rows,
                                tx.Query(sql::kByDossier, {{"dossier_id", dossier_id}}));
        std::vector<Payment> out;
        for (const auto& r : rows) {
          Payment p = FromRow(r);
          TINHSO_RETURN_IF_ERROR(LoadFees(tx, p));
          out.push_back(std::move(p));
        }
        return out;
      },
      storage::TxKind::kReadOnly);
}

namespace {
Result<std::vector<Event>> ReadEvents(storage::Database& db, std::string_view sql,
                                      const storage::Params& params) {
  return storage::WithTransaction(
      db,
      [&](Transaction& tx) -> Result<std::vector<Event>> {
        TINHSO_ASSIGN_OR_RETURN(storage::Rows rows, tx.Query(sql, params));
        std::vector<Event> out;
        for (const auto& r : rows) {
          out.push_back({r.Int(0), r.Text(1), r.Text(2), r.Time(3), r.Text(4), r.Text(5),
                         r.Int(6) != 0, r.Text(7)});
        }
        return out;
      },
      storage::TxKind::kReadOnly);
}
}  // namespace

Result<std::vector<Event>> Service::Events(std::string_view reference) const {
  return ReadEvents(db_, sql::kEventsByReference, {{"reference", std::string(reference)}});
}

Result<std::vector<Event>> Service::Anomalies(int limit) const {
  if (limit < 1 || limit > 1000) {
    return internal::InvalidInput("limit", "phải từ 1 đến 1000.", "must be from 1 to 1000.");
  }
  return ReadEvents(db_, sql::kAnomalies, {{"limit", std::int64_t{limit}}});
}

}  // namespace tinhso::payment
