#include "http/contract.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <mutex>
#include <regex>

#include "core/parse.hpp"

namespace tinhso::http::test {
namespace {

namespace bj = boost::json;

std::size_t CodePoints(std::string_view s) {
  std::size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80 ? 1 : 0;
  return n;
}

bool HasType(const bj::value& v, std::string_view type) {
  if (type == "object") return v.is_object();
  if (type == "array") return v.is_array();
  if (type == "string") return v.is_string();
  if (type == "boolean") return v.is_bool();
  if (type == "integer") return v.is_int64() || v.is_uint64();
  if (type == "number") return v.is_number();
  return false;
}

std::mutex g_mutex;
std::shared_ptr<const Contract> g_contract;

}  // namespace

std::string ValidateSchema(const bj::value& document, const bj::value& schema_value,
                           const bj::value& instance, const std::string& where) {
  if (!schema_value.is_object()) return where + ": the schema is not an object";
  const bj::object& schema = schema_value.as_object();
  if (const auto* ref = schema.if_contains("$ref")) {
    const std::string_view text = ref->as_string();
    constexpr std::string_view kPrefix = "#/components/schemas/";
    if (!text.starts_with(kPrefix)) return where + ": unsupported $ref " + std::string(text);
    const bj::value* target = document.at("components")
                                  .at("schemas")
                                  .as_object()
                                  .if_contains(text.substr(kPrefix.size()));
    if (target == nullptr) return where + ": dangling $ref " + std::string(text);
    return ValidateSchema(document, *target, instance, where);
  }
  if (instance.is_null()) {
    const bj::value* nullable = schema.if_contains("nullable");
    if (nullable != nullptr && nullable->is_bool() && nullable->as_bool()) return "";
    if (schema.empty()) return "";
    return where + ": null where the document allows none";
  }
  if (const auto* all = schema.if_contains("allOf")) {
    for (const bj::value& part : all->as_array()) {
      std::string problem = ValidateSchema(document, part, instance, where);
      if (!problem.empty()) return problem;
    }
  }
  if (const auto* type = schema.if_contains("type")) {
    if (!HasType(instance, type->as_string())) {
      return where + ": expected " + std::string(type->as_string()) + ", got " +
             bj::serialize(instance).substr(0, 80);
    }
  }
  if (const auto* values = schema.if_contains("enum")) {
    bool found = false;
    for (const bj::value& v : values->as_array()) found = found || v == instance;
    if (!found) return where + ": " + bj::serialize(instance) + " is not among the enum";
  }
  if (instance.is_string()) {
    const std::string_view s = instance.as_string();
    if (const auto* max = schema.if_contains("maxLength")) {
      if (CodePoints(s) > static_cast<std::size_t>(max->to_number<std::int64_t>())) {
        return where + ": longer than maxLength";
      }
    }
    if (const auto* min = schema.if_contains("minLength")) {
      if (CodePoints(s) < static_cast<std::size_t>(min->to_number<std::int64_t>())) {
        return where + ": shorter than minLength";
      }
    }
    if (const auto* format = schema.if_contains("format")) {
      if (format->as_string() == "date" && !core::ParseDate(s)) {
        return where + ": \"" + std::string(s) + "\" is not a date";
      }
      if (format->as_string() == "date-time" && (s.size() < 20 || !core::ParseTimestamp(s))) {
        return where + ": \"" + std::string(s) + "\" is not a date-time";
      }
    }
    if (const auto* pattern = schema.if_contains("pattern")) {
      if (!std::regex_search(std::string(s), std::regex(std::string(pattern->as_string())))) {
        return where + ": \"" + std::string(s) + "\" does not match the pattern";
      }
    }
  }
  if (instance.is_int64() || instance.is_uint64()) {
    const double n = instance.to_number<double>();
    if (const auto* min = schema.if_contains("minimum"); min && n < min->to_number<double>()) {
      return where + ": below the minimum";
    }
    if (const auto* max = schema.if_contains("maximum"); max && n > max->to_number<double>()) {
      return where + ": above the maximum";
    }
    if (const auto* format = schema.if_contains("format");
        format && format->as_string() == "int32" && (n < -2147483648.0 || n > 2147483647.0)) {
      return where + ": not an int32";
    }
  }
  if (instance.is_object()) {
    const bj::object& o = instance.as_object();
    if (const auto* required = schema.if_contains("required")) {
      for (const bj::value& name : required->as_array()) {
        if (!o.contains(name.as_string())) {
          return where + ": missing required " + std::string(name.as_string());
        }
      }
    }
    if (const auto* properties = schema.if_contains("properties")) {
      for (const auto& [name, sub] : properties->as_object()) {
        if (const bj::value* v = o.if_contains(name)) {
          std::string problem = ValidateSchema(document, sub, *v, where + "." + std::string(name));
          if (!problem.empty()) return problem;
        }
      }
    }
  }
  if (instance.is_array()) {
    if (const auto* items = schema.if_contains("items")) {
      std::size_t i = 0;
      for (const bj::value& v : instance.as_array()) {
        std::string problem =
            ValidateSchema(document, *items, v, where + "[" + std::to_string(i++) + "]");
        if (!problem.empty()) return problem;
      }
    }
  }
  return "";
}

Contract::Contract(const Router& router) : router_(router), document_(bj::parse(OpenApi(router))) {}

std::string Contract::Check(std::string_view method_name, std::string_view target, int status,
                            std::string_view content_type, std::string_view body) const {
  if (status == 0 || method_name == "HEAD" || method_name == "OPTIONS") return "";
  const std::string_view path = target.substr(0, target.find('?'));
  const std::string what =
      std::string(method_name) + " " + std::string(path) + " → " + std::to_string(status) + ": ";
  const bool is_json = content_type.starts_with("application/json");
  bj::value instance;
  if (is_json) {
    boost::system::error_code ec;
    instance = bj::parse(body, ec);
    if (ec) return what + "the body is not JSON";
  }
  const bj::value error_schema = {{"$ref", "#/components/schemas/Error"}};
  std::optional<Method> method;
  for (Method m : {Method::kGet, Method::kPost, Method::kPut, Method::kPatch, Method::kDelete}) {
    if (MethodName(m) == method_name) method = m;
  }
  const Router::Match match = method ? router_.Find(*method, path) : Router::Match{};
  const bool declared = match.route != nullptr && !match.route->answers.empty();
  if (!declared && (match.route == nullptr || status >= 400)) {
    // Errors of a route the document does not describe: the one Error shape, when JSON.
    if (status >= 400 && is_json) {
      const std::string problem = ValidateSchema(document_, error_schema, instance);
      if (!problem.empty()) return what + problem;
    }
    return "";
  }
  std::string lower(method_name);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  const bj::value& operation = document_.at("paths").at(match.route->path).at(lower);
  const bj::object& responses = operation.at("responses").as_object();
  const bj::value* response = responses.if_contains(std::to_string(status));
  // An error the operation does not list is its `default` (the Error shape, unless the route
  // answers errors in a format of its own).
  if (response == nullptr && status >= 400) response = responses.if_contains("default");
  if (response == nullptr) {
    return declared ? what + "a status the document does not list" : "";
  }
  if (const bj::value* ref = response->as_object().if_contains("$ref")) {
    constexpr std::string_view kPrefix = "#/components/responses/";
    const std::string_view text = ref->as_string();
    if (!text.starts_with(kPrefix)) return what + "unsupported $ref " + std::string(text);
    response = document_.at("components")
                   .at("responses")
                   .as_object()
                   .if_contains(text.substr(kPrefix.size()));
    if (response == nullptr) return what + "dangling $ref " + std::string(text);
  }
  const bj::value* content = response->as_object().if_contains("content");
  if (content == nullptr) {
    if (declared && !body.empty()) return what + "a body where the document says none";
    return "";
  }
  if (const bj::value* json = content->as_object().if_contains("application/json")) {
    // A status may be served as several types (a file as what it is): any the document lists.
    const std::string_view media = content_type.substr(0, content_type.find(';'));
    if (!is_json && content->as_object().contains(media)) return "";
    if (!is_json) return what + "not JSON (" + std::string(content_type) + ")";
    const std::string problem = ValidateSchema(document_, json->at("schema"), instance);
    if (!problem.empty()) return what + problem;
  }
  return "";
}

std::string Contract::Check(const Request& request, const Result<Response>& result) const {
  std::string target = request.path;
  char separator = '?';
  for (const auto& [name, value] : request.query) {
    target += separator + name + "=" + value;
    separator = '&';
  }
  const Response answer = result.ok() ? *result : ErrorResponse(result.error(), "test");
  return Check(MethodName(request.method), target, answer.status, answer.content_type, answer.body);
}

Result<Response> Contract::Call(Method method, const std::string& path, std::string body,
                                std::multimap<std::string, std::string> query,
                                const core::Actor& actor) const {
  Request request;
  request.method = method;
  request.path = path;
  request.query = std::move(query);
  request.body = std::move(body);
  const std::uint64_t undeclared = UndeclaredQueryReads();
  Result<Response> response = Invoke(router_, request, actor);
  EXPECT_EQ(UndeclaredQueryReads(), undeclared) << path << ": an undeclared query parameter read";
  const std::string problem = Check(request, response);
  EXPECT_EQ(problem, "") << "the API document does not allow " << problem;
  return response;
}

Result<Response> Invoke(const Router& router, const Request& request, const core::Actor& actor) {
  const Router::Match match = router.Find(request.method, request.path);
  EXPECT_NE(match.route, nullptr) << request.path;
  if (match.route == nullptr) return InternalError("no route for " + request.path);
  Context context;
  context.actor = actor;
  context.params = match.params;
  return match.route->handler(request, context);
}

void UseContract(std::shared_ptr<const Contract> contract) {
  const std::lock_guard lock(g_mutex);
  g_contract = std::move(contract);
}

std::shared_ptr<const Contract> CurrentContract() {
  const std::lock_guard lock(g_mutex);
  return g_contract;
}

}  // namespace tinhso::http::test
