// The router (a trie of path segments) and the small helpers declared in http.hpp.
#include <algorithm>
#include <atomic>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>

#include "http/http.hpp"
#include "http/internal.hpp"

namespace tinhso::http {
namespace {

// The state of one Router::Find.
struct Search {
  Method method;
  std::string_view path;
  const std::vector<std::string_view>& segments;
  std::vector<std::string_view> captured;
  Router::Match& match;
};

}  // namespace

// Each node is one segment position. A route lives on the node where its path ends, keyed by
// method; its parameter names stay with the route, so "/a/{id}" and "/a/{code}/b" share the
// parameter node and still report their own names.
struct Router::Node {
  struct Entry {
    const Route* route = nullptr;
    std::vector<std::string> param_names;  // in path order
  };
  std::map<std::string, std::unique_ptr<Node>, std::less<>> literal;
  std::unique_ptr<Node> param;
  std::unique_ptr<Node> rest;  // "{name...}": the rest of the path, one segment or more
  std::map<Method, Entry> routes;

  // Depth-first, literal before parameter before the rest, so the first full match is the most
  // specific one. Nodes that match the path but not the method are remembered for the 405 answer.
  bool Walk(std::size_t i, Search& s) const;
  // The path ends at this node: its route for the method, if any.
  bool End(Search& s) const;
};

namespace {

[[noreturn]] void DieRoute(const Route& route, std::string_view why) {
  // A broken route table is a programming error: refuse to start rather than serve a hole.
  std::fprintf(stderr, "tinhso: http: route %s %s: %.*s\n",
               std::string(MethodName(route.method)).c_str(), route.path.c_str(),
               static_cast<int>(why.size()), why.data());
  std::abort();
}

bool IsParamName(std::string_view name) {
  if (name.empty() || (name[0] >= '0' && name[0] <= '9')) return false;
  for (char c : name) {
    const bool ok =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    if (!ok) return false;
  }
  return true;
}

// "/a/b" → {"a", "b"}; "/" → {}. Keeps empty segments ("/a//b", "/a/") so they never match.
std::vector<std::string_view> SplitPath(std::string_view path) {
  std::vector<std::string_view> segments;
  if (path.empty() || path == "/") return segments;
  std::size_t start = path[0] == '/' ? 1 : 0;
  while (true) {
    const std::size_t slash = path.find('/', start);
    if (slash == std::string_view::npos) {
      segments.push_back(path.substr(start));
      break;
    }
    segments.push_back(path.substr(start, slash - start));
    start = slash + 1;
  }
  return segments;
}

// The query names the declared route running on this thread declares (null: not a declared
// route). Set around the handler by the wrapper Router::Add installs.
thread_local const std::vector<std::string>* t_declared_query = nullptr;
std::atomic<std::uint64_t> g_undeclared_query_reads{0};

struct DeclaredQueryScope {
  explicit DeclaredQueryScope(const std::vector<std::string>* names)
      : saved(std::exchange(t_declared_query, names)) {}
  ~DeclaredQueryScope() { t_declared_query = saved; }
  DeclaredQueryScope(const DeclaredQueryScope&) = delete;
  DeclaredQueryScope& operator=(const DeclaredQueryScope&) = delete;
  const std::vector<std::string>* saved;
};

// 415 is a transport status, like 431: an answer of its own, not an error code's status.
Response UnsupportedMediaType(const Context& context) {
  Response r = ErrorResponse(
      MakeError(ErrorCode::kInvalidArgument, "http.unsupported_media_type",
                "Yêu cầu này phải gửi dữ liệu JSON (Content-Type: application/json).",
                "This request must be sent as JSON (Content-Type: application/json)."),
      context.request_id);
  r.status = 415;
  return r;
}

// A declared route (Route::answers): its parameters must be the path's, and its handler gets the
// query and body parsed into the declared types, may read only the declared query names, and
// may answer only a declared status (or an error).
void Declare(Route& route, const std::vector<std::string>& path_names) {
  if (route.params.size() != path_names.size()) DieRoute(route, "params do not match the path");
  for (std::size_t i = 0; i < path_names.size(); ++i) {
    if (route.params[i].name != path_names[i]) DieRoute(route, "params do not match the path");
  }
  if (route.form && !route.upload) DieRoute(route, "a form is an upload");
  if (!route.form_parts.empty() && (route.form || !route.upload)) {
    DieRoute(route, "form parts are an upload's, without the json part of `form`");
  }
  if (route.body && !route.upload && !route.raw_body.types.empty()) {
    DieRoute(route, "a JSON body the router parses excludes a raw body");
  }
  if (!route.request_schema.empty() || !route.response_schema.empty()) {
    DieRoute(route, "a declared route has no hand-written schemas");
  }
  if (route.errors && (route.query.parse != nullptr || route.body.parse != nullptr)) {
    DieRoute(route, "a route with errors of its own reads its own query and body");
  }
  std::vector<int> statuses;
  for (const Answer& a : route.answers) {
    if (a.status < 200) DieRoute(route, "answers are successes");
    if (a.status >= 400 && !(route.errors && a.type && *a.type.type == *route.errors.type)) {
      DieRoute(route, "an error answer is of the route's errors type");
    }
    if (a.type && a.content_type != "application/json") DieRoute(route, "a typed answer is JSON");
    statuses.push_back(a.status);
  }
  auto names = std::make_shared<const std::vector<std::string>>(
      route.query.names ? route.query.names() : std::vector<std::string>{});
  // An upload's body may be a file or a form: its handler parses the JSON with the same type.
  const bool parse_body = route.body.parse != nullptr && !route.upload;
  // A JSON-only body of another type is refused before anything reads it (sign-in: a page may
  // make a browser post a form or text/plain anywhere, JSON only after a CORS preflight).
  const bool json_only = parse_body && route.body.json_only;
  auto declared = std::make_shared<const std::vector<int>>(std::move(statuses));
  // The query and body into the declared types, before the handler runs.
  auto parse = [query = route.query, body = route.body, parse_body](
                   const Request& request, Context& context) -> Result<void> {
    if (query.parse) {
      TINHSO_ASSIGN_OR_RETURN(context.query, query.parse(request));
    }
    if (parse_body) {
      TINHSO_ASSIGN_OR_RETURN(context.body, body.parse(request));
    }
    return Ok();
  };
  auto check = [declared](Result<Response> response) -> Result<Response> {
    if (response.ok() && response->status < 400 &&
        std::find(declared->begin(), declared->end(), response->status) == declared->end()) {
      return MakeError(ErrorCode::kInternal, "http.undeclared_status",
                       "Lỗi máy chủ: câu trả lời không có trong tài liệu API.",
                       "Server error: the answer is not in the API document.",
                       "status " + std::to_string(response->status));
    }
    return response;
  };
  route.handler = [inner = std::move(route.handler), parse, check, names, json_only](
                      const Request& request, Context& context) -> Result<Response> {
    if (json_only && !IsJson(request)) return UnsupportedMediaType(context);
    const DeclaredQueryScope scope(names.get());
    TINHSO_RETURN_IF_ERROR(parse(request, context));
    return check(inner(request, context));
  };
  // The same for an async handler: parsing is plain CPU work on the I/O thread it starts on,
  // so it needs no thread hop; the answer is checked wherever the responder is called. (Only
  // the handler's start sees the declared names: a read after it, on another thread, is its
  // own.)
  if (route.async_handler) {
    route.async_handler = [inner = std::move(route.async_handler), parse, check, names, json_only](
                              const Request& request, Context& context, Responder respond) {
      if (json_only && !IsJson(request)) return respond(UnsupportedMediaType(context));
      const DeclaredQueryScope scope(names.get());
      if (Result<void> parsed = parse(request, context); !parsed.ok()) {
        return respond(std::move(parsed).error());
      }
      inner(request, context, [respond = std::move(respond), check](Result<Response> response) {
        respond(check(std::move(response)));
      });
    };
  }
}

void CheckSchema(const Route& route, const std::string& schema, std::string_view which) {
  if (schema.empty()) return;
  boost::system::error_code ec;
  const boost::json::value v = boost::json::parse(schema, ec);
  if (ec || !v.is_object()) DieRoute(route, std::string(which) + " is not a JSON object");
}

}  // namespace

std::string_view MethodName(Method m) {
  switch (m) {
    case Method::kGet:
      return "GET";
    case Method::kHead:
      return "HEAD";
    case Method::kPost:
      return "POST";
    case Method::kPut:
      return "PUT";
    case Method::kPatch:
      return "PATCH";
    case Method::kDelete:
      return "DELETE";
    case Method::kOptions:
      return "OPTIONS";
  }
  return "GET";
}

std::optional<Method> ParseMethod(std::string_view name) {
  for (Method m : {Method::kGet, Method::kHead, Method::kPost, Method::kPut, Method::kPatch,
                   Method::kDelete, Method::kOptions}) {
    if (MethodName(m) == name) return m;
  }
  return std::nullopt;
}

namespace internal {

std::optional<Method> ParseMethod(std::string_view name) { return http::ParseMethod(name); }

}  // namespace internal

void Router::Add(Route route) {
  if (!route.handler) DieRoute(route, "no handler");
  if (route.action.empty()) DieRoute(route, "no action: every route goes through the policy");
  if (route.path.empty() || route.path[0] != '/') DieRoute(route, "path must start with '/'");
  CheckSchema(route, route.request_schema, "request_schema");
  CheckSchema(route, route.response_schema, "response_schema");

  if (!root_) root_ = std::make_shared<Node>();
  Node* node = root_.get();
  Node::Entry entry;
  const std::vector<std::string_view> segments = SplitPath(route.path);
  for (std::size_t i = 0; i < segments.size(); ++i) {
    const std::string_view segment = segments[i];
    if (segment.empty()) DieRoute(route, "empty path segment");
    if (segment.starts_with('{') && segment.ends_with("...}")) {
      if (i + 1 != segments.size()) DieRoute(route, "a {name...} parameter ends the path");
      const std::string_view name = segment.substr(1, segment.size() - 5);
      if (!IsParamName(name)) DieRoute(route, "bad parameter name");
      for (const auto& seen : entry.param_names) {
        if (seen == name) DieRoute(route, "parameter used twice");
      }
      entry.param_names.emplace_back(name);
      if (!node->rest) node->rest = std::make_unique<Node>();
      node = node->rest.get();
    } else if (segment.front() == '{' && segment.back() == '}') {
      const std::string_view name = segment.substr(1, segment.size() - 2);
      if (!IsParamName(name)) DieRoute(route, "bad parameter name");
      for (const auto& seen : entry.param_names) {
        if (seen == name) DieRoute(route, "parameter used twice");
      }
      entry.param_names.emplace_back(name);
      if (!node->param) node->param = std::make_unique<Node>();
      node = node->param.get();
    } else {
      if (segment.find_first_of("{}") != std::string_view::npos) {
        DieRoute(route, "a parameter must be a whole segment");
      }
      auto it = node->literal.find(segment);
      if (it == node->literal.end()) {
        it = node->literal.emplace(std::string(segment), std::make_unique<Node>()).first;
      }
      node = it->second.get();
    }
  }
  if (node->routes.contains(route.method)) DieRoute(route, "duplicate route");
  if (!route.answers.empty()) Declare(route, entry.param_names);
  routes_.push_back(std::make_unique<Route>(std::move(route)));
  entry.route = routes_.back().get();
  node->routes.emplace(entry.route->method, std::move(entry));
}

bool Router::Node::End(Search& s) const {
  {
    if (routes.empty()) return false;
    auto it = routes.find(s.method);
    if (it == routes.end() && s.method == Method::kHead) it = routes.find(Method::kGet);
    if (it == routes.end()) {
      s.match.path_exists = true;
      for (const auto& [method, entry] : routes) {
        s.match.allowed.push_back(method);
        if (method == Method::kGet) s.match.allowed.push_back(Method::kHead);
      }
      return false;
    }
    s.match.route = it->second.route;
    for (std::size_t k = 0; k < s.captured.size(); ++k) {
      s.match.params.emplace(it->second.param_names[k], std::string(s.captured[k]));
    }
    return true;
  }
}

bool Router::Node::Walk(std::size_t i, Search& s) const {
  if (i == s.segments.size()) return End(s);
  const std::string_view segment = s.segments[i];
  if (auto it = literal.find(segment); it != literal.end()) {
    if (it->second->Walk(i + 1, s)) return true;
  }
  if (param && !segment.empty()) {
    s.captured.push_back(segment);
    if (param->Walk(i + 1, s)) return true;
    s.captured.pop_back();
  }
  if (rest && !segment.empty()) {
    // The segments are views into the path: the rest runs from this one to the path's end.
    const auto from = static_cast<std::size_t>(segment.data() - s.path.data());
    s.captured.push_back(s.path.substr(from));
    if (rest->End(s)) return true;
    s.captured.pop_back();
  }
  return false;
}

Router::Match Router::Find(Method method, std::string_view path) const {
  Match match;
  if (!root_) return match;
  const std::vector<std::string_view> segments = SplitPath(path);
  Search search{method, path, segments, {}, match};
  if (root_->Walk(0, search)) {
    match.path_exists = false;
    match.allowed.clear();
    return match;
  }
  std::sort(match.allowed.begin(), match.allowed.end());
  match.allowed.erase(std::unique(match.allowed.begin(), match.allowed.end()), match.allowed.end());
  return match;
}

// ---- Request, Context, helpers --------------------------------------------------------------

std::string_view Request::Header(std::string_view lower_name) const {
  for (const auto& [name, value] : headers) {
    if (name == lower_name) return value;
  }
  return {};
}

std::uint64_t UndeclaredQueryReads() { return g_undeclared_query_reads.load(); }

std::optional<std::string> Request::Query(std::string_view name) const {
  if (t_declared_query != nullptr && std::find(t_declared_query->begin(), t_declared_query->end(),
                                               name) == t_declared_query->end()) {
    g_undeclared_query_reads.fetch_add(1);
    return std::nullopt;
  }
  auto it = query.find(std::string(name));
  if (it == query.end()) return std::nullopt;
  return it->second;
}

std::optional<std::string> Request::Cookie(std::string_view name) const {
  auto trim = [](std::string_view v) {
    while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
    while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
    return v;
  };
  // HTTP/1.1 sends one Cookie header, but proxies may split it; look at all of them.
  for (const auto& [header, value] : headers) {
    if (header != "cookie") continue;
    std::string_view rest = value;
    while (!rest.empty()) {
      const std::size_t semi = rest.find(';');
      const std::string_view pair = trim(rest.substr(0, semi));
      rest = semi == std::string_view::npos ? std::string_view{} : rest.substr(semi + 1);
      const std::size_t eq = pair.find('=');
      if (eq == std::string_view::npos || trim(pair.substr(0, eq)) != name) continue;
      std::string_view v = trim(pair.substr(eq + 1));
      if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
      return std::string(v);
    }
  }
  return std::nullopt;
}

void Context::Undeclared(const std::any& value, const std::type_info& type,
                         std::string_view which) {
  std::fprintf(stderr, "tinhso: http: a handler asked for its %.*s as %s, but the route %s\n",
               static_cast<int>(which.size()), which.data(), type.name(),
               value.has_value() ? "declares another type" : "declares none");
  std::abort();
}

std::string_view Context::Param(std::string_view name) const {
  auto it = params.find(name);
  return it == params.end() ? std::string_view{} : std::string_view(it->second);
}

Response JsonResponse(int status, std::string json) {
  Response r;
  r.status = status;
  r.body = std::move(json);
  return r;
}

Response UploadedFile(std::string bytes, std::string content_type, bool show_inline) {
  Response r;
  r.content_type = content_type.empty() ? "application/octet-stream" : std::move(content_type);
  r.body = std::move(bytes);
  const bool pdf = r.content_type == "application/pdf";
  const bool viewable = pdf || r.content_type == "image/jpeg" || r.content_type == "image/png";
  const bool show = show_inline && viewable;
  r.headers.emplace_back("Content-Disposition", show ? "inline" : "attachment");
  // A download opened from the browser's list, an image opened in its own tab, a type a
  // browser would render as a page: whatever it is, it runs in an opaque origin with nothing
  // enabled. Only an inline PDF goes without, for its viewer's sake (see http.hpp).
  if (!(show && pdf)) r.headers.emplace_back("Content-Security-Policy", "sandbox");
  return r;
}

Result<std::string> RequestBody(const Request& request, std::uint64_t max_bytes) {
  const std::uint64_t size =
      request.upload_path.empty() ? request.body.size() : request.upload_size;
  if (size > max_bytes) {
    return MakeError(
        ErrorCode::kPayloadTooLarge, "http.body_too_large",
        "Tệp gửi lên quá lớn (tối đa " + std::to_string(max_bytes >> 20) + " MB).",
        "The upload is too large (" + std::to_string(max_bytes >> 20) + " MB at most).");
  }
  if (request.upload_path.empty()) return request.body;
  std::ifstream in(request.upload_path, std::ios::binary);
  std::string out((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (!in && !in.eof()) return InternalError("cannot read upload " + request.upload_path);
  return out;
}

Response ErrorResponse(const Error& error, std::string_view request_id) {
  // Error::detail is for the log only: it may hold SQL states, file names, remote replies.
  boost::json::object inner;
  inner["code"] = error.reason.empty() ? ErrorCodeName(error.code) : error.reason;
  inner["message"] = error.message_vi;
  inner["message_en"] = error.message_en;
  inner["request_id"] = request_id;
  boost::json::object body;
  body["error"] = std::move(inner);
  Response r = JsonResponse(StatusFor(error.code), boost::json::serialize(body));
  r.headers.emplace_back("cache-control", "no-store");
  return r;
}

}  // namespace tinhso::http

namespace tinhso::http {

CostlyAdmission::CostlyAdmission(int threads, int limit)
    : threads_(std::max(1, threads)), limit_(std::max(threads_, limit)) {}

bool CostlyAdmission::TryEnter() {
  int now = in_.load(std::memory_order_relaxed);
  while (now < limit_) {
    if (in_.compare_exchange_weak(now, now + 1, std::memory_order_acq_rel)) return true;
  }
  return false;
}

void CostlyAdmission::Leave() { in_.fetch_sub(1, std::memory_order_acq_rel); }

bool CostlyAdmission::Saturated() const { return in_.load(std::memory_order_acquire) >= limit_; }

}  // namespace tinhso::http
