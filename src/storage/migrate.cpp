// The migration runner: applies migrations/NNNN_name.sql in order, once each.
#include <chrono>
#include <string>

#include "storage/database.hpp"
#include "storage/internal.hpp"

namespace tinhso::storage {

namespace {

constexpr std::string_view kCreateTable = R"(
CREATE TABLE IF NOT EXISTS schema_migrations (
  version INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  applied_at BIGINT NOT NULL
))";

Result<void> CheckSorted(std::span<const Migration> migrations) {
  for (std::size_t i = 0; i < migrations.size(); ++i) {
    if (migrations[i].version <= 0 ||
        (i > 0 && migrations[i].version <= migrations[i - 1].version)) {
      return MakeError(
          ErrorCode::kInvalidArgument, "storage.bad_migration",
          "Danh sách migration không đúng thứ tự.",
          "The migrations are not in increasing version order.",
          "at " + std::to_string(migrations[i].version) + "_" + std::string(migrations[i].name));
    }
  }
  return Ok();
}

// One migration in its own transaction. Whether it is still pending is decided inside that
// transaction, after taking the lock, so that two processes never both apply it.
Result<void> ApplyOne(Database& db, const Migration& m) {
  TINHSO_ASSIGN_OR_RETURN(const std::string sql, internal::ExpandPlaceholders(m.sql, db.backend()));
  TINHSO_ASSIGN_OR_RETURN(auto tx, db.Begin(TxKind::kReadWrite));
  TINHSO_RETURN_IF_ERROR(internal::LockForMaintenance(*tx, db.backend()));
  TINHSO_ASSIGN_OR_RETURN(Rows applied,
                          tx->Query("SELECT 1 FROM schema_migrations WHERE version = :version",
                                    {{"version", std::int64_t{m.version}}}));
  if (!applied.empty()) {
    return Ok();
  }
  if (auto done = tx->ExecuteScript(sql); !done.ok()) {
    Error e = done.error();
    e.detail =
        "migration " + std::to_string(m.version) + "_" + std::string(m.name) + ": " + e.detail;
    return e;
  }
  const std::int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                               std::chrono::system_clock::now().time_since_epoch())
                               .count();
  TINHSO_RETURN_IF_ERROR(tx->Execute(
      "INSERT INTO schema_migrations (version, name, applied_at) VALUES (:version, :name, :at)",
      {{"version", std::int64_t{m.version}}, {"name", std::string(m.name)}, {"at", now}}));
  return tx->Commit();
}

}  // namespace

namespace internal {

Result<int> SchemaVersion(Transaction& tx, Backend backend) {
  // Asking the catalog first keeps the transaction usable when the table does not exist
  // (a failed SELECT would poison it).
  TINHSO_ASSIGN_OR_RETURN(
      Rows exists,
      tx.Query(backend == Backend::kSqlite ? "SELECT 1 FROM sqlite_schema WHERE type = 'table' "
                                             "AND name = 'schema_migrations'"
                                           : "SELECT 1 FROM information_schema.tables "
                                             "WHERE table_schema = current_schema() "
                                             "AND table_name = 'schema_migrations'"));
  if (exists.empty()) {
    return 0;
  }
  TINHSO_ASSIGN_OR_RETURN(Rows rows,
                          tx.Query("SELECT COALESCE(MAX(version), 0) FROM schema_migrations"));
  return static_cast<int>(rows[0].Int(0));
}

}  // namespace internal

Result<int> SchemaVersion(Database& db) {
  TINHSO_ASSIGN_OR_RETURN(auto tx, db.Begin(TxKind::kReadOnly));
  return internal::SchemaVersion(*tx, db.backend());
}

Result<int> Migrate(Database& db) { return Migrate(db, EmbeddedMigrations()); }

Result<int> Migrate(Database& db, std::span<const Migration> migrations) {
  TINHSO_RETURN_IF_ERROR(CheckSorted(migrations));
  {
    TINHSO_ASSIGN_OR_RETURN(auto tx, db.Begin(TxKind::kReadWrite));
    TINHSO_RETURN_IF_ERROR(internal::LockForMaintenance(*tx, db.backend()));
    TINHSO_RETURN_IF_ERROR(tx->ExecuteScript(kCreateTable));
    TINHSO_RETURN_IF_ERROR(tx->Commit());
  }
  for (const Migration& m : migrations) {
    TINHSO_RETURN_IF_ERROR(ApplyOne(db, m));
  }
  return SchemaVersion(db);
}

}  // namespace tinhso::storage
