// The whole contract between modules and the two storage backends (SQLite, PostgreSQL).
// Modules write portable SQL with named parameters (":name") and never learn which backend
// runs it. Only storage/open.cpp knows both exist.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/result.hpp"

namespace tinhso::storage {

struct Bytes {
  std::string data;
  bool operator==(const Bytes&) const = default;
};

using Value = std::variant<std::nullptr_t, std::int64_t, double, std::string, Bytes>;

// A named parameter, bound to ":name" in the SQL. Names are string literals in sql.hpp files.
struct Param {
  std::string_view name;
  Value value;
};
using Params = std::vector<Param>;

// One result row. Column access is by index, in SELECT order.
class Row {
 public:
  explicit Row(std::vector<Value> values) : values_(std::move(values)) {}
  std::size_t size() const { return values_.size(); }
  bool IsNull(std::size_t i) const { return std::holds_alternative<std::nullptr_t>(values_[i]); }
  // Integers come back as int64 from both backends (PostgreSQL text is parsed by the backend).
  std::int64_t Int(std::size_t i) const;
  double Real(std::size_t i) const;
  // Text of a TEXT column; an integer column is formatted. NULL reads as "".
  std::string Text(std::size_t i) const;
  std::string Blob(std::size_t i) const;
  std::optional<std::int64_t> OptionalInt(std::size_t i) const;
  std::optional<std::string> OptionalText(std::size_t i) const;
  // Times are stored as integer UTC seconds; these read them back as time points.
  std::chrono::sys_seconds Time(std::size_t i) const;
  std::optional<std::chrono::sys_seconds> OptionalTime(std::size_t i) const;
  const Value& at(std::size_t i) const { return values_[i]; }

 private:
  std::vector<Value> values_;
};

struct Rows {
  std::vector<std::string> columns;
  std::vector<Row> rows;
  std::size_t size() const { return rows.size(); }
  bool empty() const { return rows.empty(); }
  const Row& operator[](std::size_t i) const { return rows[i]; }
  auto begin() const { return rows.begin(); }
  auto end() const { return rows.end(); }
};

enum class TxKind {
  kReadWrite,  // SQLite: BEGIN IMMEDIATE (takes the write lock up front, no upgrade deadlock)
  kReadOnly,   // a consistent snapshot for reads (SQLite WAL read; PostgreSQL REPEATABLE READ)
  // Exactly one read statement, which is its own snapshot: on PostgreSQL no BEGIN and no
  // ROLLBACK are sent (one round trip instead of three), for hot single-query reads such as
  // the public dossier lookup; on SQLite no BEGIN, snapshot read or COMMIT (three statements
  // fewer; a pooled reader may even keep its snapshot from one kSingleRead to the next while
  // nothing is committed through this Database, for at most 100 ms, so that a write by
  // another process may show that much later). A second statement in the same transaction
  // may see a later snapshot than the first.
  kSingleRead,
};
// Notes on both kinds, true on both backends:
// - The snapshot of a kReadOnly transaction is taken inside Begin(), not at its first read.
// - kReadWrite on PostgreSQL is READ COMMITTED (its default); write
//   `UPDATE t SET n = n + 1`, not read-modify-write, or check a version column.
// - A failed statement poisons the transaction (as PostgreSQL does): later statements fail and
//   Commit() returns the first error. Use `INSERT … ON CONFLICT` instead of catching a
//   unique violation and carrying on.

enum class Backend { kSqlite, kPostgres };

// One unit of work. Not thread-safe: use it from the thread that began it.
// Destroying it without Commit() rolls back.
class Transaction {
 public:
  virtual ~Transaction() = default;

  // Runs a statement that returns rows. Driver errors come back translated:
  // unique violation → kAlreadyExists, foreign key → kFailedPrecondition,
  // serialization failure/deadlock → kConflict, busy/connection lost → kUnavailable.
  virtual Result<Rows> Query(std::string_view sql, const Params& params = {}) = 0;

  // Runs a statement without a result set; returns the number of rows changed.
  virtual Result<std::int64_t> Execute(std::string_view sql, const Params& params = {}) = 0;

  // Runs several ';'-separated statements without parameters (migrations).
  virtual Result<void> ExecuteScript(std::string_view sql) = 0;

  virtual Result<void> Commit() = 0;
};

// What ReadAsync answers: the rows, or the error Query() would have returned.
using RowsCallback = std::function<void(Result<Rows>)>;

// Thread-safe. Owns the connections (a pool for PostgreSQL; a writer plus readers for SQLite).
class Database {
 public:
  virtual ~Database() = default;
  virtual Result<std::unique_ptr<Transaction>> Begin(TxKind kind = TxKind::kReadWrite) = 0;
  // Runs one read statement, as Begin(kSingleRead) + Query() would, without keeping the caller
  // waiting, and calls `done` exactly once with the result. For hot reads served by an event
  // loop (the public lookup).
  // - PostgreSQL: the statement joins a pipeline (libpq pipeline mode) on one of a few
  //   connections that belong to storage threads: many waiting statements share one network
  //   write, one read and one wake-up, and no thread sits blocked per statement. `done` runs
  //   on such a thread and must not block. The connections are read-only.
  // - SQLite (this default): the read is CPU-bound, so it runs now and `done` is called before
  //   ReadAsync returns.
  // Errors as for Query(); kUnavailable "storage.busy" when too many statements are waiting.
  virtual void ReadAsync(std::string_view sql, Params params, RowsCallback done);
  virtual Backend backend() const = 0;
  // The URL it was opened with, password removed (for logs).
  virtual std::string DisplayUrl() const = 0;
};

// Opens "sqlite:PATH", "sqlite::memory:" or "postgresql://user@host:port/db?options".
// SQLite runs in WAL mode with synchronous=FULL and foreign_keys=ON; PostgreSQL with
// synchronous_commit=on. Errors: kInvalidArgument (bad URL), kUnavailable (cannot connect).
// Options: "sqlite:PATH?synchronous=normal|off" trades durability for speed (throw-away
// databases only); PostgreSQL takes pool_size=N (default 8) and statement_timeout=30s
// besides libpq's own parameters. Missing parent directories of PATH are created.
Result<std::unique_ptr<Database>> Open(std::string_view url);

// LIKE patterns built from user text, in which '%', '_' and '\' match only themselves: use
// them as `column LIKE :pattern ESCAPE '\'` (the clause reads the same on both backends;
// without it PostgreSQL's default escape is '\' and SQLite has none).
std::string LikeContains(std::string_view text);  // "%text%"
std::string LikePrefix(std::string_view text);    // "text%"

// One numbered migration: migrations/NNNN_name.sql, embedded into the binary at build time.
struct Migration {
  int version;            // NNNN
  std::string_view name;  // the file name without number and extension
  std::string_view sql;   // the file's text, with {{id}} / {{blob}} placeholders (README)
};

// The files of migrations/, sorted by version.
std::span<const Migration> EmbeddedMigrations();

// Applies the migrations in migrations/ that are not applied yet, each in its own transaction,
// and records them in schema_migrations. Returns the schema version after the run.
Result<int> Migrate(Database& db);

// The same with an explicit list (sorted by version, as EmbeddedMigrations() is); tests use
// their own. Safe to run from several processes at once: each migration is applied once.
// Errors: kInvalidArgument (list unsorted, unknown placeholder), or the driver's error.
Result<int> Migrate(Database& db, std::span<const Migration> migrations);

// The highest version recorded in schema_migrations; 0 for a database never migrated.
Result<int> SchemaVersion(Database& db);

// Called after every statement with "sqlite" or "postgresql" and its duration, so the HTTP
// layer can export database timings without storage depending on it. Null (the default)
// turns timing off. The observer runs on the calling thread and must be thread-safe.
using QueryObserver = void (*)(std::string_view backend, double seconds);
void SetQueryObserver(QueryObserver observer);

// Backup and restore in a portable logical format (one JSON document per line), so that a
// SQLite backup restores into PostgreSQL and back. The format is described in backup.cpp.
struct Progress {
  std::string_view table;   // the table being copied
  std::int64_t table_rows;  // rows of that table copied so far
  std::int64_t total_rows;  // rows of all tables copied so far
};
// Called every few thousand rows and at the end of each table; may be empty.
using ProgressFn = std::function<void(const Progress&)>;

struct BackupStats {
  int schema_version = 0;
  std::int64_t tables = 0;
  std::int64_t rows = 0;
  std::int64_t bytes = 0;  // size of the file written
};

struct RestoreStats {
  int schema_version = 0;
  std::int64_t tables = 0;
  std::int64_t rows = 0;
};

// Writes every user table (all but schema_migrations) from one kReadOnly snapshot, so the
// server may keep running. Writes `path`.tmp, syncs it and renames it over `path`: a failed
// backup leaves no partial file. Errors: kUnavailable (cannot write the file), driver errors.
Result<BackupStats> Backup(Database& db, const std::string& path, const ProgressFn& progress = {});

// Loads a backup into `target` in one transaction: all or nothing. The target must already be
// migrated to the backup's schema version and hold no rows beyond those the migrations insert
// themselves (kFailedPrecondition otherwise); those are replaced by the backup's.
// Afterwards PostgreSQL identity sequences continue after the largest restored id.
// Errors: kNotFound (no file), kInvalidArgument (not a backup, or truncated),
// kFailedPrecondition (version mismatch, target not empty), driver errors.
Result<RestoreStats> Restore(const std::string& path, Database& target,
                             const ProgressFn& progress = {});

// The same for a database migrated with another list than EmbeddedMigrations() (tests).
Result<RestoreStats> Restore(const std::string& path, Database& target,
                             std::span<const Migration> migrations,
                             const ProgressFn& progress = {});

// Runs `work` in a read-write transaction and commits; retries a few times on kConflict /
// kUnavailable raised by the driver (reason "storage.*": lost races, a busy database), then
// gives up with that error. Driver errors carry reasons "storage.conflict", "storage.busy",
// "storage.unique", "storage.foreign_key", "storage.connection", "storage.error".
template <typename F>
auto WithTransaction(Database& db, F&& work, TxKind kind = TxKind::kReadWrite)
    -> decltype(work(std::declval<Transaction&>()));

}  // namespace tinhso::storage

#include "storage/database_inl.hpp"
