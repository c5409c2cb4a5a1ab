// Signatures on files as other programs write them (tests/pdf/data), checked the way people see
// them: rendered by poppler's pdftoppm, as Evince and Okular show them, and verified by pdfsig.
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

// Pixels of `page` (rendered as displayed) inside `box`, in displayed coordinates of a page whose
// visible area is `visible` (DisplayedBox).
template <typename Predicate>
int CountShown(const test::Raster& page, const Rect& visible, const Rect& box,
               Predicate predicate) {
  const Rect relative{box.x1 - visible.x1, box.y1 - visible.y1, box.x2 - visible.x1,
                      box.y2 - visible.y1};
  return CountPixels(page, relative, visible.height(), kDpi, predicate);
}

SignatureRequest SignerRequest() {
  SignatureRequest request;
  request.signing_time = kSigningTime;
  request.name = "Nguyễn Văn A";
  request.appearance.kind = AppearanceKind::kSigner;
  request.appearance.image_png = test::SignaturePng(300, 100);
  return request;
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
    std::size_t both = 0;
    std::size_t either = 0;
    for (std::size_t i = 0; i < shown.size() && i < reference.size(); ++i) {
      both += shown[i] && reference[i];
      either += shown[i] || reference[i];
    }
    // The same strokes as on the upright page, in the same box: upright, at full size.
    EXPECT_GT(static_cast<double>(both) / static_cast<double>(either), 0.8);
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
