#include "agencies/codes.hpp"

#include <cstddef>
#include <utility>

namespace tinhso::agencies {
namespace {

// QĐ 20/2020/QĐ-TTg Điều 4.1: "tối đa 35 ký tự".
constexpr std::size_t kMaxQd20Chars = 35;
// QCVN 102:2016 widths of the level 4, 3 and 2 groups (V1V2V3, Z1Z2, Y1Y2).
constexpr std::size_t kQcvnWidths[] = {3, 2, 2};

Error Invalid(std::string_view text, std::string_view why_vi, std::string_view why_en) {
  return MakeError(
      ErrorCode::kInvalidArgument, "agency.code_invalid",
      "Mã định danh \"" + std::string(text) + "\" không hợp lệ: " + std::string(why_vi),
      "Agency code \"" + std::string(text) + "\" is invalid: " + std::string(why_en));
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsUpper(char c) { return c >= 'A' && c <= 'Z'; }
bool AllDigits(std::string_view s) {
  for (char c : s) {
    if (!IsDigit(c)) return false;
  }
  return true;
}
bool AllZeros(std::string_view s) { return s.find_first_not_of('0') == std::string_view::npos; }

// Level 1 is "M X1 X2": M is A–Y (Z is reserved for other organisations' schemes, Điều 6).
bool IsLevelOneGroup(std::string_view g) {
  return g.size() == 3 && g[0] >= 'A' && g[0] <= 'Y' && IsDigit(g[1]) && IsDigit(g[2]);
}

std::vector<std::string_view> SplitDots(std::string_view text) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  for (;;) {
    std::size_t dot = text.find('.', start);
    if (dot == std::string_view::npos) {
      parts.push_back(text.substr(start));
      return parts;
    }
    parts.push_back(text.substr(start, dot - start));
    start = dot + 1;
  }
}

}  // namespace

std::string AgencyCode::Qd20() const {
  std::string out;
  for (const auto& g : groups) {
    if (!out.empty()) out += '.';
    out += g;
  }
  return out;
}

std::optional<std::string> AgencyCode::Qcvn() const {
  if (groups.empty() || groups.size() > 4) return std::nullopt;
  // groups[1] is level 2 (Y, width 2), groups[2] level 3 (Z, width 2), groups[3] level 4 (V, 3).
  constexpr std::size_t kWidthOfLevel[] = {0, 2, 2, 3};
  std::string parts[3] = {"000", "00", "00"};  // V, Z, Y as written, left to right
  for (std::size_t i = 1; i < groups.size(); ++i) {
    const std::string& g = groups[i];
    if (g.size() != kWidthOfLevel[i] || !AllDigits(g) || AllZeros(g)) return std::nullopt;
    parts[3 - i] = g;
  }
  return parts[0] + "." + parts[1] + "." + parts[2] + "." + groups[0];
}

Result<AgencyCode> ParseQd20(std::string_view text) {
  if (text.empty()) return Invalid(text, "mã trống.", "the code is empty.");
  if (text.size() > kMaxQd20Chars) {
    return Invalid(text, "dài quá 35 ký tự (QĐ 20/2020/QĐ-TTg Điều 4).",
                   "longer than 35 characters (QĐ 20/2020/QĐ-TTg art. 4).");
  }
  for (char c : text) {
    if (c != '.' && !IsDigit(c) && !IsUpper(c)) {
      return Invalid(text, "chỉ được dùng dấu chấm, chữ số 0–9 và chữ in hoa A–Z.",
                     "only dots, digits 0–9 and capital letters A–Z are allowed.");
    }
  }
  AgencyCode code;
  for (std::string_view g : SplitDots(text)) {
    if (g.empty()) {
      return Invalid(text, "có nhóm trống (hai dấu chấm liền nhau hoặc dấu chấm ở đầu, cuối).",
                     "has an empty group (two dots in a row, or a leading or trailing dot).");
    }
    code.groups.emplace_back(g);
  }
  if (!IsLevelOneGroup(code.groups[0])) {
    return Invalid(text, "nhóm cấp 1 phải gồm một chữ cái A–Y và hai chữ số, ví dụ H55.",
                   "the level-1 group must be a letter A–Y and two digits, e.g. H55.");
  }
  return code;
}

Result<AgencyCode> ParseQcvn(std::string_view text) {
  std::vector<std::string_view> parts = SplitDots(text);
  if (parts.size() != 4 || parts[0].size() != kQcvnWidths[0] || parts[1].size() != kQcvnWidths[1] ||
      parts[2].size() != kQcvnWidths[2]) {
    return Invalid(text, "mã theo QCVN 102 phải có dạng V1V2V3.Z1Z2.Y1Y2.MX1X2.",
                   "a QCVN 102 code must look like V1V2V3.Z1Z2.Y1Y2.MX1X2.");
  }
  for (int i = 0; i < 3; ++i) {
    if (!AllDigits(parts[i])) {
      return Invalid(text, "các nhóm V, Z, Y chỉ gồm chữ số.",
                     "the V, Z and Y groups must be digits.");
    }
  }
  if (!IsLevelOneGroup(parts[3])) {
    return Invalid(text, "nhóm cấp 1 phải gồm một chữ cái A–Y và hai chữ số, ví dụ H55.",
                   "the level-1 group must be a letter A–Y and two digits, e.g. H55.");
  }
  // Read right to left: level 2 is Y (parts[2]), level 3 is Z, level 4 is V. A level can only
  // exist under an existing one, so once a zero group is met every group to its left is zero.
  AgencyCode code;
  code.groups.emplace_back(parts[3]);
  bool ended = false;
  for (int i = 2; i >= 0; --i) {
    if (AllZeros(parts[i])) {
      ended = true;
    } else if (ended) {
      return Invalid(text, "có cấp dưới nhưng thiếu cấp trên (nhóm 0 nằm giữa).",
                     "a lower level is present under a missing one (a zero group in between).");
    } else {
      code.groups.emplace_back(parts[i]);
    }
  }
  return code;
}

Result<AgencyCode> ParseCode(std::string_view text) {
  if (!text.empty() && IsDigit(text[0])) return ParseQcvn(text);
  return ParseQd20(text);
}

bool IsValidQd20(std::string_view text) { return ParseQd20(text).ok(); }
bool IsValidQcvn(std::string_view text) { return ParseQcvn(text).ok(); }

std::optional<std::string> Qd20ToQcvn(std::string_view qd20) {
  auto code = ParseQd20(qd20);
  if (!code.ok()) return std::nullopt;
  return code->Qcvn();
}

std::optional<std::string> QcvnToQd20(std::string_view qcvn) {
  auto code = ParseQcvn(qcvn);
  if (!code.ok()) return std::nullopt;
  return code->Qd20();
}

int CodeLevel(std::string_view code) {
  auto parsed = ParseCode(code);
  return parsed.ok() ? parsed->level() : 0;
}

}  // namespace tinhso::agencies
