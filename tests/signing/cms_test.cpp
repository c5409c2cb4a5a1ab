// CMS/CAdES signatures on both backends, with `openssl cms` as the outside verifier and signer:
// what tinhso signs verifies in OpenSSL, what OpenSSL signs verifies in tinhso, and tampering,
// revocation, expiry and unknown roots are reported with reasons.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <thread>

#include "auth/policy.hpp"
#include "core/clock.hpp"
#include "core/crypto.hpp"
#include "fixture.hpp"
#include "http/http.hpp"
#include "pki/pki.hpp"
#include "signing/signing.hpp"
#include "support/database.hpp"
#include "support/shell.hpp"
#include "support/temp_dir.hpp"

namespace tinhso::signing {
namespace {

using test::ReadFile;
using test::Shell;
using test::WriteFile;
using ShellRun = test::ShellResult;

constexpr std::string_view kDocument =
    "Quyết định số 15/QĐ-UBND về việc cấp phép hoạt động cơ sở in.\n";

class CmsTest : public SigningTest {
 protected:
  void SetUp() override {
    SigningTest::SetUp();
    if (HasFatalFailure()) return;
    official_ = Issue(pki::Kind::kOfficial, "Phạm Thị Hồng");
    Issue(pki::Kind::kTsa, "Dịch vụ cấp dấu thời gian");
    WriteFile(dir_ / "doc.txt", kDocument);
  }

  std::string SignOrDie(std::int64_t cert, CmsOptions options = {}) {
    auto sig = signing_->SignCms(kDocument, cert, Signer(), options);
    EXPECT_TRUE(sig.ok()) << sig.error().message_en << " " << sig.error().detail;
    return sig.ok() ? *sig : std::string();
  }

  SignatureReport VerifyOne(std::string_view data, std::string_view sig) {
    auto v = signing_->VerifyCms(data, sig);
    EXPECT_TRUE(v.ok()) << v.error().message_en;
    EXPECT_EQ(v.ok() ? v->signatures.size() : 0u, 1u);
    return v.ok() && !v->signatures.empty() ? v->signatures[0] : SignatureReport{};
  }

  pki::Certificate official_;
};

TEST_P(CmsTest, WhatTinhsoSignsVerifiesInOpenSslAndInTinhso) {
  const std::string sig = SignOrDie(official_.id);
  WriteFile(dir_ / "doc.p7s", sig);
  const ShellRun openssl =
      Shell("openssl cms -verify -binary -inform DER -in " + (dir_ / "doc.p7s").string() +
            " -content " + (dir_ / "doc.txt").string() + " -CAfile " +
            (dir_ / "root.pem").string() + " -purpose any -out /dev/null");
  EXPECT_EQ(openssl.exit_code, 0) << openssl.out;
  EXPECT_NE(openssl.out.find("Verification successful"), std::string::npos) << openssl.out;
  // CAdES-BES attributes and the CAdES-T time-stamp are there for other tools to find.
  const ShellRun printed =
      Shell("openssl cms -cmsout -print -inform DER -in " + (dir_ / "doc.p7s").string());
  EXPECT_NE(printed.out.find("id-smime-aa-signingCertificateV2"), std::string::npos);
  EXPECT_NE(printed.out.find("id-smime-aa-timeStampToken"), std::string::npos);

  const SignatureReport r = VerifyOne(kDocument, sig);
  EXPECT_TRUE(r.valid) << (r.problems.empty() ? "" : r.problems[0].message_en);
  EXPECT_EQ(r.signer_name, "Phạm Thị Hồng");
  EXPECT_EQ(r.signer_title, "Phó Giám đốc");
  EXPECT_EQ(r.certificate_kind, "official");
  EXPECT_TRUE(r.revocation_checked);
  ASSERT_TRUE(r.timestamp_time.has_value());
  EXPECT_LE(std::chrono::abs(*r.timestamp_time - clock_.Now()), std::chrono::seconds(1));
  EXPECT_NE(ToJson(*signing_->VerifyCms(kDocument, sig)).find("\"valid\":true"), std::string::npos);
  // The signature is in the audit log, with who signed what.
  auto tx = db().Begin(storage::TxKind::kReadOnly);
  auto audited = (*tx)->Query("SELECT actor_id, data FROM audit_log WHERE action = 'sign.cms'");
  ASSERT_TRUE(audited.ok());
  ASSERT_EQ(audited->size(), 1u);
  EXPECT_EQ((*audited)[0].Int(0), 21);
  EXPECT_NE((*audited)[0].Text(1).find(core::Sha256Hex(kDocument)), std::string::npos);
}

TEST_P(CmsTest, OneChangedByteIsReportedAsTampering) {
  const std::string sig = SignOrDie(official_.id);
  std::string changed(kDocument);
  changed[10] ^= 0x01;
  const SignatureReport r = VerifyOne(changed, sig);
  EXPECT_FALSE(r.valid);
  EXPECT_FALSE(r.integrity_ok);
  EXPECT_TRUE(Has(r, "integrity"));
  WriteFile(dir_ / "changed.txt", changed);
  WriteFile(dir_ / "doc.p7s", sig);
  EXPECT_NE(Shell("openssl cms -verify -binary -inform DER -in " + (dir_ / "doc.p7s").string() +
                  " -content " + (dir_ / "changed.txt").string() + " -CAfile " +
                  (dir_ / "root.pem").string() + " -purpose any -out /dev/null")
                .exit_code,
            0)
      << "OpenSSL agrees";
  // A signature byte changed: the signature itself no longer verifies.
  std::string broken = sig;
  broken[broken.size() / 2] ^= 0x40;
  auto v = signing_->VerifyCms(kDocument, broken);
  if (v.ok()) {
    EXPECT_FALSE(v->AllValid());
  }
}

TEST_P(CmsTest, RevocationBeforeTheSignatureCountsAndAfterATimeStampDoesNot) {
  const std::string stamped = SignOrDie(official_.id);
  CmsOptions plain;
  plain.timestamp = false;
  const std::string unstamped = SignOrDie(official_.id, plain);
  clock_.Advance(std::chrono::hours(2));
  ASSERT_TRUE(pki_->Revoke(official_.id, pki::RevocationReason::kKeyCompromise, Admin()).ok());
  const SignatureReport before = VerifyOne(kDocument, stamped);
  EXPECT_TRUE(before.valid) << "time-stamped two hours before the revocation";
  const SignatureReport unknown = VerifyOne(kDocument, unstamped);
  EXPECT_FALSE(unknown.valid) << "nothing proves it was signed before the revocation";
  EXPECT_TRUE(Has(unknown, "revoked"));
  // And a revoked certificate signs nothing more.
  EXPECT_FALSE(signing_->SignCms(kDocument, official_.id, Signer()).ok());
}

TEST_P(CmsTest, ExpiryIsJudgedAtTheTimeStampedSigningTime) {
  const pki::Certificate brief =
      Issue(pki::Kind::kOfficial, "Lê Văn An", pki::KeyType::kEcdsaP256, 2);
  const std::string stamped = SignOrDie(brief.id);
  CmsOptions plain;
  plain.timestamp = false;
  const std::string unstamped = SignOrDie(brief.id, plain);
  clock_.Advance(std::chrono::days(5));
  EXPECT_TRUE(VerifyOne(kDocument, stamped).valid) << "valid when it was signed";
  const SignatureReport late = VerifyOne(kDocument, unstamped);
  EXPECT_FALSE(late.valid);
  EXPECT_TRUE(Has(late, "expired"));
  EXPECT_EQ(signing_->SignCms(kDocument, brief.id, Signer()).error().reason, "pki.not_usable");
}

TEST_P(CmsTest, WhatOpenSslSignsVerifiesOnceItsRootIsTrusted) {
  const auto d = dir_.string();
  const ShellRun made =
      Shell("cd " + d + " && " + kOutsideSigner +
            " && openssl cms -sign -binary -in doc.txt -signer s.pem -inkey s.key -certfile ca.pem "
            "-outform DER -out ext.p7s");
  ASSERT_EQ(made.exit_code, 0) << made.out;
  clock_.Set(core::SystemClock().Now() + std::chrono::minutes(1));  // openssl dates from now
  const std::string sig = ReadFile(dir_ / "ext.p7s");
  const SignatureReport untrusted = VerifyOne(kDocument, sig);
  EXPECT_TRUE(untrusted.integrity_ok);
  EXPECT_FALSE(untrusted.valid);
  EXPECT_TRUE(Has(untrusted, "untrusted")) << "a chain to an unknown root";
  ASSERT_TRUE(pki_->AddTrustAnchor(ReadFile(dir_ / "ca.pem"), Admin()).ok());
  const SignatureReport trusted = VerifyOne(kDocument, sig);
  EXPECT_TRUE(trusted.valid) << (trusted.problems.empty() ? "" : trusted.problems[0].message_en);
  EXPECT_EQ(trusted.signer_name, "Nguyen Van B");
  EXPECT_FALSE(trusted.revocation_checked) << "an outside CA's certificate";
  EXPECT_FALSE(trusted.notes_en.empty());
}

// Without signed attributes (`openssl cms -sign -noattr`, RFC 5652 5.4) the signature is over
// the content itself; such signatures were reported as "content changed after signing".
TEST_P(CmsTest, SignaturesWithoutSignedAttributesVerify) {
  const auto d = dir_.string();
  // The outside signer (ECDSA) detached, and its CA (RSA) with the content attached.
  const ShellRun made =
      Shell("cd " + d + " && " + kOutsideSigner +
            " && openssl cms -sign -noattr -binary -in doc.txt -signer s.pem -inkey s.key "
            "-certfile ca.pem -outform DER -out ec.p7s"
            " && openssl cms -sign -noattr -nodetach -binary -in doc.txt -signer ca.pem -inkey "
            "ca.key -outform DER -out rsa.p7s");
  ASSERT_EQ(made.exit_code, 0) << made.out;
  clock_.Set(core::SystemClock().Now() + std::chrono::minutes(1));  // openssl dates from now
  ASSERT_TRUE(pki_->AddTrustAnchor(ReadFile(dir_ / "ca.pem"), Admin()).ok());
  const std::string ec = ReadFile(dir_ / "ec.p7s");
  const SignatureReport detached = VerifyOne(kDocument, ec);
  EXPECT_TRUE(detached.integrity_ok);
  EXPECT_TRUE(detached.valid) << (detached.problems.empty() ? "" : detached.problems[0].message_en);
  EXPECT_EQ(detached.signer_name, "Nguyen Van B");
  EXPECT_FALSE(detached.claimed_time.has_value()) << "no signed attributes, no signing time";
  auto attached = signing_->Verify(ReadFile(dir_ / "rsa.p7s"), {});
  ASSERT_TRUE(attached.ok()) << attached.error().message_en;
  EXPECT_TRUE(attached->AllValid()) << ToText(*attached);
  EXPECT_EQ(attached->signatures[0].signer_name, "Other CA");

  std::string changed(kDocument);
  changed[10] ^= 0x01;
  const SignatureReport tampered = VerifyOne(changed, ec);
  EXPECT_FALSE(tampered.integrity_ok);
  EXPECT_TRUE(Has(tampered, "integrity"));
  std::string broken = ec;
  broken[broken.size() - 10] ^= 0x01;  // inside the signature value, at the end of the DER
  auto v = signing_->VerifyCms(kDocument, broken);
  if (v.ok()) {
    EXPECT_FALSE(v->AllValid());
  }
}

// An empty file was signed, and its signature then could not be verified ("the signed file is
// needed too"): signing and checking an empty file are refused, saying why.
TEST_P(CmsTest, EmptyFilesAreRefusedWithAClearReason) {
  const auto expect_empty = [](const auto& result, std::string_view what) {
    ASSERT_FALSE(result.ok()) << what;
    EXPECT_EQ(result.error().reason, "signing.empty_file") << what;
    EXPECT_EQ(http::StatusFor(result.error().code), 400) << what;
    EXPECT_NE(result.error().message_vi.find("trống"), std::string::npos) << what;
    EXPECT_NE(result.error().message_en.find("empty"), std::string::npos) << what;
  };
  expect_empty(signing_->SignCms("", official_.id, Signer()), "cms");
  expect_empty(signing_->SignPdf("", official_.id, Signer()), "pdf");
  expect_empty(signing_->SignXml("", official_.id, Signer()), "xml");
  expect_empty(signing_->Verify("", {}), "verify alone");
  expect_empty(signing_->Verify("", SignOrDie(official_.id)), "verify with a signature");
}

TEST_P(CmsTest, TheTsaAnswersStandardRequests) {
  // openssl ts as the client: a request, our answer, and its verification against our root.
  const auto d = dir_.string();
  ASSERT_EQ(
      Shell("cd " + d + " && openssl ts -query -data doc.txt -sha256 -cert -out req.tsq").exit_code,
      0);
  auto reply = signing_->RespondToTimeStampRequest(ReadFile(dir_ / "req.tsq"));
  ASSERT_TRUE(reply.ok()) << reply.error().message_en << " " << reply.error().detail;
  WriteFile(dir_ / "reply.tsr", *reply);
  WriteFile(dir_ / "chain.pem", ca_.issuing.Pem());
  const ShellRun verified =
      Shell("cd " + d +
            " && openssl ts -verify -queryfile req.tsq -in reply.tsr -CAfile root.pem "
            "-untrusted chain.pem");
  EXPECT_EQ(verified.exit_code, 0) << verified.out;
  EXPECT_NE(verified.out.find("Verification: OK"), std::string::npos) << verified.out;
  EXPECT_FALSE(signing_->RespondToTimeStampRequest("junk").ok());
}

TEST_P(CmsTest, AStandaloneTimeStampVerifiesOnlyForItsData) {
  const std::string digest = core::Sha256(kDocument);
  auto token = signing_->TimeStamp(digest);
  ASSERT_TRUE(token.ok()) << token.error().message_en;
  auto good = signing_->VerifyTimeStamp(digest, *token);
  ASSERT_TRUE(good.ok()) << good.error().message_en;
  EXPECT_TRUE(good->valid) << (good->problems.empty() ? "" : good->problems[0].message_en);
  EXPECT_EQ(good->certificate_kind, "tsa");
  EXPECT_EQ(good->signer_name, "Dịch vụ cấp dấu thời gian");
  ASSERT_TRUE(good->timestamp_time.has_value());
  EXPECT_LE(std::chrono::abs(*good->timestamp_time - clock_.Now()), std::chrono::seconds(1));
  auto other = signing_->VerifyTimeStamp(core::Sha256("Quyết định khác"), *token);
  ASSERT_TRUE(other.ok());
  EXPECT_FALSE(other->valid);
  EXPECT_TRUE(Has(*other, "timestamp"));
  EXPECT_EQ(signing_->VerifyTimeStamp(digest, "junk").error().reason,
            "signing.timestamp_malformed");
}

TEST_P(CmsTest, MalformedInputIsAnErrorNotACrash) {
  const std::string sig = SignOrDie(official_.id);
  for (std::string_view bad :
       {std::string_view(), std::string_view("not cms at all"),
        std::string_view(sig).substr(0, sig.size() / 2), std::string_view(sig).substr(0, 20)}) {
    auto v = signing_->VerifyCms(kDocument, bad);
    ASSERT_FALSE(v.ok()) << bad.size();
    EXPECT_EQ(v.error().reason, "signing.cms_malformed");
  }
  // Nested deeper than any real CMS: 100,000 SEQUENCE headers.
  std::string deep;
  for (int i = 0; i < 100000; ++i) deep += "\x30\x80";
  EXPECT_FALSE(signing_->VerifyCms(kDocument, deep).ok());
}

// Anyone may verify, so a CMS with more signers than any real document is refused up front.
TEST_P(CmsTest, TooManySignersAreRefused) {
  const auto d = dir_.string();
  std::string script = "cd " + d +
                       " && for i in $(seq 65); do openssl req -x509 -newkey ec "
                       "-pkeyopt ec_paramgen_curve:P-256 -nodes -keyout k$i.key -out c$i.pem "
                       "-days 2 -subj /CN=Signer$i 2>/dev/null || exit 1; done && openssl cms "
                       "-sign -binary -in doc.txt -outform DER -out many.p7s";
  for (int i = 1; i <= 65; ++i) {
    script += " -signer c" + std::to_string(i) + ".pem -inkey k" + std::to_string(i) + ".key";
  }
  const ShellRun made = Shell(script);
  ASSERT_EQ(made.exit_code, 0) << made.out;
  auto v = signing_->VerifyCms(kDocument, ReadFile(dir_ / "many.p7s"));
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.error().reason, "signing.too_many_signers");
}

// Parsed keys and the TSA's key are cached; a change to the PKI is seen at once: a revoked TSA
// stops time-stamping, and a new one takes over.
TEST_P(CmsTest, TheCachesFollowChangesToThePki) {
  SignOrDie(official_.id);  // fills the caches
  pki::ListQuery q;
  q.kind = pki::Kind::kTsa;
  auto tsas = pki_->List(q);
  ASSERT_TRUE(tsas.ok());
  ASSERT_EQ(tsas->size(), 1u);
  ASSERT_TRUE(pki_->Revoke(tsas->front().id, pki::RevocationReason::kKeyCompromise, Admin()).ok());
  auto refused = signing_->SignCms(kDocument, official_.id, Signer());
  ASSERT_FALSE(refused.ok()) << "the revoked TSA's cached key was used";
  EXPECT_EQ(refused.error().reason, "signing.no_tsa");
  Issue(pki::Kind::kTsa, "Dịch vụ cấp dấu thời gian 2");
  const SignatureReport r = VerifyOne(kDocument, SignOrDie(official_.id));
  EXPECT_TRUE(r.valid) << (r.problems.empty() ? "" : r.problems[0].message_en);
  EXPECT_TRUE(r.timestamp_time.has_value());
}

// An external RFC 3161 service over HTTP: the built-in TSA's route served on loopback, asked by a
// second signing service configured with its URL, as a province would use a national TSA.
// The API signs any file (CAdES, detached) and verifies it from the JSON form; the parameters
// are the declared ones, and a missing or malformed one is named.
TEST_P(CmsTest, RoutesSignAndVerify) {
  const std::string id = std::to_string(official_.id);
  auto sig = Post("/api/v1/signatures/cms", {{"certificate_id", id}, {"timestamp", "false"}},
                  std::string(kDocument));
  ASSERT_TRUE(sig.ok()) << sig.error().message_en;
  EXPECT_EQ(sig->content_type, "application/pkcs7-signature");
  EXPECT_FALSE(VerifyOne(kDocument, sig->body).timestamp_time.has_value()) << "timestamp=false";

  auto verified = Post("/api/v1/verify", {},
                       R"({"file":")" + core::Base64Encode(kDocument) + R"(","signature":")" +
                           core::Base64Encode(sig->body) + R"("})");
  ASSERT_TRUE(verified.ok()) << verified.error().message_en;
  const auto report = boost::json::parse(verified->body).as_object();
  EXPECT_EQ(report.at("format").as_string(), "cms");
  EXPECT_EQ(report.at("signatures").as_array().size(), 1u);
  EXPECT_TRUE(report.at("signatures").as_array()[0].as_object().at("timestamp_time").is_null());

  struct Case {
    std::string path;
    std::multimap<std::string, std::string> query;
    std::string body;
    std::string_view named;
  };
  const Case kCases[] = {
      {"/api/v1/signatures/cms", {}, "x", "certificate_id"},
      {"/api/v1/signatures/cms", {{"certificate_id", "abc"}}, "x", "certificate_id"},
      {"/api/v1/signatures/cms",
       {{"certificate_id", id}, {"timestamp", "maybe"}},
       "x",
       "timestamp"},
      {"/api/v1/signatures/xml", {{"certificate_id", id}, {"edxml", "yes"}}, "<a/>", "edxml"},
      {"/api/v1/verify", {}, R"({"signature":""})", "file"},
      {"/api/v1/verify", {}, R"({"file":"not base64!"})", "file"},
  };
  for (const Case& c : kCases) {
    auto refused = Post(c.path, c.query, c.body);
    ASSERT_FALSE(refused.ok()) << c.path << " " << c.body;
    EXPECT_EQ(refused.error().code, ErrorCode::kInvalidArgument) << c.path;
    EXPECT_NE(refused.error().message_en.find(c.named), std::string::npos)
        << c.path << " → " << refused.error().message_en;
  }
}

class AdmitAll final : public http::Guard {
 public:
  Result<core::Actor> Admit(const http::Request&, const http::Route&) override {
    return core::Actor{};
  }
};

TEST_P(CmsTest, TimeStampsFromAnExternalTsaOverHttp) {
  http::Router router;
  RegisterRoutes(router, *signing_);
  AdmitAll guard;
  http::ServerOptions o;
  o.port = 0;
  o.io_threads = 1;
  o.worker_threads = 1;
  o.handle_signals = false;
  o.access_log_path = "/dev/null";
  o.upload_dir = (dir_ / "uploads").string();
  http::Server server(router, guard, o);
  ASSERT_TRUE(server.Start().ok());
  std::thread serving([&server] { server.Run(); });
  Service remote(*pki_, clock_,
                 "http://127.0.0.1:" + std::to_string(server.port()) + "/api/v1/pki/tsa");
  auto sig = remote.SignCms(kDocument, official_.id, Signer());
  Service unreachable(*pki_, clock_, "http://127.0.0.1:1/api/v1/pki/tsa");
  auto refused = unreachable.SignCms(kDocument, official_.id, Signer());
  server.Stop();
  serving.join();
  ASSERT_TRUE(sig.ok()) << sig.error().message_en << " " << sig.error().detail;
  const SignatureReport r = VerifyOne(kDocument, *sig);
  EXPECT_TRUE(r.valid) << (r.problems.empty() ? "" : r.problems[0].message_en);
  EXPECT_TRUE(r.timestamp_time.has_value());
  ASSERT_FALSE(refused.ok()) << "no time-stamp, no signature: a CAdES-T was asked for";
  EXPECT_EQ(refused.error().code, ErrorCode::kUnavailable);
}

TINHSO_INSTANTIATE_BACKENDS(CmsTest);

}  // namespace
}  // namespace tinhso::signing
