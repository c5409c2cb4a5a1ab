// The provincial PKI on SQLite and PostgreSQL, checked with the `openssl` command-line tool as
// an outside verifier: chains, profiles, CRLs, revocation, renewal, PKCS#12 import, sealed keys.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <map>

#include "auth/policy.hpp"
#include "core/clock.hpp"
#include "core/crypto.hpp"
#include "core/parse.hpp"
#include "http/contract.hpp"
#include "http/http.hpp"
#include "pki/pki.hpp"
#include "support/database.hpp"
#include "support/shell.hpp"
#include "support/temp_dir.hpp"

namespace tinhso::pki {
namespace {

using test::ReadFile;
using test::Shell;
using test::WriteFile;
using ShellRun = test::ShellResult;

core::Actor Admin() {
  core::Actor a;
  a.kind = core::ActorKind::kAdmin;
  a.user_id = 1;
  a.login = "quantri";
  a.roles = {"admin"};
  return a;
}

core::Actor Officer(std::int64_t user_id, std::int64_t agency_id, std::string role) {
  core::Actor a;
  a.kind = core::ActorKind::kOfficer;
  a.user_id = user_id;
  a.login = "canbo" + std::to_string(user_id);
  a.agency_id = agency_id;
  a.roles = {std::move(role)};
  return a;
}

class PkiTest : public test::BackendTest {
 protected:
  Service& pki() {
    if (!service_) {
      Options o;
      o.master_key = master_key_;
      o.master_key_loaded = true;
      service_ = std::make_unique<Service>(db(), clock_, policy_, o);
    }
    return *service_;
  }

  InitResult InitOrDie(KeyType type = KeyType::kEcdsaP256) {
    InitInput in;
    in.key_type = type;
    auto r = pki().Init(in, Admin());
    EXPECT_TRUE(r.ok()) << r.error().message_en << " " << r.error().detail;
    return r.ok() ? std::move(*r) : InitResult{};
  }

  Certificate IssueOrDie(Kind kind, KeyType type = KeyType::kEcdsaP256) {
    IssueInput in;
    in.kind = kind;
    in.key_type = type;
    in.subject.common_name =
        kind == Kind::kOfficial ? "Phạm Thị Hồng" : "Sở Văn hóa, Thể thao và Du lịch";
    in.subject.organization = "Sở Văn hóa, Thể thao và Du lịch tỉnh Thái Nguyên";
    in.subject.title = kind == Kind::kOfficial ? "Phó Giám đốc" : "";
    in.subject.locality = "Thái Nguyên";
    in.agency_id = 13;
    in.user_id = kind == Kind::kOfficial ? 21 : 0;
    auto r = pki().Issue(in, Admin());
    EXPECT_TRUE(r.ok()) << r.error().message_en << " " << r.error().detail;
    return r.ok() ? std::move(*r) : Certificate{};
  }

  // A route (RegisterRoutes) called as `actor`, its answer checked against the API document.
  Result<http::Response> Call(http::Method method, const std::string& path, std::string body = {},
                              std::multimap<std::string, std::string> query = {},
                              const core::Actor& actor = Admin()) {
    if (!contract_) {
      RegisterRoutes(router_, pki());
      contract_ = std::make_unique<http::test::Contract>(router_);
    }
    return contract_->Call(method, path, std::move(body), std::move(query), actor);
  }

  static boost::json::object Json(const Result<http::Response>& r) {
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message_en);
    if (!r.ok()) return {};
    return boost::json::parse(r->body).as_object();
  }

  static std::string Reason(const Result<http::Response>& r) {
    return r.ok() ? "(none: " + std::to_string(r->status) + ")" : r.error().reason;
  }

  // openssl verify's "-attime": the fake clock's now. Certificates and CRLs are dated by the
  // fake clock, so openssl must judge them at that time, not at the wall clock's: a CRL made
  // "in November 2026" has expired by December, and the test would fail by itself with the
  // calendar.
  std::string AtFakeNow() const {
    return " -attime " + std::to_string(clock_.Now().time_since_epoch().count()) + " ";
  }

  // openssl verify with our root as the only trust anchor, at the fake clock's time.
  ShellRun Verify(const InitResult& ca, const Certificate& leaf, const std::string& extra = "") {
    WriteFile(dir_ / "root.pem", ca.root.Pem());
    WriteFile(dir_ / "issuing.pem", ca.issuing.Pem());
    WriteFile(dir_ / "leaf.pem", leaf.Pem());
    return Shell("openssl verify -x509_strict" + AtFakeNow() + "-CAfile " +
                 (dir_ / "root.pem").string() + " -untrusted " + (dir_ / "issuing.pem").string() +
                 " " + extra + " " + (dir_ / "leaf.pem").string());
  }

  // A fixed day, far from today's: whatever the calendar says when the suite runs, nothing here
  // may depend on it (see AtFakeNow).
  core::FakeClock clock_{core::Seconds(std::chrono::seconds(1'795'000'000))};  // Nov 2026
  auth::Policy policy_;
  std::array<unsigned char, 32> master_key_ = NewMasterKey();
  std::unique_ptr<Service> service_;
  std::filesystem::path dir_ = test::TempDir();
  http::Router router_;
  std::unique_ptr<http::test::Contract> contract_;
};

TEST_P(PkiTest, InitCreatesARootAndAnIssuingCaOnce) {
  const InitResult ca = InitOrDie();
  EXPECT_EQ(ca.root.kind, Kind::kRoot);
  EXPECT_TRUE(ca.root.trusted);
  EXPECT_EQ(ca.issuing.issuer_id, ca.root.id);
  EXPECT_NE(ca.root.subject.find("Ủy ban nhân dân tỉnh Thái Nguyên"), std::string::npos)
      << ca.root.subject << ": UTF-8 as written";
  WriteFile(dir_ / "root.pem", ca.root.Pem());
  WriteFile(dir_ / "issuing.pem", ca.issuing.Pem());
  const ShellRun text = Shell("openssl x509 -noout -text -in " + (dir_ / "issuing.pem").string());
  EXPECT_NE(text.out.find("CA:TRUE, pathlen:0"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("Certificate Sign, CRL Sign"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("/api/v1/pki/crl/" + std::to_string(ca.root.id) + ".crl"),
            std::string::npos)
      << text.out;
  const ShellRun chain =
      Shell("openssl verify -x509_strict" + AtFakeNow() + "-CAfile " +
            (dir_ / "root.pem").string() + " " + (dir_ / "issuing.pem").string());
  EXPECT_EQ(chain.exit_code, 0) << chain.out;

  auto again = pki().Init({}, Admin());
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().reason, "pki.already_initialised");
}

TEST_P(PkiTest, IssuedCertificatesVerifyWithOpenSslInBothKeyTypes) {
  const InitResult ca = InitOrDie(KeyType::kRsa3072);
  for (KeyType type : {KeyType::kEcdsaP256, KeyType::kRsa3072}) {
    for (Kind kind : {Kind::kOrganisation, Kind::kOfficial, Kind::kTsa}) {
      const Certificate c = IssueOrDie(kind, type);
      EXPECT_EQ(c.key_type, KeyTypeName(type));
      EXPECT_TRUE(c.has_key);
      const ShellRun purpose = Verify(ca, c, kind == Kind::kTsa ? "-purpose timestampsign" : "");
      EXPECT_EQ(purpose.exit_code, 0)
          << KindName(kind) << " " << KeyTypeName(type) << ": " << purpose.out;
    }
  }
  const Certificate official = IssueOrDie(Kind::kOfficial);
  WriteFile(dir_ / "o.pem", official.Pem());
  const ShellRun text =
      Shell("openssl x509 -noout -text -nameopt utf8 -in " + (dir_ / "o.pem").string());
  EXPECT_NE(text.out.find("Digital Signature, Non Repudiation"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("CA:FALSE"), std::string::npos);
  EXPECT_NE(text.out.find("Phạm Thị Hồng"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("Phó Giám đốc"), std::string::npos) << text.out;
}

TEST_P(PkiTest, RevocationAppearsInTheCrlAndOpenSslRefusesTheCertificate) {
  const InitResult ca = InitOrDie();
  const Certificate c = IssueOrDie(Kind::kOfficial);
  auto crl = pki().Crl(ca.issuing.id);
  ASSERT_TRUE(crl.ok()) << crl.error().detail;
  WriteFile(dir_ / "empty.crl", *crl);
  Shell("openssl crl -inform DER -in " + (dir_ / "empty.crl").string() + " -out " +
        (dir_ / "empty.pem").string());
  EXPECT_EQ(Verify(ca, c, "-crl_check -CRLfile " + (dir_ / "empty.pem").string()).exit_code, 0);

  clock_.Advance(std::chrono::minutes(10));
  auto revoked = pki().Revoke(c.id, RevocationReason::kKeyCompromise, Admin());
  ASSERT_TRUE(revoked.ok()) << revoked.error().message_en;
  EXPECT_EQ(revoked->status, Status::kRevoked);
  EXPECT_EQ(pki().Revoke(c.id, RevocationReason::kKeyCompromise, Admin()).error().reason,
            "pki.already_revoked");
  crl = pki().Crl(ca.issuing.id);
  ASSERT_TRUE(crl.ok());
  WriteFile(dir_ / "issuing.crl", *crl);
  const ShellRun listed =
      Shell("openssl crl -inform DER -noout -text -in " + (dir_ / "issuing.crl").string());
  EXPECT_NE(listed.out.find("Serial Number: " + c.serial), std::string::npos) << listed.out;
  EXPECT_NE(listed.out.find("Key Compromise"), std::string::npos) << listed.out;
  EXPECT_NE(listed.out.find("X509v3 CRL Number: \n                2"), std::string::npos)
      << "a new number for a new CRL: " << listed.out;
  // The CRL is signed by the issuing CA.
  WriteFile(dir_ / "issuing.pem", ca.issuing.Pem());
  EXPECT_EQ(Shell("openssl crl -inform DER -noout -in " + (dir_ / "issuing.crl").string() +
                  " -CAfile " + (dir_ / "issuing.pem").string())
                .exit_code,
            0);
  Shell("openssl crl -inform DER -in " + (dir_ / "issuing.crl").string() + " -out " +
        (dir_ / "issuing-crl.pem").string());
  const ShellRun refused =
      Verify(ca, c, "-crl_check -CRLfile " + (dir_ / "issuing-crl.pem").string());
  EXPECT_NE(refused.exit_code, 0);
  EXPECT_NE(refused.out.find("certificate revoked"), std::string::npos) << refused.out;

  // A revoked certificate no longer signs.
  EXPECT_EQ(pki().KeyForSigning(c.id, Officer(21, 13, "leader")).error().reason, "pki.not_usable");
}

TEST_P(PkiTest, RenewalSupersedesTheOldCertificateWithTheSameSubject) {
  InitOrDie();
  const Certificate old = IssueOrDie(Kind::kOrganisation);
  auto fresh = pki().Renew(old.id, Admin());
  ASSERT_TRUE(fresh.ok()) << fresh.error().message_en << fresh.error().detail;
  EXPECT_EQ(fresh->subject, old.subject);
  EXPECT_NE(fresh->serial, old.serial);
  EXPECT_EQ(fresh->agency_id, old.agency_id);
  auto reread = pki().Get(old.id);
  EXPECT_EQ(reread->status, Status::kSuperseded);
  EXPECT_EQ(reread->replaced_by, fresh->id);
  EXPECT_EQ(pki().Renew(old.id, Admin()).error().reason, "pki.not_renewable");
  ListQuery q;
  q.agency_id = 13;
  EXPECT_EQ(pki().List(q)->size(), 1u) << "only the valid one by default";
  q.include_inactive = true;
  EXPECT_EQ(pki().List(q)->size(), 2u);
}

TEST_P(PkiTest, OnlyTheRightPeopleGetASigningKey) {
  InitOrDie();
  const Certificate official = IssueOrDie(Kind::kOfficial);  // user 21 of agency 13
  const Certificate seal = IssueOrDie(Kind::kOrganisation);  // agency 13
  auto mine = pki().KeyForSigning(official.id, Officer(21, 13, "leader"));
  ASSERT_TRUE(mine.ok()) << mine.error().message_en;
  EXPECT_FALSE(mine->private_key_der.empty());
  EXPECT_EQ(mine->chain_der.size(), 1u) << "the issuing CA, not the trusted root";
  EXPECT_EQ(pki().KeyForSigning(official.id, Officer(22, 13, "leader")).error().code,
            ErrorCode::kPermissionDenied)
      << "nobody else's personal key";
  EXPECT_TRUE(pki().KeyForSigning(seal.id, Officer(30, 13, "clerk")).ok()) << "the văn thư";
  EXPECT_EQ(pki().KeyForSigning(seal.id, Officer(31, 14, "clerk")).error().code,
            ErrorCode::kPermissionDenied)
      << "another agency's seal";
  EXPECT_EQ(pki().KeyForSigning(seal.id, Officer(32, 13, "officer")).error().code,
            ErrorCode::kPermissionDenied);
  EXPECT_TRUE(pki().KeyForSigning(seal.id, core::SystemActor()).ok())
      << "the server's own flows (a dossier's result) and the operator's CLI";
}

TEST_P(PkiTest, KeysAreSealedAndUselessWithAnotherMasterKey) {
  InitOrDie();
  const Certificate official = IssueOrDie(Kind::kOfficial);
  auto key = pki().KeyForSigning(official.id, Officer(21, 13, "leader"));
  ASSERT_TRUE(key.ok());
  {
    auto tx = db().Begin(storage::TxKind::kReadOnly);
    auto rows = (*tx)->Query("SELECT sealed FROM pki_keys");
    ASSERT_TRUE(rows.ok());
    for (const auto& r : *rows) {
      EXPECT_EQ(r.Blob(0).find(key->private_key_der.substr(8, 24)), std::string::npos)
          << "no key in the clear";
    }
  }
  Options other;
  other.master_key = NewMasterKey();
  other.master_key_loaded = true;
  Service stolen(db(), clock_, policy_, other);
  auto refused = stolen.KeyForSigning(official.id, Officer(21, 13, "leader"));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().reason, "pki.key_unsealable");
}

TEST_P(PkiTest, ImportsAPkcs12FromAnotherCaAndTrustsAnchorsOnlyWhenAsked) {
  clock_.Set(core::SystemClock().Now());
  InitOrDie();
  // Another CA and a certificate from it, made by openssl as a government CA would.
  const auto d = dir_.string();
  const ShellRun made = Shell(
      "cd " + d +
      " && openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key "
      "-out ca.pem -days 30 -subj '/CN=Bo Cong an CA' -addext basicConstraints=critical,CA:TRUE "
      "-addext keyUsage=critical,keyCertSign,cRLSign"
      " && openssl req -newkey rsa:3072 -nodes -keyout p.key -out p.csr -subj '/CN=Nguyen Van A'"
      " && openssl x509 -req -in p.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 10 -out "
      "p.pem"
      " && openssl pkcs12 -export -inkey p.key -in p.pem -certfile ca.pem -passout pass:mat-khau "
      "-out p.p12");
  ASSERT_EQ(made.exit_code, 0) << made.out;
  // openssl dates its certificates from the real now, to the second: be just after it.
  clock_.Set(core::SystemClock().Now() + std::chrono::minutes(1));
  const std::string p12 = ReadFile(dir_ / "p.p12");
  auto wrong = pki().ImportPkcs12(p12, "sai", Kind::kOfficial, 13, 21, Admin());
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().reason, "pki.pkcs12_invalid");
  auto imported = pki().ImportPkcs12(p12, "mat-khau", Kind::kOfficial, 13, 21, Admin());
  ASSERT_TRUE(imported.ok()) << imported.error().message_en << " " << imported.error().detail;
  EXPECT_TRUE(imported->has_key);
  EXPECT_EQ(imported->key_type, "rsa-3072");
  EXPECT_NE(imported->issuer_id, 0) << "its CA came in the file";
  auto ca = pki().Get(imported->issuer_id);
  EXPECT_EQ(ca->kind, Kind::kExternalCa);
  EXPECT_FALSE(ca->trusted) << "coming with a file does not make a CA trusted";
  auto anchors = pki().TrustAnchors();
  EXPECT_EQ(anchors->size(), 1u);

  auto leaf_as_anchor = pki().AddTrustAnchor(imported->Pem(), Admin());
  EXPECT_EQ(leaf_as_anchor.error().reason, "pki.not_a_ca");
  boost::json::object pem{{"certificate", ReadFile(dir_ / "ca.pem")}};
  auto trusted = Call(http::Method::kPost, "/api/v1/pki/trust", boost::json::serialize(pem));
  ASSERT_TRUE(trusted.ok()) << trusted.error().message_en;
  EXPECT_EQ(trusted->status, 201);
  EXPECT_EQ(Json(trusted).at("id"), ca->id) << "the same certificate, now trusted";
  EXPECT_EQ(Json(trusted).at("kind"), "external_ca");
  EXPECT_EQ(Json(trusted).at("trusted"), true);
  EXPECT_EQ(pki().TrustAnchors()->size(), 2u);
  // The imported key signs for its owner; the chain stops before the trusted CA.
  auto key = pki().KeyForSigning(imported->id, Officer(21, 13, "officer"));
  ASSERT_TRUE(key.ok()) << key.error().message_en;
  EXPECT_TRUE(key->chain_der.empty());
}

TEST_P(PkiTest, BadInputIsRefusedWithReasons) {
  IssueInput in;
  in.kind = Kind::kOfficial;
  in.subject.common_name = "A";
  in.subject.organization = "B";
  in.agency_id = 1;
  in.user_id = 1;
  EXPECT_EQ(pki().Issue(in, Admin()).error().reason, "pki.not_initialised");
  InitOrDie();
  in.kind = Kind::kRoot;
  EXPECT_EQ(pki().Issue(in, Admin()).error().reason, "pki.kind_invalid");
  in.kind = Kind::kOfficial;
  in.user_id = 0;
  EXPECT_EQ(pki().Issue(in, Admin()).error().reason, "pki.owner_required");
  in.user_id = 1;
  in.subject.common_name.clear();
  EXPECT_EQ(pki().Issue(in, Admin()).error().reason, "pki.subject_invalid");
  in.subject.common_name = "A";
  in.validity_days = 0;
  EXPECT_EQ(pki().Issue(in, Admin()).error().reason, "pki.validity_invalid");
  EXPECT_EQ(pki().ImportPkcs12("not a p12", "x", Kind::kOfficial, 1, 1, Admin()).error().reason,
            "pki.pkcs12_invalid");
  EXPECT_EQ(pki().AddTrustAnchor("garbage", Admin()).error().reason, "pki.certificate_invalid");
  EXPECT_FALSE(ParseMasterKey("short").ok());
  const auto key = NewMasterKey();
  auto parsed = ParseMasterKey(std::string(reinterpret_cast<const char*>(key.data()), key.size()));
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(*parsed, key);
}

TEST_P(PkiTest, RoutesIssueAndPublishTheCrlAndTheCaCertificates) {
  const InitResult ca = InitOrDie();
  using http::Method;
  auto issued = Call(Method::kPost, "/api/v1/pki/certificates",
                     R"({"kind":"official","key_type":"rsa-3072","agency_id":13,"user_id":21,)"
                     R"("subject":{"common_name":"Lê Văn An","organization":"Sở VHTTDL"}})");
  ASSERT_TRUE(issued.ok()) << issued.error().message_en;
  EXPECT_EQ(issued->status, 201);
  EXPECT_NE(issued->body.find("\"key_type\":\"rsa-3072\""), std::string::npos) << issued->body;
  EXPECT_NE(issued->body.find("BEGIN CERTIFICATE"), std::string::npos);
  auto bad = Call(Method::kPost, "/api/v1/pki/certificates",
                  R"({"kind":"root","subject":{"common_name":"x","organization":"y"}})");
  EXPECT_EQ(Reason(bad), "pki.kind_invalid");

  auto crl = Call(Method::kGet, "/api/v1/pki/crl/" + std::to_string(ca.issuing.id) + ".crl");
  ASSERT_TRUE(crl.ok()) << crl.error().message_en;
  EXPECT_EQ(crl->content_type, "application/pkix-crl");
  WriteFile(dir_ / "http.crl", crl->body);
  EXPECT_EQ(Shell("openssl crl -inform DER -noout -in " + (dir_ / "http.crl").string()).exit_code,
            0);
  EXPECT_EQ(Call(Method::kGet, "/api/v1/pki/crl/nothing").error().code, ErrorCode::kNotFound);
  auto cas = Call(Method::kGet, "/api/v1/pki/ca");
  ASSERT_TRUE(cas.ok());
  EXPECT_NE(cas->body.find(ca.root.sha256), std::string::npos);
  EXPECT_NE(cas->body.find(ca.issuing.sha256), std::string::npos);
}

// List, get, renew, revoke and the appearance, through the routes: the answers are the
// document's (Call checks them), and the old request errors stay what they were.
TEST_P(PkiTest, RoutesListGetRenewAndRevokeAsTheDocumentSays) {
  InitOrDie();
  using http::Method;
  const Certificate official = IssueOrDie(Kind::kOfficial);
  const std::string path = "/api/v1/pki/certificates/" + std::to_string(official.id);

  const auto got = Json(Call(Method::kGet, path));
  EXPECT_EQ(got.at("kind"), "official");
  EXPECT_EQ(got.at("status"), "valid");
  EXPECT_EQ(got.at("key_type"), "ec-p256");
  EXPECT_EQ(got.at("agency_id"), 13);
  EXPECT_TRUE(got.at("revoked_at").is_null());
  EXPECT_EQ(got.at("not_after").as_string(), core::FormatTimestamp(official.not_after));
  EXPECT_EQ(Call(Method::kGet, "/api/v1/pki/certificates/x").error().reason,
            "request.invalid_field");

  const auto officials = Json(Call(Method::kGet, "/api/v1/pki/certificates", {},
                                   {{"kind", "official"}, {"agency_id", "13"}}));
  ASSERT_EQ(officials.at("items").as_array().size(), 1u);
  EXPECT_EQ(officials.at("items").at(0).at("id"), official.id);
  EXPECT_TRUE(Json(Call(Method::kGet, "/api/v1/pki/certificates", {}, {{"kind", "tsa"}}))
                  .at("items")
                  .as_array()
                  .empty());
  EXPECT_EQ(Reason(Call(Method::kGet, "/api/v1/pki/certificates", {}, {{"kind", "king"}})),
            "request.invalid_query");

  auto renewed = Call(Method::kPost, path + "/renew");
  ASSERT_TRUE(renewed.ok()) << renewed.error().message_en;
  EXPECT_EQ(renewed->status, 201);
  const std::int64_t renewed_id = Json(renewed).at("id").as_int64();
  EXPECT_EQ(Json(Call(Method::kGet, path)).at("status"), "superseded");
  EXPECT_EQ(Json(Call(Method::kGet, path)).at("replaced_by"), renewed_id);
  // Superseded ones are listed only when asked for.
  EXPECT_EQ(Json(Call(Method::kGet, "/api/v1/pki/certificates", {}, {{"kind", "official"}}))
                .at("items")
                .as_array()
                .size(),
            1u);
  EXPECT_EQ(Json(Call(Method::kGet, "/api/v1/pki/certificates", {},
                      {{"kind", "official"}, {"all", "true"}}))
                .at("items")
                .as_array()
                .size(),
            2u);

  const std::string renewed_path = "/api/v1/pki/certificates/" + std::to_string(renewed_id);
  EXPECT_EQ(Reason(Call(Method::kPost, renewed_path + "/revoke", R"({"reason":"lost"})")),
            "request.invalid_field");
  const auto revoked =
      Json(Call(Method::kPost, renewed_path + "/revoke", R"({"reason":"key_compromise"})"));
  EXPECT_EQ(revoked.at("status"), "revoked");
  EXPECT_EQ(revoked.at("revoked_at").as_string(), core::FormatTimestamp(clock_.Now()));
  EXPECT_EQ(Reason(Call(Method::kPost, renewed_path + "/revoke")), "pki.already_revoked");
  // No body at all is a revocation without a stated reason.
  const Certificate tsa = IssueOrDie(Kind::kTsa);
  auto unstated =
      Call(Method::kPost, "/api/v1/pki/certificates/" + std::to_string(tsa.id) + "/revoke");
  ASSERT_TRUE(unstated.ok()) << unstated.error().message_en;
  EXPECT_EQ(Json(unstated).at("status"), "revoked");
}

TEST_P(PkiTest, RoutesRefuseBadIssueAndImportInputWithTheFieldNamed) {
  InitOrDie();
  using http::Method;
  const std::string subject = R"("subject":{"common_name":"Lê Văn An","organization":"Sở"})";
  for (const std::string& body : std::vector<std::string>{
           R"({"kind":"king",)" + subject + "}",
           R"({"kind":"tsa","key_type":"dsa",)" + subject + "}", std::string(R"({"kind":"tsa"})"),
           R"({"kind":"tsa","subject":{"organization":"Sở"}})",
           R"({"kind":"tsa","validity_days":"x",)" + subject + "}",
           R"({"kind":"tsa","subject":{"common_name":")" + std::string(201, 'a') +
               R"(","organization":"Sở"}})"}) {
    EXPECT_EQ(Reason(Call(Method::kPost, "/api/v1/pki/certificates", body)),
              "request.invalid_field")
        << body;
  }
  EXPECT_EQ(Reason(Call(Method::kPost, "/api/v1/pki/certificates", "")), "request.empty_body");
  EXPECT_EQ(
      Reason(Call(Method::kPost, "/api/v1/pki/import",
                  R"({"pkcs12":"not base64!","kind":"official","agency_id":13,"user_id":21})")),
      "request.invalid_field");
  EXPECT_EQ(Reason(Call(Method::kPost, "/api/v1/pki/import",
                        R"({"pkcs12":")" + core::Base64Encode("not a p12") +
                            R"(","kind":"official","agency_id":13,"user_id":21})")),
            "pki.pkcs12_invalid");
  EXPECT_EQ(Reason(Call(Method::kPost, "/api/v1/pki/import",
                        R"({"pkcs12":"AAAA","kind":"tsa","agency_id":13})")),
            "pki.kind_invalid");
  EXPECT_EQ(Reason(Call(Method::kPost, "/api/v1/pki/trust", R"({"certificate":"garbage"})")),
            "pki.certificate_invalid");
  EXPECT_EQ(Reason(Call(Method::kPost, "/api/v1/pki/trust", "{}")), "request.invalid_field");
}

TEST_P(PkiTest, AppearancesAreRegisteredCheckedKeptOnRenewalAndHandedToTheSigner) {
  InitOrDie();
  const Certificate official = IssueOrDie(Kind::kOfficial);
  const Certificate tsa = IssueOrDie(Kind::kTsa);
  const std::string png = std::string("\x89PNG\r\n\x1a\n", 8) + "rest of a png";
  EXPECT_EQ(pki().SetAppearance(official.id, "GIF89a", Admin()).error().reason,
            "pki.appearance_invalid");
  EXPECT_EQ(
      pki().SetAppearance(official.id, png + std::string(512 * 1024, 'x'), Admin()).error().reason,
      "pki.appearance_invalid");
  EXPECT_EQ(pki().SetAppearance(tsa.id, png, Admin()).error().reason, "pki.appearance_invalid");
  core::Actor clerk = Admin();
  clerk.kind = core::ActorKind::kOfficer;
  clerk.roles = {"reception"};
  EXPECT_EQ(pki().SetAppearance(official.id, png, clerk).error().code,
            ErrorCode::kPermissionDenied);
  EXPECT_EQ(pki().Appearance(official.id).error().reason, "pki.appearance_not_found");

  auto set = pki().SetAppearance(official.id, png, Admin());
  ASSERT_TRUE(set.ok()) << set.error().message_en;
  EXPECT_TRUE(set->has_appearance);
  EXPECT_EQ(*pki().Appearance(official.id), png);
  EXPECT_EQ(pki().KeyForSigning(official.id, core::SystemActor())->appearance_png, png);
  auto renewed = pki().Renew(official.id, Admin());
  ASSERT_TRUE(renewed.ok());
  EXPECT_TRUE(pki().Get(renewed->id)->has_appearance);
  EXPECT_EQ(*pki().Appearance(renewed->id), png);
  ASSERT_TRUE(pki().SetAppearance(renewed->id, "", Admin()).ok());  // empty removes it
  EXPECT_FALSE(pki().Get(renewed->id)->has_appearance);
  EXPECT_TRUE(pki().KeyForSigning(renewed->id, core::SystemActor())->appearance_png.empty());

  // The same through the routes: the PNG is the body, and comes back as image/png.
  const std::string path =
      "/api/v1/pki/certificates/" + std::to_string(renewed->id) + "/appearance";
  EXPECT_EQ(Call(http::Method::kGet, path).error().reason, "pki.appearance_not_found");
  EXPECT_EQ(Call(http::Method::kPut, path, "GIF89a").error().reason, "pki.appearance_invalid");
  EXPECT_EQ(Call(http::Method::kPut, path, png + std::string(512 * 1024, 'x')).error().reason,
            "http.body_too_large");
  EXPECT_EQ(Json(Call(http::Method::kPut, path, png)).at("has_appearance"), true);
  auto image = Call(http::Method::kGet, path);
  ASSERT_TRUE(image.ok()) << image.error().message_en;
  EXPECT_EQ(image->content_type, "image/png");
  EXPECT_EQ(image->body, png);
  EXPECT_EQ(Json(Call(http::Method::kPut, path, "")).at("has_appearance"), false);
}

// An information system's certificate (issue 17: the data-integration gateway's clients and its
// own TLS server): its code as CN, both TLS purposes, the names it serves; renewed with the same
// names, listed by kind, revoked like the others, and exported with its key for the system.
TEST_P(PkiTest, SystemCertificatesServeBothTlsPurposesAndKeepTheirNames) {
  const InitResult ca = InitOrDie();
  IssueInput in;
  in.kind = Kind::kSystem;
  in.subject.common_name = "H55.19/motcua";
  in.subject.organization = "Sở Tư pháp tỉnh Thái Nguyên";
  in.dns_names = {"LGSP.thainguyen.gov.vn"};
  in.ip_addresses = {"127.0.0.1", "0:0:0:0:0:0:0:1"};
  auto issued = pki().Issue(in, Admin());
  ASSERT_TRUE(issued.ok()) << issued.error().message_en << " " << issued.error().detail;
  EXPECT_EQ(issued->kind, Kind::kSystem);
  EXPECT_EQ(issued->agency_id, 0) << "a system may belong to an agency outside the province";
  for (const std::string purpose : {"sslclient", "sslserver"}) {
    const ShellRun verified = Verify(ca, *issued, "-purpose " + purpose);
    EXPECT_EQ(verified.exit_code, 0) << purpose << ": " << verified.out;
  }
  EXPECT_NE(Verify(ca, *issued, "-purpose smimesign").exit_code, 0) << "not for documents";
  WriteFile(dir_ / "system.pem", issued->Pem());
  const ShellRun text =
      Shell("openssl x509 -noout -text -nameopt utf8 -in " + (dir_ / "system.pem").string());
  EXPECT_NE(text.out.find("CN=H55.19/motcua"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("TLS Web Client Authentication, TLS Web Server Authentication"),
            std::string::npos)
      << text.out;
  EXPECT_NE(
      text.out.find("DNS:lgsp.thainguyen.gov.vn, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1"),
      std::string::npos)
      << "one spelling per name: " << text.out;
  EXPECT_EQ(pki().KeyForSigning(issued->id, core::SystemActor()).error().code,
            ErrorCode::kPermissionDenied)
      << "a system's key signs no document";

  auto renewed = pki().Renew(issued->id, Admin());
  ASSERT_TRUE(renewed.ok()) << renewed.error().message_en;
  EXPECT_EQ(renewed->kind, Kind::kSystem);
  EXPECT_EQ(renewed->subject, issued->subject);
  WriteFile(dir_ / "renewed.pem", renewed->Pem());
  EXPECT_NE(Shell("openssl x509 -noout -ext subjectAltName -in " + (dir_ / "renewed.pem").string())
                .out.find("DNS:lgsp.thainguyen.gov.vn, IP Address:127.0.0.1"),
            std::string::npos)
      << "a renewed gateway certificate still names its host";
  ListQuery systems;
  systems.kind = Kind::kSystem;
  ASSERT_EQ(pki().List(systems)->size(), 1u);
  EXPECT_EQ(pki().List(systems)->at(0).id, renewed->id);
  auto revoked = pki().Revoke(renewed->id, RevocationReason::kCessationOfOperation, Admin());
  ASSERT_TRUE(revoked.ok());
  EXPECT_EQ(revoked->status, Status::kRevoked);
  EXPECT_TRUE(pki().List(systems)->empty());

  for (auto [dns, ip] : std::vector<std::pair<std::string, std::string>>{{"a,IP:10.0.0.1", ""},
                                                                         {"-a.vn", ""},
                                                                         {"a..vn", ""},
                                                                         {"*.vn", ""},
                                                                         {"", "10.0.0"},
                                                                         {"", "127.0.0.1,DNS:x"}}) {
    IssueInput bad = in;
    bad.dns_names = dns.empty() ? std::vector<std::string>{} : std::vector<std::string>{dns};
    bad.ip_addresses = ip.empty() ? std::vector<std::string>{} : std::vector<std::string>{ip};
    EXPECT_EQ(pki().Issue(bad, Admin()).error().reason, "pki.alt_name_invalid") << dns << ip;
  }
  IssueInput official_with_names = in;
  official_with_names.kind = Kind::kOrganisation;
  official_with_names.agency_id = 13;
  EXPECT_EQ(pki().Issue(official_with_names, Admin()).error().reason, "pki.alt_name_invalid")
      << "only a system serves TLS";
}

TEST_P(PkiTest, OnlySystemCertificatesLeaveWithTheirKeyAndOnlyEncryptedToPeople) {
  const InitResult ca = InitOrDie();
  IssueInput in;
  in.kind = Kind::kSystem;
  in.key_type = KeyType::kRsa3072;
  in.subject.common_name = "H55.19/motcua";
  in.subject.organization = "Sở Tư pháp";
  in.agency_id = 19;
  auto system = pki().Issue(in, Admin());
  ASSERT_TRUE(system.ok()) << system.error().message_en;
  const Certificate official = IssueOrDie(Kind::kOfficial);

  auto p12 = pki().Export(system->id, ExportFormat::kPkcs12, "mat-khau-he-thong", Admin());
  ASSERT_TRUE(p12.ok()) << p12.error().message_en << " " << p12.error().detail;
  WriteFile(dir_ / "system.p12", *p12);
  const ShellRun opened =
      Shell("openssl pkcs12 -in " + (dir_ / "system.p12").string() +
            " -passin pass:mat-khau-he-thong -nodes -out " + (dir_ / "opened.pem").string());
  ASSERT_EQ(opened.exit_code, 0) << opened.out;
  const std::string pem = ReadFile(dir_ / "opened.pem");
  EXPECT_NE(pem.find(ca.issuing.Pem().substr(28, 64)), std::string::npos) << "with the chain";
  EXPECT_EQ(pem.find(ca.root.Pem().substr(28, 64)), std::string::npos) << "not the anchor";
  // The key in the file is the certificate's.
  EXPECT_EQ(Shell("openssl x509 -noout -pubkey -in " + (dir_ / "opened.pem").string()).out,
            Shell("openssl pkey -pubout -in " + (dir_ / "opened.pem").string()).out);
  EXPECT_NE(Shell("openssl pkcs12 -in " + (dir_ / "system.p12").string() +
                  " -passin pass:sai-mat-khau -nodes -out /dev/null")
                .exit_code,
            0);

  auto encrypted = pki().Export(system->id, ExportFormat::kPem, "mat-khau-he-thong", Admin());
  ASSERT_TRUE(encrypted.ok()) << encrypted.error().message_en;
  EXPECT_NE(encrypted->find("BEGIN ENCRYPTED PRIVATE KEY"), std::string::npos);
  EXPECT_EQ(encrypted->find("BEGIN PRIVATE KEY"), std::string::npos);
  EXPECT_TRUE(encrypted->starts_with(system->Pem()));
  WriteFile(dir_ / "encrypted.pem", *encrypted);
  EXPECT_EQ(Shell("openssl pkey -noout -passin pass:mat-khau-he-thong -in " +
                  (dir_ / "encrypted.pem").string())
                .exit_code,
            0);
  EXPECT_EQ(pki().Export(system->id, ExportFormat::kPem, "", Admin()).error().reason,
            "pki.password_invalid")
      << "a key handed to a person is encrypted";
  EXPECT_EQ(pki().Export(system->id, ExportFormat::kPkcs12, "ngan", Admin()).error().reason,
            "pki.password_invalid");
  auto clear = pki().Export(system->id, ExportFormat::kPem, "", core::SystemActor());
  ASSERT_TRUE(clear.ok()) << "the operator at the console";
  EXPECT_NE(clear->find("BEGIN PRIVATE KEY"), std::string::npos);

  EXPECT_EQ(
      pki().Export(official.id, ExportFormat::kPkcs12, "mat-khau-ca-nhan", Admin()).error().reason,
      "pki.not_exportable")
      << "a personal signing key never leaves";
  EXPECT_EQ(pki()
                .Export(ca.issuing.id, ExportFormat::kPkcs12, "mat-khau-ca-nhan", Admin())
                .error()
                .reason,
            "pki.not_exportable");
  EXPECT_EQ(
      pki()
          .Export(system->id, ExportFormat::kPkcs12, "mat-khau-he-thong", Officer(21, 19, "leader"))
          .error()
          .code,
      ErrorCode::kPermissionDenied);
  ASSERT_TRUE(pki().Revoke(system->id, RevocationReason::kKeyCompromise, Admin()).ok());
  EXPECT_EQ(
      pki().Export(system->id, ExportFormat::kPkcs12, "mat-khau-he-thong", Admin()).error().reason,
      "pki.not_usable");
  // Each export is in the audit log, without the password.
  auto tx = db().Begin(storage::TxKind::kReadOnly);
  ASSERT_TRUE(tx.ok());
  auto rows = (*tx)->Query("SELECT data FROM audit_log WHERE action = 'pki.export' ORDER BY seq");
  ASSERT_TRUE(rows.ok()) << rows.error().detail;
  ASSERT_EQ(rows->size(), 3u);
  for (const auto& r : *rows) EXPECT_EQ(r.Text(0).find("mat-khau"), std::string::npos);
}

TEST_P(PkiTest, RoutesIssueAndExportASystemCertificate) {
  InitOrDie();
  using http::Method;
  auto issued = Call(Method::kPost, "/api/v1/pki/certificates",
                     R"({"kind":"system","subject":{"common_name":"H55.19/motcua",)"
                     R"("organization":"Sở Tư pháp"},"ip_addresses":["127.0.0.1"]})");
  ASSERT_TRUE(issued.ok()) << issued.error().message_en;
  EXPECT_EQ(Json(issued).at("kind"), "system");
  const std::string path =
      "/api/v1/pki/certificates/" + std::to_string(Json(issued).at("id").as_int64());
  auto p12 = Call(Method::kPost, path + "/export", R"({"password":"mat-khau-he-thong"})");
  ASSERT_TRUE(p12.ok()) << p12.error().message_en;
  EXPECT_EQ(p12->content_type, "application/x-pkcs12");
  WriteFile(dir_ / "route.p12", p12->body);
  EXPECT_EQ(Shell("openssl pkcs12 -in " + (dir_ / "route.p12").string() +
                  " -passin pass:mat-khau-he-thong -nokeys -out /dev/null")
                .exit_code,
            0);
  auto pem =
      Call(Method::kPost, path + "/export", R"({"format":"pem","password":"mat-khau-he-thong"})");
  ASSERT_TRUE(pem.ok()) << pem.error().message_en;
  EXPECT_EQ(pem->content_type, "application/x-pem-file");
  EXPECT_NE(pem->body.find("BEGIN ENCRYPTED PRIVATE KEY"), std::string::npos);
  EXPECT_EQ(Reason(Call(Method::kPost, path + "/export", R"({"format":"der","password":"x"})")),
            "request.invalid_field");
  EXPECT_EQ(Reason(Call(Method::kPost, path + "/export", R"({"password":"short"})")),
            "pki.password_invalid");
  EXPECT_EQ(Call(Method::kPost, path + "/export", R"({"password":"mat-khau-he-thong"})", {},
                 Officer(21, 13, "leader"))
                .error()
                .code,
            ErrorCode::kPermissionDenied)
      << "pki.manage: administrators";
}

TINHSO_INSTANTIATE_BACKENDS(PkiTest);

}  // namespace
}  // namespace tinhso::pki
