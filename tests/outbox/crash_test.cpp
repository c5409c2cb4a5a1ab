// SIGKILL of a delivery worker at many points, on SQLite and PostgreSQL, delivering over HTTP to
// a receiver that applies each message's effect once per Idempotency-Key: after restarts every
// accepted message has had its effect exactly once, none is lost, and no message arrived twice
// except where it must: the receiver applied it and the worker died before its commit said so.
// That copy carries the same key, which is what the receiver dedupes on.
//
// The points: a message claimed and not yet sent (the worker stops itself before the send); the
// request at the receiver before its effect (the receiver holds it); after the effect and before
// the answer (the receiver holds it); after the worker's commit (the worker stops itself).
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <map>
#include <set>

#include "auth/policy.hpp"
#include "outbox/outbox.hpp"
#include "receiver.hpp"
#include "support/database.hpp"
#include "support/shell.hpp"
#include "support/temp_dir.hpp"

namespace tinhso::outbox::test {
namespace {

namespace fs = std::filesystem;

constexpr int kMessages = 40;
constexpr long long kLater = 301;  // past the killed worker's lease (300 s)

class OutboxCrashTest : public ::testing::TestWithParam<storage::Backend> {
 protected:
  void SetUp() override {
    shared_ = std::make_unique<tinhso::test::SharedDatabase>(GetParam(), dir_);
    auto db = storage::Open(shared_->url());
    ASSERT_TRUE(db.ok());
    db_ = std::move(*db);
    ASSERT_TRUE(storage::Migrate(*db_).ok());
    // Three dossiers whose updates must arrive in order, and messages in no order.
    Outbox box(*db_, clock_, policy_);
    for (int i = 0; i < kMessages; ++i) {
      NewMessage m;
      m.destination = "dvcqg.dossier";
      m.ordering_key = i < 30 ? "hoso-" + std::to_string(i % 3) : "";
      m.idempotency_key = "dongbo-" + std::to_string(i);
      m.path = "/receive";
      m.headers = {{"Content-Type", "application/json"}, {"X-Ordering", m.ordering_key}};
      m.body = R"({"MaHoSo":"H55-260310-)" + std::to_string(1000 + i % 3) + R"(","Buoc":)" +
               std::to_string(i) + "}";
      auto done = storage::WithTransaction(*db_, [&](storage::Transaction& tx) -> Result<void> {
        TINHSO_ASSIGN_OR_RETURN(Message queued, box.Enqueue(tx, m));
        sha_[m.idempotency_key] = queued.body_sha256;
        return Ok();
      });
      ASSERT_TRUE(done.ok());
      keys_by_order_[m.ordering_key].push_back(m.idempotency_key);
    }
  }

  void TearDown() override {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
    if (out_ >= 0) ::close(out_);
    db_.reset();
    shared_.reset();
  }

  // Starts a worker whose clock is `offset` seconds ahead; its stdout is a pipe read by Line().
  void StartWorker(long long offset, const std::string& stop = "", int n = 0) {
    int fds[2];
    ASSERT_EQ(::pipe(fds), 0);
    const std::string log = (dir_ / "worker.log").string();
    pid_ = ::fork();
    ASSERT_GE(pid_, 0);
    if (pid_ == 0) {
      ::dup2(fds[1], STDOUT_FILENO);
      ::close(fds[0]);
      ::close(fds[1]);
      FILE* err = std::freopen(log.c_str(), "a", stderr);
      (void)err;
      const std::string o = std::to_string(offset);
      const std::string url = shared_->url();
      const std::string base = receiver_.base_url();
      const std::string count = std::to_string(n);
      if (stop.empty()) {
        ::execl(OUTBOX_DELIVER_BINARY, OUTBOX_DELIVER_BINARY, url.c_str(), base.c_str(), o.c_str(),
                static_cast<char*>(nullptr));
      } else {
        ::execl(OUTBOX_DELIVER_BINARY, OUTBOX_DELIVER_BINARY, url.c_str(), base.c_str(), o.c_str(),
                stop.c_str(), count.c_str(), static_cast<char*>(nullptr));
      }
      ::_exit(127);
    }
    ::close(fds[1]);
    if (out_ >= 0) ::close(out_);
    out_ = fds[0];
  }
  // The worker's next line of output ("" at its end).
  std::string Line() {
    std::string line;
    char c = 0;
    while (::read(out_, &c, 1) == 1 && c != '\n') line += c;
    return line;
  }
  void Kill() {
    ASSERT_EQ(::kill(pid_, SIGKILL), 0);
    ::waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }
  int Join() {
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
  std::string WorkerLog() { return tinhso::test::ReadFile(dir_ / "worker.log"); }

  fs::path dir_ = tinhso::test::TempDir();
  std::unique_ptr<tinhso::test::SharedDatabase> shared_;
  std::unique_ptr<storage::Database> db_;
  core::SystemClock clock_;
  auth::Policy policy_;
  Receiver receiver_{(tinhso::test::TempDir() / "receiver.log").string()};
  std::map<std::string, std::string> sha_;                         // key → body hash
  std::map<std::string, std::vector<std::string>> keys_by_order_;  // ordering key → its keys
  pid_t pid_ = -1;
  int out_ = -1;
};

TEST_P(OutboxCrashTest, KilledAnywhereEveryMessageTakesEffectOnceAndNoneIsLost) {
  enum class Point { kBeforeSend, kBeforeEffect, kAfterEffect, kAfterCommit };
  const std::vector<std::pair<Point, int>> kills = {
      {Point::kBeforeSend, 3},   {Point::kBeforeEffect, 2}, {Point::kAfterEffect, 2},
      {Point::kAfterCommit, 2},  {Point::kAfterEffect, 1},  {Point::kBeforeSend, 1},
      {Point::kBeforeEffect, 1}, {Point::kAfterCommit, 3},  {Point::kAfterEffect, 3},
      {Point::kBeforeSend, 2},   {Point::kAfterEffect, 1},  {Point::kBeforeEffect, 3},
  };
  long long offset = 0;
  int after_effect = 0;
  // Messages a killed worker held (each under that worker's lease): each gets an
  // 'interrupted' attempt when taken over.
  Outbox box(*db_, clock_, policy_);
  std::set<std::pair<std::int64_t, std::string>> held;
  auto count_held = [&] {
    ListFilter sending;
    sending.status = Status::kSending;
    sending.limit = 100;
    auto page = box.List(sending, core::SystemActor());
    ASSERT_TRUE(page.ok());
    for (const Message& m : page->items) held.insert({m.id, m.lease_owner});
  };
  for (const auto& [point, n] : kills) {
    SCOPED_TRACE("kill " + std::to_string(static_cast<int>(point)) + " at " + std::to_string(n));
    switch (point) {
      case Point::kBeforeSend:
        StartWorker(offset, "before-send", n);
        ASSERT_EQ(Line(), "STOPPED") << WorkerLog();
        Kill();
        break;
      case Point::kAfterCommit:
        StartWorker(offset, "after-commit", n);
        ASSERT_EQ(Line(), "STOPPED") << WorkerLog();
        Kill();
        break;
      case Point::kBeforeEffect:
      case Point::kAfterEffect:
        receiver_.HoldAt(point == Point::kBeforeEffect ? Receiver::Hold::kBeforeEffect
                                                       : Receiver::Hold::kAfterEffect,
                         n);
        StartWorker(offset);
        ASSERT_TRUE(receiver_.WaitHeld()) << WorkerLog();
        Kill();
        receiver_.Release();
        if (point == Point::kAfterEffect) ++after_effect;
        break;
    }
    count_held();
    offset += kLater;
  }
  StartWorker(offset);
  ASSERT_EQ(Line().substr(0, 5), "DONE ") << WorkerLog();
  ASSERT_EQ(Join(), 0) << WorkerLog();

  // Every message took effect exactly once (the receiver dedupes by key), none was lost…
  std::map<std::string, int> effects;
  for (const auto& key : receiver_.effects()) ++effects[key];
  ASSERT_EQ(effects.size(), static_cast<std::size_t>(kMessages));
  for (const auto& [key, n] : effects) {
    EXPECT_EQ(n, 1) << key;
    EXPECT_TRUE(sha_.contains(key)) << key;
  }
  // …every copy carried its key and the same bytes, and the only copies are those the worker
  // sent again because it died between the receiver's effect and its own commit.
  const auto arrivals = receiver_.arrivals();
  int duplicates = 0;
  for (const auto& a : arrivals) {
    EXPECT_FALSE(a.key.empty());
    EXPECT_EQ(a.sha256, sha_[a.key]) << a.key;
    if (a.duplicate) ++duplicates;
  }
  EXPECT_EQ(duplicates, after_effect);
  EXPECT_EQ(arrivals.size(), static_cast<std::size_t>(kMessages + after_effect));
  // Each dossier's updates took effect in the order they were enqueued.
  std::map<std::string, std::vector<std::string>> order;
  for (const auto& a : arrivals) {
    if (!a.duplicate && !a.ordering.empty()) order[a.ordering].push_back(a.key);
  }
  for (const auto& [ordering, keys] : keys_by_order_) {
    if (!ordering.empty()) {
      EXPECT_EQ(order[ordering], keys) << ordering;
    }
  }
  // And the outbox knows them all delivered, with the interrupted attempts in their history.
  ListFilter all;
  all.limit = 100;
  auto page = box.List(all, core::SystemActor());
  ASSERT_TRUE(page.ok());
  int interrupted = 0;
  for (const Message& m : page->items) {
    EXPECT_EQ(m.status, Status::kDelivered) << m.idempotency_key << " " << m.last_error;
    auto got = box.Get(m.id, core::SystemActor());
    ASSERT_TRUE(got.ok());
    for (const Attempt& a : got->second) interrupted += a.outcome == Outcome::kInterrupted;
  }
  EXPECT_EQ(interrupted, static_cast<int>(held.size()));
  EXPECT_GE(held.size(), kills.size() - 2);  // every kill but those after a commit
}

INSTANTIATE_TEST_SUITE_P(Backends, OutboxCrashTest,
                         ::testing::Values(storage::Backend::kSqlite, storage::Backend::kPostgres),
                         tinhso::test::BackendParamName);

}  // namespace
}  // namespace tinhso::outbox::test
