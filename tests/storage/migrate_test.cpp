// storage::Migrate on both backends: order, idempotence, placeholders, atomicity, concurrency.
#include <gtest/gtest.h>

#include <array>
#include <barrier>
#include <thread>

#include "storage/database.hpp"
#include "support/database.hpp"
#include "test_schema.hpp"

namespace tinhso::storage {
namespace {

// Starts from a database that has never been migrated (only schema_migrations exists).
class MigrateTest : public test::BackendTest {
 protected:
  std::span<const Migration> migrations() const override { return {}; }

  std::int64_t AppliedCount() {
    auto tx = db().Begin(TxKind::kReadOnly);
    EXPECT_TRUE(tx.ok());
    auto rows = (*tx)->Query("SELECT COUNT(*) FROM schema_migrations");
    EXPECT_TRUE(rows.ok()) << rows.error().detail;
    return rows.ok() ? (*rows)[0].Int(0) : -1;
  }
};

TEST_P(MigrateTest, AppliesInOrderThenNothing) {
  auto version = SchemaVersion(db());
  ASSERT_TRUE(version.ok()) << version.error().detail;
  EXPECT_EQ(*version, 0);

  auto first = Migrate(db(), test::StorageTestMigrations());
  ASSERT_TRUE(first.ok()) << first.error().detail;
  EXPECT_EQ(*first, test::kStorageTestVersion);
  EXPECT_EQ(AppliedCount(), test::kStorageTestVersion);

  auto again = Migrate(db(), test::StorageTestMigrations());
  ASSERT_TRUE(again.ok()) << again.error().detail;
  EXPECT_EQ(*again, test::kStorageTestVersion);
  EXPECT_EQ(AppliedCount(), test::kStorageTestVersion) << "a second run applies nothing";

  auto tx = db().Begin(TxKind::kReadOnly);
  ASSERT_TRUE(tx.ok());
  auto rows = (*tx)->Query("SELECT version, name FROM schema_migrations ORDER BY version");
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 3u);
  EXPECT_EQ((*rows)[0].Int(0), 1);
  EXPECT_EQ((*rows)[0].Text(1), "kinds");
  EXPECT_EQ((*rows)[2].Text(1), "seeded");
}

TEST_P(MigrateTest, AppliesOnlyWhatIsPending) {
  auto part = Migrate(db(), test::StorageTestMigrations().first(2));
  ASSERT_TRUE(part.ok()) << part.error().detail;
  EXPECT_EQ(*part, 2);
  auto rest = Migrate(db(), test::StorageTestMigrations());
  ASSERT_TRUE(rest.ok()) << rest.error().detail;
  EXPECT_EQ(*rest, 3);
  EXPECT_EQ(AppliedCount(), 3);
}

TEST_P(MigrateTest, PlaceholdersGiveIdentityKeysAndBlobs) {
  ASSERT_TRUE(Migrate(db(), test::StorageTestMigrations()).ok());
  auto tx = db().Begin();
  ASSERT_TRUE(tx.ok());
  for (int i = 0; i < 2; ++i) {
    auto inserted = (*tx)->Query("INSERT INTO kinds (b) VALUES (:b) RETURNING id",
                                 {{"b", Bytes{std::string("\0", 1)}}});
    ASSERT_TRUE(inserted.ok()) << inserted.error().detail;
    EXPECT_EQ((*inserted)[0].Int(0), i + 1);
  }
  ASSERT_TRUE((*tx)->Commit().ok());
}

TEST_P(MigrateTest, AFailingMigrationChangesNothing) {
  const Migration kBroken[] = {
      {1, "good", "CREATE TABLE good (id {{id}});"},
      {2, "half", "CREATE TABLE half (id {{id}});\nINSERT INTO missing_table VALUES (1);"},
  };
  auto result = Migrate(db(), kBroken);
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.error().detail.find("2_half"), std::string::npos) << result.error().detail;
  auto version = SchemaVersion(db());
  ASSERT_TRUE(version.ok());
  EXPECT_EQ(*version, 1) << "the first migration stays, the second left no trace";
  auto tx = db().Begin();
  ASSERT_TRUE(tx.ok());
  EXPECT_TRUE((*tx)->Query("SELECT COUNT(*) FROM good").ok());
  EXPECT_FALSE((*tx)->Query("SELECT COUNT(*) FROM half").ok()) << "its CREATE TABLE was undone";
}

TEST_P(MigrateTest, RejectsBadLists) {
  const Migration kUnsorted[] = {{2, "b", "SELECT 1"}, {1, "a", "SELECT 1"}};
  auto unsorted = Migrate(db(), kUnsorted);
  ASSERT_FALSE(unsorted.ok());
  EXPECT_EQ(unsorted.error().code, ErrorCode::kInvalidArgument);

  const Migration kUnknown[] = {{1, "a", "CREATE TABLE a (id {{uuid}})"}};
  auto unknown = Migrate(db(), kUnknown);
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(unknown.error().detail.find("{{uuid}}"), std::string::npos);
  EXPECT_EQ(AppliedCount(), 0);
}

// Two servers started at once against the same database: each migration runs exactly once
// and both see the same version. Separate Database objects stand for separate processes.
TEST_P(MigrateTest, ConcurrentRunsApplyEachMigrationOnce) {
  const std::string url = db().DisplayUrl();  // the throw-away databases have no password
  constexpr int kRunners = 3;
  std::barrier start(kRunners);
  std::array<int, kRunners> versions{};
  std::array<std::string, kRunners> errors;
  std::vector<std::thread> threads;
  for (int i = 0; i < kRunners; ++i) {
    threads.emplace_back([&, i] {
      auto other = Open(url);
      start.arrive_and_wait();
      if (!other.ok()) {
        errors[i] = other.error().detail;
        return;
      }
      auto version = Migrate(**other, test::StorageTestMigrations());
      if (version.ok()) {
        versions[i] = *version;
      } else {
        errors[i] = version.error().detail;
      }
    });
  }
  for (auto& t : threads) {
    t.join();
  }
  for (int i = 0; i < kRunners; ++i) {
    EXPECT_EQ(errors[i], "") << i;
    EXPECT_EQ(versions[i], test::kStorageTestVersion) << i;
  }
  EXPECT_EQ(AppliedCount(), test::kStorageTestVersion);
  auto tx = db().Begin(TxKind::kReadOnly);
  ASSERT_TRUE(tx.ok());
  auto heads = (*tx)->Query("SELECT COUNT(*) FROM heads");
  ASSERT_TRUE(heads.ok());
  EXPECT_EQ((*heads)[0].Int(0), 1) << "the seeding INSERT ran once";
}

// The product's own migrations (migrations/*.sql) apply on both backends.
TEST_P(MigrateTest, ProductMigrationsApply) {
  const auto all = EmbeddedMigrations();
  for (std::size_t i = 1; i < all.size(); ++i) {
    EXPECT_LT(all[i - 1].version, all[i].version);
  }
  auto version = Migrate(db());
  ASSERT_TRUE(version.ok()) << version.error().detail;
  EXPECT_EQ(*version, all.empty() ? 0 : all.back().version);
  EXPECT_EQ(AppliedCount(), static_cast<std::int64_t>(all.size()));
}

TINHSO_INSTANTIATE_BACKENDS(MigrateTest);

}  // namespace
}  // namespace tinhso::storage
