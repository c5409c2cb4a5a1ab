// A dossier's result PDF, issued in the one-stop flow, carries the deciding official's and the
// organisation's signatures, and poppler's pdfsig verifies both (NĐ 30/2020 Điều 13).
#include "core/crypto.hpp"
#include "fixture.hpp"
#include "signing/signing.hpp"
#include "support/sample_images.hpp"
#include "support/sample_pdf.hpp"
#include "support/shell.hpp"
#include "support/temp_dir.hpp"

namespace tinhso::dossiers::test {
namespace {

class ResultSigningTest : public DossierTest {
 protected:
  app::Config MakeConfig() const override {
    app::Config config;
    const auto key = pki::NewMasterKey();
    config.pki_master_key =
        core::Base64Encode(std::string(reinterpret_cast<const char*>(key.data()), key.size()));
    return config;
  }

  pki::Certificate Issue(pki::Kind kind, std::int64_t user_id, const std::string& name) {
    pki::IssueInput in;
    in.kind = kind;
    in.subject.common_name = name;
    in.subject.organization = "Sở Tư pháp tỉnh Thái Nguyên";
    in.agency_id = justice_;
    in.user_id = user_id;
    auto c = app_->pki().Issue(in, core::SystemActor());
    EXPECT_TRUE(c.ok()) << c.error().message_en << " " << c.error().detail;
    return c.ok() ? *c : pki::Certificate{};
  }
};

TEST_P(ResultSigningTest, TheResultPdfCarriesTheOfficialsAndTheOrganisationsSignatures) {
  ASSERT_TRUE(app_->pki().Init({}, core::SystemActor()).ok());
  Issue(pki::Kind::kTsa, 0, "Dịch vụ cấp dấu thời gian");
  Issue(pki::Kind::kOfficial, 22, "Trần Văn Giám");
  Issue(pki::Kind::kOrganisation, 0, "Sở Tư pháp");

  auto& svc = app_->dossiers();
  auto d = svc.Submit(CriminalRecord(), Citizen());
  ASSERT_TRUE(d.ok()) << d.error().message_en;
  auto accepted =
      svc.Transition(d->id, Act("accept", d->version), Officer(centre_, {"reception"}, 11));
  ASSERT_TRUE(accepted.ok()) << accepted.error().message_en;
  auto issue = Act("issue_result", accepted->version);
  const std::string result_pdf = tinhso::test::OnePagePdf("Phieu ly lich tu phap so 1");
  issue.files = {{"KQ", "phieu-lltp.pdf", result_pdf}};
  auto issued = svc.Transition(d->id, issue, Officer(justice_, {"leader"}, 22));
  ASSERT_TRUE(issued.ok()) << issued.error().message_en << " " << issued.error().detail;

  auto files = svc.Files(d->id, Officer(justice_, {"leader"}, 22));
  ASSERT_TRUE(files.ok());
  std::int64_t result_id = 0;
  for (const auto& f : *files) {
    if (f.kind == "result") result_id = f.id;
  }
  ASSERT_NE(result_id, 0);
  auto stored = svc.FileContent(d->id, result_id, Officer(justice_, {"leader"}, 22));
  ASSERT_TRUE(stored.ok());
  EXPECT_TRUE(stored->starts_with(result_pdf)) << "signed by incremental updates";

  const auto dir = tinhso::test::TempDir();
  tinhso::test::WriteFile(dir / "ket-qua.pdf", *stored);
  const auto pdfsig = tinhso::test::Shell("pdfsig -nocert " + (dir / "ket-qua.pdf").string());
  std::size_t valid = 0;
  for (std::size_t at = 0; (at = pdfsig.out.find("Signature is Valid", at)) != std::string::npos;
       ++at) {
    ++valid;
  }
  EXPECT_EQ(valid, 2u) << pdfsig.out;
  auto report = app_->signing().VerifyPdf(*stored);
  ASSERT_TRUE(report.ok()) << report.error().message_en;
  ASSERT_EQ(report->signatures.size(), 2u);
  EXPECT_EQ(report->signatures[0].signer_name, "Trần Văn Giám");
  EXPECT_EQ(report->signatures[0].certificate_kind, "official");
  EXPECT_EQ(report->signatures[1].certificate_kind, "organisation");
  EXPECT_TRUE(report->AllValid()) << signing::ToText(*report);
}

// With the official's signature image and the agency's seal registered, the result shows them
// as NĐ 30/2020 places them: the signature at the bottom right of the last page, the seal over
// its left third.
TEST_P(ResultSigningTest, RegisteredImagesAreDrawnOnTheResult) {
  ASSERT_TRUE(app_->pki().Init({}, core::SystemActor()).ok());
  Issue(pki::Kind::kTsa, 0, "Dịch vụ cấp dấu thời gian");
  const auto official = Issue(pki::Kind::kOfficial, 22, "Trần Văn Giám");
  const auto organisation = Issue(pki::Kind::kOrganisation, 0, "Sở Tư pháp");
  ASSERT_TRUE(
      app_->pki()
          .SetAppearance(official.id, tinhso::test::SignaturePng(300, 120), core::SystemActor())
          .ok());
  ASSERT_TRUE(app_->pki()
                  .SetAppearance(organisation.id, tinhso::test::SealPng(200), core::SystemActor())
                  .ok());
  auto& svc = app_->dossiers();
  auto d = svc.Submit(CriminalRecord(), Citizen());
  ASSERT_TRUE(d.ok());
  auto accepted =
      svc.Transition(d->id, Act("accept", d->version), Officer(centre_, {"reception"}, 11));
  ASSERT_TRUE(accepted.ok());
  auto issue = Act("issue_result", accepted->version);
  issue.files = {{"KQ", "phieu.pdf", tinhso::test::OnePagePdf("Phieu so 3")}};
  ASSERT_TRUE(svc.Transition(d->id, issue, Officer(justice_, {"leader"}, 22)).ok());
  auto files = svc.Files(d->id, Officer(justice_, {"leader"}, 22));
  ASSERT_TRUE(files.ok());
  std::string stored;
  for (const auto& f : *files) {
    if (f.kind == "result")
      stored = *svc.FileContent(d->id, f.id, Officer(justice_, {"leader"}, 22));
  }
  auto found = pdf::ReadSignatures(stored);
  ASSERT_TRUE(found.ok());
  ASSERT_EQ(found->size(), 2u);
  const pdf::Rect signer = (*found)[0].rect, seal = (*found)[1].rect;
  EXPECT_GT(signer.width(), 100);
  EXPECT_GT(signer.x1, 595.0 / 2) << "on the right half of the A4 page";
  EXPECT_LT(signer.y2, 842.0 / 3) << "in the lower third";
  EXPECT_LT(seal.x1, signer.x1);
  EXPECT_GT(seal.x2, signer.x1);
  const auto dir = tinhso::test::TempDir();
  tinhso::test::WriteFile(dir / "ket-qua.pdf", stored);
  const auto pdfsig = tinhso::test::Shell("pdfsig -nocert " + (dir / "ket-qua.pdf").string());
  std::size_t valid = 0;
  for (std::size_t at = 0; (at = pdfsig.out.find("Signature is Valid", at)) != std::string::npos;
       ++at) {
    ++valid;
  }
  EXPECT_EQ(valid, 2u) << pdfsig.out;
}

TEST_P(ResultSigningTest, WithoutCertificatesTheResultIsStoredAsGiven) {
  auto& svc = app_->dossiers();
  auto d = svc.Submit(CriminalRecord(), Citizen());
  ASSERT_TRUE(d.ok());
  auto accepted =
      svc.Transition(d->id, Act("accept", d->version), Officer(centre_, {"reception"}, 11));
  ASSERT_TRUE(accepted.ok());
  auto issue = Act("issue_result", accepted->version);
  // Not even a whole PDF (what some scanners send): with nothing to sign with, it is not read.
  const std::string result_pdf = "%PDF-1.4\n% phieu so 2\n";
  issue.files = {{"KQ", "phieu.pdf", result_pdf}};
  ASSERT_TRUE(svc.Transition(d->id, issue, Officer(justice_, {"leader"}, 22)).ok());
  auto files = svc.Files(d->id, Officer(justice_, {"leader"}, 22));
  ASSERT_TRUE(files.ok());
  for (const auto& f : *files) {
    if (f.kind != "result") continue;
    EXPECT_EQ(*svc.FileContent(d->id, f.id, Officer(justice_, {"leader"}, 22)), result_pdf);
  }
}

TINHSO_INSTANTIATE_BACKENDS(ResultSigningTest);

}  // namespace
}  // namespace tinhso::dossiers::test
