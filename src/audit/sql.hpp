// Every statement the audit module runs; portable to SQLite 3.40 and PostgreSQL 15.
#pragma once

#include <cstddef>
#include <string_view>

namespace tinhso::audit::sql {

// Takes the head row lock first (PostgreSQL row lock; SQLite already holds the write lock), so
// concurrent appends queue up behind each other and the chain stays linear.
inline constexpr std::string_view kBumpHead = R"(
UPDATE audit_head SET seq = seq + :n WHERE id = 1 RETURNING seq, hash)";

inline constexpr std::string_view kSetHeadHash = R"(
UPDATE audit_head SET hash = :hash WHERE id = 1)";

// Entries go in up to kRowsPerInsert per statement (storage::RowsInsert): every statement
// costs a round trip while the head is locked, and every writer waits for that lock.
inline constexpr std::string_view kInsertTable = "audit_log";
// Bound by position in WriteChain.
inline constexpr std::string_view kInsertColumns[] = {
    "seq",       "at",   "actor_id",  "actor_login", "action", "object_type",
    "object_id", "data", "data_hash", "prev_hash",   "hash"};
inline constexpr std::size_t kRowsPerInsert = 32;

inline constexpr std::string_view kColumns =
    "seq, at, actor_id, actor_login, action, object_type, object_id, data, data_hash, prev_hash, "
    "hash";

// Chain walk for Verify: keyset pagination in seq order.
inline constexpr std::string_view kChainPage = R"(
SELECT seq, at, actor_id, actor_login, action, object_type, object_id, data, data_hash, prev_hash,
       hash
FROM audit_log WHERE seq > :after ORDER BY seq LIMIT :limit)";

inline constexpr std::string_view kHead = R"(SELECT seq, hash FROM audit_head WHERE id = 1)";

// Checkpoints: the last entry, and the entry a checkpoint anchored.
inline constexpr std::string_view kLast = R"(
SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1)";

inline constexpr std::string_view kHashOf = R"(SELECT hash FROM audit_log WHERE seq = :seq)";

}  // namespace tinhso::audit::sql
