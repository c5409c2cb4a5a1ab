// Thin HTTP handlers for sign-in, sessions and accounts.
#include <boost/json.hpp>

#include "auth/auth.hpp"
#include "auth/json.hpp"
#include "core/json.hpp"
#include "core/parse.hpp"

namespace tinhso::auth {
namespace {

std::string CookieHeader(std::string_view name, std::string_view value, bool http_only,
                         long long max_age, bool secure) {
  std::string c = std::string(name) + "=" + std::string(value) +
                  "; Path=/; SameSite=Strict; Max-Age=" + std::to_string(max_age);
  if (http_only) c += "; HttpOnly";
  if (secure) c += "; Secure";
  return c;
}

// Secure when the configuration says the site is HTTPS, or when the proxy in front of us (a
// trusted one: the server decides) says this request came over HTTPS. A cookie without it
// would be sent back over plain HTTP should the browser ever be led there.
bool SecureCookies(const Accounts& accounts, const http::Request& req) {
  return accounts.options().cookie_secure || req.https;
}

Result<std::int64_t> IdParam(const http::Context& ctx) {
  auto id = core::ParseInt64(ctx.Param("id"));
  if (!id || *id <= 0) {
    return MakeError(ErrorCode::kInvalidArgument, "request.invalid_id",
                     "Mã số trong đường dẫn không hợp lệ.", "The id in the path is not valid.");
  }
  return *id;
}

// A refused sign-in as an answer; a throttled one says when to come back (Retry-After), so a
// client waits instead of the server sleeping.
http::Response Refused(const Error& error, int retry_after_seconds, const http::Context& ctx) {
  http::Response r = http::ErrorResponse(error, ctx.request_id);
  if (retry_after_seconds > 0) {
    r.headers.emplace_back("Retry-After", std::to_string(retry_after_seconds));
  }
  return r;
}

// Whether the body is declared as JSON ("application/json", parameters allowed).
bool IsJson(const http::Request& req) {
  std::string_view type = req.Header("content-type");
  type = type.substr(0, type.find(';'));
  while (!type.empty() && type.back() == ' ') type.remove_suffix(1);
  constexpr std::string_view kJson = "application/json";
  if (type.size() != kJson.size()) return false;
  for (std::size_t i = 0; i < type.size(); ++i) {
    const char c = type[i] >= 'A' && type[i] <= 'Z' ? static_cast<char>(type[i] + 32) : type[i];
    if (c != kJson[i]) return false;
  }
  return true;
}

Result<http::Response> Login(Accounts& accounts, const http::Request& req, http::Context& ctx) {
  // Any web page can make a browser post a form or text/plain without asking the server first;
  // JSON needs the server's consent (a CORS preflight, never given). So a page of another site
  // cannot sign its visitor in to an account of its choosing (login CSRF); the guard refuses a
  // foreign Origin too. 415 is a transport status, like 431: no error code of its own.
  if (!IsJson(req)) {
    http::Response r = http::ErrorResponse(
        MakeError(ErrorCode::kInvalidArgument, "http.unsupported_media_type",
                  "Yêu cầu đăng nhập phải gửi dữ liệu JSON (Content-Type: application/json).",
                  "The sign-in request must be sent as JSON (Content-Type: application/json)."),
        ctx.request_id);
    r.status = 415;
    return r;
  }
  TINHSO_ASSIGN_OR_RETURN(auto body, json::ParseObject(req.body));
  TINHSO_ASSIGN_OR_RETURN(std::string login, json::RequiredString(body, "login", 64));
  TINHSO_ASSIGN_OR_RETURN(std::string password, json::RequiredString(body, "password", 256));
  TINHSO_ASSIGN_OR_RETURN(auto mode, json::OptionalString(body, "mode", 10));
  const bool bearer = mode && *mode == "token";
  if (mode && !bearer && *mode != "cookie") {
    return json::FieldError("mode", "phải là \"cookie\" hoặc \"token\".",
                            "must be \"cookie\" or \"token\".");
  }
  TINHSO_ASSIGN_OR_RETURN(auto label, json::OptionalString(body, "label", 100));
  int retry_after = 0;
  auto signed_in =
      accounts.Login(login, password, bearer ? SessionKind::kBearer : SessionKind::kCookie,
                     req.client_ip, label.value_or(""), &retry_after);
  if (!signed_in.ok()) return Refused(signed_in.error(), retry_after, ctx);
  const Session& s = *signed_in;
  boost::json::object out;
  out["user"] = UserToJson(s.user);
  out["expires_at"] = core::FormatTimestamp(s.expires_at);
  http::Response resp;
  if (bearer) {
    out["token"] = s.token;
    resp = http::JsonResponse(200, json::Serialize(out));
  } else {
    out["csrf_token"] = s.csrf;
    resp = http::JsonResponse(200, json::Serialize(out));
    const auto max_age = accounts.options().cookie_lifetime.count();
    const bool secure = SecureCookies(accounts, req);
    resp.headers.emplace_back("Set-Cookie",
                              CookieHeader(kSessionCookie, s.token, true, max_age, secure));
    resp.headers.emplace_back("Set-Cookie",
                              CookieHeader(kCsrfCookie, s.csrf, false, max_age, secure));
  }
  resp.headers.emplace_back("Cache-Control", "no-store");
  return resp;
}

Result<http::Response> Logout(Accounts& accounts, const http::Request& req, http::Context&) {
  std::string token;
  const std::string_view authorization = req.Header("authorization");
  if (authorization.starts_with("Bearer ")) {
    token = std::string(authorization.substr(7));
  } else if (auto c = req.Cookie(kSessionCookie)) {
    token = *c;
  }
  TINHSO_RETURN_IF_ERROR(accounts.Logout(token, req.client_ip));
  auto resp = http::JsonResponse(200, R"({"status":"signed_out"})");
  const bool secure = SecureCookies(accounts, req);
  resp.headers.emplace_back("Set-Cookie", CookieHeader(kSessionCookie, "", true, 0, secure));
  resp.headers.emplace_back("Set-Cookie", CookieHeader(kCsrfCookie, "", false, 0, secure));
  return resp;
}

Result<http::Response> Me(Accounts& accounts, const http::Request&, http::Context& ctx) {
  TINHSO_ASSIGN_OR_RETURN(User u, accounts.Get(ctx.actor.user_id));
  return http::JsonResponse(200, json::Serialize(UserToJson(u)));
}

Result<http::Response> ChangePassword(Accounts& accounts, const http::Request& req,
                                      http::Context& ctx) {
  TINHSO_ASSIGN_OR_RETURN(auto body, json::ParseObject(req.body));
  TINHSO_ASSIGN_OR_RETURN(std::string current, json::RequiredString(body, "current_password", 256));
  TINHSO_ASSIGN_OR_RETURN(std::string replacement, json::RequiredString(body, "new_password", 256));
  TINHSO_RETURN_IF_ERROR(accounts.ChangeOwnPassword(ctx.actor, current, replacement));
  return http::JsonResponse(200, R"({"status":"password_changed"})");
}

Result<http::Response> CreateToken(Accounts& accounts, const http::Request& req,
                                   http::Context& ctx) {
  TINHSO_ASSIGN_OR_RETURN(auto body, json::ParseObject(req.body));
  TINHSO_ASSIGN_OR_RETURN(std::string password, json::RequiredString(body, "password", 256));
  TINHSO_ASSIGN_OR_RETURN(auto label, json::OptionalString(body, "label", 100));
  int retry_after = 0;
  auto signed_in =
      accounts.CreateToken(ctx.actor, password, req.client_ip, label.value_or("api"), &retry_after);
  if (!signed_in.ok()) return Refused(signed_in.error(), retry_after, ctx);
  const Session& s = *signed_in;
  boost::json::object out;
  out["token"] = s.token;
  out["expires_at"] = core::FormatTimestamp(s.expires_at);
  auto resp = http::JsonResponse(201, json::Serialize(out));
  resp.headers.emplace_back("Cache-Control", "no-store");
  return resp;
}

Result<http::Response> ListUsers(Accounts& accounts, const Policy& policy, const http::Request& req,
                                 http::Context& ctx) {
  int limit = 50;
  int offset = 0;
  if (auto v = req.Query("limit")) {
    auto n = core::ParseInt64(*v);
    if (!n || *n < 1 || *n > 500) {
      return MakeError(ErrorCode::kInvalidArgument, "request.invalid_query",
                       "Tham số 'limit' phải từ 1 đến 500.", "'limit' must be from 1 to 500.");
    }
    limit = static_cast<int>(*n);
  }
  if (auto v = req.Query("offset")) {
    auto n = core::ParseInt64(*v);
    // Bounded before it is narrowed to int: 4294967296 would become 0.
    if (!n || *n < 0 || *n > 1'000'000'000) {
      return MakeError(ErrorCode::kInvalidArgument, "request.invalid_query",
                       "Tham số 'offset' phải từ 0 đến 1.000.000.000.",
                       "'offset' must be between 0 and 1,000,000,000.");
    }
    offset = static_cast<int>(*n);
  }
  std::vector<std::int64_t> agencies;
  const auto scope = policy.WidestScope(ctx.actor, "user.read");
  if (scope == Scope::kSubtree) {
    if (policy.tree() == nullptr || ctx.actor.agency_id == 0) {
      agencies = {ctx.actor.agency_id};
    } else {
      agencies = policy.tree()->Subtree(ctx.actor.agency_id);
    }
  } else if (scope != Scope::kProvince && scope != Scope::kPublic) {
    // Only one's own account is visible: that is GET /api/v1/auth/me.
    return MakeError(ErrorCode::kPermissionDenied, "auth.forbidden",
                     "Bạn không có quyền xem danh sách tài khoản.",
                     "You do not have permission to list accounts.");
  }
  if (auto v = req.Query("agency")) {
    auto id = core::ParseInt64(*v);
    if (!id) {
      return MakeError(ErrorCode::kInvalidArgument, "request.invalid_query",
                       "Tham số 'agency' không hợp lệ.", "'agency' is not valid.");
    }
    TINHSO_RETURN_IF_ERROR(policy.Check(ctx.actor, "user.read", {.agency_id = *id}));
    agencies = {*id};
  }
  TINHSO_ASSIGN_OR_RETURN(auto users,
                          accounts.List(agencies, req.Query("q").value_or(""), limit, offset));
  boost::json::array items;
  for (const auto& u : users) items.push_back(UserToJson(u));
  boost::json::object out;
  out["items"] = std::move(items);
  out["limit"] = limit;
  out["offset"] = offset;
  return http::JsonResponse(200, json::Serialize(out));
}

Result<http::Response> GetUser(Accounts& accounts, const Policy& policy, const http::Request&,
                               http::Context& ctx) {
  TINHSO_ASSIGN_OR_RETURN(std::int64_t id, IdParam(ctx));
  TINHSO_ASSIGN_OR_RETURN(User u, accounts.Get(id));
  TINHSO_RETURN_IF_ERROR(
      policy.Check(ctx.actor, "user.read", {.agency_id = u.agency_id, .owner_user_id = u.id}));
  return http::JsonResponse(200, json::Serialize(UserToJson(u)));
}

Result<http::Response> CreateUser(Accounts& accounts, const http::Request& req,
                                  http::Context& ctx) {
  TINHSO_ASSIGN_OR_RETURN(auto body, json::ParseObject(req.body));
  NewUser u;
  TINHSO_ASSIGN_OR_RETURN(std::string kind, json::RequiredString(body, "kind", 20));
  bool ok = false;
  u.kind = ParseActorKind(kind, &ok);
  if (!ok) {
    return json::FieldError("kind", "phải là officer, citizen, business hoặc admin.",
                            "must be officer, citizen, business or admin.");
  }
  TINHSO_ASSIGN_OR_RETURN(u.login, json::RequiredString(body, "login", 64));
  TINHSO_ASSIGN_OR_RETURN(u.full_name, json::RequiredString(body, "full_name", 200));
  TINHSO_ASSIGN_OR_RETURN(u.password, json::RequiredString(body, "password", 256));
  TINHSO_ASSIGN_OR_RETURN(auto email, json::OptionalString(body, "email", 200));
  TINHSO_ASSIGN_OR_RETURN(auto phone, json::OptionalString(body, "phone", 30));
  TINHSO_ASSIGN_OR_RETURN(auto position, json::OptionalString(body, "position", 200));
  TINHSO_ASSIGN_OR_RETURN(auto agency, json::OptionalInt(body, "agency_id"));
  u.email = email.value_or("");
  u.phone = phone.value_or("");
  u.position = position.value_or("");
  u.agency_id = agency.value_or(0);
  if (auto it = body.find("roles"); it != body.end()) {
    if (!it->value().is_array()) {
      return json::FieldError("roles", "phải là danh sách vai trò.", "must be a list of roles.");
    }
    for (const auto& r : it->value().as_array()) {
      if (!r.is_string()) {
        return json::FieldError("roles", "chỉ chứa chuỗi ký tự.", "must contain only strings.");
      }
      u.roles.emplace_back(r.as_string());
    }
  }
  TINHSO_ASSIGN_OR_RETURN(User created, accounts.Create(u, ctx.actor));
  return http::JsonResponse(201, json::Serialize(UserToJson(created)));
}

Result<http::Response> SetDisabled(Accounts& accounts, bool disabled, const http::Request&,
                                   http::Context& ctx) {
  TINHSO_ASSIGN_OR_RETURN(std::int64_t id, IdParam(ctx));
  TINHSO_RETURN_IF_ERROR(accounts.SetDisabled(id, disabled, ctx.actor));
  TINHSO_ASSIGN_OR_RETURN(User u, accounts.Get(id));
  return http::JsonResponse(200, json::Serialize(UserToJson(u)));
}

Result<http::Response> Unlock(Accounts& accounts, const http::Request&, http::Context& ctx) {
  TINHSO_ASSIGN_OR_RETURN(std::int64_t id, IdParam(ctx));
  TINHSO_RETURN_IF_ERROR(accounts.Unlock(id, ctx.actor));
  return http::JsonResponse(200, R"({"status":"unlocked"})");
}

Result<http::Response> ResetPassword(Accounts& accounts, const http::Request& req,
                                     http::Context& ctx) {
  TINHSO_ASSIGN_OR_RETURN(std::int64_t id, IdParam(ctx));
  TINHSO_ASSIGN_OR_RETURN(auto body, json::ParseObject(req.body));
  TINHSO_ASSIGN_OR_RETURN(std::string password, json::RequiredString(body, "password", 256));
  TINHSO_RETURN_IF_ERROR(accounts.SetPassword(id, password, ctx.actor));
  return http::JsonResponse(200, R"({"status":"password_reset"})");
}

}  // namespace

void RegisterRoutes(http::Router& router, Accounts& accounts, const Policy& policy) {
  using http::Method;
  auto add = [&router](Method m, std::string path, std::string action, std::string vi,
                       std::string en, http::Handler h, bool costly = false) {
    router.Add({.method = m,
                .path = std::move(path),
                .action = std::move(action),
                .summary_vi = std::move(vi),
                .summary_en = std::move(en),
                .handler = std::move(h),
                .costly = costly,
                .tag = "auth"});
  };
  Accounts* a = &accounts;
  const Policy* p = &policy;
  add(
      Method::kPost, "/api/v1/auth/login", "public.login", "Đăng nhập",
      "Sign in (cookie session or API token)",
      [a](const http::Request& r, http::Context& c) { return Login(*a, r, c); },
      /*costly=*/true);  // a password hash for anyone who asks
  add(Method::kPost, "/api/v1/auth/logout", "auth.logout", "Đăng xuất", "Sign out",
      [a](const http::Request& r, http::Context& c) { return Logout(*a, r, c); });
  add(Method::kGet, "/api/v1/auth/me", "auth.me", "Tài khoản đang đăng nhập",
      "The signed-in account",
      [a](const http::Request& r, http::Context& c) { return Me(*a, r, c); });
  add(Method::kPost, "/api/v1/auth/password", "auth.password.change", "Đổi mật khẩu",
      "Change one's own password",
      [a](const http::Request& r, http::Context& c) { return ChangePassword(*a, r, c); });
  add(Method::kPost, "/api/v1/auth/tokens", "auth.token.create", "Tạo mã truy cập API",
      "Create an API bearer token",
      [a](const http::Request& r, http::Context& c) { return CreateToken(*a, r, c); });
  add(Method::kGet, "/api/v1/users", "user.read", "Danh sách tài khoản cán bộ",
      "List officer accounts",
      [a, p](const http::Request& r, http::Context& c) { return ListUsers(*a, *p, r, c); });
  add(Method::kGet, "/api/v1/users/{id}", "user.read", "Xem một tài khoản", "Read one account",
      [a, p](const http::Request& r, http::Context& c) { return GetUser(*a, *p, r, c); });
  add(Method::kPost, "/api/v1/users", "user.manage", "Tạo tài khoản", "Create an account",
      [a](const http::Request& r, http::Context& c) { return CreateUser(*a, r, c); });
  add(Method::kPost, "/api/v1/users/{id}/disable", "user.manage", "Khóa tài khoản",
      "Disable an account",
      [a](const http::Request& r, http::Context& c) { return SetDisabled(*a, true, r, c); });
  add(Method::kPost, "/api/v1/users/{id}/enable", "user.manage", "Mở khóa tài khoản",
      "Enable an account",
      [a](const http::Request& r, http::Context& c) { return SetDisabled(*a, false, r, c); });
  add(Method::kPost, "/api/v1/users/{id}/unlock", "user.manage", "Gỡ chặn đăng nhập",
      "Forget an account's failed sign-ins (from every address)",
      [a](const http::Request& r, http::Context& c) { return Unlock(*a, r, c); });
  add(Method::kPost, "/api/v1/users/{id}/password", "user.manage", "Đặt lại mật khẩu",
      "Reset an account's password",
      [a](const http::Request& r, http::Context& c) { return ResetPassword(*a, r, c); });
}

}  // namespace tinhso::auth
