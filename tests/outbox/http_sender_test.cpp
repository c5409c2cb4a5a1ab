// HttpSender against a receiver on loopback: the message as it was enqueued, its Idempotency-Key,
// a 5 MB body byte for byte, and the receiver's answers as outcomes.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>

#include "fixture.hpp"
#include "receiver.hpp"
#include "support/temp_dir.hpp"

namespace tinhso::outbox::test {
namespace {

using std::chrono::seconds;

class OutboxHttpTest : public OutboxFixture {
 protected:
  HttpSender Sender() {
    return HttpSender(
        [url = receiver_.base_url()](std::string_view destination) -> std::optional<std::string> {
          if (destination == "dvcqg.dossier") return url;
          return std::nullopt;
        });
  }
  static NewMessage ToReceiver(std::string key) {
    NewMessage m = Sync(std::move(key), "hoso-1");
    m.path = "/receive";
    m.headers.emplace_back("X-Ordering", "hoso-1");
    return m;
  }
  Receiver receiver_{(tinhso::test::TempDir() / "receiver.log").string()};
};

TEST_P(OutboxHttpTest, AFiveMegabyteBodyArrivesWithItsIdempotencyKey) {
  NewMessage m = ToReceiver("hoso-42-ketqua");
  m.headers[0] = {"Content-Type", "application/octet-stream"};
  m.body.resize(5u << 20);
  for (std::size_t i = 0; i < m.body.size(); ++i) m.body[i] = static_cast<char>((i * 7919) >> 3);
  const Message queued = MustEnqueue(m);
  auto sender = Sender();
  EXPECT_EQ(Deliver(sender).delivered, 1);
  const auto arrivals = receiver_.arrivals();
  ASSERT_EQ(arrivals.size(), 1u);
  EXPECT_EQ(arrivals[0].key, "hoso-42-ketqua");
  EXPECT_EQ(arrivals[0].size, m.body.size());
  EXPECT_EQ(arrivals[0].sha256, core::Sha256Hex(m.body));
  EXPECT_EQ(arrivals[0].ordering, "hoso-1");
  const Message done = Get(queued.id);
  EXPECT_EQ(done.status, Status::kDelivered);
  EXPECT_EQ(done.last_status_code, 200);
}

TEST_P(OutboxHttpTest, TheReceiversAnswersDecideTheOutcome) {
  options_.jitter = 0;
  options_.backoff_base = seconds(30);
  auto sender = Sender();
  const Message m = MustEnqueue(ToReceiver("hoso-7"));
  receiver_.FailNext(503, "600");
  EXPECT_EQ(Deliver(sender).retried, 1);
  Message now = Get(m.id);
  EXPECT_EQ(now.status, Status::kRetrying);
  EXPECT_EQ(now.last_status_code, 503);
  EXPECT_EQ(now.last_error, R"(HTTP 503: {"loi":"tam thoi"})");
  EXPECT_EQ(now.next_attempt_at - clock_.Now(), seconds(600));  // its Retry-After
  clock_.Advance(seconds(600));
  receiver_.FailNext(409);
  EXPECT_EQ(Deliver(sender).dead, 1);
  EXPECT_EQ(Get(m.id).status, Status::kDead);
  EXPECT_TRUE(receiver_.arrivals().empty());

  // A destination nobody configured: dead at once, nothing sent.
  const Message lost = MustEnqueue(Sync("hoso-8", "", "khong.co"));
  EXPECT_EQ(Deliver(sender).dead, 1);
  EXPECT_NE(Get(lost.id).last_error.find("outbox.unknown_destination"), std::string::npos);

  // Nobody listening: retried.
  HttpSender nowhere(
      [](std::string_view) -> std::optional<std::string> { return "http://127.0.0.1:1"; },
      std::chrono::seconds(5));
  const Message down = MustEnqueue(Sync("hoso-9"));
  EXPECT_EQ(Deliver(nowhere).retried, 1);
  EXPECT_EQ(Get(down.id).last_status_code, 0);
}

// The bench's hook (gateway.outbox_delivered_per_s) into the receiver: every message arrives
// once. TINHSO_OUTBOX_BENCH_N and _WORKERS scale it up by hand; the rate is printed, not judged.
TEST_P(OutboxHttpTest, TheBenchHookDeliversEveryMessageOnce) {
  const char* n_env = std::getenv("TINHSO_OUTBOX_BENCH_N");
  const char* w_env = std::getenv("TINHSO_OUTBOX_BENCH_WORKERS");
  const int n = n_env ? std::atoi(n_env) : 40;
  const int workers = w_env ? std::atoi(w_env) : 2;
  // Measured by hand on SQLite: a file with synchronous=FULL, as the server runs (the tests'
  // own databases do not sync).
  storage::Database* target = &db();
  std::unique_ptr<storage::Database> durable;
  if (n_env && GetParam() == storage::Backend::kSqlite) {
    auto opened = storage::Open("sqlite:" + (tinhso::test::TempDir() / "durable.db").string());
    ASSERT_TRUE(opened.ok());
    durable = std::move(*opened);
    ASSERT_TRUE(storage::Migrate(*durable).ok());
    target = durable.get();
  }
  core::SystemClock clock;
  Outbox box(*target, clock, policy_);
  auto sender = Sender();
  NewMessage like = ToReceiver("bench");
  like.ordering_key.clear();
  like.body.assign(1024, 'x');
  auto run = EnqueueAndDeliver(box, *target, like, n, sender, workers);
  ASSERT_TRUE(run.ok()) << run.error().message_en << " " << run.error().detail;
  EXPECT_EQ(run->delivered, n);
  EXPECT_EQ(receiver_.effects().size(), static_cast<std::size_t>(n));
  EXPECT_EQ(receiver_.arrivals().size(), static_cast<std::size_t>(n));
  std::printf("outbox: %d messages of 1 KiB delivered by %d workers in %.2f s: %.0f/s\n", n,
              workers, run->seconds, n / run->seconds);
}

TINHSO_INSTANTIATE_BACKENDS(OutboxHttpTest);

}  // namespace
}  // namespace tinhso::outbox::test
