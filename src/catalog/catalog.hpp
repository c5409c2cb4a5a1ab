// The procedure catalog (danh mục thủ tục hành chính): what each procedure (TTHC) needs, who
// settles it, how long it may take, what it costs and the steps it goes through. The catalog
// is data (data/catalog/*.json, imported with `tinhso catalog import`), never code: the
// dossiers module reads these plain structs and knows no procedure by name.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/actor.hpp"
#include "core/clock.hpp"
#include "core/result.hpp"
#include "storage/database.hpp"

namespace boost::json {
class object;
class value;
}  // namespace boost::json
namespace tinhso::http {
class Router;
}
namespace tinhso::auth {
class Policy;
}

namespace tinhso::catalog {

/// The unit of a statutory processing time.
enum class TimeUnit { kWorkingDays, kDays, kHours };
std::string_view TimeUnitName(TimeUnit unit);  // "working_days", "days", "hours"

struct ProcessingTime {
  double value = 0;  ///< 0 means the result is returned at once (trả ngay)
  TimeUnit unit = TimeUnit::kWorkingDays;

  bool operator==(const ProcessingTime&) const = default;
};

/// One fee or charge (phí, lệ phí), in đồng.
struct Fee {
  std::string code;
  std::string name;
  std::string kind;  ///< "phi" or "le_phi"
  std::int64_t amount = 0;
  std::string note;  ///< e.g. who is exempt
  /// Charged per unit (e.g. "bản sao"): `amount` is the price of one, and the form's number
  /// field `quantity_field` says how many (at least one). Empty: charged once.
  std::string unit;
  std::string quantity_field;
  /// The officer who asks for the fees sets this one's amount (a rate by scale, a charge counted
  /// at the result); a fixed fee is never edited.
  bool adjustable = false;

  bool operator==(const Fee&) const = default;
};

/// One required paper of the dossier (thành phần hồ sơ).
struct Component {
  std::string code;  ///< unique within the procedure ("TP1")
  std::string name;
  int originals = 0;  ///< bản chính
  int certified = 0;  ///< bản sao chứng thực
  int copies = 0;     ///< bản chụp
  bool required = true;
  /// Accepted file types, checked by content: "pdf", "jpg", "png", "docx", "xml". Empty = pdf.
  std::vector<std::string> file_types;

  bool operator==(const Component&) const = default;
};

/// One field of the electronic form (tờ khai điện tử).
struct FormField {
  std::string name;  ///< [a-z][a-z0-9_]*, unique within the form
  std::string label_vi;
  std::string label_en;
  /// "text", "textarea", "date" (YYYY-MM-DD), "number", "select", "boolean", "cccd" (12-digit
  /// citizen id with a valid province/century prefix), "tax_code", "phone", "email".
  std::string type;
  bool required = false;
  int max_length = 0;                ///< text types; 0 = 500
  std::optional<double> min;         ///< number
  std::optional<double> max;         ///< number
  std::vector<std::string> options;  ///< select: the allowed values

  bool operator==(const FormField&) const = default;
};

/// Who settles a dossier. "kind" is an agency kind (agencies::Agency::kind): "commune_pc"
/// means the commune-level people's committee of the applicant's locality; a "sector" names a
/// provincial department through the catalog's sector table ("tu_phap" → Sở Tư pháp).
struct AgencyRef {
  /// "commune" (the commune-level committee of the applicant's locality: kinds commune_pc,
  /// ward_pc, township_pc), "department" (with sector), "province_pc", and in steps also
  /// "receiving" (where the dossier was received) and "competent" (the competent agency).
  std::string kind;
  std::string sector;  ///< with kind "department" (and for liên thông steps)

  bool operator==(const AgencyRef&) const = default;
};

/// One step of the workflow (quy trình nội bộ / liên thông).
struct Step {
  std::string code;  ///< unique within the procedure ("tiep_nhan", "tham_dinh", "phe_duyet")
  std::string name;  ///< Vietnamese, printed on the control sheet (Mẫu 05)
  std::string name_en;
  std::string role;  ///< auth role that performs it: "reception", "officer", "leader", "clerk"
  AgencyRef agency;  ///< kind "receiving", "competent", or an explicit kind/sector
  double share = 0;  ///< its share of the statutory time, 0..1; shares sum to 1
  /// "normal", "consultation" (xin ý kiến) or "interagency" (liên thông)
  std::string kind = "normal";

  bool operator==(const Step&) const = default;
};

struct Procedure {
  std::string code;  ///< national TTHC code, e.g. "1.001193"
  std::string name;
  std::string name_en;
  std::string field_code;    ///< lĩnh vực, e.g. "HT"
  std::string field_name;    ///< "Hộ tịch"
  std::string level;         ///< "province" or "commune"
  AgencyRef competent;       ///< the competent agency (kind + sector)
  std::string online_level;  ///< "full" (toàn trình) or "partial" (một phần)
  ProcessingTime processing_time;
  std::vector<Fee> fees;
  std::vector<Component> components;
  std::vector<FormField> form;
  std::vector<std::string> results;      ///< result documents (giấy tờ kết quả)
  std::vector<std::string> legal_basis;  ///< căn cứ pháp lý
  std::vector<Step> steps;               ///< in order; the first is reception
  bool active = true;
  /// False when the national code has not been checked against the national database
  /// (csdl.dichvucong.gov.vn): data/catalog/README.md lists which are.
  bool code_confirmed = true;
  /// Set by Service (1 on first import, +1 on every import that changes the procedure) and
  /// written by ToJson when updated_at is set; Import ignores both when comparing.
  std::int64_t version = 1;
  core::Seconds updated_at{};

  std::int64_t TotalFee() const;
  /// The fees of a dossier with these form answers ({"field": value}): each fee's amount times
  /// its quantity field's value (at least 1) when it is charged per unit.
  std::int64_t FeeFor(const boost::json::object& answers) const;
  /// How many units of `fee` the answers ask for: 1 unless it is charged per unit.
  std::int64_t Quantity(const Fee& fee, const boost::json::object& answers) const;
  /// Whether an officer may set the amount when asking for the fees (a fee is adjustable).
  bool FeeAdjustable() const;
  const Component* FindComponent(std::string_view code) const;
  /// Whether a dossier needs the applicant's commune: the competent agency is a commune, or any
  /// step goes to one (a provincial procedure that asks the commune's opinion). Submissions then
  /// name it, and routing resolves those steps to it.
  bool NeedsCommune() const;

  bool operator==(const Procedure&) const = default;
};

/// A provincial department a sector stands for, in the province this catalog serves.
struct Sector {
  std::string code;         ///< "tu_phap"
  std::string name;         ///< "Sở Tư pháp"
  std::string agency_code;  ///< resolved with agencies::Service::Resolve at routing time
  std::string name_en;      ///< "Department of Justice"; optional

  bool operator==(const Sector&) const = default;
};

struct Catalog {
  std::vector<Sector> sectors;
  std::vector<Procedure> procedures;

  bool operator==(const Catalog&) const = default;
};

/// Parses and validates a catalog document. Errors: kInvalidArgument "catalog.invalid" whose
/// messages name the procedure code and the field ("Thủ tục 1.001193, trường
/// steps[2].share: …"); every problem found is listed in Error::detail, one per line.
/// Who decides, as the portal names it: the competent sector's department (`sector`, the one
/// p.competent.sector names; may be null), or the level's people's committee. Empty when the
/// sector is unknown.
struct AgencyName {
  std::string vi;
  std::string en;
};
AgencyName CompetentName(const Procedure& p, const Sector* sector);

Result<Catalog> Parse(std::string_view json_text);
/// The inverse of Parse (stable field order, pretty-printed): Parse(ToJson(c)) == c.
std::string ToJson(const Catalog& catalog);

/// Validates one answer to a procedure's form: {"field": value, …}. Unknown fields, missing
/// required fields, wrong types, bad CCCD numbers, too-long text, options not in the list all
/// fail with kInvalidArgument "dossier.form_invalid", naming the field in both languages.
/// `this_year` is the current year in Vietnam by the caller's clock: a CCCD (in a "cccd" or
/// "tax_code" field) whose digits give a later birth year is refused.
Result<void> ValidateForm(const Procedure& procedure, std::string_view form_json, int this_year);

/// One problem of one answer, worded for the person filling the form, to be shown under the
/// field: "Nhập họ tên trẻ", "Số định danh cá nhân phải là …". ValidateForm's checks, so the
/// portal states each format (CCCD, tax code, phone…) as the server checks it.
struct FieldProblem {
  std::string field;  ///< the form field's name ("" when the form cannot be read at all)
  std::string message_vi;
  std::string message_en;

  bool operator==(const FieldProblem&) const = default;
};
/// The first problem of each field of the procedure's form, in the form's order.
std::vector<FieldProblem> CheckForm(const Procedure& procedure, std::string_view form_json,
                                    int this_year);
/// The first problem of one answer (nullptr: not answered, as null or blank text), if any.
std::optional<FieldProblem> CheckAnswer(const FormField& field, const boost::json::value* answer,
                                        int this_year);

struct ImportStats {
  int created = 0;    ///< procedures new to the store (version 1)
  int updated = 0;    ///< procedures whose content changed (version + 1)
  int unchanged = 0;  ///< procedures identical to the stored version
  int sectors = 0;    ///< sectors created or changed
};

/// The stored catalog. Thread-safe; reads are served from an in-memory copy refreshed after
/// every import (procedures change a few times a year, dossiers read them constantly). The copy
/// is loaded on first use, and re-checked against the database at most once a minute (one
/// one-row query), so an import by another process (`tinhso catalog import`) shows within a
/// minute; Refresh() reloads at once.
class Service {
 public:
  Service(storage::Database& db, const core::Clock& clock);

  /// Upserts every procedure and sector of `catalog` in one transaction with one audit entry
  /// ("catalog.import"); procedures not in the document stay ("active": false retires one).
  /// Bumps the version of each changed procedure and keeps every version's document in
  /// procedure_versions. An import that changes nothing writes nothing, not even an audit
  /// entry. `catalog` must be valid (as Parse returns it): kInvalidArgument "catalog.invalid"
  /// otherwise.
  Result<ImportStats> Import(const Catalog& catalog, const core::Actor& actor);
  /// Everything stored, active or not, sorted by code, with versions and times: ToJson of it
  /// imports back unchanged.
  Result<Catalog> Export() const;

  /// Any stored procedure, active or not. Errors: kNotFound "catalog.procedure_not_found",
  /// storage errors if the copy cannot be loaded.
  Result<Procedure> Get(std::string_view code) const;
  /// The same without a copy: a view into the current in-memory catalog, kept alive by the
  /// pointer (for hot paths that read a procedure on every request). Same errors as Get.
  Result<std::shared_ptr<const Procedure>> Find(std::string_view code) const;
  /// Active procedures matching `query`, best first: a code prefix ("1.00"), or what a
  /// citizen types: words of the name, English name, field, competent department or level,
  /// with or without diacritics, in any case and punctuation ("khai sinh", "so van hoa"), in a
  /// sentence whose small talk need not match ("tôi muốn làm giấy khai sinh cho con"), with
  /// slips forgiven when nothing matches as typed: typing slips ("kahi"), Telex keystrokes
  /// ("sinhf"), sound-alike spellings ("kai", "dam ho" for "giám hộ"), two words glued
  /// ("khaisinh"). Only the procedures that match the most words with the fewest slips are
  /// answered; then words in the name first, shorter names first (the plain procedure before
  /// the combined ones), then by code. The rules are in catalog/search.hpp; the queries they
  /// must answer in tests/catalog/search_queries.tsv. `field` is a field code ("HT"),
  /// `level` "province" or "commune"; empty = any.
  std::vector<Procedure> List(std::string_view query = {}, std::string_view field = {},
                              std::string_view level = {}) const;
  /// Every stored procedure, active or not, in code order, without copies: views into the
  /// current in-memory catalog, kept alive by the pointers (for hot paths: the work queues'
  /// conditions are built from it on every dossier list). Empty if the copy cannot be loaded.
  std::vector<std::shared_ptr<const Procedure>> All() const;

  /// The generation of the in-memory catalog: it moves with every import that changes something,
  /// here or in another process (seen within a minute), so that what is made from the catalog
  /// can be kept until it moves.
  Result<std::int64_t> Generation() const;

  /// The in-memory catalog as one consistent whole: its generation, its sectors and every stored
  /// procedure (active or not) in code order, without copies of the procedures.
  struct View {
    std::int64_t generation = 0;
    std::vector<Sector> sectors;
    std::vector<std::shared_ptr<const Procedure>> procedures;
  };
  Result<View> Current() const;
  /// Errors: kNotFound "catalog.sector_not_found".
  Result<Sector> GetSector(std::string_view code) const;
  /// Reloads the in-memory copy from the database.
  Result<void> Refresh() const;

 private:
  struct State;
  storage::Database& db_;
  const core::Clock& clock_;
  std::shared_ptr<State> state_;
};

/// Reads, parses and imports a file. Errors: kNotFound "catalog.file_missing", Parse's errors.
Result<ImportStats> ImportFile(Service& service, const std::filesystem::path& file,
                               const core::Actor& actor);

/// GET /api/v1/procedures (?q, field, level), GET /api/v1/procedures/{code},
/// GET /api/v1/procedures/{code}/form ("public.catalog"); POST /api/v1/procedures/import
/// ("catalog.manage", an upload route: the body is the catalog document; a 400 answer for an
/// invalid document lists every problem in error.problems).
void RegisterRoutes(http::Router& router, Service& service);

}  // namespace tinhso::catalog
