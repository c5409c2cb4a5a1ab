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

#include "catalog/catalog.hpp"
#include "catalog/internal.hpp"
#include "http/http.hpp"

namespace tinhso::catalog {
namespace {

namespace bj = boost::json;

constexpr std::string_view kPublicAction = "public.catalog";
constexpr std::string_view kManageAction = "catalog.manage";

constexpr std::string_view kListSchema = R"({"type":"object","properties":{
"count":{"type":"integer"},
"items":{"type":"array","items":{"type":"object","properties":{
"code":{"type":"string"},"name":{"type":"string"},"name_en":{"type":"string"},
"field":{"type":"object"},"level":{"type":"string","enum":["province","commune"]},
"needs_commune":{"type":"boolean"},"online_level":{"type":"string","enum":["full","partial"]},
"processing_time":{"type":"object"},"total_fee":{"type":"integer"},
"version":{"type":"integer"}}}}}})";

constexpr std::string_view kImportSchema = R"({"type":"object","properties":{
"created":{"type":"integer"},"updated":{"type":"integer"},"unchanged":{"type":"integer"},
"sectors":{"type":"integer"}}})";

Error BadQuery(std::string_view name, std::string_view expect_vi, std::string_view expect_en) {
  return MakeError(
      ErrorCode::kInvalidArgument, "request.invalid_query",
      "Tham số '" + std::string(name) + "' không hợp lệ: cần " + std::string(expect_vi) + ".",
      "Query parameter '" + std::string(name) + "' is invalid: expected " + std::string(expect_en) +
          ".");
}

// Who decides, as the portal names it: the sector's department, or the level's committee.
bj::object Competent(const Service& service, const Procedure& p) {
  bj::object o{{"kind", p.competent.kind}, {"sector", p.competent.sector}};
  if (p.competent.kind == "commune") {
    o["name"] = "Ủy ban nhân dân cấp xã";
    o["name_en"] = "Commune People's Committee";
  } else if (p.competent.kind == "province_pc") {
    o["name"] = "Ủy ban nhân dân tỉnh";
    o["name_en"] = "Provincial People's Committee";
  } else if (auto sector = service.GetSector(p.competent.sector); sector.ok()) {
    o["name"] = sector->name;
    o["name_en"] = sector->name_en.empty() ? sector->name : sector->name_en;
  }
  return o;
}

bj::object Summary(const Service& service, const Procedure& p) {
  bj::object o;
  o["code"] = p.code;
  o["name"] = p.name;
  o["name_en"] = p.name_en;
  o["field"] = bj::object{{"code", p.field_code}, {"name", p.field_name}};
  o["level"] = p.level;
  o["needs_commune"] = p.NeedsCommune();
  o["online_level"] = p.online_level;
  o["processing_time"] = bj::object{{"value", p.processing_time.value},
                                    {"unit", TimeUnitName(p.processing_time.unit)}};
  o["total_fee"] = p.TotalFee();
  o["version"] = p.version;
  o["competent"] = Competent(service, p);
  return o;
}

// GET /api/v1/procedures?q=&field=&level=
Result<http::Response> ListHandler(Service& service, const http::Request& request,
                                   http::Context& /*context*/) {
  const std::string q = request.Query("q").value_or("");
  const std::string field = request.Query("field").value_or("");
  const std::string level = request.Query("level").value_or("");
  if (q.size() > 200) return BadQuery("q", "tối đa 200 byte", "at most 200 bytes");
  if (!level.empty() && level != "province" && level != "commune") {
    return BadQuery("level", "\"province\" hoặc \"commune\"", "\"province\" or \"commune\"");
  }
  // List() answers nothing when the catalog cannot be loaded; say why instead of "no results".
  if (auto probe = service.Get(""); !probe.ok() && probe.error().code != ErrorCode::kNotFound) {
    return probe.error();
  }
  const std::vector<Procedure> found = service.List(q, field, level);
  bj::array items;
  for (const Procedure& p : found) items.emplace_back(Summary(service, p));
  bj::object body;
  body["count"] = found.size();
  body["items"] = std::move(items);
  return http::JsonResponse(200, internal::Write(body, false));
}

// GET /api/v1/procedures/{code}
Result<http::Response> GetHandler(Service& service, const http::Request& /*request*/,
                                  http::Context& context) {
  TINHSO_ASSIGN_OR_RETURN(Procedure p, service.Get(context.Param("code")));
  bj::object body = internal::ProcedureToJson(p, true);
  body["total_fee"] = p.TotalFee();
  body["needs_commune"] = p.NeedsCommune();
  body["competent"] = Competent(service, p);
  return http::JsonResponse(200, internal::Write(body, false));
}

// GET /api/v1/procedures/{code}/form: what the submission page needs.
Result<http::Response> FormHandler(Service& service, const http::Request& /*request*/,
                                   http::Context& context) {
  TINHSO_ASSIGN_OR_RETURN(Procedure p, service.Get(context.Param("code")));
  bj::object full = internal::ProcedureToJson(p, false);
  bj::object body;
  body["code"] = p.code;
  body["version"] = p.version;
  body["name"] = p.name;
  body["name_en"] = p.name_en;
  // The submission asks for the applicant's commune when the dossier will need it.
  body["needs_commune"] = p.NeedsCommune();
  body["form"] = std::move(full["form"]);
  body["components"] = std::move(full["components"]);
  body["fees"] = std::move(full["fees"]);
  return http::JsonResponse(200, internal::Write(body, false));
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
// file needs the whole list, not the first line.
http::Response InvalidDocument(const Error& error, std::string_view request_id) {
  http::Response r = http::ErrorResponse(error, request_id);
  bj::value body = bj::parse(r.body);
  bj::array problems;
  std::istringstream lines(error.detail);
  for (std::string line; std::getline(lines, line);) {
    const auto bar = line.find(" | ");
    if (bar == std::string::npos) continue;
    problems.emplace_back(
        bj::object{{"message", line.substr(0, bar)}, {"message_en", line.substr(bar + 3)}});
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
  bj::object body{{"created", stats.created},
                  {"updated", stats.updated},
                  {"unchanged", stats.unchanged},
                  {"sectors", stats.sectors}};
  return http::JsonResponse(200, internal::Write(body, false));
}

}  // namespace

void RegisterRoutes(http::Router& router, Service& service) {
  using http::Method;
  auto svc = std::ref(service);
  router.Add({.method = Method::kGet,
              .path = "/api/v1/procedures",
              .action = std::string(kPublicAction),
              .summary_vi = "Tra cứu danh mục thủ tục hành chính (q, field, level)",
              .summary_en = "Search the administrative procedure catalog (q, field, level)",
              .handler = std::bind_front(ListHandler, svc),
              .response_schema = std::string(kListSchema),
              .tag = "catalog"});
  router.Add({.method = Method::kGet,
              .path = "/api/v1/procedures/export",
              .action = std::string(kManageAction),
              .summary_vi = "Xuất toàn bộ danh mục thủ tục (tài liệu JSON nhập lại được)",
              .summary_en = "Export the whole procedure catalog (a JSON document that imports "
                            "back)",
              .handler = std::bind_front(ExportHandler, svc),
              .tag = "catalog"});
  router.Add({.method = Method::kGet,
              .path = "/api/v1/procedures/{code}",
              .action = std::string(kPublicAction),
              .summary_vi = "Chi tiết một thủ tục: thành phần hồ sơ, phí, thời hạn, quy trình",
              .summary_en = "One procedure: papers, fees, processing time, workflow",
              .handler = std::bind_front(GetHandler, svc),
              .tag = "catalog"});
  router.Add({.method = Method::kGet,
              .path = "/api/v1/procedures/{code}/form",
              .action = std::string(kPublicAction),
              .summary_vi = "Tờ khai điện tử, giấy tờ cần tải lên và phí của một thủ tục",
              .summary_en = "A procedure's electronic form, papers to upload and fees",
              .handler = std::bind_front(FormHandler, svc),
              .tag = "catalog"});
  router.Add({.method = Method::kPost,
              .path = "/api/v1/procedures/import",
              .action = std::string(kManageAction),
              .summary_vi = "Nhập danh mục thủ tục (tài liệu JSON, xem data/catalog/README.md)",
              .summary_en = "Import the procedure catalog (a JSON document, see "
                            "data/catalog/README.md)",
              .handler = std::bind_front(ImportHandler, svc),
              .upload = true,
              .response_schema = std::string(kImportSchema),
              .tag = "catalog"});
}

}  // namespace tinhso::catalog
