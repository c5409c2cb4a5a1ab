// Every statement of the dvcqg module; portable to SQLite 3.40 and PostgreSQL 15.
#pragma once

#include <string_view>

namespace tinhso::dvcqg::sql {

inline constexpr std::string_view kStatusMap = R"(
SELECT local_status, national_status, updated_at, updated_by FROM dvcqg_status_map
ORDER BY local_status)";
inline constexpr std::string_view kSetStatus = R"(
INSERT INTO dvcqg_status_map (local_status, national_status, updated_at, updated_by)
VALUES (:local, :national, :now, :by)
ON CONFLICT (local_status) DO UPDATE
SET national_status = :national2, updated_at = :now2, updated_by = :by2)";
inline constexpr std::string_view kRemoveStatus =
    "DELETE FROM dvcqg_status_map WHERE local_status = :local";

}  // namespace tinhso::dvcqg::sql
