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
    return IssueCertificate(kind, justice_, user_id, name, "Sở Tư pháp tỉnh Thái Nguyên");
  }

  // A criminal-record dossier taken through to its result, `result_pdf` attached by the
  // deciding leader (user 22 of the justice department); the result file as stored.
  std::string IssueResult(const std::string& result_pdf) {
    auto& svc = app_->dossiers();
    auto d = svc.Submit(CriminalRecord(), Citizen());
    EXPECT_TRUE(d.ok()) << d.error().message_en;
    if (!d.ok()) return {};
    last_dossier_ = d->id;
    auto accepted =
        svc.Transition(d->id, Act("accept", d->version), Officer(centre_, {"reception"}, 11));
    EXPECT_TRUE(accepted.ok()) << accepted.error().message_en;
    if (!accepted.ok()) return {};
    auto issue = Act("issue_result", accepted->version);
    issue.files = {{"KQ", "ket-qua.pdf", result_pdf}};
    const auto leader = Officer(justice_, {"leader"}, 22);
    auto issued = svc.Transition(d->id, issue, leader);
    EXPECT_TRUE(issued.ok()) << issued.error().message_en << " " << issued.error().detail;
    auto files = svc.Files(d->id, leader);
    EXPECT_TRUE(files.ok());
    for (const auto& f : files.ok() ? *files : std::vector<FileInfo>{}) {
      if (f.kind != "result") continue;
      auto content = svc.FileContent(d->id, f.id, leader);
      EXPECT_TRUE(content.ok());
      return content.ok() ? *content : std::string();
    }
    ADD_FAILURE() << "no result file";
    return {};
  }

  // Who signed the last result, as its file's entry says ("Đã ký số bởi …" on the portal).
  std::string SignedBy() {
    auto files = app_->dossiers().Files(last_dossier_, Citizen());
    EXPECT_TRUE(files.ok());
    for (const auto& f : files.ok() ? *files : std::vector<FileInfo>{}) {
      if (f.kind == "result") return f.signed_by;
    }
    ADD_FAILURE() << "no result file";
    return {};
  }
  std::int64_t last_dossier_ = 0;

  // How many signatures poppler's pdfsig calls valid.
  static int ValidInPdfsig(const std::string& pdf) {
    const auto dir = tinhso::test::TempDir();
    tinhso::test::WriteFile(dir / "ket-qua.pdf", pdf);
    const auto pdfsig = tinhso::test::Shell("pdfsig -nocert " + (dir / "ket-qua.pdf").string());
    int valid = 0;
    for (std::size_t at = 0; (at = pdfsig.out.find("Signature is Valid", at)) != std::string::npos;
         ++at) {
      ++valid;
    }
    return valid;
  }
};

TEST_P(ResultSigningTest, TheResultPdfCarriesTheOfficialsAndTheOrganisationsSignatures) {
  ASSERT_TRUE(app_->pki().Init({}, core::SystemActor()).ok());
  Issue(pki::Kind::kTsa, 0, "Dịch vụ cấp dấu thời gian");
  Issue(pki::Kind::kOfficial, 22, "Trần Văn Giám");
  Issue(pki::Kind::kOrganisation, 0, "Sở Tư pháp");
  const std::string result_pdf = tinhso::test::OnePagePdf("Phieu ly lich tu phap so 1");
  const std::string stored = IssueResult(result_pdf);
  EXPECT_TRUE(stored.starts_with(result_pdf)) << "signed by incremental updates";
  EXPECT_EQ(ValidInPdfsig(stored), 2);
  auto report = app_->signing().VerifyPdf(stored);
  ASSERT_TRUE(report.ok()) << report.error().message_en;
  ASSERT_EQ(report->signatures.size(), 2u);
  EXPECT_EQ(report->signatures[0].signer_name, "Trần Văn Giám");
  EXPECT_EQ(report->signatures[0].certificate_kind, "official");
  EXPECT_EQ(report->signatures[1].certificate_kind, "organisation");
  EXPECT_TRUE(report->AllValid()) << signing::ToText(*report);
  // The signers, read from the signatures when the result was stored.
  EXPECT_EQ(SignedBy(), "Trần Văn Giám; Sở Tư pháp");
}

// With the official's signature image and the agency's seal registered, the result shows them
// as NĐ 30/2020 places them: the signature at the bottom right of the last page, the seal over
// its left third.
TEST_P(ResultSigningTest, RegisteredImagesAreDrawnOnTheResult) {
  ASSERT_TRUE(app_->pki().Init({}, core::SystemActor()).ok());
  Issue(pki::Kind::kTsa, 0, "Dịch vụ cấp dấu thời gian");
  const auto official = Issue(pki::Kind::kOfficial, 22, "Trần Văn Giám");
  const auto organisation = Issue(pki::Kind::kOrganisation, 0, "Sở Tư pháp");
  const auto system = core::SystemActor();
  ASSERT_TRUE(
      app_->pki().SetAppearance(official.id, tinhso::test::SignaturePng(300, 120), system).ok());
  ASSERT_TRUE(app_->pki().SetAppearance(organisation.id, tinhso::test::SealPng(200), system).ok());
  const std::string stored = IssueResult(tinhso::test::OnePagePdf("Phieu so 3"));
  auto found = pdf::ReadSignatures(stored);
  ASSERT_TRUE(found.ok());
  ASSERT_EQ(found->size(), 2u);
  const pdf::Rect signer = (*found)[0].rect, seal = (*found)[1].rect;
  EXPECT_GT(signer.width(), 100);
  EXPECT_GT(signer.x1, 595.0 / 2) << "on the right half of the A4 page";
  EXPECT_LT(signer.y2, 842.0 / 3) << "in the lower third";
  EXPECT_LT(seal.x1, signer.x1);
  EXPECT_GT(seal.x2, signer.x1);
  EXPECT_EQ(ValidInPdfsig(stored), 2);
}

TEST_P(ResultSigningTest, WithoutCertificatesTheResultIsStoredAsGiven) {
  // Not even a whole PDF (what some scanners send): with nothing to sign with, it is not read.
  const std::string result_pdf = "%PDF-1.4\n% phieu so 2\n";
  EXPECT_EQ(IssueResult(result_pdf), result_pdf);
  EXPECT_EQ(SignedBy(), "");
}

TINHSO_INSTANTIATE_BACKENDS(ResultSigningTest);

}  // namespace
}  // namespace tinhso::dossiers::test
