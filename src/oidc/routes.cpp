// Thin HTTP handlers for sign-in through OpenID Connect providers. The browser comes and goes
// by redirects; a failed sign-in lands on the portal's sign-in page with a reason code there
// (?oidc_error=…), which the page shows in Vietnamese or English.
#include <functional>

#include "core/crypto.hpp"
#include "http/api.hpp"
#include "http/url.hpp"
#include "oidc/api.hpp"
#include "oidc/oidc.hpp"

namespace tinhso::oidc {
namespace {

// Binds a sign-in to the browser that started it: the callback must come with the same state
// in this cookie, so that a sign-in begun by someone else (their code and state in a link)
// cannot sign this browser in to their account. SameSite=Lax: it must come back on the
// provider's top-level redirect, which a Strict cookie would not.
constexpr std::string_view kStateCookie = "tinhso_oidc_state";
constexpr std::string_view kCookiePath = "/api/v1/auth/oidc/";

std::string StateCookie(std::string_view value, long long max_age, bool secure) {
  std::string c = std::string(kStateCookie) + "=" + std::string(value) +
                  "; Path=" + std::string(kCookiePath) +
                  "; HttpOnly; SameSite=Lax; Max-Age=" + std::to_string(max_age);
  if (secure) c += "; Secure";
  return c;
}

bool Secure(const auth::Accounts& accounts, const http::Request& req) {
  return accounts.options().cookie_secure || req.https;
}

http::Response Failed(const std::string& sign_in_page, const Error& error) {
  return http::RedirectResponse(http::WithQuery(sign_in_page, {{"oidc_error", error.reason}}));
}

Result<http::Response> ListProviders(Service& service, const http::Request&, http::Context&) {
  OidcProviderList list;
  for (const auto& p : service.Providers()) {
    list.items.push_back({.id = p.id, .name_vi = p.name_vi, .name_en = p.name_en});
  }
  return http::Reply(200, list);
}

Result<http::Response> Start(Service& service, auth::Accounts& accounts,
                             const std::string& sign_in_page, const http::Request& req,
                             http::Context& ctx) {
  const auto& query = ctx.Query<OidcStartQuery>();
  auto started = service.Start(ctx.Param("provider"), http::TextOr(query.return_to, "/"));
  if (!started.ok()) return Failed(sign_in_page, started.error());
  http::Response r = http::RedirectResponse(started->url);
  r.headers.emplace_back("Set-Cookie", StateCookie(started->state, 600, Secure(accounts, req)));
  return r;
}

Result<http::Response> Callback(Service& service, auth::Accounts& accounts,
                                const std::string& sign_in_page, const http::Request& req,
                                http::Context& ctx) {
  const auto& query = ctx.Query<OidcCallbackQuery>();
  const std::string state = http::TextOr(query.state);
  const bool secure = Secure(accounts, req);
  auto finish = [&]() -> Result<Service::SignedIn> {
    if (query.error) {
      // The person cancelled, or the provider refused: say so, and use up the state.
      (void)service.Finish(ctx.Param("provider"), state, "", req.client_ip);
      return MakeError(ErrorCode::kUnauthenticated, "oidc.provider_error",
                       "Nhà cung cấp định danh không xác nhận đăng nhập.",
                       "The identity provider did not confirm the sign-in.", query.error->value);
    }
    const auto cookie = req.Cookie(kStateCookie);
    if (!cookie || state.empty() || !core::ConstantTimeEquals(*cookie, state)) {
      return MakeError(ErrorCode::kUnauthenticated, "oidc.state_invalid",
                       "Phiên đăng nhập qua tài khoản định danh không bắt đầu từ trình duyệt này "
                       "hoặc đã hết hạn. Vui lòng đăng nhập lại.",
                       "This identity-provider sign-in did not start in this browser, or has "
                       "expired. Please sign in again.");
    }
    return service.Finish(ctx.Param("provider"), state, http::TextOr(query.code), req.client_ip);
  };
  auto signed_in = finish();
  http::Response r = signed_in.ok() ? http::RedirectResponse(signed_in->return_to)
                                    : Failed(sign_in_page, signed_in.error());
  r.headers.emplace_back("Set-Cookie", StateCookie("", 0, secure));
  if (signed_in.ok()) auth::SetSessionCookies(r, accounts, req, signed_in->session);
  return r;
}

Result<http::Response> Logout(Service& service, auth::Accounts& accounts, const http::Request& req,
                              http::Context&) {
  TINHSO_ASSIGN_OR_RETURN(std::string url, service.Logout(auth::SessionToken(req), req.client_ip));
  OidcSignedOut out;
  if (!url.empty()) out.end_session_url = url;
  http::Response r = http::Reply(200, out);
  auth::ClearSessionCookies(r, accounts, req);
  r.headers.emplace_back("Cache-Control", "no-store");
  return r;
}

}  // namespace

void RegisterRoutes(http::Router& router, Service& service, auth::Accounts& accounts,
                    std::string sign_in_page) {
  using http::Method;
  auto svc = std::ref(service);
  auto acc = std::ref(accounts);
  const http::PathParam provider = http::CodeParam("provider", "^[a-z0-9-]{1,32}$");
  router.Add({.method = Method::kGet,
              .path = "/api/v1/auth/oidc/providers",
              .action = "public.oidc",
              .summary_vi = "Các nhà cung cấp định danh để đăng nhập (VNeID…)",
              .summary_en = "Identity providers one may sign in with (VNeID…)",
              .handler = std::bind_front(ListProviders, svc),
              .tag = "auth",
              .answers = {http::Returns<OidcProviderList>()}});
  router.Add({.method = Method::kGet,
              .path = "/api/v1/auth/oidc/{provider}/start",
              .action = "public.oidc",
              .summary_vi = "Bắt đầu đăng nhập qua nhà cung cấp định danh",
              .summary_en = "Start signing in through an identity provider",
              .handler = std::bind_front(Start, svc, acc, sign_in_page),
              .tag = "auth",
              .params = {provider},
              .query = http::QueryParams<OidcStartQuery>(),
              .answers = {http::Redirect(
                  "Đến trang đăng nhập của nhà cung cấp (hoặc trang đăng nhập của cổng, kèm "
                  "oidc_error). / To the provider's sign-in page (or the portal's, with "
                  "oidc_error).")}});
  router.Add({.method = Method::kGet,
              .path = "/api/v1/auth/oidc/{provider}/callback",
              .action = "public.oidc",
              .summary_vi = "Nhà cung cấp định danh trả người dùng về",
              .summary_en = "The identity provider sends the person back",
              .handler = std::bind_front(Callback, svc, acc, sign_in_page),
              .costly = true,  // calls the provider: anyone may make us do it
              .tag = "auth",
              .params = {provider},
              .query = http::QueryParams<OidcCallbackQuery>(),
              .answers = {http::Redirect(
                  "Đăng nhập xong: về return_to, với cookie phiên; không được: về trang đăng "
                  "nhập kèm oidc_error. / Signed in: to return_to, with the session cookies; "
                  "refused: to the sign-in page with oidc_error.")}});
  router.Add({.method = Method::kPost,
              .path = "/api/v1/auth/oidc/logout",
              .action = "auth.logout",
              .summary_vi = "Đăng xuất, cả ở nhà cung cấp định danh",
              .summary_en = "Sign out, at the identity provider too",
              .handler = std::bind_front(Logout, svc, acc),
              .tag = "auth",
              .answers = {http::Returns<OidcSignedOut>()}});
}

}  // namespace tinhso::oidc
