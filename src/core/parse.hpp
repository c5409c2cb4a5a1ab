// Strict parsers for numbers and dates arriving as text (query strings, CLI flags, files).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tinhso::core {

// The whole string must be a decimal integer in range; no spaces, no '+'.
std::optional<std::int64_t> ParseInt64(std::string_view text);

// "YYYY-MM-DD", a real calendar date.
std::optional<std::chrono::year_month_day> ParseDate(std::string_view text);
std::string FormatDate(std::chrono::year_month_day d);

// ISO-8601 UTC, "2026-11-23T19:17:00Z".
std::string FormatTimestamp(std::chrono::sys_seconds t);
// "25/11/2026 17:00": Vietnam time (UTC+7), as people here read a date and time.
std::string FormatVietnamDateTime(std::chrono::sys_seconds t);
// "20261125170000": Vietnam time as yyyyMMddHHmmss, as the national systems exchange it (the
// payment platform's ThoiGianGD, the national portal's dates).
std::string FormatVietnamCompact(std::chrono::sys_seconds t);
// Accepts "YYYY-MM-DD" (midnight Vietnam time) or "YYYY-MM-DDTHH:MM:SSZ" / "+07:00".
std::optional<std::chrono::sys_seconds> ParseTimestamp(std::string_view text);

}  // namespace tinhso::core
