// Who acts as the applicant, on both backends. An online dossier belongs to the account that
// submitted it: only that account supplements, withdraws, rates or pays it. Reception speaks for
// the applicant only for dossiers taken at the counter or by post.
#include "audit/audit.hpp"
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

// An online applicant is the account's verified identity: another person's CCCD, or another
// name, is refused unless the submission says it is made for someone else.
TEST_P(ApplicantTest, OnlineApplicantIsTheAccountHolder) {
  auto& svc = app_->dossiers();
  auto someone_else = BirthRegistration();
  someone_else.applicant.id_number = "019190000001";  // a real-looking CCCD, not hers
  auto r = svc.Submit(someone_else, Citizen());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(r.error().reason, "dossier.applicant_not_account");
  EXPECT_NE(r.error().message_vi.find("Nộp thay cho người khác"), std::string::npos)
      << r.error().message_vi;
  EXPECT_NE(r.error().message_en.find("on_behalf"), std::string::npos) << r.error().message_en;
  auto renamed = BirthRegistration();
  renamed.applicant.name = "Trần Văn Bình";
  EXPECT_EQ(svc.Submit(renamed, Citizen()).error().reason, "dossier.applicant_not_account");
  EXPECT_EQ(CountRows("dossiers"), 0);

  // Her own name typed without diacritics, and no id number, are hers: the dossier carries the
  // account's identity as the account spells it.
  auto plain = BirthRegistration();
  plain.applicant.name = "nguyen thi  hong NHUNG";
  plain.applicant.id_number = "";
  auto mine = svc.Submit(plain, Citizen());
  ASSERT_TRUE(mine.ok()) << mine.error().message_en;
  EXPECT_EQ(mine->applicant.name, "Nguyễn Thị Hồng Nhung");
  EXPECT_EQ(mine->applicant.id_number, "001199012345");
  EXPECT_FALSE(mine->on_behalf);
  EXPECT_EQ(mine->submitter.id_number, "001199012345");
  EXPECT_EQ(mine->submitter.name, "Nguyễn Thị Hồng Nhung");
  EXPECT_EQ(mine->submitter.kind, 1);
}

// Nộp thay: the account submits for someone else, and both identities are stored, shown in the
// timeline and recorded in the audit log.
TEST_P(ApplicantTest, OnBehalfStoresBothIdentities) {
  auto& svc = app_->dossiers();
  auto in = BirthRegistration();
  in.applicant = {1, "Lê Văn Cường", "019190000001", "0987654321", "", "Chợ Đồn"};
  in.on_behalf = true;
  auto d = svc.Submit(in, Citizen());
  ASSERT_TRUE(d.ok()) << d.error().message_en;
  auto stored = svc.Get(d->id, Reception());
  ASSERT_TRUE(stored.ok());
  EXPECT_TRUE(stored->on_behalf);
  EXPECT_EQ(stored->applicant.name, "Lê Văn Cường");
  EXPECT_EQ(stored->applicant.id_number, "019190000001");
  EXPECT_EQ(stored->submitter.kind, 1);
  EXPECT_EQ(stored->submitter.name, "Nguyễn Thị Hồng Nhung");
  EXPECT_EQ(stored->submitter.id_number, "001199012345");
  EXPECT_EQ(stored->applicant_user_id, Citizen().user_id);  // her account acts for him

  auto events = svc.Timeline(d->id, Reception());
  ASSERT_TRUE(events.ok());
  ASSERT_FALSE(events->empty());
  EXPECT_NE(events->front().content.find("Nộp thay cho Lê Văn Cường"), std::string::npos)
      << events->front().content;
  audit::Filter f;
  f.action_prefix = "dossier.submit";
  auto entries = audit::List(db(), f);
  ASSERT_TRUE(entries.ok());
  ASSERT_EQ(entries->size(), 1u);
  const std::string& data = entries->front().data_json;
  EXPECT_NE(data.find("\"on_behalf\":true"), std::string::npos) << data;
  EXPECT_NE(data.find("001199012345"), std::string::npos) << data;
  EXPECT_NE(data.find("019190000001"), std::string::npos) << data;

  // Another person's number still has to be a possible one.
  in.applicant.id_number = "019327000001";  // "born" in 2027; the clock says 2026
  auto future = svc.Submit(in, Citizen());
  ASSERT_FALSE(future.ok());
  EXPECT_EQ(future.error().reason, "dossier.invalid_cccd");
  EXPECT_NE(future.error().message_en.find("birth year 2027"), std::string::npos)
      << future.error().message_en;
}

// A CCCD whose digits give a birth year after the current one (by the service's clock) is made
// up, whoever gives it: at the counter too.
TEST_P(ApplicantTest, CccdBornInTheFutureIsRefused) {
  auto& svc = app_->dossiers();
  auto in = BirthRegistration(Channel::kCounter);
  in.applicant.id_number = "001327000001";  // a girl "born" in 2027
  auto r = svc.Submit(in, Reception());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().reason, "dossier.invalid_cccd");
  EXPECT_NE(r.error().message_vi.find("năm sinh 2027"), std::string::npos) << r.error().message_vi;
  // In 2027 (by the service's clock, not the machine's) she may exist.
  clock_.Set(At("2027-01-04T09:00"));
  auto later = svc.Submit(in, Reception());
  EXPECT_TRUE(later.ok()) << later.error().message_en;
}

// A VNeID-verified account submitting in its own name: the dossier records the verification
// (the national sync's TaiKhoanDuocXacThucVoiVNeID) and the date of birth VNeID gave, whatever
// the page sent; nộp thay or an unverified account records none.
TEST_P(ApplicantTest, AVerifiedAccountsOwnDossierRecordsTheVerification) {
  auto& svc = app_->dossiers();
  core::Actor verified = Citizen();
  verified.identity_provider = "vneid";
  verified.identity_verified_at = 1'763'000'000;
  verified.birth_date = "1999-01-02";
  auto own = BirthRegistration();
  own.applicant.name = "nguyen thi hong nhung";  // her name, however typed: the account's is kept
  auto mine = svc.Submit(own, verified);
  ASSERT_TRUE(mine.ok()) << mine.error().message_en;
  auto stored = svc.Get(mine->id, Reception());
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->applicant.name, "Nguyễn Thị Hồng Nhung");
  EXPECT_EQ(stored->applicant_verified_by, "vneid");
  ASSERT_TRUE(stored->applicant_verified_at.has_value());
  EXPECT_EQ(stored->applicant_verified_at->time_since_epoch().count(), 1'763'000'000);
  EXPECT_EQ(stored->applicant_birth_date, "1999-01-02");

  auto for_him = BirthRegistration();
  for_him.applicant = {1, "Lê Văn Cường", "019190000001", "0987654321", "", "Chợ Đồn"};
  for_him.on_behalf = true;
  auto theirs = svc.Submit(for_him, verified);
  ASSERT_TRUE(theirs.ok()) << theirs.error().message_en;
  EXPECT_TRUE(theirs->applicant_verified_by.empty());
  EXPECT_FALSE(theirs->applicant_verified_at.has_value());
  EXPECT_TRUE(theirs->applicant_birth_date.empty());

  auto unverified = svc.Submit(BirthRegistration(), Citizen());
  ASSERT_TRUE(unverified.ok()) << unverified.error().message_en;
  EXPECT_TRUE(unverified->applicant_verified_by.empty());
}

TINHSO_INSTANTIATE_BACKENDS(ApplicantTest);

}  // namespace
}  // namespace tinhso::dossiers::test
