// Throw-away databases for tests, on both backends.
//
// A storage-touching test is written once and runs on SQLite and PostgreSQL:
//
//   class AgencyStoreTest : public test::BackendTest {};
//
//   TEST_P(AgencyStoreTest, FindsByOldCode) {
//     agencies::Service service(db(), clock);
//     …
//   }
//
//   TINHSO_INSTANTIATE_BACKENDS(AgencyStoreTest);  // → Backends/AgencyStoreTest.X/Sqlite,
//   …/Postgres
//
// PostgreSQL comes from TINHSO_TEST_PG_URL (scripts/with-postgres.sh and `make test` set it);
// without it, the first Postgres test of the process starts a private throw-away cluster.
// Run only one backend with --gtest_filter='*/Sqlite' (or '-*/Postgres').
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <mutex>
#include <span>
#include <string>

#include "storage/database.hpp"
#include "support/temp_dir.hpp"

namespace tinhso::test {

// The base URL of the throw-away PostgreSQL server (postgresql://postgres@127.0.0.1:PORT/postgres):
// TINHSO_TEST_PG_URL if set, else a cluster this process starts once (initdb into a temporary
// directory, as the postgres user when running as root) and stops at exit.
// Throws std::runtime_error if no server can be had.
std::string PostgresUrl();

// An isolated database holding exactly `migrations` (default: the real ones, migrations/*.sql),
// for one test. SQLite: a file in a fresh TempDir(); PostgreSQL: a fresh schema t_<random> on
// the throw-away server. Destroying the Database removes the file or drops the schema.
// Each call costs a few milliseconds. Throws std::runtime_error on failure.
std::unique_ptr<storage::Database> FreshDatabase(storage::Backend backend);
std::unique_ptr<storage::Database> FreshDatabase(storage::Backend backend,
                                                 std::span<const storage::Migration> migrations);

// A database that another process opens by its URL (a server the test starts and kills): a
// SQLite file in `dir`, or a fresh, empty PostgreSQL schema on the throw-away server, which the
// destructor drops. Not migrated. Throws std::runtime_error on failure.
class SharedDatabase {
 public:
  SharedDatabase(storage::Backend backend, const std::filesystem::path& dir);
  ~SharedDatabase();
  SharedDatabase(const SharedDatabase&) = delete;
  SharedDatabase& operator=(const SharedDatabase&) = delete;
  const std::string& url() const { return url_; }

 private:
  std::string url_;
  std::string schema_;  // PostgreSQL only
};

// "Sqlite" / "Postgres": test-name suffixes.
std::string BackendName(storage::Backend backend);
std::string BackendParamName(const ::testing::TestParamInfo<storage::Backend>& info);

// Fixture for tests that run on both backends. db() is a FreshDatabase(GetParam()) created on
// first use (thread-safe), so a test that never touches the database pays nothing.
class BackendTest : public ::testing::TestWithParam<storage::Backend> {
 protected:
  storage::Database& db() {
    std::call_once(db_once_, [this] { db_ = FreshDatabase(GetParam(), migrations()); });
    return *db_;
  }
  storage::Backend backend() const { return GetParam(); }
  // The schema db() is migrated to; a fixture that needs its own tables overrides it.
  virtual std::span<const storage::Migration> migrations() const {
    return storage::EmbeddedMigrations();
  }

 private:
  std::once_flag db_once_;
  std::unique_ptr<storage::Database> db_;
};

}  // namespace tinhso::test

// Runs every TEST_P of `SuiteName` (a BackendTest) on SQLite and on PostgreSQL.
#define TINHSO_INSTANTIATE_BACKENDS(SuiteName)                                       \
  INSTANTIATE_TEST_SUITE_P(Backends, SuiteName,                                      \
                           ::testing::Values(::tinhso::storage::Backend::kSqlite,    \
                                             ::tinhso::storage::Backend::kPostgres), \
                           ::tinhso::test::BackendParamName)
