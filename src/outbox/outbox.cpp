// The outbox: enqueue inside the caller's transaction, claim under a lease, record outcomes, and
// the operators' list, retry and cancel. The only file of the module that runs SQL.
#include "outbox/outbox.hpp"

#include <algorithm>
#include <atomic>
#include <boost/json.hpp>
#include <cmath>
#include <random>
#include <thread>

#include "audit/audit.hpp"
#include "auth/policy.hpp"
#include "core/crypto.hpp"
#include "core/metrics.hpp"
#include "core/text.hpp"
#include "outbox/sql.hpp"

namespace tinhso::outbox {
namespace {

using storage::Row;

std::int64_t Epoch(core::Seconds t) { return t.time_since_epoch().count(); }

constexpr std::string_view kStatusNames[] = {"queued",    "sending", "retrying",
                                             "delivered", "dead",    "cancelled"};
constexpr std::string_view kOutcomeNames[] = {"delivered", "retry", "dead", "interrupted"};

std::string SerializeHeaders(const Headers& headers) {
  std::string out;
  for (const auto& [name, value] : headers) out += name + ": " + value + "\n";
  return out;
}

Headers ParseHeaders(std::string_view text) {
  Headers out;
  while (!text.empty()) {
    const auto end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
    const auto colon = line.find(": ");
    if (colon == std::string_view::npos) continue;
    out.emplace_back(std::string(line.substr(0, colon)), std::string(line.substr(colon + 2)));
  }
  return out;
}

Message FromRow(const Row& r) {
  Message m;
  m.id = r.Int(0);
  m.destination = r.Text(1);
  m.ordering_key = r.Text(2);
  m.seq = r.Int(3);
  m.idempotency_key = r.Text(4);
  m.method = r.Text(5);
  m.path = r.Text(6);
  m.headers = ParseHeaders(r.Text(7));
  m.body_size = r.Int(8);
  m.body_sha256 = r.Text(9);
  m.status = ParseStatus(r.Text(10)).value_or(Status::kQueued);
  m.attempts = static_cast<int>(r.Int(11));
  m.next_attempt_at = r.Time(12);
  m.lease_owner = r.Text(13);
  m.last_error = r.Text(14);
  m.last_status_code = static_cast<int>(r.Int(15));
  m.created_at = r.Time(16);
  m.updated_at = r.Time(17);
  m.delivered_at = r.OptionalTime(18);
  if (r.size() > 19) m.body = r.Blob(19);
  return m;
}

Error Invalid(std::string_view field, std::string vi, std::string en) {
  return MakeError(ErrorCode::kInvalidArgument, "outbox.invalid", std::move(vi), std::move(en),
                   std::string(field));
}

bool IsToken(std::string_view s) {
  constexpr std::string_view kExtra = "!#$%&'*+-.^_`|~";
  return !s.empty() && std::all_of(s.begin(), s.end(), [&](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || kExtra.find(c) != std::string_view::npos;
  });
}

bool IsVisibleAscii(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c > 0x20 && c < 0x7f; });
}

bool IsDestination(std::string_view s) {
  if (s.empty() || s.size() > 64) return false;
  auto ok = [](char c, bool first) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
           (!first && (c == '.' || c == '_' || c == '-'));
  };
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (!ok(s[i], i == 0)) return false;
  }
  return true;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

Result<void> Validate(const NewMessage& m, const Options& options) {
  if (!IsDestination(m.destination)) {
    return Invalid("destination",
                   "Nơi nhận phải là tên dịch vụ: chữ thường không dấu, số, '.', '_', '-' (tối đa "
                   "64 ký tự).",
                   "The destination must be a service name: lower-case letters, digits, '.', "
                   "'_', '-' (at most 64 characters).");
  }
  if (m.idempotency_key.empty() || m.idempotency_key.size() > 200 ||
      !IsVisibleAscii(m.idempotency_key)) {
    return Invalid("idempotency_key",
                   "Khóa chống trùng phải có từ 1 đến 200 ký tự ASCII nhìn thấy được.",
                   "The idempotency key must be 1 to 200 visible ASCII characters.");
  }
  if (m.ordering_key.size() > 200 || !core::IsValidUtf8(m.ordering_key) ||
      std::any_of(m.ordering_key.begin(), m.ordering_key.end(),
                  [](char c) { return static_cast<unsigned char>(c) < 0x20; })) {
    return Invalid("ordering_key", "Khóa thứ tự dài quá 200 byte hoặc có ký tự điều khiển.",
                   "The ordering key is longer than 200 bytes or holds control characters.");
  }
  constexpr std::string_view kMethods[] = {"GET", "POST", "PUT", "PATCH", "DELETE"};
  if (std::find(std::begin(kMethods), std::end(kMethods), m.method) == std::end(kMethods)) {
    return Invalid("method", "Phương thức phải là GET, POST, PUT, PATCH hoặc DELETE.",
                   "The method must be GET, POST, PUT, PATCH or DELETE.");
  }
  if (!m.path.starts_with('/') || m.path.size() > 2000 || !IsVisibleAscii(m.path)) {
    return Invalid("path", "Đường dẫn phải bắt đầu bằng '/' và chỉ gồm ký tự ASCII nhìn thấy được.",
                   "The path must start with '/' and hold only visible ASCII characters.");
  }
  for (const auto& [name, value] : m.headers) {
    const std::string lower = Lower(name);
    const bool ours = lower == "idempotency-key" || lower == "content-length" || lower == "host";
    if (!IsToken(name) || ours ||
        value.find_first_of(std::string_view("\r\n\0", 3)) != std::string::npos) {
      return Invalid("headers",
                     "Tiêu đề '" + name +
                         "' không hợp lệ (Idempotency-Key, Host và Content-Length do hệ thống tự "
                         "đặt).",
                     "The header '" + name +
                         "' is not valid (Idempotency-Key, Host and Content-Length are set by "
                         "the outbox).");
    }
  }
  if (m.body.size() > options.max_body_bytes) {
    return MakeError(ErrorCode::kPayloadTooLarge, "outbox.body_too_large",
                     "Nội dung tin gửi đi quá lớn.", "The message body is too large.",
                     std::to_string(m.body.size()));
  }
  return Ok();
}

Error UnknownMessage(std::int64_t id) {
  return MakeError(ErrorCode::kNotFound, "outbox.unknown_message", "Không có tin gửi đi này.",
                   "There is no such outgoing message.", std::to_string(id));
}

// A uniform draw in [0, 1) for the jitter, one engine per thread.
double Uniform() {
  thread_local std::mt19937_64 engine{std::random_device{}()};
  return std::uniform_real_distribution<double>(0.0, 1.0)(engine);
}

// Counts an attempt for /metrics. Destinations are service names the code chooses (a small,
// bounded set), never input.
void CountAttempt(std::string_view destination, Outcome outcome) {
  core::Metrics::Global()
      .GetCounter("tinhso_outbox_attempts_total",
                  "Delivery attempts of outgoing messages, by destination and outcome",
                  {{"destination", std::string(destination)},
                   {"outcome", std::string(kOutcomeNames[static_cast<int>(outcome)])}})
      .Add();
}

// What an attempt's outcome says, for last_error and the attempts history.
std::string Describe(const Result<Response>& response) {
  if (!response.ok()) {
    const Error& e = response.error();
    std::string why = e.reason + ": " + e.message_en;
    if (!e.detail.empty()) why += " (" + e.detail + ")";
    return why;
  }
  if (response->status >= 200 && response->status < 300) return {};
  std::string why = "HTTP " + std::to_string(response->status);
  if (!response->detail.empty()) why += ": " + response->detail;
  return why;
}

}  // namespace

std::string_view StatusName(Status status) { return kStatusNames[static_cast<int>(status)]; }

std::optional<Status> ParseStatus(std::string_view name) {
  for (int i = 0; i < 6; ++i) {
    if (kStatusNames[i] == name) return static_cast<Status>(i);
  }
  return std::nullopt;
}

std::string_view OutcomeName(Outcome outcome) { return kOutcomeNames[static_cast<int>(outcome)]; }

std::chrono::seconds Backoff(int attempts, const Options& options, double u,
                             std::optional<std::chrono::seconds> retry_after) {
  std::chrono::seconds wait = options.backoff_base;
  for (int i = 1; i < attempts && wait < options.backoff_cap; ++i) wait *= 2;
  wait = std::min(wait, options.backoff_cap);
  const auto off = static_cast<std::int64_t>(
      std::floor(static_cast<double>(wait.count()) * std::clamp(options.jitter, 0.0, 1.0) * u));
  wait -= std::chrono::seconds(off);
  if (retry_after) wait = std::max(wait, std::min(*retry_after, options.backoff_cap));
  return std::max(wait, std::chrono::seconds(1));
}

bool IsTransient(int status) {
  if (status < 200 || status > 599) return true;
  if (status == 408 || status == 429) return true;
  return status >= 500;
}

Outbox::Outbox(storage::Database& db, const core::Clock& clock, const auth::Policy& policy,
               Options options)
    : db_(db), clock_(clock), policy_(policy), options_(options) {}

Result<Message> Outbox::Enqueue(storage::Transaction& tx, const NewMessage& message) const {
  TINHSO_RETURN_IF_ERROR(Validate(message, options_));
  // The common repeat (a caller redoing its work) costs one read and takes no sequence number.
  TINHSO_ASSIGN_OR_RETURN(storage::Rows existing,
                          tx.Query(sql::kByKey, {{"destination", message.destination},
                                                 {"key", message.idempotency_key}}));
  if (!existing.empty()) return FromRow(existing[0]);
  std::int64_t seq = 0;
  if (!message.ordering_key.empty()) {
    TINHSO_ASSIGN_OR_RETURN(storage::Rows next,
                            tx.Query(sql::kNextSeq, {{"destination", message.destination},
                                                     {"ordering_key", message.ordering_key}}));
    seq = next[0].Int(0);
  }
  const std::int64_t now = Epoch(clock_.Now());
  TINHSO_ASSIGN_OR_RETURN(
      storage::Rows inserted,
      tx.Query(sql::kInsert, {{"destination", message.destination},
                              {"ordering_key", message.ordering_key},
                              {"seq", seq},
                              {"key", message.idempotency_key},
                              {"method", message.method},
                              {"path", message.path},
                              {"headers", SerializeHeaders(message.headers)},
                              {"body", storage::Bytes{message.body}},
                              {"size", static_cast<std::int64_t>(message.body.size())},
                              {"sha256", core::Sha256Hex(message.body)},
                              {"next", now},
                              {"created_at", now},
                              {"updated_at", now}}));
  if (inserted.empty()) {
    // Another transaction enqueued the same key and committed while ours waited for it.
    TINHSO_ASSIGN_OR_RETURN(existing, tx.Query(sql::kByKey, {{"destination", message.destination},
                                                             {"key", message.idempotency_key}}));
    if (existing.empty()) return InternalError("outbox: enqueue conflict without a row");
    return FromRow(existing[0]);
  }
  Message out = FromRow(inserted[0]);
  out.body = message.body;
  return out;
}

Result<std::vector<Message>> Outbox::Claim(std::string_view worker, core::Seconds now, int limit) {
  std::vector<std::string> interrupted;  // their destinations, counted once committed
  auto result =
      storage::WithTransaction(db_, [&](storage::Transaction& tx) -> Result<std::vector<Message>> {
        interrupted.clear();
        const std::int64_t at = Epoch(now);
        const std::int64_t lease = options_.lease.count();
        TINHSO_ASSIGN_OR_RETURN(
            storage::Rows abandoned,
            tx.Query(sql::kAbandoned, {{"now", at}, {"max", std::int64_t{options_.max_attempts}}}));
        for (const Row& r : abandoned) {
          const std::string why =
              "attempts used up: the worker of the last attempt stopped before its outcome was "
              "recorded";
          TINHSO_ASSIGN_OR_RETURN(
              std::int64_t buried,
              tx.Execute(sql::kBury,
                         {{"error", why}, {"now", at}, {"id", r.Int(0)}, {"now2", at}}));
          if (buried == 0) continue;
          interrupted.push_back(r.Text(2));
          TINHSO_RETURN_IF_ERROR(tx.Execute(
              sql::kAddAttempt, {{"message_id", r.Int(0)},
                                 {"started_at", r.Int(1) - lease},
                                 {"finished_at", r.Int(1)},
                                 {"outcome", std::string(OutcomeName(Outcome::kInterrupted))},
                                 {"code", std::int64_t{0}},
                                 {"error", why}}));
        }
        TINHSO_ASSIGN_OR_RETURN(storage::Rows due,
                                tx.Query(sql::kDue, {{"now", at}, {"limit", std::int64_t{limit}}}));
        std::vector<Message> claimed;
        for (const Row& r : due) {
          TINHSO_ASSIGN_OR_RETURN(storage::Rows got,
                                  tx.Query(sql::kClaim, {{"owner", std::string(worker)},
                                                         {"until", at + lease},
                                                         {"now", at},
                                                         {"id", r.Int(0)},
                                                         {"now2", at}}));
          if (got.empty()) continue;  // another worker took it first
          claimed.push_back(FromRow(got[0]));
          if (r.Text(1) == "sending") {
            interrupted.push_back(claimed.back().destination);
            // Its last worker's lease ended without an outcome: that attempt was interrupted.
            TINHSO_RETURN_IF_ERROR(tx.Execute(
                sql::kAddAttempt,
                {{"message_id", r.Int(0)},
                 {"started_at", r.Int(2) - lease},
                 {"finished_at", r.Int(2)},
                 {"outcome", std::string(OutcomeName(Outcome::kInterrupted))},
                 {"code", std::int64_t{0}},
                 {"error", std::string("the worker stopped before recording the outcome; its lease "
                                       "ended")}}));
          }
        }
        return claimed;
      });
  if (result.ok()) {
    for (const std::string& destination : interrupted) {
      CountAttempt(destination, Outcome::kInterrupted);
    }
  }
  return result;
}

Result<Outcome> Outbox::Complete(const Message& message, core::Seconds started,
                                 core::Seconds finished, const Result<Response>& response) {
  Outcome outcome = Outcome::kDelivered;
  int code = response.ok() ? response->status : 0;
  std::string why = Describe(response);
  if (response.ok() && code >= 200 && code < 300) {
    outcome = Outcome::kDelivered;
  } else {
    const bool transient =
        response.ok() ? IsTransient(code) : response.error().code != ErrorCode::kInvalidArgument;
    if (!transient) {
      outcome = Outcome::kDead;
    } else if (message.attempts >= options_.max_attempts) {
      outcome = Outcome::kDead;
      why = "attempts used up (" + std::to_string(message.attempts) + "); the last: " + why;
    } else {
      outcome = Outcome::kRetry;
    }
  }
  const std::int64_t at = Epoch(finished);
  TINHSO_RETURN_IF_ERROR(
      storage::WithTransaction(db_, [&](storage::Transaction& tx) -> Result<void> {
        switch (outcome) {
          case Outcome::kDelivered:
            TINHSO_RETURN_IF_ERROR(
                tx.Execute(sql::kMarkDelivered, {{"now", at},
                                                 {"code", std::int64_t{code}},
                                                 {"now2", at},
                                                 {"id", message.id},
                                                 {"owner", message.lease_owner}}));
            break;
          case Outcome::kRetry: {
            const auto wait = Backoff(message.attempts, options_, Uniform(),
                                      response.ok() ? response->retry_after : std::nullopt);
            TINHSO_RETURN_IF_ERROR(tx.Execute(sql::kMarkRetry, {{"next", at + wait.count()},
                                                                {"error", why},
                                                                {"code", std::int64_t{code}},
                                                                {"now", at},
                                                                {"id", message.id},
                                                                {"owner", message.lease_owner}}));
            break;
          }
          default:
            TINHSO_RETURN_IF_ERROR(tx.Execute(sql::kMarkDead, {{"error", why},
                                                               {"code", std::int64_t{code}},
                                                               {"now", at},
                                                               {"id", message.id},
                                                               {"owner", message.lease_owner}}));
        }
        // The attempt happened even when the lease was lost meanwhile: it is history.
        TINHSO_RETURN_IF_ERROR(
            tx.Execute(sql::kAddAttempt, {{"message_id", message.id},
                                          {"started_at", Epoch(started)},
                                          {"finished_at", at},
                                          {"outcome", std::string(OutcomeName(outcome))},
                                          {"code", std::int64_t{code}},
                                          {"error", why}}));
        return Ok();
      }));
  CountAttempt(message.destination, outcome);
  return outcome;
}

Result<DeliveryReport> Outbox::DeliverDue(core::Seconds now, Sender& sender, int limit) {
  DeliveryReport report;
  const std::string worker = core::RandomToken(12);
  // Later steps of the run are stamped `now` plus the time taken by the outbox's clock (a fake
  // clock in tests: none), so that leases claimed late in a long run still last their length.
  const core::Seconds clock_start = clock_.Now();
  auto at = [&] { return now + (clock_.Now() - clock_start); };
  while (report.claimed < limit) {
    TINHSO_ASSIGN_OR_RETURN(
        std::vector<Message> batch,
        Claim(worker, at(), std::min(std::max(1, options_.claim_batch), limit - report.claimed)));
    if (batch.empty()) break;
    for (const Message& m : batch) {
      ++report.claimed;
      const core::Seconds started = at();
      Result<Response> response = sender.Send(m);
      TINHSO_ASSIGN_OR_RETURN(Outcome outcome, Complete(m, started, at(), response));
      if (outcome == Outcome::kDelivered) ++report.delivered;
      if (outcome == Outcome::kRetry) ++report.retried;
      if (outcome == Outcome::kDead) ++report.dead;
    }
  }
  return report;
}

namespace {

Result<void> Allowed(const auth::Policy& policy, const core::Actor& actor,
                     std::string_view action) {
  if (policy.Allows(actor, action)) return Ok();
  if (actor.kind == core::ActorKind::kAnonymous) {
    return MakeError(ErrorCode::kUnauthenticated, "auth.unauthenticated", "Bạn cần đăng nhập.",
                     "You need to sign in.");
  }
  return MakeError(ErrorCode::kPermissionDenied, "auth.forbidden",
                   action == "outbox.manage" ? "Bạn không có quyền gửi lại hoặc hủy tin gửi đi."
                                             : "Bạn không có quyền xem các tin gửi đi.",
                   action == "outbox.manage" ? "You may not retry or cancel outgoing messages."
                                             : "You may not see the outgoing messages.");
}

}  // namespace

Result<Page> Outbox::List(const ListFilter& filter, const core::Actor& actor) {
  TINHSO_RETURN_IF_ERROR(Allowed(policy_, actor, "outbox.read"));
  const std::string status = filter.status ? std::string(StatusName(*filter.status)) : "";
  TINHSO_ASSIGN_OR_RETURN(auto tx, db_.Begin(storage::TxKind::kReadOnly));
  TINHSO_ASSIGN_OR_RETURN(storage::Rows rows,
                          tx->Query(sql::kList, {{"status", status},
                                                 {"status2", status},
                                                 {"destination", filter.destination},
                                                 {"destination2", filter.destination},
                                                 {"limit", std::int64_t{filter.limit}},
                                                 {"offset", std::int64_t{filter.offset}}}));
  TINHSO_ASSIGN_OR_RETURN(storage::Rows count,
                          tx->Query(sql::kCount, {{"status", status},
                                                  {"status2", status},
                                                  {"destination", filter.destination},
                                                  {"destination2", filter.destination}}));
  Page page{.total = count[0].Int(0), .limit = filter.limit, .offset = filter.offset};
  page.items.reserve(rows.size());
  for (const Row& r : rows) page.items.push_back(FromRow(r));
  return page;
}

Result<std::pair<Message, std::vector<Attempt>>> Outbox::Get(std::int64_t id,
                                                             const core::Actor& actor) {
  TINHSO_RETURN_IF_ERROR(Allowed(policy_, actor, "outbox.read"));
  TINHSO_ASSIGN_OR_RETURN(auto tx, db_.Begin(storage::TxKind::kReadOnly));
  TINHSO_ASSIGN_OR_RETURN(storage::Rows rows, tx->Query(sql::kById, {{"id", id}}));
  if (rows.empty()) return UnknownMessage(id);
  Message m = FromRow(rows[0]);
  TINHSO_ASSIGN_OR_RETURN(storage::Rows body, tx->Query(sql::kBodyById, {{"id", id}}));
  m.body = body[0].Blob(0);
  TINHSO_ASSIGN_OR_RETURN(storage::Rows attempt_rows,
                          tx->Query(sql::kAttempts, {{"message_id", id}}));
  std::vector<Attempt> attempts;
  for (const Row& r : attempt_rows) {
    Attempt a;
    a.started_at = r.Time(0);
    a.finished_at = r.Time(1);
    for (int i = 0; i < 4; ++i) {
      if (kOutcomeNames[i] == r.Text(2)) a.outcome = static_cast<Outcome>(i);
    }
    a.status_code = static_cast<int>(r.Int(3));
    a.error = r.Text(4);
    attempts.push_back(std::move(a));
  }
  return std::pair{std::move(m), std::move(attempts)};
}

Result<Message> Outbox::Retry(std::int64_t id, const core::Actor& actor) {
  return Change(id, actor, /*retry=*/true);
}

Result<Message> Outbox::Cancel(std::int64_t id, const core::Actor& actor) {
  return Change(id, actor, /*retry=*/false);
}

Result<Message> Outbox::Change(std::int64_t id, const core::Actor& actor, bool retry) {
  TINHSO_RETURN_IF_ERROR(Allowed(policy_, actor, "outbox.manage"));
  const core::Seconds now = clock_.Now();
  return storage::WithTransaction(db_, [&](storage::Transaction& tx) -> Result<Message> {
    TINHSO_ASSIGN_OR_RETURN(storage::Rows before, tx.Query(sql::kById, {{"id", id}}));
    if (before.empty()) return UnknownMessage(id);
    const Message was = FromRow(before[0]);
    TINHSO_ASSIGN_OR_RETURN(
        storage::Rows after,
        retry ? tx.Query(sql::kRetry, {{"now", Epoch(now)}, {"now2", Epoch(now)}, {"id", id}})
              : tx.Query(sql::kCancel, {{"now", Epoch(now)}, {"id", id}}));
    if (after.empty()) {
      const std::string status(StatusName(was.status));
      if (retry) {
        return MakeError(ErrorCode::kFailedPrecondition, "outbox.not_retryable",
                         "Chỉ gửi lại được tin gửi thất bại hoặc đã hủy.",
                         "Only a dead or cancelled message can be retried.", status);
      }
      return MakeError(ErrorCode::kFailedPrecondition, "outbox.not_cancellable",
                       "Chỉ hủy được tin đang chờ gửi hoặc chờ gửi lại.",
                       "Only a queued or retrying message can be cancelled.", status);
    }
    boost::json::object data{{"destination", was.destination},
                             {"idempotency_key", was.idempotency_key},
                             {"from", StatusName(was.status)},
                             {"to", retry ? "queued" : "cancelled"}};
    TINHSO_RETURN_IF_ERROR(
        audit::Append(tx, actor,
                      {retry ? "outbox.retry" : "outbox.cancel", "outbox_message",
                       std::to_string(id), boost::json::serialize(data)},
                      now));
    return FromRow(after[0]);
  });
}

Result<std::vector<Count>> Outbox::Counts(const core::Actor& actor) {
  TINHSO_RETURN_IF_ERROR(Allowed(policy_, actor, "outbox.read"));
  TINHSO_ASSIGN_OR_RETURN(auto tx, db_.Begin(storage::TxKind::kSingleRead));
  TINHSO_ASSIGN_OR_RETURN(storage::Rows rows, tx->Query(sql::kCounts));
  std::vector<Count> out;
  for (const Row& r : rows) {
    out.push_back({.destination = r.Text(0),
                   .status = ParseStatus(r.Text(1)).value_or(Status::kQueued),
                   .messages = r.Int(2),
                   .oldest = r.OptionalTime(3)});
  }
  return out;
}

Result<ThroughputRun> EnqueueAndDeliver(Outbox& outbox, storage::Database& db,
                                        const NewMessage& like, int n, Sender& sender,
                                        int workers) {
  for (int i = 0; i < n; ++i) {
    NewMessage m = like;
    m.idempotency_key += "-" + std::to_string(i);
    TINHSO_RETURN_IF_ERROR(
        storage::WithTransaction(db, [&](storage::Transaction& tx) -> Result<void> {
          TINHSO_RETURN_IF_ERROR(outbox.Enqueue(tx, m));
          return Ok();
        }));
  }
  std::atomic<int> delivered{0};
  std::vector<std::optional<Error>> errors(static_cast<std::size_t>(std::max(1, workers)));
  const auto start = std::chrono::steady_clock::now();
  std::vector<std::thread> threads;
  for (std::size_t w = 0; w < errors.size(); ++w) {
    threads.emplace_back([&, w] {
      for (;;) {
        auto report = outbox.DeliverDue(outbox.clock().Now(), sender, 1000);
        if (!report.ok()) {
          errors[w] = report.error();
          return;
        }
        delivered += report->delivered;
        if (report->claimed == 0) return;
      }
    });
  }
  for (auto& t : threads) t.join();
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  for (const auto& e : errors) {
    if (e) return *e;
  }
  if (delivered < n) {
    return InternalError("outbox bench: " + std::to_string(delivered.load()) + " of " +
                         std::to_string(n) + " delivered");
  }
  return ThroughputRun{.delivered = delivered.load(), .seconds = seconds};
}

}  // namespace tinhso::outbox
