// SMS through the HTTP gateway adapter, against the simulator on loopback.
#include "notify/sms.hpp"

#include <gtest/gtest.h>

#include "core/text.hpp"
#include "notify/fixture.hpp"

namespace tinhso::notify {
namespace {

class SmsTest : public test::OutboxFixture {
 protected:
  void SetUp() override {
    auto sim = SmsSimulator::Start({});
    ASSERT_TRUE(sim.ok()) << sim.error().message_en << " " << sim.error().detail;
    sim_ = std::move(*sim);
    sender_ = std::make_unique<SmsGatewaySender>(sim_->Config());
  }
  static Recipient Phone(std::string phone = "0912345678") {
    Recipient r;
    r.phone = std::move(phone);
    return r;
  }
  std::unique_ptr<SmsSimulator> sim_;
  std::unique_ptr<SmsGatewaySender> sender_;
};

TEST_P(SmsTest, TheGatewayGetsTheTextWithOurStableReference) {
  const Message queued = MustEnqueue(Accepted(), Phone()).at(0);
  auto report = outbox().DeliverDue({nullptr, sender_.get()});
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->sent, 1);
  auto got = sim_->Messages();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].phone, "0912345678");
  EXPECT_EQ(got[0].message, queued.body);
  EXPECT_EQ(got[0].client_ref, StableId(queued.id));
  EXPECT_TRUE(got[0].unicode);  // Vietnamese diacritics: UCS-2
  EXPECT_EQ(got[0].segments, queued.segments);
  const Message sent = *outbox().Get(queued.id);
  EXPECT_EQ(sent.status, Status::kSent);
  EXPECT_EQ(sent.provider_id, got[0].message_id);
}

TEST_P(SmsTest, UnaccentedMessagesGoAsGsm7) {
  options_.sms_unaccented = true;
  MustEnqueue(Accepted(), Phone());
  ASSERT_TRUE(outbox().DeliverDue({nullptr, sender_.get()}).ok());
  auto got = sim_->Messages();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_FALSE(got[0].unicode);
  EXPECT_EQ(got[0].message,
            "Ho so H55.60.01-260310-0001 da duoc tiep nhan. Hen tra ket qua ngay 24/03/2026.");
  EXPECT_EQ(got[0].segments, 1);
}

TEST_P(SmsTest, AReceiptMarksTheMessageDelivered) {
  const std::int64_t id = MustEnqueue(Accepted(), Phone()).at(0).id;
  ASSERT_TRUE(outbox().DeliverDue({nullptr, sender_.get()}).ok());
  const std::string message_id = sim_->Messages().at(0).message_id;
  auto json = sim_->Receipt(message_id, Status::kDelivered);
  ASSERT_TRUE(json.ok());
  auto receipt = ParseSmsReceipt(*json);
  ASSERT_TRUE(receipt.ok());
  EXPECT_EQ(receipt->client_ref, StableId(id));
  ASSERT_TRUE(outbox().RecordReceipt(receipt->message_id, receipt->status, receipt->detail).ok());
  EXPECT_EQ(outbox().Get(id)->status, Status::kDelivered);
  EXPECT_EQ(ParseSmsReceipt("{\"status\":\"read\",\"message_id\":\"x\"}").error().reason,
            "notify.bad_receipt");
}

TEST_P(SmsTest, AnInvalidNumberBouncesWithoutRetry) {
  const std::int64_t id = MustEnqueue(Accepted(), Phone("12345")).at(0).id;
  ASSERT_TRUE(outbox().DeliverDue({nullptr, sender_.get()}).ok());
  const Message m = *outbox().Get(id);
  EXPECT_EQ(m.status, Status::kBounced);
  EXPECT_NE(m.last_error.find("invalid_phone"), std::string::npos);
  EXPECT_TRUE(sim_->Messages().empty());
}

TEST_P(SmsTest, AGatewayDownOrAWrongKeyIsRetriedLater) {
  const std::int64_t id = MustEnqueue(Accepted(), Phone()).at(0).id;
  sim_->SetAvailable(false);
  auto report = outbox().DeliverDue({nullptr, sender_.get()});
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->retried, 1);
  Message m = *outbox().Get(id);
  EXPECT_EQ(m.status, Status::kQueued);
  EXPECT_NE(m.last_error.find("notify.sms_unavailable"), std::string::npos);

  sim_->SetAvailable(true);
  SmsGatewayConfig wrong = sim_->Config();
  wrong.api_key = "sai";
  SmsGatewaySender bad(wrong);
  clock_.Advance(options_.first_retry);
  EXPECT_EQ(outbox().DeliverDue({nullptr, &bad})->retried, 1);
  EXPECT_NE(outbox().Get(id)->last_error.find("401"), std::string::npos);

  clock_.Advance(options_.first_retry * 2);
  EXPECT_EQ(outbox().DeliverDue({nullptr, sender_.get()})->sent, 1);
  EXPECT_EQ(sim_->Messages().size(), 1u);
}

TEST_P(SmsTest, TheSimulatorAnswersARepeatedReferenceWithoutSendingAgain) {
  Message m = MustEnqueue(Accepted(), Phone()).at(0);
  auto first = sender_->Send(m);
  auto again = sender_->Send(m);
  ASSERT_TRUE(first.ok());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*first, *again);
  ASSERT_EQ(sim_->Messages().size(), 1u);
  EXPECT_EQ(sim_->Messages()[0].times, 2);
}

TINHSO_INSTANTIATE_BACKENDS(SmsTest);

}  // namespace
}  // namespace tinhso::notify
