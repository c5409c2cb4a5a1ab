// XML-DSig with the PKI on both backends, with the xmlsec1 CLI as the outside verifier and
// signer: what tinhso signs verifies in xmlsec1 against our root, reports name the signer, and
// revocation, unknown roots and tampering are reported with reasons.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "auth/policy.hpp"
#include "core/clock.hpp"
#include "fixture.hpp"
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

constexpr std::string_view kEdXml =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<edXMLEnvelope xmlns=\"http://www.mic.gov.vn/TBT/QCVN_102_2016\">\n"
    "  <edXMLHeader>\n"
    "    <MessageHeader><From><OrganId>000.00.13.H56</OrganId><OrganName>Sở Văn hóa, Thể thao "
    "và Du lịch</OrganName></From><To><OrganId>000.00.00.H56</OrganId></To>"
    "<DocumentId>000.00.13.H56,2024/05/06,27/SVHTTDL-VP</DocumentId>"
    "<Subject>Báo cáo kết quả tổ chức lễ hội đền Đuổm năm 2024</Subject></MessageHeader>\n"
    "  </edXMLHeader>\n"
    "  <edXMLBody><edXMLManifest/></edXMLBody>\n"
    "</edXMLEnvelope>\n";

class XmlSignTest : public SigningTest {
 protected:
  void SetUp() override {
    SigningTest::SetUp();
    if (HasFatalFailure()) return;
    official_ = Issue("Phạm Thị Hồng", pki::KeyType::kEcdsaP256);
  }

  pki::Certificate Issue(const std::string& name, pki::KeyType key_type) {
    return SigningTest::Issue(pki::Kind::kOfficial, name, key_type);
  }

  std::string SignOrDie(std::int64_t cert) {
    auto signed_xml = signing_->SignXml(kEdXml, cert, Signer(), xmlsig::EdXmlHeader());
    EXPECT_TRUE(signed_xml.ok()) << signed_xml.error().message_en << " "
                                 << signed_xml.error().detail;
    return signed_xml.ok() ? *signed_xml : std::string();
  }

  SignatureReport VerifyOne(std::string_view xml) {
    auto v = signing_->VerifyXml(xml);
    EXPECT_TRUE(v.ok()) << v.error().message_en;
    EXPECT_EQ(v.ok() ? v->signatures.size() : 0u, 1u);
    EXPECT_EQ(v.ok() ? v->format : "", "xmldsig");
    return v.ok() && !v->signatures.empty() ? v->signatures[0] : SignatureReport{};
  }

  ShellRun Xmlsec1Verify(std::string_view xml) {
    WriteFile(dir_ / "signed.xml", xml);
    return Shell("xmlsec1 --verify --trusted-pem " + (dir_ / "root.pem").string() + " " +
                 (dir_ / "signed.xml").string());
  }

  pki::Certificate official_;
};

TEST_P(XmlSignTest, WhatTinhsoSignsVerifiesInXmlsec1AndInTinhso) {
  const pki::Certificate rsa = Issue("Lê Văn Bình", pki::KeyType::kRsa3072);
  for (const pki::Certificate* cert : {static_cast<const pki::Certificate*>(&official_), &rsa}) {
    const std::string signed_xml = SignOrDie(cert->id);
    EXPECT_NE(signed_xml.find("</ds:Signature></edXMLHeader>"), std::string::npos);
    // xmlsec1 with nothing but our root: the issuing CA travels in KeyInfo.
    const ShellRun xmlsec1 = Xmlsec1Verify(signed_xml);
    EXPECT_EQ(xmlsec1.exit_code, 0) << xmlsec1.out;
    EXPECT_NE(xmlsec1.out.find("OK"), std::string::npos) << xmlsec1.out;

    const SignatureReport r = VerifyOne(signed_xml);
    EXPECT_TRUE(r.valid) << (r.problems.empty() ? "" : r.problems[0].message_en);
    EXPECT_TRUE(r.integrity_ok);
    EXPECT_TRUE(r.chain_ok);
    EXPECT_EQ(r.format, "xmldsig");
    EXPECT_EQ(r.signer_name, cert == &rsa ? "Lê Văn Bình" : "Phạm Thị Hồng");
    EXPECT_EQ(r.signer_title, "Phó Giám đốc");
    EXPECT_EQ(r.certificate_kind, "official");
    EXPECT_TRUE(r.revocation_checked);
    EXPECT_FALSE(r.timestamp_time.has_value());
    bool says_no_timestamp = false;
    for (const std::string& note : r.notes_en) {
      says_no_timestamp = says_no_timestamp || note.find("no time-stamp") != std::string::npos;
    }
    EXPECT_TRUE(says_no_timestamp) << "the report says the chain was judged now";
    auto v = signing_->VerifyXml(signed_xml);
    ASSERT_TRUE(v.ok());
    EXPECT_NE(ToJson(*v).find("\"valid\":true"), std::string::npos);
  }
}

TEST_P(XmlSignTest, RevokedCertificateWithoutTimeStampIsInvalid) {
  const std::string signed_xml = SignOrDie(official_.id);
  clock_.Advance(std::chrono::hours(2));
  ASSERT_TRUE(pki_->Revoke(official_.id, pki::RevocationReason::kKeyCompromise, Admin()).ok());
  const SignatureReport r = VerifyOne(signed_xml);
  EXPECT_TRUE(r.integrity_ok);
  EXPECT_FALSE(r.valid) << "nothing proves it was signed before the revocation";
  EXPECT_TRUE(r.revoked);
  EXPECT_TRUE(Has(r, "revoked"));
  // And a revoked certificate signs nothing more.
  EXPECT_FALSE(signing_->SignXml(kEdXml, official_.id, Signer()).ok());
}

TEST_P(XmlSignTest, SignatureFromAnUnknownRootIsUntrustedUntilTrusted) {
  const auto d = dir_.string();
  const std::string tmpl =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<BaoCao><NoiDung>Số liệu quý II</NoiDung>"
      "<Signature xmlns=\"http://www.w3.org/2000/09/xmldsig#\"><SignedInfo>"
      "<CanonicalizationMethod Algorithm=\"http://www.w3.org/2001/10/xml-exc-c14n#\"/>"
      "<SignatureMethod Algorithm=\"http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256\"/>"
      "<Reference URI=\"\"><Transforms><Transform "
      "Algorithm=\"http://www.w3.org/2000/09/xmldsig#enveloped-signature\"/></Transforms>"
      "<DigestMethod Algorithm=\"http://www.w3.org/2001/04/xmlenc#sha256\"/><DigestValue/>"
      "</Reference></SignedInfo><SignatureValue/><KeyInfo><X509Data/></KeyInfo></Signature>"
      "</BaoCao>\n";
  WriteFile(dir_ / "tmpl.xml", tmpl);
  const ShellRun made =
      Shell("cd " + d + " && " + kOutsideSigner +
            " && xmlsec1 --sign --privkey-pem s.key,s.pem --output ext.xml tmpl.xml");
  ASSERT_EQ(made.exit_code, 0) << made.out;
  clock_.Set(core::SystemClock().Now() + std::chrono::minutes(1));  // openssl dates from now
  const std::string signed_xml = ReadFile(dir_ / "ext.xml");
  const SignatureReport untrusted = VerifyOne(signed_xml);
  EXPECT_TRUE(untrusted.integrity_ok);
  EXPECT_FALSE(untrusted.valid);
  EXPECT_TRUE(Has(untrusted, "untrusted")) << "a chain to an unknown root";
  EXPECT_EQ(untrusted.signer_name, "Nguyen Van B");
  ASSERT_TRUE(pki_->AddTrustAnchor(ReadFile(dir_ / "ca.pem"), Admin()).ok());
  const SignatureReport trusted = VerifyOne(signed_xml);
  EXPECT_TRUE(trusted.valid) << (trusted.problems.empty() ? "" : trusted.problems[0].message_en);
  EXPECT_FALSE(trusted.revocation_checked) << "an outside CA's certificate";
}

TEST_P(XmlSignTest, TamperingIsReportedAndMalformedInputIsAnError) {
  const std::string signed_xml = SignOrDie(official_.id);
  std::string changed = signed_xml;
  changed.replace(changed.find("đền Đuổm"), std::string_view("đền Đuổm").size(), "đền Đuốm");
  const SignatureReport r = VerifyOne(changed);
  EXPECT_FALSE(r.valid);
  EXPECT_FALSE(r.integrity_ok);
  EXPECT_TRUE(Has(r, "integrity"));
  EXPECT_EQ(r.signer_name, "Phạm Thị Hồng") << "still says who signed";
  EXPECT_NE(Xmlsec1Verify(changed).exit_code, 0) << "xmlsec1 agrees";

  auto truncated = signing_->VerifyXml(std::string_view(signed_xml).substr(0, 300));
  ASSERT_FALSE(truncated.ok());
  EXPECT_EQ(truncated.error().reason, "xmlsig.malformed");
  auto xxe =
      signing_->VerifyXml("<!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><r>&x;</r>");
  ASSERT_FALSE(xxe.ok());
  EXPECT_EQ(xxe.error().reason, "xmlsig.dtd_forbidden");
  auto unsigned_doc = signing_->VerifyXml(kEdXml);
  ASSERT_FALSE(unsigned_doc.ok());
  EXPECT_EQ(unsigned_doc.error().reason, "xmlsig.no_signature");
  // Signing: a document that is not XML, and an actor who may not use the key.
  EXPECT_EQ(signing_->SignXml("<a>", official_.id, Signer()).error().reason, "xmlsig.malformed");
  core::Actor stranger = Signer();
  stranger.user_id = 99;
  stranger.agency_id = 99;
  EXPECT_EQ(signing_->SignXml(kEdXml, official_.id, stranger).error().code,
            ErrorCode::kPermissionDenied);
}

TINHSO_INSTANTIATE_BACKENDS(XmlSignTest);

}  // namespace
}  // namespace tinhso::signing
