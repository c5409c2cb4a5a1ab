// The outbox for outgoing messages to other systems (issue 17, "delivery without loss, shared
// by everything that calls out"): the national dossier sync, edXML document exchange, and
// whatever else calls out through the data-integration gateway. It knows no gateway: it hands
// each message to a Sender, which the application implements.
//
// A change that must tell another system calls Outbox::Enqueue inside its own transaction: the
// change and its message commit together or not at all. Each message names its destination (a
// service name), an HTTP method, path, headers and body (bytes, megabytes are fine), and an
// idempotency key unique per destination: enqueuing the same key again returns the message
// already there, so a caller that retries its own work makes no second message.
//
// Outbox::DeliverDue, run by housekeeping threads or processes (several at once are fine),
// claims due messages under a lease (a random token and an end time, taken by one conditional
// UPDATE per message: two workers never hold the same message, and a crashed worker's messages
// are due again when its lease ends), hands each to the Sender, and records the outcome:
// delivered (2xx); retrying with exponential backoff and jitter (no answer, 408, 429, 5xx);
// dead with the reason (another 4xx at once, or the attempts used up). Operators list, inspect,
// retry and cancel messages (audited, by the permission policy's outbox.read / outbox.manage).
//
// Delivery is at least once; exactly once is the receiver's effect when it dedupes on the
// Idempotency-Key header, which every send carries. One window cannot be closed from our side:
// the receiver applied the message and our worker died before its commit. The message is then
// sent again, with the same key, after the lease.
//
// Ordering: messages with the same destination and a non-empty ordering key are delivered one
// after the other in enqueue order (commit order): a message is not sent while an earlier one of
// its key is queued, sending or retrying. A dead or cancelled one no longer holds the others
// back (they would wait for an operator forever); a manual retry of it is then delivered after
// them.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/actor.hpp"
#include "core/clock.hpp"
#include "core/result.hpp"
#include "storage/database.hpp"

namespace tinhso::auth {
class Policy;
}
namespace tinhso::http {
class ClientPool;
class Router;
}  // namespace tinhso::http

namespace tinhso::outbox {

enum class Status { kQueued, kSending, kRetrying, kDelivered, kDead, kCancelled };
/// "queued", "sending", "retrying", "delivered", "dead", "cancelled", as stored.
std::string_view StatusName(Status status);
std::optional<Status> ParseStatus(std::string_view name);

using Headers = std::vector<std::pair<std::string, std::string>>;

/// What a caller enqueues.
struct NewMessage {
  std::string destination;      ///< a service name: [a-z0-9][a-z0-9._-]{0,63}, "dvcqg.dossier"
  std::string ordering_key;     ///< "" = any order; else in enqueue order within the destination
  std::string idempotency_key;  ///< unique per destination; printable ASCII, at most 200
  std::string method = "POST";  ///< GET, POST, PUT, PATCH, DELETE
  std::string path;             ///< "/api/hoso/dongbo", appended to the destination's address
  Headers headers;              ///< e.g. Content-Type; never Idempotency-Key (the outbox adds it)
  std::string body;             ///< bytes
};

struct Message {
  std::int64_t id = 0;
  std::string destination;
  std::string ordering_key;
  std::int64_t seq = 0;  ///< enqueue order within destination × ordering key (0 without a key)
  std::string idempotency_key;
  std::string method;
  std::string path;
  Headers headers;
  std::string body;  ///< bytes; empty in List's items (they carry body_size only)
  std::int64_t body_size = 0;
  std::string body_sha256;  ///< hex
  Status status = Status::kQueued;
  int attempts = 0;               ///< since enqueue or the last manual retry
  core::Seconds next_attempt_at;  ///< while sending: the end of the lease
  std::string lease_owner;        ///< set on claimed messages
  std::string last_error;
  int last_status_code = 0;
  core::Seconds created_at;
  core::Seconds updated_at;
  std::optional<core::Seconds> delivered_at;
};

enum class Outcome { kDelivered, kRetry, kDead, kInterrupted };
std::string_view OutcomeName(Outcome outcome);

/// One delivery attempt, as kept.
struct Attempt {
  core::Seconds started_at;
  core::Seconds finished_at;
  Outcome outcome = Outcome::kDelivered;
  int status_code = 0;  ///< the receiver's HTTP status; 0 when none came
  std::string error;
};

/// What the receiver answered.
struct Response {
  int status = 0;      ///< HTTP status
  std::string detail;  ///< a short excerpt of the answer, kept with a failed attempt
  std::optional<std::chrono::seconds> retry_after;  ///< its Retry-After, if any
};

/// Sends one message to its destination, with `message.idempotency_key` in an Idempotency-Key
/// header. A Response is whatever the receiver answered (its status decides); an error means no
/// answer came (unreachable, timeout: retried), except kInvalidArgument (the message cannot be
/// sent as it is, e.g. an unknown destination: dead at once). Called from several threads at
/// once when several workers run.
class Sender {
 public:
  virtual ~Sender() = default;
  virtual Result<Response> Send(const Message& message) = 0;
};

/// A Sender over HTTP (kept-alive connections of an http::ClientPool) to a base URL per
/// destination. The application's gateway
/// will replace it for destinations behind the gateway; tests and the bench use it as it is.
class HttpSender final : public Sender {
 public:
  /// `base_url_of(destination)`: "http://127.0.0.1:8090" (the message's path is appended), or
  /// nullopt for a destination it does not know (the message goes dead).
  using Resolver = std::function<std::optional<std::string>(std::string_view destination)>;
  explicit HttpSender(Resolver base_url_of,
                      std::chrono::milliseconds timeout = std::chrono::seconds(30));
  Result<Response> Send(const Message& message) override;

 private:
  Resolver base_url_of_;
  std::chrono::milliseconds timeout_;
  std::shared_ptr<http::ClientPool> connections_;  // shared by copies
};

struct Options {
  int max_attempts = 8;                    ///< then dead
  std::chrono::seconds backoff_base{30};   ///< the wait after the first failure, then doubled
  std::chrono::seconds backoff_cap{3600};  ///< the longest wait
  double jitter = 0.2;                     ///< up to this share of each wait is taken off at random
  std::chrono::seconds lease{300};         ///< longer than a batch of sends can take
  int claim_batch = 8;                     ///< messages claimed per transaction
  std::size_t max_body_bytes = 64u << 20;
};

/// The wait before the attempt after `attempts` failed ones: backoff_base × 2^(attempts − 1),
/// at most backoff_cap, less `jitter × u` of it (u in [0, 1), drawn at random by the outbox),
/// and never shorter than `retry_after` when the receiver asked for that (capped too).
std::chrono::seconds Backoff(int attempts, const Options& options, double u,
                             std::optional<std::chrono::seconds> retry_after = std::nullopt);

/// Whether a receiver's HTTP status is worth another attempt: 408, 429 and 5xx (and any status
/// outside 200–599). Other 4xx (and 3xx: we follow no redirects) are permanent.
bool IsTransient(int status);

struct DeliveryReport {
  int claimed = 0;
  int delivered = 0;
  int retried = 0;
  int dead = 0;
};

struct ListFilter {
  std::optional<Status> status;
  std::string destination;  ///< "" = every destination
  int limit = 50;
  int offset = 0;
};

struct Page {
  std::vector<Message> items;  ///< without their bodies
  std::int64_t total = 0;
  int limit = 0;
  int offset = 0;
};

struct Count {
  std::string destination;
  Status status = Status::kQueued;
  std::int64_t messages = 0;
  std::optional<core::Seconds> oldest;  ///< the oldest message's creation (how long it waits)
};

/// Thread-safe.
class Outbox {
 public:
  Outbox(storage::Database& db, const core::Clock& clock, const auth::Policy& policy,
         Options options = {});

  /// Writes `message` inside `tx` (the caller's transaction), due now, and returns it with its
  /// id; a message already enqueued with the same destination and idempotency key is returned
  /// as it is instead. Errors: kInvalidArgument "outbox.invalid" naming the field,
  /// kPayloadTooLarge "outbox.body_too_large", and the driver's.
  Result<Message> Enqueue(storage::Transaction& tx, const NewMessage& message) const;

  /// Claims up to `limit` messages due at `now` for `worker` (a token of its own), the lease
  /// ending at now + lease. Marks dead those whose last lease ended with their attempts used up.
  Result<std::vector<Message>> Claim(std::string_view worker, core::Seconds now, int limit);
  /// Records a claimed message's attempt (from `started` to `finished`) and its outcome.
  /// Changes the message only while the lease is still `message.lease_owner`'s (it may have
  /// ended and another worker taken the message); the attempt is kept either way.
  Result<Outcome> Complete(const Message& message, core::Seconds started, core::Seconds finished,
                           const Result<Response>& response);
  /// Claim, Send, Complete until nothing is due at `now` or `limit` messages were claimed. The
  /// run's later steps are stamped `now` plus the time the run has taken by the outbox's clock.
  Result<DeliveryReport> DeliverDue(core::Seconds now, Sender& sender, int limit = 100);

  // Operators. Each checks `actor` against the policy (outbox.read, outbox.manage):
  // kPermissionDenied otherwise; kNotFound "outbox.unknown_message".
  Result<Page> List(const ListFilter& filter, const core::Actor& actor);
  /// One message with its body and its attempts, oldest first.
  Result<std::pair<Message, std::vector<Attempt>>> Get(std::int64_t id, const core::Actor& actor);
  /// A dead or cancelled message back to queued, due now, with a fresh set of attempts.
  /// Errors: kFailedPrecondition "outbox.not_retryable".
  Result<Message> Retry(std::int64_t id, const core::Actor& actor);
  /// A queued or retrying message to cancelled. Errors: kFailedPrecondition
  /// "outbox.not_cancellable" (sending: wait for the attempt; delivered, dead, cancelled).
  Result<Message> Cancel(std::int64_t id, const core::Actor& actor);
  /// Messages per destination × status, for monitoring.
  Result<std::vector<Count>> Counts(const core::Actor& actor);

  const Options& options() const { return options_; }
  const core::Clock& clock() const { return clock_; }

 private:
  Result<Message> Change(std::int64_t id, const core::Actor& actor, bool retry);

  storage::Database& db_;
  const core::Clock& clock_;
  const auth::Policy& policy_;
  Options options_;
};

/// The bench's hook (gateway.outbox_delivered_per_s): enqueues `n` copies of `like`, the i-th
/// under the idempotency key `like.idempotency_key` + "-i" (one transaction each, as callers
/// do), then runs `workers` threads of DeliverDue into `sender` until nothing is due. Returns
/// how many were delivered and the seconds the delivery took (enqueueing not counted). Errors:
/// the outbox's, or kInternal when some were not delivered.
struct ThroughputRun {
  int delivered = 0;
  double seconds = 0;
};
Result<ThroughputRun> EnqueueAndDeliver(Outbox& outbox, storage::Database& db,
                                        const NewMessage& like, int n, Sender& sender,
                                        int workers = 1);

/// GET /api/v1/outbox/messages, GET …/{id}, POST …/{id}/retry, POST …/{id}/cancel,
/// GET /api/v1/outbox/summary.
void RegisterRoutes(http::Router& router, Outbox& outbox);

}  // namespace tinhso::outbox
