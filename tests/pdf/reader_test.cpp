// The reader on the kinds of files users bring: Cairo's classic tables, qpdf's object streams,
// linearized and QDF files, and files with incremental updates.
#include <gtest/gtest.h>

#include "pdf/pdf.hpp"
#include "pdf_test_util.hpp"

namespace tinhso::pdf {
namespace {

using test::BuildPdf;
using test::CairoPdf;
using test::Qpdf;

TEST(PdfReader, RejectsNonPdf) {
  auto info = Inspect("hello");
  ASSERT_FALSE(info.ok());
  EXPECT_EQ(info.error().reason, "pdf.not_pdf");
}

TEST(PdfReader, ReadsEveryKindOfCrossReference) {
  const std::string cairo = CairoPdf(3);
  struct Case {
    std::string name;
    std::string pdf;
    bool xref_stream;
    int revisions;
  };
  const Case cases[] = {
      {"cairo (classic table)", cairo, false, 1},
      {"qpdf object streams", Qpdf(cairo, "--object-streams=generate"), true, 1},
      {"qpdf linearized", Qpdf(cairo, "--linearize"), false, 1},
      {"qpdf linearized with object streams", Qpdf(cairo, "--linearize --object-streams=generate"),
       true, 1},
      {"qpdf qdf", Qpdf(cairo, "--qdf --object-streams=disable"), false, 1},
      {"qpdf rotated", Qpdf(cairo, "--rotate=+90:2"), false, 1},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    auto info = Inspect(c.pdf);
    ASSERT_TRUE(info.ok()) << info.error().reason << ": " << info.error().detail;
    EXPECT_EQ(info->xref_stream, c.xref_stream);
    EXPECT_EQ(info->revisions, c.revisions);
    ASSERT_EQ(info->pages.size(), 3u);
    EXPECT_DOUBLE_EQ(info->pages[0].media_box.x2, 595);
    EXPECT_DOUBLE_EQ(info->pages[0].media_box.y2, 842);
    EXPECT_TRUE(info->fields.empty());
  }
  auto rotated = Inspect(Qpdf(cairo, "--rotate=+90:2"));
  ASSERT_TRUE(rotated.ok());
  EXPECT_EQ(rotated->pages[0].rotate, 0);
  EXPECT_EQ(rotated->pages[1].rotate, 90);
}

TEST(PdfReader, InheritsPageAttributesFromThePageTree) {
  // A hand-written file: /MediaBox, /CropBox and /Rotate on the /Pages node only.
  const std::string pdf = BuildPdf({
      "<< /Type /Catalog /Pages 2 0 R >>",
      "<< /Type /Pages /Kids [3 0 R] /Count 1 /MediaBox [0 0 612 792] /CropBox [10 20 600 780] "
      "/Rotate -90 >>",
      "<< /Type /Page /Parent 2 0 R >>",
  });
  auto info = Inspect(pdf);
  ASSERT_TRUE(info.ok()) << info.error().detail;
  ASSERT_EQ(info->pages.size(), 1u);
  EXPECT_DOUBLE_EQ(info->pages[0].media_box.x2, 612);
  EXPECT_DOUBLE_EQ(info->pages[0].crop_box.x1, 10);
  EXPECT_DOUBLE_EQ(info->pages[0].crop_box.y2, 780);
  EXPECT_EQ(info->pages[0].rotate, 270);
}

// A hybrid-reference file (§7.5.8.4): the classic table lists the page as free; only the
// cross-reference stream named by /XRefStm says it lives in object stream 4.
std::string HybridPdf() {
  std::string pdf = "%PDF-1.5\n";
  std::vector<std::size_t> offsets(6, 0);
  auto add = [&pdf, &offsets](int num, const std::string& body) {
    offsets[static_cast<std::size_t>(num)] = pdf.size();
    pdf += std::to_string(num) + " 0 obj\n" + body + "\nendobj\n";
  };
  add(1, "<< /Type /Catalog /Pages 2 0 R >>");
  add(2, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>");
  const std::string header = "3 0 ";
  const std::string page = "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 420 595] >>";
  add(4, "<< /Type /ObjStm /N 1 /First " + std::to_string(header.size()) + " /Length " +
             std::to_string(header.size() + page.size()) + " >>\nstream\n" + header + page +
             "\nendstream");
  std::string rows = "\x02";
  rows += std::string("\x00\x00\x00\x04\x00\x00", 6);  // object 3: stream 4, index 0
  add(5, "<< /Type /XRef /Size 6 /W [1 4 2] /Index [3 1] /Length " + std::to_string(rows.size()) +
             " >>\nstream\n" + rows + "\nendstream");
  const std::size_t xref = pdf.size();
  pdf += "xref\n0 6\n0000000000 65535 f\r\n";
  for (int num = 1; num <= 5; ++num) {
    char line[32];
    if (num == 3) {
      std::snprintf(line, sizeof line, "0000000000 00000 f\r\n");
    } else {
      std::snprintf(line, sizeof line, "%010zu 00000 n\r\n",
                    offsets[static_cast<std::size_t>(num)]);
    }
    pdf += line;
  }
  pdf += "trailer\n<< /Size 6 /Root 1 0 R /XRefStm " + std::to_string(offsets[5]) +
         " >>\nstartxref\n" + std::to_string(xref) + "\n%%EOF\n";
  return pdf;
}

TEST(PdfReader, ReadsHybridFiles) {
  const std::string pdf = HybridPdf();
  std::string check;
  EXPECT_TRUE(test::QpdfCheck(pdf, &check)) << check;
  auto info = Inspect(pdf);
  ASSERT_TRUE(info.ok()) << info.error().reason << ": " << info.error().detail;
  EXPECT_FALSE(info->xref_stream);
  ASSERT_EQ(info->pages.size(), 1u);
  EXPECT_DOUBLE_EQ(info->pages[0].media_box.x2, 420);
  // Signing appends a classic table after the hybrid one.
  SignatureRequest request;
  request.signing_time = 1795397400;
  const test::Signer signer(test::Signer::Key::kEcdsaP256);
  const std::string signed_pdf = test::SignPdf(pdf, request, signer);
  EXPECT_EQ(test::ValidSignatureCount(test::PdfSig(signed_pdf)), 1);
  EXPECT_TRUE(test::QpdfCheck(signed_pdf, &check)) << check;
  auto signed_info = Inspect(signed_pdf);
  ASSERT_TRUE(signed_info.ok());
  EXPECT_FALSE(signed_info->xref_stream);
  EXPECT_EQ(signed_info->revisions, 2);
}

TEST(PdfReader, TopRightBoxFollowsRotationAndCropBox) {
  PageInfo page;
  page.media_box = {0, 0, 595, 842};
  page.crop_box = {0, 0, 595, 842};
  struct Case {
    int rotate;
    Rect expected;
  };
  // A 200 × 50 box, 20 points from the top right corner, in displayed coordinates: the page is
  // 842 wide and 595 tall when turned a quarter (PdfSign.BoxesAreReadOnThePageAsDisplayed checks
  // where such boxes land in user space).
  const Case cases[] = {
      {0, {375, 772, 575, 822}},
      {90, {622, 525, 822, 575}},
      {180, {375, 772, 575, 822}},
      {270, {622, 525, 822, 575}},
  };
  for (const Case& c : cases) {
    page.rotate = c.rotate;
    const Rect box = TopRightBox(page, 200, 50, 20);
    EXPECT_NEAR(box.x1, c.expected.x1, 1e-9) << c.rotate;
    EXPECT_NEAR(box.y1, c.expected.y1, 1e-9) << c.rotate;
    EXPECT_NEAR(box.x2, c.expected.x2, 1e-9) << c.rotate;
    EXPECT_NEAR(box.y2, c.expected.y2, 1e-9) << c.rotate;
  }
  page.rotate = 0;
  page.crop_box = {50, 60, 545, 800};
  const Rect cropped = TopRightBox(page, 100, 40, 10);
  EXPECT_DOUBLE_EQ(cropped.x2, 535);
  EXPECT_DOUBLE_EQ(cropped.y2, 790);
}

TEST(PdfReader, SealBoxCoversTheLeftThirdOfTheSignatureWithItsTextToTheLeft) {
  const Rect signer{300, 200, 450, 260};  // 150 wide: the seal ends 50 points in
  const Rect seal = SealBox(signer, 100, 120);
  EXPECT_DOUBLE_EQ(seal.x1, 130);  // the text's 120 points, then the seal's 100
  EXPECT_DOUBLE_EQ(seal.x2, 350);
  EXPECT_DOUBLE_EQ(seal.y1, 180);
  EXPECT_DOUBLE_EQ(seal.y2, 280);
  // A signature wider than three seals: the seal covers its left edge, the text stays off it.
  const Rect wide = SealBox(Rect{300, 200, 660, 260}, 100, 120);
  EXPECT_DOUBLE_EQ(wide.x2, 400);
  EXPECT_DOUBLE_EQ(wide.x1 + 120, 300);
}

TEST(PdfReader, DisplayedBoxIsTheCropBoxTurned) {
  PageInfo page{{0, 0, 595, 842}, {10, 20, 585, 822}, 90};
  const Rect shown = DisplayedBox(page);
  EXPECT_DOUBLE_EQ(shown.x1, 10);
  EXPECT_DOUBLE_EQ(shown.y1, 20);
  EXPECT_DOUBLE_EQ(shown.x2, 10 + 802);
  EXPECT_DOUBLE_EQ(shown.y2, 20 + 575);
  page.rotate = 180;
  EXPECT_DOUBLE_EQ(DisplayedBox(page).x2, 585);
  EXPECT_DOUBLE_EQ(DisplayedBox(page).y2, 822);
}

}  // namespace
}  // namespace tinhso::pdf
