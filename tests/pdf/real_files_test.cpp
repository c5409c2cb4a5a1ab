// Signatures on files as other programs write them (tests/pdf/data, and a LibreOffice-style form
// built here), checked the way people see them: rendered by poppler's pdftoppm, as Evince and
// Okular show them, and verified by pdfsig.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "pdf/pdf.hpp"
#include "pdf_test_util.hpp"

namespace tinhso::pdf {
namespace {

using test::CountPixels;

constexpr std::int64_t kSigningTime = 1795397400;  // 2026-11-23 08:30:00 +07:00
constexpr int kDpi = 72;                           // one pixel per point

const test::Signer& Ecdsa() {
  static const test::Signer signer(test::Signer::Key::kEcdsaP256);
  return signer;
}

bool Blue(int r, int g, int b) { return b > 120 && b - r > 60 && b - g > 40; }
bool Dark(int r, int g, int b) { return r + g + b < 300; }

// Pixels of `page` (rendered as displayed) inside `box`, in displayed coordinates of a page whose
// visible area is `visible` (DisplayedBox).
template <typename Predicate>
int CountShown(const test::Raster& page, const Rect& visible, const Rect& box,
               Predicate predicate) {
  const Rect relative{box.x1 - visible.x1, box.y1 - visible.y1, box.x2 - visible.x1,
                      box.y2 - visible.y1};
  return CountPixels(page, relative, visible.height(), kDpi, predicate);
}

std::string Stream(const std::string& dict, const std::string& data) {
  return "<< " + dict + " /Length " + std::to_string(data.size()) + " >>\nstream\n" + data +
         "\nendstream";
}

// A form as LibreOffice 7 exports one (File › Export as PDF › Create PDF form): /NeedAppearances
// true, fields merged with their widgets, appearance streams for the fields it drew, /DA naming
// Helvetica through /DR. Object 6 is a text field with its appearance, object 7 a text field
// whose value (Vietnamese) has none, and objects 8… are `empty_signature_fields` prepared
// signature fields ("ChuKy1", "ChuKy2"…) with a "sign here" frame, the last one with
// `last_field_extra` in its dictionary.
const Rect kNameField{150, 700, 450, 720};
const Rect kAddressField{150, 660, 450, 680};
const Rect kPreparedField{330, 200, 480, 260};

std::string LibreOfficeStyleForm(int empty_signature_fields = 1,
                                 const std::string& last_field_extra = "") {
  const std::string page_text =
      "BT /F1 12 Tf 72 705 Td (Ho va ten:) Tj 0 -40 Td (Dia chi:) Tj ET "
      "BT /F1 12 Tf 330 270 Td (Nguoi ky) Tj ET";
  std::string annots = "6 0 R 7 0 R 8 0 R";
  std::vector<std::string> signature_objects;
  const int first = 12;  // object number of the first signature field
  for (int i = 0; i < empty_signature_fields; ++i) {
    const Rect r{kPreparedField.x1, kPreparedField.y1 - 100.0 * i, kPreparedField.x2,
                 kPreparedField.y2 - 100.0 * i};
    annots += " " + std::to_string(first + i) + " 0 R";
    signature_objects.push_back(
        "<< /Type /Annot /Subtype /Widget /FT /Sig /T (ChuKy" + std::to_string(i + 1) +
        ") /F 4 /P 3 0 R /Rect [" + std::to_string(r.x1) + " " + std::to_string(r.y1) + " " +
        std::to_string(r.x2) + " " + std::to_string(r.y2) + "] /AP << /N 11 0 R >>" +
        (i + 1 == empty_signature_fields ? last_field_extra : "") + " >>");
  }
  const std::string name_ap = "/Tx BMC q BT /Helv 12 Tf 0 g 2 5 Td (Nguyen Van A) Tj ET Q EMC";
  std::vector<std::string> objects = {
      "<< /Type /Catalog /Pages 2 0 R /AcroForm 5 0 R >>",
      "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
      "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
      "/Resources << /Font << /F1 9 0 R >> >> /Annots [" +
          annots + "] >>",
      Stream("", page_text),
      "<< /Fields [" + annots +
          "] /DR << /Font << /Helv 9 0 R >> >> /DA (/Helv 0 Tf 0 g) "
          "/NeedAppearances true >>",
      "<< /Type /Annot /Subtype /Widget /FT /Tx /T (HoTen) /V (Nguyen Van A) /F 4 /P 3 0 R "
      "/Rect [150 700 450 720] /DA (/Helv 12 Tf 0 g) /AP << /N 10 0 R >> >>",
      // "Tổ 5, phường Phan Đình Phùng" in UTF-16BE.
      "<< /Type /Annot /Subtype /Widget /FT /Tx /T (DiaChi) /F 4 /P 3 0 R "
      "/Rect [150 660 450 680] /DA (/Helv 12 Tf 0 g) /V <FEFF0054 1ED5 0020 0035 002C 0020 0070 "
      "0068 01B0 1EDD 006E 0067 0020 0050 0068 0061 006E 0020 0110 00EC 006E 0068 0020 0050 "
      "0068 00F9 006E 0067> >>",
      "<< /Type /Annot /Subtype /Widget /FT /Tx /T (Unused) /F 2 /P 3 0 R /Rect [0 0 0 0] >>",
      "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
      Stream("/Type /XObject /Subtype /Form /BBox [0 0 300 20] /Resources << /Font << /Helv 9 0 "
             "R >> >>",
             name_ap),
      Stream("/Type /XObject /Subtype /Form /BBox [0 0 150 60]",
             "0.6 g 0.5 w 0.25 0.25 149.5 59.5 re S"),
  };
  objects.insert(objects.end(), signature_objects.begin(), signature_objects.end());
  return tinhso::test::BuildPdf(objects, "/Info << /Producer (LibreOffice 7.4) >>");
}

SignatureRequest SignerRequest() {
  SignatureRequest request;
  request.signing_time = kSigningTime;
  request.name = "Nguyễn Văn A";
  request.appearance.kind = AppearanceKind::kSigner;
  request.appearance.image_png = test::SignaturePng(300, 100);
  return request;
}

// Defect: poppler redraws every widget of a form saying /NeedAppearances true, and draws
// signature widgets blank; the signature was valid but nobody saw it.
TEST(PdfRealFiles, SignatureOnALibreOfficeFormShowsInPoppler) {
  const std::string form = LibreOfficeStyleForm(0);
  SignatureRequest request = SignerRequest();
  request.appearance.rect = kPreparedField;
  const std::string pdf = test::SignPdf(form, request, Ecdsa());
  EXPECT_EQ(test::ValidSignatureCount(test::PdfSig(pdf)), 1);
  std::string check;
  EXPECT_TRUE(test::QpdfCheck(pdf, &check)) << check;
  const test::Raster page = test::Render(pdf, 1, kDpi);
  EXPECT_GT(CountPixels(page, kPreparedField, 842, kDpi, Blue), 500);
  // The form's values still show: the one LibreOffice drew, and the one viewers had to draw
  // (now drawn by the signing update, as /NeedAppearances is gone).
  EXPECT_GT(CountPixels(page, kNameField, 842, kDpi, Dark), 60);
  EXPECT_GT(CountPixels(page, kAddressField, 842, kDpi, Dark), 100);
  EXPECT_THAT(pdf.substr(form.size()), ::testing::Not(::testing::HasSubstr("NeedAppearances")));
}

// A form already signed keeps /NeedAppearances: dropping it would change the form after the
// earlier signature (whose verification would then report a modification).
TEST(PdfRealFiles, AFormSignedByAnotherProgramKeepsNeedAppearances) {
  // ChuKy2's value stands for another program's signature (only its presence matters here).
  const std::string form = LibreOfficeStyleForm(2, " /V 9 0 R");
  SignatureRequest request = SignerRequest();
  request.field_name = "ChuKy1";
  auto prepared = PrepareSignature(form, request);
  ASSERT_TRUE(prepared.ok()) << prepared.error().reason << " " << prepared.error().detail;
  EXPECT_THAT(prepared->pdf.substr(form.size()), ::testing::HasSubstr("/NeedAppearances true"));
}

TEST(PdfRealFiles, APreparedSignatureFieldIsSignedWhereItIs) {
  for (const bool named : {true, false}) {
    SCOPED_TRACE(named ? "named" : "the only empty field, no box");
    SignatureRequest request = SignerRequest();
    if (named) {
      request.field_name = "ChuKy1";
      request.page_index = 0;
      request.appearance.rect = {10, 10, 100, 60};  // ignored: the field has its place
    }
    const std::string pdf = test::SignPdf(LibreOfficeStyleForm(1), request, Ecdsa());
    EXPECT_EQ(test::ValidSignatureCount(test::PdfSig(pdf)), 1);
    std::string check;
    EXPECT_TRUE(test::QpdfCheck(pdf, &check)) << check;
    auto info = Inspect(pdf);
    ASSERT_TRUE(info.ok());
    ASSERT_EQ(info->fields.size(), 4u);  // no field added
    const FieldInfo& field = info->fields[3];
    EXPECT_EQ(field.name, "ChuKy1");
    EXPECT_TRUE(field.has_value);
    EXPECT_DOUBLE_EQ(field.rect.x1, kPreparedField.x1);
    EXPECT_DOUBLE_EQ(field.rect.y2, kPreparedField.y2);
    auto signatures = ReadSignatures(pdf);
    ASSERT_TRUE(signatures.ok());
    ASSERT_EQ(signatures->size(), 1u);
    EXPECT_EQ((*signatures)[0].field_name, "ChuKy1");
    const test::Raster page = test::Render(pdf, 1, kDpi);
    EXPECT_GT(CountPixels(page, kPreparedField, 842, kDpi, Blue), 500);
    EXPECT_EQ(CountPixels(page, {0, 0, 320, 190}, 842, kDpi, Blue), 0);
  }
}

TEST(PdfRealFiles, WithoutABoxThereMustBeExactlyOnePreparedField) {
  SignatureRequest request = SignerRequest();
  auto two = PrepareSignature(LibreOfficeStyleForm(2), request);
  ASSERT_FALSE(two.ok());
  EXPECT_EQ(two.error().reason, "pdf.box_required");
  auto none = PrepareSignature(LibreOfficeStyleForm(0), request);
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().reason, "pdf.box_required");
  // Naming one of two chooses it; the other stays empty for the next signer.
  request.field_name = "ChuKy2";
  const std::string pdf = test::SignPdf(LibreOfficeStyleForm(2), request, Ecdsa());
  auto info = Inspect(pdf);
  ASSERT_TRUE(info.ok());
  ASSERT_EQ(info->fields.size(), 5u);
  EXPECT_FALSE(info->fields[3].has_value);
  EXPECT_TRUE(info->fields[4].has_value);
  // The second signer fills the other field; the first signature stays unmodified.
  request.field_name = "ChuKy1";
  const std::string both = test::SignPdf(pdf, request, Ecdsa());
  EXPECT_EQ(test::ValidSignatureCount(test::PdfSig(both)), 2);
  auto signatures = ReadSignatures(both);
  ASSERT_TRUE(signatures.ok());
  ASSERT_EQ(signatures->size(), 2u);
  for (const SignatureInfo& signature : *signatures) {
    EXPECT_FALSE(signature.modified_after_signing) << signature.field_name;
  }
  // A signed field, or one that is not a signature field, is taken.
  request.field_name = "ChuKy1";
  EXPECT_EQ(PrepareSignature(both, request).error().reason, "pdf.field_exists");
  request.field_name = "HoTen";
  EXPECT_EQ(PrepareSignature(both, request).error().reason, "pdf.field_exists");
  // An invisible signature without a name is a new field: the prepared one waits for a visible
  // signature.
  SignatureRequest invisible;
  invisible.signing_time = kSigningTime;
  auto prepared = PrepareSignature(LibreOfficeStyleForm(1), invisible);
  ASSERT_TRUE(prepared.ok());
  EXPECT_EQ(prepared->field_name, "Signature1");
}

// The page as people see it: a box is given in displayed coordinates, and the signature shows
// upright in it, on pages turned by /Rotate as img2pdf and mutool write them.
TEST(PdfRealFiles, BoxesAreReadOnThePageAsDisplayedAndSignaturesShowUpright) {
  const Rect box_from_right_bottom{250, 100, 80, 170};  // right, bottom, width, height
  auto place = [&](const PageInfo& page) {
    const Rect visible = DisplayedBox(page);
    const double x = visible.x2 - box_from_right_bottom.x1;
    const double y = visible.y1 + box_from_right_bottom.y1;
    return Rect{x, y, x + 170, y + 70};
  };
  auto ink = [&](const std::string& pdf, const PageInfo& page, const Rect& box) {
    const test::Raster raster = test::Render(pdf, 1, kDpi);
    const Rect visible = DisplayedBox(page);
    std::vector<bool> mask;
    for (int y = static_cast<int>(visible.y2 - box.y2); y < static_cast<int>(visible.y2 - box.y1);
         ++y) {
      for (int x = static_cast<int>(box.x1 - visible.x1); x < static_cast<int>(box.x2 - visible.x1);
           ++x) {
        const std::uint32_t p = raster.At(x, y);
        mask.push_back(Blue(static_cast<int>((p >> 16) & 0xff), static_cast<int>((p >> 8) & 0xff),
                            static_cast<int>(p & 0xff)));
      }
    }
    return mask;
  };
  const std::string upright = test::CairoPdf(1);
  auto upright_info = Inspect(upright);
  ASSERT_TRUE(upright_info.ok());
  SignatureRequest request = SignerRequest();
  request.appearance.rect = place(upright_info->pages[0]);
  const std::vector<bool> reference = ink(test::SignPdf(upright, request, Ecdsa()),
                                          upright_info->pages[0], request.appearance.rect);
  ASSERT_GT(std::count(reference.begin(), reference.end(), true), 500);
  for (const auto& [file, rotate] :
       std::vector<std::pair<std::string, int>>{{"img2pdf-rotate90.pdf", 90},
                                                {"mutool-rotate180.pdf", 180},
                                                {"mutool-rotate270.pdf", 270}}) {
    SCOPED_TRACE(file);
    const std::string pdf = test::DataFile(file);
    auto info = Inspect(pdf);
    ASSERT_TRUE(info.ok());
    ASSERT_EQ(info->pages[0].rotate, rotate);
    request.appearance.rect = place(info->pages[0]);
    const std::string signed_pdf = test::SignPdf(pdf, request, Ecdsa());
    EXPECT_EQ(test::ValidSignatureCount(test::PdfSig(signed_pdf)), 1);
    const std::vector<bool> shown = ink(signed_pdf, info->pages[0], request.appearance.rect);
    // The same strokes as on the upright page, in the same box: upright, at full size.
    EXPECT_GT(test::InkOverlap(shown, reference), 0.8);
    // Nothing new outside the box (the files have blue drawings of their own).
    const test::Raster before = test::Render(pdf, 1, kDpi);
    const test::Raster after = test::Render(signed_pdf, 1, kDpi);
    const Rect visible = DisplayedBox(info->pages[0]);
    const Rect& box = request.appearance.rect;
    EXPECT_EQ(
        CountShown(after, visible, visible, Blue) - CountShown(before, visible, visible, Blue),
        CountShown(after, visible, box, Blue) - CountShown(before, visible, box, Blue));
  }
}

// A box off the page was accepted: signed, but never seen.
TEST(PdfRealFiles, BoxesOffTheVisiblePageAreRefused) {
  const std::string cropped = test::DataFile("gs-cropbox.pdf");  // CropBox 100 100 495 742
  SignatureRequest request = SignerRequest();
  auto refused = [&](const std::string& pdf, const Rect& box) {
    request.appearance.rect = box;
    auto prepared = PrepareSignature(pdf, request);
    return prepared.ok() ? std::string("accepted") : prepared.error().reason;
  };
  EXPECT_EQ(refused(cropped, {700, 900, 800, 950}), "pdf.rect_off_page");  // off the media box
  EXPECT_EQ(refused(cropped, {10, 10, 90, 60}), "pdf.rect_off_page");      // on the media, cropped
  EXPECT_EQ(refused(cropped, {450, 600, 550, 650}), "pdf.rect_off_page");  // over the edge
  EXPECT_EQ(refused(cropped, {300, 120, 470, 190}), "accepted");
  request.appearance.rect = {10, 10, 90, 60};
  auto error = PrepareSignature(cropped, request).error();
  EXPECT_EQ(error.code, ErrorCode::kInvalidArgument);
  EXPECT_THAT(error.message_vi, ::testing::HasSubstr("ngoài trang 1"));
  EXPECT_THAT(error.message_en, ::testing::HasSubstr("outside page 1"));
  // On a page turned a quarter, the displayed page is 842 wide and 595 tall.
  const std::string turned = test::DataFile("img2pdf-rotate90.pdf");
  EXPECT_EQ(refused(turned, {650, 100, 820, 170}), "accepted");
  EXPECT_EQ(refused(turned, {100, 650, 270, 720}), "pdf.rect_off_page");
  // A seal whose text would leave the page is refused too, not cut.
  request.appearance.kind = AppearanceKind::kOrganisationSeal;
  request.appearance.organisation = "UBND tỉnh Thái Nguyên";
  EXPECT_EQ(refused(test::CairoPdf(), SealBox({60, 100, 230, 170})), "pdf.rect_off_page");
}

}  // namespace
}  // namespace tinhso::pdf
