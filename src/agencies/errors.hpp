// Internal: the module's errors, one builder per stable reason, so that each reason has one
// wording in Vietnamese and English wherever it is raised.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace tinhso::agencies::internal {

inline std::string Quoted(std::string_view s) { return "\"" + std::string(s) + "\""; }

// A field of an input is wrong; `field` is named as the API spells it.
inline Error InvalidInput(std::string_view field, std::string_view why_vi,
                          std::string_view why_en) {
  return MakeError(ErrorCode::kInvalidArgument, "agency.invalid_input",
                   "Trường " + Quoted(field) + " " + std::string(why_vi),
                   "Field " + Quoted(field) + " " + std::string(why_en));
}

inline Error NotFound(std::int64_t id) {
  return MakeError(ErrorCode::kNotFound, "agency.not_found",
                   "Không tìm thấy cơ quan có mã số " + std::to_string(id) + ".",
                   "No agency with id " + std::to_string(id) + ".");
}

inline Error CodeUnknown(std::string_view code) {
  return MakeError(ErrorCode::kNotFound, "agency.code_unknown",
                   "Không có cơ quan nào mang (hoặc từng mang) mã định danh " + Quoted(code) + ".",
                   "No agency has or ever had the code " + Quoted(code) + ".");
}

inline Error CodeTaken(std::string_view code) {
  return MakeError(ErrorCode::kAlreadyExists, "agency.code_taken",
                   "Mã định danh " + Quoted(code) +
                       " đã được dùng (hiện nay hoặc trước đây); mã cũ vẫn phải tra cứu được nên "
                       "không thể cấp lại.",
                   "The code " + Quoted(code) +
                       " is or was already in use; old codes must keep resolving, so it cannot "
                       "be given again.");
}

inline Error Dissolved(std::int64_t id, std::string_view name) {
  return MakeError(ErrorCode::kFailedPrecondition, "agency.dissolved",
                   "Cơ quan " + Quoted(name) + " (mã số " + std::to_string(id) +
                       ") đã giải thể hoặc sáp nhập, không thể thay đổi tiếp.",
                   "Agency " + Quoted(name) + " (id " + std::to_string(id) +
                       ") has been dissolved or merged and cannot be changed further.");
}

}  // namespace tinhso::agencies::internal
