// Thin HTTP handlers for the procedure catalog: parse, call catalog::Service, render. The
// route-level action is checked by the server's Guard before a handler runs.

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <fstream>
#include <functional>
#include <iterator>
#include <sstream>
#include <string>
#include <utility>

#include "catalog/api.hpp"
#include "catalog/catalog.hpp"
#include "catalog/internal.hpp"
#include "http/api.hpp"

namespace tinhso::catalog {
namespace {

namespace bj = boost::json;

constexpr std::string_view kPublicAction = "public.catalog";
constexpr std::string_view kManageAction = "catalog.manage";

CompetentAgency Competent(const Service& service, const Procedure& p) {
  CompetentAgency o{.kind = p.competent.kind, .sector = p.competent.sector};
  const auto sector = service.GetSector(p.competent.sector);
  AgencyName name = CompetentName(p, sector.ok() ? &*sector : nullptr);
  o.name = std::move(name.vi);
  o.name_en = std::move(name.en);
  return o;
}

ProcedureSummary Summary(const Service& service, const Procedure& p) {
  return {.code = p.code,
          .name = p.name,
          .name_en = p.name_en,
          .field = {.code = p.field_code, .name = p.field_name},
          .level = p.level,
          .needs_commune = p.NeedsCommune(),
          .online_level = p.online_level,
          .processing_time = p.processing_time,
          .total_fee = p.TotalFee(),
          .version = p.version,
          .competent = Competent(service, p)};
}

std::vector<ProcedureFee> Fees(const Procedure& p) {
  std::vector<ProcedureFee> out;
  for (const Fee& f : p.fees) {
    out.push_back({.code = f.code,
                   .name = f.name,
                   .kind = f.kind,
                   .amount = f.amount,
                   .note = f.note,
                   .unit = f.unit,
                   .quantity_field = f.quantity_field,
                   .adjustable = f.adjustable});
  }
  return out;
}

std::vector<ProcedureComponent> Components(const Procedure& p) {
  std::vector<ProcedureComponent> out;
  for (const Component& c : p.components) {
    out.push_back({.code = c.code,
                   .name = c.name,
                   .originals = c.originals,
                   .certified = c.certified,
                   .copies = c.copies,
                   .required = c.required,
                   .file_types = c.file_types});
  }
  return out;
}

std::vector<ProcedureFormField> FormFields(const Procedure& p) {
  std::vector<ProcedureFormField> out;
  for (const FormField& f : p.form) {
    out.push_back(
        {.name = f.name,
         .label_vi = f.label_vi,
         .label_en = f.label_en,
         .type = f.type,
         .required = f.required,
         .max_length = f.max_length != 0 ? std::optional<int>(f.max_length) : std::nullopt,
         .min = f.min,
         .max = f.max,
         .options = f.options});
  }
  return out;
}

ProcedureDetail Detail(const Service& service, const Procedure& p) {
  ProcedureDetail o{.code = p.code,
                    .name = p.name,
                    .name_en = p.name_en,
                    .code_confirmed = p.code_confirmed,
                    .active = p.active,
                    .version = p.version,
                    .updated_at = std::nullopt,
                    .field = {.code = p.field_code, .name = p.field_name},
                    .level = p.level,
                    .needs_commune = p.NeedsCommune(),
                    .competent = Competent(service, p),
                    .online_level = p.online_level,
                    .processing_time = p.processing_time,
                    .total_fee = p.TotalFee(),
                    .fees = Fees(p),
                    .components = Components(p),
                    .form = FormFields(p),
                    .results = p.results,
                    .legal_basis = p.legal_basis,
                    .steps = {}};
  if (p.updated_at != core::Seconds{}) o.updated_at = p.updated_at;
  for (const Step& s : p.steps) {
    o.steps.push_back({.code = s.code,
                       .name = s.name,
                       .name_en = s.name_en,
                       .role = s.role,
                       .agency = {.kind = s.agency.kind,
                                  .sector = s.agency.sector.empty()
                                                ? std::nullopt
                                                : std::optional<std::string>(s.agency.sector)},
                       .share = s.share,
                       .kind = s.kind});
  }
  return o;
}

// GET /api/v1/procedures?q=&field=&level=
Result<http::Response> ListHandler(Service& service, const http::Request& /*request*/,
                                   http::Context& context) {
  const auto& query = context.Query<ProcedureListQuery>();
  const std::string level = !query.level                               ? ""
                            : *query.level == ProcedureLevel::kCommune ? "commune"
                                                                       : "province";
  // List() answers nothing when the catalog cannot be loaded; say why instead of "no results".
  if (auto probe = service.Get(""); !probe.ok() && probe.error().code != ErrorCode::kNotFound) {
    return probe.error();
  }
  const std::vector<Procedure> found =
      service.List(query.q ? query.q->value : "", query.field ? query.field->value : "", level);
  ProcedureList body{.count = static_cast<std::int64_t>(found.size()), .items = {}};
  for (const Procedure& p : found) body.items.push_back(Summary(service, p));
  return http::Reply(200, body);
}

// GET /api/v1/procedures/{code}
Result<http::Response> GetHandler(Service& service, const http::Request& /*request*/,
                                  http::Context& context) {
  TINHSO_ASSIGN_OR_RETURN(Procedure p, service.Get(context.Param("code")));
  return http::Reply(200, Detail(service, p));
}

// GET /api/v1/procedures/{code}/form: what the submission page needs.
Result<http::Response> FormHandler(Service& service, const http::Request& /*request*/,
                                   http::Context& context) {
  TINHSO_ASSIGN_OR_RETURN(Procedure p, service.Get(context.Param("code")));
  // The submission asks for the applicant's commune when the dossier will need it.
  return http::Reply(200, ProcedureForm{.code = p.code,
                                        .version = p.version,
                                        .name = p.name,
                                        .name_en = p.name_en,
                                        .needs_commune = p.NeedsCommune(),
                                        .form = FormFields(p),
                                        .components = Components(p),
                                        .fees = Fees(p)});
}

// GET /api/v1/procedures/export: the whole catalog as one importable document.
Result<http::Response> ExportHandler(Service& service, const http::Request& /*request*/,
                                     http::Context& /*context*/) {
  TINHSO_ASSIGN_OR_RETURN(Catalog catalog, service.Export());
  http::Response r = http::JsonResponse(200, ToJson(catalog));
  r.headers.emplace_back("Content-Disposition", "attachment; filename=\"procedures.json\"");
  return r;
}

// The one error shape, plus every problem of an invalid document: an administrator fixing a
// file needs the whole list, not the first line; `field` lets a form put each by its field.
http::Response InvalidDocument(const Error& error, std::string_view request_id) {
  http::Response r = http::ErrorResponse(error, request_id);
  bj::value body = bj::parse(r.body);
  bj::array problems;
  std::istringstream lines(error.detail);
  for (std::string line; std::getline(lines, line);) {
    const auto tab = line.find('\t');
    const auto bar = line.find(" | ", tab == std::string::npos ? 0 : tab);
    if (bar == std::string::npos || tab == std::string::npos) continue;
    problems.emplace_back(bj::object{{"field", line.substr(0, tab)},
                                     {"message", line.substr(tab + 1, bar - tab - 1)},
                                     {"message_en", line.substr(bar + 3)}});
  }
  body.as_object()["error"].as_object()["problems"] = std::move(problems);
  r.body = internal::Write(body, false);
  return r;
}

// POST /api/v1/procedures/import (body: the catalog document)
Result<http::Response> ImportHandler(Service& service, const http::Request& request,
                                     http::Context& context) {
  TINHSO_ASSIGN_OR_RETURN(std::string text,
                          http::RequestBody(request, internal::kMaxDocumentBytes));
  auto catalog = Parse(text);
  if (!catalog.ok()) {
    if (catalog.error().reason == "catalog.invalid") {
      return InvalidDocument(catalog.error(), context.request_id);
    }
    return catalog.error();
  }
  TINHSO_ASSIGN_OR_RETURN(ImportStats stats, service.Import(*catalog, context.actor));
  return http::Reply(200, stats);
}

}  // namespace

// Not typed member by member yet: the catalog file format (document.cpp).
constexpr const char* kDocument =
    "Tài liệu danh mục thủ tục / the catalog document "
    "(data/catalog/README.md)";

void RegisterRoutes(http::Router& router, Service& service) {
  using http::Method;
  auto svc = std::ref(service);
  router.Add({.method = Method::kGet,
              .path = "/api/v1/procedures",
              .action = std::string(kPublicAction),
              .summary_vi = "Tra cứu danh mục thủ tục hành chính (q, field, level)",
              .summary_en = "Search the administrative procedure catalog (q, field, level)",
              .handler = std::bind_front(ListHandler, svc),
              .tag = "catalog",
              .query = http::QueryParams<ProcedureListQuery>(),
              .answers = {http::Returns<ProcedureList>()}});
  router.Add({.method = Method::kGet,
              .path = "/api/v1/procedures/export",
              .action = std::string(kManageAction),
              .summary_vi = "Xuất toàn bộ danh mục thủ tục (tài liệu JSON nhập lại được)",
              .summary_en = "Export the whole procedure catalog (a JSON document that imports "
                            "back)",
              .handler = std::bind_front(ExportHandler, svc),
              .tag = "catalog",
              .answers = {http::Returns<bj::object>(200, kDocument)}});
  router.Add({.method = Method::kGet,
              .path = "/api/v1/procedures/{code}",
              .action = std::string(kPublicAction),
              .summary_vi = "Chi tiết một thủ tục: thành phần hồ sơ, phí, thời hạn, quy trình",
              .summary_en = "One procedure: papers, fees, processing time, workflow",
              .handler = std::bind_front(GetHandler, svc),
              .tag = "catalog",
              .params = {http::CodeParam("code")},
              .answers = {http::Returns<ProcedureDetail>()}});
  router.Add({.method = Method::kGet,
              .path = "/api/v1/procedures/{code}/form",
              .action = std::string(kPublicAction),
              .summary_vi = "Tờ khai điện tử, giấy tờ cần tải lên và phí của một thủ tục",
              .summary_en = "A procedure's electronic form, papers to upload and fees",
              .handler = std::bind_front(FormHandler, svc),
              .tag = "catalog",
              .params = {http::CodeParam("code")},
              .answers = {http::Returns<ProcedureForm>()}});
  router.Add({.method = Method::kPost,
              .path = "/api/v1/procedures/import",
              .action = std::string(kManageAction),
              .summary_vi = "Nhập danh mục thủ tục (tài liệu JSON, xem data/catalog/README.md)",
              .summary_en = "Import the procedure catalog (a JSON document, see "
                            "data/catalog/README.md)",
              .handler = std::bind_front(ImportHandler, svc),
              .upload = true,
              .tag = "catalog",
              .body = http::JsonBody<bj::object>(),
              .answers = {http::Returns<ImportStats>()}});
}

}  // namespace tinhso::catalog
