// PAdES through the signing service on both backends, with poppler's pdfsig and qpdf as the
// outside tools: what tinhso signs, pdfsig verifies; a second signature keeps the first valid;
// a changed byte is reported; the verifier recognises PDF, XML and CMS by their content.
#include <gtest/gtest.h>

#include "auth/policy.hpp"
#include "core/clock.hpp"
#include "fixture.hpp"
#include "http/http.hpp"
#include "pki/pki.hpp"
#include "signing/signing.hpp"
#include "support/database.hpp"
#include "support/sample_images.hpp"
#include "support/sample_pdf.hpp"
#include "support/shell.hpp"
#include "support/temp_dir.hpp"

namespace tinhso::signing {
namespace {

using test::ReadFile;
using test::Shell;
using test::WriteFile;

using test::OnePagePdf;

class PadesTest : public SigningTest {
 protected:
  void SetUp() override {
    SigningTest::SetUp();
    if (HasFatalFailure()) return;
    official_ = Issue(pki::Kind::kOfficial, "Phạm Thị Hồng").id;
    seal_ =
        Issue(pki::Kind::kOrganisation, "Sở Văn hóa, Thể thao và Du lịch", pki::KeyType::kRsa3072)
            .id;
    Issue(pki::Kind::kTsa, "Dịch vụ cấp dấu thời gian");
  }

  // pdfsig's verdict on every signature: the lines "Signature Validation: …".
  std::string Pdfsig(const std::string& pdf) {
    WriteFile(dir_ / "x.pdf", pdf);
    return Shell("pdfsig -nocert " + (dir_ / "x.pdf").string()).out;
  }

  std::int64_t official_ = 0;
  std::int64_t seal_ = 0;
};

TEST_P(PadesTest, SignedPdfsVerifyInPdfsigAndInTinhsoAndASecondSignatureKeepsTheFirst) {
  const std::string original = OnePagePdf("Quyet dinh 15/QD-UBND");
  PdfOptions personal;
  personal.reason = "Phê duyệt";
  auto once = signing_->SignPdf(original, official_, Signer(), personal);
  ASSERT_TRUE(once.ok()) << once.error().message_en << " " << once.error().detail;
  EXPECT_TRUE(once->starts_with(original)) << "an incremental update: the original is untouched";
  std::string verdict = Pdfsig(*once);
  EXPECT_NE(verdict.find("Signature is Valid"), std::string::npos) << verdict;
  EXPECT_NE(verdict.find("ETSI.CAdES.detached"), std::string::npos) << verdict;

  // The organisation's signature on top, as the văn thư adds it (its text box, top right).
  PdfOptions organisation;
  organisation.appearance.kind = pdf::AppearanceKind::kOrganisationText;
  organisation.appearance.organisation = "Sở Văn hóa, Thể thao và Du lịch";
  organisation.appearance.document_number = "15/QĐ-SVHTTDL";
  auto info = pdf::Inspect(*once);
  ASSERT_TRUE(info.ok());
  organisation.appearance.rect = pdf::TopRightBox(info->pages[0], 200, 60);
  core::Actor clerk = Signer();
  clerk.user_id = 30;
  clerk.roles = {"clerk"};
  auto twice = signing_->SignPdf(*once, seal_, clerk, organisation);
  ASSERT_TRUE(twice.ok()) << twice.error().message_en << " " << twice.error().detail;
  verdict = Pdfsig(*twice);
  std::size_t valid = 0;
  for (std::size_t at = 0; (at = verdict.find("Signature is Valid", at)) != std::string::npos;
       ++at) {
    ++valid;
  }
  EXPECT_EQ(valid, 2u) << verdict;
  WriteFile(dir_ / "twice.pdf", *twice);
  EXPECT_EQ(Shell("qpdf --check " + (dir_ / "twice.pdf").string()).exit_code, 0);

  auto report = signing_->VerifyPdf(*twice);
  ASSERT_TRUE(report.ok()) << report.error().message_en;
  ASSERT_EQ(report->signatures.size(), 2u);
  EXPECT_TRUE(report->AllValid()) << ToText(*report);
  EXPECT_EQ(report->format, "pades");
  EXPECT_EQ(report->signatures[0].signer_name, "Phạm Thị Hồng");
  EXPECT_EQ(report->signatures[0].certificate_kind, "official");
  EXPECT_EQ(report->signatures[1].certificate_kind, "organisation");
  EXPECT_TRUE(report->signatures[0].timestamp_time.has_value());
  EXPECT_FALSE(report->signatures[0].notes_en.empty()) << "only a signature came after it";
}

// PAdES baseline (ETSI EN 319 142-1) forbids the CMS signing-time attribute, which the EU's
// validator rejects: the claimed time is the signature dictionary's /M, which tinhso and pdfsig
// read. A detached CAdES signature keeps the attribute.
TEST_P(PadesTest, PadesSignaturesCarryNoSigningTimeAttributeAndStillSayWhen) {
  // The signer's signed attributes as openssl prints them (the time-stamp token, an unsigned
  // attribute, has a signing time of its own).
  const auto cms_print = [&](const std::string& der) {
    WriteFile(dir_ / "cms.der", der);
    const std::string all =
        Shell("openssl cms -cmsout -print -inform DER -in " + (dir_ / "cms.der").string()).out;
    const std::size_t begin = all.find("signedAttrs:");
    EXPECT_NE(begin, std::string::npos) << all;
    return begin == std::string::npos ? all : all.substr(begin, all.find("unsignedAttrs:") - begin);
  };
  const std::int64_t now = clock_.Now().time_since_epoch().count();
  for (bool timestamp : {true, false}) {
    SCOPED_TRACE(timestamp ? "time-stamped" : "no time-stamp");
    PdfOptions options;
    options.timestamp = timestamp;
    auto signed_pdf = signing_->SignPdf(OnePagePdf("Thoi diem ky"), official_, Signer(), options);
    ASSERT_TRUE(signed_pdf.ok()) << signed_pdf.error().message_en;
    auto found = pdf::ReadSignatures(*signed_pdf);
    ASSERT_TRUE(found.ok());
    ASSERT_EQ(found->size(), 1u);
    EXPECT_EQ((*found)[0].signing_time_utc, now);
    const std::string printed = cms_print((*found)[0].contents);
    EXPECT_NE(printed.find("messageDigest"), std::string::npos) << printed;
    EXPECT_NE(printed.find("signingCertificateV2"), std::string::npos) << printed;
    EXPECT_EQ(printed.find("signingTime"), std::string::npos) << printed;

    auto report = signing_->VerifyPdf(*signed_pdf);
    ASSERT_TRUE(report.ok());
    EXPECT_TRUE(report->AllValid()) << ToText(*report);
    const SignatureReport& r = report->signatures[0];
    ASSERT_TRUE(r.claimed_time.has_value()) << "from /M";
    EXPECT_EQ(r.claimed_time->time_since_epoch().count(), now);
    EXPECT_EQ(r.timestamp_time.has_value(), timestamp);
    EXPECT_NE(ToText(*report).find(timestamp ? "signed at (time-stamp)" : "signed at (as claimed)"),
              std::string::npos)
        << ToText(*report);
    const std::string verdict = Pdfsig(*signed_pdf);
    EXPECT_NE(verdict.find("Signature is Valid"), std::string::npos) << verdict;
    EXPECT_NE(verdict.find("Signing Time: "), std::string::npos) << verdict;
  }
  auto cades = signing_->SignCms("bất kỳ", official_, Signer());
  ASSERT_TRUE(cades.ok());
  EXPECT_NE(cms_print(*cades).find("signingTime"), std::string::npos);
}

TEST_P(PadesTest, AChangedByteIsReportedAndSoIsAnUnsignedPdf) {
  auto signed_pdf = signing_->SignPdf(OnePagePdf("Giay phep"), official_, Signer());
  ASSERT_TRUE(signed_pdf.ok()) << signed_pdf.error().message_en;
  std::string changed = *signed_pdf;
  const auto at = changed.find("Giay phep");
  ASSERT_NE(at, std::string::npos);
  changed[at] = 'X';
  auto report = signing_->VerifyPdf(changed);
  ASSERT_TRUE(report.ok()) << report.error().message_en;
  EXPECT_FALSE(report->AllValid());
  EXPECT_FALSE(report->signatures[0].integrity_ok);
  const std::string pdfsig = Pdfsig(changed);
  EXPECT_EQ(pdfsig.find("Signature is Valid"), std::string::npos) << "pdfsig agrees: " << pdfsig;
  EXPECT_EQ(signing_->VerifyPdf(OnePagePdf("khong ky")).error().reason, "signing.not_signed");
}

// A document its author certified (ISO 32000-1 §12.8.2.2, DocMDP) is signed only where the
// certification permits it, and a certification broken by later changes is reported as such.
TEST_P(PadesTest, CertifiedDocumentsAreSignedOnlyAsTheirCertificationPermits) {
  const auto certify = [&](int permission) {
    return test::CertifiedPdf(permission, [&](const std::string& bytes) {
      auto cms = signing_->SignCms(bytes, seal_, Signer());
      EXPECT_TRUE(cms.ok()) << cms.error().message_en;
      return cms.ok() ? *cms : std::string();
    });
  };
  for (int permission : {1, 2}) {
    SCOPED_TRACE("P=" + std::to_string(permission));
    const std::string certified = certify(permission);
    auto alone = signing_->VerifyPdf(certified);
    ASSERT_TRUE(alone.ok()) << alone.error().message_en;
    EXPECT_TRUE(alone->AllValid()) << ToText(*alone);
    EXPECT_NE(ToText(*alone).find("certifies the document"), std::string::npos);

    auto refused = signing_->SignPdf(certified, official_, Signer());
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().reason,
              permission == 1 ? "pdf.certified_no_changes" : "pdf.certified_no_new_fields");
    EXPECT_EQ(http::StatusFor(refused.error().code), 422);

    // What tinhso wrote before it refused: the official's signature in a new field.
    pdf::SignatureRequest request;
    request.signing_time = clock_.Now().time_since_epoch().count();
    auto prepared = pdf::PrepareSignature(test::HideCertification(certified), request);
    ASSERT_TRUE(prepared.ok()) << prepared.error().detail;
    prepared->pdf.replace(0, certified.size(), certified);
    auto cms = signing_->SignCms(prepared->BytesToSign(), official_, Signer());
    ASSERT_TRUE(cms.ok());
    const std::string anyway = pdf::EmbedSignature(*prepared, *cms).value();
    auto report = signing_->VerifyPdf(anyway);
    ASSERT_TRUE(report.ok()) << report.error().message_en;
    ASSERT_EQ(report->signatures.size(), 2u);
    const SignatureReport& certification = report->signatures[0];
    EXPECT_FALSE(certification.valid);
    EXPECT_TRUE(certification.integrity_ok) << "its bytes are intact; the later change breaks it";
    EXPECT_TRUE(Has(certification, "certification")) << ToText(*report);
    EXPECT_EQ(ToText(*report).find("only signatures or annotations were added"), std::string::npos);
    EXPECT_TRUE(report->signatures[1].valid) << ToText(*report);
    const std::string verdict = Pdfsig(anyway);
    EXPECT_NE(verdict.find("Not total document signed"), std::string::npos) << verdict;
  }
  // P=3 permits annotations, so a new signature field.
  auto signed_pdf = signing_->SignPdf(certify(3), official_, Signer());
  ASSERT_TRUE(signed_pdf.ok()) << signed_pdf.error().message_en;
  auto report = signing_->VerifyPdf(*signed_pdf);
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->AllValid()) << ToText(*report);
  std::string verdict = Pdfsig(*signed_pdf);
  std::size_t valid = 0;
  for (std::size_t at = 0; (at = verdict.find("Signature is Valid", at)) != std::string::npos;
       ++at) {
    ++valid;
  }
  EXPECT_EQ(valid, 2u) << verdict;
}

TEST_P(PadesTest, VerifyRecognisesTheFormatFromTheContent) {
  auto pdf_signed = signing_->SignPdf(OnePagePdf("A"), official_, Signer());
  ASSERT_TRUE(pdf_signed.ok());
  EXPECT_EQ(signing_->Verify(*pdf_signed, {})->format, "pades");
  auto xml_signed =
      signing_->SignXml("<?xml version=\"1.0\"?><vb><so>15</so></vb>", official_, Signer());
  ASSERT_TRUE(xml_signed.ok()) << xml_signed.error().message_en;
  EXPECT_EQ(signing_->Verify(*xml_signed, {})->format, "xmldsig");
  auto cms = signing_->SignCms("bất kỳ", official_, Signer());
  ASSERT_TRUE(cms.ok());
  EXPECT_EQ(signing_->Verify("bất kỳ", *cms)->format, "cms");
  EXPECT_EQ(signing_->Verify(*cms, {}).error().reason, "signing.content_required")
      << "a detached signature without its file";
  EXPECT_EQ(signing_->Verify("plain text", {}).error().reason, "signing.signature_required");
}

// The API signs PDFs with the images registered for the certificates (the official's signature
// image, then the seal over its left third, NĐ 30/2020) and XML documents; pdfsig accepts both
// PDF signatures.
TEST_P(PadesTest, RoutesSignPdfsWithTheRegisteredImagesAndXml) {
  ASSERT_TRUE(pki_->SetAppearance(official_, test::SignaturePng(300, 120), Admin()).ok());
  ASSERT_TRUE(pki_->SetAppearance(seal_, test::SealPng(200), Admin()).ok());
  const std::string id = std::to_string(official_);
  auto signed_once = Post("/api/v1/signatures/pdf",
                          {{"certificate_id", id},
                           {"appearance", "signer"},
                           {"rect", "340,120,170,70"},
                           {"reason", "Phê duyệt"}},
                          OnePagePdf("Quyet dinh so 15"));
  ASSERT_TRUE(signed_once.ok()) << signed_once.error().message_en;
  EXPECT_EQ(signed_once->content_type, "application/pdf");
  auto sealed = Post("/api/v1/signatures/pdf",
                     {{"certificate_id", std::to_string(seal_)},
                      {"appearance", "seal"},
                      {"rect", "340,120,170,70"}},
                     signed_once->body);
  ASSERT_TRUE(sealed.ok()) << sealed.error().message_en;
  const std::string verdict = Pdfsig(sealed->body);
  std::size_t valid = 0;
  for (std::size_t at = 0; (at = verdict.find("Signature is Valid", at)) != std::string::npos;
       ++at) {
    ++valid;
  }
  EXPECT_EQ(valid, 2u) << verdict;
  auto found = pdf::ReadSignatures(sealed->body);
  ASSERT_TRUE(found.ok());
  ASSERT_EQ(found->size(), 2u);
  const pdf::Rect signer = (*found)[0].rect, seal = (*found)[1].rect;
  EXPECT_DOUBLE_EQ(signer.x1, 340);
  EXPECT_DOUBLE_EQ(signer.x2, 510);
  // The seal covers the left third of the signature: its right edge inside that third.
  EXPECT_LT(seal.x1, signer.x1);
  EXPECT_GT(seal.x2, signer.x1);
  EXPECT_TRUE(signing_->VerifyPdf(sealed->body)->AllValid());

  // Without a registered image, a visible signature is refused with the reason; bad input too.
  const pki::Certificate bare = Issue(pki::Kind::kOfficial, "Phạm Thị Hồng");
  auto missing = Post("/api/v1/signatures/pdf",
                      {{"certificate_id", std::to_string(bare.id)},
                       {"appearance", "signer"},
                       {"rect", "340,120,170,70"}},
                      OnePagePdf("B"));
  EXPECT_EQ(missing.error().reason, "signing.appearance_missing");
  EXPECT_EQ(
      Post("/api/v1/signatures/pdf", {{"certificate_id", id}, {"rect", "1,2,3"}}, OnePagePdf("C"))
          .error()
          .reason,
      "signing.rect");
  EXPECT_EQ(Post("/api/v1/signatures/pdf", {{"certificate_id", id}, {"appearance", "stamp"}},
                 OnePagePdf("D"))
                .error()
                .reason,
            "signing.appearance");
  EXPECT_EQ(Post("/api/v1/signatures/pdf",
                 {{"certificate_id", id}, {"appearance", "text"}, {"page", "2"}}, OnePagePdf("E"))
                .error()
                .reason,
            "signing.page");

  auto xml = Post("/api/v1/signatures/xml", {{"certificate_id", id}},
                  "<?xml version=\"1.0\"?><vb><so>15/QĐ-UBND</so></vb>");
  ASSERT_TRUE(xml.ok()) << xml.error().message_en;
  EXPECT_EQ(xml->content_type, "application/xml");
  EXPECT_TRUE(signing_->VerifyXml(xml->body)->AllValid());
}

TINHSO_INSTANTIATE_BACKENDS(PadesTest);

}  // namespace
}  // namespace tinhso::signing
