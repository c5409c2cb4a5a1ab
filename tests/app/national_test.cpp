// The one-stop system reaches the national databases through the gateway, on both backends:
// the registry entries made from [nationaldb], a population check that the gateway logs and
// signs as the one-stop system's call, a withdrawn right taking effect at once, and reception's
// POST /api/v1/citizens/check, which reveals a record only for an identity stated correctly.
#include "app/national.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "app/app_fixture.hpp"
#include "core/crypto.hpp"
#include "http/contract.hpp"
#include "nationaldb/simulator.hpp"

namespace tinhso::app {
namespace {

class NationalTest : public test::AppTest {
 protected:
  void SetUp() override {
    // Real time: the gateway's records are time-stamped by the PKI's TSA.
    clock_.Set(core::SystemClock().Now());
    auto sim = nationaldb::Simulator::Start({});
    ASSERT_TRUE(sim.ok()) << sim.error().message_en;
    simulator_ = std::move(*sim);
    AppTest::SetUp();
    if (HasFatalFailure()) return;
    agencies::AgencyInput province;
    province.code = "H55";
    province.name = "Ủy ban nhân dân tỉnh Thái Nguyên";
    province.kind = "province_pc";
    auto created = app_->agencies().Create(province, core::SystemActor());
    ASSERT_TRUE(created.ok()) << created.error().message_en;
    province_ = created->id;
    ASSERT_TRUE(app_->pki().Init({}, core::SystemActor()).ok());
    IssueCertificate(pki::Kind::kTsa, 0, 0, "Dịch vụ cấp dấu thời gian", province.name);
    IssueCertificate(pki::Kind::kOrganisation, province_, 0, province.name, province.name);
    // The tree has its root only now: register as `serve` does at its start.
    ASSERT_TRUE(EnsureNationalServices(*app_, MakeConfig()).ok());
  }

  Config MakeConfig() const override {
    Config config;
    const auto key = pki::NewMasterKey();
    config.pki_master_key =
        core::Base64Encode(std::string(reinterpret_cast<const char*>(key.data()), key.size()));
    if (simulator_) config.nationaldb = simulator_->TransportOptions();
    return config;
  }

  nationaldb::Citizen An() const {
    for (const nationaldb::Citizen& c : nationaldb::Simulator::DemoCitizens()) {
      if (c.so_dinh_danh == "001099012345") return c;
    }
    ADD_FAILURE() << "no demo citizen 001099012345";
    return {};
  }

  std::unique_ptr<nationaldb::Simulator> simulator_;
  std::int64_t province_ = 0;
};

TEST_P(NationalTest, APopulationCheckGoesThroughTheGatewayAsTheOneStopSystem) {
  const nationaldb::Citizen an = An();
  auto check = app_->population().CheckCitizen(
      {.so_dinh_danh = an.so_dinh_danh, .ho_va_ten = an.ho_va_ten, .ngay_sinh = an.ngay_sinh},
      {.ma_can_bo = "motcua.babe", .ma_yeu_cau = ""});
  ASSERT_TRUE(check.ok()) << check.error().message_en << " " << check.error().detail;
  EXPECT_EQ(check->match, nationaldb::CitizenMatch::kMatches);
  auto wrong = app_->population().CheckCitizen(
      {.so_dinh_danh = an.so_dinh_danh, .ho_va_ten = "Nguyễn Văn Anh", .ngay_sinh = an.ngay_sinh},
      {.ma_can_bo = "motcua.babe", .ma_yeu_cau = ""});
  ASSERT_TRUE(wrong.ok());
  EXPECT_EQ(wrong->match, nationaldb::CitizenMatch::kDiffers);
  EXPECT_EQ(wrong->differing, std::vector<std::string>{"ho_va_ten"});

  // The gateway logged both as the one-stop system's calls to the population database, and
  // the log holds.
  auto log = app_->gateway().Log({.service = "csdldancu"}, core::SystemActor());
  ASSERT_TRUE(log.ok());
  ASSERT_EQ(log->size(), 2u);
  EXPECT_EQ((*log)[0].client, "H55/motcua");
  EXPECT_EQ((*log)[0].status, 200);
  ASSERT_TRUE(app_->gateway().Stamp().ok());
  auto verified = app_->gateway().Verify();
  ASSERT_TRUE(verified.ok());
  EXPECT_TRUE(verified->ok) << verified->problem_en;
  EXPECT_EQ(verified->stamps, 1);

  // A withdrawn right stops the next call at the gateway; the adapter says why.
  auto rights = app_->gateway().Rights(false, core::SystemActor());
  ASSERT_TRUE(rights.ok());
  for (const gateway::Right& r : *rights) {
    if (r.service_code == "csdldancu") {
      ASSERT_TRUE(app_->gateway().Withdraw(r.id, core::SystemActor()).ok());
    }
  }
  auto refused = app_->population().FetchCitizen(an.so_dinh_danh, {});
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().reason, "nationaldb.authen_error");

  // A restart registers again: the administrator's withdrawal stands.
  ASSERT_TRUE(EnsureNationalServices(*app_, MakeConfig()).ok());
  EXPECT_FALSE(app_->population().FetchCitizen(an.so_dinh_danh, {}).ok());
}

TEST_P(NationalTest, ReceptionChecksAnApplicantAndGetsTheRecordOnlyWhenItMatches) {
  const nationaldb::Citizen an = An();
  http::test::Contract contract(app_->router());
  core::Actor reception;
  reception.kind = core::ActorKind::kOfficer;
  reception.user_id = 9;
  reception.login = "motcua.babe";
  reception.agency_id = province_;
  reception.roles = {"reception"};
  auto body = [&](const std::string& name) {
    return boost::json::serialize(boost::json::object{
        {"so_dinh_danh", an.so_dinh_danh}, {"ho_va_ten", name}, {"ngay_sinh", an.ngay_sinh}});
  };
  auto ok = contract.Call(http::Method::kPost, "/api/v1/citizens/check", body(an.ho_va_ten), {},
                          reception);
  ASSERT_TRUE(ok.ok()) << ok.error().message_en;
  auto view = boost::json::parse(ok->body).as_object();
  EXPECT_EQ(view.at("match").as_string(), "matches");
  EXPECT_EQ(view.at("citizen").at("noi_thuong_tru").as_string(), an.noi_thuong_tru);

  auto other = contract.Call(http::Method::kPost, "/api/v1/citizens/check", body("Trần Thị Bình"),
                             {}, reception);
  ASSERT_TRUE(other.ok());
  view = boost::json::parse(other->body).as_object();
  EXPECT_EQ(view.at("match").as_string(), "differs");
  EXPECT_TRUE(view.at("citizen").is_null());  // a number alone reveals nobody's data
}

TINHSO_INSTANTIATE_BACKENDS(NationalTest);

}  // namespace
}  // namespace tinhso::app
