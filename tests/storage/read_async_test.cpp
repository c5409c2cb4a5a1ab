// Database::ReadAsync on both backends: the answers a Query() would give, one callback per
// statement, errors that stay with their statement, and on PostgreSQL a pipeline that survives
// losing its connection.
#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "storage/database.hpp"
#include "support/database.hpp"
#include "test_schema.hpp"

namespace tinhso::storage {
namespace {

class ReadAsyncTest : public test::BackendTest {
 protected:
  std::span<const Migration> migrations() const override { return test::StorageTestMigrations(); }

  void Exec(std::string_view sql, const Params& params = {}) {
    auto done = WithTransaction(db(), [&](Transaction& tx) { return tx.Execute(sql, params); });
    ASSERT_TRUE(done.ok()) << done.error().detail;
  }

  // Calls ReadAsync and waits for its answer (a test may block; a server's caller must not).
  Result<Rows> Read(std::string_view sql, Params params = {}) {
    std::mutex mu;
    std::condition_variable cv;
    std::optional<Result<Rows>> answer;
    db().ReadAsync(sql, std::move(params), [&](Result<Rows> rows) {
      std::lock_guard lock(mu);
      answer.emplace(std::move(rows));
      cv.notify_one();
    });
    std::unique_lock lock(mu);
    if (!cv.wait_for(lock, std::chrono::seconds(30), [&] { return answer.has_value(); })) {
      ADD_FAILURE() << "no answer in 30 s";
      return MakeError(ErrorCode::kInternal, "test.timeout", "", "");
    }
    return std::move(*answer);
  }
};

TEST_P(ReadAsyncTest, AnswersAsQueryDoes) {
  Exec("INSERT INTO kinds (i, r, t, b) VALUES (:i, :r, :t, :b)",
       {{"i", std::int64_t{-7}},
        {"r", 2.5},
        {"t", std::string("Phường Bến Nghé")},
        {"b", Bytes{std::string("\0\xff", 2)}}});
  Exec("INSERT INTO kinds (i, t) VALUES (8, 'hai')");
  auto rows = Read("SELECT i, r, t, b FROM kinds WHERE i < :limit ORDER BY i",
                   {{"limit", std::int64_t{100}}});
  ASSERT_TRUE(rows.ok()) << rows.error().detail;
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_EQ(rows->columns, (std::vector<std::string>{"i", "r", "t", "b"}));
  EXPECT_EQ((*rows)[0].Int(0), -7);
  EXPECT_DOUBLE_EQ((*rows)[0].Real(1), 2.5);
  EXPECT_EQ((*rows)[0].Text(2), "Phường Bến Nghé");
  EXPECT_EQ((*rows)[0].Blob(3), std::string("\0\xff", 2));
  EXPECT_EQ((*rows)[1].Int(0), 8);
  EXPECT_TRUE((*rows)[1].IsNull(1));
  EXPECT_TRUE((*rows)[1].IsNull(3));

  auto none = Read("SELECT i FROM kinds WHERE t = :t", {{"t", std::string("không có")}});
  ASSERT_TRUE(none.ok()) << none.error().detail;
  EXPECT_TRUE(none->empty());
}

TEST_P(ReadAsyncTest, SeesEachCommitAtOnce) {
  Exec("INSERT INTO counters (name, n) VALUES ('a', 1)");
  for (std::int64_t n = 1; n <= 5; ++n) {
    auto rows = Read("SELECT n FROM counters WHERE name = :name", {{"name", std::string("a")}});
    ASSERT_TRUE(rows.ok()) << rows.error().detail;
    EXPECT_EQ((*rows)[0].Int(0), n);
    Exec("UPDATE counters SET n = n + 1 WHERE name = 'a'");
  }
}

// Many callers at once: every statement is answered exactly once, with its own row.
TEST_P(ReadAsyncTest, ManyConcurrentReadsEachGetTheirOwnAnswer) {
  for (int i = 0; i < 50; ++i) {
    Exec("INSERT INTO kinds (i, t) VALUES (:i, :t)",
         {{"i", std::int64_t{i}}, {"t", "dòng " + std::to_string(i)}});
  }
  constexpr int kThreads = 4;
  constexpr int kPerThread = 500;
  std::mutex mu;
  std::condition_variable cv;
  int answered = 0;
  int wrong = 0;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int k = 0; k < kPerThread; ++k) {
        const std::int64_t want = (t * kPerThread + k) % 50;
        db().ReadAsync(
            "SELECT i, t FROM kinds WHERE i = :i", {{"i", want}}, [&, want](Result<Rows> rows) {
              const bool right = rows.ok() && rows->size() == 1 && (*rows)[0].Int(0) == want &&
                                 (*rows)[0].Text(1) == "dòng " + std::to_string(want);
              std::lock_guard lock(mu);
              ++answered;
              wrong += right ? 0 : 1;
              cv.notify_one();
            });
      }
    });
  }
  for (auto& t : threads) t.join();
  std::unique_lock lock(mu);
  ASSERT_TRUE(cv.wait_for(lock, std::chrono::seconds(60),
                          [&] { return answered == kThreads * kPerThread; }))
      << answered << " answered";
  EXPECT_EQ(wrong, 0);
}

// A failing statement reports its own error; statements around it are not disturbed.
TEST_P(ReadAsyncTest, ErrorsStayWithTheirStatement) {
  Exec("INSERT INTO counters (name, n) VALUES ('a', 1)");
  std::mutex mu;
  std::condition_variable cv;
  std::vector<std::optional<Result<Rows>>> answers(5);
  auto keep = [&](int slot) {
    return [&, slot](Result<Rows> rows) {
      std::lock_guard lock(mu);
      answers[slot].emplace(std::move(rows));
      cv.notify_one();
    };
  };
  db().ReadAsync("SELECT n FROM counters", {}, keep(0));
  db().ReadAsync("SELECT no_such_column FROM counters", {}, keep(1));
  db().ReadAsync("SELECT n FROM counters WHERE name = :name", {{"name", std::string("a")}},
                 keep(2));
  db().ReadAsync("SELEKT 1", {}, keep(3));
  db().ReadAsync("SELECT n FROM counters WHERE name = :name", {{"nam", std::string("a")}}, keep(4));
  std::unique_lock lock(mu);
  ASSERT_TRUE(cv.wait_for(lock, std::chrono::seconds(30), [&] {
    for (auto& a : answers) {
      if (!a) return false;
    }
    return true;
  }));
  ASSERT_TRUE(answers[0]->ok()) << answers[0]->error().detail;
  EXPECT_EQ((**answers[0])[0].Int(0), 1);
  ASSERT_FALSE(answers[1]->ok());
  EXPECT_NE(answers[1]->error().detail.find("no_such_column"), std::string::npos)
      << answers[1]->error().detail;
  ASSERT_TRUE(answers[2]->ok()) << answers[2]->error().detail;
  EXPECT_EQ((**answers[2])[0].Int(0), 1);
  EXPECT_FALSE(answers[3]->ok());
  ASSERT_FALSE(answers[4]->ok());
  EXPECT_NE(answers[4]->error().detail.find(":nam"), std::string::npos)
      << answers[4]->error().detail;

  // And the connections are still good for the next reads.
  auto rows = Read("SELECT n FROM counters");
  ASSERT_TRUE(rows.ok()) << rows.error().detail;
  EXPECT_EQ((*rows)[0].Int(0), 1);
}

// Statements travel in batches, and the server skips the rest of a batch after an error: the
// good statements around bad ones must still be answered, each bad one with its own error.
TEST_P(ReadAsyncTest, GoodStatementsSurviveBadNeighboursInABatch) {
  Exec("INSERT INTO counters (name, n) VALUES ('a', 7)");
  constexpr int kStatements = 300;
  std::mutex mu;
  std::condition_variable cv;
  int answered = 0;
  int wrong = 0;
  for (int i = 0; i < kStatements; ++i) {
    const bool bad = i % 10 == 3;
    const std::string sql = bad ? "SELECT no_such_column FROM counters"
                                : "SELECT n + " + std::to_string(i % 5) + " FROM counters";
    db().ReadAsync(sql, {}, [&, bad, i](Result<Rows> rows) {
      const bool right =
          bad ? !rows.ok() && rows.error().detail.find("no_such_column") != std::string::npos
              : rows.ok() && rows->size() == 1 && (*rows)[0].Int(0) == 7 + i % 5;
      std::lock_guard lock(mu);
      ++answered;
      wrong += right ? 0 : 1;
      cv.notify_one();
    });
  }
  std::unique_lock lock(mu);
  ASSERT_TRUE(cv.wait_for(lock, std::chrono::seconds(30), [&] { return answered == kStatements; }));
  EXPECT_EQ(wrong, 0);
}

// Batches overlap on the wire while the server is busy (here with a slow first statement): a
// statement prepared in a batch that a bad neighbour aborted is then named, unprepared, by later
// batches already sent. Each must still get its own answer. Before the fix, good statements
// failed with "prepared statement does not exist" or were dropped after a second skip; the
// suite saw 177 of 300 wrong on a loaded machine.
TEST_P(ReadAsyncTest, GoodStatementsSurviveOverlappingBatchesWithBadNeighbours) {
  if (backend() != Backend::kPostgres) GTEST_SKIP() << "PostgreSQL pipelines only";
  Exec("INSERT INTO counters (name, n) VALUES ('a', 7)");
  std::mutex mu;
  std::condition_variable cv;
  int answered = 0;
  int asked = 0;
  std::vector<std::string> wrong;
  const auto ask = [&](const std::string& sql, std::int64_t expect) {
    ++asked;
    db().ReadAsync(sql, {}, [&, sql, expect](Result<Rows> rows) {
      const bool right =
          expect < 0 ? !rows.ok() && rows.error().detail.find("no_such_column") != std::string::npos
                     : rows.ok() && rows->size() == 1 && (*rows)[0].Int(0) == expect;
      std::lock_guard lock(mu);
      ++answered;
      if (!right) wrong.push_back(sql + " → " + (rows.ok() ? "rows" : rows.error().detail));
      cv.notify_one();
    });
  };
  for (int round = 0; round < 5; ++round) {
    ask("SELECT n FROM counters, (SELECT pg_sleep(0.03)) s", 7);
    for (int i = 0; i < 60; ++i) {
      const std::string tag = std::to_string(round * 100 + i);
      ask("SELECT no_such_column, " + tag + " FROM counters", -1);
      // Each good statement is new (so it is prepared), and asked again at once.
      ask("SELECT n + " + tag + " FROM counters", 7 + round * 100 + i);
      ask("SELECT n + " + tag + " FROM counters", 7 + round * 100 + i);
    }
  }
  std::unique_lock lock(mu);
  ASSERT_TRUE(cv.wait_for(lock, std::chrono::seconds(60), [&] { return answered == asked; }));
  EXPECT_TRUE(wrong.empty()) << wrong.size() << " of " << asked << " wrong, e.g. " << wrong[0];
}

TEST_P(ReadAsyncTest, CannotWrite) {
  auto wrote = Read("INSERT INTO counters (name, n) VALUES ('w', 1) RETURNING n");
  EXPECT_FALSE(wrote.ok());
  auto rows = Read("SELECT COUNT(*) FROM counters");
  ASSERT_TRUE(rows.ok()) << rows.error().detail;
  EXPECT_EQ((*rows)[0].Int(0), 0);
}

// The server ends the pipeline's connection while a statement waits on it: that statement
// fails as unavailable, and the next one gets a new connection.
TEST_P(ReadAsyncTest, LosingTheConnectionFailsWhatWaitsAndRecovers) {
  if (backend() != Backend::kPostgres) GTEST_SKIP() << "PostgreSQL pipelines only";
  // Warm both lanes, so that the statement below waits on an established connection.
  for (int i = 0; i < 4; ++i) ASSERT_TRUE(Read("SELECT 1").ok());

  std::mutex mu;
  std::condition_variable cv;
  std::optional<Result<Rows>> answer;
  db().ReadAsync("SELECT pg_sleep(30) /* tinhso-read-async-test */", {}, [&](Result<Rows> rows) {
    std::lock_guard lock(mu);
    answer.emplace(std::move(rows));
    cv.notify_one();
  });
  // Find the statement on the server (it arrives within milliseconds) and end its session.
  int terminated = 0;
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (terminated == 0 && std::chrono::steady_clock::now() < give_up) {
    auto tx = db().Begin(TxKind::kSingleRead);
    ASSERT_TRUE(tx.ok());
    auto rows = (*tx)->Query(
        "SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity "
        "WHERE query LIKE '%tinhso-read-async-test%' AND pid <> pg_backend_pid() "
        "AND state = 'active'");
    ASSERT_TRUE(rows.ok()) << rows.error().detail;
    terminated = static_cast<int>((*rows)[0].Int(0));
  }
  ASSERT_EQ(terminated, 1);
  {
    std::unique_lock lock(mu);
    ASSERT_TRUE(cv.wait_for(lock, std::chrono::seconds(20), [&] { return answer.has_value(); }));
    ASSERT_FALSE(answer->ok());
    EXPECT_EQ(answer->error().code, ErrorCode::kUnavailable) << answer->error().detail;
  }
  for (int i = 0; i < 4; ++i) {
    auto rows = Read("SELECT 40 + 2");
    ASSERT_TRUE(rows.ok()) << rows.error().detail;
    EXPECT_EQ((*rows)[0].Int(0), 42);
  }
}

TINHSO_INSTANTIATE_BACKENDS(ReadAsyncTest);

}  // namespace
}  // namespace tinhso::storage
