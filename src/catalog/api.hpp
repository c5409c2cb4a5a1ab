// The catalog's API types (http/api.hpp): what its routes read and answer. The procedure
// document itself (GET /procedures/{code}, /form, export and import) is still typed as a plain
// object: it is the catalog file format of data/catalog/README.md, written by document.cpp.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "catalog/catalog.hpp"
#include "http/api.hpp"

namespace tinhso::catalog {

BOOST_DESCRIBE_ENUM(TimeUnit, kWorkingDays, kDays, kHours)
TINHSO_API_STRUCT(ProcessingTime, (value, unit))
TINHSO_API_STRUCT(ImportStats, (created, updated, unchanged, sectors))

enum class ProcedureLevel { kProvince, kCommune };
BOOST_DESCRIBE_ENUM(ProcedureLevel, kProvince, kCommune)

// GET /api/v1/procedures
struct ProcedureListQuery {
  std::optional<http::Text<200>> q;      // words of the name or the code, diacritics optional
  std::optional<http::Text<100>> field;  // a field (lĩnh vực) code
  std::optional<ProcedureLevel> level;
};
TINHSO_API_STRUCT(ProcedureListQuery, (q, field, level))

struct ProcedureField {
  std::string code;
  std::string name;
};
TINHSO_API_STRUCT(ProcedureField, (code, name))

// Who decides, as the portal names it: the sector's department, or the level's committee.
struct CompetentAgency {
  std::string kind;
  std::string sector;
  std::optional<std::string> name;  // absent when the sector is unknown
  std::optional<std::string> name_en;
};
TINHSO_API_STRUCT(CompetentAgency, (kind, sector, name, name_en))

struct ProcedureSummary {
  std::string code;
  std::string name;
  std::string name_en;
  ProcedureField field;
  std::string level;  // "province" or "commune"
  bool needs_commune = false;
  std::string online_level;  // "full" or "partial"
  ProcessingTime processing_time;
  std::int64_t total_fee = 0;
  std::int64_t version = 0;
  CompetentAgency competent;
};
TINHSO_API_STRUCT(ProcedureSummary, (code, name, name_en, field, level, needs_commune, online_level,
                                     processing_time, total_fee, version, competent))

struct ProcedureList {
  std::int64_t count = 0;
  std::vector<ProcedureSummary> items;
};
TINHSO_API_STRUCT(ProcedureList, (count, items))

}  // namespace tinhso::catalog
