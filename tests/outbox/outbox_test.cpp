// The outbox on both backends: idempotent enqueue inside the caller's transaction, backoff, dead
// letters, ordering, leases, concurrent workers, and the operators' retry and cancel.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>
#include <thread>

#include "audit/audit.hpp"
#include "core/crypto.hpp"
#include "core/metrics.hpp"
#include "fixture.hpp"

namespace tinhso::outbox::test {
namespace {

using std::chrono::seconds;

class OutboxTest : public OutboxFixture {};

Error Unreachable() {
  return MakeError(ErrorCode::kUnavailable, "http.client_unreachable", "Không kết nối được.",
                   "Connection refused.");
}

TEST_P(OutboxTest, TheSameKeyTwiceIsOneMessage) {
  const Message first = MustEnqueue(Sync("hoso-42-tiepnhan"));
  ASSERT_GT(first.id, 0);
  EXPECT_EQ(first.status, Status::kQueued);
  EXPECT_EQ(first.next_attempt_at, At(kStart));
  NewMessage again = Sync("hoso-42-tiepnhan");
  again.body = "something else";  // the key decides, not the content
  const Message second = MustEnqueue(again);
  EXPECT_EQ(second.id, first.id);
  EXPECT_EQ(second.body_sha256, first.body_sha256);
  // The key is unique per destination: another destination's same key is another message.
  const Message other = MustEnqueue(Sync("hoso-42-tiepnhan", "", "edxml.document"));
  EXPECT_NE(other.id, first.id);

  RecordingSender sender;
  EXPECT_EQ(Deliver(sender).delivered, 2);
  EXPECT_EQ(sender.keys(), (std::vector<std::string>{"hoso-42-tiepnhan", "hoso-42-tiepnhan"}));
  // Enqueued again once delivered: still that message, not sent again.
  EXPECT_EQ(MustEnqueue(Sync("hoso-42-tiepnhan")).status, Status::kDelivered);
  EXPECT_EQ(Deliver(sender).claimed, 0);
}

TEST_P(OutboxTest, TheMessageCommitsOrRollsBackWithTheCallersTransaction) {
  auto failed = storage::WithTransaction(db(), [&](storage::Transaction& tx) -> Result<void> {
    TINHSO_RETURN_IF_ERROR(outbox().Enqueue(tx, Sync("hoso-7")));
    return MakeError(ErrorCode::kFailedPrecondition, "test.abort", "Hủy.", "Abort.");
  });
  ASSERT_FALSE(failed.ok());
  RecordingSender sender;
  EXPECT_EQ(Deliver(sender).claimed, 0);
  auto page = outbox().List({}, Admin());
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->total, 0);
}

TEST_P(OutboxTest, InvalidMessagesAreRefusedNamingTheField) {
  auto refused = [&](NewMessage m) -> std::string {
    auto tx = db().Begin();
    if (!tx.ok()) return "no transaction";
    auto r = outbox().Enqueue(**tx, m);
    return r.ok() ? "accepted" : r.error().reason + " " + r.error().detail;
  };
  NewMessage m = Sync("k");
  m.destination = "DVCQG";
  EXPECT_EQ(refused(m), "outbox.invalid destination");
  m = Sync("");
  EXPECT_EQ(refused(m), "outbox.invalid idempotency_key");
  m = Sync("khóa có dấu");
  EXPECT_EQ(refused(m), "outbox.invalid idempotency_key");
  m = Sync("k");
  m.method = "CONNECT";
  EXPECT_EQ(refused(m), "outbox.invalid method");
  m = Sync("k");
  m.path = "api/no-slash";
  EXPECT_EQ(refused(m), "outbox.invalid path");
  m = Sync("k");
  m.headers.emplace_back("idempotency-key", "mine");
  EXPECT_EQ(refused(m), "outbox.invalid headers");
  m = Sync("k");
  m.headers.emplace_back("X-Trace", "a\r\nInjected: yes");
  EXPECT_EQ(refused(m), "outbox.invalid headers");
  options_.max_body_bytes = 10;
  outbox_.reset();
  m = Sync("k");
  EXPECT_EQ(refused(m), "outbox.body_too_large " + std::to_string(m.body.size()));
}

TEST(OutboxBackoff, DoublesFromTheBaseUpToTheCapLessItsJitter) {
  Options o;
  o.backoff_base = seconds(30);
  o.backoff_cap = seconds(600);
  o.jitter = 0;
  EXPECT_EQ(Backoff(1, o, 0.5), seconds(30));
  EXPECT_EQ(Backoff(2, o, 0.5), seconds(60));
  EXPECT_EQ(Backoff(3, o, 0.5), seconds(120));
  EXPECT_EQ(Backoff(5, o, 0.5), seconds(480));
  EXPECT_EQ(Backoff(6, o, 0.5), seconds(600));
  EXPECT_EQ(Backoff(60, o, 0.5), seconds(600));  // no overflow far out
  o.jitter = 0.2;
  EXPECT_EQ(Backoff(2, o, 0.0), seconds(60));
  EXPECT_EQ(Backoff(2, o, 0.5), seconds(54));
  EXPECT_EQ(Backoff(2, o, 0.999), seconds(49));  // never below 80 % of the wait
  // A receiver's Retry-After is honoured when longer, within the cap.
  EXPECT_EQ(Backoff(1, o, 0.0, seconds(90)), seconds(90));
  EXPECT_EQ(Backoff(1, o, 0.0, seconds(5)), seconds(30));
  EXPECT_EQ(Backoff(1, o, 0.0, seconds(86400)), seconds(600));
}

TEST(OutboxBackoff, TransientStatusesAreRetriedOthersAreNot) {
  for (int s : {408, 429, 500, 502, 503, 504, 0, 100}) EXPECT_TRUE(IsTransient(s)) << s;
  for (int s : {301, 400, 401, 403, 404, 409, 413, 422}) EXPECT_FALSE(IsTransient(s)) << s;
}

TEST_P(OutboxTest, TransientFailuresAreRetriedOnTheBackoffScheduleThenDead) {
  options_.backoff_base = seconds(30);
  options_.backoff_cap = seconds(100);
  options_.jitter = 0;
  options_.max_attempts = 5;
  const Message m = MustEnqueue(Sync("hoso-1"));
  RecordingSender sender;
  const std::vector<long long> waits = {30, 60, 100, 100};
  for (std::size_t i = 0; i < waits.size(); ++i) {
    sender.Then(i % 2 == 0 ? Result<Response>(Answer(503)) : Result<Response>(Unreachable()));
    const DeliveryReport r = Deliver(sender);
    EXPECT_EQ(r.retried, 1) << i;
    const Message now = Get(m.id);
    EXPECT_EQ(now.status, Status::kRetrying);
    EXPECT_EQ(now.attempts, static_cast<int>(i + 1));
    EXPECT_EQ(now.next_attempt_at - clock_.Now(), seconds(waits[i])) << i;
    // Not due before its time.
    clock_.Advance(seconds(waits[i] - 1));
    EXPECT_EQ(Deliver(sender).claimed, 0) << i;
    clock_.Advance(seconds(1));
  }
  EXPECT_EQ(Get(m.id).last_error, "http.client_unreachable: Connection refused.");
  sender.Then(Answer(500));
  EXPECT_EQ(Deliver(sender).dead, 1);
  const Message dead = Get(m.id);
  EXPECT_EQ(dead.status, Status::kDead);
  EXPECT_EQ(dead.attempts, 5);
  EXPECT_EQ(dead.last_status_code, 500);
  EXPECT_EQ(dead.last_error, "attempts used up (5); the last: HTTP 500: answer 500");
  const auto attempts = Attempts(m.id);
  ASSERT_EQ(attempts.size(), 5u);
  EXPECT_EQ(attempts[0].outcome, Outcome::kRetry);
  EXPECT_EQ(attempts[0].status_code, 503);
  EXPECT_EQ(attempts[1].status_code, 0);
  EXPECT_EQ(attempts[4].outcome, Outcome::kDead);
  clock_.Advance(seconds(86400));
  EXPECT_EQ(Deliver(sender).claimed, 0);
}

// Takes `took` of the fake clock for each message, then answers 503.
class SlowSender final : public Sender {
 public:
  SlowSender(core::FakeClock& clock, seconds took) : clock_(clock), took_(took) {}
  Result<Response> Send(const Message&) override {
    clock_.Advance(took_);
    return Answer(503);
  }

 private:
  core::FakeClock& clock_;
  seconds took_;
};

TEST_P(OutboxTest, ALongRunStampsItsLaterStepsWithTheTimeItTook) {
  options_.jitter = 0;
  options_.backoff_base = seconds(30);
  options_.claim_batch = 1;
  const Message first = MustEnqueue(Sync("hoso-slow-1"));
  const Message second = MustEnqueue(Sync("hoso-slow-2"));
  SlowSender slow(clock_, seconds(100));
  EXPECT_EQ(Deliver(slow, 2).retried, 2);
  // The second was claimed, sent and given its next attempt 100 s into the run.
  EXPECT_EQ(Get(first.id).next_attempt_at, At(kStart + 130));
  EXPECT_EQ(Get(second.id).next_attempt_at, At(kStart + 230));
  const auto attempts = Attempts(second.id);
  ASSERT_EQ(attempts.size(), 1u);
  EXPECT_EQ(attempts[0].started_at, At(kStart + 100));
  EXPECT_EQ(attempts[0].finished_at, At(kStart + 200));
}

TEST_P(OutboxTest, JitteredWaitsStayWithinTheirShare) {
  options_.backoff_base = seconds(1000);
  options_.jitter = 0.5;
  RecordingSender sender;
  std::set<long long> waits;
  for (int i = 0; i < 20; ++i) {
    const Message m = MustEnqueue(Sync("hoso-j" + std::to_string(i)));
    sender.Then(Answer(503));
    Deliver(sender);
    const long long wait = (Get(m.id).next_attempt_at - clock_.Now()).count();
    EXPECT_GE(wait, 500);
    EXPECT_LE(wait, 1000);
    waits.insert(wait);
  }
  EXPECT_GT(waits.size(), 1u);  // drawn, not fixed (20 equal draws: about 1 in 10^50)
}

TEST_P(OutboxTest, PermanentErrorsAreDeadAtOnceWithTheReason) {
  options_.jitter = 0;
  RecordingSender sender;
  const Message bad = MustEnqueue(Sync("hoso-400"));
  sender.Then(Answer(400));
  EXPECT_EQ(Deliver(sender).dead, 1);
  Message m = Get(bad.id);
  EXPECT_EQ(m.status, Status::kDead);
  EXPECT_EQ(m.attempts, 1);
  EXPECT_EQ(m.last_error, "HTTP 400: answer 400");
  EXPECT_EQ(m.last_status_code, 400);

  const Message unknown = MustEnqueue(Sync("hoso-dest"));
  sender.Then(MakeError(ErrorCode::kInvalidArgument, "outbox.unknown_destination", "Chưa có.",
                        "No address is configured for this destination."));
  EXPECT_EQ(Deliver(sender).dead, 1);
  EXPECT_EQ(Get(unknown.id).status, Status::kDead);

  // 408 and 429 are worth another attempt; a Retry-After is honoured.
  const Message busy = MustEnqueue(Sync("hoso-429"));
  sender.Then(Answer(429, seconds(120)));
  EXPECT_EQ(Deliver(sender).retried, 1);
  m = Get(busy.id);
  EXPECT_EQ(m.status, Status::kRetrying);
  EXPECT_EQ(m.next_attempt_at - clock_.Now(), seconds(120));
}

TEST_P(OutboxTest, AnOrderingKeyHoldsLaterMessagesBackWhileAnEarlierOneRetries) {
  options_.jitter = 0;
  options_.backoff_base = seconds(60);
  const Message a1 = MustEnqueue(Sync("a-1", "hoso-A"));
  const Message a2 = MustEnqueue(Sync("a-2", "hoso-A"));
  const Message b1 = MustEnqueue(Sync("b-1", "hoso-B"));
  const Message free = MustEnqueue(Sync("free-1"));
  EXPECT_EQ(a1.seq, 1);
  EXPECT_EQ(a2.seq, 2);
  EXPECT_EQ(b1.seq, 1);
  EXPECT_EQ(free.seq, 0);

  RecordingSender sender;
  sender.Then(Answer(503));  // a-1 fails once
  DeliveryReport r = Deliver(sender);
  EXPECT_EQ(sender.keys(), (std::vector<std::string>{"a-1", "b-1", "free-1"}));
  EXPECT_EQ(r.retried, 1);
  EXPECT_EQ(Get(a2.id).status, Status::kQueued);
  // a-2 is due, but waits for a-1, however often the workers come.
  clock_.Advance(seconds(30));
  EXPECT_EQ(Deliver(sender).claimed, 0);
  clock_.Advance(seconds(30));
  r = Deliver(sender);
  EXPECT_EQ(r.delivered, 2);
  EXPECT_EQ(sender.keys(), (std::vector<std::string>{"a-1", "b-1", "free-1", "a-1", "a-2"}));

  // A dead message no longer holds its key: the next one goes.
  const Message a3 = MustEnqueue(Sync("a-3", "hoso-A"));
  const Message a4 = MustEnqueue(Sync("a-4", "hoso-A"));
  sender.Then(Answer(422));
  r = Deliver(sender);
  EXPECT_EQ(r.dead, 1);
  EXPECT_EQ(r.delivered, 1);
  EXPECT_EQ(Get(a3.id).status, Status::kDead);
  EXPECT_EQ(Get(a4.id).status, Status::kDelivered);
}

// The attempts of one outcome counted for /metrics so far (this process).
double Counted(std::string_view outcome) {
  return core::Metrics::Global()
      .GetCounter("tinhso_outbox_attempts_total",
                  "Delivery attempts of outgoing messages, by destination and outcome",
                  {{"destination", "dvcqg.dossier"}, {"outcome", std::string(outcome)}})
      .Value();
}

TEST_P(OutboxTest, AClaimedMessageComesBackWhenItsWorkersLeaseEnds) {
  options_.lease = seconds(300);
  const double interrupted_before = Counted("interrupted");
  const double delivered_before = Counted("delivered");
  const Message m = MustEnqueue(Sync("hoso-lease"));
  auto claimed = outbox().Claim("worker-a", clock_.Now(), 10);
  ASSERT_TRUE(claimed.ok());
  ASSERT_EQ(claimed->size(), 1u);
  EXPECT_EQ(claimed->front().lease_owner, "worker-a");
  EXPECT_EQ(claimed->front().body, Sync("").body);
  // worker-a dies here. Nobody takes the message while its lease runs.
  RecordingSender sender;
  clock_.Advance(seconds(299));
  EXPECT_EQ(Deliver(sender).claimed, 0);
  clock_.Advance(seconds(1));
  EXPECT_EQ(Deliver(sender).delivered, 1);
  const Message done = Get(m.id);
  EXPECT_EQ(done.status, Status::kDelivered);
  EXPECT_EQ(done.attempts, 2);
  const auto attempts = Attempts(m.id);
  ASSERT_EQ(attempts.size(), 2u);
  EXPECT_EQ(attempts[0].outcome, Outcome::kInterrupted);
  EXPECT_EQ(attempts[0].finished_at, At(kStart + 300));
  EXPECT_EQ(attempts[1].outcome, Outcome::kDelivered);
  EXPECT_EQ(attempts[1].status_code, 200);
  EXPECT_EQ(Counted("interrupted") - interrupted_before, 1);
  EXPECT_EQ(Counted("delivered") - delivered_before, 1);

  // worker-a wakes up late: its outcome no longer changes the message.
  auto late = outbox().Complete(claimed->front(), clock_.Now(), clock_.Now(), Answer(500));
  ASSERT_TRUE(late.ok());
  EXPECT_EQ(Get(m.id).status, Status::kDelivered);
}

TEST_P(OutboxTest, AWorkerKilledInTheLastAttemptLeavesADeadLetter) {
  options_.max_attempts = 1;
  const Message m = MustEnqueue(Sync("hoso-last"));
  ASSERT_TRUE(outbox().Claim("worker-a", clock_.Now(), 10).ok());
  clock_.Advance(options_.lease);
  RecordingSender sender;
  EXPECT_EQ(Deliver(sender).claimed, 0);
  const Message dead = Get(m.id);
  EXPECT_EQ(dead.status, Status::kDead);
  EXPECT_NE(dead.last_error.find("attempts used up"), std::string::npos);
  EXPECT_TRUE(sender.sent().empty());
}

TEST_P(OutboxTest, ConcurrentWorkersNeverClaimTheSameMessage) {
  constexpr int kMessages = 120;
  constexpr int kWorkers = 4;
  options_.claim_batch = 3;
  for (int i = 0; i < kMessages; ++i) {
    MustEnqueue(Sync("hoso-c" + std::to_string(i), i % 3 == 0 ? "ordered" : ""));
  }
  RecordingSender sender;
  std::vector<std::thread> workers;
  std::vector<Outbox> outboxes;
  outboxes.reserve(kWorkers);
  // Each worker has an Outbox of its own, as separate processes would.
  for (int w = 0; w < kWorkers; ++w) outboxes.emplace_back(db(), clock_, policy_, options_);
  std::atomic<int> delivered{0};
  for (int w = 0; w < kWorkers; ++w) {
    workers.emplace_back([&, w] {
      for (;;) {
        auto r = outboxes[w].DeliverDue(clock_.Now(), sender, 10);
        ASSERT_TRUE(r.ok()) << r.error().message_en << " " << r.error().detail;
        delivered += r->delivered;
        if (r->claimed == 0) return;
      }
    });
  }
  for (auto& t : workers) t.join();
  // A worker may stop while another holds the last ordered message: finish what is left.
  delivered += Deliver(sender).delivered;
  EXPECT_EQ(delivered.load(), kMessages);
  std::map<std::string, int> times;
  std::vector<std::string> ordered;
  for (const Message& m : sender.sent()) {
    ++times[m.idempotency_key];
    if (m.ordering_key == "ordered") ordered.push_back(m.idempotency_key);
  }
  EXPECT_EQ(times.size(), static_cast<std::size_t>(kMessages));
  for (const auto& [key, n] : times) EXPECT_EQ(n, 1) << key;
  for (std::size_t i = 0; i < ordered.size(); ++i) {
    EXPECT_EQ(ordered[i], "hoso-c" + std::to_string(3 * i));
  }
}

TEST_P(OutboxTest, AFiveMegabyteBodyRoundTripsByteForByte) {
  NewMessage m = Sync("hoso-5mb");
  m.headers = {{"Content-Type", "application/octet-stream"}};
  m.body.resize(5u << 20);
  for (std::size_t i = 0; i < m.body.size(); ++i) {
    m.body[i] = static_cast<char>((i * 131 + i / 7) & 0xff);
  }
  const Message queued = MustEnqueue(m);
  EXPECT_EQ(queued.body_size, static_cast<std::int64_t>(m.body.size()));
  EXPECT_EQ(queued.body_sha256, core::Sha256Hex(m.body));
  auto got = outbox().Get(queued.id, Admin());
  ASSERT_TRUE(got.ok());
  EXPECT_TRUE(got->first.body == m.body);
  RecordingSender sender;
  EXPECT_EQ(Deliver(sender).delivered, 1);
  ASSERT_EQ(sender.sent().size(), 1u);
  EXPECT_TRUE(sender.sent()[0].body == m.body);
  EXPECT_EQ(sender.sent()[0].headers, m.headers);
}

TEST_P(OutboxTest, OperatorsRetryAndCancelWithAnAuditEntry) {
  RecordingSender sender;
  const Message dead = MustEnqueue(Sync("hoso-dead"));
  sender.Then(Answer(404));
  Deliver(sender);
  ASSERT_EQ(Get(dead.id).status, Status::kDead);
  const Message waiting = MustEnqueue(Sync("hoso-wait"));

  core::Actor officer;
  officer.kind = core::ActorKind::kOfficer;
  officer.user_id = 9;
  officer.roles = {"leader"};
  auto refused = outbox().Retry(dead.id, officer);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kPermissionDenied);
  EXPECT_EQ(outbox().Cancel(waiting.id, officer).error().code, ErrorCode::kPermissionDenied);
  EXPECT_EQ(outbox().List({}, officer).error().code, ErrorCode::kPermissionDenied);
  EXPECT_EQ(outbox().List({}, core::Actor{}).error().code, ErrorCode::kUnauthenticated);

  clock_.Advance(seconds(3600));
  auto retried = outbox().Retry(dead.id, Admin());
  ASSERT_TRUE(retried.ok()) << retried.error().message_en;
  EXPECT_EQ(retried->status, Status::kQueued);
  EXPECT_EQ(retried->attempts, 0);
  EXPECT_EQ(retried->next_attempt_at, clock_.Now());
  auto again = outbox().Retry(dead.id, Admin());
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().reason, "outbox.not_retryable");
  EXPECT_EQ(again.error().detail, "queued");

  auto cancelled = outbox().Cancel(waiting.id, Admin());
  ASSERT_TRUE(cancelled.ok());
  EXPECT_EQ(cancelled->status, Status::kCancelled);
  EXPECT_EQ(outbox().Cancel(waiting.id, Admin()).error().reason, "outbox.not_cancellable");
  EXPECT_EQ(outbox().Cancel(999999, Admin()).error().reason, "outbox.unknown_message");

  // The retried one is delivered; the cancelled one is not sent.
  EXPECT_EQ(Deliver(sender).delivered, 1);
  EXPECT_EQ(sender.keys().back(), "hoso-dead");
  EXPECT_EQ(Get(waiting.id).status, Status::kCancelled);
  EXPECT_EQ(outbox().Cancel(dead.id, Admin()).error().reason, "outbox.not_cancellable");
  // A cancelled message can be sent after all.
  ASSERT_TRUE(outbox().Retry(waiting.id, Admin()).ok());

  audit::Filter f;
  f.action_prefix = "outbox.";
  auto entries = audit::List(db(), f);
  ASSERT_TRUE(entries.ok());
  ASSERT_EQ(entries->size(), 3u);  // newest first
  EXPECT_EQ((*entries)[2].action, "outbox.retry");
  EXPECT_EQ((*entries)[2].object_type, "outbox_message");
  EXPECT_EQ((*entries)[2].object_id, std::to_string(dead.id));
  EXPECT_EQ((*entries)[2].actor_login, "quantri");
  EXPECT_NE((*entries)[2].data_json.find(R"("from":"dead")"), std::string::npos);
  EXPECT_EQ((*entries)[1].action, "outbox.cancel");
  EXPECT_EQ((*entries)[0].action, "outbox.retry");
  EXPECT_NE((*entries)[0].data_json.find(R"("from":"cancelled")"), std::string::npos);
}

TEST_P(OutboxTest, ListsFilterAndPageAndCountsSumUp) {
  RecordingSender sender;
  for (int i = 0; i < 5; ++i) MustEnqueue(Sync("s-" + std::to_string(i)));
  for (int i = 0; i < 3; ++i) MustEnqueue(Sync("e-" + std::to_string(i), "", "edxml.document"));
  sender.Then(Answer(400));  // s-0 dead
  Deliver(sender, 2);        // s-0 dead, s-1 delivered
  ListFilter f;
  f.destination = "dvcqg.dossier";
  f.limit = 2;
  auto page = outbox().List(f, Admin());
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->total, 5);
  ASSERT_EQ(page->items.size(), 2u);
  EXPECT_EQ(page->items[0].idempotency_key, "s-4");  // newest first
  EXPECT_TRUE(page->items[0].body.empty());          // lists carry no bodies
  f.offset = 4;
  page = outbox().List(f, Admin());
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->items.size(), 1u);
  EXPECT_EQ(page->items[0].idempotency_key, "s-0");
  f = {};
  f.status = Status::kDead;
  page = outbox().List(f, Admin());
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->total, 1);
  EXPECT_EQ(page->items[0].idempotency_key, "s-0");

  auto counts = outbox().Counts(Admin());
  ASSERT_TRUE(counts.ok());
  std::map<std::pair<std::string, std::string>, std::int64_t> by;
  for (const Count& c : *counts) {
    by[{c.destination, std::string(StatusName(c.status))}] = c.messages;
    EXPECT_TRUE(c.oldest.has_value());
  }
  EXPECT_EQ(by, (std::map<std::pair<std::string, std::string>, std::int64_t>{
                    {{"dvcqg.dossier", "dead"}, 1},
                    {{"dvcqg.dossier", "delivered"}, 1},
                    {{"dvcqg.dossier", "queued"}, 3},
                    {{"edxml.document", "queued"}, 3}}));
}

TINHSO_INSTANTIATE_BACKENDS(OutboxTest);

}  // namespace
}  // namespace tinhso::outbox::test
