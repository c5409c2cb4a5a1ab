// Every statement the calendar module runs, portable to SQLite ≥ 3.35 and PostgreSQL.
#pragma once

#include <string_view>

namespace tinhso::calendar::sql {

inline constexpr std::string_view kSelectAll = R"(
SELECT date, kind, name_vi, name_en, note
FROM calendar_overrides ORDER BY date)";

// :from and :to are "YYYY-MM-DD": text order is date order.
inline constexpr std::string_view kSelectRange = R"(
SELECT date, kind, name_vi, name_en, note
FROM calendar_overrides WHERE date >= :from AND date <= :to ORDER BY date)";

inline constexpr std::string_view kSelectOne = R"(
SELECT date, kind, name_vi, name_en, note
FROM calendar_overrides WHERE date = :date)";

// One row per date: a new decision for a date replaces the old one (the audit log keeps it).
inline constexpr std::string_view kUpsert = R"(
INSERT INTO calendar_overrides (date, kind, name_vi, name_en, note, created_by, created_at)
VALUES (:date, :kind, :name_vi, :name_en, :note, :created_by, :created_at)
ON CONFLICT (date) DO UPDATE SET
  kind = excluded.kind, name_vi = excluded.name_vi, name_en = excluded.name_en,
  note = excluded.note, created_by = excluded.created_by, created_at = excluded.created_at)";

inline constexpr std::string_view kDelete = R"(
DELETE FROM calendar_overrides WHERE date = :date
RETURNING date, kind, name_vi, name_en, note)";

}  // namespace tinhso::calendar::sql
