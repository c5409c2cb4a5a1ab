#include "auth/auth.hpp"
#include "core/crypto.hpp"

namespace tinhso::auth {
namespace {

bool IsUnsafe(http::Method m) {
  return m != http::Method::kGet && m != http::Method::kHead && m != http::Method::kOptions;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// Whether an Origin header names this server: the host and port of the request's Host header
// (a scheme's default port may be left out on either side), or one of `allowed` (whole
// origins, e.g. "https://dichvucong.example.gov.vn"). "null" and anything with a path never do.
bool SameOrigin(std::string_view origin, std::string_view host,
                const std::vector<std::string>& allowed) {
  const std::string o = Lower(origin);
  for (const std::string& a : allowed) {
    std::string_view entry(a);
    while (entry.ends_with('/')) entry.remove_suffix(1);
    if (Lower(entry) == o) return true;
  }
  const std::size_t sep = o.find("://");
  if (sep == std::string::npos) return false;
  const std::string_view scheme = std::string_view(o).substr(0, sep);
  std::string authority = o.substr(sep + 3);
  std::string h = Lower(host);
  if (authority.empty() || h.empty() || authority.find('/') != std::string::npos) return false;
  const std::string default_port = scheme == "https" ? ":443" : scheme == "http" ? ":80" : "";
  for (std::string* s : {&authority, &h}) {
    if (!default_port.empty() && s->ends_with(default_port))
      s->resize(s->size() - default_port.size());
  }
  return authority == h;
}

}  // namespace

Result<core::Actor> AuthGuard::Admit(const http::Request& request, const http::Route& route) {
  if (Policy::IsPartnerAction(route.action)) return core::Actor{};
  std::string token;
  bool via_cookie = false;
  const std::string_view authorization = request.Header("authorization");
  if (authorization.starts_with("Bearer ")) {
    token = std::string(authorization.substr(7));
  } else if (auto cookie = request.Cookie(kSessionCookie)) {
    token = *cookie;
    via_cookie = true;
  }

  // A change a browser sends for a page of another site (a form posted to the sign-in, a
  // request riding on the session cookie) carries that site's Origin: refused. Bearer tokens
  // are never sent by a browser on its own, and clients that send no Origin are not browsers
  // acting for another site.
  if (IsUnsafe(request.method) && !authorization.starts_with("Bearer ")) {
    const std::string_view origin = request.Header("origin");
    if (!origin.empty() &&
        !SameOrigin(origin, request.Header("host"), accounts_.options().allowed_origins)) {
      return MakeError(ErrorCode::kPermissionDenied, "auth.cross_origin",
                       "Yêu cầu gửi từ một trang web khác nên bị từ chối. Hãy mở hệ thống từ "
                       "địa chỉ chính thức của nó và thử lại.",
                       "The request was sent from another website and is refused. Open the "
                       "system from its own address and try again.");
    }
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
