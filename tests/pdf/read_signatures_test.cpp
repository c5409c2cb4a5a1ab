// ReadSignatures: byte ranges, contents, revisions, and what later incremental updates changed.
// Tampering updates are written with the module's own internal writer, as an attacker would
// with any PDF library.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "pdf/document.hpp"
#include "pdf/pdf.hpp"
#include "pdf/writer.hpp"
#include "pdf_test_util.hpp"
#include "support/temp_dir.hpp"

namespace tinhso::pdf {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

constexpr std::int64_t kSigningTime = 1795397400;  // 2026-11-23 08:30:00 +07:00

const test::Signer& Ecdsa() {
  static const test::Signer signer(test::Signer::Key::kEcdsaP256);
  return signer;
}

SignatureRequest Request() {
  SignatureRequest request;
  request.signing_time = kSigningTime;
  request.name = "Nguyễn Văn A";
  request.reason = "Phê duyệt hồ sơ";
  request.location = "Thái Nguyên";
  request.contact_info = "0208 3855 123";
  return request;
}

// True when `cms` verifies (integrity only) over `content` with the openssl CLI.
bool OpensslVerifies(const std::string& cms, const std::string& content) {
  const std::filesystem::path dir = tinhso::test::TempDir();
  test::WriteFile(dir / "cms.der", cms);
  test::WriteFile(dir / "content", content);
  const test::CommandResult result = test::Run(
      "openssl cms -verify -binary -inform DER -noverify -in '" + (dir / "cms.der").string() +
      "' -content '" + (dir / "content").string() + "' -out /dev/null");
  return result.status == 0;
}

std::string AnyDocument(const std::vector<std::string>& kinds, std::size_t i) {
  const std::string cairo = test::CairoPdf(2);
  return kinds[i] == "cairo" ? cairo : test::Qpdf(cairo, kinds[i]);
}

TEST(PdfReadSignatures, ReportsOneSignature) {
  const std::vector<std::string> kinds = {"cairo", "--object-streams=generate", "--linearize"};
  for (std::size_t k = 0; k < kinds.size(); ++k) {
    SCOPED_TRACE(kinds[k]);
    const std::string original = AnyDocument(kinds, k);
    auto prepared = PrepareSignature(original, Request());
    ASSERT_TRUE(prepared.ok());
    const std::string cms = Ecdsa().Sign(prepared->BytesToSign());
    const std::string pdf = EmbedSignature(*prepared, cms).value();
    auto signatures = ReadSignatures(pdf);
    ASSERT_TRUE(signatures.ok()) << signatures.error().detail;
    ASSERT_EQ(signatures->size(), 1u);
    const SignatureInfo& s = (*signatures)[0];
    EXPECT_EQ(s.field_name, "Signature1");
    EXPECT_EQ(s.filter, "Adobe.PPKLite");
    EXPECT_EQ(s.sub_filter, "ETSI.CAdES.detached");
    EXPECT_EQ(s.byte_range,
              std::vector<std::int64_t>(prepared->byte_range.begin(), prepared->byte_range.end()));
    EXPECT_TRUE(s.byte_range_ok) << s.byte_range_problem;
    EXPECT_EQ(s.contents, cms);  // the zero padding is gone, the DER is whole
    EXPECT_EQ(s.signing_time, "D:20261123083000+07'00'");
    EXPECT_EQ(s.signing_time_utc, kSigningTime);
    EXPECT_EQ(s.name, "Nguyễn Văn A");
    EXPECT_EQ(s.reason, "Phê duyệt hồ sơ");
    EXPECT_EQ(s.location, "Thái Nguyên");
    EXPECT_EQ(s.contact_info, "0208 3855 123");
    EXPECT_EQ(s.page_index, 0);
    EXPECT_EQ(s.revision, 2);
    EXPECT_EQ(s.revision_count, 2);
    EXPECT_EQ(s.revision_end, static_cast<std::int64_t>(pdf.size()));
    EXPECT_TRUE(s.covers_revision);
    EXPECT_TRUE(s.covers_whole_file);
    EXPECT_THAT(s.changes, IsEmpty());
    EXPECT_FALSE(s.modified_after_signing);
    auto bytes = SignedBytes(pdf, s);
    ASSERT_TRUE(bytes.ok());
    EXPECT_EQ(*bytes, prepared->BytesToSign());
    EXPECT_TRUE(OpensslVerifies(s.contents, *bytes));
  }
}

TEST(PdfReadSignatures, OneChangedByteChangesTheSignedBytes) {
  const std::string pdf = test::SignPdf(test::CairoPdf(1), Request(), Ecdsa());
  auto before = ReadSignatures(pdf);
  ASSERT_TRUE(before.ok());
  const std::string original_bytes = SignedBytes(pdf, (*before)[0]).value();
  // Change one byte inside the first signed range: Cairo's content stream is compressed, so a
  // byte of the /Producer string in the document information.
  std::string tampered = pdf;
  const std::size_t producer = tampered.find("cairo");
  ASSERT_NE(producer, std::string::npos);
  tampered[producer] = 'C';
  auto after = ReadSignatures(tampered);
  ASSERT_TRUE(after.ok());
  ASSERT_EQ(after->size(), 1u);
  const std::string tampered_bytes = SignedBytes(tampered, (*after)[0]).value();
  EXPECT_NE(tampered_bytes, original_bytes);
  EXPECT_TRUE(OpensslVerifies((*after)[0].contents, original_bytes));
  EXPECT_FALSE(OpensslVerifies((*after)[0].contents, tampered_bytes));
  EXPECT_NE(test::ValidSignatureCount(test::PdfSig(tampered)), 1);
}

TEST(PdfReadSignatures, SecondSignatureIsNotAModification) {
  const std::vector<std::string> kinds = {"cairo", "--object-streams=generate", "--linearize"};
  for (std::size_t k = 0; k < kinds.size(); ++k) {
    SCOPED_TRACE(kinds[k]);
    const std::string once = test::SignPdf(AnyDocument(kinds, k), Request(), Ecdsa());
    SignatureRequest second = Request();
    second.page_index = 1;
    second.appearance.kind = AppearanceKind::kSigner;
    second.appearance.rect = {300, 200, 450, 260};
    second.appearance.image_png = test::SignaturePng(90, 30);
    const std::string twice = test::SignPdf(once, second, Ecdsa());
    auto signatures = ReadSignatures(twice);
    ASSERT_TRUE(signatures.ok()) << signatures.error().detail;
    ASSERT_EQ(signatures->size(), 2u);
    const SignatureInfo& first = (*signatures)[0];
    EXPECT_EQ(first.revision, 2);
    EXPECT_EQ(first.revision_count, 3);
    EXPECT_EQ(first.revision_end, static_cast<std::int64_t>(once.size()));
    EXPECT_TRUE(first.byte_range_ok);
    EXPECT_TRUE(first.covers_revision);
    EXPECT_FALSE(first.covers_whole_file);
    EXPECT_FALSE(first.modified_after_signing);
    ASSERT_THAT(first.changes, Not(IsEmpty()));
    for (const ObjectChange& change : first.changes) {
      EXPECT_TRUE(change.kind == ObjectChange::Kind::kAdded ||
                  change.kind == ObjectChange::Kind::kAllowed)
          << change.object_number << " " << change.reason;
    }
    const SignatureInfo& last = (*signatures)[1];
    EXPECT_EQ(last.field_name, "Signature2");
    EXPECT_EQ(last.page_index, 1);
    EXPECT_DOUBLE_EQ(last.rect.x1, 300);
    EXPECT_EQ(last.revision, 3);
    EXPECT_TRUE(last.covers_whole_file);
    EXPECT_THAT(last.changes, IsEmpty());
  }
}

// An incremental update after the signature that gives page 1 new content: either a new content
// stream (the page object changes) or a rewritten content stream (same object number).
std::string ChangePageContent(const std::string& pdf, bool replace_stream_in_place) {
  auto document = internal::Document::Open(pdf).value();
  const auto pages = document->Pages().value();
  const internal::Dict& page = *pages[0].object->AsDict();
  internal::UpdateWriter writer(*document);
  const std::string content = "0 0 1 rg 0 0 595 842 re f";
  if (replace_stream_in_place) {
    const internal::Object* contents = internal::Find(page, "Contents");
    const internal::Ref ref = *contents->AsRef();
    writer.WriteStream(ref, "", content);
  } else {
    const internal::Ref stream = writer.Allocate();
    writer.WriteStream(stream, "", content);
    internal::Dict changed = page;
    internal::Set(changed, "Contents", internal::MakeRef(stream));
    EXPECT_TRUE(writer.WriteObject(pages[0].ref, internal::MakeDict(std::move(changed))).ok());
  }
  return writer.Finish().value();
}

TEST(PdfReadSignatures, ChangedPageContentIsAModification) {
  for (bool in_place : {false, true}) {
    SCOPED_TRACE(in_place ? "stream rewritten" : "page points to a new stream");
    const std::string signed_pdf = test::SignPdf(test::CairoPdf(1), Request(), Ecdsa());
    const std::string changed = ChangePageContent(signed_pdf, in_place);
    auto signatures = ReadSignatures(changed);
    ASSERT_TRUE(signatures.ok()) << signatures.error().detail;
    ASSERT_EQ(signatures->size(), 1u);
    const SignatureInfo& s = (*signatures)[0];
    EXPECT_TRUE(s.byte_range_ok);
    EXPECT_TRUE(s.covers_revision);  // the signature itself is intact…
    EXPECT_FALSE(s.covers_whole_file);
    EXPECT_EQ(s.revision_count, 3);
    EXPECT_TRUE(s.modified_after_signing);  // … but the document was changed after it
    bool reported = false;
    for (const ObjectChange& change : s.changes) {
      if (change.kind == ObjectChange::Kind::kModified) {
        reported = true;
        EXPECT_THAT(change.reason, in_place ? HasSubstr("stream changed")
                                            : HasSubstr("page 1: /Contents changed"));
      }
    }
    EXPECT_TRUE(reported);
    // pdfsig still finds the signature valid for the bytes it covers, and says it does not
    // cover the whole file.
    const std::string report = test::PdfSig(changed);
    EXPECT_EQ(test::ValidSignatureCount(report), 1) << report;
    EXPECT_THAT(report, Not(HasSubstr("Total document signed")));
  }
}

TEST(PdfReadSignatures, AddedNonSignatureAnnotationIsAModification) {
  const std::string signed_pdf = test::SignPdf(test::CairoPdf(1), Request(), Ecdsa());
  auto document = internal::Document::Open(signed_pdf).value();
  const auto pages = document->Pages().value();
  internal::UpdateWriter writer(*document);
  const internal::Ref note = writer.Allocate();
  writer.BeginObject(note);
  writer.out() += "<< /Type /Annot /Subtype /FreeText /Rect [100 100 300 150] /Contents (Sửa) >>";
  writer.EndObject();
  internal::Dict page = *pages[0].object->AsDict();
  internal::Array annots = *internal::Find(page, "Annots")->AsArray();
  annots.push_back(internal::MakeRef(note));
  internal::Set(page, "Annots", internal::MakeArray(std::move(annots)));
  ASSERT_TRUE(writer.WriteObject(pages[0].ref, internal::MakeDict(std::move(page))).ok());
  const std::string changed = writer.Finish().value();
  auto signatures = ReadSignatures(changed);
  ASSERT_TRUE(signatures.ok()) << signatures.error().detail;
  const SignatureInfo& s = (*signatures)[0];
  EXPECT_TRUE(s.modified_after_signing);
  bool reported = false;
  for (const ObjectChange& change : s.changes) {
    if (change.kind == ObjectChange::Kind::kModified) {
      reported = true;
      EXPECT_THAT(change.reason, HasSubstr("other than a signature widget"));
    }
  }
  EXPECT_TRUE(reported);
}

std::string Certified(int permission, bool empty_field = false) {
  return tinhso::test::CertifiedPdf(
      permission, [](const std::string& bytes) { return Ecdsa().Sign(bytes); }, empty_field);
}

// What tinhso wrote before it refused certified files (PrepareSignature refuses them now): a new
// signature field in an incremental update, properly signed.
std::string SignedAnyway(const std::string& certified) {
  auto prepared = PrepareSignature(tinhso::test::HideCertification(certified), Request());
  EXPECT_TRUE(prepared.ok()) << prepared.error().detail;
  prepared->pdf.replace(0, certified.size(), certified);
  return EmbedSignature(*prepared, Ecdsa().Sign(prepared->BytesToSign())).value();
}

// An update that signs the certified file's empty field "Approval" (object 7), as P=2 permits,
// with a signature (`type` "Sig") or a document time-stamp ("DocTimeStamp").
std::string SignTheEmptyField(const std::string& certified, const std::string& type = "Sig") {
  auto document = internal::Document::Open(certified).value();
  internal::UpdateWriter writer(*document);
  const internal::Ref signature = writer.Allocate();
  writer.BeginObject(signature);
  writer.out() += "<< /Type /" + type +
                  " /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached /ByteRange [0 1 2 3] "
                  "/Contents <00> >>";
  writer.EndObject();
  writer.BeginObject(internal::Ref{7, 0});
  writer.out() += "<< /Type /Annot /Subtype /Widget /FT /Sig /T (Approval) /V " +
                  std::to_string(signature.num) + " 0 R /P 3 0 R /F 4 /Rect [340 120 510 190] >>";
  writer.EndObject();
  return writer.Finish().value();
}

// The changes reported as modifications, by reason.
std::vector<std::string> Modifications(const SignatureInfo& s) {
  std::vector<std::string> reasons;
  for (const ObjectChange& change : s.changes) {
    if (change.kind == ObjectChange::Kind::kModified) reasons.push_back(change.reason);
  }
  return reasons;
}

// ISO 32000-1 §12.8.2.2: after a certification with P=1 nothing may change; with P=2 forms may
// be filled and the fields already there signed, but a new signature field is a new widget
// annotation, which only P=3 permits.
TEST(PdfReadSignatures, ChangesTheCertificationDoesNotPermitAreModifications) {
  for (int permission : {1, 2, 3}) {
    SCOPED_TRACE("P=" + std::to_string(permission));
    const std::string certified = Certified(permission);
    auto alone = ReadSignatures(certified);
    ASSERT_TRUE(alone.ok()) << alone.error().detail;
    ASSERT_EQ(alone->size(), 1u);
    EXPECT_EQ((*alone)[0].certification, permission);
    EXPECT_TRUE((*alone)[0].byte_range_ok) << (*alone)[0].byte_range_problem;
    EXPECT_TRUE((*alone)[0].covers_whole_file);
    EXPECT_TRUE(OpensslVerifies((*alone)[0].contents, SignedBytes(certified, (*alone)[0]).value()));

    const std::string anyway = SignedAnyway(certified);
    auto signatures = ReadSignatures(anyway);
    ASSERT_TRUE(signatures.ok()) << signatures.error().detail;
    ASSERT_EQ(signatures->size(), 2u);
    const SignatureInfo& certification = (*signatures)[0];
    EXPECT_EQ(certification.field_name, "Certification");
    EXPECT_EQ(certification.certification, permission);
    EXPECT_EQ(certification.modified_after_signing, permission != 3);
    if (permission != 3) {
      EXPECT_THAT(Modifications(certification),
                  Contains(HasSubstr("a new signature widget was added to /Annots, which the "
                                     "certification (DocMDP P=" +
                                     std::to_string(permission) + ") does not permit")));
    } else {
      EXPECT_THAT(Modifications(certification), IsEmpty());
    }
    EXPECT_EQ((*signatures)[1].certification, 0);
    EXPECT_FALSE((*signatures)[1].modified_after_signing);
    // pdfsig checks no DocMDP, but agrees on the facts: both signatures verify and the
    // certification no longer covers the whole file.
    const std::string report = test::PdfSig(anyway);
    EXPECT_EQ(test::ValidSignatureCount(report), 2) << report;
    EXPECT_THAT(report, HasSubstr("Not total document signed")) << report;
  }
}

TEST(PdfReadSignatures, SigningAnExistingFieldIsWhatP2Permits) {
  for (int permission : {1, 2}) {
    SCOPED_TRACE("P=" + std::to_string(permission));
    auto signatures = ReadSignatures(SignTheEmptyField(Certified(permission, true)));
    ASSERT_TRUE(signatures.ok()) << signatures.error().detail;
    ASSERT_EQ(signatures->size(), 2u);
    const SignatureInfo& certification = (*signatures)[0];
    EXPECT_EQ(certification.certification, permission);
    EXPECT_EQ(certification.modified_after_signing, permission == 1);
    if (permission == 1) {
      EXPECT_THAT(Modifications(certification),
                  Contains(HasSubstr("an empty signature field was signed, which the "
                                     "certification (DocMDP P=1) does not permit")));
    }
  }
  // A document time-stamp is outside DocMDP (ETSI EN 319 142-1 5.4.3), even after P=1.
  auto stamped = ReadSignatures(SignTheEmptyField(Certified(1, true), "DocTimeStamp"));
  ASSERT_TRUE(stamped.ok()) << stamped.error().detail;
  ASSERT_EQ(stamped->size(), 2u);
  EXPECT_FALSE((*stamped)[0].modified_after_signing);
}

TEST(PdfReadSignatures, StripsPaddingByTheDerLength) {
  // A DER value that itself ends in a zero byte must keep it.
  SignatureRequest request = Request();
  request.contents_capacity = 2048;
  auto prepared = PrepareSignature(test::CairoPdf(1), request);
  ASSERT_TRUE(prepared.ok());
  const std::string der("\x30\x03\x02\x01\x00", 5);
  const std::string pdf = EmbedSignature(*prepared, der).value();
  auto signatures = ReadSignatures(pdf);
  ASSERT_TRUE(signatures.ok());
  EXPECT_EQ((*signatures)[0].contents, der);
  // Long-form lengths too.
  std::string long_der("\x30\x82\x01\x00", 4);
  long_der += std::string(256, '\0');
  const std::string long_pdf = EmbedSignature(*prepared, long_der).value();
  EXPECT_EQ(ReadSignatures(long_pdf).value()[0].contents, long_der);
}

TEST(PdfReadSignatures, FileWithoutSignaturesHasNone) {
  auto signatures = ReadSignatures(test::CairoPdf(1));
  ASSERT_TRUE(signatures.ok());
  EXPECT_THAT(*signatures, IsEmpty());
  // A prepared but never signed file: the field has a /V with zero /Contents.
  auto prepared = PrepareSignature(test::CairoPdf(1), Request());
  auto unsigned_signatures = ReadSignatures(prepared->pdf);
  ASSERT_TRUE(unsigned_signatures.ok());
  ASSERT_EQ(unsigned_signatures->size(), 1u);
  EXPECT_THAT((*unsigned_signatures)[0].contents, IsEmpty());
}

}  // namespace
}  // namespace tinhso::pdf
