// The tokenizer and the serializer: what the incremental update writes back for the page and
// catalog objects must mean exactly what was read.
#include "pdf/object.hpp"

#include <gtest/gtest.h>

#include "pdf/parser.hpp"
#include "pdf/text.hpp"

namespace tinhso::pdf::internal {
namespace {

Result<Object> Parse(std::string_view text) {
  std::size_t items = 0;
  Parser parser(text, 0, &items);
  return parser.ParseObject();
}

TEST(PdfObject, ParsesAndWritesBackTheSameValue) {
  struct Case {
    std::string_view source;
    std::string_view written;  // what Serialize gives back
  };
  const Case kCases[] = {
      {"null", "null"},
      {"true", "true"},
      {"-42", "-42"},
      {"+17", "17"},
      {"3.25", "3.25"},
      {"-.5", "-.5"},  // reals are written as read
      {"12 0 R", "12 0 R"},
      {"[1 2 0 R 3]", "[1 2 0 R 3]"},
      {"/A#20B", "/A#20B"},  // a space in a name stays escaped
      {"/Lime#2FGreen", "/Lime#2FGreen"},
      {"(a\\(b\\)c\\\\)", "(a\\(b\\)c\\\\)"},
      {"(line\\nbreak)", "(line\\012break)"},
      {"(\\101\\102C)", "(ABC)"},
      {"(a\r\nb)", "(a\\012b)"},  // an unescaped CRLF in a string is one LF
      {"(nested (paren) ok)", "(nested \\(paren\\) ok)"},
      {"<48 65 6C6C6F>", "<48656C6C6F>"},
      {"<ABC>", "<ABC0>"},  // an odd final digit is followed by 0
      {"<< /Type /Page /Rotate 90 /Kids [4 0 R] >>", "<< /Type /Page /Rotate 90 /Kids [4 0 R] >>"},
      {"<<>>", "<< >>"},
      {"[ % a comment\n 1 ]", "[1]"},
  };
  for (const Case& c : kCases) {
    auto object = Parse(c.source);
    ASSERT_TRUE(object.ok()) << c.source << ": " << object.error().detail;
    std::string out;
    ASSERT_TRUE(Serialize(*object, out).ok());
    EXPECT_EQ(out, c.written) << c.source;
    // Writing is stable and reads back equal.
    auto again = Parse(out);
    ASSERT_TRUE(again.ok()) << out;
    EXPECT_TRUE(DeepEqual(*object, *again)) << out;
  }
}

TEST(PdfObject, RejectsWhatTheStandardDoesNot) {
  for (std::string_view bad : {"(unterminated", "<12G4>", "/Bad#4", "<< /A 1 /A 2 >>", "<< 1 2 >>",
                               "[1 2", "99999999999999999999999", ")", "{"}) {
    EXPECT_FALSE(Parse(bad).ok()) << bad;
  }
}

TEST(PdfObject, NumbersAreFormattedWithoutExponents) {
  EXPECT_EQ(FormatNumber(595), "595");
  EXPECT_EQ(FormatNumber(12.5), "12.5");
  EXPECT_EQ(FormatNumber(-0.00001), "0");
  EXPECT_EQ(FormatNumber(1.0 / 3), "0.3333");
  EXPECT_EQ(FormatNumber(1e300 * 1e300), "0");  // infinity is never written
}

TEST(PdfObject, TextStringsAndDates) {
  EXPECT_EQ(EncodeTextString("Signature1"), "Signature1");
  EXPECT_EQ(EncodeTextString("Đ"), std::string("\xFE\xFF\x01\x10", 4));
  EXPECT_EQ(DecodeTextString(EncodeTextString("Nguyễn Văn A 😀")).value(), "Nguyễn Văn A 😀");
  EXPECT_EQ(PdfDate(1795397400), "D:20261123083000+07'00'");
  EXPECT_EQ(DisplayTime(1795397400), "23/11/2026 08:30:00 +07:00");
  EXPECT_EQ(PdfDate(1798736399), "D:20261231235959+07'00'");  // still 2026 in Hà Nội
  EXPECT_EQ(ParsePdfDate("D:20261123083000+07'00'"), 1795397400);
  EXPECT_EQ(ParsePdfDate("D:20261123013000Z"), 1795397400);
  EXPECT_EQ(ParsePdfDate("D:2026"), 1767225600);  // 2026-01-01 00:00 UTC
  EXPECT_FALSE(ParsePdfDate("D:20261332").has_value());
  EXPECT_FALSE(ParsePdfDate("yesterday").has_value());
}

}  // namespace
}  // namespace tinhso::pdf::internal
