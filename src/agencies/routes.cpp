// Thin HTTP handlers: parse, check the object against the policy, call the Service, render.
// The route-level action is checked by the server's Guard before a handler runs; handlers add
// the object-level check (which agency is touched) with Policy::Check.
#include <functional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "agencies/agencies.hpp"
#include "agencies/api.hpp"
#include "core/json.hpp"
#include "core/parse.hpp"
#include "http/api.hpp"

namespace tinhso::agencies {
namespace {

constexpr std::string_view kPublicAction = "public.agencies";
constexpr std::string_view kManageAction = "agency.manage";
constexpr std::string_view kReorganiseAction = "agency.reorganise";

// ---- request reading --------------------------------------------------------------------------

Result<std::int64_t> PathId(const http::Context& context) {
  auto id = core::ParseInt64(context.Param("id"));
  if (!id || *id <= 0) {
    return json::FieldError("id", "phải là số nguyên dương.", "must be a positive integer.");
  }
  return *id;
}

template <std::size_t N>
std::optional<std::string> Optional(const std::optional<http::Text<N>>& text) {
  if (!text) return std::nullopt;
  return text->value;
}

AgencyInput ToInput(const NewAgencyInput& in) {
  return {.code = in.code.value,
          .code_confirmed = in.code_confirmed.value_or(false),
          .parent_id = in.parent_id,
          .name = in.name.value,
          .name_en = http::TextOr(in.name_en),
          .short_name = http::TextOr(in.short_name),
          .kind = in.kind.value,
          .address = http::TextOr(in.address),
          .phone = http::TextOr(in.phone),
          .email = http::TextOr(in.email),
          .website = http::TextOr(in.website),
          .valid_from = in.valid_from};
}

Error Missing(std::string_view field) {
  return json::FieldError(field, "là bắt buộc.", "is required.");
}

// An existing agency or a new one, exactly one: {"target_id": 5} or {"new_target": {…}} for a
// merge, "agency_id" / "new_agency" for each target of a split.
Result<TargetRef> Target(const std::optional<std::int64_t>& id,
                         const std::optional<NewAgencyInput>& created, std::string_view id_field,
                         std::string_view new_field) {
  if (id.has_value() == created.has_value()) {
    return json::FieldError(id_field,
                            "hoặc " + std::string(new_field) + ": phải có đúng một trong hai.",
                            "or " + std::string(new_field) + ": exactly one must be given.");
  }
  TargetRef ref{.agency_id = id, .create = std::nullopt};
  if (created) ref.create = ToInput(*created);
  return ref;
}

// The body's kind with the fields that kind needs (api.hpp, ReorganisationInput).
Result<Operation> ToOperation(const ReorganisationInput& in) {
  OperationInfo info{.effective_date = in.effective_date,
                     .decision = in.decision.value,
                     .note = http::TextOr(in.note),
                     .confirmed = in.confirmed.value_or(true),
                     .external_ref = http::TextOr(in.external_ref)};
  switch (in.kind) {
    case ReorganisationKind::kMerge: {
      if (!in.sources) return Missing("sources");
      TINHSO_ASSIGN_OR_RETURN(auto target,
                              Target(in.target_id, in.new_target, "target_id", "new_target"));
      return Operation(MergeInput{
          .source_ids = *in.sources, .target = std::move(target), .info = std::move(info)});
    }
    case ReorganisationKind::kSplit: {
      if (!in.source_id) return Missing("source_id");
      if (!in.targets) return Missing("targets");
      SplitInput split{.source_id = *in.source_id, .targets = {}, .info = std::move(info)};
      for (const SplitTargetInput& t : *in.targets) {
        TINHSO_ASSIGN_OR_RETURN(auto target,
                                Target(t.agency_id, t.new_agency, "agency_id", "new_agency"));
        SplitTarget st{.target = std::move(target),
                       .primary = t.primary.value_or(false),
                       .child_ids = t.children.value_or(std::vector<std::int64_t>{}),
                       .work_kinds = {}};
        for (const auto& kind : t.work.value_or(std::vector<http::Text<100>>{})) {
          st.work_kinds.push_back(kind.value);
        }
        split.targets.push_back(std::move(st));
      }
      return Operation(std::move(split));
    }
    case ReorganisationKind::kRename:
      if (!in.agency_id) return Missing("agency_id");
      return Operation(RenameInput{.agency_id = *in.agency_id,
                                   .name = Optional(in.name),
                                   .name_en = Optional(in.name_en),
                                   .short_name = Optional(in.short_name),
                                   .kind = Optional(in.new_kind),
                                   .code = Optional(in.code),
                                   .code_confirmed = in.code_confirmed,
                                   .info = std::move(info)});
    case ReorganisationKind::kMove:
      if (!in.agency_id) return Missing("agency_id");
      if (!in.parent_id) return Missing("parent_id");
      return Operation(MoveInput{
          .agency_id = *in.agency_id, .new_parent_id = *in.parent_id, .info = std::move(info)});
  }
  return InternalError("unknown reorganisation kind");
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

Result<http::Response> ListAgencies(Service& service, const http::Request& /*request*/,
                                    http::Context& context) {
  const auto& query = context.Query<AgencyListQuery>();
  TINHSO_ASSIGN_OR_RETURN(auto page, service.List({.parent_id = query.parent,
                                                   .at = query.at,
                                                   .kind = http::TextOr(query.kind),
                                                   .level = query.level,
                                                   .q = http::TextOr(query.q),
                                                   .limit = query.limit,
                                                   .offset = query.offset}));
  return http::Reply(200, http::PageOf(page, [](const Agency& a) { return ToApi(a); }));
}

Result<http::Response> GetAgency(Service& service, const http::Request& /*request*/,
                                 http::Context& context) {
  TINHSO_ASSIGN_OR_RETURN(auto id, PathId(context));
  TINHSO_ASSIGN_OR_RETURN(auto agency, service.Get(id));
  TINHSO_ASSIGN_OR_RETURN(auto ancestors, service.Ancestors(id));
  AgencyView view = ToApi(agency);
  view.ancestors.emplace();
  for (const Agency& a : ancestors) {
    view.ancestors->push_back({.id = a.id, .code = a.code, .name = a.name});
  }
  return http::Reply(200, view);
}

Result<http::Response> ResolveCode(Service& service, const http::Request& /*request*/,
                                   http::Context& context) {
  TINHSO_ASSIGN_OR_RETURN(auto resolution, service.Resolve(context.Param("code")));
  return http::Reply(200, ToApi(resolution));
}

Result<http::Response> CreateAgency(Service& service, const auth::Policy& policy,
                                    const http::Request& /*request*/, http::Context& context) {
  const AgencyInput input = ToInput(context.Body<NewAgencyInput>());
  TINHSO_RETURN_IF_ERROR(
      policy.Check(context.actor, kManageAction, {.agency_id = input.parent_id.value_or(0)}));
  TINHSO_ASSIGN_OR_RETURN(auto agency, service.Create(input, context.actor));
  http::Response response = http::Reply(201, ToApi(agency));
  response.headers.emplace_back("location", "/api/v1/agencies/" + std::to_string(agency.id));
  return response;
}

Result<http::Response> UpdateAgency(Service& service, const auth::Policy& policy,
                                    const http::Request& /*request*/, http::Context& context) {
  TINHSO_ASSIGN_OR_RETURN(auto id, PathId(context));
  const auto& in = context.Body<AgencyUpdateInput>();
  const AgencyPatch patch{.name = Optional(in.name),
                          .name_en = Optional(in.name_en),
                          .short_name = Optional(in.short_name),
                          .kind = Optional(in.kind),
                          .address = Optional(in.address),
                          .phone = Optional(in.phone),
                          .email = Optional(in.email),
                          .website = Optional(in.website),
                          .code_confirmed = in.code_confirmed};
  TINHSO_RETURN_IF_ERROR(policy.Check(context.actor, kManageAction, {.agency_id = id}));
  TINHSO_ASSIGN_OR_RETURN(auto agency, service.Update(id, in.version, patch, context.actor));
  return http::Reply(200, ToApi(agency));
}

Result<http::Response> Reorganise(Service& service, const auth::Policy& policy, bool preview,
                                  const http::Request& /*request*/, http::Context& context) {
  TINHSO_ASSIGN_OR_RETURN(auto op, ToOperation(context.Body<ReorganisationInput>()));
  TINHSO_RETURN_IF_ERROR(CheckOperation(policy, context.actor, op));
  if (preview) {
    TINHSO_ASSIGN_OR_RETURN(auto r, service.Preview(op));
    return http::Reply(200, ToApi(r));
  }
  TINHSO_ASSIGN_OR_RETURN(auto r, service.Apply(op, context.actor));
  return http::Reply(201, ToApi(r));
}

Result<http::Response> ListReorganisations(Service& service, const http::Request& /*request*/,
                                           http::Context& context) {
  const auto& query = context.Query<ReorganisationListQuery>();
  TINHSO_ASSIGN_OR_RETURN(auto page,
                          service.ListReorganisations(query.limit, query.offset, query.agency_id));
  return http::Reply(200, http::PageOf(page, [](const Reorganisation& r) { return ToApi(r); }));
}

}  // namespace

void RegisterRoutes(http::Router& router, Service& service, const auth::Policy& policy) {
  using http::Method;
  auto svc = std::ref(service);
  auto pol = std::cref(policy);
  const http::PathParam id = http::IdParam("id");
  http::PathParam code = http::CodeParam("code");
  code.description =
      "Mã định danh, cả mã cũ, theo QĐ 20/2020 hoặc QCVN 102 / an agency code, "
      "old ones included, in either notation (\"H55.12\", \"000.00.12.H55\")";
  // Literal paths first: "/agencies/reorganisations" must not be taken for "/agencies/{id}".
  router.Add({.method = Method::kGet,
              .path = "/api/v1/agencies/reorganisations",
              .action = std::string(kPublicAction),
              .summary_vi = "Danh sách các lần sắp xếp, sáp nhập cơ quan",
              .summary_en = "List recorded agency reorganisations",
              .handler = std::bind_front(ListReorganisations, svc),
              .tag = "agencies",
              .query = http::QueryParams<ReorganisationListQuery>(),
              .answers = {http::Returns<http::Page<ReorganisationView>>()}});
  router.Add({.method = Method::kPost,
              .path = "/api/v1/agencies/reorganisations/preview",
              .action = std::string(kReorganiseAction),
              .summary_vi = "Xem trước kết quả sắp xếp (không thay đổi dữ liệu)",
              .summary_en = "Preview a reorganisation without changing anything",
              .handler = std::bind_front(Reorganise, svc, pol, true),
              .tag = "agencies",
              .body = http::JsonBody<ReorganisationInput>(),
              .answers = {http::Returns<ReorganisationView>(200, "Xem trước / the preview")}});
  router.Add({.method = Method::kPost,
              .path = "/api/v1/agencies/reorganisations",
              .action = std::string(kReorganiseAction),
              .summary_vi = "Ghi nhận việc sáp nhập, chia tách, đổi tên hoặc chuyển cơ quan",
              .summary_en = "Record a merge, split, rename or move of agencies",
              .handler = std::bind_front(Reorganise, svc, pol, false),
              .tag = "agencies",
              .body = http::JsonBody<ReorganisationInput>(),
              .answers = {http::Returns<ReorganisationView>(201)}});
  router.Add({.method = Method::kGet,
              .path = "/api/v1/agencies/resolve/{code}",
              .action = std::string(kPublicAction),
              .summary_vi = "Tra cứu mã định danh (cả mã cũ) ra cơ quan hiện nay",
              .summary_en = "Resolve an agency code, old ones included, to today's agency",
              .handler = std::bind_front(ResolveCode, svc),
              .tag = "agencies",
              .params = {code},
              .answers = {http::Returns<AgencyResolution>()}});
  router.Add({.method = Method::kGet,
              .path = "/api/v1/agencies",
              .action = std::string(kPublicAction),
              .summary_vi = "Danh sách, tìm kiếm cơ quan",
              .summary_en = "List and search agencies",
              .handler = std::bind_front(ListAgencies, svc),
              .tag = "agencies",
              .query = http::QueryParams<AgencyListQuery>(),
              .answers = {http::Returns<http::Page<AgencyView>>()}});
  router.Add({.method = Method::kPost,
              .path = "/api/v1/agencies",
              .action = std::string(kManageAction),
              .summary_vi = "Thêm cơ quan",
              .summary_en = "Create an agency",
              .handler = std::bind_front(CreateAgency, svc, pol),
              .tag = "agencies",
              .body = http::JsonBody<NewAgencyInput>(),
              .answers = {http::Returns<AgencyView>(201)}});
  router.Add({.method = Method::kGet,
              .path = "/api/v1/agencies/{id}",
              .action = std::string(kPublicAction),
              .summary_vi = "Thông tin một cơ quan",
              .summary_en = "Get one agency",
              .handler = std::bind_front(GetAgency, svc),
              .tag = "agencies",
              .params = {id},
              .answers = {http::Returns<AgencyView>(200,
                                                    "Cơ quan và các cấp trên / the agency "
                                                    "with its ancestors")}});
  router.Add({.method = Method::kPut,
              .path = "/api/v1/agencies/{id}",
              .action = std::string(kManageAction),
              .summary_vi = "Sửa thông tin cơ quan (theo phiên bản)",
              .summary_en = "Update an agency (optimistic version check)",
              .handler = std::bind_front(UpdateAgency, svc, pol),
              .tag = "agencies",
              .params = {id},
              .body = http::JsonBody<AgencyUpdateInput>(),
              .answers = {http::Returns<AgencyView>()}});
}

}  // namespace tinhso::agencies
