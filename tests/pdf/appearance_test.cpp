// Visible signatures as NĐ 30/2020 Phụ lục I places them, checked on pages rendered by pdftoppm:
// blue ink in the signer's box, the red seal over its left third, the text stamp at the top right
// of the first page (upright on rotated pages too).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "pdf/pdf.hpp"
#include "pdf_test_util.hpp"

namespace tinhso::pdf {
namespace {

using test::CountPixels;

constexpr std::int64_t kSigningTime = 1795397400;  // 2026-11-23 08:30:00 +07:00
constexpr int kDpi = 72;                           // one pixel per point
constexpr double kPageHeight = 842;

const test::Signer& Ecdsa() {
  static const test::Signer signer(test::Signer::Key::kEcdsaP256);
  return signer;
}

bool Blue(int r, int g, int b) { return b > 120 && b - r > 60 && b - g > 40; }
bool Red(int r, int g, int b) { return r > 150 && r - g > 80 && r - b > 80; }
bool Dark(int r, int g, int b) { return r + g + b < 300; }

const Rect kSignerBox{330, 200, 480, 260};  // between the position line and the name line

SignatureRequest SignerRequest() {
  SignatureRequest request;
  request.signing_time = kSigningTime;
  request.name = "Nguyễn Văn A";
  request.appearance.kind = AppearanceKind::kSigner;
  request.appearance.rect = kSignerBox;
  request.appearance.image_png = test::SignaturePng(300, 100);
  return request;
}

TEST(PdfAppearance, SignerImageIsBlueInsideTheBox) {
  const std::string pdf = test::SignPdf(test::CairoPdf(1), SignerRequest(), Ecdsa());
  EXPECT_EQ(test::ValidSignatureCount(test::PdfSig(pdf)), 1);
  std::string check;
  EXPECT_TRUE(test::QpdfCheck(pdf, &check)) << check;
  const test::Raster page = test::Render(pdf, 1, kDpi);
  const int inside = CountPixels(page, kSignerBox, kPageHeight, kDpi, Blue);
  EXPECT_GT(inside, 500);
  // Nothing blue anywhere else on the page.
  const Rect whole{0, 0, 595, 842};
  EXPECT_EQ(CountPixels(page, whole, kPageHeight, kDpi, Blue), inside);
  // The page's own drawing (the black rectangle) is still there.
  EXPECT_GT(CountPixels(page, {72, 92, 172, 142}, kPageHeight, kDpi, Dark), 4000);
  auto info = Inspect(pdf);
  ASSERT_TRUE(info.ok());
  EXPECT_DOUBLE_EQ(info->fields[0].rect.x1, kSignerBox.x1);
  EXPECT_DOUBLE_EQ(info->fields[0].rect.y2, kSignerBox.y2);
}

SignatureRequest SealRequest() {
  SignatureRequest seal;
  seal.signing_time = kSigningTime + 60;
  seal.name = "UBND tỉnh Thái Nguyên";
  seal.appearance.kind = AppearanceKind::kOrganisationSeal;
  seal.appearance.rect = SealBox(kSignerBox, 80, 110);
  seal.appearance.image_png = test::SealPng(400);
  seal.appearance.organisation = "Ủy ban nhân dân tỉnh Thái Nguyên";
  return seal;
}

// Black print, told apart from the blue ink and the red seal (and their anti-aliased edges).
bool Black(int r, int g, int b) {
  return r < 110 && g < 110 && b < 110 && std::max({r, g, b}) - std::min({r, g, b}) < 40;
}

TEST(PdfAppearance, SealOverlapsTheLeftThirdOfTheSignature) {
  const std::string signed_once = test::SignPdf(test::CairoPdf(1), SignerRequest(), Ecdsa());
  const SignatureRequest seal = SealRequest();
  const std::string pdf = test::SignPdf(signed_once, seal, Ecdsa());
  EXPECT_EQ(test::ValidSignatureCount(test::PdfSig(pdf)), 2);
  const test::Raster page = test::Render(pdf, 1, kDpi);
  const double third = kSignerBox.x1 + kSignerBox.width() / 3;
  const Rect left_third{kSignerBox.x1, kSignerBox.y1, third, kSignerBox.y2};
  const Rect seal_outside{third - 80, seal.appearance.rect.y1, kSignerBox.x1,
                          seal.appearance.rect.y2};
  EXPECT_GT(CountPixels(page, left_third, kPageHeight, kDpi, Red), 200);
  EXPECT_GT(CountPixels(page, seal_outside, kPageHeight, kDpi, Red), 400);
  // The right two thirds keep the blue signature, and nothing red.
  const Rect rest{third + 1, kSignerBox.y1, kSignerBox.x2, kSignerBox.y2};
  EXPECT_GT(CountPixels(page, rest, kPageHeight, kDpi, Blue), 200);
  EXPECT_EQ(CountPixels(page, rest, kPageHeight, kDpi, Red), 0);
  // The organisation's name and the time are printed to the left of the seal.
  const Rect text{seal.appearance.rect.x1, seal.appearance.rect.y1, third - 80,
                  seal.appearance.rect.y2};
  EXPECT_GT(CountPixels(page, text, kPageHeight, kDpi, Black), 100);
}

// The seal's lines of text (the organisation, "Thời gian ký") were printed to the right of the
// seal, over the handwritten signature. No black print may fall on either image: not inside the
// signer's box, not inside the seal's square.
TEST(PdfAppearance, SealTextIsNeverPrintedOverTheSignatureOrTheSeal) {
  const std::string signed_once = test::SignPdf(test::CairoPdf(1), SignerRequest(), Ecdsa());
  for (double text_width : {110.0, 40.0}) {  // room for the text, and too little of it
    SCOPED_TRACE(text_width);
    SignatureRequest seal = SealRequest();
    seal.appearance.rect = SealBox(kSignerBox, 80, text_width);
    seal.appearance.organisation =
        "Ủy ban nhân dân tỉnh Thái Nguyên, Văn phòng Đoàn đại biểu Quốc hội và Hội đồng nhân dân";
    const std::string pdf = test::SignPdf(signed_once, seal, Ecdsa());
    const test::Raster page = test::Render(pdf, 1, kDpi);
    const Rect& box = seal.appearance.rect;
    const Rect seal_square{box.x2 - 80, box.y1, box.x2, box.y2};
    EXPECT_EQ(CountPixels(page, kSignerBox, kPageHeight, kDpi, Black), 0);
    EXPECT_EQ(CountPixels(page, seal_square, kPageHeight, kDpi, Black), 0);
    EXPECT_GT(CountPixels(page, box, kPageHeight, kDpi, Black), text_width > 100 ? 100 : 10);
  }
}

// The dark pixels of the page's displayed top-right corner, `width` × `height` points at
// `margin` points from the top and right edges.
std::vector<bool> TopRightInk(const test::Raster& page, int width, int height, int margin) {
  std::vector<bool> ink;
  for (int y = margin; y < margin + height; ++y) {
    for (int x = page.width - margin - width; x < page.width - margin; ++x) {
      const std::uint32_t p = page.At(x, y);
      ink.push_back(Dark(static_cast<int>((p >> 16) & 0xff), static_cast<int>((p >> 8) & 0xff),
                         static_cast<int>(p & 0xff)));
    }
  }
  return ink;
}

TEST(PdfAppearance, TextStampSitsUprightAtTheTopRightOnRotatedPages) {
  const std::string upright = test::CairoPdf(1);
  std::vector<bool> reference;
  for (int rotate : {0, 90, 180, 270}) {
    SCOPED_TRACE(rotate);
    const std::string pdf =
        rotate == 0 ? upright : test::Qpdf(upright, "--rotate=+" + std::to_string(rotate));
    auto info = Inspect(pdf);
    ASSERT_TRUE(info.ok());
    ASSERT_EQ(info->pages[0].rotate, rotate);
    SignatureRequest request;
    request.signing_time = kSigningTime;
    request.appearance.kind = AppearanceKind::kOrganisationText;
    request.appearance.rect = TopRightBox(info->pages[0], 200, 48, 20);
    request.appearance.organisation = "Sở Tư pháp tỉnh Thái Nguyên";
    request.appearance.document_number = "15/QĐ-STP";
    const std::string signed_pdf = test::SignPdf(pdf, request, Ecdsa());
    EXPECT_EQ(test::ValidSignatureCount(test::PdfSig(signed_pdf)), 1);
    const test::Raster page = test::Render(signed_pdf, 1, kDpi);
    const std::vector<bool> ink = TopRightInk(page, 200, 48, 20);
    const auto dark = std::count(ink.begin(), ink.end(), true);
    EXPECT_GT(dark, 300);
    if (rotate == 0) {
      reference = ink;
      continue;
    }
    // The same pixels as on the upright page: the stamp reads the same way up.
    EXPECT_GT(test::InkOverlap(ink, reference), 0.8);
  }
}

}  // namespace
}  // namespace tinhso::pdf
