// Who acts as the applicant, on both backends. An online dossier belongs to the account that
// submitted it: only that account supplements, withdraws, rates or pays it. Reception speaks for
// the applicant only for dossiers taken at the counter or by post.
#include "fixture.hpp"

namespace tinhso::dossiers::test {
namespace {

class ApplicantTest : public DossierTest {
 protected:
  core::Actor Reception() { return Officer(commune_, {"reception"}, 11); }

  // An online birth registration accepted by the commune; `returned` takes it on to the result
  // handed back.
  Dossier Online(bool returned = false) {
    auto& svc = app_->dossiers();
    auto d = svc.Submit(BirthRegistration(), Citizen());
    EXPECT_TRUE(d.ok()) << d.error().message_en;
    auto a = svc.Transition(d->id, Act("accept", d->version), Reception());
    EXPECT_TRUE(a.ok()) << a.error().message_en;
    return returned ? Return(*a) : *a;
  }
  Dossier Counter(bool returned = false) {
    auto d = app_->dossiers().Submit(BirthRegistration(Channel::kCounter), Reception());
    EXPECT_TRUE(d.ok()) << d.error().message_en;
    return returned ? Return(*d) : *d;
  }
  Dossier Return(const Dossier& d) {
    auto& svc = app_->dossiers();
    auto issued =
        svc.Transition(d.id, Act("issue_result", d.version), Officer(commune_, {"leader"}, 22));
    EXPECT_TRUE(issued.ok()) << issued.error().message_en;
    auto back = svc.Transition(d.id, Act("return", issued->version), Reception());
    EXPECT_TRUE(back.ok()) << back.error().message_en;
    return *back;
  }
  Dossier AskSupplement(const Dossier& d) {
    auto ask = Act("request_supplement", d.version);
    ask.items = {"Bản sao giấy chứng sinh"};
    auto waiting = app_->dossiers().Transition(d.id, ask, Officer(commune_, {"officer"}, 21));
    EXPECT_TRUE(waiting.ok()) << waiting.error().message_en;
    return *waiting;
  }
  void ExpectDenied(const Result<Dossier>& r, std::int64_t id, Status unchanged) {
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::kPermissionDenied);
    EXPECT_EQ(app_->dossiers().Get(id, Citizen())->status, unchanged);
  }
};

TEST_P(ApplicantTest, ReceptionCannotWithdrawAnOnlineDossierInTheApplicantsName) {
  auto& svc = app_->dossiers();
  const Dossier online = Online();
  ExpectDenied(svc.Transition(online.id, Act("withdraw", online.version), Reception()), online.id,
               Status::kReceived);
  auto mine = svc.Transition(online.id, Act("withdraw", online.version), Citizen());
  ASSERT_TRUE(mine.ok()) << mine.error().message_en;
  EXPECT_EQ(mine->status, Status::kWithdrawn);
  // At the counter the applicant has no account: reception withdraws for them.
  const Dossier counter = Counter();
  auto proxy = svc.Transition(counter.id, Act("withdraw", counter.version), Reception());
  ASSERT_TRUE(proxy.ok()) << proxy.error().message_en;
  EXPECT_EQ(proxy->status, Status::kWithdrawn);
}

TEST_P(ApplicantTest, ReceptionCannotSupplementAnOnlineDossierInTheApplicantsName) {
  auto& svc = app_->dossiers();
  const Dossier online = AskSupplement(Online());
  auto give = Act("supplement", online.version);
  give.files = {{"TP2", "chung-sinh.pdf", Pdf("ban sao")}};
  ExpectDenied(svc.Transition(online.id, give, Reception()), online.id, Status::kSupplement);
  auto mine = svc.Transition(online.id, give, Citizen());
  ASSERT_TRUE(mine.ok()) << mine.error().message_en;
  EXPECT_EQ(mine->status, Status::kProcessing);
  const Dossier counter = AskSupplement(Counter());
  give.version = counter.version;
  auto proxy = svc.Transition(counter.id, give, Reception());
  ASSERT_TRUE(proxy.ok()) << proxy.error().message_en;
  EXPECT_EQ(proxy->status, Status::kProcessing);
}

TEST_P(ApplicantTest, ReceptionCannotRateAnOnlineDossierInTheApplicantsName) {
  auto& svc = app_->dossiers();
  const Dossier online = Online(/*returned=*/true);
  auto rate = Act("rate", online.version);
  rate.rating = 3;
  ExpectDenied(svc.Transition(online.id, rate, Reception()), online.id, Status::kReturned);
  EXPECT_FALSE(svc.Get(online.id, Citizen())->rating.has_value());
  auto mine = svc.Transition(online.id, rate, Citizen());
  ASSERT_TRUE(mine.ok()) << mine.error().message_en;
  EXPECT_EQ(mine->rating, 3);
  const Dossier counter = Counter(/*returned=*/true);
  rate.version = counter.version;
  auto proxy = svc.Transition(counter.id, rate, Reception());
  ASSERT_TRUE(proxy.ok()) << proxy.error().message_en;
  EXPECT_EQ(proxy->rating, 3);
}

TINHSO_INSTANTIATE_BACKENDS(ApplicantTest);

}  // namespace
}  // namespace tinhso::dossiers::test
