// PrepareSignature + EmbedSignature with CMS from the openssl CLI, checked by poppler's pdfsig
// and qpdf --check, on every kind of input file.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "pdf/pdf.hpp"
#include "pdf_test_util.hpp"

namespace tinhso::pdf {
namespace {

using test::CairoPdf;
using test::Qpdf;
using test::Signer;
using ::testing::HasSubstr;

constexpr std::int64_t kSigningTime = 1795397400;  // 2026-11-23 08:30:00 +07:00

const Signer& Ecdsa() {
  static const Signer signer(Signer::Key::kEcdsaP256);
  return signer;
}
const Signer& Rsa() {
  static const Signer signer(Signer::Key::kRsa3072);
  return signer;
}

SignatureRequest Invisible() {
  SignatureRequest request;
  request.signing_time = kSigningTime;
  request.name = "Nguyễn Văn A";
  request.reason = "Phê duyệt hồ sơ";
  request.location = "Thái Nguyên";
  return request;
}

struct Input {
  std::string name;
  std::string pdf;
  bool xref_stream;
};

std::vector<Input> Inputs() {
  const std::string cairo = CairoPdf(2);
  return {
      {"cairo", cairo, false},
      {"object streams", Qpdf(cairo, "--object-streams=generate"), true},
      {"linearized", Qpdf(cairo, "--linearize"), false},
      {"linearized object streams", Qpdf(cairo, "--linearize --object-streams=generate"), true},
      {"qdf", Qpdf(cairo, "--qdf --object-streams=disable"), false},
  };
}

TEST(PdfSign, InvisibleSignatureIsValidForPdfsigOnEveryKindOfFile) {
  for (const Input& input : Inputs()) {
    SCOPED_TRACE(input.name);
    auto prepared = PrepareSignature(input.pdf, Invisible());
    ASSERT_TRUE(prepared.ok()) << prepared.error().reason << " " << prepared.error().detail;
    // The original bytes are untouched: the update is appended.
    EXPECT_EQ(prepared->pdf.compare(0, input.pdf.size(), input.pdf), 0);
    EXPECT_EQ(prepared->field_name, "Signature1");
    EXPECT_EQ(prepared->byte_range[0], 0);
    EXPECT_EQ(prepared->byte_range[2] + prepared->byte_range[3],
              static_cast<std::int64_t>(prepared->pdf.size()));
    EXPECT_EQ(prepared->byte_range[2] - prepared->byte_range[1], 16384 * 2 + 2);
    const std::string signed_pdf =
        EmbedSignature(*prepared, Ecdsa().Sign(prepared->BytesToSign())).value();
    const std::string report = test::PdfSig(signed_pdf);
    EXPECT_EQ(test::ValidSignatureCount(report), 1) << report;
    EXPECT_THAT(report, HasSubstr("Total document signed")) << report;
    EXPECT_THAT(report, HasSubstr("ETSI.CAdES.detached")) << report;
    std::string check;
    EXPECT_TRUE(test::QpdfCheck(signed_pdf, &check)) << check;
    auto info = Inspect(signed_pdf);
    ASSERT_TRUE(info.ok()) << info.error().detail;
    EXPECT_EQ(info->xref_stream, input.xref_stream);
    EXPECT_EQ(info->revisions, 2);
    ASSERT_EQ(info->fields.size(), 1u);
    EXPECT_EQ(info->fields[0].name, "Signature1");
    EXPECT_EQ(info->fields[0].type, "Sig");
    EXPECT_EQ(info->fields[0].page_index, 0);
  }
}

// Files written by other producers (tests/pdf/data/README.md): MuPDF's `mutool clean` and Pillow
// number the head of the free list 65536, one past the largest generation; every reader
// accepts them, and so must we.
TEST(PdfSign, SignsFilesFromMutoolCleanAndPillow) {
  for (const std::string name : {"mutool-clean.pdf", "pillow.pdf"}) {
    SCOPED_TRACE(name);
    const std::string original = test::DataPdf(name);
    ASSERT_NE(original.find("0000000000 65536 f"), std::string::npos) << "the fixture's point";
    auto info = Inspect(original);
    ASSERT_TRUE(info.ok()) << info.error().reason << " " << info.error().detail;
    EXPECT_EQ(info->pages.size(), 1u);
    auto prepared = PrepareSignature(original, Invisible());
    ASSERT_TRUE(prepared.ok()) << prepared.error().reason << " " << prepared.error().detail;
    const std::string signed_pdf =
        EmbedSignature(*prepared, Ecdsa().Sign(prepared->BytesToSign())).value();
    const std::string report = test::PdfSig(signed_pdf);
    EXPECT_EQ(test::ValidSignatureCount(report), 1) << report;
    EXPECT_THAT(report, HasSubstr("Total document signed")) << report;
    auto signatures = ReadSignatures(signed_pdf);
    ASSERT_TRUE(signatures.ok()) << signatures.error().detail;
    ASSERT_EQ(signatures->size(), 1u);
    EXPECT_TRUE((*signatures)[0].covers_whole_file);
  }
}

// A certified document (ISO 32000-1 §12.8.2.2) is signed only where its certification permits:
// never with P=1; with P=2 only into the empty field already there, never with a new one; with a
// new field with P=3, which permits annotations.
TEST(PdfSign, RefusesToBreakACertification) {
  const auto sign = [](const std::string& bytes) { return Ecdsa().Sign(bytes); };
  struct Case {
    int permission;
    std::string reason;
  };
  for (const Case& c :
       {Case{1, "pdf.certified_no_changes"}, Case{2, "pdf.certified_no_new_fields"}}) {
    SCOPED_TRACE(c.reason);
    const std::string certified = tinhso::test::CertifiedPdf(c.permission, sign, true);
    EXPECT_EQ(test::ValidSignatureCount(test::PdfSig(certified)), 1) << "the fixture verifies";
    auto refused = PrepareSignature(certified, Invisible());
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().reason, c.reason);
    EXPECT_EQ(refused.error().code, ErrorCode::kFailedPrecondition);
    EXPECT_THAT(refused.error().message_vi, HasSubstr("chứng nhận"));
    EXPECT_THAT(refused.error().message_en, HasSubstr("certified"));
  }
  const std::string p2 = tinhso::test::CertifiedPdf(2, sign, true);
  SignatureRequest into_field = Invisible();
  into_field.field_name = "Approval";
  const std::string approved = test::SignPdf(p2, into_field, Rsa());
  EXPECT_EQ(test::ValidSignatureCount(test::PdfSig(approved)), 2);
  auto read = ReadSignatures(approved);
  ASSERT_TRUE(read.ok());
  ASSERT_EQ(read->size(), 2u);
  EXPECT_EQ((*read)[0].certification, 2);
  EXPECT_FALSE((*read)[0].modified_after_signing)
      << "signing the prepared field is what P=2 allows";

  const std::string annotations = tinhso::test::CertifiedPdf(3, sign);
  const std::string signed_pdf = test::SignPdf(annotations, Invisible(), Rsa());
  EXPECT_EQ(test::ValidSignatureCount(test::PdfSig(signed_pdf)), 2);
  auto signatures = ReadSignatures(signed_pdf);
  ASSERT_TRUE(signatures.ok());
  ASSERT_EQ(signatures->size(), 2u);
  EXPECT_EQ((*signatures)[0].certification, 3);
  EXPECT_FALSE((*signatures)[0].modified_after_signing);
}

TEST(PdfSign, RsaSignatureIsValid) {
  const std::string signed_pdf = test::SignPdf(CairoPdf(1), Invisible(), Rsa());
  const std::string report = test::PdfSig(signed_pdf);
  EXPECT_EQ(test::ValidSignatureCount(report), 1) << report;
}

TEST(PdfSign, SecondSignatureKeepsTheFirstValid) {
  for (const Input& input : Inputs()) {
    SCOPED_TRACE(input.name);
    const std::string once = test::SignPdf(input.pdf, Invisible(), Ecdsa());
    SignatureRequest second = Invisible();
    second.page_index = 1;
    second.name = "Trần Thị B";
    const std::string twice = test::SignPdf(once, second, Rsa());
    EXPECT_EQ(twice.compare(0, once.size(), once), 0);
    const std::string report = test::PdfSig(twice);
    EXPECT_EQ(test::ValidSignatureCount(report), 2) << report;
    EXPECT_THAT(report, HasSubstr("Signature2")) << report;
    std::string check;
    EXPECT_TRUE(test::QpdfCheck(twice, &check)) << check;
    auto info = Inspect(twice);
    ASSERT_TRUE(info.ok());
    EXPECT_EQ(info->revisions, 3);
    ASSERT_EQ(info->fields.size(), 2u);
    EXPECT_EQ(info->fields[1].name, "Signature2");
    EXPECT_EQ(info->fields[1].page_index, 1);
  }
}

TEST(PdfSign, KeepsExistingFormFields) {
  // qpdf's QDF mode keeps objects readable; add a text field to the first page by hand through
  // an incremental update made by our own writer: sign, then check both fields survive.
  const std::string first = test::SignPdf(CairoPdf(1), Invisible(), Ecdsa());
  SignatureRequest request = Invisible();
  request.field_name = "Lãnh đạo";
  const std::string second = test::SignPdf(first, request, Ecdsa());
  auto info = Inspect(second);
  ASSERT_TRUE(info.ok());
  ASSERT_EQ(info->fields.size(), 2u);
  EXPECT_EQ(info->fields[0].name, "Signature1");
  EXPECT_EQ(info->fields[1].name, "Lãnh đạo");
  request.field_name = "Signature1";
  auto taken = PrepareSignature(second, request);
  ASSERT_FALSE(taken.ok());
  EXPECT_EQ(taken.error().reason, "pdf.field_exists");
  EXPECT_EQ(taken.error().code, ErrorCode::kAlreadyExists);
}

TEST(PdfSign, SignsAFileWithAnEarlierIncrementalUpdate) {
  // An unsigned update (new document information) before signing, as editors write them.
  for (const std::string& args : {std::string(), std::string("--object-streams=generate")}) {
    SCOPED_TRACE(args);
    const std::string base = args.empty() ? CairoPdf(1) : Qpdf(CairoPdf(1), args);
    std::string updated = base;
    {
      // Written by hand: a new /Info object and a section of the file's own kind.
      auto info = Inspect(base);
      ASSERT_TRUE(info.ok());
      const std::size_t startxref = base.rfind("startxref");
      const std::string prev =
          base.substr(startxref + 10, base.find('\n', startxref + 10) - startxref - 10);
      ASSERT_EQ(args.empty(), !info->xref_stream);
      const std::size_t object = updated.size();
      updated += "100 0 obj\n<< /Title (Ban sao) >>\nendobj\n";
      const std::size_t xref = updated.size();
      const std::string root = base.substr(base.rfind("/Root"), 12);
      if (!info->xref_stream) {
        char entry[32];
        std::snprintf(entry, sizeof entry, "%010zu 00000 n\r\n", object);
        updated += "xref\n100 1\n" + std::string(entry) + "trailer\n<< /Size 101 " + root +
                   " /Info 100 0 R /Prev " + prev + " >>\n";
      } else {
        std::string rows;
        for (std::size_t offset : {object, xref}) {
          rows += '\x01';
          for (int shift = 24; shift >= 0; shift -= 8) {
            rows += static_cast<char>((offset >> shift) & 0xff);
          }
          rows += std::string("\x00\x00", 2);
        }
        updated += "101 0 obj\n<< /Type /XRef /Size 102 /W [1 4 2] /Index [100 2] " + root +
                   " /Info 100 0 R /Prev " + prev + " /Length " + std::to_string(rows.size()) +
                   " >>\nstream\n" + rows + "\nendstream\nendobj\n";
      }
      updated += "startxref\n" + std::to_string(xref) + "\n%%EOF\n";
    }
    std::string check;
    ASSERT_TRUE(test::QpdfCheck(updated, &check)) << check;
    auto before = Inspect(updated);
    ASSERT_TRUE(before.ok()) << before.error().detail;
    EXPECT_EQ(before->revisions, 2);
    const std::string signed_pdf = test::SignPdf(updated, Invisible(), Ecdsa());
    const std::string report = test::PdfSig(signed_pdf);
    EXPECT_EQ(test::ValidSignatureCount(report), 1) << report;
    EXPECT_THAT(report, HasSubstr("Total document signed"));
    EXPECT_TRUE(test::QpdfCheck(signed_pdf, &check)) << check;
    auto signatures = ReadSignatures(signed_pdf);
    ASSERT_TRUE(signatures.ok());
    EXPECT_EQ((*signatures)[0].revision, 3);
    EXPECT_EQ((*signatures)[0].revision_count, 3);
    EXPECT_TRUE((*signatures)[0].covers_whole_file);
    // The /Info of the earlier update is carried into the new trailer.
    EXPECT_NE(signed_pdf.find("/Info 100 0 R", updated.size()), std::string::npos);
  }
}

TEST(PdfSign, NewObjectsAvoidNumbersThatTheFileNamesButNeverDefines) {
  // A field group names object 6 as its kid, which no cross-reference section defines
  // (/Size 5): it reads as null. Numbering the new widget 6 would have put it in the group.
  // Found by the fuzzer.
  const std::string pdf = test::BuildPdf({
      "<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [4 0 R] >> >>",
      "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
      "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
      "<< /T (Nhom) /Kids [6 0 R] >>",
  });
  ASSERT_THAT(pdf, HasSubstr("/Size 5"));
  const std::string signed_pdf = test::SignPdf(pdf, Invisible(), Ecdsa());
  EXPECT_EQ(signed_pdf.find("\n6 0 obj"), std::string::npos) << "object 6 was given a meaning";
  auto signatures = ReadSignatures(signed_pdf);
  ASSERT_TRUE(signatures.ok()) << signatures.error().message_en;
  ASSERT_EQ(signatures->size(), 1u);
  EXPECT_TRUE(signatures->back().byte_range_ok);
  EXPECT_TRUE(signatures->back().covers_whole_file);
  EXPECT_EQ(test::ValidSignatureCount(test::PdfSig(signed_pdf)), 1);
  auto info = Inspect(signed_pdf);
  ASSERT_TRUE(info.ok());
  ASSERT_EQ(info->fields.size(), 2u);  // the group, whose only kid reads as null, and ours
  EXPECT_EQ(info->fields[0].name, "Nhom");
  EXPECT_EQ(info->fields[1].name, "Signature1");
}

TEST(PdfSign, EmbedRejectsTooLargeSignatures) {
  SignatureRequest request = Invisible();
  request.contents_capacity = 2048;
  auto prepared = PrepareSignature(CairoPdf(1), request);
  ASSERT_TRUE(prepared.ok());
  auto too_large = EmbedSignature(*prepared, std::string(2049, '\x30'));
  ASSERT_FALSE(too_large.ok());
  EXPECT_EQ(too_large.error().reason, "pdf.signature_too_large");
  EXPECT_TRUE(EmbedSignature(*prepared, std::string(2048, '\x30')).ok());
  EXPECT_FALSE(EmbedSignature(*prepared, "").ok());
}

TEST(PdfSign, RejectsBadRequests) {
  const std::string pdf = CairoPdf(1);
  SignatureRequest request = Invisible();
  request.page_index = 1;
  EXPECT_EQ(PrepareSignature(pdf, request).error().reason, "pdf.invalid_request");
  request = Invisible();
  request.reason = "\xC3\x28";
  EXPECT_EQ(PrepareSignature(pdf, request).error().reason, "pdf.invalid_request");
  request = Invisible();
  request.field_name = "a.b";
  EXPECT_EQ(PrepareSignature(pdf, request).error().reason, "pdf.invalid_request");
  request = Invisible();
  request.contents_capacity = 100;
  EXPECT_EQ(PrepareSignature(pdf, request).error().reason, "pdf.invalid_request");
  request = Invisible();
  request.appearance.kind = AppearanceKind::kSigner;
  request.appearance.rect = {100, 100, 200, 150};
  request.appearance.image_png = "not a png";
  EXPECT_EQ(PrepareSignature(pdf, request).error().reason, "pdf.invalid_request");
  request.appearance.rect = {100, 100, 100, 150};  // zero width
  request.appearance.image_png = test::SignaturePng(60, 20);
  EXPECT_EQ(PrepareSignature(pdf, request).error().reason, "pdf.invalid_request");
}

}  // namespace
}  // namespace tinhso::pdf
