// Every statement the outbox runs, portable to SQLite 3.40 and PostgreSQL 15.
// Parameter names are never repeated within one statement (the PostgreSQL rewrite to $n).
#pragma once

#include <string_view>

namespace tinhso::outbox::sql {

// The columns read into a Message without its body, in the order outbox.cpp expects them.
#define TINHSO_OUTBOX_COLUMNS                                                               \
  "id, destination, ordering_key, seq, idempotency_key, method, path, headers, body_size, " \
  "body_sha256, status, attempts, next_attempt_at, lease_owner, last_error, "               \
  "last_status_code, created_at, updated_at, delivered_at"

// A second enqueue of the same destination × key inserts nothing (no row returned).
inline constexpr std::string_view kInsert =
    "INSERT INTO outbox_messages (destination, ordering_key, seq, idempotency_key, method, path, "
    "headers, body, body_size, body_sha256, status, next_attempt_at, created_at, updated_at) "
    "VALUES (:destination, :ordering_key, :seq, :key, :method, :path, :headers, :body, :size, "
    ":sha256, 'queued', :next, :created_at, :updated_at) "
    "ON CONFLICT (destination, idempotency_key) DO NOTHING RETURNING " TINHSO_OUTBOX_COLUMNS;

inline constexpr std::string_view kByKey = "SELECT " TINHSO_OUTBOX_COLUMNS
                                           " FROM outbox_messages WHERE destination = "
                                           ":destination AND idempotency_key = :key";

// Takes the row lock of the ordering key until the enqueuing transaction ends. A number taken
// by an enqueue that then finds its key already there is a gap, which orders nothing wrong.
inline constexpr std::string_view kNextSeq =
    "INSERT INTO outbox_sequences (destination, ordering_key, last_seq) "
    "VALUES (:destination, :ordering_key, 1) ON CONFLICT (destination, ordering_key) "
    "DO UPDATE SET last_seq = outbox_sequences.last_seq + 1 RETURNING last_seq";
inline constexpr std::string_view kById =
    "SELECT " TINHSO_OUTBOX_COLUMNS " FROM outbox_messages WHERE id = :id";
inline constexpr std::string_view kBodyById = "SELECT body FROM outbox_messages WHERE id = :id";

// A worker killed in its last attempt leaves a message 'sending' with its attempts used up and
// its lease (next_attempt_at) ended.
inline constexpr std::string_view kAbandoned =
    "SELECT id, next_attempt_at, destination FROM outbox_messages WHERE status = 'sending' "
    "AND next_attempt_at <= :now AND attempts >= :max";
inline constexpr std::string_view kBury =
    "UPDATE outbox_messages SET status = 'dead', last_error = :error, lease_owner = '', "
    "updated_at = :now WHERE id = :id AND status = 'sending' AND next_attempt_at <= :now2";

// What may be claimed: due, and no earlier message of its ordering key still on its way.
// 'sending' rows are due when their lease has ended.
#define TINHSO_OUTBOX_NOT_HELD_BACK                                                            \
  "(m.ordering_key = '' OR NOT EXISTS (SELECT 1 FROM outbox_messages e "                       \
  "WHERE e.destination = m.destination AND e.ordering_key = m.ordering_key AND e.seq < m.seq " \
  "AND e.status IN ('queued', 'sending', 'retrying')))"

inline constexpr std::string_view kDue =
    "SELECT m.id, m.status, m.next_attempt_at FROM outbox_messages m WHERE m.status IN ('queued', "
    "'retrying', "
    "'sending') AND m.next_attempt_at <= :now AND " TINHSO_OUTBOX_NOT_HELD_BACK
    " ORDER BY m.next_attempt_at, m.id LIMIT :limit";

// Takes one message if nobody holds it. On PostgreSQL (READ COMMITTED) a concurrent claim
// blocks on the row and then re-checks this WHERE against the row as committed: the loser
// updates nothing. SQLite has one writer at a time.
inline constexpr std::string_view kClaim =
    "UPDATE outbox_messages SET status = 'sending', lease_owner = :owner, next_attempt_at = "
    ":until, attempts = attempts + 1, updated_at = :now WHERE id = :id AND status IN ('queued', "
    "'retrying', 'sending') AND next_attempt_at <= :now2 RETURNING " TINHSO_OUTBOX_COLUMNS ", body";

// The outcome of a claimed message, applied only while the lease is still the caller's.
inline constexpr std::string_view kMarkDelivered =
    "UPDATE outbox_messages SET status = 'delivered', delivered_at = :now, last_error = '', "
    "last_status_code = :code, lease_owner = '', updated_at = :now2 "
    "WHERE id = :id AND status = 'sending' AND lease_owner = :owner";
inline constexpr std::string_view kMarkRetry =
    "UPDATE outbox_messages SET status = 'retrying', next_attempt_at = :next, last_error = "
    ":error, last_status_code = :code, lease_owner = '', updated_at = :now "
    "WHERE id = :id AND status = 'sending' AND lease_owner = :owner";
inline constexpr std::string_view kMarkDead =
    "UPDATE outbox_messages SET status = 'dead', last_error = :error, last_status_code = :code, "
    "lease_owner = '', updated_at = :now WHERE id = :id AND status = 'sending' "
    "AND lease_owner = :owner";

inline constexpr std::string_view kAddAttempt =
    "INSERT INTO outbox_attempts (message_id, started_at, finished_at, outcome, status_code, "
    "error) VALUES (:message_id, :started_at, :finished_at, :outcome, :code, :error)";
inline constexpr std::string_view kAttempts =
    "SELECT started_at, finished_at, outcome, status_code, error FROM outbox_attempts "
    "WHERE message_id = :message_id ORDER BY id";

inline constexpr std::string_view kRetry =
    "UPDATE outbox_messages SET status = 'queued', attempts = 0, next_attempt_at = :now, "
    "updated_at = :now2 WHERE id = :id AND status IN ('dead', 'cancelled') "
    "RETURNING " TINHSO_OUTBOX_COLUMNS;
inline constexpr std::string_view kCancel =
    "UPDATE outbox_messages SET status = 'cancelled', updated_at = :now "
    "WHERE id = :id AND status IN ('queued', 'retrying') RETURNING " TINHSO_OUTBOX_COLUMNS;

// The operators' list, newest first; :status and :destination '' = any.
inline constexpr std::string_view kList =
    "SELECT " TINHSO_OUTBOX_COLUMNS
    " FROM outbox_messages WHERE (:status = '' OR status = :status2) AND (:destination = '' OR "
    "destination = :destination2) ORDER BY id DESC LIMIT :limit OFFSET :offset";
inline constexpr std::string_view kCount =
    "SELECT COUNT(*) FROM outbox_messages WHERE (:status = '' OR status = :status2) AND "
    "(:destination = '' OR destination = :destination2)";

inline constexpr std::string_view kCounts =
    "SELECT destination, status, COUNT(*), MIN(created_at) FROM outbox_messages "
    "GROUP BY destination, status ORDER BY destination, status";

#undef TINHSO_OUTBOX_NOT_HELD_BACK
#undef TINHSO_OUTBOX_COLUMNS

}  // namespace tinhso::outbox::sql
