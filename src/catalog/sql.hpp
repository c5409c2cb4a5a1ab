// Every statement the catalog module runs, portable to SQLite 3.40 and PostgreSQL 15.
// Parameter names are never repeated within one statement.
#pragma once

#include <string_view>

namespace tinhso::catalog::sql {

// Takes the head row lock (PostgreSQL; SQLite already holds the write lock) without changing
// it, so concurrent imports queue up and each compares against what the previous committed.
inline constexpr std::string_view kLockHead = R"(
UPDATE catalog_head SET generation = generation WHERE id = 1)";

inline constexpr std::string_view kBumpHead = R"(
UPDATE catalog_head SET generation = generation + 1 WHERE id = 1)";

inline constexpr std::string_view kHead = "SELECT generation FROM catalog_head WHERE id = 1";

inline constexpr std::string_view kSectorByCode = R"(
SELECT name, agency_code, name_en FROM catalog_sectors WHERE code = :code)";

inline constexpr std::string_view kInsertSector = R"(
INSERT INTO catalog_sectors (code, name, agency_code, name_en, updated_at)
VALUES (:code, :name, :agency_code, :name_en, :updated_at))";

inline constexpr std::string_view kUpdateSector = R"(
UPDATE catalog_sectors SET name = :name, agency_code = :agency_code, name_en = :name_en,
  updated_at = :updated_at
WHERE code = :code)";

inline constexpr std::string_view kAllSectors = R"(
SELECT code, name, agency_code, name_en FROM catalog_sectors ORDER BY code)";

inline constexpr std::string_view kProcedureByCode = R"(
SELECT document, version FROM procedures WHERE code = :code)";

inline constexpr std::string_view kInsertProcedure = R"(
INSERT INTO procedures (code, name, search_key, field_code, level, document, version, active,
                        created_at, updated_at)
VALUES (:code, :name, :search_key, :field_code, :level, :document, 1, :active, :created_at,
        :updated_at))";

inline constexpr std::string_view kUpdateProcedure = R"(
UPDATE procedures SET name = :name, search_key = :search_key, field_code = :field_code,
  level = :level, document = :document, version = :version, active = :active,
  updated_at = :updated_at
WHERE code = :code)";

inline constexpr std::string_view kInsertVersion = R"(
INSERT INTO procedure_versions (code, version, document, created_at, actor_id)
VALUES (:code, :version, :document, :created_at, :actor_id))";

inline constexpr std::string_view kAllProcedures = R"(
SELECT code, document, version, updated_at FROM procedures ORDER BY code)";

}  // namespace tinhso::catalog::sql
