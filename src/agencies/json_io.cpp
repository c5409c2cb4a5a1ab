// The agencies' API views from their domain structs, and their JSON, shared by the routes and
// the audit entries.
#include "agencies/json_io.hpp"

#include "agencies/api.hpp"

namespace tinhso::agencies {

AgencyView ToApi(const Agency& a) {
  return {.id = a.id,
          .code = a.code,
          .code_qcvn = a.code_qcvn,
          .code_confirmed = a.code_confirmed,
          .parent_id = a.parent_id,
          .name = a.name,
          .name_en = a.name_en,
          .short_name = a.short_name,
          .kind = a.kind,
          .level = a.level,
          .address = a.address,
          .phone = a.phone,
          .email = a.email,
          .website = a.website,
          .valid_from = a.valid_from,
          .valid_to = a.valid_to,
          .current = a.current(),
          .version = a.version,
          .created_at = a.created_at,
          .updated_at = a.updated_at,
          .ancestors = std::nullopt};
}

ReorganisationView ToApi(const Reorganisation& r) {
  ReorganisationView v{
      .id = r.preview ? std::nullopt : std::optional(r.id),
      .preview = r.preview,
      .kind = ReorganisationKind::kMerge,
      .effective_date = r.effective_date,
      .decision = r.decision,
      .note = r.note,
      .confirmed = r.confirmed,
      .external_ref = r.external_ref.empty() ? std::nullopt : std::optional(r.external_ref),
      .created_by = r.created_by,
      .created_at = r.created_at,
      .agencies = r.agencies,
      .children = r.children,
      .moves = r.moves,
      .codes = {}};
  // The service writes one of the four names (Operation's alternatives).
  http::Codec<ReorganisationKind>::Find(r.kind, v.kind);
  v.codes.reserve(r.codes.size());
  for (const CodeChange& c : r.codes) {
    v.codes.push_back({.code = c.code,
                       .code_qcvn = c.code_qcvn,
                       .agency_id = c.agency_id,
                       .resolves_to_id = c.resolves_to_id});
  }
  return v;
}

AgencyResolution ToApi(const Resolution& r) {
  return {.code = r.code,
          .holder_id = r.holder_id,
          .redirected = r.redirected,
          .path = r.path,
          .agency = ToApi(r.agency)};
}

namespace internal {

boost::json::object AgencyToJson(const Agency& a) { return http::ToJson(ToApi(a)).as_object(); }

boost::json::object ReorganisationToJson(const Reorganisation& r) {
  return http::ToJson(ToApi(r)).as_object();
}

}  // namespace internal
}  // namespace tinhso::agencies

namespace tinhso::http {

void Codec<agencies::ReorganisationOnly>::Schema(SchemaSet&, boost::json::object& out) {
  out["not"] = boost::json::object{};
  out["description"] =
      "Chỉ thay đổi được qua một quyết định sắp xếp (POST /api/v1/agencies/reorganisations) / "
      "changes only through a recorded reorganisation";
}

Result<void> Codec<agencies::ReorganisationOnly>::Read(const boost::json::value&,
                                                       const std::string& field,
                                                       agencies::ReorganisationOnly&) {
  return json::FieldError(field,
                          "chỉ thay đổi được qua một quyết định sắp xếp "
                          "(POST /api/v1/agencies/reorganisations).",
                          "changes only through a recorded reorganisation "
                          "(POST /api/v1/agencies/reorganisations).");
}

}  // namespace tinhso::http
