// The storage contract, checked on both backends: whatever passes here may be relied on by
// every module, on SQLite and on PostgreSQL alike.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <barrier>
#include <cmath>
#include <limits>
#include <string>
#include <thread>
#include <vector>

#include "storage/database.hpp"
#include "support/database.hpp"
#include "support/faulty_database.hpp"
#include "test_schema.hpp"

namespace tinhso::storage {
namespace {

using ::testing::HasSubstr;

class Conformance : public test::BackendTest {
 protected:
  std::span<const Migration> migrations() const override { return test::StorageTestMigrations(); }

  std::unique_ptr<Transaction> Begin(TxKind kind = TxKind::kReadWrite) {
    auto tx = db().Begin(kind);
    EXPECT_TRUE(tx.ok()) << tx.error().detail;
    return tx.ok() ? std::move(tx).value() : nullptr;
  }

  // Runs one statement in its own committed transaction.
  void Exec(std::string_view sql, const Params& params = {}) {
    auto done = WithTransaction(db(), [&](Transaction& tx) { return tx.Execute(sql, params); });
    ASSERT_TRUE(done.ok()) << done.error().detail;
  }

  std::int64_t Count(std::string_view table) {
    auto tx = Begin(TxKind::kReadOnly);
    auto rows = tx->Query("SELECT COUNT(*) FROM " + std::string(table));
    EXPECT_TRUE(rows.ok()) << rows.error().detail;
    return rows.ok() ? (*rows)[0].Int(0) : -1;
  }
};

std::string AllBytes() {
  std::string bytes;
  for (int i = 0; i < 256; ++i) {
    bytes.push_back(static_cast<char>(i));
  }
  return bytes;
}

TEST_P(Conformance, RoundTripsEveryValueType) {
  struct Case {
    std::int64_t i;
    double r;
    std::string t;
    std::string b;
  };
  const Case kCases[] = {
      {0, 0.0, "", ""},  // empty text and empty bytes are values, not NULL
      {std::numeric_limits<std::int64_t>::max(), 0.1, "Nguyễn Thị Minh Khai — Hà Nội 🇻🇳",
       std::string("\0\x01\xff\0", 4)},
      {std::numeric_limits<std::int64_t>::min(), -1e308, "Phường Bến Nghé, TP. Hồ Chí Minh",
       AllBytes()},
      {-1, 1.0 / 3.0, "quote ' and \" and \\ and :colon", "\\x41"},
      {42, std::numeric_limits<double>::infinity(), "tab\tnewline\n", "x"},
  };
  {
    auto tx = Begin();
    for (const Case& c : kCases) {
      auto n = tx->Execute("INSERT INTO kinds (i, r, t, b) VALUES (:i, :r, :t, :b)",
                           {{"i", c.i}, {"r", c.r}, {"t", c.t}, {"b", Bytes{c.b}}});
      ASSERT_TRUE(n.ok()) << n.error().detail;
      EXPECT_EQ(*n, 1);
    }
    ASSERT_TRUE(tx->Commit().ok());
  }
  auto tx = Begin(TxKind::kReadOnly);
  auto rows = tx->Query("SELECT i, r, t, b, id FROM kinds ORDER BY id");
  ASSERT_TRUE(rows.ok()) << rows.error().detail;
  ASSERT_EQ(rows->size(), std::size(kCases));
  EXPECT_THAT(rows->columns, ::testing::ElementsAre("i", "r", "t", "b", "id"));
  for (std::size_t k = 0; k < std::size(kCases); ++k) {
    const Row& row = (*rows)[k];
    const Case& c = kCases[k];
    EXPECT_EQ(row.at(0), Value(c.i)) << k;
    EXPECT_EQ(row.at(1), Value(c.r)) << k;
    EXPECT_EQ(row.at(2), Value(c.t)) << k;
    EXPECT_EQ(row.at(3), Value(Bytes{c.b})) << k;
    EXPECT_TRUE(std::holds_alternative<std::int64_t>(row.at(4))) << "identity ids are integers";
    EXPECT_EQ(row.Int(0), c.i);
    EXPECT_EQ(row.Text(2), c.t);
    EXPECT_EQ(row.Blob(3), c.b);
  }
}

TEST_P(Conformance, SingleReadSeesCommittedDataAndLeavesTheConnectionClean) {
  Exec("INSERT INTO counters (name, n) VALUES ('a', 1)");
  // Many in a row reuse pooled connections: each must come back without an open transaction.
  for (int i = 0; i < 20; ++i) {
    auto tx = Begin(TxKind::kSingleRead);
    auto rows = tx->Query("SELECT n FROM counters WHERE name = :name", {{"name", "a"}});
    ASSERT_TRUE(rows.ok()) << rows.error().detail;
    ASSERT_EQ(rows->size(), 1u);
    EXPECT_EQ((*rows)[0].Int(0), 1);
    EXPECT_TRUE(tx->Commit().ok());
  }
  {
    // A failing statement does not poison the pooled connection for the next user.
    auto tx = Begin(TxKind::kSingleRead);
    EXPECT_FALSE(tx->Query("SELECT no_such_column FROM counters").ok());
  }
  Exec("UPDATE counters SET n = 2 WHERE name = 'a'");
  auto tx = Begin(TxKind::kSingleRead);
  auto rows = tx->Query("SELECT n FROM counters WHERE name = 'a'");
  ASSERT_TRUE(rows.ok()) << rows.error().detail;
  EXPECT_EQ((*rows)[0].Int(0), 2);
}

TEST_P(Conformance, NullsRoundTrip) {
  Exec("INSERT INTO kinds (i, r, t, b) VALUES (:i, :r, :t, :b)",
       {{"i", nullptr}, {"r", nullptr}, {"t", nullptr}, {"b", nullptr}});
  auto tx = Begin(TxKind::kReadOnly);
  auto rows = tx->Query("SELECT i, r, t, b FROM kinds");
  ASSERT_TRUE(rows.ok()) << rows.error().detail;
  ASSERT_EQ(rows->size(), 1u);
  const Row& row = (*rows)[0];
  for (std::size_t i = 0; i < 4; ++i) {
    EXPECT_TRUE(row.IsNull(i)) << i;
  }
  EXPECT_EQ(row.OptionalInt(0), std::nullopt);
  EXPECT_EQ(row.OptionalText(2), std::nullopt);
  EXPECT_EQ(row.Text(2), "");
  auto none = tx->Query("SELECT id FROM kinds WHERE t IS NULL AND b IS NULL");
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none->size(), 1u);
}

TEST_P(Conformance, NamedParameterUsedTwice) {
  for (std::int64_t i = 1; i <= 5; ++i) {
    Exec("INSERT INTO kinds (i, t) VALUES (:i, :t)", {{"i", i}, {"t", "row"}});
  }
  auto tx = Begin(TxKind::kReadOnly);
  // :low appears twice and is bound once; a leading ':' in the Param name is accepted too.
  auto rows =
      tx->Query("SELECT i FROM kinds WHERE i BETWEEN :low AND :high AND i <> :low ORDER BY i",
                {{":low", std::int64_t{2}}, {"high", std::int64_t{4}}});
  ASSERT_TRUE(rows.ok()) << rows.error().detail;
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_EQ((*rows)[0].Int(0), 3);
  EXPECT_EQ((*rows)[1].Int(0), 4);
}

TEST_P(Conformance, CastsAndQuotedColonsAreNotParameters) {
  auto tx = Begin(TxKind::kReadOnly);
  auto rows = tx->Query("SELECT CAST(:n AS TEXT), ':not_a_param', 'it''s :x' WHERE 1 = 1",
                        {{"n", std::int64_t{7}}});
  ASSERT_TRUE(rows.ok()) << rows.error().detail;
  EXPECT_EQ((*rows)[0].Text(0), "7");
  EXPECT_EQ((*rows)[0].Text(1), ":not_a_param");
  EXPECT_EQ((*rows)[0].Text(2), "it's :x");
}

TEST_P(Conformance, ParameterMistakesAreReported) {
  {
    auto tx = Begin();
    auto missing = tx->Query("SELECT id FROM kinds WHERE i = :i");
    ASSERT_FALSE(missing.ok());
    EXPECT_EQ(missing.error().code, ErrorCode::kInternal);
    EXPECT_THAT(missing.error().detail, HasSubstr("i"));
  }
  {
    auto tx = Begin();
    auto unknown = tx->Query("SELECT id FROM kinds", {{"nope", std::int64_t{1}}});
    ASSERT_FALSE(unknown.ok());
    EXPECT_EQ(unknown.error().code, ErrorCode::kInternal);
    EXPECT_THAT(unknown.error().detail, HasSubstr("nope"));
  }
  {
    auto tx = Begin();
    // Two statements in one call: SQLite would run only the first, PostgreSQL refuses.
    auto two = tx->Execute("DELETE FROM kinds; DELETE FROM counters");
    EXPECT_FALSE(two.ok());
  }
}

TEST_P(Conformance, UniqueViolationIsAlreadyExists) {
  Exec("INSERT INTO parents (name) VALUES (:name)", {{"name", "Sở Tư pháp"}});
  auto tx = Begin();
  auto again = tx->Execute("INSERT INTO parents (name) VALUES (:name)", {{"name", "Sở Tư pháp"}});
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, ErrorCode::kAlreadyExists);
  EXPECT_EQ(again.error().reason, "storage.unique");
  EXPECT_FALSE(again.error().message_vi.empty());
  EXPECT_FALSE(again.error().message_en.empty());
  EXPECT_FALSE(again.error().detail.empty());
  // The transaction is dead after a failed statement, on both backends alike.
  auto after = tx->Query("SELECT 1");
  ASSERT_FALSE(after.ok());
  EXPECT_EQ(after.error().reason, "storage.aborted");
  auto commit = tx->Commit();
  ASSERT_FALSE(commit.ok());
  EXPECT_EQ(commit.error().reason, "storage.unique");
}

TEST_P(Conformance, ForeignKeyViolationIsFailedPrecondition) {
  {
    auto tx = Begin();
    auto orphan = tx->Execute("INSERT INTO children (parent_id, note) VALUES (:p, 'x')",
                              {{"p", std::int64_t{999}}});
    ASSERT_FALSE(orphan.ok());
    EXPECT_EQ(orphan.error().code, ErrorCode::kFailedPrecondition);
    EXPECT_EQ(orphan.error().reason, "storage.foreign_key");
  }
  Exec("INSERT INTO parents (id, name) VALUES (1, 'p')");
  Exec("INSERT INTO children (parent_id) VALUES (1)");
  auto tx = Begin();
  auto referenced = tx->Execute("DELETE FROM parents WHERE id = 1");
  ASSERT_FALSE(referenced.ok());
  EXPECT_EQ(referenced.error().code, ErrorCode::kFailedPrecondition);
}

TEST_P(Conformance, NotNullViolationIsInvalidArgument) {
  auto tx = Begin();
  auto missing = tx->Execute("INSERT INTO parents (name) VALUES (NULL)");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(missing.error().reason, "storage.constraint");
}

TEST_P(Conformance, RollsBackWithoutCommit) {
  {
    auto tx = Begin();
    ASSERT_TRUE(tx->Execute("INSERT INTO parents (name) VALUES ('gone')").ok());
  }
  EXPECT_EQ(Count("parents"), 0);
  // The connection went back to the pool in a usable state.
  Exec("INSERT INTO parents (name) VALUES ('kept')");
  EXPECT_EQ(Count("parents"), 1);
}

TEST_P(Conformance, ExecuteCountsChangedRows) {
  for (int i = 0; i < 3; ++i) {
    Exec("INSERT INTO kinds (i) VALUES (:i)", {{"i", std::int64_t{i}}});
  }
  auto tx = Begin();
  auto updated =
      tx->Execute("UPDATE kinds SET t = 'x' WHERE i >= :min", {{"min", std::int64_t{1}}});
  ASSERT_TRUE(updated.ok());
  EXPECT_EQ(*updated, 2);
  auto none = tx->Execute("UPDATE kinds SET t = 'y' WHERE i > 100");
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(*none, 0);
  auto ddl = tx->Execute("CREATE TABLE scratch (x INTEGER)");
  ASSERT_TRUE(ddl.ok()) << ddl.error().detail;
  EXPECT_EQ(*ddl, 0);
  ASSERT_TRUE(tx->Commit().ok());
}

TEST_P(Conformance, InsertReturning) {
  auto tx = Begin();
  auto rows = tx->Query("INSERT INTO parents (name) VALUES (:n) RETURNING id", {{"n", "a"}});
  ASSERT_TRUE(rows.ok()) << rows.error().detail;
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0].Int(0), 1);
  ASSERT_TRUE(tx->Commit().ok());
}

TEST_P(Conformance, UseAfterCommitIsAnError) {
  auto tx = Begin();
  ASSERT_TRUE(tx->Commit().ok());
  EXPECT_FALSE(tx->Query("SELECT 1").ok());
  EXPECT_FALSE(tx->Commit().ok());
}

TEST_P(Conformance, ReadOnlySnapshotIgnoresLaterCommits) {
  Exec("INSERT INTO parents (name) VALUES ('before')");
  auto snapshot = Begin(TxKind::kReadOnly);
  // Committed after the snapshot began but before it first reads: still invisible to it.
  Exec("INSERT INTO parents (name) VALUES ('after')");
  auto rows = snapshot->Query("SELECT name FROM parents ORDER BY id");
  ASSERT_TRUE(rows.ok()) << rows.error().detail;
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0].Text(0), "before");
  snapshot.reset();
  EXPECT_EQ(Count("parents"), 2);
}

TEST_P(Conformance, ReadOnlyTransactionCannotWrite) {
  auto tx = Begin(TxKind::kReadOnly);
  EXPECT_FALSE(tx->Execute("INSERT INTO parents (name) VALUES ('x')").ok());
  tx.reset();
  EXPECT_EQ(Count("parents"), 0);
}

TEST_P(Conformance, ConcurrentWritersAllLand) {
  Exec("INSERT INTO counters (name, n) VALUES ('c', 0)");
  constexpr int kThreads = 4;
  constexpr int kIncrements = 25;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kIncrements; ++i) {
        auto done = WithTransaction(db(), [](Transaction& tx) {
          return tx.Execute("UPDATE counters SET n = n + 1 WHERE name = 'c'");
        });
        if (!done.ok()) {
          ++failures;
        }
      }
    });
  }
  for (auto& t : threads) {
    t.join();
  }
  EXPECT_EQ(failures.load(), 0);
  auto tx = Begin(TxKind::kReadOnly);
  auto rows = tx->Query("SELECT n FROM counters WHERE name = 'c'");
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ((*rows)[0].Int(0), kThreads * kIncrements);
}

TEST_P(Conformance, ReadersDoNotWaitForAWriter) {
  Exec("INSERT INTO parents (name) VALUES ('a')");
  auto writer = Begin();
  ASSERT_TRUE(writer->Execute("INSERT INTO parents (name) VALUES ('b')").ok());
  // While the write transaction is open, other threads can still read the committed state.
  std::int64_t seen = -1;
  std::thread reader([&] { seen = Count("parents"); });
  reader.join();
  EXPECT_EQ(seen, 1);
  ASSERT_TRUE(writer->Commit().ok());
}

TEST_P(Conformance, WithTransactionRetriesDriverRaces) {
  int attempts = 0;
  auto done = WithTransaction(db(), [&](Transaction& tx) -> Result<std::int64_t> {
    ++attempts;
    TINHSO_RETURN_IF_ERROR(tx.Execute("INSERT INTO parents (name) VALUES (:n)",
                                      {{"n", "attempt " + std::to_string(attempts)}}));
    if (attempts == 1) {
      return MakeError(ErrorCode::kConflict, "storage.conflict", "vi", "en", "injected");
    }
    return std::int64_t{attempts};
  });
  ASSERT_TRUE(done.ok()) << done.error().detail;
  EXPECT_EQ(attempts, 2);
  // The first attempt's insert was rolled back with its transaction.
  auto tx = Begin(TxKind::kReadOnly);
  auto rows = tx->Query("SELECT name FROM parents");
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0].Text(0), "attempt 2");
}

TEST_P(Conformance, WithTransactionDoesNotRetryApplicationErrors) {
  int attempts = 0;
  auto done = WithTransaction(db(), [&](Transaction&) -> Result<void> {
    ++attempts;
    return MakeError(ErrorCode::kConflict, "dossier.stale_version", "vi", "en");
  });
  ASSERT_FALSE(done.ok());
  EXPECT_EQ(done.error().reason, "dossier.stale_version");
  EXPECT_EQ(attempts, 1);
}

TEST_P(Conformance, WithTransactionGivesUpAfterFiveAttempts) {
  test::FaultyDatabase faulty(db());
  int attempts = 0;
  auto done = WithTransaction(faulty, [&](Transaction& tx) -> Result<void> {
    ++attempts;
    faulty.FailCall(1);  // the next call, the Execute below, fails as a busy database
    TINHSO_RETURN_IF_ERROR(tx.Execute("INSERT INTO parents (name) VALUES ('x')"));
    return Ok();
  });
  ASSERT_FALSE(done.ok());
  EXPECT_EQ(done.error().reason, "storage.busy");
  EXPECT_EQ(attempts, 5);
  EXPECT_EQ(Count("parents"), 0);
}

// Two transactions that lock rows in opposite orders: PostgreSQL breaks the deadlock by
// failing one of them (40P01), which must come back as kConflict so that WithTransaction
// retries it. SQLite has a single writer, so it cannot deadlock.
TEST_P(Conformance, DeadlockIsConflictAndRetried) {
  if (backend() == Backend::kSqlite) {
    GTEST_SKIP() << "SQLite serialises writers";
  }
  Exec("INSERT INTO counters (name, n) VALUES ('a', 0), ('b', 0)");
  std::barrier both_locked(2);
  std::atomic<int> conflicts{0};
  auto worker = [&](const char* first, const char* second) {
    bool first_attempt = true;
    auto done = WithTransaction(db(), [&](Transaction& tx) -> Result<void> {
      const Params lock_first = {{"name", first}};
      const Params lock_second = {{"name", second}};
      TINHSO_RETURN_IF_ERROR(
          tx.Execute("UPDATE counters SET n = n + 1 WHERE name = :name", lock_first));
      if (std::exchange(first_attempt, false)) {
        both_locked.arrive_and_wait();  // each now holds one row and wants the other's
      }
      auto r = tx.Execute("UPDATE counters SET n = n + 1 WHERE name = :name", lock_second);
      if (!r.ok() && r.error().code == ErrorCode::kConflict) {
        ++conflicts;
      }
      TINHSO_RETURN_IF_ERROR(r);
      return Ok();
    });
    EXPECT_TRUE(done.ok()) << done.error().detail;
  };
  std::thread t1(worker, "a", "b");
  std::thread t2(worker, "b", "a");
  t1.join();
  t2.join();
  // At least one: a victim's retry can take its first row again before the winner wakes up,
  // and deadlock once more.
  EXPECT_GE(conflicts.load(), 1);
  auto tx = Begin(TxKind::kReadOnly);
  auto rows = tx->Query("SELECT SUM(n) FROM counters");
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ((*rows)[0].Int(0), 4) << "both transactions committed exactly once";
}

TEST_P(Conformance, ManyDistinctStatementsOutgrowTheCaches) {
  auto tx = Begin(TxKind::kReadOnly);
  for (int i = 0; i < 600; ++i) {
    auto rows = tx->Query("SELECT " + std::to_string(i) + " + :x", {{"x", std::int64_t{1}}});
    ASSERT_TRUE(rows.ok()) << rows.error().detail;
    ASSERT_EQ((*rows)[0].Int(0), i + 1);
  }
}

std::atomic<int> g_observed{0};
std::atomic<bool> g_observed_backend_ok{true};

TEST_P(Conformance, QueryObserverSeesEveryStatement) {
  auto tx = Begin();
  static Backend expected;
  expected = backend();
  g_observed = 0;
  SetQueryObserver([](std::string_view name, double seconds) {
    ++g_observed;
    const bool ok =
        seconds >= 0 && name == (expected == Backend::kSqlite ? "sqlite" : "postgresql");
    if (!ok) {
      g_observed_backend_ok = false;
    }
  });
  ASSERT_TRUE(tx->Query("SELECT 1").ok());
  ASSERT_TRUE(tx->Execute("DELETE FROM notes").ok());
  SetQueryObserver(nullptr);
  ASSERT_TRUE(tx->Query("SELECT 2").ok());
  EXPECT_EQ(g_observed.load(), 2);
  EXPECT_TRUE(g_observed_backend_ok.load());
}

TINHSO_INSTANTIATE_BACKENDS(Conformance);

// --- backend-specific behaviour ---------------------------------------------------------------

TEST(Open, UnknownSchemeIsInvalidArgument) {
  auto db = Open("mysql://root:secret@localhost/tinhso");
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.error().code, ErrorCode::kInvalidArgument);
  EXPECT_FALSE(db.error().message_vi.empty());
  EXPECT_FALSE(db.error().message_en.empty());
  EXPECT_THAT(db.error().detail, ::testing::Not(HasSubstr("secret")));
  EXPECT_FALSE(Open("").ok());
  EXPECT_FALSE(Open("sqlite:").ok());
}

TEST(Open, SqliteCreatesTheParentDirectory) {
  const auto dir = test::TempDir() / "nested" / "deeper";
  auto db = Open("sqlite:" + (dir / "tinhso.db").string());
  ASSERT_TRUE(db.ok()) << db.error().detail;
  EXPECT_TRUE(std::filesystem::exists(dir / "tinhso.db"));
  EXPECT_EQ((*db)->backend(), Backend::kSqlite);
  EXPECT_EQ((*db)->DisplayUrl(), "sqlite:" + (dir / "tinhso.db").string());
}

TEST(Open, SqliteMemoryKeepsDataAcrossTransactions) {
  auto db = Open("sqlite::memory:");
  ASSERT_TRUE(db.ok()) << db.error().detail;
  auto migrated = Migrate(**db, test::StorageTestMigrations());
  ASSERT_TRUE(migrated.ok()) << migrated.error().detail;
  EXPECT_EQ(*migrated, test::kStorageTestVersion);
  auto inserted = WithTransaction(**db, [](Transaction& tx) {
    return tx.Execute("INSERT INTO parents (name) VALUES ('in memory')");
  });
  ASSERT_TRUE(inserted.ok());
  auto tx = (*db)->Begin(TxKind::kReadOnly);
  ASSERT_TRUE(tx.ok());
  auto rows = (*tx)->Query("SELECT name FROM parents");
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0].Text(0), "in memory");
  EXPECT_FALSE((*tx)->Execute("DELETE FROM parents").ok()) << "kReadOnly stays read-only";
  tx->reset();
  // …and the shared connection is writable again afterwards.
  EXPECT_TRUE(
      WithTransaction(**db, [](Transaction& t) { return t.Execute("DELETE FROM parents"); }).ok());
}

TEST(Open, PostgresBadPoolSizeIsInvalidArgument) {
  auto db = Open("postgresql://u@127.0.0.1:1/x?pool_size=zero");
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.error().code, ErrorCode::kInvalidArgument);
}

TEST(Open, PostgresUnreachableIsUnavailable) {
  auto db = Open("postgresql://u@127.0.0.1:1/x?connect_timeout=2");  // port 1: refused
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(db.error().reason, "storage.connection");
}

TEST(Open, PostgresDisplayUrlHidesThePassword) {
  std::string url = test::PostgresUrl();
  const auto at = url.find('@');
  ASSERT_NE(at, std::string::npos);
  url.insert(at, ":s3cret");  // trust authentication ignores it
  auto db = Open(url + "?pool_size=1&password=other");
  ASSERT_TRUE(db.ok()) << db.error().detail;
  EXPECT_EQ((*db)->backend(), Backend::kPostgres);
  EXPECT_THAT((*db)->DisplayUrl(), ::testing::Not(HasSubstr("s3cret")));
  EXPECT_THAT((*db)->DisplayUrl(), ::testing::Not(HasSubstr("other")));
  EXPECT_THAT((*db)->DisplayUrl(), HasSubstr("127.0.0.1"));
}

TEST(Open, PostgresReplacesABrokenConnection) {
  auto db = Open(test::PostgresUrl() + "?pool_size=1");
  ASSERT_TRUE(db.ok()) << db.error().detail;
  std::int64_t pid = 0;
  {
    auto tx = (*db)->Begin(TxKind::kReadOnly);
    ASSERT_TRUE(tx.ok());
    auto rows = (*tx)->Query("SELECT pg_backend_pid()");
    ASSERT_TRUE(rows.ok());
    pid = (*rows)[0].Int(0);
  }
  auto admin = Open(test::PostgresUrl() + "?pool_size=1");
  ASSERT_TRUE(admin.ok());
  auto killed = WithTransaction(**admin, [&](Transaction& tx) {
    // The timeout makes it wait until the backend is really gone.
    return tx.Query("SELECT pg_terminate_backend(:pid, 5000)", {{"pid", pid}});
  });
  ASSERT_TRUE(killed.ok()) << killed.error().detail;
  // The pool's only connection is dead; Begin notices, drops it and connects anew.
  auto tx = (*db)->Begin(TxKind::kReadOnly);
  ASSERT_TRUE(tx.ok()) << tx.error().detail;
  auto rows = (*tx)->Query("SELECT pg_backend_pid()");
  ASSERT_TRUE(rows.ok()) << rows.error().detail;
  EXPECT_NE((*rows)[0].Int(0), pid);
}

}  // namespace
}  // namespace tinhso::storage
