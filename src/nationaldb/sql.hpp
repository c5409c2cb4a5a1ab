// Every statement of the shared categories, portable to SQLite and PostgreSQL.
#pragma once

#include <string_view>

namespace tinhso::nationaldb::sql {

inline constexpr std::string_view kCategories =
    "SELECT code, name, name_en, description FROM categories ORDER BY code";

inline constexpr std::string_view kCategory =
    "SELECT code, name, name_en, description FROM categories WHERE code = :code";

inline constexpr std::string_view kInsertCategory = R"(
INSERT INTO categories (code, name, name_en, description, created_at, updated_at)
VALUES (:code, :name, :name_en, :description, :now, :now))";

inline constexpr std::string_view kUpdateCategory = R"(
UPDATE categories SET name = :name, name_en = :name_en, description = :description,
  updated_at = :now
WHERE code = :code)";

// Versions with the number of items valid on each one's first day.
inline constexpr std::string_view kVersions = R"(
SELECT v.version, v.valid_from, v.decision, v.note, v.created_at,
  (SELECT COUNT(*) FROM category_items i WHERE i.category = v.category
     AND i.valid_from <= v.valid_from AND (i.valid_to IS NULL OR i.valid_to > v.valid_from))
FROM category_versions v WHERE v.category = :category ORDER BY v.valid_from, v.id)";

inline constexpr std::string_view kVersionExists =
    "SELECT 1 FROM category_versions WHERE category = :category AND version = :version";

inline constexpr std::string_view kInsertVersion = R"(
INSERT INTO category_versions (category, version, valid_from, decision, note, created_at)
VALUES (:category, :version, :valid_from, :decision, :note, :now))";

// The latest date the category records: history only grows after it.
inline constexpr std::string_view kLatestDate = R"(
SELECT MAX(d) FROM (
  SELECT valid_from AS d FROM category_versions WHERE category = :category
  UNION ALL SELECT valid_from FROM category_items WHERE category = :category
  UNION ALL SELECT valid_to FROM category_items WHERE category = :category
) AS dates)";

inline constexpr std::string_view kItemsOn = R"(
SELECT code, name, name_en, parent_code, unit_level, kind, abbreviation, valid_from, valid_to, id
FROM category_items
WHERE category = :category AND valid_from <= :on AND (valid_to IS NULL OR valid_to > :on)
ORDER BY code)";

// The rows still in force (valid_to NULL), which a new version or an edit may end.
inline constexpr std::string_view kOpenItems = R"(
SELECT code, name, name_en, parent_code, unit_level, kind, abbreviation, valid_from, valid_to, id
FROM category_items WHERE category = :category AND valid_to IS NULL ORDER BY code)";

inline constexpr std::string_view kInsertItem = R"(
INSERT INTO category_items (category, code, name, name_en, parent_code, unit_level, kind,
  abbreviation, valid_from, valid_to)
VALUES (:category, :code, :name, :name_en, :parent_code, :unit_level, :kind, :abbreviation,
  :valid_from, NULL))";

inline constexpr std::string_view kEndItem =
    "UPDATE category_items SET valid_to = :valid_to WHERE id = :id AND valid_to IS NULL";

}  // namespace tinhso::nationaldb::sql
