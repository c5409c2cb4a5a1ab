// Fees paid online, on both backends: an officer asks for the fee, the citizen pays through the
// payment-platform simulator on loopback, the platform's confirmation resumes the dossier with
// the waiting time added to its appointment; a forged confirmation changes nothing.
#include "fixture.hpp"

namespace tinhso::dossiers::test {
namespace {

class PaymentFlowTest : public DossierTest {
 protected:
  void SetUp() override {
    DossierTest::SetUp();
    ConnectPaymentPlatform(&clock_);
  }
};

TEST_P(PaymentFlowTest, PaidOnlineResumesTheDossier) {
  auto& svc = app_->dossiers();
  auto d = svc.Submit(CriminalRecord(), Citizen());
  ASSERT_TRUE(d.ok());
  clock_.Set(At("2026-11-23T08:00"));
  auto a = svc.Transition(d->id, Act("accept", d->version), Officer(centre_, {"reception"}, 11));
  ASSERT_TRUE(a.ok());
  // Paying before the fee is asked for is refused.
  EXPECT_EQ(svc.StartPayment(d->id, Citizen()).error().reason, "dossier.illegal_transition");
  clock_.Set(At("2026-11-24T08:00"));
  auto asked =
      svc.Transition(d->id, Act("request_payment", a->version), Officer(justice_, {"officer"}, 21));
  ASSERT_TRUE(asked.ok()) << asked.error().message_en;
  EXPECT_EQ(asked->status, Status::kPaying);
  // Only the applicant starts the payment.
  EXPECT_FALSE(svc.StartPayment(d->id, Citizen(778)).ok());
  auto p = svc.StartPayment(d->id, Citizen());
  ASSERT_TRUE(p.ok()) << p.error().message_en << " " << p.error().detail;
  EXPECT_EQ(p->amount, 200000);
  EXPECT_FALSE(p->payment_url.empty());

  // A forged confirmation is refused and changes nothing.
  ASSERT_TRUE(sim_->Pay(p->reference).ok());
  auto forged = sim_->Confirmation(p->reference, payment::Simulator::Variant::kForged);
  ASSERT_TRUE(forged.ok());
  EXPECT_FALSE(app_->payments().Confirm(*forged).ok());
  EXPECT_EQ(svc.Get(d->id, Citizen())->status, Status::kPaying);

  // The genuine one, a working day later: processing resumes, the day waited is added.
  clock_.Set(At("2026-11-25T08:00"));
  auto genuine = sim_->Confirmation(p->reference);
  ASSERT_TRUE(genuine.ok());
  auto outcome = app_->payments().Confirm(*genuine);
  ASSERT_TRUE(outcome.ok()) << outcome.error().message_en;
  auto after = svc.Get(d->id, Citizen());
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->status, Status::kProcessing);
  EXPECT_TRUE(after->paid_online);
  EXPECT_EQ(*after->due_at, *a->due_at + std::chrono::days(1));  // 8 office hours later
  // A duplicated confirmation changes nothing more.
  ASSERT_TRUE(app_->payments().Confirm(*genuine).ok());
  EXPECT_EQ(svc.Get(d->id, Citizen())->version, after->version);
  auto events = svc.Timeline(d->id, Citizen());
  EXPECT_EQ(events->back().action, "paid");
}

// An online dossier is paid by its applicant's account only; reception pays for the applicant
// only what was taken at the counter.
TEST_P(PaymentFlowTest, ReceptionCannotPayAnOnlineDossierInTheApplicantsName) {
  auto& svc = app_->dossiers();
  const auto reception = Officer(centre_, {"reception"}, 11);
  const auto officer = Officer(justice_, {"officer"}, 21);
  auto d = svc.Submit(CriminalRecord(), Citizen());
  ASSERT_TRUE(d.ok());
  auto a = svc.Transition(d->id, Act("accept", d->version), reception);
  ASSERT_TRUE(a.ok());
  ASSERT_TRUE(svc.Transition(d->id, Act("request_payment", a->version), officer).ok());
  auto by_reception = svc.StartPayment(d->id, reception);
  ASSERT_FALSE(by_reception.ok());
  EXPECT_EQ(by_reception.error().code, ErrorCode::kPermissionDenied);
  EXPECT_TRUE(svc.StartPayment(d->id, Citizen()).ok());

  auto at_counter = CriminalRecord();
  at_counter.channel = Channel::kCounter;
  auto c = svc.Submit(at_counter, reception);
  ASSERT_TRUE(c.ok()) << c.error().message_en;
  ASSERT_TRUE(svc.Transition(c->id, Act("request_payment", c->version), officer).ok());
  auto proxy = svc.StartPayment(c->id, reception);
  ASSERT_TRUE(proxy.ok()) << proxy.error().message_en;
  EXPECT_EQ(proxy->amount, 200000);
}

TINHSO_INSTANTIATE_BACKENDS(PaymentFlowTest);

}  // namespace
}  // namespace tinhso::dossiers::test
