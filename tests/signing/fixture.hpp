// What the signing tests share: the administrator who runs the PKI, a leader (user 21 of agency
// 13) whose certificates they issue, and a fixture with an initialised PKI on each backend.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <memory>
#include <string>

#include "auth/policy.hpp"
#include "core/actor.hpp"
#include "core/clock.hpp"
#include "http/contract.hpp"
#include "http/http.hpp"
#include "pki/pki.hpp"
#include "signing/signing.hpp"
#include "support/database.hpp"
#include "support/shell.hpp"
#include "support/temp_dir.hpp"

namespace tinhso::signing {

// Shell commands that make, in the current directory, an outside CA (ca.pem, ca.key) and a
// signer it certified (s.key, s.pem, ECDSA P-256): what another province's CA would give.
inline const std::string kOutsideSigner =
    "openssl req -x509 -newkey rsa:3072 -nodes -keyout ca.key -out ca.pem -days 30 -subj "
    "'/CN=Other CA' -addext basicConstraints=critical,CA:TRUE -addext "
    "keyUsage=critical,keyCertSign,cRLSign"
    " && openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout s.key -out "
    "s.csr -subj '/CN=Nguyen Van B/O=So Tai chinh'"
    " && openssl x509 -req -in s.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 10 -out "
    "s.pem";

inline core::Actor Admin() {
  core::Actor a;
  a.kind = core::ActorKind::kAdmin;
  a.user_id = 1;
  a.roles = {"admin"};
  return a;
}

inline core::Actor Signer() {
  core::Actor a;
  a.kind = core::ActorKind::kOfficer;
  a.user_id = 21;
  a.agency_id = 13;
  a.roles = {"leader"};
  return a;
}

// A PKI with its root and issuing CA (root.pem in dir_), and the signing service over it.
class SigningTest : public tinhso::test::BackendTest {
 protected:
  void SetUp() override {
    pki::Options o;
    o.master_key = pki::NewMasterKey();
    o.master_key_loaded = true;
    pki_ = std::make_unique<pki::Service>(db(), clock_, policy_, o);
    auto ca = pki_->Init({}, Admin());
    ASSERT_TRUE(ca.ok()) << ca.error().detail;
    ca_ = *ca;
    signing_ = std::make_unique<Service>(*pki_, clock_);
    tinhso::test::WriteFile(dir_ / "root.pem", ca_.root.Pem());
  }

  // A certificate of agency 13; an official's belongs to user 21.
  pki::Certificate Issue(pki::Kind kind, const std::string& name,
                         pki::KeyType key_type = pki::KeyType::kEcdsaP256, int days = 365) {
    pki::IssueInput in;
    in.kind = kind;
    in.key_type = key_type;
    in.subject.common_name = name;
    in.subject.organization = "Sở Văn hóa, Thể thao và Du lịch tỉnh Thái Nguyên";
    in.subject.title = kind == pki::Kind::kOfficial ? "Phó Giám đốc" : "";
    in.agency_id = 13;
    in.user_id = kind == pki::Kind::kOfficial ? 21 : 0;
    in.validity_days = days;
    auto c = pki_->Issue(in, Admin());
    EXPECT_TRUE(c.ok()) << c.error().message_en;
    return c.ok() ? *c : pki::Certificate{};
  }

  // POST to one of the routes (RegisterRoutes) as Signer(), its answer checked against the API
  // document (http::test::Contract::Call).
  Result<http::Response> Post(const std::string& path,
                              std::multimap<std::string, std::string> query, std::string body) {
    if (!contract_) {
      RegisterRoutes(router_, *signing_);
      contract_ = std::make_unique<http::test::Contract>(router_);
    }
    return contract_->Call(http::Method::kPost, path, std::move(body), std::move(query), Signer());
  }

  static bool Has(const SignatureReport& r, std::string_view code) {
    for (const Problem& p : r.problems) {
      if (p.code == code) return true;
    }
    return false;
  }

  core::FakeClock clock_{core::SystemClock().Now()};
  auth::Policy policy_;
  std::unique_ptr<pki::Service> pki_;
  std::unique_ptr<Service> signing_;
  pki::InitResult ca_;
  std::filesystem::path dir_ = tinhso::test::TempDir();
  http::Router router_;
  std::unique_ptr<http::test::Contract> contract_;
};

}  // namespace tinhso::signing
