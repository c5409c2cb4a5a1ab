// A fixture holding the whole application on a fresh database of each backend, as
// `tinhso serve` builds it (cheap password hashing aside).
#pragma once

#include <gtest/gtest.h>

#include "app/app.hpp"
#include "support/database.hpp"

namespace tinhso::app::test {

class AppTest : public tinhso::test::BackendTest {
 protected:
  void SetUp() override {
    tinhso::test::BackendTest::SetUp();
    auto app = App::Create(db(), clock_, MakeConfig(), auth::PasswordCost::Minimum());
    ASSERT_TRUE(app.ok()) << app.error().detail;
    app_ = std::move(*app);
  }

  // The configuration the app is built with; a fixture that needs more (a PKI master key)
  // overrides it.
  virtual Config MakeConfig() const { return Config{}; }

  // Creates an account with the password "mat-khau-du-dai", named `full_name` ("Người dùng
  // <login>" if empty).
  // A certificate from the app's PKI (its CA must exist): an organisation's for `agency_id`, or
  // an official's of `user_id` there. A failure is reported, and an empty certificate returned.
  pki::Certificate IssueCertificate(pki::Kind kind, std::int64_t agency_id, std::int64_t user_id,
                                    const std::string& name, const std::string& organization) {
    pki::IssueInput in;
    in.kind = kind;
    in.subject.common_name = name;
    in.subject.organization = organization;
    in.agency_id = agency_id;
    in.user_id = user_id;
    auto c = app_->pki().Issue(in, core::SystemActor());
    EXPECT_TRUE(c.ok()) << (c.ok() ? "" : c.error().message_en + " " + c.error().detail);
    return c.ok() ? *c : pki::Certificate{};
  }

  void AddUser(core::ActorKind kind, const std::string& login, std::int64_t agency_id = 0,
               std::vector<std::string> roles = {}, const std::string& full_name = "") {
    auth::NewUser u;
    u.kind = kind;
    u.login = login;
    u.full_name = full_name.empty() ? "Người dùng " + login : full_name;
    u.password = "mat-khau-du-dai";
    u.agency_id = agency_id;
    u.roles = std::move(roles);
    auto created = app_->accounts().Create(u, core::SystemActor());
    ASSERT_TRUE(created.ok()) << login << ": " << created.error().message_en;
  }

  core::FakeClock clock_{core::Seconds(std::chrono::seconds(1'763'900'000))};
  std::unique_ptr<App> app_;
};

}  // namespace tinhso::app::test
