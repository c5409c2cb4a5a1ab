// SIGKILL of a delivery worker in the middle of its SMTP conversations, on SQLite and
// PostgreSQL: after a restart every message arrives at the SMTP server (aiosmtpd), counted by
// Message-ID, and none is lost.
//
// Exactly once is what a receiver sees when it dedupes on Message-ID, not what the wire
// carries in every case. One window cannot be closed from our side: the server has taken the
// message (its "250" is on the way, or read but not yet recorded) and the worker dies before
// its commit says "sent". The message is then still "sending" under the dead worker's lease,
// and the next worker sends it again once the lease ends. The copy carries the same
// Message-ID, <notification-N@host>, so the receiving system (or a mail client) can drop it;
// the second test kills the worker inside that window and checks exactly this. Shrinking the
// window further (committing before the final "." of DATA) would trade a duplicate for a lost
// message, which is worse.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <map>
#include <set>

#include "core/crypto.hpp"
#include "notify/notify.hpp"
#include "notify/smtp_sink.hpp"
#include "support/database.hpp"
#include "support/shell.hpp"
#include "support/temp_dir.hpp"

namespace tinhso::notify {
namespace {

using test::SmtpSink;
using test::Str;
namespace fs = std::filesystem;

constexpr int kMessages = 20;
constexpr int kHeld = 8;  // the conversation during which the worker is killed

class NotifyCrashTest : public ::testing::TestWithParam<storage::Backend> {
 protected:
  void SetUp() override {
    shared_ = std::make_unique<tinhso::test::SharedDatabase>(GetParam(), dir_);
    url_ = shared_->url();
    auto db = storage::Open(url_);
    ASSERT_TRUE(db.ok());
    db_ = std::move(*db);
    ASSERT_TRUE(storage::Migrate(*db_).ok());
    cert_ = (dir_ / "cert.pem").string();
    key_ = (dir_ / "key.pem").string();
    auto made = tinhso::test::Shell(
        "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout " + key_ +
        " -out " + cert_ + " -days 2 -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1");
    ASSERT_EQ(made.exit_code, 0) << made.out;

    // Pending notifications: one e-mail each to kMessages people.
    Outbox outbox(*db_, clock_);
    for (int i = 1; i <= kMessages; ++i) {
      Event e;
      e.id = "dossier-" + std::to_string(i) + "-accepted";
      e.template_key = "accepted";
      e.dossier_id = i;
      e.values = {{"name", "Người nộp " + std::to_string(i)},
                  {"code", "H55.60.01-260310-" + std::to_string(1000 + i)},
                  {"procedure", "Đăng ký khai sinh"},
                  {"appointment_date", "24/03/2026"}};
      Recipient r;
      r.email = "nguoi" + std::to_string(i) + "@example.vn";
      auto done = storage::WithTransaction(*db_, [&](storage::Transaction& tx) -> Result<void> {
        TINHSO_ASSIGN_OR_RETURN(auto ms, outbox.Enqueue(tx, e, r));
        ids_.insert(ms.at(0).id);
        return Ok();
      });
      ASSERT_TRUE(done.ok());
    }
  }

  void TearDown() override {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
    db_.reset();
    shared_.reset();  // drops a PostgreSQL schema, once nothing uses it
  }

  // Starts the worker process; `offset` moves its clock (seconds).
  void StartWorker(int port, long long offset) {
    const std::string log = (dir_ / "worker.log").string();
    pid_ = ::fork();
    ASSERT_GE(pid_, 0);
    if (pid_ == 0) {
      FILE* out = std::freopen(log.c_str(), "a", stdout);
      (void)out;
      ::dup2(STDOUT_FILENO, STDERR_FILENO);
      const std::string p = std::to_string(port);
      const std::string o = std::to_string(offset);
      ::execl(NOTIFY_DELIVER_BINARY, NOTIFY_DELIVER_BINARY, url_.c_str(), p.c_str(), cert_.c_str(),
              o.c_str(), static_cast<char*>(nullptr));
      ::_exit(127);
    }
  }
  void Kill() {
    ASSERT_EQ(::kill(pid_, SIGKILL), 0);
    ::waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }
  // Waits for the worker to finish on its own; its exit status.
  int Join() {
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
  std::string WorkerLog() { return tinhso::test::ReadFile(dir_ / "worker.log"); }

  // Message-ID → how many copies the server holds.
  static std::map<std::string, int> Copies(const SmtpSink& sink) {
    std::map<std::string, int> out;
    for (const auto& m : sink.Messages()) ++out[Str(m, "message_id")];
    return out;
  }
  std::set<std::string> ExpectedIds() const {
    std::set<std::string> out;
    for (std::int64_t id : ids_) out.insert("<" + StableId(id) + "@tinhso.test>");
    return out;
  }
  void ExpectAllSent() {
    Outbox outbox(*db_, clock_);
    for (std::int64_t id : ids_) {
      auto m = outbox.Get(id);
      ASSERT_TRUE(m.ok());
      EXPECT_EQ(m->status, Status::kSent) << id << " " << m->last_error;
    }
  }

  fs::path dir_ = tinhso::test::TempDir();
  std::unique_ptr<tinhso::test::SharedDatabase> shared_;
  std::string url_, cert_, key_;
  std::unique_ptr<storage::Database> db_;
  core::SystemClock clock_;
  std::set<std::int64_t> ids_;
  pid_t pid_ = -1;
};

TEST_P(NotifyCrashTest, KilledMidConversationEveryMessageArrivesOnce) {
  // The server holds the kHeld-th message's DATA without storing or answering it.
  SmtpSink sink(dir_ / "sink", {"--tls-cert", cert_, "--tls-key", key_, "--require-tls",
                                "--hold-before", std::to_string(kHeld)});
  StartWorker(sink.port(), 0);
  ASSERT_TRUE(sink.WaitFor("HOLD " + std::to_string(kHeld))) << WorkerLog();
  Kill();
  EXPECT_EQ(sink.Messages().size(), static_cast<std::size_t>(kHeld - 1));

  // Restarted after the dead worker's lease (300 s) has ended.
  StartWorker(sink.port(), 301);
  ASSERT_EQ(Join(), 0) << WorkerLog();

  const auto copies = Copies(sink);
  EXPECT_EQ(sink.Messages().size(), static_cast<std::size_t>(kMessages));
  std::set<std::string> received;
  for (const auto& [id, n] : copies) {
    received.insert(id);
    EXPECT_EQ(n, 1) << id;
  }
  EXPECT_EQ(received, ExpectedIds());
  ExpectAllSent();
}

TEST_P(NotifyCrashTest, KilledAfterTheServerTookAMessageTheCopyHasTheSameMessageId) {
  // The server stores the kHeld-th message, then never says 250: the window between the
  // server's commit and ours.
  SmtpSink sink(dir_ / "sink", {"--tls-cert", cert_, "--tls-key", key_, "--require-tls",
                                "--hold-after", std::to_string(kHeld)});
  StartWorker(sink.port(), 0);
  ASSERT_TRUE(sink.WaitFor("HOLD " + std::to_string(kHeld))) << WorkerLog();
  Kill();
  StartWorker(sink.port(), 301);
  ASSERT_EQ(Join(), 0) << WorkerLog();

  // Every message arrived; one of them twice, under one Message-ID, which is what a receiver
  // dedupes on: counted by Message-ID, each arrived exactly once.
  const auto copies = Copies(sink);
  EXPECT_EQ(sink.Messages().size(), static_cast<std::size_t>(kMessages + 1));
  std::set<std::string> received;
  int duplicated = 0;
  for (const auto& [id, n] : copies) {
    received.insert(id);
    if (n == 2) ++duplicated;
    EXPECT_LE(n, 2) << id;
  }
  EXPECT_EQ(received, ExpectedIds());
  EXPECT_EQ(duplicated, 1);
  const auto ms = sink.Messages();
  EXPECT_EQ(Str(ms[kHeld - 1], "message_id"), Str(ms[kHeld], "message_id"));
  ExpectAllSent();
}

INSTANTIATE_TEST_SUITE_P(Backends, NotifyCrashTest,
                         ::testing::Values(storage::Backend::kSqlite, storage::Backend::kPostgres),
                         tinhso::test::BackendParamName);

}  // namespace
}  // namespace tinhso::notify
