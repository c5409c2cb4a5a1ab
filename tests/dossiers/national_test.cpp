// The one-stop system using the national databases through the gateway (issue 17), on both
// backends, with the nationaldb simulator on loopback: the applicant's identity checked at
// submission (matches, a differing name, a number not found, the database down: submitted all
// the same, "unchecked", checked again later), the officer's override at the counter, a
// citizen's own record to fill the form, and a civil registration dossier accepted → sent once
// through the outbox and the gateway → its statuses polled into the timeline.
#include "app/national.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "core/crypto.hpp"
#include "dossiers/fixture.hpp"
#include "http/contract.hpp"
#include "nationaldb/simulator.hpp"

namespace tinhso::dossiers::test {
namespace {

class NationalDossierTest : public DossierTest {
 protected:
  void SetUp() override {
    auto sim = nationaldb::Simulator::Start({});
    ASSERT_TRUE(sim.ok()) << sim.error().message_en;
    simulator_ = std::move(*sim);
    DossierTest::SetUp();
    if (HasFatalFailure()) return;
    // The gateway signs its log with the province's organisation certificate.
    ASSERT_TRUE(app_->pki().Init({}, core::SystemActor()).ok());
    IssueCertificate(pki::Kind::kTsa, 0, 0, "Dịch vụ cấp dấu thời gian", "UBND tỉnh");
    IssueCertificate(pki::Kind::kOrganisation, province_, 0, "UBND tỉnh Thái Nguyên",
                     "UBND tỉnh Thái Nguyên");
    // The tree has its root only now: register as `serve` does at its start.
    ASSERT_TRUE(app::EnsureNationalServices(*app_, MakeConfig()).ok());
  }

  app::Config MakeConfig() const override {
    app::Config config;
    const auto key = pki::NewMasterKey();
    config.pki_master_key =
        core::Base64Encode(std::string(reinterpret_cast<const char*>(key.data()), key.size()));
    if (simulator_) config.nationaldb = simulator_->TransportOptions();
    return config;
  }

  // Nguyễn Văn An of the simulator, as his own account knows him.
  core::Actor An(std::string full_name = "Nguyễn Văn An") {
    core::Actor a = Citizen(501);
    a.login = "001099012345";
    a.full_name = std::move(full_name);
    return a;
  }

  // A birth registration by An for his child, stating his birth date.
  SubmitInput ByAn(std::string birth_date = "1999-01-02") {
    SubmitInput in = BirthRegistration();
    in.applicant = {1, "Nguyễn Văn An", "001099012345", "0912345678", "", "Ba Bể"};
    in.applicant_birth_date = std::move(birth_date);
    return in;
  }

  std::vector<std::string> Fields(const std::vector<FieldProblem>& problems) {
    std::vector<std::string> out;
    for (const FieldProblem& p : problems) out.push_back(p.field);
    return out;
  }

  std::vector<std::string> Actions(std::int64_t id) {
    auto events = app_->dossiers().Timeline(id, core::SystemActor());
    EXPECT_TRUE(events.ok());
    std::vector<std::string> out;
    if (events.ok()) {
      for (const Event& e : *events) out.push_back(e.action);
    }
    return out;
  }

  std::int64_t GatewayCalls(std::string_view service) {
    auto log = app_->gateway().Log({.service = std::string(service)}, core::SystemActor());
    EXPECT_TRUE(log.ok());
    return log.ok() ? static_cast<std::int64_t>(log->size()) : -1;
  }

  std::unique_ptr<nationaldb::Simulator> simulator_;
};

TEST_P(NationalDossierTest, AMatchingIdentityIsRecordedOnTheDossierAndItsView) {
  auto problems = app_->dossiers().CheckSubmission(ByAn(), An());
  ASSERT_TRUE(problems.ok()) << problems.error().message_en;
  EXPECT_TRUE(problems->empty());
  auto d = app_->dossiers().Submit(ByAn(), An());
  ASSERT_TRUE(d.ok()) << d.error().message_en;
  EXPECT_EQ(d->identity, IdentityStatus::kMatches);
  EXPECT_EQ(d->applicant_birth_date, "1999-01-02");
  ASSERT_TRUE(d->identity_checked_at);
  // Both checks went through the gateway as the one-stop system's calls.
  EXPECT_EQ(GatewayCalls(nationaldb::kPopulationService), 2);

  http::test::Contract contract(app_->router());
  auto got = contract.Call(http::Method::kGet, "/api/v1/dossiers/" + std::to_string(d->id), {}, {},
                           Officer(commune_, {"reception"}, 7));
  ASSERT_TRUE(got.ok()) << got.error().message_en;
  auto view = boost::json::parse(got->body).as_object();
  EXPECT_EQ(view.at("identity_check").at("status").as_string(), "matches");
  EXPECT_EQ(view.at("applicant_birth_date").as_string(), "1999-01-02");
}

TEST_P(NationalDossierTest, ADifferingNameOrBirthDateIsAFieldProblemAndRefusesOnline) {
  // Submitting for someone else (nộp thay) with a misspelt name.
  SubmitInput in = ByAn();
  in.on_behalf = true;
  in.applicant.name = "Nguyễn Văn Anh";
  auto problems = app_->dossiers().CheckSubmission(in, Citizen());
  ASSERT_TRUE(problems.ok()) << problems.error().message_en;
  ASSERT_EQ(Fields(*problems), std::vector<std::string>{"applicant.name"});
  EXPECT_EQ((*problems)[0].message_vi, "Họ tên không khớp với Cơ sở dữ liệu quốc gia về dân cư");
  EXPECT_EQ((*problems)[0].message_en,
            "The full name does not match the national population database");
  auto refused = app_->dossiers().Submit(in, Citizen());
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().reason, "dossier.identity_mismatch");
  EXPECT_EQ(CountRows("dossiers"), 0);

  // The account's own identity with a wrong birth date.
  problems = app_->dossiers().CheckSubmission(ByAn("1999-02-01"), An());
  ASSERT_TRUE(problems.ok());
  EXPECT_EQ(Fields(*problems), std::vector<std::string>{"applicant.birth_date"});
  // An account whose name is not the one recorded.
  problems = app_->dossiers().CheckSubmission(ByAn(), An("Nguyễn Văn Ân"));
  ASSERT_TRUE(problems.ok());
  EXPECT_EQ(Fields(*problems), std::vector<std::string>{"applicant.name"});
  EXPECT_FALSE(app_->dossiers().Submit(ByAn(), An("Nguyễn Văn Ân")).ok());
}

TEST_P(NationalDossierTest, ANumberNotFoundOrNoBirthDateIsAFieldProblem) {
  // The fixture's applicant is no citizen of the simulator's population database.
  SubmitInput in = BirthRegistration();
  in.applicant_birth_date = "1999-05-05";
  auto problems = app_->dossiers().CheckSubmission(in, Citizen());
  ASSERT_TRUE(problems.ok());
  ASSERT_EQ(Fields(*problems), std::vector<std::string>{"applicant.id_number"});
  EXPECT_EQ((*problems)[0].message_vi,
            "Số định danh cá nhân không có trong Cơ sở dữ liệu quốc gia về dân cư");
  auto refused = app_->dossiers().Submit(in, Citizen());
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().reason, "dossier.identity_mismatch");

  // No birth date: asked for, and nothing sent to the database.
  const std::int64_t calls = GatewayCalls(nationaldb::kPopulationService);
  problems = app_->dossiers().CheckSubmission(ByAn(""), An());
  ASSERT_TRUE(problems.ok());
  EXPECT_EQ(Fields(*problems), std::vector<std::string>{"applicant.birth_date"});
  auto no_date = app_->dossiers().Submit(ByAn(""), An());
  ASSERT_FALSE(no_date.ok());
  EXPECT_EQ(no_date.error().reason, "dossier.birth_date_required");
  EXPECT_EQ(GatewayCalls(nationaldb::kPopulationService), calls);
}

TEST_P(NationalDossierTest, ThePopulationDatabaseDownDoesNotBlockASubmission) {
  ASSERT_TRUE(simulator_->SetOutage(nationaldb::kPopulationService, true).ok());
  auto problems = app_->dossiers().CheckSubmission(ByAn(), An());
  ASSERT_TRUE(problems.ok());
  EXPECT_TRUE(problems->empty());  // nothing the citizen could correct
  auto d = app_->dossiers().Submit(ByAn(), An());
  ASSERT_TRUE(d.ok()) << d.error().message_en;
  EXPECT_EQ(d->status, Status::kRegistered);
  EXPECT_EQ(d->identity, IdentityStatus::kUnchecked);
  EXPECT_FALSE(d->identity_error.empty());

  // Not due yet: nothing asked. Still down when due: unchecked, asked later again.
  const core::Seconds now = clock_.Now();
  auto asked = app_->dossiers().RecheckIdentities(now, 10);
  ASSERT_TRUE(asked.ok());
  EXPECT_EQ(*asked, 0);
  asked = app_->dossiers().RecheckIdentities(now + std::chrono::minutes(6), 10);
  ASSERT_TRUE(asked.ok()) << asked.error().message_en;
  EXPECT_EQ(*asked, 1);
  asked = app_->dossiers().RecheckIdentities(now + std::chrono::minutes(7), 10);
  ASSERT_TRUE(asked.ok());
  EXPECT_EQ(*asked, 0);  // the next try waits longer (10 minutes after the last)

  // Back up: the next try records the answer, and the officer sees it.
  ASSERT_TRUE(simulator_->SetOutage(nationaldb::kPopulationService, false).ok());
  asked = app_->dossiers().RecheckIdentities(now + std::chrono::minutes(20), 10);
  ASSERT_TRUE(asked.ok());
  EXPECT_EQ(*asked, 1);
  auto after = app_->dossiers().Get(d->id, core::SystemActor());
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->identity, IdentityStatus::kMatches);
  EXPECT_TRUE(after->identity_error.empty());
  EXPECT_EQ(after->version, d->version);  // the officer's page stays current
  asked = app_->dossiers().RecheckIdentities(now + std::chrono::hours(48), 10);
  ASSERT_TRUE(asked.ok());
  EXPECT_EQ(*asked, 0);
}

TEST_P(NationalDossierTest, TheGatewayRefusingTheCallDoesNotBlockASubmission) {
  // An administrator withdrew the one-stop system's right to the population database.
  auto rights = app_->gateway().Rights(false, core::SystemActor());
  ASSERT_TRUE(rights.ok());
  for (const gateway::Right& r : *rights) {
    if (r.service_code == nationaldb::kPopulationService) {
      ASSERT_TRUE(app_->gateway().Withdraw(r.id, core::SystemActor()).ok());
    }
  }
  auto d = app_->dossiers().Submit(ByAn(), An());
  ASSERT_TRUE(d.ok()) << d.error().message_en;
  EXPECT_EQ(d->identity, IdentityStatus::kUnchecked);
  EXPECT_EQ(d->identity_error, "nationaldb.authen_error");
}

TEST_P(NationalDossierTest, AtTheCounterAMismatchIsRecordedNotRefused) {
  SubmitInput in = ByAn();
  in.channel = Channel::kCounter;
  in.applicant.name = "Nguyễn Văn Anh";
  auto d = app_->dossiers().Submit(in, Officer(commune_, {"reception"}, 7));
  ASSERT_TRUE(d.ok()) << d.error().message_en;
  EXPECT_EQ(d->status, Status::kReceived);
  EXPECT_EQ(d->identity, IdentityStatus::kDiffers);
  EXPECT_EQ(d->identity_differing, std::vector<std::string>{"name"});
}

TEST_P(NationalDossierTest, ACitizenTakesOnlyTheirOwnRecordToFillTheForm) {
  http::test::Contract contract(app_->router());
  auto mine = contract.Call(http::Method::kGet, "/api/v1/citizens/me", {}, {}, An());
  ASSERT_TRUE(mine.ok()) << mine.error().message_en;
  auto record = boost::json::parse(mine->body).as_object();
  EXPECT_EQ(record.at("so_dinh_danh").as_string(), "001099012345");
  EXPECT_EQ(record.at("ngay_sinh").as_string(), "1999-01-02");
  EXPECT_EQ(record.at("noi_thuong_tru").as_string(), "Thôn Pác Ngòi, xã Ba Bể, tỉnh Thái Nguyên");
  // Another's number cannot be asked: the route takes none, and an officer or a business is
  // refused (reception has POST /api/v1/citizens/check, which needs the whole identity).
  auto officer = contract.Call(http::Method::kGet, "/api/v1/citizens/me", {}, {},
                               Officer(commune_, {"reception"}, 7));
  ASSERT_FALSE(officer.ok());
  EXPECT_EQ(officer.error().code, ErrorCode::kPermissionDenied);
  core::Actor business = An();
  business.kind = core::ActorKind::kBusiness;
  business.login = "0100109106";
  EXPECT_FALSE(contract.Call(http::Method::kGet, "/api/v1/citizens/me", {}, {}, business).ok());
  // A citizen the database does not know: not found, nobody else's record.
  auto unknown = contract.Call(http::Method::kGet, "/api/v1/citizens/me", {}, {}, Citizen());
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code, ErrorCode::kNotFound);
  EXPECT_FALSE(app_->policy().Allows(Officer(commune_, {"reception"}, 7), "citizen.self"));
  EXPECT_TRUE(app_->policy().Allows(An(), "citizen.self"));
}

TEST_P(NationalDossierTest, ACivilRegistrationGoesOnceThroughTheGatewayAndItsStatusesComeBack) {
  auto submitted = app_->dossiers().Submit(ByAn(), An());
  ASSERT_TRUE(submitted.ok()) << submitted.error().message_en;
  auto accepted = app_->dossiers().Transition(submitted->id, Act("accept", submitted->version),
                                              Officer(commune_, {"reception"}, 7));
  ASSERT_TRUE(accepted.ok()) << accepted.error().message_en;
  const std::string code = accepted->code;

  // Queued in the accepting transaction; delivered once through the gateway as the one-stop
  // system, with its idempotency key; a second run finds nothing to send.
  app::GatewaySender sender(app_->gateway(),
                            [this] { return app::OneStopSubsystem(*app_, MakeConfig()); });
  auto run = app_->outgoing().DeliverDue(clock_.Now(), sender);
  ASSERT_TRUE(run.ok()) << run.error().message_en;
  EXPECT_EQ(run->delivered, 1);
  run = app_->outgoing().DeliverDue(clock_.Now() + std::chrono::hours(1), sender);
  ASSERT_TRUE(run.ok());
  EXPECT_EQ(run->claimed, 0);
  auto sent = simulator_->CivilDossier(code);
  ASSERT_TRUE(sent) << code;
  EXPECT_EQ(sent->times, 1);
  EXPECT_EQ(sent->ma_don_vi, "H55.60.01");
  auto body = boost::json::parse(sent->body).as_object();
  EXPECT_EQ(body.at("loaiHoSo").as_string(), "KS");
  EXPECT_EQ(body.at("duLieu").at("child_name").as_string(), "Nguyễn Minh An");
  auto log = app_->gateway().Log({.service = "hotich"}, core::SystemActor());
  ASSERT_TRUE(log.ok());
  ASSERT_EQ(log->size(), 1u);
  EXPECT_EQ((*log)[0].client, "H55/motcua");
  EXPECT_EQ((*log)[0].status, 200);

  // Polled: at most once per interval, the news into the timeline.
  const auto every = std::chrono::minutes(10);
  core::Seconds t = clock_.Now();
  auto poll = [&](core::Seconds at) {
    auto report =
        app::PollCivilRegistrations(app_->dossiers(), app_->civil_registration(), at, every, 50);
    EXPECT_TRUE(report.ok()) << (report.ok() ? "" : report.error().message_en);
    return report.ok() ? *report : app::CivilPollReport{};
  };
  EXPECT_EQ(poll(t).asked, 0);  // first asked a minute after acceptance
  t += std::chrono::minutes(2);
  auto first = poll(t);
  EXPECT_EQ(first.asked, 1);
  EXPECT_EQ(first.changed, 1);                            // 1: received
  EXPECT_EQ(poll(t + std::chrono::minutes(5)).asked, 0);  // not again within the interval
  t += every;
  EXPECT_EQ(poll(t).changed, 0);  // still received: no new event
  ASSERT_TRUE(simulator_->SetCivilStatus(code, 3, "").ok());
  t += every;
  EXPECT_EQ(poll(t).changed, 1);
  ASSERT_TRUE(simulator_->SetCivilStatus(code, 4, "Giấy khai sinh số 125/2026").ok());
  t += every;
  EXPECT_EQ(poll(t).changed, 1);
  t += every;
  EXPECT_EQ(poll(t).asked, 0);  // registered: final

  const std::vector<std::string> actions = Actions(submitted->id);
  const std::vector<std::string> expected = {"submit", "accept", "civil_received", "civil_eligible",
                                             "civil_registered"};
  EXPECT_EQ(actions, expected);
  auto events = app_->dossiers().Timeline(submitted->id, core::SystemActor());
  ASSERT_TRUE(events.ok());
  EXPECT_EQ(events->back().content, "Đã đăng ký hộ tịch. Ghi chú: Giấy khai sinh số 125/2026");
  auto cases = app_->dossiers().ExternalCases(submitted->id, core::SystemActor());
  ASSERT_TRUE(cases.ok());
  ASSERT_EQ(cases->size(), 1u);
  EXPECT_EQ((*cases)[0].status, 4);
  EXPECT_TRUE((*cases)[0].final);
  // The applicant sees it in the public lookup too.
  auto lookup = app_->dossiers().Lookup(code, submitted->lookup_secret);
  ASSERT_TRUE(lookup.ok());
  EXPECT_NE(lookup->events_json.find("civil_registered"), std::string::npos);
}

TEST_P(NationalDossierTest, ARegistryThatRefusesTheMessageMakesItDeadNotDelivered) {
  auto submitted = app_->dossiers().Submit(ByAn(), An());
  ASSERT_TRUE(submitted.ok());
  ASSERT_TRUE(app_->dossiers()
                  .Transition(submitted->id, Act("accept", submitted->version),
                              Officer(commune_, {"reception"}, 7))
                  .ok());
  // LGSP answers its errors with HTTP 200: the sender reads the envelope.
  simulator_->SetFault(nationaldb::kCivilRegistrationService,
                       {.kind = nationaldb::Simulator::FaultKind::kLgspError, .code = "106"});
  app::GatewaySender sender(app_->gateway(),
                            [this] { return app::OneStopSubsystem(*app_, MakeConfig()); });
  auto run = app_->outgoing().DeliverDue(clock_.Now(), sender);
  ASSERT_TRUE(run.ok());
  EXPECT_EQ(run->delivered, 0);
  EXPECT_EQ(run->dead, 1);
}

TINHSO_INSTANTIATE_BACKENDS(NationalDossierTest);

}  // namespace
}  // namespace tinhso::dossiers::test
