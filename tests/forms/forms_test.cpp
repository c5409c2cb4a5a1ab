// Renders each form and reads the PDF back with poppler-utils (pdftotext, pdfinfo, pdffonts,
// pdftoppm): the text a reader sees, the page size and count, the embedded fonts, and the QR
// code's modules as printed.
#include "forms/forms.hpp"

#include <cairo.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "support/temp_dir.hpp"

namespace tinhso::forms {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// Runs a shell command; its standard output. Fails the test on a non-zero exit.
std::string Run(const std::string& command) {
  std::string output;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) {
    ADD_FAILURE() << "cannot run " << command;
    return output;
  }
  char buffer[4096];
  std::size_t n = 0;
  while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) {
    output.append(buffer, n);
  }
  const int status = ::pclose(pipe);
  EXPECT_EQ(status, 0) << command;
  return output;
}

// A rendered PDF on disk, and what poppler says about it.
class Pdf {
 public:
  explicit Pdf(const std::string& bytes) : path_(test::TempDir() / "form.pdf") {
    std::ofstream(path_, std::ios::binary) << bytes;
  }
  const std::filesystem::path& path() const { return path_; }

  // The text as laid out on the page: what the reader sees line by line.
  std::string Text() const { return Run("pdftotext -layout '" + path_.string() + "' -"); }
  // The text in reading order with every run of white space (line breaks included) made one
  // space: for text that wraps, such as the agency name in its narrow column.
  std::string FlatText() const {
    const std::string raw = Run("pdftotext '" + path_.string() + "' -");
    std::string flat;
    for (char c : raw) {
      const bool space = c == ' ' || c == '\n' || c == '\f';
      if (!space) {
        flat += c;
      } else if (!flat.empty() && flat.back() != ' ') {
        flat += ' ';
      }
    }
    return flat;
  }
  std::string Info() const { return Run("pdfinfo '" + path_.string() + "'"); }
  std::string Fonts() const { return Run("pdffonts '" + path_.string() + "'"); }

  int Pages() const {
    std::smatch match;
    const std::string info = Info();
    if (!std::regex_search(info, match, std::regex(R"(Pages:\s+(\d+))"))) {
      ADD_FAILURE() << info;
      return 0;
    }
    return std::stoi(match[1]);
  }
  // Page size in points, from "Page size: 419.528 x 595.276 pts (A5)".
  std::pair<double, double> PageSize() const {
    std::smatch match;
    const std::string info = Info();
    if (!std::regex_search(info, match, std::regex(R"(Page size:\s+([\d.]+) x ([\d.]+) pts)"))) {
      ADD_FAILURE() << info;
      return {0, 0};
    }
    return {std::stod(match[1]), std::stod(match[2])};
  }

 private:
  std::filesystem::path path_;
};

int CountOf(const std::string& haystack, const std::string& needle) {
  int count = 0;
  for (std::size_t at = haystack.find(needle); at != std::string::npos;
       at = haystack.find(needle, at + needle.size())) {
    ++count;
  }
  return count;
}

void ExpectPdf(const Result<std::string>& pdf) {
  ASSERT_TRUE(pdf.ok()) << pdf.error().reason << ": " << pdf.error().detail;
  ASSERT_GT(pdf->size(), 5u);
  EXPECT_EQ(pdf->substr(0, 5), "%PDF-");
}

void ExpectA5Portrait(const Pdf& pdf) {
  const auto [width, height] = pdf.PageSize();
  EXPECT_NEAR(width, 419.53, 0.01);   // 148 mm
  EXPECT_NEAR(height, 595.28, 0.01);  // 210 mm
}

// Every font is embedded (a subset of it): Liberation Serif (Times New Roman's metrics, as
// NĐ 30/2020 prescribes) for the text, DejaVu Sans at most for the lookup address.
void ExpectFontsEmbedded(const Pdf& pdf) {
  const std::string fonts = pdf.Fonts();
  std::istringstream lines(fonts);
  std::string line;
  int font_lines = 0;
  int serif_lines = 0;
  int line_number = 0;
  while (std::getline(lines, line)) {
    if (++line_number <= 2) {
      continue;  // the column titles and the dashes under them
    }
    ++font_lines;
    // Columns: name type encoding emb sub uni object-id.
    EXPECT_TRUE(std::regex_search(line, std::regex(R"(\s(yes)\s+yes\s+yes\s+\d+\s+\d+\s*$)")))
        << "not embedded as a subset with a Unicode map: " << line;
    const bool serif = line.find("LiberationSerif") != std::string::npos;
    serif_lines += serif ? 1 : 0;
    EXPECT_TRUE(serif || line.find("DejaVuSans") != std::string::npos) << line;
  }
  EXPECT_GT(font_lines, 0) << fonts;
  EXPECT_GT(serif_lines, 0) << fonts;
}

Letterhead ThaiNguyenCentre() {
  return {.parent_agency = "UBND tỉnh Thái Nguyên",
          .agency = "Trung tâm Phục vụ hành chính công",
          .place = "Thái Nguyên"};
}

Applicant Nhung() {
  return {.name = "Nguyễn Thị Hồng Nhung",
          .address = "Tổ 5, phường Phan Đình Phùng, tỉnh Thái Nguyên",
          .phone = "0912 345 678",
          .email = "nhung.nguyen@example.vn",
          .id_number = "019186000123"};
}

constexpr const char* kLookupUrl =
    "https://dichvucong.thainguyen.gov.vn/tra-cuu?ma=H55.19-261123-0001&k=7GQ2KX";

Receipt SampleReceipt() {
  return {.letterhead = ThaiNguyenCentre(),
          .dossier_code = "H55.19-261123-0001",
          .issued_on = {2026, 11, 23},
          .applicant = Nhung(),
          .channel_text = "Trực tiếp tại Bộ phận Một cửa",
          .procedure_name = "Đăng ký khai sinh",
          .components = {{"Tờ khai đăng ký khai sinh", 1, 0, 0},
                         {"Giấy chứng sinh", 1, 0, 0},
                         {"Căn cước của người đi đăng ký", 0, 1, 1},
                         {"Giấy chứng nhận kết hôn của cha, mẹ", 0, 1, 0}},
          .sets = 1,
          .statutory_time_text = "01 ngày làm việc",
          .received_at = "08 giờ 30 phút, ngày 23 tháng 11 năm 2026",
          .appointment_at = "16 giờ 00 phút, ngày 24 tháng 11 năm 2026",
          .return_place = "Trung tâm Phục vụ hành chính công tỉnh",
          .lookup_url = kLookupUrl,
          .lookup_secret = "7GQ2KX",
          .officer_name = "Hoàng Văn Đức"};
}

TEST(RenderReceipt, PrintsTheTemplateFieldsWithDiacritics) {
  const auto bytes = RenderReceipt(SampleReceipt());
  ExpectPdf(bytes);
  const Pdf pdf(*bytes);
  const std::string text = pdf.Text();
  for (const char* expected : {
           "UBND TỈNH THÁI NGUYÊN",
           "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
           "Độc lập - Tự do - Hạnh phúc",
           "Mã hồ sơ: H55.19-261123-0001",
           "Thái Nguyên, ngày 23 tháng 11 năm 2026",
           "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
           "Tiếp nhận hồ sơ của ông (bà): Nguyễn Thị Hồng Nhung",
           "Tổ 5, phường Phan Đình Phùng, tỉnh Thái Nguyên",
           "0912 345 678",
           "nhung.nguyen@example.vn",
           "019186000123",
           "Trực tiếp tại Bộ phận Một cửa",
           "Nội dung yêu cầu giải quyết: Đăng ký khai sinh",
           "Tên giấy tờ",
           "Bản chính",
           "Bản sao",
           "Bản chụp",
           "Tờ khai đăng ký khai sinh",
           "Giấy chứng sinh",
           "Căn cước của người đi đăng ký",
           "Giấy chứng nhận kết hôn của cha, mẹ",
           "2. Số lượng hồ sơ: 01 (bộ)",
           "3. Thời gian giải quyết hồ sơ theo quy định: 01 ngày làm việc",
           "4. Thời gian nhận hồ sơ: 08 giờ 30 phút, ngày 23 tháng 11 năm 2026",
           "Mã tra cứu: 7GQ2KX",
           kLookupUrl,
           "NGƯỜI NỘP HỒ SƠ",
           "NGƯỜI TIẾP NHẬN HỒ SƠ",
           "Hoàng Văn Đức",
       }) {
    EXPECT_THAT(text, HasSubstr(expected));
  }
  // These wrap within their column.
  const std::string flat = pdf.FlatText();
  for (const char* expected : {
           "UBND TỈNH THÁI NGUYÊN TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG",
           "5. Thời gian trả kết quả giải quyết hồ sơ: 16 giờ 00 phút, ngày 24 tháng 11 năm 2026",
           "6. Đăng ký nhận kết quả tại: Trung tâm Phục vụ hành chính công tỉnh",
       }) {
    EXPECT_THAT(flat, HasSubstr(expected));
  }
  // TT 01/2018's "bản photo" is said "bản chụp" now (a scan is a copy too).
  EXPECT_THAT(text, Not(HasSubstr("photo")));
  // A one-page form has no page numbers.
  EXPECT_THAT(text, Not(HasSubstr("Trang 1/")));
  EXPECT_EQ(pdf.Pages(), 1);
  ExpectA5Portrait(pdf);
  ExpectFontsEmbedded(pdf);
}

TEST(RenderReceipt, LinksTheLookupUrl) {
  const auto bytes = RenderReceipt(SampleReceipt());
  ExpectPdf(bytes);
  // Cairo writes the link annotation's URI as a literal PDF string.
  EXPECT_THAT(*bytes, HasSubstr("/URI (" + std::string(kLookupUrl) + ")"));
}

TEST(RenderReceipt, LongComponentListsFlowOntoNumberedPagesWithTheHeaderRepeated) {
  Receipt receipt = SampleReceipt();
  receipt.components.clear();
  for (int i = 1; i <= 40; ++i) {
    receipt.components.push_back({"Giấy tờ kèm theo số " + std::to_string(i), 1, 0, 0});
  }
  const auto bytes = RenderReceipt(receipt);
  ExpectPdf(bytes);
  const Pdf pdf(*bytes);
  const int pages = pdf.Pages();
  ASSERT_GE(pages, 2);
  const std::string text = pdf.Text();
  EXPECT_THAT(text, HasSubstr("Giấy tờ kèm theo số 1 "));
  EXPECT_THAT(text, HasSubstr("Giấy tờ kèm theo số 40"));
  EXPECT_THAT(text, HasSubstr("Trang 1/" + std::to_string(pages)));
  EXPECT_THAT(text, HasSubstr("Trang " + std::to_string(pages) + "/" + std::to_string(pages)));
  // The table's header row starts each page the table runs over (at least the first two).
  EXPECT_GE(CountOf(text, "Bản chụp"), 2);
}

TEST(RenderReceipt, WithoutLookupUrlHasNoQrButKeepsTheSecret) {
  Receipt receipt = SampleReceipt();
  receipt.lookup_url.clear();
  const auto bytes = RenderReceipt(receipt);
  ExpectPdf(bytes);
  const std::string text = Pdf(*bytes).Text();
  EXPECT_THAT(text, HasSubstr("Mã tra cứu: 7GQ2KX"));
  EXPECT_THAT(text, Not(HasSubstr("https://")));
  EXPECT_THAT(text, Not(HasSubstr("quét mã QR")));
}

TEST(RenderCompletionRequest, ListsWhatToSupply) {
  const CompletionRequest request{.letterhead = ThaiNguyenCentre(),
                                  .dossier_code = "H55.19-261123-0002",
                                  .issued_on = {2026, 1, 5},
                                  .applicant = Nhung(),
                                  .procedure_name = "Cấp giấy phép xây dựng nhà ở riêng lẻ",
                                  .received_at = "09 giờ 15 phút, ngày 05 tháng 01 năm 2026",
                                  .items = {"Bản vẽ mặt bằng công trình trên lô đất tỷ lệ 1/100",
                                            "Bản sao giấy chứng nhận quyền sử dụng đất"},
                                  .guidance = "Bản vẽ phải có chữ ký của người thiết kế.",
                                  .contact_text = "Bộ phận Một cửa, điện thoại 0208 3855 123",
                                  .officer_name = "Lê Thu Hà"};
  const auto bytes = RenderCompletionRequest(request);
  ExpectPdf(bytes);
  const Pdf pdf(*bytes);
  const std::string text = pdf.Text();
  for (const char* expected : {
           "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ",
           "Mã hồ sơ: H55.19-261123-0002",
           "Thái Nguyên, ngày 05 tháng 01 năm 2026",
           "Hồ sơ của ông (bà): Nguyễn Thị Hồng Nhung",
           "Cấp giấy phép xây dựng nhà ở riêng lẻ",
           "1. Bản vẽ mặt bằng công trình trên lô đất tỷ lệ 1/100",
           "2. Bản sao giấy chứng nhận quyền sử dụng đất",
           "Bản vẽ phải có chữ ký của người thiết kế.",
           "0208 3855 123",
           "NGƯỜI HƯỚNG DẪN",
           "Lê Thu Hà",
       }) {
    EXPECT_THAT(text, HasSubstr(expected));
  }
  EXPECT_EQ(pdf.Pages(), 1);
  ExpectA5Portrait(pdf);
  ExpectFontsEmbedded(pdf);
}

TEST(RenderRejection, GivesEveryReason) {
  const Rejection rejection{.letterhead = ThaiNguyenCentre(),
                            .dossier_code = "H55.19-261123-0003",
                            .issued_on = {2026, 11, 23},
                            .applicant = Nhung(),
                            .procedure_name = "Đăng ký kết hôn",
                            .received_at = "10 giờ 00 phút, ngày 23 tháng 11 năm 2026",
                            .reasons = {"Thủ tục không thuộc thẩm quyền giải quyết của cơ quan",
                                        "Người yêu cầu chưa đủ tuổi kết hôn theo quy định"},
                            .officer_name = "Hoàng Văn Đức"};
  const auto bytes = RenderRejection(rejection);
  ExpectPdf(bytes);
  const Pdf pdf(*bytes);
  const std::string text = pdf.Text();
  for (const char* expected : {
           "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ",
           "Mã hồ sơ: H55.19-261123-0003",
           "Nguyễn Thị Hồng Nhung",
           "Đăng ký kết hôn",
           "- Thủ tục không thuộc thẩm quyền giải quyết của cơ quan",
           "- Người yêu cầu chưa đủ tuổi kết hôn theo quy định",
           "NGƯỜI TIẾP NHẬN HỒ SƠ",
       }) {
    EXPECT_THAT(text, HasSubstr(expected));
  }
  EXPECT_EQ(pdf.Pages(), 1);
  ExpectA5Portrait(pdf);
  ExpectFontsEmbedded(pdf);
}

TEST(RenderApology, GivesBothDatesAndTheReason) {
  const Apology apology{.letterhead = ThaiNguyenCentre(),
                        .dossier_code = "H55.19-261101-0007",
                        .issued_on = {2026, 11, 20},
                        .applicant = Nhung(),
                        .procedure_name = "Cấp đổi giấy chứng nhận quyền sử dụng đất",
                        .received_at = "14 giờ 00 phút, ngày 01 tháng 11 năm 2026",
                        .original_appointment_at = "ngày 21 tháng 11 năm 2026",
                        .new_appointment_at = "ngày 28 tháng 11 năm 2026",
                        .reason = "Cần xác minh thêm nguồn gốc thửa đất.",
                        .signer_title = "Giám đốc",
                        .signer_name = "Trần Quốc Việt"};
  const auto bytes = RenderApology(apology);
  ExpectPdf(bytes);
  const Pdf pdf(*bytes);
  const std::string text = pdf.Text();
  for (const char* expected : {
           "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ",
           "Mã hồ sơ: H55.19-261101-0007",
           "Thái Nguyên, ngày 20 tháng 11 năm 2026",
           "Kính gửi: ông (bà) Nguyễn Thị Hồng Nhung",
           "Thời gian hẹn trả kết quả giải quyết hồ sơ: ngày 21 tháng 11 năm 2026.",
           "Lý do: Cần xác minh thêm nguồn gốc thửa đất.",
           "GIÁM ĐỐC",
           "Trần Quốc Việt",
       }) {
    EXPECT_THAT(text, HasSubstr(expected));
  }
  // The promise wraps inside its paragraph.
  EXPECT_THAT(pdf.FlatText(),
              HasSubstr("sẽ trả kết quả giải quyết hồ sơ vào ngày 28 tháng 11 năm 2026."));
  EXPECT_EQ(pdf.Pages(), 1);
  ExpectA5Portrait(pdf);
}

TEST(RenderControlSheet, TabulatesEachHandOver) {
  const ControlSheet sheet{.letterhead = ThaiNguyenCentre(),
                           .dossier_code = "H55.19-261123-0001",
                           .issued_on = {2026, 11, 23},
                           .applicant_name = "Nguyễn Thị Hồng Nhung",
                           .procedure_name = "Đăng ký khai sinh",
                           .received_at = "08:30 23/11/2026",
                           .appointment_at = "16:00 24/11/2026",
                           .steps = {{.step = "Bộ phận Một cửa",
                                      .from_person = "Hoàng Văn Đức",
                                      .to_person = "Phạm Thị Lan",
                                      .handed_at = "08:45 23/11/2026",
                                      .due_at = "11:00 23/11/2026",
                                      .finished_at = "10:20 23/11/2026",
                                      .outcome = "Trước hạn"},
                                     {.step = "Phòng Tư pháp",
                                      .from_person = "Phạm Thị Lan",
                                      .to_person = "Đỗ Minh Quân",
                                      .handed_at = "10:20 23/11/2026",
                                      .due_at = "16:00 24/11/2026",
                                      .outcome = "",
                                      .note = "Đang xử lý"}}};
  const auto bytes = RenderControlSheet(sheet);
  ExpectPdf(bytes);
  const Pdf pdf(*bytes);
  const std::string text = pdf.Text();
  for (const char* expected : {
           "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ",
           "Mã hồ sơ: H55.19-261123-0001",
           "Kèm theo hồ sơ của: Nguyễn Thị Hồng Nhung",
           "Giao: Hoàng Văn Đức",
           "Nhận: Phạm Thị Lan",
           "Nhận: Đỗ Minh Quân",
           "Trước hạn",
           "Đang xử lý",
           "Phòng Tư pháp",
           "Hạn xử lý",
           "Hoàn thành",
       }) {
    EXPECT_THAT(text, HasSubstr(expected));
  }
  EXPECT_EQ(pdf.Pages(), 1);
  ExpectA5Portrait(pdf);
  ExpectFontsEmbedded(pdf);
}

TrackingBook BookOf(int rows) {
  TrackingBook book{.letterhead = ThaiNguyenCentre(),
                    .period_text = "Từ ngày 01/11/2026 đến ngày 30/11/2026"};
  for (int i = 1; i <= rows; ++i) {
    char code[32];
    std::snprintf(code, sizeof code, "H55.19-261123-%04d", i);
    book.rows.push_back({.dossier_code = code,
                         .procedure_name = "Đăng ký khai sinh",
                         .applicant_name = "Nguyễn Thị Hồng Nhung",
                         .applicant_contact = "0912 345 678",
                         .received_at = "23/11/2026",
                         .appointment_at = "24/11/2026",
                         .returned_at = i % 3 == 0 ? "" : "24/11/2026",
                         .note = i % 10 == 0 ? "Trả qua bưu chính" : ""});
  }
  return book;
}

TEST(RenderTrackingBook, RunsOverPagesRepeatingTheHeaderRow) {
  const auto bytes = RenderTrackingBook(BookOf(120));
  ExpectPdf(bytes);
  const Pdf pdf(*bytes);
  const auto [width, height] = pdf.PageSize();
  EXPECT_NEAR(width, 841.89, 0.01);  // A4 landscape: 297 mm wide
  EXPECT_NEAR(height, 595.28, 0.01);
  const int pages = pdf.Pages();
  EXPECT_GT(pages, 1);
  const std::string text = pdf.Text();
  for (const char* expected :
       {"SỔ THEO DÕI HỒ SƠ", "Từ ngày 01/11/2026 đến ngày 30/11/2026", "TT", "Mã hồ sơ", "Tên TTHC",
        "Người nộp", "Ngày nhận", "Ngày trả", "Ghi chú", "H55.19-261123-0001", "H55.19-261123-0120",
        "Trả qua bưu chính"}) {
    EXPECT_THAT(text, HasSubstr(expected));
  }
  // Every page opens the table with its header row, and is numbered.
  EXPECT_EQ(CountOf(text, "Ngày hẹn trả"), pages);
  EXPECT_THAT(text, HasSubstr("Trang " + std::to_string(pages) + "/" + std::to_string(pages)));
  // Every dossier is listed exactly once.
  EXPECT_EQ(CountOf(text, "H55.19-261123-"), 120);
  ExpectFontsEmbedded(pdf);
}

TEST(RenderTrackingBook, EmptyBookIsOnePage) {
  const auto bytes = RenderTrackingBook(BookOf(0));
  ExpectPdf(bytes);
  EXPECT_EQ(Pdf(*bytes).Pages(), 1);
}

TEST(Render, RefusesBadInput) {
  struct Case {
    Receipt receipt;
    ErrorCode code;
    const char* why;
  };
  std::vector<Case> cases;
  Receipt bad_utf8 = SampleReceipt();
  bad_utf8.applicant.name = "Nguy\xE1\xBB";  // "Nguyễ" cut in the middle of a character
  cases.push_back({bad_utf8, ErrorCode::kInvalidArgument, "truncated UTF-8"});
  Receipt bad_date = SampleReceipt();
  bad_date.issued_on = {2026, 2, 29};
  cases.push_back({bad_date, ErrorCode::kInvalidArgument, "29 February 2026"});
  Receipt no_code = SampleReceipt();
  no_code.dossier_code.clear();
  cases.push_back({no_code, ErrorCode::kInvalidArgument, "no dossier code"});
  Receipt long_url = SampleReceipt();
  long_url.lookup_url = "https://dichvucong.thainguyen.gov.vn/?" + std::string(3000, 'x');
  cases.push_back({long_url, ErrorCode::kInvalidArgument, "URL too long for a QR code"});
  for (const Case& c : cases) {
    const auto pdf = RenderReceipt(c.receipt);
    ASSERT_FALSE(pdf.ok()) << c.why;
    EXPECT_EQ(pdf.error().code, c.code) << c.why;
    EXPECT_EQ(pdf.error().reason, "forms.invalid_input") << c.why;
  }
}

TEST(Render, MarkupInTheInputIsPrintedAsText) {
  Receipt receipt = SampleReceipt();
  receipt.applicant.name = "Công ty <b>A & B</b>";
  const auto bytes = RenderReceipt(receipt);
  ExpectPdf(bytes);
  EXPECT_THAT(Pdf(*bytes).Text(), HasSubstr("Công ty <b>A & B</b>"));
}

// The PDF depends on the input only (no clock: the creation date is the issue date), so a
// rendered form can be cached, hashed or signed, and concurrent renders can be compared byte
// for byte.
TEST(Render, ThreadsRenderAtOnceWithTheSameBytes) {
  const Receipt receipt = SampleReceipt();
  const TrackingBook book = BookOf(30);
  const auto receipt_alone = RenderReceipt(receipt);
  const auto book_alone = RenderTrackingBook(book);
  ExpectPdf(receipt_alone);
  ExpectPdf(book_alone);

  constexpr int kThreads = 4;
  constexpr int kRendersEach = 4;
  std::vector<std::vector<std::string>> outputs(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kRendersEach; ++i) {
        // Alternate forms so that threads use different fonts and sizes at the same time.
        auto pdf = i % 2 == 0 ? RenderReceipt(receipt) : RenderTrackingBook(book);
        outputs[t].push_back(pdf.ok() ? *pdf : "failed: " + pdf.error().detail);
      }
    });
  }
  for (std::thread& thread : threads) {
    thread.join();
  }
  for (int t = 0; t < kThreads; ++t) {
    for (int i = 0; i < kRendersEach; ++i) {
      EXPECT_TRUE(outputs[t][i] == (i % 2 == 0 ? *receipt_alone : *book_alone))
          << "thread " << t << ", render " << i;
    }
  }
}

// The printed QR code, read back from a rasterised page.

struct Box {
  double x_min = 0, y_min = 0, x_max = 0, y_max = 0;  // points
};

// The words of page 1 with their boxes, in reading order, from pdftotext -bbox.
std::vector<std::pair<Box, std::string>> Words(const Pdf& pdf) {
  const std::string html = Run("pdftotext -f 1 -l 1 -bbox '" + pdf.path().string() + "' -");
  const std::regex word(
      R"re(<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>)re");
  std::vector<std::pair<Box, std::string>> words;
  for (auto it = std::sregex_iterator(html.begin(), html.end(), word); it != std::sregex_iterator();
       ++it) {
    const std::smatch& m = *it;
    words.push_back({{std::stod(m[1]), std::stod(m[2]), std::stod(m[3]), std::stod(m[4])}, m[5]});
  }
  return words;
}

// The caption under the QR code ("Mã tra cứu: 7GQ2KX"), located with pdftotext -bbox.
Box CaptionBox(const Pdf& pdf) {
  const std::vector<std::pair<Box, std::string>> words = Words(pdf);
  // "Mã", "tra", "cứu:", "7GQ2KX" on one line.
  for (std::size_t i = 0; i + 3 < words.size(); ++i) {
    if (words[i].second == "Mã" && words[i + 1].second == "tra" &&
        words[i + 3].second == "7GQ2KX") {
      return {words[i].first.x_min, words[i].first.y_min, words[i + 3].first.x_max,
              words[i + 3].first.y_max};
    }
  }
  ADD_FAILURE() << "no caption on the page";
  return {};
}

// A grey-level raster of page 1 at `dpi`, through pdftoppm's PNG and Cairo's PNG reader.
class Raster {
 public:
  Raster(const Pdf& pdf, int dpi) : scale_(dpi / 72.0) {
    const std::filesystem::path prefix = test::TempDir() / "page";
    Run("pdftoppm -f 1 -l 1 -r " + std::to_string(dpi) + " -png -singlefile '" +
        pdf.path().string() + "' '" + prefix.string() + "'");
    surface_ = cairo_image_surface_create_from_png((prefix.string() + ".png").c_str());
    EXPECT_EQ(cairo_surface_status(surface_), CAIRO_STATUS_SUCCESS);
    surface_ = Rgb(surface_);
  }
  ~Raster() { cairo_surface_destroy(surface_); }
  Raster(const Raster&) = delete;
  Raster& operator=(const Raster&) = delete;

  double scale() const { return scale_; }  // pixels per point
  int width() const { return cairo_image_surface_get_width(surface_); }
  int height() const { return cairo_image_surface_get_height(surface_); }
  bool IsDark(int x, int y) const {
    if (x < 0 || y < 0 || x >= width() || y >= height()) {
      return false;
    }
    const unsigned char* row =
        cairo_image_surface_get_data(surface_) + y * cairo_image_surface_get_stride(surface_);
    std::uint32_t pixel = 0;
    std::memcpy(&pixel, row + 4 * x, 4);
    const int grey = (((pixel >> 16) & 0xFF) + ((pixel >> 8) & 0xFF) + (pixel & 0xFF)) / 3;
    return grey < 128;
  }
  // Share of dark pixels in the rectangle [x0, x1) × [y0, y1), in pixels.
  double DarkShare(int x0, int y0, int x1, int y1) const {
    int dark = 0;
    for (int y = y0; y < y1; ++y) {
      for (int x = x0; x < x1; ++x) {
        dark += IsDark(x, y) ? 1 : 0;
      }
    }
    return static_cast<double>(dark) / ((x1 - x0) * (y1 - y0));
  }

 private:
  // pdftoppm may write grey or RGB PNGs; paint onto a 32-bit RGB surface to read one format.
  static cairo_surface_t* Rgb(cairo_surface_t* source) {
    cairo_surface_t* rgb =
        cairo_image_surface_create(CAIRO_FORMAT_RGB24, cairo_image_surface_get_width(source),
                                   cairo_image_surface_get_height(source));
    cairo_t* cr = cairo_create(rgb);
    cairo_set_source_surface(cr, source, 0, 0);
    cairo_paint(cr);
    cairo_destroy(cr);
    cairo_surface_destroy(source);
    cairo_surface_flush(rgb);
    return rgb;
  }

  double scale_;
  cairo_surface_t* surface_ = nullptr;
};

// Whether every occurrence of `name` in the text (`flat_text`: white space made single spaces)
// lies within one line of the text as laid out.
bool WhollyOnOneLine(const std::string& layout_text, const std::string& flat_text,
                     const std::string& name) {
  int on_one_line = 0;
  std::istringstream lines(layout_text);
  for (std::string line; std::getline(lines, line);) {
    std::string single;
    for (char c : line) {
      if (c != ' ' || (!single.empty() && single.back() != ' ')) single += c;
    }
    on_one_line += CountOf(single, name);
  }
  const int anywhere = CountOf(flat_text, name);
  EXPECT_GT(anywhere, 0) << name << " is not on the form";
  return on_one_line == anywhere;
}

TEST(RenderReceipt, NeverSplitsANameOrADateAcrossLines) {
  Receipt receipt = SampleReceipt();
  // Lengths chosen so that plain word wrapping cuts each of these names in two.
  receipt.applicant.address = "Xóm Nà Pài, thôn Bản Vọt, tổ dân phố số 12, phường Phan Đình Phùng";
  receipt.return_place = "Bộ phận Một cửa của Trung tâm Phục vụ hành chính công tỉnh Thái Nguyên";
  receipt.appointment_at = "16 giờ 00 phút, ngày 24 tháng 11 năm 2026";
  const auto bytes = RenderReceipt(receipt);
  ExpectPdf(bytes);
  const Pdf pdf(*bytes);
  const std::string text = pdf.Text();
  const std::string flat = pdf.FlatText();
  for (const std::string name :
       {"Phan Đình Phùng", "Trung tâm Phục vụ hành chính công tỉnh Thái Nguyên",
        "ngày 24 tháng 11 năm 2026", "Nguyễn Thị Hồng Nhung"}) {
    EXPECT_TRUE(WhollyOnOneLine(text, flat, name)) << name << " is split in\n"
                                                   << text << "\n"
                                                   << flat;
  }
}

// Two lines cut where they come out even, as on the templates: not "… HÀNH CHÍNH" over a lone
// "CÔNG".
TEST(RenderReceipt, CutsTheAgencyNameWhereItsLinesComeOutEven) {
  const auto bytes = RenderReceipt(SampleReceipt());
  ExpectPdf(bytes);
  const std::string text = Pdf(*bytes).Text();
  // The motto column shares the lines, so look at the agency's column only: the line's start.
  bool first_line = false;
  bool second_line = false;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    first_line = first_line || (line.find("TRUNG TÂM PHỤC VỤ") != std::string::npos &&
                                line.find("HÀNH CHÍNH") == std::string::npos);
    second_line = second_line || std::regex_search(line, std::regex(R"(^\s*HÀNH CHÍNH CÔNG\s*$)"));
  }
  EXPECT_TRUE(first_line && second_line) << text;
}

TEST(RenderReceipt, PrintsTheQrCodeAboveItsCaption) {
  const auto bytes = RenderReceipt(SampleReceipt());
  ExpectPdf(bytes);
  const Pdf pdf(*bytes);
  const Box caption = CaptionBox(pdf);
  const double centre_x = (caption.x_min + caption.x_max) / 2;

  // At 100 dpi, the area just above the caption is about half dark, as a QR code is; text is
  // far lighter and blank paper is white. The area lies inside the symbol for any symbol at
  // least 20 mm wide (it is 26 mm with its quiet zone).
  {
    const Raster page(pdf, 100);
    const double s = page.scale();
    const double share = page.DarkShare(
        static_cast<int>((centre_x - 15) * s), static_cast<int>((caption.y_min - 50) * s),
        static_cast<int>((centre_x + 15) * s), static_cast<int>((caption.y_min - 20) * s));
    EXPECT_GT(share, 0.25);
    EXPECT_LT(share, 0.75);
  }

  // At 300 dpi, module by module: grow a box from that area until a band of white (narrower
  // than the 4-module quiet zone) surrounds it: that box is the symbol. Then sample the centre
  // of each module and compare with the symbol EncodeQr makes.
  const Raster page(pdf, 300);
  const double s = page.scale();
  int left = static_cast<int>((centre_x - 15) * s);
  int right = static_cast<int>((centre_x + 15) * s);
  int top = static_cast<int>((caption.y_min - 50) * s);
  int bottom = static_cast<int>((caption.y_min - 20) * s);
  const int band = static_cast<int>(1.0 * s);  // 1 pt: about 0.6 of a module
  const auto column_has_dark = [&](int x, int y0, int y1) {
    for (int y = y0; y <= y1; ++y) {
      if (page.IsDark(x, y)) return true;
    }
    return false;
  };
  const auto row_has_dark = [&](int y, int x0, int x1) {
    for (int x = x0; x <= x1; ++x) {
      if (page.IsDark(x, y)) return true;
    }
    return false;
  };
  for (bool grew = true; grew;) {
    grew = false;
    for (int step = 1; step <= band; ++step) {
      if (column_has_dark(left - step, top, bottom)) {
        left -= step, grew = true;
        break;
      }
    }
    for (int step = 1; step <= band; ++step) {
      if (column_has_dark(right + step, top, bottom)) {
        right += step, grew = true;
        break;
      }
    }
    for (int step = 1; step <= band; ++step) {
      if (row_has_dark(top - step, left, right)) {
        top -= step, grew = true;
        break;
      }
    }
    for (int step = 1; step <= band; ++step) {
      if (row_has_dark(bottom + step, left, right)) {
        bottom += step, grew = true;
        break;
      }
    }
  }
  auto code = EncodeQr(kLookupUrl);
  ASSERT_TRUE(code.ok());
  const double module_width = static_cast<double>(right - left + 1) / code->size;
  const double module_height = static_cast<double>(bottom - top + 1) / code->size;
  EXPECT_NEAR(module_width, module_height, 0.5) << "the symbol is square";
  EXPECT_NEAR(module_width * (code->size + 8), 26 / 25.4 * 300, 4) << "26 mm with quiet zone";
  int mismatches = 0;
  for (int y = 0; y < code->size; ++y) {
    for (int x = 0; x < code->size; ++x) {
      const bool printed = page.IsDark(static_cast<int>(left + (x + 0.5) * module_width),
                                       static_cast<int>(top + (y + 0.5) * module_height));
      mismatches += printed != code->IsDark(x, y) ? 1 : 0;
    }
  }
  EXPECT_EQ(mismatches, 0) << code->size << "×" << code->size << " modules";
}

}  // namespace
}  // namespace tinhso::forms
