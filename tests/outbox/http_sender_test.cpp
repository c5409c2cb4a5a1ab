// HttpSender against a receiver on loopback: the message as it was enqueued, its Idempotency-Key,
// a 5 MB body byte for byte, and the receiver's answers as outcomes.
#include <gtest/gtest.h>

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

TINHSO_INSTANTIATE_BACKENDS(OutboxHttpTest);

}  // namespace
}  // namespace tinhso::outbox::test
