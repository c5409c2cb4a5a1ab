// SQLite only: the snapshot a pooled reader keeps between kSingleRead transactions. It must
// follow every commit made through the same Database at once, writes from another process
// within a fraction of a second, and never hold the WAL back from being checkpointed.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <string>

#include "storage/database.hpp"
#include "support/temp_dir.hpp"
#include "test_schema.hpp"

namespace tinhso::storage {
namespace {

class SqliteSnapshotTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = (test::TempDir() / "snapshot.db").string();
    db_ = Open("sqlite:" + path_).value();
    ASSERT_TRUE(Migrate(*db_, test::StorageTestMigrations()).ok());
    Write(*db_, "INSERT INTO counters (name, n) VALUES ('a', 0)");
  }

  static void Write(Database& db, std::string_view sql) {
    auto done = WithTransaction(db, [&](Transaction& tx) { return tx.Execute(sql); });
    ASSERT_TRUE(done.ok()) << done.error().detail;
  }

  static std::int64_t ReadN(Database& db) {
    auto tx = db.Begin(TxKind::kSingleRead);
    EXPECT_TRUE(tx.ok());
    auto rows = (*tx)->Query("SELECT n FROM counters WHERE name = 'a'");
    EXPECT_TRUE(rows.ok()) << rows.error().detail;
    return rows.ok() ? (*rows)[0].Int(0) : -1;
  }

  std::string path_;
  std::unique_ptr<Database> db_;
};

TEST_F(SqliteSnapshotTest, CommitsThroughTheSameDatabaseShowAtOnce) {
  for (int n = 1; n <= 50; ++n) {
    Write(*db_, "UPDATE counters SET n = n + 1 WHERE name = 'a'");
    EXPECT_EQ(ReadN(*db_), n);
    EXPECT_EQ(ReadN(*db_), n);  // and the reader that kept a snapshot follows too
  }
  // A commit while the reader is in use: the snapshot it keeps afterwards is already stale.
  {
    auto tx = db_->Begin(TxKind::kSingleRead);
    ASSERT_TRUE(tx.ok());
    ASSERT_TRUE((*tx)->Query("SELECT n FROM counters").ok());
    Write(*db_, "UPDATE counters SET n = 99 WHERE name = 'a'");
  }
  EXPECT_EQ(ReadN(*db_), 99);
}

TEST_F(SqliteSnapshotTest, WritesFromAnotherProcessShowWithinAFractionOfASecond) {
  EXPECT_EQ(ReadN(*db_), 0);                     // a reader now keeps a snapshot
  auto other = Open("sqlite:" + path_).value();  // as another process would: its own Database
  Write(*other, "UPDATE counters SET n = 42 WHERE name = 'a'");
  const auto written = std::chrono::steady_clock::now();
  std::int64_t seen = 0;
  while (seen != 42 && std::chrono::steady_clock::now() - written < std::chrono::seconds(5)) {
    seen = ReadN(*db_);
  }
  EXPECT_EQ(seen, 42);
  EXPECT_LT(std::chrono::steady_clock::now() - written, std::chrono::seconds(1));
}

// Without the readers ending their kept snapshots, the WAL could not be restarted and would
// grow with every commit (about 8 MB here).
TEST_F(SqliteSnapshotTest, KeptSnapshotsDoNotHoldTheWalBack) {
  EXPECT_EQ(ReadN(*db_), 0);
  const std::string blob(3000, 'x');
  for (int i = 0; i < 2000; ++i) {
    Write(*db_, "INSERT INTO kinds (i, t) VALUES (" + std::to_string(i) + ", '" + blob + "')");
    if (i % 100 == 0) ReadN(*db_);  // readers keep snapshots now and then
  }
  const auto wal = std::filesystem::file_size(path_ + "-wal");
  EXPECT_LT(wal, 6u << 20) << "WAL of " << wal << " bytes";
}

}  // namespace
}  // namespace tinhso::storage
