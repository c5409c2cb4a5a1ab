// The agencies module's API types (http/api.hpp): what its routes read and answer, described
// once for the parser, the renderer and the OpenAPI document. The agency and reorganisation
// views are also the data of their audit entries (json_io.cpp).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "agencies/agencies.hpp"
#include "http/api.hpp"

namespace tinhso::agencies {

// ---- Agencies -------------------------------------------------------------------------------

struct AgencyAncestor {
  std::int64_t id = 0;
  std::string code;
  std::string name;
};
TINHSO_API_STRUCT(AgencyAncestor, (id, code, name))

struct AgencyView {
  std::int64_t id = 0;
  std::string code;                        // QĐ 20/2020 form ("H55.12")
  http::Nullable<std::string> code_qcvn;   // the same in QCVN 102 form, when it fits
  bool code_confirmed = false;             // checked against the official list
  http::Nullable<std::int64_t> parent_id;  // null for a root
  std::string name;
  std::string name_en;
  std::string short_name;
  std::string kind;  // data, not an enum: "province_pc", "department", "commune_pc", …
  int level = 1;     // depth in the current tree: 1 for a root
  std::string address;
  std::string phone;
  std::string email;
  std::string website;
  http::Date valid_from;
  http::Nullable<http::Date> valid_to;  // the effective date of the reorganisation that closed it
  bool current = true;
  std::int64_t version = 1;
  http::Timestamp created_at;
  http::Timestamp updated_at;
  // GET /api/v1/agencies/{id} only: the current ancestors, root first.
  std::optional<std::vector<AgencyAncestor>> ancestors;
};
TINHSO_API_STRUCT(AgencyView, (id, code, code_qcvn, code_confirmed, parent_id, name, name_en,
                               short_name, kind, level, address, phone, email, website, valid_from,
                               valid_to, current, version, created_at, updated_at, ancestors))

// GET /api/v1/agencies
struct AgencyListQuery {
  std::optional<http::Text<200>> q;  // words of the name, diacritics optional ("cho don")
  std::optional<http::Text<40>> kind;
  std::optional<std::int64_t> parent;               // children of this agency (at `at`)
  std::optional<http::Bounded<int, 1, 100>> level;  // depth in today's tree
  std::optional<http::Date> at;                     // agencies valid on this date; default: today's
  http::PageLimit limit = 50;
  http::PageOffset offset = 0;
};
TINHSO_API_STRUCT(AgencyListQuery, (q, kind, parent, level, at, limit, offset))

// GET /api/v1/agencies/resolve/{code}
struct AgencyResolution {
  std::string code;  // the code asked for, in QĐ 20/2020 form
  std::int64_t holder_id = 0;
  bool redirected = false;         // the code is old, or its holder was merged or split away
  std::vector<std::int64_t> path;  // the holder, then each primary successor followed
  AgencyView agency;               // the current agency the code leads to
};
TINHSO_API_STRUCT(AgencyResolution, (code, holder_id, redirected, path, agency))

// POST /api/v1/agencies, and a new agency a reorganisation creates (its valid_from is then the
// effective date).
struct NewAgencyInput {
  http::Text<40> code;  // either notation
  http::Text<300> name;
  http::Text<40> kind;
  std::optional<std::int64_t> parent_id;
  std::optional<http::Text<300>> name_en;
  std::optional<http::Text<300>> short_name;
  std::optional<http::Text<300>> address;
  std::optional<http::Text<50>> phone;
  std::optional<http::Text<300>> email;
  std::optional<http::Text<300>> website;
  std::optional<http::Date> valid_from;  // default: today in Vietnam
  std::optional<bool> code_confirmed;    // default: false
};
TINHSO_API_STRUCT(NewAgencyInput, (code, name, kind, parent_id, name_en, short_name, address, phone,
                                   email, website, valid_from, code_confirmed))

// A field PUT /api/v1/agencies/{id} refuses with a value: codes, parents and validity change
// only through a recorded reorganisation (Codec below).
struct ReorganisationOnly {};

// PUT /api/v1/agencies/{id}: the fields given change, the others stay.
struct AgencyUpdateInput {
  std::int64_t version = 0;  // the version read: a stale one is refused (409)
  std::optional<http::Text<300>> name;
  std::optional<http::Text<300>> name_en;
  std::optional<http::Text<300>> short_name;
  std::optional<http::Text<40>> kind;
  std::optional<http::Text<300>> address;
  std::optional<http::Text<50>> phone;
  std::optional<http::Text<300>> email;
  std::optional<http::Text<300>> website;
  std::optional<bool> code_confirmed;
  std::optional<ReorganisationOnly> code;
  std::optional<ReorganisationOnly> parent_id;
  std::optional<ReorganisationOnly> valid_from;
  std::optional<ReorganisationOnly> valid_to;
};
TINHSO_API_STRUCT(AgencyUpdateInput,
                  (version, name, name_en, short_name, kind, address, phone, email, website,
                   code_confirmed, code, parent_id, valid_from, valid_to))

// ---- Reorganisations --------------------------------------------------------------------------

enum class ReorganisationKind { kMerge, kSplit, kRename, kMove };
BOOST_DESCRIBE_ENUM(ReorganisationKind, kMerge, kSplit, kRename, kMove)

// One receiving agency of a split: an existing one (agency_id) or one to create (new_agency),
// exactly one of the two.
struct SplitTargetInput {
  std::optional<std::int64_t> agency_id;
  std::optional<NewAgencyInput> new_agency;
  std::optional<bool> primary;  // exactly one target is primary: it gets everything not listed
  std::optional<std::vector<std::int64_t>> children;  // current children of the source to move
  std::optional<std::vector<http::Text<100>>> work;   // kinds of open work ("users", "dossiers")
};
TINHSO_API_STRUCT(SplitTargetInput, (agency_id, new_agency, primary, children, work))
inline constexpr std::string_view ApiSchemaDescription(const SplitTargetInput*) {
  return "Đúng một trong agency_id (cơ quan có sẵn) và new_agency (cơ quan lập mới). / Exactly "
         "one of agency_id (an existing agency) and new_agency (one to create).";
}

// POST /api/v1/agencies/reorganisations[/preview]. One body for the four kinds: `kind`, the
// decision fields, then the fields of that kind, as ApiSchemaDescription says (ToOperation in
// routes.cpp refuses a missing one, naming it; the fields of other kinds are ignored).
struct ReorganisationInput {
  ReorganisationKind kind = ReorganisationKind::kMerge;
  http::Date effective_date;  // first day of the new arrangement; not after today
  http::Text<500> decision;   // the legal basis, e.g. "Nghị quyết 202/2025/QH15"
  std::optional<http::Text<2000>> note;
  std::optional<bool> confirmed;  // default true; false: not yet checked against the legal text
  std::optional<http::Text<200>> external_ref;  // idempotency key: recorded once
  // merge
  std::optional<std::vector<std::int64_t>> sources;
  std::optional<std::int64_t> target_id;
  std::optional<NewAgencyInput> new_target;
  // split
  std::optional<std::int64_t> source_id;
  std::optional<std::vector<SplitTargetInput>> targets;
  // rename and move
  std::optional<std::int64_t> agency_id;
  // rename
  std::optional<http::Text<300>> name;
  std::optional<http::Text<300>> name_en;
  std::optional<http::Text<300>> short_name;
  std::optional<http::Text<40>> new_kind;
  std::optional<http::Text<40>> code;  // either notation; the old code keeps resolving
  std::optional<bool> code_confirmed;
  // move
  std::optional<std::int64_t> parent_id;
};
TINHSO_API_STRUCT(ReorganisationInput,
                  (kind, effective_date, decision, note, confirmed, external_ref, sources,
                   target_id, new_target, source_id, targets, agency_id, name, name_en, short_name,
                   new_kind, code, code_confirmed, parent_id))
inline constexpr std::string_view ApiSchemaDescription(const ReorganisationInput*) {
  return "Các trường cần theo loại (kind): merge: sources, và target_id hoặc new_target (đúng "
         "một); split: source_id, targets; rename: agency_id, và các trường đổi (name, name_en, "
         "short_name, new_kind, code, code_confirmed); move: agency_id, parent_id (cơ quan cấp "
         "trên mới). Trường của loại khác bị bỏ qua. / The fields each kind needs: merge: "
         "sources, and target_id or new_target (exactly one); split: source_id, targets; rename: "
         "agency_id, and the fields that change (name, name_en, short_name, new_kind, code, "
         "code_confirmed); move: agency_id, parent_id (the new parent). The fields of other "
         "kinds are ignored.";
}

TINHSO_API_STRUCT(ReorganisationAgency, (agency_id, code, name, role, primary))
TINHSO_API_STRUCT(ChildMove, (agency_id, code, from_parent_id, to_parent_id))
TINHSO_API_STRUCT(WorkMove, (kind, from_agency_id, to_agency_id, count))

struct ReorganisationCode {
  std::string code;
  http::Nullable<std::string> code_qcvn;
  std::int64_t agency_id = 0;
  std::int64_t resolves_to_id = 0;
};
TINHSO_API_STRUCT(ReorganisationCode, (code, code_qcvn, agency_id, resolves_to_id))

// A recorded reorganisation, or what one would do (preview: id null, the ids of the agencies it
// would create provisional, nothing changed).
struct ReorganisationView {
  http::Nullable<std::int64_t> id;
  bool preview = false;
  ReorganisationKind kind = ReorganisationKind::kMerge;
  http::Date effective_date;
  std::string decision;
  std::string note;
  bool confirmed = true;
  http::Nullable<std::string> external_ref;
  std::int64_t created_by = 0;
  http::Timestamp created_at;
  std::vector<ReorganisationAgency> agencies;
  std::vector<ChildMove> children;
  std::vector<WorkMove> moves;  // open work moved; re-parented agencies count as kind "children"
  std::vector<ReorganisationCode> codes;  // codes that stop being current
};
TINHSO_API_STRUCT(ReorganisationView,
                  (id, preview, kind, effective_date, decision, note, confirmed, external_ref,
                   created_by, created_at, agencies, children, moves, codes))

// GET /api/v1/agencies/reorganisations
struct ReorganisationListQuery {
  http::PageLimit limit = 50;
  http::PageOffset offset = 0;
  std::optional<std::int64_t> agency_id;  // only those this agency took part in
};
TINHSO_API_STRUCT(ReorganisationListQuery, (limit, offset, agency_id))

AgencyView ToApi(const Agency& a);
ReorganisationView ToApi(const Reorganisation& r);
AgencyResolution ToApi(const Resolution& r);

}  // namespace tinhso::agencies

namespace tinhso::http {

template <>
struct Codec<agencies::ReorganisationOnly> {
  static void Schema(SchemaSet&, boost::json::object& out);
  static Result<void> Read(const boost::json::value& v, const std::string& field,
                           agencies::ReorganisationOnly& out);
};

}  // namespace tinhso::http
