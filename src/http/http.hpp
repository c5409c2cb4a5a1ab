// The public face of the HTTP layer: plain request/response structs, routes and the router.
// No Beast or Asio here: modules include this header and stay cheap to compile. The server
// itself (Beast, Asio) lives in server.cpp, the only heavy translation unit.
#pragma once

#include <any>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <typeinfo>
#include <utility>
#include <vector>

#include "core/actor.hpp"
#include "core/byte_source.hpp"
#include "core/result.hpp"

namespace boost::json {
class object;
}  // namespace boost::json

namespace tinhso::http {

enum class Method { kGet, kHead, kPost, kPut, kPatch, kDelete, kOptions };
std::string_view MethodName(Method m);
// "GET" → Method::kGet; a method outside the enum (TRACE, PROPFIND…) → nullopt.
std::optional<Method> ParseMethod(std::string_view name);

// Header names are stored lower-case.
using Headers = std::vector<std::pair<std::string, std::string>>;

struct Request {
  Method method = Method::kGet;
  std::string path;  // decoded path without the query, e.g. "/api/v1/agencies/12"
  std::multimap<std::string, std::string> query;  // decoded query parameters
  std::string raw_query;  // the query as sent, without '?' (for a proxy to pass on unchanged)
  Headers headers;
  std::string body;         // the body, for routes without `upload`
  std::string upload_path;  // for a large body of an `upload` route: a temporary file holding it
  std::uint64_t upload_size = 0;
  std::string client_ip;
  std::string request_id;
  // The client reached us over HTTPS: on the server's own HTTPS listener (ServerOptions::tls),
  // or through a trusted proxy (ServerOptions::trusted_proxies) that said so in
  // X-Forwarded-Proto.
  bool https = false;
  // On the HTTPS listener: the certificate (DER) the client presented in the TLS handshake,
  // verified to chain to TlsOptions::client_ca_file; empty when it presented none (or came
  // over plain HTTP). Not checked for revocation: whoever relies on it checks that per request.
  std::string client_certificate;

  // The first header with this lower-case name, or "".
  std::string_view Header(std::string_view lower_name) const;
  // The first query parameter with this name. On a declared route (Route::answers) only the
  // names its Route::query type declares are served: any other name reads as absent and counts
  // in UndeclaredQueryReads(), so a handler cannot act on a parameter the document does not list.
  std::optional<std::string> Query(std::string_view name) const;
  // A cookie from the Cookie header.
  std::optional<std::string> Cookie(std::string_view name) const;
};

struct Response {
  int status = 200;
  std::string content_type = "application/json; charset=utf-8";
  std::string body;
  Headers headers;  // extra headers (Set-Cookie, Cache-Control, ETag, Location…)
  // When set, the body is streamed from this file instead of `body`.
  std::string file_path;
};

// What a handler knows about the request beyond its bytes.
struct Context {
  core::Actor actor;
  std::map<std::string, std::string, std::less<>> params;  // from "{name}" path segments
  std::string request_id;
  // The request's query and JSON body, parsed by the router into the types the route declares
  // (Route::query, Route::body; see http/api.hpp) before the handler runs.
  std::any query;
  std::any body;

  std::string_view Param(std::string_view name) const;
  // The parsed query or body. Asking for another type than the route declares is a programming
  // error: the process aborts with a message, so that it shows in the first test.
  template <class T>
  const T& Query() const {
    const T* value = std::any_cast<T>(&query);
    if (value == nullptr) Undeclared(query, typeid(T), "query");
    return *value;
  }
  template <class T>
  T& Body() {
    T* value = std::any_cast<T>(&body);
    if (value == nullptr) Undeclared(body, typeid(T), "body");
    return *value;
  }

 private:
  [[noreturn]] static void Undeclared(const std::any& value, const std::type_info& type,
                                      std::string_view which);
};

using Handler = std::function<Result<Response>(const Request&, Context&)>;

// Answers the request of an AsyncHandler. Thread-safe; the first call counts, later ones are
// ignored.
using Responder = std::function<void(Result<Response>)>;
// A handler that starts its work and returns at once, and calls the responder later, from any
// thread (typically the database's, see storage::Database::ReadAsync). It must not block: it runs
// on the connection's I/O thread. The request and context stay valid until the responder is called.
using AsyncHandler = std::function<void(const Request&, Context&, Responder)>;

// ---- Declarations (what the OpenAPI document says; see http/api.hpp for the typed helpers) -----

class SchemaSet;  // components/schemas while a document is built (http/api.hpp)

// A type the API reads or writes, type-erased: its JSON Schema and how to parse it from a
// request. Made by JsonBody<T>(), QueryParams<T>(), Returns<T>() in http/api.hpp.
struct TypeDecl {
  const std::type_info* type = nullptr;
  // Writes the type's schema into `out`: a $ref to components/schemas for a described struct
  // (added to the set on first use), inline otherwise.
  void (*schema)(SchemaSet& set, boost::json::object& out) = nullptr;
  // Parses the request into a value of the type (the JSON body, or the query parameters).
  Result<std::any> (*parse)(const Request& request) = nullptr;
  // For a query type: the parameter names it declares.
  std::vector<std::string> (*names)() = nullptr;
  // For a body: one whose Content-Type is not application/json is answered 415 before it is
  // parsed (JsonBody<T>({.json_only = true})).
  bool json_only = false;
  explicit operator bool() const { return type != nullptr; }
};

// A "{name}" path segment, typed. Made by IdParam, IntParam, DateParam, CodeParam below.
struct PathParam {
  enum class Kind { kInteger, kDate, kString };
  std::string name;
  Kind kind = Kind::kString;
  std::int64_t minimum = 0;  // kInteger
  std::int64_t maximum = 0;  // kInteger; 0: none
  std::string pattern;       // kString: a regular expression the value matches, or ""
  std::string description;
};
// A database id: integer, int64, at least 1.
PathParam IdParam(std::string name);
PathParam IntParam(std::string name, std::int64_t minimum, std::int64_t maximum);
PathParam DateParam(std::string name);  // YYYY-MM-DD
PathParam CodeParam(std::string name, std::string pattern = {});

// One status a route answers with, besides the errors every route may give (4xx/5xx with the
// shared Error schema, documented for every declared route). An error status is an answer only
// on a route with Route::errors, in that type. Several answers of one status are one response
// with several content types (a file served as what it is).
struct Answer {
  int status = 200;
  TypeDecl type;  // the JSON body's type; none for 204 or a non-JSON body
  std::string content_type = "application/json";  // "" for no content
  std::string description;
};

// 204 No Content.
Answer NoContent();
// A non-JSON body (a PDF, a CSV, Prometheus text…), documented as a string (binary unless text).
Answer FileAnswer(int status, std::string content_type);
// A redirect (302 Found by default) to the Location header's address, without a body: a
// browser sign-in's trip to the identity provider and back.
Answer Redirect(std::string description, int status = 302);
// The response of such an answer: `status`, Location, and no caching.
Response RedirectResponse(std::string location, int status = 302);

// A request body that is not JSON (Route::raw_body), documented as a binary string of each type.
struct RawBody {
  std::vector<std::string> types;  // "application/pdf"; "application/octet-stream": any file
  bool required = true;            // false: an empty body means something (say what)
  std::string description;
};

// One part of a multipart/form-data request body (Route::form_parts): a file, sent as bytes.
struct FormPartDecl {
  std::string name;
  bool required = true;
  std::string description;
};

struct Route {
  Method method = Method::kGet;
  // "/api/v1/agencies/{id}"; "{name}" matches one segment; a last "{name...}" the rest of the
  // path, one segment or more, slashes included (the gateway's upstream paths)
  std::string path;
  std::string action;  // permission action, e.g. "agency.read"; decided by the auth policy
  std::string summary_vi;
  std::string summary_en;
  Handler handler;
  // Body handling. Default: the body is read into memory, up to the server's body limit.
  // upload: the body may be as large as the upload limit. Over the body limit (or of unknown
  // length) it is streamed to a temporary file (Request::upload_path, upload_size), deleted after
  // the response; smaller, it arrives in Request::body. RequestBody reads either.
  bool upload = false;
  // Runs on the I/O thread: only for handlers that never block (health, metrics, static).
  bool cheap = false;
  // The handler waits on a durable commit (a submission, a transition): it runs on the write
  // pool (ServerOptions::write_threads), where many such requests wait at once and share group
  // commits, without occupying the read workers, whose number suits the CPU.
  bool writes = false;
  // CPU-heavy work that anyone may ask for without signing in: password hashing at login,
  // signature verification, time-stamps. Runs on its own small pool behind a bounded queue
  // (ServerOptions::costly), so that a flood of it never delays officers' requests; when the
  // queue is full the answer is 503 with Retry-After, at once.
  bool costly = false;
  // Optional, for hot reads whose database answers asynchronously: used instead of `handler`
  // when ServerOptions::async_handlers is on. No thread hand-off and no thread blocked while
  // the database works. Guard::Admit then runs on the I/O thread for requests without
  // credentials (no Authorization header, no cookie), on a worker otherwise.
  AsyncHandler async_handler;
  // OpenAPI fragments (JSON text), optional: requestBody schema and 200-response schema. The
  // old way, for routes not yet declared with the fields below.
  std::string request_schema;
  std::string response_schema;
  std::string tag;  // OpenAPI tag: the module name

  // ---- The declaration (http/api.hpp; ARCHITECTURE.md "Declaring a route") ----
  // A route with `answers` is declared: the OpenAPI document is made from these fields, the
  // router parses `query` and `body` into Context::query / Context::body before the handler
  // runs (an `upload` route's handler reads its body itself, with http::ParseJson of the same
  // type), and Router::Add refuses parameters that do not match the path.
  std::vector<PathParam> params;  // every "{name}" of the path, in order
  TypeDecl query;                 // the query parameters, one described struct
  TypeDecl body;                  // the JSON body
  // An `upload` route whose body may also be a multipart/form-data form: `body` as its `json`
  // part, files as the other parts.
  bool form = false;
  // A body that is not JSON, which the handler reads itself (RequestBody): raw bytes of one of
  // its media types…
  RawBody raw_body;
  // …or a multipart/form-data form of these file parts (an `upload` route, beside `body` when
  // small clients may also send the files base64 in JSON).
  std::vector<FormPartDecl> form_parts;
  std::vector<Answer> answers;  // each success status with its body
  // For a route that speaks a partner's protocol, whose own format the caller expects even for
  // errors (the payment platform's callback): the JSON type of the errors its handler answers
  // with, instead of the Error shape (ErrorBody<T>() in http/api.hpp). Its handler answers
  // every error itself as a Response, and reads its own query and body (DocumentedBody<T>()),
  // since the router would refuse them in the Error shape. Errors the server answers before
  // the handler runs (401/403 from the guard, 413, 429) keep the Error shape.
  TypeDecl errors;
};

// How many times a declared route's handler asked Request::Query for a name it did not declare
// (the read answered "absent"). Tests expect 0.
std::uint64_t UndeclaredQueryReads();

// Thread-safe for lookups once the server starts; routes are added before that.
//
// Matching works segment by segment: "{name}" matches one non-empty segment, and a literal
// segment wins over a parameter at the same position ("/a/new" beats "/a/{id}"). A HEAD request
// falls back to the GET route. Paths are matched exactly: no trailing-slash or case folding.
class Router {
 public:
  // Aborts the process with a message on a programming error, so it shows at startup: a
  // duplicate method + path (parameter names ignored), a malformed path, no handler, no action,
  // or request/response schemas that are not valid JSON.
  void Add(Route route);

  struct Match {
    const Route* route = nullptr;
    std::map<std::string, std::string, std::less<>> params;
    bool path_exists = false;     // true when another method matches the path (→ 405)
    std::vector<Method> allowed;  // when path_exists: the methods the path has (Allow header)
  };
  Match Find(Method method, std::string_view path) const;

  const std::vector<std::unique_ptr<Route>>& routes() const { return routes_; }

 private:
  struct Node;  // one path segment of the route trie (router.cpp)
  std::vector<std::unique_ptr<Route>> routes_;
  std::shared_ptr<Node> root_;
};

// Decides who the actor is and whether they may run the route. Implemented by auth; the server
// calls it for every request before the handler. Thread-safe.
class Guard {
 public:
  virtual ~Guard() = default;
  // Resolves the actor from the session cookie or bearer token (anonymous when there is none),
  // checks CSRF for cookie sessions on unsafe methods, and checks the route's action against the
  // policy. Errors: kUnauthenticated, kPermissionDenied.
  //
  // How the server calls it: on a worker thread, except for `cheap` routes and for requests
  // without credentials to `async_handler` routes (on an I/O thread, so public actions must be
  // decided without blocking). For a request with a body it runs
  // before the body is read, so that refused uploads are never read: Request::body and
  // upload_path are still empty then; headers, cookies, path and query are all there.
  virtual Result<core::Actor> Admit(const Request& request, const Route& route) = 0;
};

// ---- Helpers for handlers -------------------------------------------------------------------

// A JSON response from already-serialised JSON text.
Response JsonResponse(int status, std::string json);

// The body of a request: in memory, or for `upload` routes the temporary file it was streamed
// to. Errors: kPayloadTooLarge "http.body_too_large" above `max_bytes`.
Result<std::string> RequestBody(const Request& request, std::uint64_t max_bytes);

// Bytes someone uploaded (a dossier's file, a registered signature image or seal), whose content
// the server does not vouch for, answered so that a browser never runs them as a page of this
// site: `Content-Security-Policy: sandbox` (no scripts, no forms, an origin of their own, whatever
// the bytes turn out to be; every response is nosniff) and `Content-Disposition: attachment`,
// unless `show_inline` and the type is one browsers show by themselves (PDF, JPEG, PNG). An
// inline PDF goes without the sandbox: Chromium's and Safari's viewers show a blank page in a
// sandboxed document, and a PDF is drawn by the viewer, never run as a page of this origin.
Response UploadedFile(std::string bytes, std::string content_type, bool show_inline);

// The body as bytes to read a piece at a time: in memory, or the upload's temporary file (valid
// until the response is sent).
core::ByteSource RequestSource(const Request& request);

// ---- multipart/form-data (RFC 7578) ----------------------------------------------------------

// One part of a form: a field, or a file (it had a filename). `content` is a range of the
// request's body: nothing is copied, whatever its size.
struct FormPart {
  std::string name;          // the form field's name
  bool is_file = false;      // the part had a filename
  std::string filename;      // without folders, NFC; may be empty for a file
  std::string content_type;  // as the client declared it, lower case; never trusted
  core::ByteSource content;
};

struct FormLimits {
  std::size_t max_parts = 64;
  std::uint64_t max_field_bytes = 1 << 20;  // a field that is not a file
  std::uint64_t max_file_bytes = 10 << 20;
};

// True when the request says its body is multipart/form-data.
bool IsMultipart(const Request& request);
// True when the request says its body is JSON: "application/json", parameters allowed.
bool IsJson(const Request& request);

// The parts of a multipart/form-data body, in order. Errors: kInvalidArgument
// "http.bad_multipart" (no boundary, a malformed or truncated body); kPayloadTooLarge
// "http.file_too_large" (naming the file and the limit), "http.field_too_large",
// "http.too_many_parts".
Result<std::vector<FormPart>> ParseMultipart(const Request& request, const FormLimits& limits);

// The one error body shape:
// {"error":{"code","message","message_en","request_id"}}, with the status from the one table.
Response ErrorResponse(const Error& error, std::string_view request_id);

// The HTTP status for an error code (src/http/error_status.cpp: the one table).
int StatusFor(ErrorCode code);

// ---- Server ---------------------------------------------------------------------------------

// Admission for `costly` routes: at most `limit` such requests in the server at once, running on
// one of `threads` or waiting for one. Thread-safe; shared by the server, which admits, and by
// /readyz, which reports "busy" while it is full.
class CostlyAdmission {
 public:
  CostlyAdmission(int threads, int limit);
  // One more costly request, or false when `limit` are in already (answer 503).
  bool TryEnter();
  void Leave();
  bool Saturated() const;
  int threads() const { return threads_; }
  int limit() const { return limit_; }

 private:
  const int threads_;
  const int limit_;
  std::atomic<int> in_{0};
};

// A page of the web UI rendered on the server: semantic HTML that the static files put inside
// index.html's <div id="root">, so that it shows before the script has arrived (and without
// it); the script then replaces it. The HTTP layer knows nothing of what is in it.
struct RenderedPage {
  // Names the content: the same key always stands for the same title and html, so the server
  // keeps the assembled (and compressed) document by key.
  std::string key;
  std::string title_html;  // the document's <title>, escaped; empty keeps index.html's
  std::string html;        // what goes inside <div id="root">
  std::string lang;        // the document's <html lang>; empty keeps index.html's
  // Drawn for this request only (a dossier's lookup): never kept, sent with no-store.
  bool no_store = false;
};
// Called for each address answered with index.html (GET and HEAD); nullptr when that address
// has no page of its own (the plain index.html goes out). It runs on the I/O thread, where it
// must not block, unless the address has a query: then on a worker, where it may read the
// database. Pages may differ by the Cookie header (the reader's language).
using PageRenderer = std::function<std::shared_ptr<const RenderedPage>(const Request&)>;

// The server's own HTTPS listener, beside the plain HTTP one: same routes, guard, limits and
// pools. TLS 1.2 or later.
struct TlsOptions {
  unsigned short port = 8443;  // 0 = an ephemeral port, read it back with Server::tls_port()
  std::string certificate_chain_file;  // PEM: the server's certificate, then its CA chain
  std::string private_key_file;        // PEM (unencrypted); may be the same file
  // PEM: the CAs whose certificates clients may present (mutual TLS). A client certificate is
  // asked for, and one that does not chain to these fails the handshake; a client may also
  // present none (and authenticate otherwise, with a bearer token). Empty: none asked for.
  std::string client_ca_file;
};

struct ServerOptions {
  std::string host = "127.0.0.1";
  unsigned short port = 8080;  // 0 = an ephemeral port, read it back with Server::port()
  // HTTPS on host:tls->port as well; the same first_request_timeout bounds the TLS handshake,
  // and HTTPS connections count in max_connections and max_connections_per_ip.
  std::optional<TlsOptions> tls;
  int io_threads = 2;  // sockets, parsing, cheap routes, static files
  // Guard::Admit and handlers of routes that are not `cheap` run on this many worker threads.
  // 0 runs them on the I/O threads instead: no thread hand-off per request (the hand-off costs
  // more than a local SQLite read), at the price that a slow handler holds an I/O thread; the
  // io_context is shared, so the other I/O threads keep serving. Right for SQLite; for a remote
  // PostgreSQL, whose every query waits on the network, keep a worker pool.
  int worker_threads = 8;
  // Handlers of `writes` routes run on this many threads (always a pool, even when
  // worker_threads is 0). A thread waiting for its commit costs no CPU; more of them means
  // bigger shared commits under load.
  int write_threads = 32;
  // Costly routes (Route::costly): their threads and queue. Null: one thread per two cores and
  // 8 requests in all per thread.
  std::shared_ptr<CostlyAdmission> costly;
  // Routes with an `async_handler` use it (right when the database answers asynchronously:
  // PostgreSQL). Off: they run their `handler` like any other route.
  bool async_handlers = false;
  std::size_t header_limit = 16 * 1024;       // request line + headers; over it → 431
  std::size_t body_limit = 1 << 20;           // in-memory bodies; over it → 413
  std::uint64_t upload_limit = 100ull << 20;  // bodies of `upload` routes, streamed to disk
  std::string upload_dir = "var/uploads";     // created at Start() if missing
  // A request must arrive (headers) and keep moving (each body read, each response write)
  // within read_timeout, else 408 and close. idle_timeout: between keep-alive requests.
  std::chrono::seconds read_timeout{15};
  std::chrono::seconds idle_timeout{60};
  // A new connection must start its first request within this (a silent one is closed): idle
  // sockets opened in bulk would otherwise hold file descriptors for idle_timeout each.
  std::chrono::seconds first_request_timeout{10};
  // Connections open at once: in all, and from one address (a trusted proxy is not limited: its
  // address stands for many clients). Over either, a new connection gets 503 and is closed. The
  // total is also kept under the process's open-file limit, which Start() raises to its maximum.
  int max_connections = 10000;
  int max_connections_per_ip = 256;
  double rate_per_second = 50;  // token bucket per client IP; <= 0 turns it off
  double rate_burst = 200;
  std::string static_dir;       // e.g. web/dist or web/static; empty = no static files
  PageRenderer page_renderer;   // server-rendered pages of the UI; empty = none
  std::string access_log_path;  // empty = stdout
  // Peers (exact IPs, e.g. "127.0.0.1" for a local nginx) whose X-Forwarded-For is trusted to
  // name the client; the client IP feeds the rate limit, the access log and Request::client_ip.
  // Their X-Forwarded-Proto says whether the client used HTTPS (Request::https).
  std::vector<std::string> trusted_proxies;
  // Stop(): how long in-flight requests may take to finish before the server gives up on them.
  std::chrono::seconds shutdown_grace{10};
  bool handle_signals = true;  // Run() stops gracefully on SIGTERM / SIGINT
};

// The HTTP/1.1 server (Beast, in server.cpp). For each request, in this order: request id
// (a sane X-Request-Id is kept, else one is made) → per-IP rate limit (429) → route lookup
// (501 for a method implemented nowhere, 404/405; GET/HEAD outside /api fall back to static files)
// → Guard::Admit → body read (in memory, or streamed to a temporary file for `upload` routes) →
// handler → response with X-Request-Id and the security headers. Every response is counted in
// tinhso_http_requests_total and logged as one JSON access-log line.
//
// Start() and Run() are called once, from one thread; Stop() may be called from any thread.
class Server {
 public:
  // `router` and `guard` must outlive the server.
  Server(const Router& router, Guard& guard, ServerOptions options);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and listens. Errors: kInvalidArgument (bad host, missing static_dir;
  // "http.tls_config": a TLS certificate, key or client CA file that cannot be used),
  // kUnavailable (address in use, upload_dir or access log not writable).
  Result<void> Start();
  // The bound port, valid after Start() (useful with port 0).
  unsigned short port() const;
  // The HTTPS listener's bound port after Start(); 0 without ServerOptions::tls.
  unsigned short tls_port() const;
  // Serves on io_threads threads (the caller's included) until Stop() or SIGTERM/SIGINT, then
  // returns once in-flight requests have finished or shutdown_grace has passed.
  void Run();
  // Graceful: stop accepting, close idle connections, let requests in progress finish and
  // answer (with Connection: close). Returns at once; Run() returns when draining is done.
  void Stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Start() then Run(): the one-call form for the app. Returns Start()'s error, if any.
Result<void> Serve(const Router& router, Guard& guard, ServerOptions options);

// ---- Built-in routes and OpenAPI ------------------------------------------------------------

struct OpenApiInfo {
  std::string title = "tinhso — Tỉnh số API";
  std::string version = "0.1.0";
  std::string description = "API của hệ thống chính quyền số cấp tỉnh (tinhso).";
  std::string session_cookie = "tinhso_session";  // named in the cookie security scheme
};

// OpenAPI 3.0.3 (JSON text) generated from the route table, so it can never miss a route.
// Actions starting with "public." are documented without security requirements.
std::string OpenApi(const Router& router, const OpenApiInfo& info = {});

struct BuiltinOptions {
  // GET /readyz calls it (e.g. a database ping): ok → 200, error → its JSON error (503 for
  // kUnavailable). Empty = always ready.
  std::function<Result<void>()> ready;
  OpenApiInfo openapi;
  // GET /metrics is for operators. With a token, only requests bearing it
  // ("Authorization: Bearer <token>", as Prometheus sends it) are served; without one, only
  // clients on this machine: a loopback address, with no proxy's X-Forwarded-For or Forwarded.
  std::string metrics_token;
};

// Registers GET /healthz, GET /readyz, GET /metrics (Prometheus text 0.0.4, for operators only:
// see BuiltinOptions::metrics_token) and
// GET /api/openapi.json (generated once, on first request, from `router`, so register every
// other route before serving). `router` must outlive the routes' use. /readyz runs on a worker
// thread because `ready` may block; the others are `cheap`.
void RegisterBuiltinRoutes(Router& router, const BuiltinOptions& options);

}  // namespace tinhso::http
