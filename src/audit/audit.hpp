// The tamper-evident audit log. Every change anywhere in tinhso appends one entry in the same
// transaction as the change itself, so the entry commits or rolls back with it. Entries are
// hash-chained (SHA-256 over the previous hash and the entry's fields): editing, removing,
// inserting or reordering any entry breaks the chain, and Verify names the first bad entry.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/actor.hpp"
#include "core/clock.hpp"
#include "core/result.hpp"
#include "storage/database.hpp"

namespace tinhso::http {
class Router;
}

namespace tinhso::audit {

struct Change {
  std::string action;       // "agency.merge", "user.create", "calendar.override.put"
  std::string object_type;  // "agency", "user", "calendar_override"
  std::string object_id;    // the object's id or key
  std::string data_json;    // the change itself (new values, or before/after) as JSON text
};

// Appends `change` by `actor` at time `at`, inside the caller's transaction. Appends are
// serialised (the chain head row is locked until the transaction ends).
// Returns the entry's sequence number (1, 2, 3… with no gaps).
Result<std::int64_t> Append(storage::Transaction& tx, const core::Actor& actor,
                            const Change& change, core::Seconds at);

struct Entry {
  std::int64_t seq = 0;
  core::Seconds at;
  std::int64_t actor_id = 0;
  std::string actor_login;
  std::string action;
  std::string object_type;
  std::string object_id;
  std::string data_json;
  std::string prev_hash;
  std::string hash;
};

struct Filter {
  std::optional<std::int64_t> actor_id;
  std::string action_prefix;  // "agency." matches every agency action
  std::string object_type;
  std::string object_id;
  std::optional<core::Seconds> from;       // inclusive
  std::optional<core::Seconds> to;         // exclusive
  std::optional<std::int64_t> before_seq;  // keyset pagination: entries with seq < before_seq
  int limit = 50;                          // 1..500
};

// Newest first. Errors: kInvalidArgument (limit out of range).
Result<std::vector<Entry>> List(storage::Database& db, const Filter& filter);

struct VerifyReport {
  bool intact = true;
  std::int64_t checked = 0;    // entries read
  std::int64_t first_bad = 0;  // seq of the first bad entry (0 when intact)
  std::string problem_vi;      // what is wrong with it
  std::string problem_en;
  std::string head_hash;  // the hash of the last entry: publish it to anchor the log
};

// Reads the whole chain in order and checks every link, then the head row (which catches a
// truncated tail). `progress` (optional) is called with the number of entries checked so far.
Result<VerifyReport> Verify(storage::Database& db,
                            const std::function<void(std::int64_t)>& progress = {});

// GET /api/v1/audit (filtered, paginated; action "audit.read") and
// GET /api/v1/audit/verify (action "audit.verify").
void RegisterRoutes(http::Router& router, storage::Database& db);

}  // namespace tinhso::audit
