// The QR symbol Mẫu 01 prints, and the place-and-date line.
#include <gtest/gtest.h>
#include <qrencode.h>

#include <string>
#include <string_view>

#include "forms/forms.hpp"

namespace tinhso::forms {
namespace {

constexpr std::string_view kLookupUrl =
    "https://dichvucong.thainguyen.gov.vn/tra-cuu?ma=H55.19-261123-0001&k=7GQ2KX";

TEST(EncodeQr, IsTheSymbolQrencodeMakesAtLevelM) {
  auto code = EncodeQr(kLookupUrl);
  ASSERT_TRUE(code.ok()) << code.error().detail;

  // What the qrencode tool makes with `qrencode -l M` (its library, called the way it calls it).
  QRcode* reference = QRcode_encodeString(std::string(kLookupUrl).c_str(), 0, QR_ECLEVEL_M,
                                          QR_MODE_8, /*casesensitive=*/1);
  ASSERT_NE(reference, nullptr);
  ASSERT_EQ(code->size, reference->width);
  ASSERT_EQ(code->modules.size(), static_cast<std::size_t>(code->size * code->size));
  int mismatches = 0;
  for (int y = 0; y < code->size; ++y) {
    for (int x = 0; x < code->size; ++x) {
      const bool expected = (reference->data[y * reference->width + x] & 1) != 0;
      mismatches += code->IsDark(x, y) != expected ? 1 : 0;
    }
  }
  QRcode_free(reference);
  EXPECT_EQ(mismatches, 0);
}

// Reads the format information (ISO/IEC 18004 §7.9) from both of its copies, independently of
// libqrencode: 15 bits, masked with 0x5412, whose top two bits name the error-correction level.
TEST(EncodeQr, FormatInformationSaysLevelM) {
  auto code = EncodeQr(kLookupUrl);
  ASSERT_TRUE(code.ok());
  const int size = code->size;
  ASSERT_EQ((size - 17) % 4, 0) << "a QR symbol is 17 + 4 × version modules wide";
  int near_finder = 0;  // the copy around the top-left finder pattern
  int split = 0;        // the copy split between the other two finders
  for (int bit = 0; bit < 8; ++bit) {
    near_finder |= code->IsDark(8, bit < 6 ? bit : bit + 1) << bit;
    split |= code->IsDark(size - 1 - bit, 8) << bit;
  }
  for (int bit = 8; bit < 15; ++bit) {
    near_finder |= code->IsDark(bit == 8 ? 7 : 14 - bit, 8) << bit;
    split |= code->IsDark(8, size - 15 + bit) << bit;
  }
  EXPECT_EQ(near_finder, split);
  const int format = near_finder ^ 0x5412;
  // The low ten bits are the BCH(15,5) remainder of the top five (generator 0x537): a check that
  // the bits were read from the right places.
  int remainder = (format >> 10) << 10;
  for (int bit = 14; bit >= 10; --bit) {
    if (remainder & (1 << bit)) {
      remainder ^= 0x537 << (bit - 10);
    }
  }
  EXPECT_EQ(format & 0x3FF, remainder);
  EXPECT_EQ(format >> 13, 0) << "level bits: L = 01, M = 00, Q = 11, H = 10";
  // The dark module next to the bottom-left finder is in every symbol.
  EXPECT_TRUE(code->IsDark(8, size - 8));
}

TEST(EncodeQr, KeepsCaseOfTheSecret) {
  auto upper = EncodeQr("https://a.vn/?k=ABC");
  auto lower = EncodeQr("https://a.vn/?k=abc");
  ASSERT_TRUE(upper.ok());
  ASSERT_TRUE(lower.ok());
  EXPECT_NE(upper->modules, lower->modules);
}

TEST(EncodeQr, RejectsWhatNoSymbolHolds) {
  for (const std::string& text : {std::string(), std::string("a\0b", 3), std::string(4000, 'x')}) {
    auto code = EncodeQr(text);
    ASSERT_FALSE(code.ok()) << text.size();
    EXPECT_EQ(code.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(code.error().reason, "forms.invalid_input");
  }
}

TEST(VietnameseDateLine, WritesLeadingZerosAsNd30Asks) {
  struct Case {
    std::string_view place;
    int year, month, day;
    std::string_view expected;
  };
  // NĐ 30/2020 Phụ lục I: a zero before days below 10 and before months 1 and 2 only.
  const Case kCases[] = {
      {"Thái Nguyên", 2026, 1, 5, "Thái Nguyên, ngày 05 tháng 01 năm 2026"},
      {"Thái Nguyên", 2026, 11, 23, "Thái Nguyên, ngày 23 tháng 11 năm 2026"},
      {"Thái Nguyên", 2026, 2, 9, "Thái Nguyên, ngày 09 tháng 02 năm 2026"},
      {"Thái Nguyên", 2026, 3, 5, "Thái Nguyên, ngày 05 tháng 3 năm 2026"},
      {"Chợ Đồn", 2025, 9, 10, "Chợ Đồn, ngày 10 tháng 9 năm 2025"},
      {"Hà Nội", 2024, 12, 31, "Hà Nội, ngày 31 tháng 12 năm 2024"},
      {"", 2026, 1, 5, "Ngày 05 tháng 01 năm 2026"},
  };
  for (const Case& c : kCases) {
    EXPECT_EQ(VietnameseDateLine(c.place, c.year, c.month, c.day), c.expected);
  }
}

}  // namespace
}  // namespace tinhso::forms
