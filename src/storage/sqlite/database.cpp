// SQLite backend: one writer connection behind a mutex plus a small pool of reader
// connections, all in WAL mode so that readers never block the writer or each other.
#include <sqlite3.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/periodic.hpp"
#include "storage/internal.hpp"
#include "storage/sqlite/sqlite.hpp"

namespace tinhso::storage::sqlite {

namespace {

using internal::StorageError;

// How long a writer waits for the write lock (our mutex, then SQLite's busy handler for other
// processes) before reporting storage.busy.
constexpr std::chrono::milliseconds kBusyTimeout{5000};
// Readers are cheap but each holds a WAL snapshot open; a few cover a 2-core server.
constexpr int kMaxReaders = 4;
// Statements are cached by SQL text; a module building SQL dynamically must not grow the cache
// without bound, so it is emptied when full.
constexpr std::size_t kMaxCachedStatements = 256;
constexpr std::string_view kBackendName = "sqlite";
// How long a reader may keep one snapshot for kSingleRead transactions when nothing was
// committed through this Database (a write from another process shows within this time).
constexpr std::chrono::milliseconds kKeepSnapshot{100};

// Keeps logs short: the SQL is there to find the statement, not to be read in full.
std::string Abbreviate(std::string_view sql) {
  constexpr std::size_t kMax = 200;
  while (!sql.empty() && (sql.front() == '\n' || sql.front() == ' ')) {
    sql.remove_prefix(1);
  }
  std::string out(sql.substr(0, kMax));
  if (sql.size() > kMax) {
    out += "…";
  }
  return out;
}

Error ErrorFrom(sqlite3* db, int code, std::string_view sql) {
  int extended = db != nullptr ? sqlite3_extended_errcode(db) : code;
  // sqlite3_step returns the extended code itself; errcode may lag behind for some paths.
  if ((extended & 0xff) != (code & 0xff)) {
    extended = code;
  }
  std::string message = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(code);
  if (!sql.empty()) {
    message += " in: " + Abbreviate(sql);
  }
  return FromSqlite(extended, message);
}

Error UsageError(std::string detail) {
  // A mistake in the calling code (a parameter missing, two statements in one call): the
  // generic internal message is right for the user, the detail tells the developer.
  return StorageError(ErrorCode::kInternal, "storage.error", std::move(detail));
}

struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

// One sqlite3 handle and its prepared statements. Used by one transaction at a time.
class Connection {
 public:
  explicit Connection(sqlite3* db) : db_(db) {}
  ~Connection() {
    for (auto& [sql, stmt] : cache_) {
      sqlite3_finalize(stmt);
    }
    sqlite3_close_v2(db_);
  }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  static Result<std::unique_ptr<Connection>> Open(const std::string& path, bool reader) {
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
    if (!reader) {
      flags |= SQLITE_OPEN_CREATE;
    }
    sqlite3* raw = nullptr;
    int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
    auto conn = std::make_unique<Connection>(raw);  // closes `raw` even when open failed
    if (rc != SQLITE_OK) {
      Error e = ErrorFrom(raw, rc, {});
      e.code = ErrorCode::kUnavailable;
      e.detail = "cannot open " + path + ": " + e.detail;
      return e;
    }
    sqlite3_extended_result_codes(raw, 1);
    sqlite3_busy_timeout(raw, static_cast<int>(kBusyTimeout.count()));
    // Every connection enforces foreign keys: SQLite leaves them off by default, PostgreSQL
    // always checks them, and the modules must see the same behaviour on both.
    TINHSO_RETURN_IF_ERROR(conn->Exec("PRAGMA foreign_keys = ON"));
    // Pages are read through a memory map instead of a pread() and a copy each: with a
    // province's year of dossiers the file outgrows SQLite's page cache, and on a lookup the
    // system calls cost more than the B-tree search (perf: a third of the request).
    TINHSO_RETURN_IF_ERROR(conn->Exec("PRAGMA mmap_size = 1073741824"));
    if (reader) {
      TINHSO_RETURN_IF_ERROR(conn->Exec("PRAGMA query_only = ON"));
    }
    return conn;
  }

  sqlite3* db() const { return db_; }

  // A reader's read transaction kept open between kSingleRead transactions (see Begin()).
  bool kept_open = false;
  std::uint64_t kept_generation = 0;
  std::chrono::steady_clock::time_point kept_since{};

  Result<void> Exec(const char* sql) {
    char* message = nullptr;
    int rc = sqlite3_exec(db_, sql, nullptr, nullptr, &message);
    if (rc != SQLITE_OK) {
      std::string text = message != nullptr ? message : sqlite3_errstr(rc);
      sqlite3_free(message);
      int extended = sqlite3_extended_errcode(db_);
      return FromSqlite((extended & 0xff) == (rc & 0xff) ? extended : rc,
                        text + " in: " + Abbreviate(sql));
    }
    return Ok();
  }

  // Runs one statement without parameters or results through the statement cache. Transaction
  // control runs several times per request; through sqlite3_exec it was parsed every time,
  // which showed in profiles of the authenticated-read benchmark.
  Result<void> Run(const char* sql) {
    TINHSO_ASSIGN_OR_RETURN(sqlite3_stmt * stmt, Prepare(sql));
    int rc = SQLITE_ROW;
    while (rc == SQLITE_ROW) rc = sqlite3_step(stmt);
    const int extended = sqlite3_extended_errcode(db_);
    const std::string text = rc == SQLITE_DONE ? "" : sqlite3_errmsg(db_);
    sqlite3_reset(stmt);
    if (rc != SQLITE_DONE) {
      return FromSqlite((extended & 0xff) == (rc & 0xff) ? extended : rc,
                        text + " in: " + Abbreviate(sql));
    }
    return Ok();
  }

  // Returns a cached statement, reset and unbound, ready for binding.
  Result<sqlite3_stmt*> Prepare(std::string_view sql) {
    if (auto it = cache_.find(sql); it != cache_.end()) {
      return it->second;
    }
    if (cache_.size() >= kMaxCachedStatements) {
      for (auto& [text, stmt] : cache_) {
        sqlite3_finalize(stmt);
      }
      cache_.clear();
    }
    sqlite3_stmt* stmt = nullptr;
    const char* tail = nullptr;
    int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                SQLITE_PREPARE_PERSISTENT, &stmt, &tail);
    if (rc != SQLITE_OK) {
      return ErrorFrom(db_, rc, sql);
    }
    if (stmt == nullptr) {
      return UsageError("empty statement: " + Abbreviate(sql));
    }
    // A second statement after ';' would be silently ignored by SQLite but run by
    // PostgreSQL: refuse it on both (ExecuteScript is for several statements).
    for (const char* p = tail; p < sql.data() + sql.size(); ++p) {
      if (*p != ' ' && *p != '\n' && *p != '\t' && *p != '\r' && *p != ';') {
        sqlite3_finalize(stmt);
        return UsageError("more than one statement in Query/Execute: " + Abbreviate(sql));
      }
    }
    cache_.emplace(std::string(sql), stmt);
    return stmt;
  }

 private:
  sqlite3* db_;
  std::unordered_map<std::string, sqlite3_stmt*, StringHash, std::equal_to<>> cache_;
};

// Resets a statement when a call is done with it, whatever path it leaves by, so that the
// cached statement holds no read lock and no bound values.
class StatementGuard {
 public:
  explicit StatementGuard(sqlite3_stmt* stmt) : stmt_(stmt) {}
  ~StatementGuard() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
  StatementGuard(const StatementGuard&) = delete;
  StatementGuard& operator=(const StatementGuard&) = delete;

 private:
  sqlite3_stmt* stmt_;
};

Result<void> Bind(sqlite3_stmt* stmt, const Params& params, std::string_view sql) {
  const int count = sqlite3_bind_parameter_count(stmt);
  std::vector<bool> bound(static_cast<std::size_t>(count) + 1, false);
  std::string key;
  int position = 0;
  for (const Param& p : params) {
    key.assign(p.name.starts_with(':') ? "" : ":");
    key.append(p.name);
    // Parameters given in the order the SQL names them (the usual case) bind without a search:
    // sqlite3_bind_parameter_index is linear, which made a multi-row INSERT quadratic.
    ++position;
    const char* at_position =
        position <= count ? sqlite3_bind_parameter_name(stmt, position) : nullptr;
    const int index = at_position != nullptr && key == at_position
                          ? position
                          : sqlite3_bind_parameter_index(stmt, key.c_str());
    if (index == 0) {
      return UsageError("parameter " + key + " is not in: " + Abbreviate(sql));
    }
    // SQLITE_STATIC: the values outlive the statement's use, which ends inside this call.
    int rc = std::visit(
        [&](const auto& v) -> int {
          using T = std::decay_t<decltype(v)>;
          if constexpr (std::is_same_v<T, std::nullptr_t>) {
            return sqlite3_bind_null(stmt, index);
          } else if constexpr (std::is_same_v<T, std::int64_t>) {
            return sqlite3_bind_int64(stmt, index, v);
          } else if constexpr (std::is_same_v<T, double>) {
            return sqlite3_bind_double(stmt, index, v);
          } else if constexpr (std::is_same_v<T, std::string>) {
            return sqlite3_bind_text64(stmt, index, v.data(), v.size(), SQLITE_STATIC, SQLITE_UTF8);
          } else {
            return sqlite3_bind_blob64(stmt, index, v.data.data(), v.data.size(), SQLITE_STATIC);
          }
        },
        p.value);
    if (rc != SQLITE_OK) {
      return ErrorFrom(sqlite3_db_handle(stmt), rc, sql);
    }
    bound[static_cast<std::size_t>(index)] = true;
  }
  // SQLite would bind a forgotten parameter as NULL without a word; PostgreSQL would refuse.
  for (int i = 1; i <= count; ++i) {
    if (!bound[static_cast<std::size_t>(i)]) {
      const char* name = sqlite3_bind_parameter_name(stmt, i);
      return UsageError(std::string("no value for parameter ") + (name ? name : "?") +
                        " in: " + Abbreviate(sql));
    }
  }
  return Ok();
}

Value ColumnValue(sqlite3_stmt* stmt, int i) {
  switch (sqlite3_column_type(stmt, i)) {
    case SQLITE_INTEGER:
      return static_cast<std::int64_t>(sqlite3_column_int64(stmt, i));
    case SQLITE_FLOAT:
      return sqlite3_column_double(stmt, i);
    case SQLITE_TEXT: {
      const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, i));
      return std::string(text, static_cast<std::size_t>(sqlite3_column_bytes(stmt, i)));
    }
    case SQLITE_BLOB: {
      const auto* data = static_cast<const char*>(sqlite3_column_blob(stmt, i));
      const auto size = static_cast<std::size_t>(sqlite3_column_bytes(stmt, i));
      // A zero-length blob comes back as a null pointer.
      return Bytes{data != nullptr ? std::string(data, size) : std::string()};
    }
    default:
      return nullptr;
  }
}

class SqliteDatabase;

class SqliteTransaction final : public Transaction {
 public:
  // `owned_reader` is set for transactions on a pooled reader; otherwise `conn` is the writer.
  // `autocommit`: no BEGIN was sent (TxKind::kSingleRead on a reader): the one statement is
  // its own read transaction, and Commit() has nothing to end.
  SqliteTransaction(SqliteDatabase& db, Connection* conn, std::unique_ptr<Connection> owned_reader,
                    bool read_only_on_writer, bool autocommit = false, bool keep_open = false)
      : db_(db),
        conn_(conn),
        owned_reader_(std::move(owned_reader)),
        read_only_on_writer_(read_only_on_writer),
        autocommit_(autocommit),
        keep_open_(keep_open) {}
  ~SqliteTransaction() override;

  Result<Rows> Query(std::string_view sql, const Params& params) override {
    Rows rows;
    TINHSO_RETURN_IF_ERROR(Run(sql, params, &rows, nullptr));
    return rows;
  }

  Result<std::int64_t> Execute(std::string_view sql, const Params& params) override {
    std::int64_t changed = 0;
    TINHSO_RETURN_IF_ERROR(Run(sql, params, nullptr, &changed));
    return changed;
  }

  Result<void> ExecuteScript(std::string_view sql) override {
    TINHSO_RETURN_IF_ERROR(CheckUsable());
    internal::QueryTimer timer(kBackendName);
    // sqlite3_exec needs a terminated string.
    const std::string text(sql);
    auto done = conn_->Exec(text.c_str());
    if (!done.ok()) {
      failure_ = done.error();
    }
    return done;
  }

  Result<void> Commit() override {
    TINHSO_RETURN_IF_ERROR(CheckFinished());
    if (failure_) {
      return *failure_;
    }
    if (autocommit_) {
      finished_ = true;
      return Ok();
    }
    internal::QueryTimer timer(kBackendName);
    auto done = conn_->Run("COMMIT");
    if (!done.ok()) {
      failure_ = done.error();
      return done;
    }
    finished_ = true;
    if (!owned_reader_ && !read_only_on_writer_) NoteCommit();
    return Ok();
  }

 private:
  Result<void> CheckFinished() const {
    if (finished_) {
      return UsageError("transaction used after Commit()");
    }
    return Ok();
  }

  Result<void> CheckUsable() const {
    TINHSO_RETURN_IF_ERROR(CheckFinished());
    if (failure_) {
      // Same rule as PostgreSQL: after a failed statement the transaction is dead, so that
      // module code cannot come to rely on SQLite's more lenient behaviour.
      return StorageError(ErrorCode::kInternal, "storage.aborted",
                          "transaction aborted by an earlier error: " + failure_->detail);
    }
    return Ok();
  }

  void NoteCommit();

  Result<void> Run(std::string_view sql, const Params& params, Rows* rows, std::int64_t* changed) {
    TINHSO_RETURN_IF_ERROR(CheckUsable());
    internal::QueryTimer timer(kBackendName);
    auto done = RunStatement(sql, params, rows, changed);
    if (!done.ok()) {
      failure_ = done.error();
    }
    return done;
  }

  Result<void> RunStatement(std::string_view sql, const Params& params, Rows* rows,
                            std::int64_t* changed) {
    TINHSO_ASSIGN_OR_RETURN(sqlite3_stmt * stmt, conn_->Prepare(sql));
    StatementGuard guard(stmt);
    TINHSO_RETURN_IF_ERROR(Bind(stmt, params, sql));
    sqlite3* db = conn_->db();
    const sqlite3_int64 total_before = sqlite3_total_changes64(db);
    const int columns = sqlite3_column_count(stmt);
    if (rows != nullptr) {
      rows->columns.reserve(static_cast<std::size_t>(columns));
      for (int i = 0; i < columns; ++i) {
        rows->columns.emplace_back(sqlite3_column_name(stmt, i));
      }
    }
    for (;;) {
      int rc = sqlite3_step(stmt);
      if (rc == SQLITE_DONE) {
        break;
      }
      if (rc != SQLITE_ROW) {
        return ErrorFrom(db, rc, sql);
      }
      if (rows != nullptr) {
        std::vector<Value> values;
        values.reserve(static_cast<std::size_t>(columns));
        for (int i = 0; i < columns; ++i) {
          values.push_back(ColumnValue(stmt, i));
        }
        rows->rows.emplace_back(std::move(values));
      }
    }
    if (changed != nullptr) {
      // sqlite3_changes64 keeps the count of the last INSERT/UPDATE/DELETE, so a DDL statement
      // would report a stale number: trust it only if this statement changed something.
      *changed = sqlite3_total_changes64(db) != total_before ? sqlite3_changes64(db) : 0;
    }
    return Ok();
  }

  SqliteDatabase& db_;
  Connection* conn_;
  std::unique_ptr<Connection> owned_reader_;
  bool read_only_on_writer_;
  const bool autocommit_;
  const bool keep_open_;
  bool finished_ = false;
  std::optional<Error> failure_;
};

class SqliteDatabase final : public Database {
 public:
  SqliteDatabase(std::string path, std::string display_url, std::unique_ptr<Connection> writer)
      : path_(std::move(path)),
        display_url_(std::move(display_url)),
        memory_(path_ == ":memory:"),
        writer_(std::move(writer)) {}

  ~SqliteDatabase() override {
    sweeper_.reset();  // it walks the idle readers
    // Readers first: the last connection to close checkpoints the WAL into the main file.
    idle_readers_.clear();
    writer_.reset();
  }

  Result<std::unique_ptr<Transaction>> Begin(TxKind kind) override {
    internal::QueryTimer timer(kBackendName);
    if (kind == TxKind::kReadWrite) {
      TINHSO_RETURN_IF_ERROR(AcquireWriter());
      auto begun = writer_->Run("BEGIN IMMEDIATE");
      if (!begun.ok()) {
        ReleaseWriter();
        return std::move(begun).error();
      }
      return std::unique_ptr<Transaction>(
          std::make_unique<SqliteTransaction>(*this, writer_.get(), nullptr, false));
    }
    if (memory_) {
      // One connection holds the whole in-memory database, so reads share the writer;
      // query_only keeps the promise that a kReadOnly transaction cannot write.
      TINHSO_RETURN_IF_ERROR(AcquireWriter());
      auto begun = BeginRead(*writer_, /*toggle_query_only=*/true);
      if (!begun.ok()) {
        ReleaseWriter();
        return std::move(begun).error();
      }
      return std::unique_ptr<Transaction>(
          std::make_unique<SqliteTransaction>(*this, writer_.get(), nullptr, true));
    }
    TINHSO_ASSIGN_OR_RETURN(std::unique_ptr<Connection> reader, AcquireReader());
    if (kind == TxKind::kSingleRead) {
      // A hot read takes the snapshot this reader kept from its last one, when nothing was
      // committed through this Database since and it is fresh enough: no BEGIN, no COMMIT and
      // none of their file locks (perf: a tenth of a lookup's CPU).
      std::call_once(sweeper_started_, [this] {
        sweeper_ = std::make_unique<core::Periodic>(kKeepSnapshot, kKeepSnapshot,
                                                    [this] { EndKeptSnapshots(/*all=*/false); });
      });
      const std::uint64_t generation = commits_.load(std::memory_order_acquire);
      const auto now = std::chrono::steady_clock::now();
      if (reader->kept_open &&
          (reader->kept_generation != generation || now - reader->kept_since > kKeepSnapshot)) {
        reader->kept_open = false;
        (void)reader->Run("COMMIT");
      }
      if (!reader->kept_open) {
        auto begun = reader->Run("BEGIN");
        if (!begun.ok()) {
          ReleaseReader(std::move(reader));
          return std::move(begun).error();
        }
        reader->kept_open = true;
        reader->kept_generation = generation;
        reader->kept_since = now;
      }
      Connection* raw = reader.get();
      return std::unique_ptr<Transaction>(std::make_unique<SqliteTransaction>(
          *this, raw, std::move(reader), false, /*autocommit=*/true, /*keep_open=*/true));
    }
    if (reader->kept_open) {
      reader->kept_open = false;
      (void)reader->Run("COMMIT");
    }
    auto begun = BeginRead(*reader, /*toggle_query_only=*/false);
    if (!begun.ok()) {
      ReleaseReader(std::move(reader));
      return std::move(begun).error();
    }
    Connection* raw = reader.get();
    return std::unique_ptr<Transaction>(
        std::make_unique<SqliteTransaction>(*this, raw, std::move(reader), false));
  }

  // After each write: the kept snapshots are now stale, and an idle reader holding one would
  // keep the WAL from being checkpointed and restarted, so idle ones end theirs now.
  void NoteCommit() {
    commits_.fetch_add(1, std::memory_order_release);
    EndKeptSnapshots(/*all=*/true);
  }

  // Ends the kept read transactions of idle readers: all, or those older than kKeepSnapshot
  // (the sweeper's round, for writes from other processes and quiet times).
  void EndKeptSnapshots(bool all) {
    const auto now = std::chrono::steady_clock::now();
    std::lock_guard lock(mu_);
    for (auto& reader : idle_readers_) {
      if (reader->kept_open && (all || now - reader->kept_since > kKeepSnapshot)) {
        reader->kept_open = false;
        (void)reader->Run("COMMIT");
      }
    }
  }

  Backend backend() const override { return Backend::kSqlite; }
  std::string DisplayUrl() const override { return display_url_; }

  void ReleaseWriter() {
    {
      std::lock_guard lock(mu_);
      writer_busy_ = false;
    }
    cv_.notify_all();
  }

  void ReleaseReader(std::unique_ptr<Connection> reader) {
    {
      std::lock_guard lock(mu_);
      idle_readers_.push_back(std::move(reader));
    }
    cv_.notify_all();
  }

 private:
  static Result<void> BeginRead(Connection& conn, bool toggle_query_only) {
    if (toggle_query_only) {
      TINHSO_RETURN_IF_ERROR(conn.Exec("PRAGMA query_only = ON"));
    }
    auto begun = conn.Run("BEGIN");
    if (begun.ok()) {
      // BEGIN is deferred: the WAL snapshot would only be taken at the first read. Read now,
      // so that the snapshot is the database as it was when Begin() returned.
      begun = conn.Run("SELECT 1 FROM sqlite_schema LIMIT 1");
      if (!begun.ok()) {
        (void)conn.Run("ROLLBACK");
      }
    }
    if (!begun.ok() && toggle_query_only) {
      (void)conn.Exec("PRAGMA query_only = OFF");
    }
    return begun;
  }

  Result<void> AcquireWriter() {
    std::unique_lock lock(mu_);
    if (!cv_.wait_for(lock, kBusyTimeout, [&] { return !writer_busy_; })) {
      return StorageError(
          ErrorCode::kUnavailable, "storage.busy",
          "sqlite writer still in use after " + std::to_string(kBusyTimeout.count()) + " ms");
    }
    writer_busy_ = true;
    return Ok();
  }

  Result<std::unique_ptr<Connection>> AcquireReader() {
    {
      std::unique_lock lock(mu_);
      if (!cv_.wait_for(lock, kBusyTimeout,
                        [&] { return !idle_readers_.empty() || open_readers_ < kMaxReaders; })) {
        return StorageError(ErrorCode::kUnavailable, "storage.busy",
                            "all sqlite readers still in use after " +
                                std::to_string(kBusyTimeout.count()) + " ms");
      }
      if (!idle_readers_.empty()) {
        auto reader = std::move(idle_readers_.back());
        idle_readers_.pop_back();
        return reader;
      }
      ++open_readers_;
    }
    // Opening takes a little while: do it outside the lock.
    auto opened = Connection::Open(path_, /*reader=*/true);
    if (!opened.ok()) {
      {
        std::lock_guard lock(mu_);
        --open_readers_;
      }
      cv_.notify_all();
    }
    return opened;
  }

  const std::string path_;
  const std::string display_url_;
  const bool memory_;
  std::unique_ptr<Connection> writer_;

  std::atomic<std::uint64_t> commits_{0};  // writes committed through this Database

  std::mutex mu_;
  std::condition_variable cv_;
  bool writer_busy_ = false;                               // guarded by mu_
  std::vector<std::unique_ptr<Connection>> idle_readers_;  // guarded by mu_
  int open_readers_ = 0;                                   // guarded by mu_; idle or in use

  // Started with the first kept snapshot; declared last so that it stops first.
  std::once_flag sweeper_started_;
  std::unique_ptr<core::Periodic> sweeper_;
};

void SqliteTransaction::NoteCommit() { db_.NoteCommit(); }

SqliteTransaction::~SqliteTransaction() {
  if (keep_open_ && !failure_) {
    db_.ReleaseReader(std::move(owned_reader_));
    return;
  }
  if (owned_reader_) owned_reader_->kept_open = false;
  if (!finished_ && !sqlite3_get_autocommit(conn_->db())) {
    // Errors here are ignored on purpose: a failed rollback leaves nothing to undo.
    (void)conn_->Run("ROLLBACK");
  }
  if (owned_reader_) {
    db_.ReleaseReader(std::move(owned_reader_));
    return;
  }
  if (read_only_on_writer_) {
    (void)conn_->Exec("PRAGMA query_only = OFF");
  }
  db_.ReleaseWriter();
}

}  // namespace

Result<std::unique_ptr<Database>> Open(const std::string& path, Durability durability) {
  if (path != ":memory:") {
    std::error_code ec;
    const auto parent = std::filesystem::path(path).parent_path();
    if (!parent.empty()) {
      std::filesystem::create_directories(parent, ec);
      if (ec) {
        return StorageError(ErrorCode::kUnavailable, "storage.connection",
                            "cannot create directory " + parent.string() + ": " + ec.message());
      }
    }
  }
  TINHSO_ASSIGN_OR_RETURN(auto writer, Connection::Open(path, /*reader=*/false));
  if (path != ":memory:") {
    // WAL: readers keep their snapshot while the writer commits. FULL: a commit the caller
    // was told about survives a power cut (registry records are legal evidence).
    TINHSO_RETURN_IF_ERROR(writer->Exec("PRAGMA journal_mode = WAL"));
    TINHSO_RETURN_IF_ERROR(
        writer->Exec(durability == Durability::kFull     ? "PRAGMA synchronous = FULL"
                     : durability == Durability::kNormal ? "PRAGMA synchronous = NORMAL"
                                                         : "PRAGMA synchronous = OFF"));
    sqlite3_stmt* stmt = nullptr;
    std::string mode;
    if (sqlite3_prepare_v2(writer->db(), "PRAGMA journal_mode", -1, &stmt, nullptr) == SQLITE_OK &&
        sqlite3_step(stmt) == SQLITE_ROW) {
      mode = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
    }
    sqlite3_finalize(stmt);
    if (mode != "wal") {
      return StorageError(ErrorCode::kUnavailable, "storage.connection",
                          "cannot switch " + path + " to WAL mode (journal_mode is '" + mode +
                              "'); is the file system a network share?");
    }
  }
  std::string display = "sqlite:" + path;
  if (durability == Durability::kNormal) {
    display += "?synchronous=normal";
  } else if (durability == Durability::kOff) {
    display += "?synchronous=off";
  }
  return std::unique_ptr<Database>(
      std::make_unique<SqliteDatabase>(path, std::move(display), std::move(writer)));
}

}  // namespace tinhso::storage::sqlite
