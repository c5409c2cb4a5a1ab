// Thin HTTP handlers: parse, check the object against the policy, call the Service, render.
// The route-level action is checked by the server's Guard before a handler runs; handlers add
// the object-level check (which agency is touched) with Policy::Check.
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <functional>
#include <utility>

#include "agencies/agencies.hpp"
#include "agencies/json_io.hpp"
#include "core/json.hpp"
#include "core/parse.hpp"
#include "http/http.hpp"

namespace tinhso::agencies {
namespace {

namespace bj = boost::json;

constexpr std::string_view kPublicAction = "public.agencies";
constexpr std::string_view kManageAction = "agency.manage";
constexpr std::string_view kReorganiseAction = "agency.reorganise";

http::Response Json(int status, const bj::object& o) {
  return http::JsonResponse(status, json::Serialize(o));
}

// ---- request parsing ------------------------------------------------------------------------

Result<std::int64_t> PathId(const http::Context& context) {
  auto id = core::ParseInt64(context.Param("id"));
  if (!id || *id <= 0) {
    return json::FieldError("id", "phải là số nguyên dương.", "must be a positive integer.");
  }
  return *id;
}

Result<std::optional<std::int64_t>> QueryInt(const http::Request& request, std::string_view name) {
  auto text = request.Query(name);
  if (!text) return std::optional<std::int64_t>();
  auto v = core::ParseInt64(*text);
  if (!v) return json::FieldError(name, "phải là số nguyên.", "must be an integer.");
  return std::optional<std::int64_t>(*v);
}

Result<std::optional<Date>> ParseDateField(std::string_view field,
                                           const std::optional<std::string>& text) {
  if (!text) return std::optional<Date>();
  auto d = core::ParseDate(*text);
  if (!d) {
    return json::FieldError(field, "phải là ngày dạng YYYY-MM-DD.",
                            "must be a date written YYYY-MM-DD.");
  }
  return std::optional<Date>(*d);
}

Result<std::vector<std::int64_t>> IntArray(const bj::object& o, std::string_view field,
                                           bool required) {
  std::vector<std::int64_t> out;
  auto it = o.find(field);
  if (it == o.end() || it->value().is_null()) {
    if (required) return json::FieldError(field, "là bắt buộc.", "is required.");
    return out;
  }
  if (!it->value().is_array()) {
    return json::FieldError(field, "phải là mảng số nguyên.", "must be an array of integers.");
  }
  for (const auto& v : it->value().as_array()) {
    if (!v.is_int64() && !v.is_uint64()) {
      return json::FieldError(field, "phải là mảng số nguyên.", "must be an array of integers.");
    }
    out.push_back(v.to_number<std::int64_t>());
  }
  return out;
}

Result<const bj::object*> OptionalObject(const bj::object& o, std::string_view field) {
  auto it = o.find(field);
  if (it == o.end() || it->value().is_null()) return static_cast<const bj::object*>(nullptr);
  if (!it->value().is_object()) {
    return json::FieldError(field, "phải là đối tượng {…}.", "must be an object {…}.");
  }
  return &it->value().as_object();
}

Result<AgencyInput> ReadAgencyInput(const bj::object& o) {
  AgencyInput in;
  TINHSO_ASSIGN_OR_RETURN(in.code, json::RequiredString(o, "code", 40));
  TINHSO_ASSIGN_OR_RETURN(in.name, json::RequiredString(o, "name", 300));
  TINHSO_ASSIGN_OR_RETURN(in.kind, json::RequiredString(o, "kind", 40));
  TINHSO_ASSIGN_OR_RETURN(in.parent_id, json::OptionalInt(o, "parent_id"));
  TINHSO_ASSIGN_OR_RETURN(auto name_en, json::OptionalString(o, "name_en", 300));
  TINHSO_ASSIGN_OR_RETURN(auto short_name, json::OptionalString(o, "short_name", 300));
  TINHSO_ASSIGN_OR_RETURN(auto address, json::OptionalString(o, "address", 300));
  TINHSO_ASSIGN_OR_RETURN(auto phone, json::OptionalString(o, "phone", 50));
  TINHSO_ASSIGN_OR_RETURN(auto email, json::OptionalString(o, "email", 300));
  TINHSO_ASSIGN_OR_RETURN(auto website, json::OptionalString(o, "website", 300));
  TINHSO_ASSIGN_OR_RETURN(auto valid_from, json::OptionalString(o, "valid_from", 10));
  TINHSO_ASSIGN_OR_RETURN(in.valid_from, ParseDateField("valid_from", valid_from));
  TINHSO_ASSIGN_OR_RETURN(in.code_confirmed, json::OptionalBool(o, "code_confirmed", false));
  in.name_en = name_en.value_or("");
  in.short_name = short_name.value_or("");
  in.address = address.value_or("");
  in.phone = phone.value_or("");
  in.email = email.value_or("");
  in.website = website.value_or("");
  return in;
}

Result<std::optional<bool>> TriBool(const bj::object& o, std::string_view field) {
  if (!o.contains(field)) return std::optional<bool>();
  TINHSO_ASSIGN_OR_RETURN(bool v, json::OptionalBool(o, field, false));
  return std::optional<bool>(v);
}

Result<OperationInfo> ReadInfo(const bj::object& o) {
  OperationInfo info;
  TINHSO_ASSIGN_OR_RETURN(auto date_text, json::RequiredString(o, "effective_date", 10));
  TINHSO_ASSIGN_OR_RETURN(auto date, ParseDateField("effective_date", date_text));
  info.effective_date = *date;
  TINHSO_ASSIGN_OR_RETURN(info.decision, json::RequiredString(o, "decision", 500));
  TINHSO_ASSIGN_OR_RETURN(auto note, json::OptionalString(o, "note", 2000));
  info.note = note.value_or("");
  TINHSO_ASSIGN_OR_RETURN(info.confirmed, json::OptionalBool(o, "confirmed", true));
  TINHSO_ASSIGN_OR_RETURN(auto ref, json::OptionalString(o, "external_ref", 200));
  info.external_ref = ref.value_or("");
  return info;
}

// {"agency_id": 5} or {"new_agency": {...}} (and "target_id"/"new_target" for merges).
Result<TargetRef> ReadTarget(const bj::object& o, std::string_view id_field,
                             std::string_view new_field) {
  TargetRef ref;
  TINHSO_ASSIGN_OR_RETURN(ref.agency_id, json::OptionalInt(o, id_field));
  TINHSO_ASSIGN_OR_RETURN(auto created, OptionalObject(o, new_field));
  if (ref.agency_id.has_value() == (created != nullptr)) {
    return json::FieldError(id_field,
                            "hoặc " + std::string(new_field) + ": phải có đúng một trong hai.",
                            "or " + std::string(new_field) + ": exactly one must be given.");
  }
  if (created) {
    TINHSO_ASSIGN_OR_RETURN(auto input, ReadAgencyInput(*created));
    ref.create = std::move(input);
  }
  return ref;
}

Result<Operation> ReadOperation(const bj::object& o) {
  TINHSO_ASSIGN_OR_RETURN(auto kind, json::RequiredString(o, "kind", 20));
  TINHSO_ASSIGN_OR_RETURN(auto info, ReadInfo(o));
  if (kind == "merge") {
    MergeInput in{.info = std::move(info)};
    TINHSO_ASSIGN_OR_RETURN(in.source_ids, IntArray(o, "sources", true));
    TINHSO_ASSIGN_OR_RETURN(in.target, ReadTarget(o, "target_id", "new_target"));
    return Operation(std::move(in));
  }
  if (kind == "split") {
    SplitInput in{.info = std::move(info)};
    TINHSO_ASSIGN_OR_RETURN(in.source_id, json::RequiredInt(o, "source_id"));
    auto it = o.find("targets");
    if (it == o.end() || !it->value().is_array()) {
      return json::FieldError("targets", "là bắt buộc và phải là mảng.",
                              "is required and must be an array.");
    }
    for (const auto& v : it->value().as_array()) {
      if (!v.is_object()) {
        return json::FieldError("targets", "phải là mảng đối tượng.",
                                "must be an array of objects.");
      }
      const bj::object& t = v.as_object();
      SplitTarget st;
      TINHSO_ASSIGN_OR_RETURN(st.target, ReadTarget(t, "agency_id", "new_agency"));
      TINHSO_ASSIGN_OR_RETURN(st.primary, json::OptionalBool(t, "primary", false));
      TINHSO_ASSIGN_OR_RETURN(st.child_ids, IntArray(t, "children", false));
      TINHSO_ASSIGN_OR_RETURN(st.work_kinds, json::StringArray(t, "work"));
      in.targets.push_back(std::move(st));
    }
    return Operation(std::move(in));
  }
  if (kind == "rename") {
    RenameInput in{.info = std::move(info)};
    TINHSO_ASSIGN_OR_RETURN(in.agency_id, json::RequiredInt(o, "agency_id"));
    TINHSO_ASSIGN_OR_RETURN(in.name, json::OptionalString(o, "name", 300));
    TINHSO_ASSIGN_OR_RETURN(in.name_en, json::OptionalString(o, "name_en", 300));
    TINHSO_ASSIGN_OR_RETURN(in.short_name, json::OptionalString(o, "short_name", 300));
    TINHSO_ASSIGN_OR_RETURN(in.kind, json::OptionalString(o, "new_kind", 40));
    TINHSO_ASSIGN_OR_RETURN(in.code, json::OptionalString(o, "code", 40));
    TINHSO_ASSIGN_OR_RETURN(in.code_confirmed, TriBool(o, "code_confirmed"));
    return Operation(std::move(in));
  }
  if (kind == "move") {
    MoveInput in{.info = std::move(info)};
    TINHSO_ASSIGN_OR_RETURN(in.agency_id, json::RequiredInt(o, "agency_id"));
    TINHSO_ASSIGN_OR_RETURN(in.new_parent_id, json::RequiredInt(o, "parent_id"));
    return Operation(std::move(in));
  }
  return json::FieldError("kind", "phải là merge, split, rename hoặc move.",
                          "must be merge, split, rename or move.");
}

// Every agency an operation touches must be within the actor's reach for "agency.reorganise":
// a district officer may not merge another district's communes.
Result<void> CheckOperation(const auth::Policy& policy, const core::Actor& actor,
                            const Operation& op) {
  std::vector<std::int64_t> touched;
  auto target = [&](const TargetRef& t) {
    if (t.agency_id) touched.push_back(*t.agency_id);
    if (t.create && t.create->parent_id) touched.push_back(*t.create->parent_id);
  };
  if (const auto* m = std::get_if<MergeInput>(&op)) {
    touched = m->source_ids;
    target(m->target);
  } else if (const auto* s = std::get_if<SplitInput>(&op)) {
    touched.push_back(s->source_id);
    for (const auto& t : s->targets) target(t.target);
  } else if (const auto* r = std::get_if<RenameInput>(&op)) {
    touched.push_back(r->agency_id);
  } else if (const auto* mv = std::get_if<MoveInput>(&op)) {
    touched.push_back(mv->agency_id);
    touched.push_back(mv->new_parent_id);
  }
  for (std::int64_t id : touched) {
    TINHSO_RETURN_IF_ERROR(policy.Check(actor, kReorganiseAction, {.agency_id = id}));
  }
  return Ok();
}

// ---- handlers -------------------------------------------------------------------------------

Result<http::Response> ListAgencies(Service& service, const http::Request& request,
                                    http::Context&) {
  ListQuery q;
  TINHSO_ASSIGN_OR_RETURN(auto limit, QueryInt(request, "limit"));
  TINHSO_ASSIGN_OR_RETURN(auto offset, QueryInt(request, "offset"));
  TINHSO_ASSIGN_OR_RETURN(q.parent_id, QueryInt(request, "parent"));
  TINHSO_ASSIGN_OR_RETURN(auto level, QueryInt(request, "level"));
  TINHSO_ASSIGN_OR_RETURN(q.at, ParseDateField("at", request.Query("at")));
  if (limit) {
    if (*limit < 1 || *limit > 500) {
      return json::FieldError("limit", "phải từ 1 đến 500.", "must be between 1 and 500.");
    }
    q.limit = static_cast<int>(*limit);
  }
  if (offset) {
    if (*offset < 0 || *offset > 1'000'000'000) {
      return json::FieldError("offset", "không hợp lệ.", "is out of range.");
    }
    q.offset = static_cast<int>(*offset);
  }
  if (level) {
    if (*level < 1 || *level > 100) {
      return json::FieldError("level", "không hợp lệ.", "is out of range.");
    }
    q.level = static_cast<int>(*level);
  }
  q.q = request.Query("q").value_or("");
  q.kind = request.Query("kind").value_or("");
  TINHSO_ASSIGN_OR_RETURN(auto page, service.List(q));
  bj::array items;
  for (const Agency& a : page.items) items.push_back(internal::AgencyToJson(a));
  return Json(200, {{"items", std::move(items)},
                    {"total", page.total},
                    {"limit", page.limit},
                    {"offset", page.offset}});
}

Result<http::Response> GetAgency(Service& service, const http::Request&, http::Context& context) {
  TINHSO_ASSIGN_OR_RETURN(auto id, PathId(context));
  TINHSO_ASSIGN_OR_RETURN(auto agency, service.Get(id));
  TINHSO_ASSIGN_OR_RETURN(auto ancestors, service.Ancestors(id));
  bj::object o = internal::AgencyToJson(agency);
  bj::array chain;
  for (const Agency& a : ancestors) {
    chain.push_back(bj::object{{"id", a.id}, {"code", a.code}, {"name", a.name}});
  }
  o["ancestors"] = std::move(chain);
  return Json(200, o);
}

Result<http::Response> ResolveCode(Service& service, const http::Request&, http::Context& context) {
  TINHSO_ASSIGN_OR_RETURN(auto resolution, service.Resolve(context.Param("code")));
  return Json(200, internal::ResolutionToJson(resolution));
}

Result<http::Response> CreateAgency(Service& service, const auth::Policy& policy,
                                    const http::Request& request, http::Context& context) {
  TINHSO_ASSIGN_OR_RETURN(auto body, json::ParseObject(request.body));
  TINHSO_ASSIGN_OR_RETURN(auto input, ReadAgencyInput(body));
  TINHSO_RETURN_IF_ERROR(
      policy.Check(context.actor, kManageAction, {.agency_id = input.parent_id.value_or(0)}));
  TINHSO_ASSIGN_OR_RETURN(auto agency, service.Create(input, context.actor));
  http::Response response = Json(201, internal::AgencyToJson(agency));
  response.headers.emplace_back("location", "/api/v1/agencies/" + std::to_string(agency.id));
  return response;
}

Result<http::Response> UpdateAgency(Service& service, const auth::Policy& policy,
                                    const http::Request& request, http::Context& context) {
  TINHSO_ASSIGN_OR_RETURN(auto id, PathId(context));
  TINHSO_ASSIGN_OR_RETURN(auto body, json::ParseObject(request.body));
  TINHSO_ASSIGN_OR_RETURN(auto version, json::RequiredInt(body, "version"));
  AgencyPatch patch;
  TINHSO_ASSIGN_OR_RETURN(patch.name, json::OptionalString(body, "name", 300));
  TINHSO_ASSIGN_OR_RETURN(patch.name_en, json::OptionalString(body, "name_en", 300));
  TINHSO_ASSIGN_OR_RETURN(patch.short_name, json::OptionalString(body, "short_name", 300));
  TINHSO_ASSIGN_OR_RETURN(patch.kind, json::OptionalString(body, "kind", 40));
  TINHSO_ASSIGN_OR_RETURN(patch.address, json::OptionalString(body, "address", 300));
  TINHSO_ASSIGN_OR_RETURN(patch.phone, json::OptionalString(body, "phone", 50));
  TINHSO_ASSIGN_OR_RETURN(patch.email, json::OptionalString(body, "email", 300));
  TINHSO_ASSIGN_OR_RETURN(patch.website, json::OptionalString(body, "website", 300));
  TINHSO_ASSIGN_OR_RETURN(patch.code_confirmed, TriBool(body, "code_confirmed"));
  for (std::string_view moved : {"code", "parent_id", "valid_from", "valid_to"}) {
    if (body.contains(moved)) {
      return json::FieldError(moved,
                              "chỉ thay đổi được qua một quyết định sắp xếp "
                              "(POST /api/v1/agencies/reorganisations).",
                              "changes only through a recorded reorganisation "
                              "(POST /api/v1/agencies/reorganisations).");
    }
  }
  TINHSO_RETURN_IF_ERROR(policy.Check(context.actor, kManageAction, {.agency_id = id}));
  TINHSO_ASSIGN_OR_RETURN(auto agency, service.Update(id, version, patch, context.actor));
  return Json(200, internal::AgencyToJson(agency));
}

Result<http::Response> Reorganise(Service& service, const auth::Policy& policy, bool preview,
                                  const http::Request& request, http::Context& context) {
  TINHSO_ASSIGN_OR_RETURN(auto body, json::ParseObject(request.body));
  TINHSO_ASSIGN_OR_RETURN(auto op, ReadOperation(body));
  TINHSO_RETURN_IF_ERROR(CheckOperation(policy, context.actor, op));
  if (preview) {
    TINHSO_ASSIGN_OR_RETURN(auto r, service.Preview(op));
    return Json(200, internal::ReorganisationToJson(r));
  }
  TINHSO_ASSIGN_OR_RETURN(auto r, service.Apply(op, context.actor));
  return Json(201, internal::ReorganisationToJson(r));
}

Result<http::Response> ListReorganisations(Service& service, const http::Request& request,
                                           http::Context&) {
  TINHSO_ASSIGN_OR_RETURN(auto limit, QueryInt(request, "limit"));
  TINHSO_ASSIGN_OR_RETURN(auto offset, QueryInt(request, "offset"));
  const std::int64_t l = limit.value_or(50);
  const std::int64_t o = offset.value_or(0);
  if (l < 1 || l > 500) {
    return json::FieldError("limit", "phải từ 1 đến 500.", "must be between 1 and 500.");
  }
  if (o < 0 || o > 1'000'000'000)
    return json::FieldError("offset", "không hợp lệ.", "is out of range.");
  TINHSO_ASSIGN_OR_RETURN(auto page,
                          service.ListReorganisations(static_cast<int>(l), static_cast<int>(o)));
  bj::array items;
  for (const Reorganisation& r : page.items) items.push_back(internal::ReorganisationToJson(r));
  return Json(200, {{"items", std::move(items)},
                    {"total", page.total},
                    {"limit", page.limit},
                    {"offset", page.offset}});
}

}  // namespace

void RegisterRoutes(http::Router& router, Service& service, const auth::Policy& policy) {
  using http::Method;
  auto svc = std::ref(service);
  auto pol = std::cref(policy);
  // Literal paths first: "/agencies/reorganisations" must not be taken for "/agencies/{id}".
  router.Add({.method = Method::kGet,
              .path = "/api/v1/agencies/reorganisations",
              .action = std::string(kPublicAction),
              .summary_vi = "Danh sách các lần sắp xếp, sáp nhập cơ quan",
              .summary_en = "List recorded agency reorganisations",
              .handler = std::bind_front(ListReorganisations, svc),
              .tag = "agencies"});
  router.Add({.method = Method::kPost,
              .path = "/api/v1/agencies/reorganisations/preview",
              .action = std::string(kReorganiseAction),
              .summary_vi = "Xem trước kết quả sắp xếp (không thay đổi dữ liệu)",
              .summary_en = "Preview a reorganisation without changing anything",
              .handler = std::bind_front(Reorganise, svc, pol, true),
              .tag = "agencies"});
  router.Add({.method = Method::kPost,
              .path = "/api/v1/agencies/reorganisations",
              .action = std::string(kReorganiseAction),
              .summary_vi = "Ghi nhận việc sáp nhập, chia tách, đổi tên hoặc chuyển cơ quan",
              .summary_en = "Record a merge, split, rename or move of agencies",
              .handler = std::bind_front(Reorganise, svc, pol, false),
              .tag = "agencies"});
  router.Add({.method = Method::kGet,
              .path = "/api/v1/agencies/resolve/{code}",
              .action = std::string(kPublicAction),
              .summary_vi = "Tra cứu mã định danh (cả mã cũ) ra cơ quan hiện nay",
              .summary_en = "Resolve an agency code, old ones included, to today's agency",
              .handler = std::bind_front(ResolveCode, svc),
              .tag = "agencies"});
  router.Add({.method = Method::kGet,
              .path = "/api/v1/agencies",
              .action = std::string(kPublicAction),
              .summary_vi = "Danh sách, tìm kiếm cơ quan",
              .summary_en = "List and search agencies",
              .handler = std::bind_front(ListAgencies, svc),
              .tag = "agencies"});
  router.Add({.method = Method::kPost,
              .path = "/api/v1/agencies",
              .action = std::string(kManageAction),
              .summary_vi = "Thêm cơ quan",
              .summary_en = "Create an agency",
              .handler = std::bind_front(CreateAgency, svc, pol),
              .tag = "agencies"});
  router.Add({.method = Method::kGet,
              .path = "/api/v1/agencies/{id}",
              .action = std::string(kPublicAction),
              .summary_vi = "Thông tin một cơ quan",
              .summary_en = "Get one agency",
              .handler = std::bind_front(GetAgency, svc),
              .tag = "agencies"});
  router.Add({.method = Method::kPut,
              .path = "/api/v1/agencies/{id}",
              .action = std::string(kManageAction),
              .summary_vi = "Sửa thông tin cơ quan (theo phiên bản)",
              .summary_en = "Update an agency (optimistic version check)",
              .handler = std::bind_front(UpdateAgency, svc, pol),
              .tag = "agencies"});
}

}  // namespace tinhso::agencies
