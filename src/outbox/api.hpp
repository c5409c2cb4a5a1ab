// The outbox's API types (http/api.hpp): what its routes read and answer.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "http/api.hpp"
#include "outbox/outbox.hpp"

namespace tinhso::outbox {

BOOST_DESCRIBE_ENUM(Status, kQueued, kSending, kRetrying, kDelivered, kDead, kCancelled)
BOOST_DESCRIBE_ENUM(Outcome, kDelivered, kRetry, kDead, kInterrupted)

// One message as the operators' list shows it (without its body).
struct OutboxMessage {
  std::int64_t id = 0;
  std::string destination;   // a service name: "dvcqg.dossier"
  std::string ordering_key;  // "" = delivered in any order
  std::int64_t seq = 0;      // enqueue order within destination × ordering key
  std::string idempotency_key;
  std::string method;
  std::string path;
  std::int64_t body_size = 0;  // bytes
  std::string body_sha256;     // hex
  Status status = Status::kQueued;
  int attempts = 0;                 // since enqueue or the last manual retry
  http::Timestamp next_attempt_at;  // while sending: when the worker's lease ends
  std::string last_error;           // why it is retrying or dead
  int last_status_code = 0;         // the receiver's last HTTP status; 0 = no answer
  http::Timestamp created_at;
  http::Timestamp updated_at;
  http::Nullable<http::Timestamp> delivered_at;
};
TINHSO_API_STRUCT(OutboxMessage,
                  (id, destination, ordering_key, seq, idempotency_key, method, path, body_size,
                   body_sha256, status, attempts, next_attempt_at, last_error, last_status_code,
                   created_at, updated_at, delivered_at))

struct OutboxHeader {
  std::string name;
  std::string value;
};
TINHSO_API_STRUCT(OutboxHeader, (name, value))

struct OutboxAttempt {
  http::Timestamp started_at;
  http::Timestamp finished_at;
  Outcome outcome = Outcome::kDelivered;
  int status_code = 0;  // the receiver's HTTP status; 0 = no answer
  std::string error;
};
TINHSO_API_STRUCT(OutboxAttempt, (started_at, finished_at, outcome, status_code, error))

// GET /api/v1/outbox/messages/{id}
struct OutboxMessageDetail {
  OutboxMessage message;
  std::vector<OutboxHeader> headers;
  http::Nullable<std::string> body_text;  // the body when it is UTF-8 text of at most 64 KiB
  std::vector<OutboxAttempt> attempts;    // oldest first
};
TINHSO_API_STRUCT(OutboxMessageDetail, (message, headers, body_text, attempts))

struct OutboxListQuery {
  std::optional<Status> status;
  std::optional<http::Text<64>> destination;
  http::PageLimit limit = 50;
  http::PageOffset offset = 0;
};
TINHSO_API_STRUCT(OutboxListQuery, (status, destination, limit, offset))

struct OutboxCount {
  std::string destination;
  Status status = Status::kQueued;
  std::int64_t messages = 0;
  http::Nullable<http::Timestamp> oldest;  // the oldest message's creation: how long it waits
};
TINHSO_API_STRUCT(OutboxCount, (destination, status, messages, oldest))

// GET /api/v1/outbox/summary
struct OutboxSummary {
  std::vector<OutboxCount> items;  // by destination, then status
};
TINHSO_API_STRUCT(OutboxSummary, (items))

}  // namespace tinhso::outbox
