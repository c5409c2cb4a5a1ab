// Backup and restore, including across backends: SQLite → PostgreSQL is how a province moves
// up, PostgreSQL → SQLite how a copy is taken home for a demo.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>
#include <string>

#include "storage/database.hpp"
#include "support/database.hpp"
#include "support/faulty_database.hpp"
#include "test_schema.hpp"

namespace tinhso::storage {
namespace {

namespace fs = std::filesystem;

constexpr const char* kTables[] = {"kinds", "counters", "parents", "children",
                                   "nodes", "pairs",    "notes",   "heads"};

std::unique_ptr<Database> Fresh(Backend backend) {
  return test::FreshDatabase(backend, test::StorageTestMigrations());
}

void Exec(Database& db, std::string_view sql, const Params& params = {}) {
  auto done = WithTransaction(db, [&](Transaction& tx) { return tx.Execute(sql, params); });
  ASSERT_TRUE(done.ok()) << sql << ": " << done.error().detail;
}

// Every row of `table`, sorted on all columns so that both backends give the same order.
std::vector<std::vector<Value>> Dump(Database& db, const std::string& table) {
  auto tx = db.Begin(TxKind::kReadOnly);
  EXPECT_TRUE(tx.ok());
  auto columns = (*tx)->Query("SELECT * FROM " + table + " LIMIT 1");
  EXPECT_TRUE(columns.ok()) << columns.error().detail;
  std::string order;
  for (std::size_t i = 1; i <= columns->columns.size(); ++i) {
    // NULLS FIRST: SQLite's default, PostgreSQL's is the opposite.
    order += (i == 1 ? "" : ", ") + std::to_string(i) + " NULLS FIRST";
  }
  auto rows = (*tx)->Query("SELECT * FROM " + table + " ORDER BY " + order);
  EXPECT_TRUE(rows.ok()) << rows.error().detail;
  std::vector<std::vector<Value>> out;
  for (const Row& row : *rows) {
    std::vector<Value> values;
    for (std::size_t i = 0; i < row.size(); ++i) {
      values.push_back(row.at(i));
    }
    out.push_back(std::move(values));
  }
  return out;
}

std::string AllBytes() {
  std::string bytes;
  for (int i = 255; i >= 0; --i) {
    bytes.push_back(static_cast<char>(i));
  }
  return bytes;
}

// Rows in every shape the format must carry.
void Fill(Database& db) {
  Exec(db, "INSERT INTO kinds (i, r, t, b) VALUES (:i, :r, :t, :b)",
       {{"i", std::numeric_limits<std::int64_t>::min()},
        {"r", 0.1},
        {"t", "Ủy ban nhân dân tỉnh Thừa Thiên Huế — \"quoted\"\n"},
        {"b", Bytes{AllBytes()}}});
  Exec(db, "INSERT INTO kinds (i, r, t, b) VALUES (:i, :r, :t, :b)",
       {{"i", std::int64_t{7}},
        {"r", -std::numeric_limits<double>::infinity()},
        {"t", ""},
        {"b", Bytes{""}}});
  Exec(db, "INSERT INTO kinds (i, r, t, b) VALUES (NULL, NULL, NULL, NULL)");
  Exec(db, "INSERT INTO counters (name, n) VALUES ('dossier', 41), ('Đơn', -1)");
  Exec(db, "INSERT INTO parents (name) VALUES ('a'), ('b'), ('c')");
  Exec(db, "DELETE FROM parents WHERE name = 'c'");  // a gap: the highest id was 3, now 2
  Exec(db, "INSERT INTO children (parent_id, note) VALUES (1, 'x'), (2, NULL), (2, 'z')");
  // A child stored before its parent (a merge that made a new parent for old units).
  Exec(db, "INSERT INTO nodes (id, parent_id, label) VALUES (5, NULL, 'old root')");
  Exec(db, "INSERT INTO nodes (id, parent_id, label) VALUES (10, NULL, 'new province')");
  Exec(db, "UPDATE nodes SET parent_id = 10 WHERE id = 5");
  Exec(db, "INSERT INTO nodes (id, parent_id, label) VALUES (11, 5, 'commune')");
  // More than one page (1000 rows) on a two-column key.
  Exec(db,
       "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 2345) "
       "INSERT INTO pairs (a, b, v) SELECT 'k' || (x % 7), x, NULL FROM n");
  Exec(db, "UPDATE pairs SET v = :v WHERE b = 1000", {{"v", Bytes{std::string("\0\n\"", 3)}}});
  Exec(db, "INSERT INTO notes (body) VALUES ('same'), ('same'), (NULL)");
  Exec(db, "UPDATE heads SET seq = 42");  // the migration's own row, changed since
}

class BackupTest : public test::BackendTest {
 protected:
  std::span<const Migration> migrations() const override { return test::StorageTestMigrations(); }
  fs::path BackupPath() { return test::TempDir() / "tinhso.backup"; }
};

TEST_P(BackupTest, RoundTripsToBothBackends) {
  Fill(db());
  const fs::path path = BackupPath();
  std::int64_t reported_rows = -1;
  int progress_calls = 0;
  auto stats = Backup(db(), path.string(), [&](const Progress& p) {
    ++progress_calls;
    reported_rows = p.total_rows;
  });
  ASSERT_TRUE(stats.ok()) << stats.error().detail;
  EXPECT_EQ(stats->schema_version, test::kStorageTestVersion);
  EXPECT_EQ(stats->tables, 8);
  EXPECT_EQ(stats->rows, 3 + 2 + 2 + 3 + 3 + 2345 + 3 + 1);
  EXPECT_EQ(reported_rows, stats->rows);
  EXPECT_GT(progress_calls, 8);
  EXPECT_EQ(stats->bytes, static_cast<std::int64_t>(fs::file_size(path)));
  EXPECT_FALSE(fs::exists(path.string() + ".tmp"));

  for (Backend target_backend : {Backend::kSqlite, Backend::kPostgres}) {
    SCOPED_TRACE(test::BackendName(backend()) + " → " + test::BackendName(target_backend));
    auto target = Fresh(target_backend);
    auto restored = Restore(path.string(), *target, test::StorageTestMigrations());
    ASSERT_TRUE(restored.ok()) << restored.error().detail;
    EXPECT_EQ(restored->rows, stats->rows);
    EXPECT_EQ(restored->tables, stats->tables);
    for (const char* table : kTables) {
      EXPECT_EQ(Dump(*target, table), Dump(db(), table)) << table;
    }
    // Identity columns continue after the largest restored id.
    auto tx = target->Begin();
    ASSERT_TRUE(tx.ok());
    auto parent = (*tx)->Query("INSERT INTO parents (name) VALUES ('new') RETURNING id");
    ASSERT_TRUE(parent.ok()) << parent.error().detail;
    EXPECT_EQ((*parent)[0].Int(0), 3);
    auto node = (*tx)->Query("INSERT INTO nodes (label) VALUES ('new') RETURNING id");
    ASSERT_TRUE(node.ok()) << node.error().detail;
    EXPECT_EQ((*node)[0].Int(0), 12);
    auto kind = (*tx)->Query("INSERT INTO kinds (i) VALUES (1) RETURNING id");
    ASSERT_TRUE(kind.ok()) << kind.error().detail;
    EXPECT_EQ((*kind)[0].Int(0), 4);
    ASSERT_TRUE((*tx)->Commit().ok());
  }
}

TEST_P(BackupTest, RestoreIntoANonEmptyDatabaseIsRefused) {
  Fill(db());
  const fs::path path = BackupPath();
  ASSERT_TRUE(Backup(db(), path.string()).ok());
  auto target = Fresh(backend());
  Exec(*target, "INSERT INTO notes (body) VALUES ('already here')");
  auto restored = Restore(path.string(), *target, test::StorageTestMigrations());
  ASSERT_FALSE(restored.ok());
  EXPECT_EQ(restored.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_EQ(restored.error().reason, "backup.target_not_empty");
  EXPECT_THAT(restored.error().message_vi, ::testing::HasSubstr("notes"));
  EXPECT_THAT(restored.error().message_en, ::testing::HasSubstr("notes"));
  EXPECT_EQ(Dump(*target, "notes").size(), 1u);
  EXPECT_EQ(Dump(*target, "kinds").size(), 0u);
  // Restoring the same backup twice is the same mistake.
  auto again = Fresh(backend());
  ASSERT_TRUE(Restore(path.string(), *again, test::StorageTestMigrations()).ok());
  EXPECT_FALSE(Restore(path.string(), *again, test::StorageTestMigrations()).ok());
}

TEST_P(BackupTest, RestoreNeedsTheSameSchemaVersion) {
  const fs::path path = BackupPath();
  ASSERT_TRUE(Backup(db(), path.string()).ok());
  auto older = test::FreshDatabase(backend(), test::StorageTestMigrations().first(2));
  auto restored = Restore(path.string(), *older, test::StorageTestMigrations());
  ASSERT_FALSE(restored.ok());
  EXPECT_EQ(restored.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_EQ(restored.error().reason, "backup.schema_mismatch");
}

TEST_P(BackupTest, ACutShortBackupRestoresNothing) {
  Fill(db());
  const fs::path path = BackupPath();
  ASSERT_TRUE(Backup(db(), path.string()).ok());
  // Drop the end marker, as a copy interrupted at the last line would.
  std::ifstream in(path);
  std::stringstream content;
  content << in.rdbuf();
  std::string text = content.str();
  text.erase(text.rfind('\n', text.size() - 2) + 1);
  std::ofstream(path, std::ios::trunc) << text;

  auto target = Fresh(backend());
  auto restored = Restore(path.string(), *target, test::StorageTestMigrations());
  ASSERT_FALSE(restored.ok());
  EXPECT_EQ(restored.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(restored.error().reason, "backup.invalid");
  for (const char* table : {"kinds", "pairs", "nodes"}) {
    EXPECT_EQ(Dump(*target, table).size(), 0u) << table;
  }
  ASSERT_EQ(Dump(*target, "heads").size(), 1u);
  EXPECT_EQ(Dump(*target, "heads")[0][1], Value(std::int64_t{0})) << "the seed row is untouched";
}

TEST_P(BackupTest, RestoreRejectsWhatIsNotABackup) {
  const fs::path missing = test::TempDir() / "missing.backup";
  auto not_found = Restore(missing.string(), db(), test::StorageTestMigrations());
  ASSERT_FALSE(not_found.ok());
  EXPECT_EQ(not_found.error().code, ErrorCode::kNotFound);

  const fs::path junk = test::TempDir() / "junk.backup";
  std::ofstream(junk) << "SQLite format 3\n";
  auto invalid = Restore(junk.string(), db(), test::StorageTestMigrations());
  ASSERT_FALSE(invalid.ok());
  EXPECT_EQ(invalid.error().code, ErrorCode::kInvalidArgument);
}

// Whatever statement fails, a backup either completes or leaves the previous file as it was,
// with no temporary file behind.
TEST_P(BackupTest, AFailedBackupLeavesThePreviousFile) {
  Fill(db());
  const fs::path path = BackupPath();
  std::ofstream(path) << "previous backup\n";
  for (int n = 1;; ++n) {
    ASSERT_LT(n, 1000) << "the backup never succeeded";
    test::FaultyDatabase faulty(db());
    faulty.FailCall(n);
    auto stats = Backup(faulty, path.string());
    EXPECT_FALSE(fs::exists(path.string() + ".tmp")) << "call " << n;
    if (stats.ok()) {
      break;
    }
    std::ifstream in(path);
    std::string first_line;
    std::getline(in, first_line);
    ASSERT_EQ(first_line, "previous backup") << "call " << n << " failed";
  }
  auto target = Fresh(backend());
  ASSERT_TRUE(Restore(path.string(), *target, test::StorageTestMigrations()).ok());
}

TEST_P(BackupTest, BackupOfAMissingDirectoryFails) {
  auto stats = Backup(db(), (test::TempDir() / "no" / "such" / "dir.backup").string());
  ASSERT_FALSE(stats.ok());
  EXPECT_EQ(stats.error().code, ErrorCode::kUnavailable);
}

TINHSO_INSTANTIATE_BACKENDS(BackupTest);

// The product's own schema (migrations/*.sql), with its seeded rows, moves between backends.
class ProductBackupTest : public test::BackendTest {};

TEST_P(ProductBackupTest, FreshProductDatabaseRoundTrips) {
  const fs::path path = test::TempDir() / "product.backup";
  auto stats = Backup(db(), path.string());
  ASSERT_TRUE(stats.ok()) << stats.error().detail;
  for (Backend target_backend : {Backend::kSqlite, Backend::kPostgres}) {
    SCOPED_TRACE(test::BackendName(target_backend));
    auto target = test::FreshDatabase(target_backend);
    auto restored = Restore(path.string(), *target);
    ASSERT_TRUE(restored.ok()) << restored.error().detail;
    EXPECT_EQ(restored->rows, stats->rows);
  }
}

TINHSO_INSTANTIATE_BACKENDS(ProductBackupTest);

}  // namespace
}  // namespace tinhso::storage
