#include "auth/identity.hpp"

#include <gtest/gtest.h>

namespace tinhso::auth {
namespace {

TEST(IdentityTest, Cccd) {
  struct Case {
    const char* number;
    bool valid;
    const char* why;
  };
  const Case kCases[] = {
      {"006095001234", true, "Bắc Kạn (006), male born 1995"},
      {"019301004567", true, "Thái Nguyên (019), female born 2001"},
      {"001200000001", true, "Hà Nội (001)"},
      {"096123456789", true, "Cà Mau (096), the last code"},
      {"003095001234", false, "003 is not a province code"},
      {"097095001234", false, "097 is beyond the last province code"},
      {"00609500123", false, "11 digits"},
      {"0060950012345", false, "13 digits"},
      {"00609500123a", false, "a letter"},
      {"", false, "empty"},
  };
  for (const Case& c : kCases) EXPECT_EQ(IsValidCccd(c.number, 2026), c.valid) << c.why;
}

// Digits 4 to 6 are the century and sex, then the year: no one is born after the current year.
TEST(IdentityTest, CccdBirthYearIsNotInTheFuture) {
  EXPECT_EQ(CccdBirthYear("006095001234"), 1995);  // 0: male, 1900s
  EXPECT_EQ(CccdBirthYear("019190000001"), 1990);  // 1: female, 1900s
  EXPECT_EQ(CccdBirthYear("019301004567"), 2001);  // 3: female, 2000s
  EXPECT_EQ(CccdBirthYear("001426000001"), 2126);  // 4: male, 2100s
  EXPECT_EQ(CccdBirthYear("00609500123"), std::nullopt);
  EXPECT_TRUE(IsValidCccd("019226004567", 2026));   // born this year
  EXPECT_FALSE(IsValidCccd("019227004567", 2026));  // born next year
  EXPECT_FALSE(IsValidCccd("001426000001", 2026));  // the 22nd century
  EXPECT_TRUE(HasCccdShape("019227004567"));
  EXPECT_TRUE(IsValidCccd("019227004567", 2027));
}

TEST(IdentityTest, TaxCode) {
  struct Case {
    const char* code;
    bool valid;
    const char* why;
  };
  const Case kCases[] = {
      // Check digits worked out by hand: 10 − (Σ dᵢ·wᵢ mod 11).
      {"0100109106", true, "Σ=114, 114 mod 11 = 4, check 6"},
      {"0300588569", true, "Σ=375, 375 mod 11 = 1, check 9"},
      {"0100109106-001", true, "a branch"},
      {"0100109107", false, "wrong check digit"},
      {"0100109106-01", false, "branch suffix of 2 digits"},
      {"0100109106001", false, "13 digits without the dash"},
      {"010010910", false, "9 digits"},
      {"01001091O6", false, "a letter O"},
  };
  for (const Case& c : kCases) EXPECT_EQ(IsValidTaxCode(c.code), c.valid) << c.why;
}

}  // namespace
}  // namespace tinhso::auth
