// Micro-benchmarks with in-run baselines. A benchmark whose label names another benchmark is
// reported as a ratio to it (bench/run.sh): the audit append is compared with a bare SQLite
// insert loop under the same durability settings, so the figure says what the hash chain costs.
#include <benchmark/benchmark.h>
#include <sqlite3.h>

#include <filesystem>

#include "audit/audit.hpp"
#include "auth/auth.hpp"
#include "calendar/calendar.hpp"
#include "core/text.hpp"
#include "storage/database.hpp"

namespace {

using namespace tinhso;

std::string FreshPath(const char* name) {
  auto dir = std::filesystem::temp_directory_path() / ("tinhso-bench-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  auto path = dir / name;
  std::filesystem::remove(path);
  std::filesystem::remove(path.string() + "-wal");
  std::filesystem::remove(path.string() + "-shm");
  return path.string();
}

// The baseline: one row per committed transaction through the raw SQLite API, WAL and
// synchronous=FULL as tinhso runs, with a row as wide as an audit entry.
void BM_BaselineSqliteInsert(benchmark::State& state) {
  sqlite3* db = nullptr;
  sqlite3_open(FreshPath("baseline.db").c_str(), &db);
  sqlite3_exec(db,
               "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
               "CREATE TABLE t (seq INTEGER PRIMARY KEY, at INTEGER, actor TEXT, action TEXT, "
               "data TEXT, hash TEXT)",
               nullptr, nullptr, nullptr);
  sqlite3_stmt* insert = nullptr;
  sqlite3_prepare_v2(db, "INSERT INTO t (at, actor, action, data, hash) VALUES (?, ?, ?, ?, ?)", -1,
                     &insert, nullptr);
  const std::string data = "{\"name\":\"Ủy ban nhân dân xã Chợ Đồn\"}";
  const std::string hash(64, 'a');
  std::int64_t i = 0;
  for (auto _ : state) {
    sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr);
    sqlite3_bind_int64(insert, 1, ++i);
    sqlite3_bind_text(insert, 2, "quantri", -1, SQLITE_STATIC);
    sqlite3_bind_text(insert, 3, "agency.update", -1, SQLITE_STATIC);
    sqlite3_bind_text(insert, 4, data.c_str(), -1, SQLITE_STATIC);
    sqlite3_bind_text(insert, 5, hash.c_str(), -1, SQLITE_STATIC);
    sqlite3_step(insert);
    sqlite3_reset(insert);
    sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr);
  }
  state.SetItemsProcessed(state.iterations());
  sqlite3_finalize(insert);
  sqlite3_close(db);
}
BENCHMARK(BM_BaselineSqliteInsert)->UseRealTime();

void BM_AuditAppendSqlite(benchmark::State& state) {
  auto db = storage::Open("sqlite:" + FreshPath("audit.db"));
  if (!db.ok() || !storage::Migrate(**db).ok()) {
    state.SkipWithError("cannot open the database");
    return;
  }
  core::Actor actor = core::SystemActor();
  const std::string data = "{\"name\":\"Ủy ban nhân dân xã Chợ Đồn\"}";
  std::int64_t i = 0;
  for (auto _ : state) {
    auto r = storage::WithTransaction(**db, [&](storage::Transaction& tx) {
      return audit::Append(tx, actor, {"agency.update", "agency", std::to_string(++i), data},
                           core::Seconds(std::chrono::seconds(i)));
    });
    if (!r.ok()) state.SkipWithError("append failed");
  }
  state.SetItemsProcessed(state.iterations());
  state.SetLabel("BM_BaselineSqliteInsert");
}
BENCHMARK(BM_AuditAppendSqlite)->UseRealTime();

void BM_SearchKey(benchmark::State& state) {
  const std::string name =
      "Ủy ban nhân dân xã Nghĩa Tá, tỉnh Thái Nguyên (trước đây huyện Chợ Đồn)";
  for (auto _ : state) benchmark::DoNotOptimize(core::SearchKey(name));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_SearchKey);

void BM_AddWorkingDays(benchmark::State& state) {
  calendar::WorkingCalendar cal;
  const auto start = std::chrono::year_month_day{std::chrono::year(2026), std::chrono::month(2),
                                                 std::chrono::day(10)};
  (void)cal.AddWorkingDays(start, 15);  // warm the year cache
  for (auto _ : state) benchmark::DoNotOptimize(cal.AddWorkingDays(start, 15));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_AddWorkingDays);

void BM_PasswordHashArgon2idInteractive(benchmark::State& state) {
  for (auto _ : state) {
    benchmark::DoNotOptimize(auth::HashPassword("mat-khau-du-dai", auth::PasswordCost{}));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_PasswordHashArgon2idInteractive)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
