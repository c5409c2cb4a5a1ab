#include "agencies/codes.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <string_view>

namespace tinhso::agencies {
namespace {

// Expected values are written by hand from QĐ 20/2020/QĐ-TTg Điều 4 and the QCVN 102 examples
// in domain.md §3 ("000.00.00.H56" is H56, "000.00.04.G14" is G14.04), never produced by the
// code under test.

TEST(ParseQd20, AcceptsWellFormedCodes) {
  struct Case {
    std::string_view code;
    int level;
  };
  const Case kCases[] = {
      {"H55", 1},
      {"H55.12", 2},
      {"H55.242", 2},  // MaCoQuanThucHien seen on the Thái Nguyên DVC portal
      {"G14.04", 2},   // a ministry (G) code
      {"H55.12.03", 3},
      {"H55.12.03.001", 4},
      {"A00", 1},
      {"Y99.1.2.3.4.5", 6},                        // the number of levels is not capped by the form
      {"H04.AB1", 2},                              // lower groups may hold capital letters
      {"H29.1234567890123456789012345678901", 2},  // exactly 35 characters
  };
  for (const Case& c : kCases) {
    auto parsed = ParseQd20(c.code);
    ASSERT_TRUE(parsed.ok()) << c.code << ": " << parsed.error().message_en;
    EXPECT_EQ(parsed->level(), c.level) << c.code;
    EXPECT_EQ(parsed->Qd20(), c.code) << "round trip";
    EXPECT_TRUE(IsValidQd20(c.code)) << c.code;
    EXPECT_EQ(CodeLevel(c.code), c.level) << c.code;
  }
}

TEST(ParseQd20, RejectsMalformedCodes) {
  struct Case {
    std::string_view code;
    std::string_view why;
  };
  const Case kCases[] = {
      {"", "empty"},
      {"h55", "lower case"},
      {"H55.a1", "lower case in a lower group"},
      {"H29.12345678901234567890123456789012", "36 characters"},
      {"H55..12", "empty group"},
      {".H55", "leading dot"},
      {"H55.", "trailing dot"},
      {"Z01", "level-1 letter Z is reserved for other schemes (Điều 6)"},
      {"H5", "level-1 group too short"},
      {"H555", "level-1 group too long"},
      {"HA5", "level-1 group needs two digits"},
      {"155", "level-1 group needs a letter"},
      {"H55-12", "dash is not allowed"},
      {"H55 12", "space is not allowed"},
      {"H55.1Đ", "non-ASCII letter"},
  };
  for (const Case& c : kCases) {
    auto parsed = ParseQd20(c.code);
    ASSERT_FALSE(parsed.ok()) << c.code << " should fail: " << c.why;
    EXPECT_EQ(parsed.error().code, ErrorCode::kInvalidArgument) << c.why;
    EXPECT_EQ(parsed.error().reason, "agency.code_invalid") << c.why;
    EXPECT_FALSE(parsed.error().message_vi.empty()) << c.why;
    EXPECT_FALSE(parsed.error().message_en.empty()) << c.why;
    EXPECT_FALSE(IsValidQd20(c.code)) << c.why;
  }
}

TEST(ParseQcvn, ReadsRightToLeft) {
  struct Case {
    std::string_view qcvn;
    std::string_view qd20;
    int level;
  };
  const Case kCases[] = {
      {"000.00.00.H56", "H56", 1},  // UBND tỉnh Thanh Hóa
      {"000.00.04.G14", "G14.04", 2},        {"000.00.12.H55", "H55.12", 2},
      {"000.03.12.H55", "H55.12.03", 3},     {"001.03.12.H55", "H55.12.03.001", 4},
      {"120.99.01.H04", "H04.01.99.120", 4},
  };
  for (const Case& c : kCases) {
    auto parsed = ParseQcvn(c.qcvn);
    ASSERT_TRUE(parsed.ok()) << c.qcvn << ": " << parsed.error().message_en;
    EXPECT_EQ(parsed->Qd20(), c.qd20) << c.qcvn;
    EXPECT_EQ(parsed->level(), c.level) << c.qcvn;
    EXPECT_EQ(QcvnToQd20(c.qcvn), std::optional<std::string>(c.qd20)) << c.qcvn;
    EXPECT_EQ(Qd20ToQcvn(c.qd20), std::optional<std::string>(c.qcvn)) << c.qd20;
    EXPECT_EQ(CodeLevel(c.qcvn), c.level) << c.qcvn;
    auto either = ParseCode(c.qcvn);
    ASSERT_TRUE(either.ok());
    EXPECT_EQ(either->Qd20(), c.qd20) << "ParseCode takes the QCVN form too";
  }
}

TEST(ParseQcvn, RejectsMalformedCodes) {
  struct Case {
    std::string_view code;
    std::string_view why;
  };
  const Case kCases[] = {
      {"", "empty"},
      {"00.00.00.H56", "V group too short"},
      {"0000.00.00.H56", "V group too long"},
      {"000.0.00.H56", "Z group too short"},
      {"000.00.000.H56", "Y group too long"},
      {"000.00.00", "no level-1 group"},
      {"000.00.00.h56", "lower-case level-1 group"},
      {"000.00.00.Z56", "level-1 letter Z"},
      {"000.0A.00.H56", "letters in a numeric group"},
      {"000.03.00.H55", "level 3 under a missing level 2"},
      {"001.00.12.H55", "level 4 under a missing level 3"},
      {"000.00.00.H56.1", "too many groups"},
  };
  for (const Case& c : kCases) {
    auto parsed = ParseQcvn(c.code);
    ASSERT_FALSE(parsed.ok()) << c.code << " should fail: " << c.why;
    EXPECT_EQ(parsed.error().reason, "agency.code_invalid") << c.why;
    EXPECT_FALSE(IsValidQcvn(c.code)) << c.why;
    EXPECT_EQ(QcvnToQd20(c.code), std::nullopt) << c.why;
  }
}

TEST(Qd20ToQcvn, OnlyWhenEveryGroupFitsItsWidth) {
  struct Case {
    std::string_view qd20;
    std::optional<std::string> qcvn;
    std::string_view why;
  };
  const Case kCases[] = {
      {"H56", "000.00.00.H56", "level 1 alone"},
      {"H55.12.03.001", "001.03.12.H55", "all four levels fit"},
      {"H55.242", std::nullopt, "level 2 has three digits, Y1Y2 holds two"},
      {"H55.4", std::nullopt, "no zero padding: H55.4 and H55.04 are different codes"},
      {"H55.00", std::nullopt, "an all-zero group means 'no level' in QCVN 102"},
      {"H55.12.03.01", std::nullopt, "level 4 needs three digits"},
      {"H55.12.03.001.1", std::nullopt, "QCVN 102 has four levels at most"},
      {"H55.1A", std::nullopt, "QCVN 102 groups are digits"},
      {"h55", std::nullopt, "invalid input"},
  };
  for (const Case& c : kCases) {
    EXPECT_EQ(Qd20ToQcvn(c.qd20), c.qcvn) << c.qd20 << ": " << c.why;
  }
}

TEST(ParseCode, TellsTheFormsApartByTheirFirstCharacter) {
  EXPECT_EQ(ParseCode("G14.04")->Qd20(), "G14.04");
  EXPECT_EQ(ParseCode("000.00.04.G14")->Qd20(), "G14.04");
  EXPECT_FALSE(ParseCode("").ok());
  EXPECT_FALSE(ParseCode("0").ok());
  EXPECT_EQ(CodeLevel("nonsense"), 0);
}

}  // namespace
}  // namespace tinhso::agencies
