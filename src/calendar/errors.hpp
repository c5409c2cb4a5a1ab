// Internal: the calendar module's errors, in Vietnamese and English, shared by the rules, the
// service and the routes so that the same mistake reads the same everywhere.
#pragma once

#include <string>
#include <string_view>

#include "calendar/calendar.hpp"
#include "core/error.hpp"

namespace tinhso::calendar::errors {

inline Error BadYear(std::string_view text) {
  return MakeError(ErrorCode::kInvalidArgument, "calendar.bad_year",
                   "Năm không hợp lệ: phải là số từ " + std::to_string(kMinYear) + " đến " +
                       std::to_string(kMaxYear) + ".",
                   "Invalid year: it must be a number from " + std::to_string(kMinYear) + " to " +
                       std::to_string(kMaxYear) + ".",
                   std::string(text));
}

inline Error BadDate(std::string_view text) {
  return MakeError(ErrorCode::kInvalidArgument, "calendar.bad_date",
                   "Ngày không hợp lệ: phải là ngày có thật, viết dạng YYYY-MM-DD, từ năm " +
                       std::to_string(kMinYear) + " đến " + std::to_string(kMaxYear) + ".",
                   "Invalid date: it must be a real date written YYYY-MM-DD, from year " +
                       std::to_string(kMinYear) + " to " + std::to_string(kMaxYear) + ".",
                   std::string(text));
}

inline Error UnknownKind(std::string_view text) {
  return MakeError(ErrorCode::kInvalidArgument, "calendar.unknown_kind",
                   "Loại ngày không hợp lệ: phải là một trong holiday, tet, compensatory, "
                   "day_off, working_day, remove.",
                   "Unknown kind: it must be one of holiday, tet, compensatory, day_off, "
                   "working_day, remove.",
                   std::string(text));
}

inline Error OverrideNotFound(std::string_view date) {
  return MakeError(ErrorCode::kNotFound, "calendar.override_not_found",
                   "Không có điều chỉnh lịch nào cho ngày " + std::string(date) + ".",
                   "There is no calendar override for " + std::string(date) + ".");
}

inline bool InRange(int year) { return year >= kMinYear && year <= kMaxYear; }

}  // namespace tinhso::calendar::errors
