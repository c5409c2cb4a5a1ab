// Validation of the identity numbers people sign in with.
#pragma once

#include <chrono>
#include <optional>
#include <string_view>

namespace tinhso::auth {

// The birth year a 12-digit CCCD encodes: its 4th digit is the century and sex (0/1 the 1900s,
// 2/3 the 2000s, 4/5 the 2100s, 6/7 the 2200s, 8/9 the 2300s; even male, odd female) and its
// 5th and 6th digits the year within that century. nullopt when `s` is not 12 digits.
std::optional<int> CccdBirthYear(std::string_view s);

// A 12-digit citizen identity number (CCCD, Thông tư 59/2021/TT-BCA): a 3-digit province code of
// birth registration that exists, a century/sex digit, and 8 more digits, of someone born by
// `this_year` (the current year in Vietnam, from the service's clock: no one is born in the
// future, so such a number is made up).
bool IsValidCccd(std::string_view s, int this_year);

// The year to check CCCDs against at `now` (the service's clock): the calendar year in Vietnam.
int YearInVietnam(std::chrono::sys_seconds now);

// IsValidCccd's shape alone: what a number born after `this_year` is, to say so in errors.
bool HasCccdShape(std::string_view s);

// An enterprise tax code: 10 digits whose last is the check digit (weights 31 29 23 19 17 13 7
// 5 3, check = 10 − sum mod 11), optionally "-NNN" for a branch. Household businesses and
// individuals use their CCCD as tax code since 1/7/2025 (Thông tư 86/2024/TT-BTC).
bool IsValidTaxCode(std::string_view s);

}  // namespace tinhso::auth
