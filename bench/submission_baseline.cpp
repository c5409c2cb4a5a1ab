// The in-run limit for dossier submissions: a bare program writing the same rows one accepted
// submission writes (sequence upsert, dossier row, two file rows each with its bytes in one
// chunk row, two timeline events, one audit entry and its chain head) straight through the SQLite
// or libpq C API, into a database migrated by tinhso, under the same durability settings (SQLite
// WAL + synchronous=FULL; PostgreSQL synchronous_commit=on). No HTTP, no JSON, no validation: what
// the disk allows.
//
//   submission_baseline sqlite:/path/db.sqlite|postgresql://… SECONDS BATCH
//
// BATCH = 1: one transaction per submission; BATCH = 100: the group-commit limit. Prints
// {"batch":B,"submissions":N,"seconds":S,"per_second":R}.
#include <libpq-fe.h>
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace {

// The statements, one per row kind; parameters are positional in both APIs ($n / ?n), numbered
// from 1 in each statement (PostgreSQL cannot type a parameter a statement does not use).
const char* const kStatements[] = {
    "INSERT INTO dossier_sequences (agency_id, day, last_value) VALUES ($1, 261123, 1) "
    "ON CONFLICT (agency_id, day) DO UPDATE SET last_value = dossier_sequences.last_value + 1 "
    "RETURNING last_value",
    "INSERT INTO dossiers (code, lookup_secret, procedure_code, procedure_version, channel, "
    "status, applicant_kind, applicant_name, applicant_id_number, applicant_phone, "
    "applicant_email, applicant_address, receiving_agency_id, competent_agency_id, "
    "current_agency_id, step_index, step_code, summary, form, submitted_at, received_at, "
    "due_at, original_due_at, fee_total, version, updated_at) VALUES ($2, 'ABCDEF', '1.001193', "
    "1, 1, 2, 1, 'Nguyễn Văn An', '001199012345', '', '', '', $1, $1, $1, 1, 'xu_ly', "
    "'Đăng ký khai sinh - Nguyễn Văn An', '{\"child_name\":\"Nguyễn Minh Khôi\"}', 1763870000, "
    "1763870000, 1763956800, 1763956800, 0, 2, 1763870000) RETURNING id",
    "INSERT INTO dossier_files (dossier_id, kind, component, name, content_type, size, sha256, "
    "content, at) VALUES ($1, 'component', 'TP1', 'tep', 'application/pdf', 40, "
    "'0000000000000000000000000000000000000000000000000000000000000000', '', 1763870000) "
    "RETURNING id",
    "INSERT INTO dossier_events (dossier_id, seq, at, action, actor_id, actor_name, "
    "actor_position, agency_id, content, status, step_code, data) VALUES ($1, $2, 1763870000, "
    "'accept', 1, 'Cán bộ một cửa', '', $3, 'Tiếp nhận hồ sơ.', 2, 'xu_ly', '{}')",
    "UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq",
    "INSERT INTO audit_log (seq, at, actor_id, actor_login, action, object_type, object_id, "
    "data, data_hash, prev_hash, hash) VALUES ($1, 1763870000, 1, 'motcua', 'dossier.accept', "
    "'dossier', '1', '{\"code\":\"x\"}', 'h', 'p', "
    "'0000000000000000000000000000000000000000000000000000000000000000')",
    "INSERT INTO dossier_file_chunks (file_id, seq, data) VALUES "
    "($1, 0, '%PDF-1.4 to khai dang ky khai sinh %%EOF')",
};

using Clock = std::chrono::steady_clock;

int Fail(const std::string& what) {
  std::fprintf(stderr, "submission_baseline: %s\n", what.c_str());
  return 1;
}

// One submission's rows, through a callback that runs statement i with its parameters and
// returns the integer of the first column of the first row (0 when none).
template <typename Run>
bool WriteOne(Run& run, long long n) {
  const std::string agency = std::to_string(1 + n % 7);
  const long long seq = run(0, {agency});
  if (seq < 0) return false;
  const std::string code = "000.60.55.H55-261123-" + std::to_string(seq) + "-" + agency;
  const long long id = run(1, {agency, code});
  if (id <= 0) return false;
  const std::string ids = std::to_string(id);
  for (int file = 0; file < 2; ++file) {  // each file: its row, then its bytes in one chunk
    const long long file_id = run(2, {ids});
    if (file_id <= 0 || run(6, {std::to_string(file_id)}) < 0) return false;
  }
  if (run(3, {ids, "1", agency}) < 0 || run(3, {ids, "2", agency}) < 0) return false;
  const long long audit = run(4, {});
  if (audit <= 0) return false;
  return run(5, {std::to_string(audit)}) >= 0;
}

int RunSqlite(const std::string& path, double seconds, int batch) {
  sqlite3* db = nullptr;
  if (sqlite3_open(path.c_str(), &db) != SQLITE_OK) return Fail("cannot open " + path);
  sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON",
               nullptr, nullptr, nullptr);
  std::vector<sqlite3_stmt*> stmts;
  for (const char* text : kStatements) {
    std::string sql = text;
    for (std::size_t p = sql.find('$'); p != std::string::npos; p = sql.find('$', p)) sql[p] = '?';
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &s, nullptr) != SQLITE_OK) {
      return Fail(std::string("prepare: ") + sqlite3_errmsg(db));
    }
    stmts.push_back(s);
  }
  auto run = [&](int i, std::vector<std::string> params) -> long long {
    sqlite3_stmt* s = stmts[static_cast<std::size_t>(i)];
    const int count = sqlite3_bind_parameter_count(s);
    for (int p = 1; p <= count; ++p) {
      const std::string& v = params[static_cast<std::size_t>(p - 1)];
      sqlite3_bind_text(s, p, v.c_str(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    }
    long long out = 0;
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
      out = sqlite3_column_int64(s, 0);
      rc = sqlite3_step(s);
    }
    sqlite3_reset(s);
    return rc == SQLITE_DONE ? out : -1;
  };
  // The dossiers' foreign keys need the agencies 1..7 to exist: use a migrated tinhso database
  // with the demo province loaded.
  long long done = 0;
  const auto start = Clock::now();
  const auto deadline = start + std::chrono::duration<double>(seconds);
  while (Clock::now() < deadline) {
    sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr);
    for (int b = 0; b < batch; ++b) {
      if (!WriteOne(run, done + b)) return Fail(std::string("insert: ") + sqlite3_errmsg(db));
    }
    if (sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK) {
      return Fail(std::string("commit: ") + sqlite3_errmsg(db));
    }
    done += batch;
  }
  const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  std::printf("{\"batch\":%d,\"submissions\":%lld,\"seconds\":%.3f,\"per_second\":%.1f}\n", batch,
              done, elapsed, static_cast<double>(done) / elapsed);
  for (auto* s : stmts) sqlite3_finalize(s);
  sqlite3_close(db);
  return 0;
}

int RunPostgres(const std::string& url, double seconds, int batch) {
  PGconn* conn = PQconnectdb(url.c_str());
  if (PQstatus(conn) != CONNECTION_OK) return Fail(PQerrorMessage(conn));
  PQclear(PQexec(conn, "SET synchronous_commit = on"));
  for (std::size_t i = 0; i < std::size(kStatements); ++i) {
    PGresult* r = PQprepare(conn, ("s" + std::to_string(i)).c_str(), kStatements[i], 0, nullptr);
    if (PQresultStatus(r) != PGRES_COMMAND_OK) return Fail(PQerrorMessage(conn));
    PQclear(r);
  }
  auto run = [&](int i, std::vector<std::string> params) -> long long {
    // Send only as many parameters as the statement uses (the highest $n in it).
    int used = 0;
    for (const char* p = kStatements[i]; (p = std::strchr(p, '$')) != nullptr; ++p) {
      used = std::max(used, std::atoi(p + 1));
    }
    std::vector<const char*> values;
    for (int p = 0; p < used; ++p) values.push_back(params[static_cast<std::size_t>(p)].c_str());
    PGresult* r = PQexecPrepared(conn, ("s" + std::to_string(i)).c_str(), used, values.data(),
                                 nullptr, nullptr, 0);
    long long out = -1;
    if (PQresultStatus(r) == PGRES_TUPLES_OK) {
      out = PQntuples(r) > 0 ? std::atoll(PQgetvalue(r, 0, 0)) : 0;
    } else if (PQresultStatus(r) == PGRES_COMMAND_OK) {
      out = 0;
    }
    PQclear(r);
    return out;
  };
  long long done = 0;
  const auto start = Clock::now();
  const auto deadline = start + std::chrono::duration<double>(seconds);
  while (Clock::now() < deadline) {
    PQclear(PQexec(conn, "BEGIN"));
    for (int b = 0; b < batch; ++b) {
      if (!WriteOne(run, done + b)) return Fail(PQerrorMessage(conn));
    }
    PGresult* r = PQexec(conn, "COMMIT");
    if (PQresultStatus(r) != PGRES_COMMAND_OK) return Fail(PQerrorMessage(conn));
    PQclear(r);
    done += batch;
  }
  const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  std::printf("{\"batch\":%d,\"submissions\":%lld,\"seconds\":%.3f,\"per_second\":%.1f}\n", batch,
              done, elapsed, static_cast<double>(done) / elapsed);
  PQfinish(conn);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) return Fail("usage: submission_baseline URL SECONDS BATCH");
  const std::string url = argv[1];
  const double seconds = std::atof(argv[2]);
  const int batch = std::max(1, std::atoi(argv[3]));
  if (url.rfind("sqlite:", 0) == 0) return RunSqlite(url.substr(7), seconds, batch);
  if (url.rfind("postgresql://", 0) == 0) return RunPostgres(url, seconds, batch);
  return Fail("unknown URL " + url);
}
