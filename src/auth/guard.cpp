#include "auth/auth.hpp"
#include "core/crypto.hpp"

namespace tinhso::auth {
namespace {

bool IsUnsafe(http::Method m) {
  return m != http::Method::kGet && m != http::Method::kHead && m != http::Method::kOptions;
}

}  // namespace

Result<core::Actor> AuthGuard::Admit(const http::Request& request, const http::Route& route) {
  std::string token;
  bool via_cookie = false;
  const std::string_view authorization = request.Header("authorization");
  if (authorization.starts_with("Bearer ")) {
    token = std::string(authorization.substr(7));
  } else if (auto cookie = request.Cookie(kSessionCookie)) {
    token = *cookie;
    via_cookie = true;
  }

  core::Actor actor;  // anonymous unless a token says otherwise
  const bool is_public = policy_.Allows(actor, route.action);
  if (!token.empty()) {
    std::string csrf;
    auto authenticated = accounts_.Authenticate(token, &csrf);
    if (authenticated.ok()) {
      actor = std::move(*authenticated);
      // Double-submit check: a cookie session must echo its CSRF token on every change, which a
      // page on another site cannot read. Bearer tokens are not sent automatically, so need none.
      if (via_cookie && IsUnsafe(request.method) &&
          !core::ConstantTimeEquals(request.Header(kCsrfHeader), csrf)) {
        return MakeError(ErrorCode::kPermissionDenied, "auth.csrf",
                         "Thiếu hoặc sai mã chống giả mạo (CSRF). Hãy tải lại trang và thử lại.",
                         "The anti-forgery (CSRF) token is missing or wrong. Reload the page and "
                         "try again.");
      }
    } else if (!is_public) {
      return std::move(authenticated).error();
    }
    // An expired cookie on a public page just browses anonymously.
  }
  if (!policy_.Allows(actor, route.action)) {
    if (actor.kind == core::ActorKind::kAnonymous) {
      return MakeError(ErrorCode::kUnauthenticated, "auth.required",
                       "Vui lòng đăng nhập để tiếp tục.", "Please sign in to continue.");
    }
    return MakeError(ErrorCode::kPermissionDenied, "auth.forbidden",
                     "Bạn không có quyền thực hiện thao tác này.",
                     "You do not have permission to do this.");
  }
  return actor;
}

}  // namespace tinhso::auth
