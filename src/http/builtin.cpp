// Built-in routes (health, readiness, metrics) and the OpenAPI document generated from the
// route table.
#include <algorithm>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <memory>
#include <mutex>

#include "core/crypto.hpp"
#include "core/metrics.hpp"
#include "http/api.hpp"
#include "http/http.hpp"

namespace tinhso::http {
namespace {

namespace json = boost::json;

// {"status":"ok"} from /healthz, {"status":"ready"} from /readyz.
struct Health {
  std::string status;
};
TINHSO_API_STRUCT(Health, (status))

// A client on this machine: a loopback address (after the trusted proxies' X-Forwarded-For),
// reached directly. A proxy on this machine that is not among the trusted ones makes every
// client look local, but it says so in the headers it adds.
bool LocalClient(const Request& request) {
  const std::string_view ip = request.client_ip;
  const bool loopback = ip.starts_with("127.") || ip == "::1" || ip.starts_with("::ffff:127.");
  return loopback && request.Header("x-forwarded-for").empty() &&
         request.Header("forwarded").empty();
}

// Who may read /metrics: the bearer of the operators' token, or without one a local client.
// The numbers tell the load, the routes used and their errors: nothing for the public.
Result<void> MetricsAllowed(const Request& request, const std::string& token) {
  if (token.empty()) {
    if (LocalClient(request)) return Ok();
    return MakeError(ErrorCode::kPermissionDenied, "http.metrics_forbidden",
                     "Số liệu vận hành chỉ xem được từ chính máy chủ, hoặc với mã truy cập "
                     "([server] metrics_token).",
                     "Metrics are served only on the server itself, or with its access token "
                     "([server] metrics_token).");
  }
  const std::string_view authorization = request.Header("authorization");
  if (authorization.starts_with("Bearer ") &&
      core::ConstantTimeEquals(authorization.substr(7), token)) {
    return Ok();
  }
  return MakeError(ErrorCode::kUnauthenticated, "http.metrics_token",
                   "Cần mã truy cập số liệu vận hành (Authorization: Bearer …).",
                   "The metrics access token is required (Authorization: Bearer …).");
}

std::string_view LowerMethod(Method m) {
  switch (m) {
    case Method::kGet:
      return "get";
    case Method::kHead:
      return "head";
    case Method::kPost:
      return "post";
    case Method::kPut:
      return "put";
    case Method::kPatch:
      return "patch";
    case Method::kDelete:
      return "delete";
    case Method::kOptions:
      return "options";
  }
  return "get";
}

// "get /api/v1/agencies/{id}" → "get_api_v1_agencies_id": unique because method + path is.
std::string OperationId(const Route& route) {
  std::string id(LowerMethod(route.method));
  for (char c : route.path) {
    const bool word = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (word) {
      id += c;
    } else if (id.back() != '_') {
      id += '_';
    }
  }
  while (id.back() == '_') id.pop_back();
  return id;
}

// The path as OpenAPI writes it: "{name...}" (the rest of the path) is "{name}" there.
std::string DocumentedPath(std::string_view path) {
  std::string out(path);
  for (std::size_t at = out.find("...}"); at != std::string::npos; at = out.find("...}", at)) {
    out.erase(at, 3);
  }
  return out;
}

std::vector<std::string> PathParams(std::string_view path) {
  std::vector<std::string> names;
  std::size_t open = path.find('{');
  while (open != std::string_view::npos) {
    const std::size_t close = path.find('}', open);
    if (close == std::string_view::npos) break;
    names.emplace_back(path.substr(open + 1, close - open - 1));
    open = path.find('{', close);
  }
  return names;
}

json::value Fragment(const std::string& text) {
  // Router::Add already refused fragments that are not JSON objects.
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  return ec ? json::value(json::object{}) : v;
}

json::object ErrorSchema() {
  json::object detail;
  detail["type"] = "object";
  detail["required"] = json::array{"code", "message", "message_en", "request_id"};
  detail["properties"] = {
      {"code", {{"type", "string"}, {"description", "Mã lỗi ổn định / stable reason"}}},
      {"message", {{"type", "string"}, {"description", "Thông báo tiếng Việt"}}},
      {"message_en", {{"type", "string"}, {"description", "Message in English"}}},
      {"request_id", {{"type", "string"}}},
  };
  json::object schema;
  schema["type"] = "object";
  schema["required"] = json::array{"error"};
  schema["properties"] = {{"error", std::move(detail)}};
  return schema;
}

json::object ErrorResponseRef() { return {{"$ref", "#/components/responses/Error"}}; }

json::object PathParamObject(const PathParam& p) {
  json::object schema;
  switch (p.kind) {
    case PathParam::Kind::kInteger:
      schema = {{"type", "integer"}, {"format", "int64"}, {"minimum", p.minimum}};
      if (p.maximum != 0) schema["maximum"] = p.maximum;
      break;
    case PathParam::Kind::kDate:
      schema = {{"type", "string"}, {"format", "date"}};
      break;
    case PathParam::Kind::kString:
      schema = {{"type", "string"}, {"minLength", 1}};
      if (!p.pattern.empty()) schema["pattern"] = p.pattern;
      break;
  }
  json::object o{{"name", p.name}, {"in", "path"}, {"required", true}, {"schema", schema}};
  if (!p.description.empty()) o["description"] = p.description;
  return o;
}

json::object SchemaOf(const TypeDecl& type, SchemaSet& set) {
  json::object schema;
  type.schema(set, schema);
  return schema;
}

std::string StatusDescription(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 202:
      return "Accepted";
    case 204:
      return "No Content";
    default:
      return "Success";
  }
}

// The operation of a declared route (Route::answers): every part from the declared types.
void DeclaredOperation(const Route& route, SchemaSet& set, json::object& op) {
  json::array parameters;
  for (const PathParam& p : route.params) parameters.push_back(PathParamObject(p));
  if (route.query) {
    const json::object query = SchemaOf(route.query, set);
    const json::array* required =
        query.contains("required") ? &query.at("required").as_array() : nullptr;
    for (const auto& [name, schema] : query.at("properties").as_object()) {
      const bool must = required != nullptr && std::find(required->begin(), required->end(),
                                                         json::value(name)) != required->end();
      parameters.push_back(
          {{"name", name}, {"in", "query"}, {"required", must}, {"schema", schema}});
    }
  }
  if (!parameters.empty()) op["parameters"] = std::move(parameters);
  json::object body_content;
  if (route.body) {
    const json::object schema = SchemaOf(route.body, set);
    body_content["application/json"] = {{"schema", schema}};
    if (route.form) {
      // The same JSON as the `json` part, one part per file (files, or files.<component>).
      body_content["multipart/form-data"] = {
          {"schema",
           {{"type", "object"},
            {"required", json::array{"json"}},
            {"properties",
             {{"json", schema},
              {"files",
               {{"type", "array"}, {"items", {{"type", "string"}, {"format", "binary"}}}}}}},
            {"additionalProperties", {{"type", "string"}, {"format", "binary"}}}}},
          {"encoding", {{"json", {{"contentType", "application/json"}}}}}};
    }
  }
  for (const std::string& type : route.raw_body.types) {
    body_content[type] = {{"schema", {{"type", "string"}, {"format", "binary"}}}};
  }
  if (!route.form_parts.empty()) {
    json::object properties;
    json::array required;
    for (const FormPartDecl& part : route.form_parts) {
      json::object schema{{"type", "string"}, {"format", "binary"}};
      if (!part.description.empty()) schema["description"] = part.description;
      properties[part.name] = std::move(schema);
      if (part.required) required.emplace_back(part.name);
    }
    json::object schema{{"type", "object"}, {"properties", std::move(properties)}};
    if (!required.empty()) schema["required"] = std::move(required);
    body_content["multipart/form-data"] = {{"schema", std::move(schema)}};
  }
  const bool has_body = !body_content.empty();
  if (has_body) {
    // Only a raw body alone may be left out (an empty body that means something).
    const bool required = route.raw_body.required || route.body || !route.form_parts.empty();
    json::object body{{"required", required}, {"content", std::move(body_content)}};
    if (!route.raw_body.description.empty()) body["description"] = route.raw_body.description;
    op["requestBody"] = std::move(body);
  }
  json::object responses;
  for (const Answer& a : route.answers) {
    json::object content;
    if (a.type) {
      content = {{a.content_type, {{"schema", SchemaOf(a.type, set)}}}};
    } else if (!a.content_type.empty()) {
      const bool text = a.content_type.starts_with("text/");
      json::object schema{{"type", "string"}};
      if (!text) schema["format"] = "binary";
      content = {{a.content_type, {{"schema", std::move(schema)}}}};
    }
    json::value& r = responses[std::to_string(a.status)];
    if (r.is_object()) {  // another content type of the same status
      for (auto& [type, media] : content) r.at("content").as_object()[type] = std::move(media);
      if (!a.description.empty()) r.at("description") = a.description;
      continue;
    }
    r = json::object{
        {"description", a.description.empty() ? StatusDescription(a.status) : a.description}};
    if (!content.empty()) r.as_object()["content"] = std::move(content);
  }
  // The errors a client must expect, each in the one Error shape; any other one as `default`.
  // A route with errors of its own (Route::errors) has its handler's in its type: those it
  // declares, and `default`; the server's own (guard, body limit, rate limit) stay Error.
  const bool own = static_cast<bool>(route.errors);
  auto server_error = [&](std::string_view status) {
    if (!responses.contains(status)) responses[status] = ErrorResponseRef();
  };
  const bool input = !route.params.empty() || route.query || has_body;
  if (input && !own) server_error("400");
  if (!route.action.starts_with("public.")) {
    server_error("401");
    server_error("403");
  }
  if (!route.params.empty() && !own) server_error("404");
  if (has_body) server_error("413");
  if (route.body.json_only) server_error("415");
  server_error("429");
  if (own) {
    responses["default"] = {
        {"description", "Lỗi, theo định dạng của bên gọi / an error, in the caller's format"},
        {"content", {{"application/json", {{"schema", SchemaOf(route.errors, set)}}}}}};
  } else {
    responses["default"] = ErrorResponseRef();
  }
  op["responses"] = std::move(responses);
}

}  // namespace

std::string OpenApi(const Router& router, const OpenApiInfo& info) {
  json::object paths;
  SchemaSet set;
  for (const auto& route_ptr : router.routes()) {
    const Route& route = *route_ptr;
    json::object op;
    op["operationId"] = OperationId(route);
    op["summary"] = route.summary_vi.empty() ? route.summary_en : route.summary_vi;
    if (!route.summary_en.empty()) op["description"] = route.summary_en;
    op["tags"] = json::array{route.tag.empty() ? "default" : route.tag};
    op["x-action"] = route.action;
    // Public actions need no session; everything else takes a cookie session or a bearer token.
    if (route.action.starts_with("public.")) {
      op["security"] = json::array{};
    } else {
      op["security"] = json::array{json::object{{"cookieAuth", json::array{}}},
                                   json::object{{"bearerAuth", json::array{}}}};
    }
    if (!route.answers.empty()) {
      DeclaredOperation(route, set, op);
      json::value& item = paths[DocumentedPath(route.path)];
      if (!item.is_object()) item = json::object{};
      item.as_object()[LowerMethod(route.method)] = std::move(op);
      continue;
    }
    json::array parameters;
    for (const std::string& name : PathParams(DocumentedPath(route.path))) {
      parameters.push_back(
          {{"name", name}, {"in", "path"}, {"required", true}, {"schema", {{"type", "string"}}}});
    }
    if (!parameters.empty()) op["parameters"] = std::move(parameters);
    if (route.upload && !route.request_schema.empty()) {
      // Fields as JSON, files as base64 in it (small ones), or the same JSON as the `json` part
      // of a multipart form with one part per file (files, or files.<component>).
      json::object form_schema = {
          {"type", "object"},
          {"required", json::array{"json"}},
          {"properties",
           {{"json", Fragment(route.request_schema)},
            {"files", {{"type", "array"}, {"items", {{"type", "string"}, {"format", "binary"}}}}}}},
          {"additionalProperties", {{"type", "string"}, {"format", "binary"}}}};
      op["requestBody"] = {{"required", true},
                           {"content",
                            {{"application/json", {{"schema", Fragment(route.request_schema)}}},
                             {"multipart/form-data",
                              {{"schema", std::move(form_schema)},
                               {"encoding", {{"json", {{"contentType", "application/json"}}}}}}}}}};
    } else if (route.upload) {
      op["requestBody"] = {{"required", true},
                           {"content",
                            {{"application/octet-stream",
                              {{"schema", {{"type", "string"}, {"format", "binary"}}}}}}}};
    } else if (!route.request_schema.empty()) {
      op["requestBody"] = {
          {"required", true},
          {"content", {{"application/json", {{"schema", Fragment(route.request_schema)}}}}}};
    }
    json::object ok;
    ok["description"] = "OK";
    if (!route.response_schema.empty()) {
      ok["content"] = {{"application/json", {{"schema", Fragment(route.response_schema)}}}};
    }
    json::object responses;
    responses["200"] = std::move(ok);
    responses["default"] = ErrorResponseRef();
    op["responses"] = std::move(responses);

    json::value& item = paths[DocumentedPath(route.path)];
    if (!item.is_object()) item = json::object{};
    item.as_object()[LowerMethod(route.method)] = std::move(op);
  }

  json::object doc;
  doc["openapi"] = "3.0.3";
  doc["info"] = {
      {"title", info.title}, {"version", info.version}, {"description", info.description}};
  doc["paths"] = std::move(paths);
  json::object schemas = set.schemas();
  schemas["Error"] = ErrorSchema();
  doc["components"] = {
      {"schemas", std::move(schemas)},
      {"responses",
       {{"Error",
         {{"description", "Lỗi / Error (HTTP status from the error code)"},
          {"content",
           {{"application/json", {{"schema", {{"$ref", "#/components/schemas/Error"}}}}}}}}}}},
      {"securitySchemes",
       {{"cookieAuth", {{"type", "apiKey"}, {"in", "cookie"}, {"name", info.session_cookie}}},
        {"bearerAuth", {{"type", "http"}, {"scheme", "bearer"}}}}},
  };
  return json::serialize(doc);
}

void RegisterBuiltinRoutes(Router& router, const BuiltinOptions& options) {
  router.Add({.method = Method::kGet,
              .path = "/healthz",
              .action = "public.health",
              .summary_vi = "Kiểm tra tiến trình còn hoạt động",
              .summary_en = "Liveness: the process is up",
              .handler = [](const Request&, Context&) -> Result<Response> {
                Response r = Reply(200, Health{"ok"});
                r.headers.emplace_back("cache-control", "no-store");
                return r;
              },
              .cheap = true,
              .tag = "system",
              .answers = {Returns<Health>()}});

  // Not `cheap`: `ready` may ping a remote database, which must not stall an I/O thread. A
  // saturated worker pool then shows as slow readiness, which is what a load balancer should see.
  router.Add({.method = Method::kGet,
              .path = "/readyz",
              .action = "public.health",
              .summary_vi = "Kiểm tra sẵn sàng phục vụ (cơ sở dữ liệu)",
              .summary_en = "Readiness: dependencies (database) answer",
              .handler = [ready = options.ready](const Request&, Context&) -> Result<Response> {
                if (ready) {
                  Result<void> r = ready();
                  if (!r.ok()) return r.error();
                }
                Response r = Reply(200, Health{"ready"});
                r.headers.emplace_back("cache-control", "no-store");
                return r;
              },
              .tag = "system",
              .answers = {Returns<Health>()}});

  router.Add({.method = Method::kGet,
              .path = "/metrics",
              .action = "public.metrics",
              .summary_vi = "Số liệu vận hành (định dạng Prometheus)",
              .summary_en = "Operational metrics (Prometheus text format 0.0.4)",
              .handler = [token = options.metrics_token](const Request& request,
                                                         Context&) -> Result<Response> {
                TINHSO_RETURN_IF_ERROR(MetricsAllowed(request, token));
                Response r;
                r.content_type = "text/plain; version=0.0.4; charset=utf-8";
                r.body = core::Metrics::Global().RenderPrometheus();
                r.headers.emplace_back("cache-control", "no-store");
                return r;
              },
              // With a token, the guard may look the bearer up as a session first: a database
              // read, which must not hold an I/O thread.
              .cheap = options.metrics_token.empty(),
              .tag = "system",
              .answers = {FileAnswer(200, "text/plain; version=0.0.4")}});

  // Generated on first use, after every module has registered its routes, then served from
  // memory: the route table does not change while serving.
  struct Cache {
    std::once_flag once;
    std::string text;
  };
  auto cache = std::make_shared<Cache>();
  router.Add({.method = Method::kGet,
              .path = "/api/openapi.json",
              .action = "public.openapi",
              .summary_vi = "Tài liệu OpenAPI của toàn bộ API",
              .summary_en = "OpenAPI document for the whole API",
              .handler = [&router, cache, info = options.openapi](const Request&,
                                                                  Context&) -> Result<Response> {
                std::call_once(cache->once, [&] { cache->text = OpenApi(router, info); });
                Response r = JsonResponse(200, cache->text);
                r.headers.emplace_back("cache-control", "no-cache");
                return r;
              },
              .cheap = true,
              .tag = "system",
              .answers = {Returns<json::object>(200, "OpenAPI 3.0.3")}});
}

}  // namespace tinhso::http
