// Validation of the identity numbers people sign in with.
#pragma once

#include <string_view>

namespace tinhso::auth {

// A 12-digit citizen identity number (CCCD, Thông tư 59/2021/TT-BCA): a 3-digit province code of
// birth registration that exists, a century/sex digit, and 8 more digits.
bool IsValidCccd(std::string_view s);

// An enterprise tax code: 10 digits whose last is the check digit (weights 31 29 23 19 17 13 7
// 5 3, check = 10 − sum mod 11), optionally "-NNN" for a branch. Household businesses and
// individuals use their CCCD as tax code since 1/7/2025 (Thông tư 86/2024/TT-BTC).
bool IsValidTaxCode(std::string_view s);

}  // namespace tinhso::auth
