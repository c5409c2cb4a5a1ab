// tests/support's throw-away databases: every FreshDatabase looks freshly migrated, even when
// the support library recycles a PostgreSQL schema behind the scenes.
#include <gtest/gtest.h>

#include <filesystem>
#include <set>
#include <string>

#include "support/database.hpp"
#include "test_schema.hpp"

namespace tinhso::test {
namespace {

using storage::Transaction;

Result<std::int64_t> Scalar(storage::Database& db, const std::string& sql) {
  auto rows = storage::WithTransaction(db, [&](Transaction& tx) { return tx.Query(sql); });
  if (!rows.ok()) {
    return std::move(rows).error();
  }
  return rows->empty() ? 0 : (*rows)[0].Int(0);
}

class FreshDatabaseTest : public BackendTest {};

TEST_P(FreshDatabaseTest, EachOneLooksFreshlyMigrated) {
  for (int round = 0; round < 4; ++round) {
    SCOPED_TRACE("round " + std::to_string(round));
    auto db = FreshDatabase(backend(), StorageTestMigrations());
    auto parents = Scalar(*db, "SELECT COUNT(*) FROM parents");
    ASSERT_TRUE(parents.ok()) << parents.error().detail;
    EXPECT_EQ(*parents, 0);
    auto seq = Scalar(*db, "SELECT seq FROM heads");
    ASSERT_TRUE(seq.ok());
    EXPECT_EQ(*seq, 0) << "the migration's own row is as the migration left it";
    auto applied = Scalar(*db, "SELECT COUNT(*) FROM schema_migrations");
    ASSERT_TRUE(applied.ok());
    EXPECT_EQ(*applied, kStorageTestVersion);
    auto id = Scalar(*db, "INSERT INTO parents (name) VALUES ('p') RETURNING id");
    ASSERT_TRUE(id.ok());
    EXPECT_EQ(*id, 1) << "identities start over";
    EXPECT_FALSE(Scalar(*db, "SELECT COUNT(*) FROM extra").ok()) << "no table left by round 1";

    // Leave a mess for the next round to not see.
    ASSERT_TRUE(Scalar(*db, "UPDATE heads SET seq = 9 RETURNING seq").ok());
    if (round == 1) {  // DDL: this schema must not be handed out again
      auto created = storage::WithTransaction(
          *db, [](Transaction& tx) { return tx.Execute("CREATE TABLE extra (x INTEGER)"); });
      ASSERT_TRUE(created.ok()) << created.error().detail;
    }
  }
}

TEST_P(FreshDatabaseTest, DatabasesAreIsolatedFromEachOther) {
  auto first = FreshDatabase(backend(), StorageTestMigrations());
  auto second = FreshDatabase(backend(), StorageTestMigrations());
  EXPECT_NE(first->DisplayUrl(), second->DisplayUrl());
  ASSERT_TRUE(Scalar(*first, "INSERT INTO parents (name) VALUES ('only here') RETURNING id").ok());
  auto other = Scalar(*second, "SELECT COUNT(*) FROM parents");
  ASSERT_TRUE(other.ok());
  EXPECT_EQ(*other, 0);
}

TEST_P(FreshDatabaseTest, DefaultsToTheProductMigrations) {
  const auto all = storage::EmbeddedMigrations();
  auto version = storage::SchemaVersion(db());
  ASSERT_TRUE(version.ok()) << version.error().detail;
  EXPECT_EQ(*version, all.empty() ? 0 : all.back().version);
}

TINHSO_INSTANTIATE_BACKENDS(FreshDatabaseTest);

TEST(TempDir, IsNewEmptyAndUnique) {
  std::set<std::filesystem::path> seen;
  for (int i = 0; i < 5; ++i) {
    const auto dir = TempDir();
    EXPECT_TRUE(std::filesystem::is_directory(dir));
    EXPECT_TRUE(std::filesystem::is_empty(dir));
    EXPECT_TRUE(seen.insert(dir).second);
  }
}

}  // namespace
}  // namespace tinhso::test
