// The catalog's API types (http/api.hpp): what its routes read and answer. A procedure as GET
// /procedures/{code} and /form answer it is typed here; the catalog document (export and import)
// is still a plain object: it is the file format of data/catalog/README.md (document.cpp).
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

// One fee or charge, in đồng.
struct ProcedureFee {
  std::string code;
  std::string name;
  std::string kind;  // "phi" (a fee) or "le_phi" (a charge)
  std::int64_t amount = 0;
  std::string note;            // who is exempt, say; "" for none
  std::string unit;            // charged per unit ("bản sao"): amount is one unit's; "" = once
  std::string quantity_field;  // the form's number field that counts the units
  bool adjustable = false;     // the officer sets the amount when asking for the fees
};
TINHSO_API_STRUCT(ProcedureFee, (code, name, kind, amount, note, unit, quantity_field, adjustable))

// One paper of the dossier (thành phần hồ sơ).
struct ProcedureComponent {
  std::string code;
  std::string name;
  int originals = 0;  // bản chính
  int certified = 0;  // bản sao chứng thực
  int copies = 0;     // bản photo
  bool required = true;
  std::vector<std::string> file_types;  // "pdf", "jpg", "png", "docx", "xml"; empty: pdf
};
TINHSO_API_STRUCT(ProcedureComponent,
                  (code, name, originals, certified, copies, required, file_types))

// One field of the electronic form (tờ khai điện tử).
struct ProcedureFormField {
  std::string name;
  std::string label_vi;
  std::string label_en;
  // "text", "textarea", "date", "number", "select", "boolean", "cccd", "tax_code", "phone",
  // "email"
  std::string type;
  bool required = false;
  std::optional<int> max_length;     // text types; absent: 500
  std::optional<double> min;         // number
  std::optional<double> max;         // number
  std::vector<std::string> options;  // select: the allowed values
};
TINHSO_API_STRUCT(ProcedureFormField,
                  (name, label_vi, label_en, type, required, max_length, min, max, options))

// An agency a step names: "receiving", "competent", "commune", "province_pc", or "department"
// with its sector.
struct StepAgency {
  std::string kind;
  std::optional<std::string> sector;
};
TINHSO_API_STRUCT(StepAgency, (kind, sector))

// One step of the workflow.
struct ProcedureStep {
  std::string code;
  std::string name;
  std::string name_en;
  std::string role;  // "reception", "officer", "leader", "clerk"
  StepAgency agency;
  double share = 0;  // its share of the processing time, 0..1
  std::string kind;  // "normal", "consultation" or "interagency"
};
TINHSO_API_STRUCT(ProcedureStep, (code, name, name_en, role, agency, share, kind))

// GET /api/v1/procedures/{code}: everything about one procedure.
struct ProcedureDetail {
  std::string code;
  std::string name;
  std::string name_en;
  bool code_confirmed = true;  // false: the national code is not checked yet
  bool active = true;
  std::int64_t version = 0;
  std::optional<http::Timestamp> updated_at;  // absent when not recorded
  ProcedureField field;
  std::string level;  // "province" or "commune"
  bool needs_commune = false;
  CompetentAgency competent;
  std::string online_level;  // "full" or "partial"
  ProcessingTime processing_time;
  std::int64_t total_fee = 0;
  std::vector<ProcedureFee> fees;
  std::vector<ProcedureComponent> components;
  std::vector<ProcedureFormField> form;
  std::vector<std::string> results;
  std::vector<std::string> legal_basis;
  std::vector<ProcedureStep> steps;
};
TINHSO_API_STRUCT(ProcedureDetail,
                  (code, name, name_en, code_confirmed, active, version, updated_at, field, level,
                   needs_commune, competent, online_level, processing_time, total_fee, fees,
                   components, form, results, legal_basis, steps))

// GET /api/v1/procedures/{code}/form: what the submission page needs.
struct ProcedureForm {
  std::string code;
  std::int64_t version = 0;
  std::string name;
  std::string name_en;
  bool needs_commune = false;  // the submission names the applicant's commune
  std::vector<ProcedureFormField> form;
  std::vector<ProcedureComponent> components;
  std::vector<ProcedureFee> fees;
};
TINHSO_API_STRUCT(ProcedureForm,
                  (code, version, name, name_en, needs_commune, form, components, fees))

struct ProcedureList {
  std::int64_t count = 0;
  std::vector<ProcedureSummary> items;
};
TINHSO_API_STRUCT(ProcedureList, (count, items))

}  // namespace tinhso::catalog
