#include "auth/identity.hpp"

#include <algorithm>
#include <array>

#include "core/clock.hpp"

namespace tinhso::auth {
namespace {

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Province codes used in CCCD numbers (the 63 provinces before 2025; numbers already issued keep
// them after the 2025 mergers).
constexpr std::array<int, 63> kProvinceCodes = {
    1,  2,  4,  6,  8,  10, 11, 12, 14, 15, 17, 19, 20, 22, 24, 25, 26, 27, 30, 31, 33,
    34, 35, 36, 37, 38, 40, 42, 44, 45, 46, 48, 49, 51, 52, 54, 56, 58, 60, 62, 64, 66,
    67, 68, 70, 72, 74, 75, 77, 79, 80, 82, 83, 84, 86, 87, 89, 91, 92, 93, 94, 95, 96};

}  // namespace

std::optional<int> CccdBirthYear(std::string_view s) {
  if (s.size() != 12 || !AllDigits(s)) return std::nullopt;
  const int century = 1900 + (s[3] - '0') / 2 * 100;
  return century + (s[4] - '0') * 10 + (s[5] - '0');
}

bool HasCccdShape(std::string_view s) {
  if (s.size() != 12 || !AllDigits(s)) return false;
  const int province = (s[0] - '0') * 100 + (s[1] - '0') * 10 + (s[2] - '0');
  return std::find(kProvinceCodes.begin(), kProvinceCodes.end(), province) != kProvinceCodes.end();
}

bool IsValidCccd(std::string_view s, int this_year) {
  return HasCccdShape(s) && *CccdBirthYear(s) <= this_year;
}

int YearInVietnam(std::chrono::sys_seconds now) {
  const std::chrono::year_month_day day{
      std::chrono::floor<std::chrono::days>(now + core::kVietnamOffset)};
  return static_cast<int>(day.year());
}

bool IsValidTaxCode(std::string_view s) {
  std::string_view main = s;
  if (s.size() == 14) {
    if (s[10] != '-' || !AllDigits(s.substr(11))) return false;
    main = s.substr(0, 10);
  }
  if (main.size() != 10 || !AllDigits(main)) return false;
  constexpr int kWeights[9] = {31, 29, 23, 19, 17, 13, 7, 5, 3};
  int sum = 0;
  for (int i = 0; i < 9; ++i) sum += (main[i] - '0') * kWeights[i];
  const int check = 10 - sum % 11;
  return check < 10 && check == main[9] - '0';
}

}  // namespace tinhso::auth
