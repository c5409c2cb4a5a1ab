// The tamper-evident audit log. Every change anywhere in tinhso appends one entry in the same
// transaction as the change itself, so the entry commits or rolls back with it. Entries are
// hash-chained (SHA-256 over the previous hash and the entry's fields): editing, removing,
// inserting or reordering any entry breaks the chain, and Verify names the first bad entry.
//
// The chain alone cannot show that its tail was cut off, or that an entry was rewritten and
// every hash after it computed again: whoever can write the database can do both. Checkpoints
// anchor it outside: the head (last entry, its hash, the count, the time), signed with the
// province's organisation certificate and time-stamped by the TSA, written to a directory the
// database's writers cannot rewrite; Checkpoints::Verify compares the chain with them.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <span>
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

// A change waiting to be appended (see AppendAll).
struct Pending {
  core::Actor actor;
  Change change;
  core::Seconds at;
};

// Appends `entries` in order, locking the chain head once for all of them. Writers that share a
// transaction (the group committer) append last, just before their commit: the head's lock,
// which every writer in the province needs, is then held for a few statements and the commit,
// not for all the work of the transaction.
Result<void> AppendAll(storage::Transaction& tx, std::span<const Pending> entries);

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
  // "chain" (a link is broken), "truncated", "rewritten" (below a checkpoint), "checkpoint" (a
  // checkpoint's files are not what was signed); empty when intact.
  std::string problem;
  std::string problem_vi;  // what is wrong, in words
  std::string problem_en;
  std::string head_hash;  // the hash of the last entry
  // With checkpoints (Checkpoints::Verify): how many were checked, and the newest one's.
  int checkpoints = 0;
  std::int64_t anchored = 0;                 // entries it anchors
  std::optional<core::Seconds> anchored_at;  // its time-stamp's time
};

// Reads the whole chain in order and checks every link, then the head row (which catches a
// tail cut off without rewriting the head). `progress` (optional) is called with the number of
// entries checked so far.
Result<VerifyReport> Verify(storage::Database& db,
                            const std::function<void(std::int64_t)>& progress = {});

// A checkpoint as its file says (Checkpoints::Verify checks the signature and time-stamp).
struct Checkpoint {
  std::string name;        // "000000001234-20261207T023000Z", the stem of its three files
  std::int64_t seq = 0;    // the last entry it anchors
  std::string hash;        // that entry's hash
  std::int64_t count = 0;  // entries anchored (= seq: numbers have no gaps)
  core::Seconds at{};      // when it was made, by the server's clock
};

// Signs and time-stamps a checkpoint's bytes, and checks both. app gives one built on the PKI
// (the province's organisation certificate) and the TSA.
struct Notary {
  struct Seal {
    std::string signature;  // detached CMS SignedData, DER
    std::string timestamp;  // RFC 3161 TimeStampToken over SHA-256 of the bytes, DER
  };
  std::function<Result<Seal>(std::string_view bytes)> seal;
  // The time-stamp's time when both are valid for `bytes`; else an error that says why.
  std::function<Result<core::Seconds>(std::string_view bytes, const Seal& seal)> check;
};

// The checkpoint directory: append-only, three files per checkpoint, <name>.json (the
// checkpoint), <name>.p7s (its signature) and <name>.tst (its time-stamp token), which
// `openssl cms -verify` and `openssl ts -verify` check (README). Thread-safe.
class Checkpoints {
 public:
  Checkpoints(storage::Database& db, std::filesystem::path dir, Notary notary);
  ~Checkpoints();

  // Writes a checkpoint of the chain head, unless the newest one already anchors it (`always`:
  // even then) or the log is empty: nullopt when nothing was written. What the server's
  // housekeeping thread calls every [audit] checkpoint_interval_minutes. Refuses to anchor a
  // chain that no longer holds the newest checkpoint's entry ("audit.checkpoint_conflict").
  Result<std::optional<Checkpoint>> Write(core::Seconds now, bool always = false);
  // Newest first, as their files say; `before`: only those older than that name.
  Result<std::vector<Checkpoint>> List(int limit, std::string_view before = {}) const;
  // One file ("<name>.json", ".p7s" or ".tst"). Errors: kNotFound "audit.checkpoint_not_found".
  Result<std::string> File(std::string_view file_name) const;
  // Verify, then every checkpoint: its signature and time-stamp are valid, and the chain still
  // holds its entry with its hash. Entries after the newest are not yet anchored.
  Result<VerifyReport> Verify(const std::function<void(std::int64_t)>& progress = {}) const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// GET /api/v1/audit (filtered, paginated; action "audit.read"), GET /api/v1/audit/verify
// (action "audit.verify") and GET /api/v1/audit/checkpoints[/latest|/files/{file}] ("audit.read").
void RegisterRoutes(http::Router& router, storage::Database& db, Checkpoints& checkpoints);

}  // namespace tinhso::audit
