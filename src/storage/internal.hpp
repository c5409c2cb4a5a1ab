// Internals shared by the two backends and the backend-neutral parts of storage (migrations,
// backup). Nothing outside src/storage includes this.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/result.hpp"
#include "storage/database.hpp"

namespace tinhso::storage::internal {

// The one constructor of driver errors: picks the Vietnamese and English messages for a
// "storage.*" reason so that both backends word the same failure the same way.
Error StorageError(ErrorCode code, std::string_view reason, std::string detail);

// Times one statement for the QueryObserver; costs nothing when no observer is set.
class QueryTimer {
 public:
  explicit QueryTimer(std::string_view backend);
  ~QueryTimer();
  QueryTimer(const QueryTimer&) = delete;
  QueryTimer& operator=(const QueryTimer&) = delete;

 private:
  std::string_view backend_;
  QueryObserver observer_;
  std::chrono::steady_clock::time_point start_;
};

// The observer set by SetQueryObserver (null when none), for statements timed across threads.
QueryObserver CurrentQueryObserver();

// "t" → "\"t\"": quotes an identifier the way both SQLite and PostgreSQL read it.
std::string QuoteIdent(std::string_view name);

// Replaces the dialect placeholders of migrations/README.md ({{id}}, {{blob}}) for `backend`.
// Errors: kInvalidArgument for an unknown or unterminated placeholder.
Result<std::string> ExpandPlaceholders(std::string_view sql, Backend backend);

// What backup and restore need to know of one table, read from the catalog.
struct TableInfo {
  std::string name;
  std::vector<std::string> columns;      // insertable columns, in table order
  std::vector<std::string> primary_key;  // empty if none
  std::vector<std::string> parents;      // tables it references (other than itself)
  // Nullable columns of a non-deferrable foreign key to the table itself (agencies.parent_id).
  // PostgreSQL checks them row by row, so a restore fills them in after inserting all rows.
  // Always empty on SQLite, where the whole restore defers foreign keys.
  std::vector<std::string> self_references;
};

// Every user table except schema_migrations, parents before children (foreign keys), ties
// and cycles broken by name.
Result<std::vector<TableInfo>> ListTables(Transaction& tx, Backend backend);

// Serialises migrations from concurrent processes: a no-op on SQLite (BEGIN IMMEDIATE already
// holds the write lock), pg_advisory_xact_lock on PostgreSQL. Also lifts statement_timeout,
// since a migration or a restore may legitimately run long.
Result<void> LockForMaintenance(Transaction& tx, Backend backend);

// Lets a restore insert rows in any order within the transaction where the backend allows it
// (SQLite: defer_foreign_keys; PostgreSQL: DEFERRABLE constraints only).
Result<void> DeferForeignKeys(Transaction& tx, Backend backend);

// The text inserted between the column list and VALUES of a restore INSERT (PostgreSQL:
// OVERRIDING SYSTEM VALUE, so that GENERATED ALWAYS identities take the restored ids).
std::string_view RestoreInsertClause(Backend backend);

// Moves identity sequences past the largest restored id (PostgreSQL only).
Result<void> ResetSequences(Transaction& tx, Backend backend);

// The highest applied migration; 0 when schema_migrations does not exist.
Result<int> SchemaVersion(Transaction& tx, Backend backend);

// "sqlite" or "postgresql", as reported to the QueryObserver.
std::string_view BackendName(Backend backend);

}  // namespace tinhso::storage::internal
