// Agency identifiers (mã định danh điện tử) in their two written forms. Pure functions, no I/O.
//
// QĐ 20/2020/QĐ-TTg Điều 4 form, read left to right: groups separated by dots, at most 35
// characters of '.', 0–9 and A–Z; the first group is the level-1 code M X1 X2 (M a letter A–Y);
// each group to the right names a child of the level before: "H55", "H55.12", "G14.04".
//
// QCVN 102:2016 / TT 01/2018/TT-VPCP Điều 19 form, fixed width, read right to left:
// "V1V2V3.Z1Z2.Y1Y2.MX1X2" with zeros for the levels that do not exist: "000.00.00.H56" is H56
// itself, "000.00.04.G14" is G14.04, "001.03.12.H55" is H55.12.03.001. It appears in edXML
// OrganId and in dossier numbers, so both forms must be accepted wherever a code is typed.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace tinhso::agencies {

/// A parsed agency code: its groups from level 1 down ({"H55", "12", "03"}).
struct AgencyCode {
  std::vector<std::string> groups;

  /// The number of levels (groups): 1 for "H55", 3 for "H55.12.03".
  int level() const { return static_cast<int>(groups.size()); }
  /// The QĐ 20/2020 form, "H55.12.03". Always possible.
  std::string Qd20() const;
  /// The QCVN 102 form, "000.03.12.H55", or nullopt when a group does not fit its fixed width
  /// (level 2 and 3: exactly two digits, level 4: exactly three digits, not all zeros) or there
  /// are more than four levels. Padding is never added: "H55.4" and "H55.04" are different codes.
  std::optional<std::string> Qcvn() const;

  bool operator==(const AgencyCode&) const = default;
};

/// Parses the QĐ 20/2020 form. Errors: kInvalidArgument, reason "agency.code_invalid", with a
/// message that says what is wrong (length, character, empty group, level-1 group).
Result<AgencyCode> ParseQd20(std::string_view text);

/// Parses the QCVN 102 form. Errors: kInvalidArgument, reason "agency.code_invalid" (layout,
/// non-digit group, level-1 group, a level present below a missing one: "001.00.12.H55").
Result<AgencyCode> ParseQcvn(std::string_view text);

/// Parses either form: a code whose first group starts with a digit is read as QCVN 102.
/// The two forms cannot be confused: a QĐ 20 code starts with a letter, a QCVN code with a digit.
Result<AgencyCode> ParseCode(std::string_view text);

bool IsValidQd20(std::string_view text);
bool IsValidQcvn(std::string_view text);

/// "H55.12.03" → "000.03.12.H55"; nullopt when `qd20` is invalid or does not fit the widths.
std::optional<std::string> Qd20ToQcvn(std::string_view qd20);
/// "000.03.12.H55" → "H55.12.03"; nullopt when `qcvn` is invalid.
std::optional<std::string> QcvnToQd20(std::string_view qcvn);

/// The number of levels of a code in either form, or 0 when it is invalid.
int CodeLevel(std::string_view code);

}  // namespace tinhso::agencies
