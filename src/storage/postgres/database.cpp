// PostgreSQL backend: a pool of libpq connections, each with its own named prepared
// statements; ":name" parameters are rewritten to "$n" once per distinct SQL text.
#include <libpq-fe.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "storage/internal.hpp"
#include "storage/postgres/postgres.hpp"

namespace tinhso::storage::postgres {

namespace {

using internal::StorageError;

constexpr int kDefaultPoolSize = 8;
constexpr int kMaxPoolSize = 200;
constexpr std::string_view kDefaultStatementTimeout = "30s";
// How long Begin() waits for a pooled connection before reporting storage.busy.
constexpr std::chrono::seconds kPoolTimeout{10};
// Bounds for the statement caches (see Prepare()).
constexpr std::size_t kMaxSqlCache = 4096;
constexpr std::size_t kMaxPreparedPerConnection = 512;
constexpr std::string_view kBackendName = "postgresql";
// Database::ReadAsync: connections in pipeline mode, each with its own thread. One lane answers
// about 40,000 lookups a second on 2 cores using a third of one; a second lane there made
// smaller batches and more wake-ups (35,000 a second at 30 µs of server CPU each, against
// 40,000 at 25.5 µs with one). So one lane per 4 cores.
constexpr unsigned kCoresPerPipelineLane = 4;
// Statements waiting in one lane (queued or sent) beyond which ReadAsync refuses new ones.
constexpr int kMaxWaitingPerLane = 10000;
// After a failed connection attempt a lane fails statements at once for this long instead of
// trying again for each one.
constexpr std::chrono::seconds kReconnectPause{1};
// How long statements arriving while a lane's batch is out wait for its answer before they are
// sent anyway (a slow statement must not hold up the others for long).
constexpr std::chrono::milliseconds kHoldWhileBusy{1};

// Type OIDs from the server's pg_type.h (stable since PostgreSQL 7); libpq does not export them.
constexpr Oid kBoolOid = 16;
constexpr Oid kByteaOid = 17;
constexpr Oid kInt8Oid = 20;
constexpr Oid kInt2Oid = 21;
constexpr Oid kInt4Oid = 23;
constexpr Oid kFloat4Oid = 700;
constexpr Oid kFloat8Oid = 701;
constexpr Oid kNumericOid = 1700;

struct ResultDeleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
using ResultPtr = std::unique_ptr<PGresult, ResultDeleter>;

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

Error UsageError(std::string detail) {
  return StorageError(ErrorCode::kInternal, "storage.error", std::move(detail));
}

struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

// A rewritten statement and the name under which every connection prepares it.
struct Statement {
  int id;
  std::string name;  // "tinhso_<id>"
  RewrittenSql rewritten;
};

class Connection {
 public:
  explicit Connection(PGconn* conn) : conn_(conn) {}
  ~Connection() { PQfinish(conn_); }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  PGconn* get() const { return conn_; }
  bool broken() const { return PQstatus(conn_) != CONNECTION_OK; }
  // Reusable by the next transaction: connected and outside any transaction.
  bool reusable() const { return !broken() && PQtransactionStatus(conn_) == PQTRANS_IDLE; }

  Error ErrorFrom(const PGresult* res, std::string_view sql) const {
    const char* state = res != nullptr ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
    std::string message = res != nullptr ? PQresultErrorMessage(res) : "";
    if (message.empty()) {
      message = PQerrorMessage(conn_);
    }
    if (!sql.empty()) {
      message += " in: " + Abbreviate(sql);
    }
    return FromPostgres(state != nullptr ? state : "", message, broken());
  }

  // Runs `sql` (one or several statements, no parameters); returns the last result.
  Result<ResultPtr> Exec(const char* sql) {
    ResultPtr res(PQexec(conn_, sql));
    const ExecStatusType status = res ? PQresultStatus(res.get()) : PGRES_FATAL_ERROR;
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
      return ErrorFrom(res.get(), sql);
    }
    return res;
  }

  // Prepares `statement` on this connection the first time it is used here.
  Result<void> Prepare(const Statement& statement, std::string_view original_sql) {
    if (prepared_.contains(statement.id)) {
      return Ok();
    }
    if (prepared_.size() >= kMaxPreparedPerConnection) {
      // Dynamically built SQL must not grow server memory without bound.
      TINHSO_RETURN_IF_ERROR(Exec("DEALLOCATE ALL"));
      prepared_.clear();
    }
    ResultPtr res(PQprepare(conn_, statement.name.c_str(), statement.rewritten.sql.c_str(),
                            static_cast<int>(statement.rewritten.names.size()), nullptr));
    if (!res || PQresultStatus(res.get()) != PGRES_COMMAND_OK) {
      return ErrorFrom(res.get(), original_sql);
    }
    prepared_.insert(statement.id);
    return Ok();
  }

 private:
  PGconn* conn_;
  std::unordered_set<int> prepared_;
};

Value ParseValue(Oid type, const char* text, int length) {
  const char* end = text + length;
  switch (type) {
    case kInt2Oid:
    case kInt4Oid:
    case kInt8Oid: {
      std::int64_t n = 0;
      std::from_chars(text, end, n);
      return n;
    }
    case kFloat4Oid:
    case kFloat8Oid:
    case kNumericOid: {
      double d = 0;
      // from_chars reads "NaN" but not PostgreSQL's "Infinity" spelling: strtod reads both.
      if (std::from_chars(text, end, d).ec != std::errc()) {
        d = std::strtod(text, nullptr);
      }
      return d;
    }
    case kBoolOid:
      return static_cast<std::int64_t>(length > 0 && text[0] == 't' ? 1 : 0);
    case kByteaOid: {
      if (length >= 2 && text[0] == '\\' && text[1] == 'x') {  // bytea_output = hex
        Bytes bytes;
        bytes.data.reserve(static_cast<std::size_t>(length - 2) / 2);
        auto nibble = [](char c) { return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10; };
        for (const char* p = text + 2; p + 1 < end; p += 2) {
          bytes.data.push_back(static_cast<char>((nibble(p[0]) << 4) | nibble(p[1])));
        }
        return bytes;
      }
      std::size_t size = 0;  // the older "escape" output, if a server forces it
      unsigned char* raw = PQunescapeBytea(reinterpret_cast<const unsigned char*>(text), &size);
      Bytes bytes{std::string(reinterpret_cast<const char*>(raw), size)};
      PQfreemem(raw);
      return bytes;
    }
    default:
      return std::string(text, static_cast<std::size_t>(length));
  }
}

// Parameters in libpq's form, in "$n" order. `values` point into `texts` or into the Params
// they were bound from, which must outlive them.
struct BoundParams {
  std::vector<std::string> texts;
  std::vector<const char*> values;
  std::vector<int> lengths;
  std::vector<int> formats;
  int count() const { return static_cast<int>(values.size()); }
};

// Binds `params` to the statement's "$n" by name. Text format for everything but bytes:
// PostgreSQL parses the text into the column's type, so the modules never name types. Bytes
// go as binary and need no escaping.
Result<void> BindParams(const Statement& statement, const Params& params, std::string_view sql,
                        BoundParams* out) {
  const std::vector<std::string>& names = statement.rewritten.names;
  const std::size_t n = names.size();
  out->texts.assign(n, std::string());
  out->values.assign(n, nullptr);
  out->lengths.assign(n, 0);
  out->formats.assign(n, 0);
  std::vector<bool> bound(n, false);
  std::size_t position = 0;
  for (const Param& p : params) {
    std::string_view name = p.name;
    if (name.starts_with(':')) {
      name.remove_prefix(1);
    }
    // Parameters given in the order the SQL names them (the usual case) need no search; the
    // linear search made a multi-row INSERT quadratic.
    std::size_t i = position < n && names[position] == name ? position : 0;
    ++position;
    while (i < n && names[i] != name) {
      ++i;
    }
    if (i == n) {
      return UsageError("parameter :" + std::string(name) + " is not in: " + Abbreviate(sql));
    }
    bound[i] = true;
    std::string& text = out->texts[i];
    if (const auto* v = std::get_if<std::int64_t>(&p.value)) {
      text = std::to_string(*v);
    } else if (const auto* d = std::get_if<double>(&p.value)) {
      if (std::isnan(*d)) {
        text = "NaN";
      } else if (std::isinf(*d)) {
        text = *d > 0 ? "Infinity" : "-Infinity";
      } else {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%.17g", *d);
        text = buf;
      }
    } else if (const auto* s = std::get_if<std::string>(&p.value)) {
      if (s->find('\0') != std::string::npos) {
        // PostgreSQL text cannot hold NUL; sending it would silently cut the value.
        return StorageError(
            ErrorCode::kInvalidArgument, "storage.constraint",
            "text parameter :" + std::string(name) + " contains a NUL byte; bind it as Bytes");
      }
      out->values[i] = s->c_str();
      continue;
    } else if (const auto* b = std::get_if<Bytes>(&p.value)) {
      out->values[i] = b->data.data();
      out->lengths[i] = static_cast<int>(b->data.size());
      out->formats[i] = 1;
      continue;
    } else {
      continue;  // NULL
    }
    out->values[i] = text.c_str();
  }
  for (std::size_t i = 0; i < n; ++i) {
    if (!bound[i]) {
      return UsageError("no value for parameter :" + names[i] + " in: " + Abbreviate(sql));
    }
  }
  return Ok();
}

// The rows of a PGRES_TUPLES_OK result.
void DecodeRows(const PGresult* res, Rows* rows) {
  const int columns = PQnfields(res);
  const int tuples = PQntuples(res);
  rows->columns.reserve(static_cast<std::size_t>(columns));
  std::vector<Oid> types(static_cast<std::size_t>(columns));
  for (int c = 0; c < columns; ++c) {
    rows->columns.emplace_back(PQfname(res, c));
    types[static_cast<std::size_t>(c)] = PQftype(res, c);
  }
  rows->rows.reserve(static_cast<std::size_t>(tuples));
  for (int r = 0; r < tuples; ++r) {
    std::vector<Value> values;
    values.reserve(static_cast<std::size_t>(columns));
    for (int c = 0; c < columns; ++c) {
      if (PQgetisnull(res, r, c)) {
        values.emplace_back(nullptr);
      } else {
        values.push_back(ParseValue(types[static_cast<std::size_t>(c)], PQgetvalue(res, r, c),
                                    PQgetlength(res, r, c)));
      }
    }
    rows->rows.emplace_back(std::move(values));
  }
}

class PgDatabase;

class PgTransaction final : public Transaction {
 public:
  // `autocommit`: no transaction was begun (TxKind::kSingleRead); each statement commits itself.
  PgTransaction(PgDatabase& db, std::unique_ptr<Connection> conn, bool autocommit = false)
      : db_(db), conn_(std::move(conn)), autocommit_(autocommit) {}
  ~PgTransaction() override;

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
    const std::string text(sql);
    auto done = conn_->Exec(text.c_str());
    if (!done.ok()) {
      failure_ = done.error();
      return std::move(done).error();
    }
    return Ok();
  }

  Result<void> Commit() override {
    if (finished_) {
      return UsageError("transaction used after Commit()");
    }
    if (failure_) {
      return *failure_;
    }
    if (autocommit_) {
      finished_ = true;
      return Ok();
    }
    internal::QueryTimer timer(kBackendName);
    auto done = conn_->Exec("COMMIT");
    finished_ = true;  // whatever happened, the server has ended the transaction
    if (!done.ok()) {
      return std::move(done).error();
    }
    // COMMIT of a transaction the server already aborted answers "ROLLBACK", not an error.
    if (std::string_view(PQcmdStatus(done->get())) != "COMMIT") {
      return StorageError(ErrorCode::kInternal, "storage.aborted",
                          "COMMIT answered " + std::string(PQcmdStatus(done->get())));
    }
    return Ok();
  }

 private:
  Result<void> CheckUsable() const {
    if (finished_) {
      return UsageError("transaction used after Commit()");
    }
    if (failure_) {
      return StorageError(ErrorCode::kInternal, "storage.aborted",
                          "transaction aborted by an earlier error: " + failure_->detail);
    }
    return Ok();
  }

  Result<void> Run(std::string_view sql, const Params& params, Rows* rows, std::int64_t* changed);

  PgDatabase& db_;
  std::unique_ptr<Connection> conn_;
  const bool autocommit_;
  bool finished_ = false;
  std::optional<Error> failure_;
};

class PipelineLane;

class PgDatabase final : public Database {
 public:
  PgDatabase(std::string conninfo, std::string display_url, int pool_size,
             std::string statement_timeout)
      : conninfo_(std::move(conninfo)),
        display_url_(std::move(display_url)),
        pool_size_(pool_size),
        statement_timeout_(std::move(statement_timeout)) {}

  Result<void> Start() {
    TINHSO_ASSIGN_OR_RETURN(auto conn, Connect());
    std::lock_guard lock(mu_);
    ++open_;
    idle_.push_back(std::move(conn));
    return Ok();
  }

  Result<std::unique_ptr<Transaction>> Begin(TxKind kind) override {
    internal::QueryTimer timer(kBackendName);
    if (kind == TxKind::kSingleRead) {
      TINHSO_ASSIGN_OR_RETURN(auto conn, Acquire());
      return std::unique_ptr<Transaction>(
          std::make_unique<PgTransaction>(*this, std::move(conn), /*autocommit=*/true));
    }
    // The read-only snapshot is pinned by the SELECT: PostgreSQL takes it at the first query,
    // not at BEGIN, and callers expect the data as of Begin().
    const char* begin = kind == TxKind::kReadWrite
                            ? "BEGIN"
                            : "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; SELECT 1";
    // A pooled connection may have died while idle (server restart): nothing has happened in
    // the transaction yet, so try another one, ending with a freshly opened connection.
    std::optional<Error> last;
    for (int attempt = 0; attempt <= pool_size_; ++attempt) {
      TINHSO_ASSIGN_OR_RETURN(auto conn, Acquire());
      auto begun = conn->Exec(begin);
      if (begun.ok()) {
        return std::unique_ptr<Transaction>(
            std::make_unique<PgTransaction>(*this, std::move(conn)));
      }
      const bool broken = conn->broken();
      Release(std::move(conn));
      if (!broken) {
        return std::move(begun).error();
      }
      last = std::move(begun).error();
    }
    return *last;
  }

  void ReadAsync(std::string_view sql, Params params, RowsCallback done) override;

  Backend backend() const override { return Backend::kPostgres; }
  std::string DisplayUrl() const override { return display_url_; }

  // The shared rewrite of `sql`; the same pointer for the same text.
  std::shared_ptr<const Statement> StatementFor(std::string_view sql) {
    std::lock_guard lock(statements_mu_);
    if (auto it = statements_.find(sql); it != statements_.end()) {
      return it->second;
    }
    if (statements_.size() >= kMaxSqlCache) {
      statements_.clear();  // ids keep growing, so connections re-prepare under new names
    }
    const int id = next_statement_id_++;
    auto statement = std::make_shared<const Statement>(
        Statement{id, "tinhso_" + std::to_string(id), RewriteNamedParams(sql)});
    statements_.emplace(std::string(sql), statement);
    return statement;
  }

  void Release(std::unique_ptr<Connection> conn) {
    {
      std::lock_guard lock(mu_);
      if (conn->reusable()) {
        idle_.push_back(std::move(conn));
      } else {
        --open_;  // a broken connection is dropped; the next Acquire opens a new one
        conn.reset();
      }
    }
    cv_.notify_one();
  }

  // A connection for a pipeline: read-only, non-blocking, in pipeline mode.
  Result<std::unique_ptr<Connection>> ConnectForPipeline();

  // A new connection with our session settings (UTF-8, durable commits, statement_timeout).
  Result<std::unique_ptr<Connection>> Connect() {
    auto conn = std::make_unique<Connection>(PQconnectdb(conninfo_.c_str()));
    if (conn->get() == nullptr || PQstatus(conn->get()) != CONNECTION_OK) {
      std::string message = conn->get() != nullptr ? PQerrorMessage(conn->get()) : "out of memory";
      return StorageError(ErrorCode::kUnavailable, "storage.connection",
                          "cannot connect to " + display_url_ + ": " + message);
    }
    // NOTICEs ("relation already exists, skipping") would go to stderr by default; they are
    // expected in migrations and say nothing an operator must act on.
    PQsetNoticeProcessor(
        conn->get(), [](void*, const char*) {}, nullptr);
    if (PQsetClientEncoding(conn->get(), "UTF8") != 0) {
      return StorageError(
          ErrorCode::kUnavailable, "storage.connection",
          "cannot set client_encoding: " + std::string(PQerrorMessage(conn->get())));
    }
    // synchronous_commit: a commit the caller was told about is on disk, even if the server
    // default was relaxed. The timeout stops one runaway query from holding a connection.
    const std::string setup =
        "SET synchronous_commit = on; SET bytea_output = 'hex'; "
        "SET statement_timeout = '" +
        statement_timeout_ + "'";
    TINHSO_RETURN_IF_ERROR(conn->Exec(setup.c_str()));
    return conn;
  }

 private:
  Result<std::unique_ptr<Connection>> Acquire() {
    {
      std::unique_lock lock(mu_);
      if (!cv_.wait_for(lock, kPoolTimeout, [&] { return !idle_.empty() || open_ < pool_size_; })) {
        return StorageError(ErrorCode::kUnavailable, "storage.busy",
                            "no free connection in the pool of " + std::to_string(pool_size_) +
                                " after " + std::to_string(kPoolTimeout.count()) + " s");
      }
      if (!idle_.empty()) {
        auto conn = std::move(idle_.back());
        idle_.pop_back();
        return conn;
      }
      ++open_;
    }
    auto conn = Connect();
    if (!conn.ok()) {
      {
        std::lock_guard lock(mu_);
        --open_;
      }
      cv_.notify_one();
    }
    return conn;
  }

  const std::string conninfo_;
  const std::string display_url_;
  const int pool_size_;
  const std::string statement_timeout_;

  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<Connection>> idle_;  // guarded by mu_
  int open_ = 0;                                   // guarded by mu_; idle or in use

  std::mutex statements_mu_;
  std::unordered_map<std::string, std::shared_ptr<const Statement>, StringHash, std::equal_to<>>
      statements_;             // guarded by statements_mu_
  int next_statement_id_ = 1;  // guarded by statements_mu_

  // ReadAsync's lanes, started by the first call (CLI commands never start them). Declared
  // last: they are stopped first, while everything they use still exists.
  std::once_flag lanes_started_;
  std::vector<std::unique_ptr<PipelineLane>> lanes_;
  std::atomic<std::size_t> next_lane_{0};
};

// A statement waiting for its answer.
struct PipelineItem {
  std::shared_ptr<const Statement> statement;
  Params params;
  RowsCallback done;
  QueryObserver observer = nullptr;
  std::chrono::steady_clock::time_point start{};
  // Sent again after another statement's error kept it from running: then alone between two
  // Syncs and unprepared, so that nothing but its own error can fail it.
  bool resent = false;
};

// One connection in pipeline mode: batches of statements, each batch ended by one Sync (libpq
// 15 flushes at every Sync: one per statement meant one send and one server wake-up per
// statement), and their answers read back in order. A statement's error makes the server skip
// the rest of its batch, and a prepare that was skipped or failed leaves later batches, already
// sent, naming a statement the server does not have. Neither is the innocent statement's fault:
// it is sent again, alone in a batch of its own and unprepared, where only its own error can
// fail it. A good statement never fails for its neighbours, however many of them fail.
// Used by the thread of one PipelineLane.
class Pipeline {
 public:
  // `answered` runs after each callback (the lane counts what waits).
  explicit Pipeline(std::function<void()> answered = {}) : answered_(std::move(answered)) {}
  ~Pipeline() {
    FailAll(StorageError(ErrorCode::kUnavailable, "storage.connection", "the database is closing"));
  }
  Pipeline(const Pipeline&) = delete;
  Pipeline& operator=(const Pipeline&) = delete;

  bool connected() const { return conn_ != nullptr; }
  bool answers_owed() const { return !expected_.empty(); }
  int socket() const { return conn_ ? PQsocket(conn_->get()) : -1; }
  // Takes a connection made by PgDatabase::ConnectForPipeline.
  void Adopt(std::unique_ptr<Connection> conn) { conn_ = std::move(conn); }

  // Statements to send again (see above); the lane sends each with SendAlone before its next
  // batch.
  std::vector<PipelineItem> TakeResends() { return std::exchange(resend_, {}); }

  // Sends `item` as a batch of its own, unprepared: no other statement's error, and no prepare
  // sent before, can make it fail.
  void SendAlone(PipelineItem item) {
    item.resent = true;
    EndBatch();
    Send(std::move(item));
    EndBatch();
  }

  // Queues the statement (prepared on first use) in libpq's output buffer; a broken
  // connection fails it and everything sent before. EndBatch() sends them.
  void Send(PipelineItem item) {
    if (!conn_) {
      Complete(item, StorageError(ErrorCode::kUnavailable, "storage.connection",
                                  "no connection to PostgreSQL"));
      return;
    }
    const Statement& statement = *item.statement;
    BoundParams bound;
    if (auto bind = BindParams(statement, item.params, statement.rewritten.sql, &bound);
        !bind.ok()) {
      Complete(item, bind.error());
      return;
    }
    PGconn* conn = conn_->get();
    bool sent = true;
    const bool prepare = !item.resent;
    if (prepare && !prepared_.contains(statement.id) &&
        prepared_.size() < kMaxPreparedPerConnection) {
      sent = PQsendPrepare(conn, statement.name.c_str(), statement.rewritten.sql.c_str(),
                           bound.count(), nullptr) == 1;
      prepared_.insert(statement.id);
      if (sent) expected_.push_back({Expected::Kind::kPrepare, {}, statement.id, nullptr});
    }
    // Past the bound on prepared statements, the rest go unnamed (parsed each time).
    sent = sent && (prepare && prepared_.contains(statement.id)
                        ? PQsendQueryPrepared(conn, statement.name.c_str(), bound.count(),
                                              bound.values.data(), bound.lengths.data(),
                                              bound.formats.data(), /*text=*/0)
                        : PQsendQueryParams(conn, statement.rewritten.sql.c_str(), bound.count(),
                                            nullptr, bound.values.data(), bound.lengths.data(),
                                            bound.formats.data(), /*text=*/0)) == 1;
    if (!sent) {
      const Error error = conn_->ErrorFrom(nullptr, "");
      Complete(item, error);
      FailAll(error);
      return;
    }
    const int id = statement.id;
    expected_.push_back({Expected::Kind::kQuery, std::move(item), id, nullptr});
  }

  // Ends the batch with a Sync, which libpq sends at once with everything queued before it.
  void EndBatch() {
    if (!conn_ || expected_.empty() || expected_.back().kind == Expected::Kind::kSync) return;
    if (PQpipelineSync(conn_->get()) != 1) {
      FailAll(conn_->ErrorFrom(nullptr, ""));
      return;
    }
    expected_.push_back({Expected::Kind::kSync, {}, 0, nullptr});
  }

  // Pushes libpq's buffer to the socket. False while some is left: wait until writable.
  bool Flush() {
    if (!conn_) return true;
    const int left = PQflush(conn_->get());
    if (left < 0) FailAll(conn_->ErrorFrom(nullptr, ""));
    return left <= 0;
  }

  // The socket is readable: answers every statement whose answer arrived.
  void Receive() {
    if (!conn_) return;
    if (PQconsumeInput(conn_->get()) == 0) {
      FailAll(conn_->ErrorFrom(nullptr, ""));
      return;
    }
    // A command's results end with a null result; a Sync's is one PGRES_PIPELINE_SYNC.
    while (conn_ && !expected_.empty() && PQisBusy(conn_->get()) == 0) {
      Expected& front = expected_.front();
      ResultPtr res(PQgetResult(conn_->get()));
      const bool is_sync = res && PQresultStatus(res.get()) == PGRES_PIPELINE_SYNC;
      if ((front.kind == Expected::Kind::kSync) != is_sync) {
        FailAll(StorageError(ErrorCode::kInternal, "storage.error",
                             "PostgreSQL pipeline out of step; connection dropped"));
        return;
      }
      if (is_sync) {
        failed_prepares_.clear();
        expected_.pop_front();
      } else if (res) {
        if (!front.result) front.result = std::move(res);
      } else {
        Expected done = std::move(front);
        expected_.pop_front();
        Finish(done);
      }
    }
    if (conn_ && PQstatus(conn_->get()) != CONNECTION_OK) {
      FailAll(conn_->ErrorFrom(nullptr, ""));
    }
  }

  // The connection broke (or is closing): everything sent on it fails, and it is dropped.
  void FailAll(const Error& error) {
    std::deque<Expected> owed = std::move(expected_);
    expected_.clear();
    conn_.reset();
    prepared_.clear();
    failed_prepares_.clear();
    for (Expected& e : owed) {
      if (e.kind == Expected::Kind::kQuery) Complete(e.item, error);
    }
    for (PipelineItem& item : TakeResends()) Complete(item, error);
  }

  void Complete(PipelineItem& item, Result<Rows> result) {
    if (item.observer != nullptr) {
      const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - item.start;
      item.observer(kBackendName, elapsed.count());
    }
    RowsCallback done = std::move(item.done);
    done(std::move(result));
    if (answered_) answered_();
  }

 private:
  // What the connection owes, in the order it was asked.
  struct Expected {
    enum class Kind { kPrepare, kQuery, kSync } kind;
    PipelineItem item;     // kQuery
    int statement_id = 0;  // kPrepare, kQuery
    ResultPtr result;      // the first result that arrived for it
  };

  void Finish(Expected& e) {
    const ExecStatusType status = e.result ? PQresultStatus(e.result.get()) : PGRES_FATAL_ERROR;
    const bool aborted = status == PGRES_PIPELINE_ABORTED;
    const bool failed = status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK && !aborted;
    std::optional<Error> error;
    if (failed) {
      error = conn_->ErrorFrom(e.result.get(),
                               e.item.statement ? e.item.statement->rewritten.sql : std::string());
    }
    if (e.kind == Expected::Kind::kPrepare) {
      // 42P05: the server has it already (prepared by an earlier batch): as good as prepared.
      const bool exists = failed && SqlState(e.result.get()) == "42P05";
      // Otherwise prepared again with the statement's next use. At most one prepare of a
      // statement is ever in flight: prepared_ holds it from sending until this answer.
      if ((failed || aborted) && !exists) prepared_.erase(e.statement_id);
      if (failed && !exists) failed_prepares_.emplace(e.statement_id, *error);
    } else if (!failed && !aborted) {
      Rows rows;
      if (status == PGRES_TUPLES_OK) DecodeRows(e.result.get(), &rows);
      Complete(e.item, std::move(rows));
    } else if (auto it = failed_prepares_.find(e.statement_id);
               aborted && it != failed_prepares_.end()) {
      Complete(e.item, it->second);  // its own statement could not be prepared
    } else if (aborted || (failed && !e.item.resent && SqlState(e.result.get()) == "26000")) {
      // Skipped for another statement's error, or its prepared statement was lost with an
      // earlier batch (26000: no such prepared statement): not its fault, so it goes again.
      resend_.push_back(std::move(e.item));
    } else {
      Complete(e.item, *error);
    }
    // The server is ending this session (terminated, shutting down): nothing more may be sent
    // into it, and what was sent fails now.
    const std::string_view sqlstate = SqlState(e.result.get());
    if (error && (sqlstate.starts_with("57P") || sqlstate.starts_with("08"))) {
      FailAll(*error);
    }
  }

  static std::string_view SqlState(const PGresult* result) {
    const char* state = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
    return state != nullptr ? state : "";
  }

  std::function<void()> answered_;
  std::unique_ptr<Connection> conn_;
  std::unordered_set<int> prepared_;
  std::deque<Expected> expected_;
  std::unordered_map<int, Error> failed_prepares_;  // in the batch being read, by statement
  std::vector<PipelineItem> resend_;
};

// A pipeline with a thread of its own (Database::ReadAsync). The thread sends every statement
// waiting when it wakes and reads the answers as they arrive: under load, one write and one read
// serve many statements.
class PipelineLane {
 public:
  explicit PipelineLane(PgDatabase& db)
      : db_(db), wake_fd_(eventfd(0, EFD_CLOEXEC)), pipeline_([this] {
          std::lock_guard lock(mu_);
          --waiting_;
        }) {
    thread_ = std::thread([this] { Loop(); });
  }
  ~PipelineLane() {
    {
      std::lock_guard lock(mu_);
      stop_ = true;
    }
    Wake();
    thread_.join();
    if (wake_fd_ >= 0) {
      close(wake_fd_);
    }
  }
  PipelineLane(const PipelineLane&) = delete;
  PipelineLane& operator=(const PipelineLane&) = delete;

  // Thread-safe. `done` runs on the lane's thread, or here when the statement is refused.
  void Submit(PipelineItem item) {
    bool wake = false;
    bool taken = false;
    {
      std::lock_guard lock(mu_);
      if (!stop_ && wake_fd_ >= 0 && waiting_ < kMaxWaitingPerLane) {
        ++waiting_;
        incoming_.push_back(std::move(item));
        wake = std::exchange(sleeping_, false);
        taken = true;
      }
    }
    if (wake) {
      Wake();
    } else if (!taken) {
      item.done(StorageError(ErrorCode::kUnavailable, "storage.busy",
                             "too many statements waiting for a PostgreSQL pipeline"));
    }
  }

 private:
  void Wake() {
    const std::uint64_t one = 1;
    if (wake_fd_ >= 0) {
      (void)!write(wake_fd_, &one, sizeof one);
    }
  }

  void Loop();

  PgDatabase& db_;
  const int wake_fd_;

  std::mutex mu_;
  std::vector<PipelineItem> incoming_;  // guarded by mu_
  int waiting_ = 0;                     // guarded by mu_; queued or sent, not yet answered
  bool sleeping_ = false;  // guarded by mu_; in poll() with nothing queued: Submit wakes it
  bool stop_ = false;      // guarded by mu_

  Pipeline pipeline_;  // the lane's thread only
  std::optional<Error> connect_error_;
  std::chrono::steady_clock::time_point failed_at_{};
  std::chrono::steady_clock::time_point sent_at_{};  // the last batch's

  std::thread thread_;  // last: started once everything above exists
};

Result<std::unique_ptr<Connection>> PgDatabase::ConnectForPipeline() {
  TINHSO_ASSIGN_OR_RETURN(auto conn, Connect());
  // Only reads come this way; the server refuses anything else.
  TINHSO_RETURN_IF_ERROR(conn->Exec("SET default_transaction_read_only = on"));
  if (PQsetnonblocking(conn->get(), 1) != 0 || PQenterPipelineMode(conn->get()) != 1) {
    return conn->ErrorFrom(nullptr, "");
  }
  return conn;
}

void PipelineLane::Loop() {
  std::vector<PipelineItem> batch;
  for (;;) {
    bool stopping = false;
    // While a batch is out (for at most kHoldWhileBusy), newcomers wait and then leave together:
    // under load batches grow to match, and the server wakes once for many statements.
    const bool hold =
        pipeline_.answers_owed() && std::chrono::steady_clock::now() - sent_at_ < kHoldWhileBusy;
    {
      std::lock_guard lock(mu_);
      stopping = stop_;
      if (stopping || !hold) batch.swap(incoming_);
    }
    if (stopping) {
      const Error closing =
          StorageError(ErrorCode::kUnavailable, "storage.connection", "the database is closing");
      pipeline_.FailAll(closing);
      for (PipelineItem& item : batch) pipeline_.Complete(item, closing);
      return;
    }
    if (!batch.empty() && !pipeline_.connected()) {
      if (connect_error_ && std::chrono::steady_clock::now() - failed_at_ < kReconnectPause) {
        for (PipelineItem& item : batch) pipeline_.Complete(item, *connect_error_);
        batch.clear();
      } else if (auto conn = db_.ConnectForPipeline(); conn.ok()) {
        connect_error_.reset();
        pipeline_.Adopt(std::move(*conn));
      } else {
        connect_error_ = conn.error();
        failed_at_ = std::chrono::steady_clock::now();
      }
    }
    std::vector<PipelineItem> again = pipeline_.TakeResends();
    if (!batch.empty() || !again.empty()) sent_at_ = std::chrono::steady_clock::now();
    for (PipelineItem& item : again) pipeline_.SendAlone(std::move(item));
    for (PipelineItem& item : batch) pipeline_.Send(std::move(item));
    pipeline_.EndBatch();
    batch.clear();

    // Sleep until an answer arrives, the socket can take more, or Submit() wakes the lane.
    const bool flushed = pipeline_.Flush();
    pollfd fds[2] = {{wake_fd_, POLLIN, 0}, {-1, 0, 0}};
    nfds_t count = 1;
    if (pipeline_.connected()) {
      fds[1] = {pipeline_.socket(), static_cast<short>(POLLIN | (flushed ? 0 : POLLOUT)), 0};
      count = 2;
    }
    int timeout = -1;
    const bool busy = pipeline_.answers_owed();
    {
      std::lock_guard lock(mu_);
      if (stop_ || (!incoming_.empty() && !busy)) {
        timeout = 0;
      } else if (busy) {
        timeout = 1;  // the answer wakes the lane; newcomers leave within kHoldWhileBusy anyway
      } else {
        sleeping_ = true;
      }
    }
    const int ready = poll(fds, count, timeout);
    {
      std::lock_guard lock(mu_);
      sleeping_ = false;
    }
    if (ready <= 0) continue;  // nothing, or EINTR: look at the queue again
    if (fds[0].revents & POLLIN) {
      std::uint64_t ignored = 0;
      (void)!read(wake_fd_, &ignored, sizeof ignored);
    }
    if (count == 2 && (fds[1].revents & (POLLIN | POLLERR | POLLHUP))) {
      pipeline_.Receive();
    }
  }
}

void PgDatabase::ReadAsync(std::string_view sql, Params params, RowsCallback done) {
  PipelineItem item{StatementFor(sql), std::move(params), std::move(done),
                    internal::CurrentQueryObserver(), std::chrono::steady_clock::now()};
  std::call_once(lanes_started_, [this] {
    const unsigned lanes =
        std::max(1u, std::thread::hardware_concurrency() / kCoresPerPipelineLane);
    for (unsigned i = 0; i < lanes; ++i) {
      lanes_.push_back(std::make_unique<PipelineLane>(*this));
    }
  });
  const std::size_t lane = next_lane_.fetch_add(1, std::memory_order_relaxed) % lanes_.size();
  lanes_[lane]->Submit(std::move(item));
}

PgTransaction::~PgTransaction() {
  if (!finished_ && !autocommit_ && !conn_->broken()) {
    ResultPtr res(PQexec(conn_->get(), "ROLLBACK"));  // a failure leaves the connection unusable
  }
  db_.Release(std::move(conn_));
}

Result<void> PgTransaction::Run(std::string_view sql, const Params& params, Rows* rows,
                                std::int64_t* changed) {
  TINHSO_RETURN_IF_ERROR(CheckUsable());
  internal::QueryTimer timer(kBackendName);
  const std::shared_ptr<const Statement> statement = db_.StatementFor(sql);
  BoundParams bound;
  if (auto bind = BindParams(*statement, params, sql, &bound); !bind.ok()) {
    failure_ = bind.error();
    return bind;
  }
  if (auto prepared = conn_->Prepare(*statement, sql); !prepared.ok()) {
    failure_ = prepared.error();
    return prepared;
  }
  ResultPtr res(PQexecPrepared(conn_->get(), statement->name.c_str(), bound.count(),
                               bound.values.data(), bound.lengths.data(), bound.formats.data(),
                               /*text=*/0));
  const ExecStatusType status = res ? PQresultStatus(res.get()) : PGRES_FATAL_ERROR;
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    failure_ = conn_->ErrorFrom(res.get(), sql);
    return *failure_;
  }
  if (changed != nullptr) {
    std::string_view count = PQcmdTuples(res.get());
    *changed = 0;
    std::from_chars(count.data(), count.data() + count.size(), *changed);
  }
  if (rows != nullptr && status == PGRES_TUPLES_OK) {
    DecodeRows(res.get(), rows);
  }
  return Ok();
}

// Splits "a=1&b=2" into pairs, keeping the original (still percent-encoded) text.
std::vector<std::pair<std::string, std::string>> SplitQuery(std::string_view query) {
  std::vector<std::pair<std::string, std::string>> out;
  while (!query.empty()) {
    const std::size_t amp = query.find('&');
    const std::string_view item = query.substr(0, amp);
    if (!item.empty()) {
      const std::size_t eq = item.find('=');
      out.emplace_back(std::string(item.substr(0, eq)),
                       eq == std::string_view::npos ? "" : std::string(item.substr(eq + 1)));
    }
    if (amp == std::string_view::npos) {
      break;
    }
    query.remove_prefix(amp + 1);
  }
  return out;
}

// "postgresql://user:secret@host/db" → "postgresql://user@host/db".
std::string WithoutPassword(std::string_view base) {
  const std::size_t scheme_end = base.find("://");
  if (scheme_end == std::string_view::npos) {
    return std::string(base);
  }
  const std::size_t authority = scheme_end + 3;
  const std::size_t slash = base.find('/', authority);
  const std::size_t at = base.rfind('@', slash);
  if (at == std::string_view::npos || at < authority) {
    return std::string(base);
  }
  const std::size_t colon = base.find(':', authority);
  if (colon == std::string_view::npos || colon > at) {
    return std::string(base);
  }
  return std::string(base.substr(0, colon)) + std::string(base.substr(at));
}

}  // namespace

Result<std::unique_ptr<Database>> Open(std::string_view url) {
  const std::size_t question = url.find('?');
  const std::string_view base = url.substr(0, question);
  const std::string_view query =
      question == std::string_view::npos ? std::string_view() : url.substr(question + 1);

  int pool_size = kDefaultPoolSize;
  std::string statement_timeout(kDefaultStatementTimeout);
  bool has_connect_timeout = false;
  bool has_application_name = false;
  std::string kept;   // parameters passed on to libpq
  std::string shown;  // the same, with a password parameter masked
  for (auto& [key, value] : SplitQuery(query)) {
    if (key == "pool_size") {
      int n = 0;
      auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
      if (ec != std::errc() || end != value.data() + value.size() || n < 1 || n > kMaxPoolSize) {
        return MakeError(ErrorCode::kInvalidArgument, "storage.bad_url",
                         "Tham số pool_size trong địa chỉ cơ sở dữ liệu không hợp lệ.",
                         "pool_size in the database URL must be a number from 1 to 200.",
                         "pool_size=" + value);
      }
      pool_size = n;
      continue;
    }
    if (key == "statement_timeout") {
      // Goes into a SET statement: accept only digits and unit letters.
      const bool safe =
          !value.empty() &&
          value.find_first_not_of("0123456789abcdefghijklmnopqrstuvwxyz") == std::string::npos;
      if (!safe) {
        return MakeError(ErrorCode::kInvalidArgument, "storage.bad_url",
                         "Tham số statement_timeout trong địa chỉ cơ sở dữ liệu không hợp lệ.",
                         "statement_timeout in the database URL must look like 30s or 500ms.",
                         "statement_timeout=" + value);
      }
      statement_timeout = value;
      continue;
    }
    has_connect_timeout |= key == "connect_timeout";
    has_application_name |= key == "application_name";
    const std::string item = key + "=" + value;
    kept += (kept.empty() ? "" : "&") + item;
    shown += (shown.empty() ? "" : "&") + (key == "password" ? key + "=***" : item);
  }
  if (!has_connect_timeout) {  // libpq would otherwise wait on an unreachable host for minutes
    kept += std::string(kept.empty() ? "" : "&") + "connect_timeout=10";
  }
  if (!has_application_name) {  // names our sessions in pg_stat_activity
    kept += std::string(kept.empty() ? "" : "&") + "application_name=tinhso";
  }
  std::string display = WithoutPassword(base);
  if (!shown.empty()) {
    display += "?" + shown;
  }
  auto db = std::make_unique<PgDatabase>(std::string(base) + "?" + kept, std::move(display),
                                         pool_size, std::move(statement_timeout));
  TINHSO_RETURN_IF_ERROR(db->Start());
  return std::unique_ptr<Database>(std::move(db));
}

}  // namespace tinhso::storage::postgres
