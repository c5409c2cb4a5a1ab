// GroupCommitter on both backends: concurrent work all commits, and one failing item fails only
// itself.
#include "storage/group_commit.hpp"

#include <gtest/gtest.h>

#include <any>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "support/database.hpp"
#include "test_schema.hpp"

namespace tinhso::storage {
namespace {

class GroupCommitTest : public test::BackendTest {
 protected:
  std::span<const Migration> migrations() const override { return test::StorageTestMigrations(); }

  std::int64_t Count(const std::string& where = "1 = 1") {
    auto tx = db().Begin(TxKind::kReadOnly);
    auto rows = (*tx)->Query("SELECT COUNT(*) FROM parents WHERE " + where);
    return rows.ok() ? (*rows)[0].Int(0) : -1;
  }
};

TEST_P(GroupCommitTest, ConcurrentWorkAllCommits) {
  GroupCommitter committer(db());
  constexpr int kThreads = 8;
  constexpr int kEach = 40;
  std::atomic<int> failures{0};
  std::atomic<int> runs{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        const std::string name = "p" + std::to_string(t) + "-" + std::to_string(i);
        auto r = committer.Run([&](Transaction& tx) -> Result<void> {
          ++runs;
          TINHSO_RETURN_IF_ERROR(
              tx.Execute("INSERT INTO parents (name) VALUES (:name)", {{"name", name}}));
          return Ok();
        });
        if (!r.ok()) ++failures;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(Count(), kThreads * kEach);
  EXPECT_EQ(runs.load(), kThreads * kEach);  // nothing failed, so nothing ran twice
}

TEST_P(GroupCommitTest, AFailingItemFailsOnlyItself) {
  GroupCommitter committer(db());
  ASSERT_TRUE(committer
                  .Run([](Transaction& tx) -> Result<void> {
                    TINHSO_RETURN_IF_ERROR(tx.Execute("INSERT INTO parents (name) VALUES ('x')"));
                    return Ok();
                  })
                  .ok());
  // Many threads at once, every fifth one inserting a duplicate name: the duplicates fail with
  // the driver's unique error, everyone else commits, whether or not they shared a batch.
  constexpr int kThreads = 20;
  std::vector<std::thread> threads;
  std::vector<Result<void>> results(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      const std::string name = t % 5 == 0 ? "x" : "n" + std::to_string(t);
      results[static_cast<std::size_t>(t)] = committer.Run([&](Transaction& tx) -> Result<void> {
        TINHSO_RETURN_IF_ERROR(
            tx.Execute("INSERT INTO parents (name) VALUES (:name)", {{"name", name}}));
        return Ok();
      });
    });
  }
  for (auto& th : threads) th.join();
  for (int t = 0; t < kThreads; ++t) {
    const auto& r = results[static_cast<std::size_t>(t)];
    if (t % 5 == 0) {
      ASSERT_FALSE(r.ok()) << t;
      EXPECT_EQ(r.error().code, ErrorCode::kAlreadyExists);
    } else {
      EXPECT_TRUE(r.ok()) << t << ": " << r.error().message_en;
    }
  }
  EXPECT_EQ(Count(), 1 + kThreads - kThreads / 5);
}

// On PostgreSQL a batch runs its statements one round trip at a time on one connection, so
// batches run side by side: a writer whose batch is waiting (here, for another writer) does not
// hold up writers arriving meanwhile. With one leader the second writer would never start and
// the first would wait for ever.
TEST_P(GroupCommitTest, PostgresRunsBatchesSideBySide) {
  if (backend() == Backend::kSqlite) GTEST_SKIP() << "SQLite serialises writers: one batch";
  GroupCommitter committer(db());
  std::mutex mu;
  std::condition_variable cv;
  bool first_running = false;
  bool second_ran = false;
  std::thread first([&] {
    auto r = committer.Run([&](Transaction& tx) -> Result<void> {
      TINHSO_RETURN_IF_ERROR(tx.Execute("INSERT INTO parents (name) VALUES ('first')"));
      std::unique_lock lock(mu);
      first_running = true;
      cv.notify_all();
      // Bounded only so that a regression fails instead of hanging the suite.
      if (!cv.wait_for(lock, std::chrono::minutes(2), [&] { return second_ran; })) {
        return MakeError(ErrorCode::kInternal, "test.serial", "", "the second batch never ran");
      }
      return Ok();
    });
    EXPECT_TRUE(r.ok()) << r.error().message_en;
  });
  {
    // The second writer arrives while the first batch is running.
    std::unique_lock lock(mu);
    cv.wait(lock, [&] { return first_running; });
  }
  auto r = committer.Run([&](Transaction& tx) -> Result<void> {
    TINHSO_RETURN_IF_ERROR(tx.Execute("INSERT INTO parents (name) VALUES ('second')"));
    std::lock_guard lock(mu);
    second_ran = true;
    cv.notify_all();
    return Ok();
  });
  EXPECT_TRUE(r.ok()) << r.error().message_en;
  first.join();
  EXPECT_EQ(Count(), 2);
}

// Finish runs once per transaction, after the work of every item in it (the audit log's head
// is locked there, for the commit only), with what each item left in the items' order: while
// one batch runs, two callers queue up and share the next, whose order must be work, work,
// then one finish that gets both.
TEST_P(GroupCommitTest, FinishRunsOnceAfterTheWorkOfTheWholeBatch) {
  std::mutex mu;
  std::condition_variable cv;
  bool release = false;
  std::vector<std::string> order;  // guarded by mu
  auto log = [&](std::string what) {
    std::lock_guard lock(mu);
    order.push_back(std::move(what));
  };
  GroupCommitter committer(
      db(),
      [&](Transaction&, std::span<std::any* const> left) -> Result<void> {
        std::string names;
        for (std::any* l : left) names += l == nullptr ? "-" : std::any_cast<std::string>(*l);
        log("finish " + names);
        return Ok();
      },
      128, /*max_leaders=*/1);
  auto item = [&](const std::string& name) {
    std::any left;
    return committer.Run(
        [&, name](Transaction& tx) -> Result<void> {
          log("work " + name);
          left = name;
          TINHSO_RETURN_IF_ERROR(
              tx.Execute("INSERT INTO parents (name) VALUES (:name)", {{"name", name}}));
          if (name == "a") {
            std::unique_lock lock(mu);
            cv.wait(lock, [&] { return release; });
          }
          return Ok();
        },
        &left);
  };
  std::thread a([&] { EXPECT_TRUE(item("a").ok()); });
  while (true) {  // a's batch is running
    std::lock_guard lock(mu);
    if (!order.empty()) break;
  }
  std::thread b([&] { EXPECT_TRUE(item("b").ok()); });
  std::thread c([&] { EXPECT_TRUE(item("c").ok()); });
  while (committer.waiting() != 2) std::this_thread::yield();
  {
    std::lock_guard lock(mu);
    release = true;
  }
  cv.notify_all();
  a.join();
  b.join();
  c.join();
  ASSERT_EQ(order.size(), 5u);
  EXPECT_EQ(order[0], "work a");
  EXPECT_EQ(order[1], "finish a");
  // b and c in either order, both works before the one finish, which has both in that order.
  ASSERT_EQ(order[2].substr(0, 5), "work ");
  ASSERT_EQ(order[3].substr(0, 5), "work ");
  EXPECT_EQ(order[4], "finish " + order[2].substr(5) + order[3].substr(5));
  EXPECT_EQ(Count(), 3);
}

// When the shared transaction fails, each item runs again alone, and Finish then gets only that
// item's part: nothing a failed neighbour left reaches another item's transaction.
TEST_P(GroupCommitTest, AfterAFailedBatchFinishGetsEachItemAlone) {
  std::mutex mu;
  std::vector<std::string> finished;  // guarded by mu
  GroupCommitter committer(
      db(),
      [&](Transaction&, std::span<std::any* const> left) -> Result<void> {
        std::string names;
        for (std::any* l : left) names += l == nullptr ? "-" : std::any_cast<std::string>(*l);
        std::lock_guard lock(mu);
        finished.push_back(names);
        return Ok();
      },
      128, /*max_leaders=*/1);
  std::atomic<bool> hold{true};
  std::atomic<int> started{0};
  auto item = [&](const std::string& name) {
    std::any left;
    return committer.Run(
        [&, name](Transaction& tx) -> Result<void> {
          left = name;
          ++started;
          if (name == "first") {
            while (hold) std::this_thread::yield();
          }
          TINHSO_RETURN_IF_ERROR(tx.Execute("INSERT INTO parents (name) VALUES (:name)",
                                            {{"name", name == "bad" ? std::string("dup") : name}}));
          return Ok();
        },
        &left);
  };
  ASSERT_TRUE(committer
                  .Run([](Transaction& tx) -> Result<void> {
                    TINHSO_RETURN_IF_ERROR(tx.Execute("INSERT INTO parents (name) VALUES ('dup')"));
                    return Ok();
                  })
                  .ok());
  finished.clear();
  std::thread first([&] { EXPECT_TRUE(item("first").ok()); });
  while (started == 0) std::this_thread::yield();
  Result<void> good = Ok(), bad = Ok();
  std::thread g([&] { good = item("good"); });
  std::thread b([&] { bad = item("bad"); });
  while (committer.waiting() != 2) std::this_thread::yield();
  hold = false;
  first.join();
  g.join();
  b.join();
  EXPECT_TRUE(good.ok());
  EXPECT_FALSE(bad.ok());
  std::lock_guard lock(mu);
  // "first" alone; then good and bad shared a transaction that failed (finish never ran in it,
  // or ran and was rolled back), then each alone: only "good"'s alone run reaches Finish.
  ASSERT_FALSE(finished.empty());
  EXPECT_EQ(finished.front(), "first");
  EXPECT_EQ(finished.back(), "good");
  for (const std::string& f : finished) EXPECT_EQ(f.find("bad"), std::string::npos) << f;
}

TINHSO_INSTANTIATE_BACKENDS(GroupCommitTest);

}  // namespace
}  // namespace tinhso::storage
