// Thin HTTP handlers for sign-in, sessions and accounts.
#include <functional>
#include <string>
#include <vector>

#include "auth/api.hpp"
#include "auth/auth.hpp"
#include "core/parse.hpp"
#include "http/api.hpp"

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

Result<std::int64_t> PathId(const http::Context& ctx) {
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

// The body is JSON: the route takes nothing else (json_only), so a page of another site cannot
// sign its visitor in to an account of its choosing (login CSRF; the guard refuses a foreign
// Origin too).
Result<http::Response> Login(Accounts& accounts, const http::Request& req, http::Context& ctx) {
  const auto& in = ctx.Body<LoginInput>();
  const bool bearer = in.mode == LoginMode::kToken;
  int retry_after = 0;
  auto signed_in = accounts.Login(in.login.value, in.password.value,
                                  bearer ? SessionKind::kBearer : SessionKind::kCookie,
                                  req.client_ip, http::TextOr(in.label), &retry_after);
  if (!signed_in.ok()) return Refused(signed_in.error(), retry_after, ctx);
  const Session& s = *signed_in;
  SignedIn out{.user = ToApi(s.user), .expires_at = s.expires_at};
  if (bearer) {
    out.token = s.token;
  } else {
    out.csrf_token = s.csrf;
  }
  http::Response resp = http::Reply(200, out);
  if (!bearer) SetSessionCookies(resp, accounts, req, s);
  resp.headers.emplace_back("Cache-Control", "no-store");
  return resp;
}

Result<http::Response> Logout(Accounts& accounts, const http::Request& req, http::Context&) {
  TINHSO_RETURN_IF_ERROR(accounts.Logout(SessionToken(req), req.client_ip));
  auto resp = http::Reply(200, SignedOut{});
  ClearSessionCookies(resp, accounts, req);
  return resp;
}

Result<http::Response> Me(Accounts& accounts, const http::Request&, http::Context& ctx) {
  TINHSO_ASSIGN_OR_RETURN(User u, accounts.Get(ctx.actor.user_id));
  return http::Reply(200, ToApi(u));
}

Result<http::Response> ChangePassword(Accounts& accounts, const http::Request&,
                                      http::Context& ctx) {
  const auto& in = ctx.Body<PasswordChangeInput>();
  TINHSO_RETURN_IF_ERROR(
      accounts.ChangeOwnPassword(ctx.actor, in.current_password.value, in.new_password.value));
  return http::Reply(200, PasswordChanged{});
}

Result<http::Response> CreateToken(Accounts& accounts, const http::Request& req,
                                   http::Context& ctx) {
  const auto& in = ctx.Body<TokenInput>();
  int retry_after = 0;
  auto signed_in = accounts.CreateToken(ctx.actor, in.password.value, req.client_ip,
                                        http::TextOr(in.label, "api"), &retry_after);
  if (!signed_in.ok()) return Refused(signed_in.error(), retry_after, ctx);
  auto resp = http::Reply(
      201, TokenCreated{.token = signed_in->token, .expires_at = signed_in->expires_at});
  resp.headers.emplace_back("Cache-Control", "no-store");
  return resp;
}

Result<http::Response> ListUsers(Accounts& accounts, const Policy& policy, const http::Request&,
                                 http::Context& ctx) {
  const auto& query = ctx.Query<UserListQuery>();
  if (query.limit < 1 || query.limit > 500) {
    return MakeError(ErrorCode::kInvalidArgument, "request.invalid_query",
                     "Tham số 'limit' phải từ 1 đến 500.", "'limit' must be from 1 to 500.");
  }
  if (query.offset < 0 || query.offset > 1'000'000'000) {
    return MakeError(ErrorCode::kInvalidArgument, "request.invalid_query",
                     "Tham số 'offset' phải từ 0 đến 1.000.000.000.",
                     "'offset' must be between 0 and 1,000,000,000.");
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
  if (query.agency) {
    TINHSO_RETURN_IF_ERROR(policy.Check(ctx.actor, "user.read", {.agency_id = *query.agency}));
    agencies = {*query.agency};
  }
  TINHSO_ASSIGN_OR_RETURN(
      auto users, accounts.List(agencies, http::TextOr(query.q), query.limit, query.offset));
  UserList list{.items = {}, .limit = query.limit, .offset = query.offset};
  list.items.reserve(users.size());
  for (const auto& u : users) list.items.push_back(ToApi(u));
  return http::Reply(200, list);
}

Result<http::Response> GetUser(Accounts& accounts, const Policy& policy, const http::Request&,
                               http::Context& ctx) {
  TINHSO_ASSIGN_OR_RETURN(std::int64_t id, PathId(ctx));
  TINHSO_ASSIGN_OR_RETURN(User u, accounts.Get(id));
  TINHSO_RETURN_IF_ERROR(
      policy.Check(ctx.actor, "user.read", {.agency_id = u.agency_id, .owner_user_id = u.id}));
  return http::Reply(200, ToApi(u));
}

Result<http::Response> CreateUser(Accounts& accounts, const http::Request&, http::Context& ctx) {
  const auto& in = ctx.Body<NewUserInput>();
  NewUser u{.kind = ToActorKind(in.kind),
            .login = in.login.value,
            .full_name = in.full_name.value,
            .email = http::TextOr(in.email),
            .phone = http::TextOr(in.phone),
            .agency_id = in.agency_id.value_or(0),
            .position = http::TextOr(in.position),
            .roles = {},
            .password = in.password.value};
  if (in.roles) {
    for (const auto& role : *in.roles) u.roles.push_back(role.value);
  }
  TINHSO_ASSIGN_OR_RETURN(User created, accounts.Create(u, ctx.actor));
  return http::Reply(201, ToApi(created));
}

Result<http::Response> SetDisabled(Accounts& accounts, bool disabled, const http::Request&,
                                   http::Context& ctx) {
  TINHSO_ASSIGN_OR_RETURN(std::int64_t id, PathId(ctx));
  TINHSO_RETURN_IF_ERROR(accounts.SetDisabled(id, disabled, ctx.actor));
  TINHSO_ASSIGN_OR_RETURN(User u, accounts.Get(id));
  return http::Reply(200, ToApi(u));
}

Result<http::Response> Unlock(Accounts& accounts, const http::Request&, http::Context& ctx) {
  TINHSO_ASSIGN_OR_RETURN(std::int64_t id, PathId(ctx));
  TINHSO_RETURN_IF_ERROR(accounts.Unlock(id, ctx.actor));
  return http::Reply(200, Unlocked{});
}

Result<http::Response> ResetPassword(Accounts& accounts, const http::Request&, http::Context& ctx) {
  TINHSO_ASSIGN_OR_RETURN(std::int64_t id, PathId(ctx));
  TINHSO_RETURN_IF_ERROR(
      accounts.SetPassword(id, ctx.Body<PasswordResetInput>().password.value, ctx.actor));
  return http::Reply(200, PasswordReset{});
}

// "Quên mật khẩu": one answer (202) whether or not the account exists; only the address's own
// limit is refused (429), which says nothing about any account.
Result<http::Response> RequestReset(Accounts& accounts, const http::Request& req,
                                    http::Context& ctx) {
  TINHSO_RETURN_IF_ERROR(accounts.RequestPasswordReset(
      ctx.Body<PasswordResetRequestInput>().login.value, req.client_ip));
  http::Response resp = http::Reply(202, PasswordResetRequested{});
  resp.headers.emplace_back("Cache-Control", "no-store");
  return resp;
}

Result<http::Response> ConfirmReset(Accounts& accounts, const http::Request& req,
                                    http::Context& ctx) {
  const auto& in = ctx.Body<PasswordResetConfirmInput>();
  TINHSO_RETURN_IF_ERROR(
      accounts.ResetPasswordWithToken(in.token.value, in.password.value, req.client_ip));
  http::Response resp = http::Reply(200, PasswordReset{});
  resp.headers.emplace_back("Cache-Control", "no-store");
  return resp;
}

}  // namespace

void SetSessionCookies(http::Response& response, const Accounts& accounts,
                       const http::Request& request, const Session& session) {
  const auto max_age = accounts.options().cookie_lifetime.count();
  const bool secure = SecureCookies(accounts, request);
  response.headers.emplace_back("Set-Cookie",
                                CookieHeader(kSessionCookie, session.token, true, max_age, secure));
  response.headers.emplace_back("Set-Cookie",
                                CookieHeader(kCsrfCookie, session.csrf, false, max_age, secure));
}

void ClearSessionCookies(http::Response& response, const Accounts& accounts,
                         const http::Request& request) {
  const bool secure = SecureCookies(accounts, request);
  response.headers.emplace_back("Set-Cookie", CookieHeader(kSessionCookie, "", true, 0, secure));
  response.headers.emplace_back("Set-Cookie", CookieHeader(kCsrfCookie, "", false, 0, secure));
}

std::string SessionToken(const http::Request& request) {
  const std::string_view authorization = request.Header("authorization");
  if (authorization.starts_with("Bearer ")) return std::string(authorization.substr(7));
  return request.Cookie(kSessionCookie).value_or("");
}

void RegisterRoutes(http::Router& router, Accounts& accounts, const Policy& policy) {
  using http::Method;
  auto acc = std::ref(accounts);
  auto pol = std::cref(policy);
  const http::PathParam id = http::IdParam("id");
  router.Add({.method = Method::kPost,
              .path = "/api/v1/auth/login",
              .action = "public.login",
              .summary_vi = "Đăng nhập",
              .summary_en = "Sign in (cookie session or API token)",
              .handler = std::bind_front(Login, acc),
              .costly = true,  // a password hash for anyone who asks
              .tag = "auth",
              .body = http::JsonBody<LoginInput>({.json_only = true}),
              .answers = {http::Returns<SignedIn>()}});
  router.Add({.method = Method::kPost,
              .path = "/api/v1/auth/logout",
              .action = "auth.logout",
              .summary_vi = "Đăng xuất",
              .summary_en = "Sign out",
              .handler = std::bind_front(Logout, acc),
              .tag = "auth",
              .answers = {http::Returns<SignedOut>()}});
  router.Add({.method = Method::kGet,
              .path = "/api/v1/auth/me",
              .action = "auth.me",
              .summary_vi = "Tài khoản đang đăng nhập",
              .summary_en = "The signed-in account",
              .handler = std::bind_front(Me, acc),
              .tag = "auth",
              .answers = {http::Returns<UserView>()}});
  router.Add({.method = Method::kPost,
              .path = "/api/v1/auth/password",
              .action = "auth.password.change",
              .summary_vi = "Đổi mật khẩu",
              .summary_en = "Change one's own password",
              .handler = std::bind_front(ChangePassword, acc),
              .tag = "auth",
              .body = http::JsonBody<PasswordChangeInput>(),
              .answers = {http::Returns<PasswordChanged>()}});
  router.Add({.method = Method::kPost,
              .path = "/api/v1/auth/tokens",
              .action = "auth.token.create",
              .summary_vi = "Tạo mã truy cập API",
              .summary_en = "Create an API bearer token",
              .handler = std::bind_front(CreateToken, acc),
              .tag = "auth",
              .body = http::JsonBody<TokenInput>(),
              .answers = {http::Returns<TokenCreated>(201)}});
  router.Add({.method = Method::kGet,
              .path = "/api/v1/users",
              .action = "user.read",
              .summary_vi = "Danh sách tài khoản cán bộ",
              .summary_en = "List officer accounts",
              .handler = std::bind_front(ListUsers, acc, pol),
              .tag = "auth",
              .query = http::QueryParams<UserListQuery>(),
              .answers = {http::Returns<UserList>()}});
  router.Add({.method = Method::kGet,
              .path = "/api/v1/users/{id}",
              .action = "user.read",
              .summary_vi = "Xem một tài khoản",
              .summary_en = "Read one account",
              .handler = std::bind_front(GetUser, acc, pol),
              .tag = "auth",
              .params = {id},
              .answers = {http::Returns<UserView>()}});
  router.Add({.method = Method::kPost,
              .path = "/api/v1/users",
              .action = "user.manage",
              .summary_vi = "Tạo tài khoản",
              .summary_en = "Create an account",
              .handler = std::bind_front(CreateUser, acc),
              .tag = "auth",
              .body = http::JsonBody<NewUserInput>(),
              .answers = {http::Returns<UserView>(201)}});
  router.Add({.method = Method::kPost,
              .path = "/api/v1/users/{id}/disable",
              .action = "user.manage",
              .summary_vi = "Khóa tài khoản",
              .summary_en = "Disable an account",
              .handler = std::bind_front(SetDisabled, acc, true),
              .tag = "auth",
              .params = {id},
              .answers = {http::Returns<UserView>()}});
  router.Add({.method = Method::kPost,
              .path = "/api/v1/users/{id}/enable",
              .action = "user.manage",
              .summary_vi = "Mở khóa tài khoản",
              .summary_en = "Enable an account",
              .handler = std::bind_front(SetDisabled, acc, false),
              .tag = "auth",
              .params = {id},
              .answers = {http::Returns<UserView>()}});
  router.Add({.method = Method::kPost,
              .path = "/api/v1/users/{id}/unlock",
              .action = "user.manage",
              .summary_vi = "Gỡ chặn đăng nhập",
              .summary_en = "Forget an account's failed sign-ins (from every address)",
              .handler = std::bind_front(Unlock, acc),
              .tag = "auth",
              .params = {id},
              .answers = {http::Returns<Unlocked>()}});
  router.Add({.method = Method::kPost,
              .path = "/api/v1/users/{id}/password",
              .action = "user.manage",
              .summary_vi = "Đặt lại mật khẩu",
              .summary_en = "Reset an account's password",
              .handler = std::bind_front(ResetPassword, acc),
              .tag = "auth",
              .params = {id},
              .body = http::JsonBody<PasswordResetInput>(),
              .answers = {http::Returns<PasswordReset>()}});
  router.Add({.method = Method::kPost,
              .path = "/api/v1/auth/password-reset",
              .action = "public.password_reset",
              .summary_vi = "Quên mật khẩu: gửi liên kết đặt lại mật khẩu qua thư điện tử",
              .summary_en = "Forgotten password: e-mail a reset link",
              .handler = std::bind_front(RequestReset, acc),
              .costly = true,  // anyone may ask
              .tag = "auth",
              .body = http::JsonBody<PasswordResetRequestInput>({.json_only = true}),
              .answers = {http::Returns<PasswordResetRequested>(202)}});
  router.Add({.method = Method::kPost,
              .path = "/api/v1/auth/password-reset/confirm",
              .action = "public.password_reset",
              .summary_vi = "Đặt mật khẩu mới bằng liên kết đặt lại mật khẩu",
              .summary_en = "Set a new password with a reset link",
              .handler = std::bind_front(ConfirmReset, acc),
              .costly = true,  // a password hash for anyone who asks
              .tag = "auth",
              .body = http::JsonBody<PasswordResetConfirmInput>({.json_only = true}),
              .answers = {http::Returns<PasswordReset>()}});
}

}  // namespace tinhso::auth
