// The oidc module's API types (http/api.hpp).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "http/api.hpp"

namespace tinhso::oidc {

// A provider the sign-in page offers ("Đăng nhập bằng VNeID").
struct OidcProviderView {
  std::string id;
  std::string name_vi;
  std::string name_en;
};
TINHSO_API_STRUCT(OidcProviderView, (id, name_vi, name_en))

struct OidcProviderList {
  std::vector<OidcProviderView> items;
};
TINHSO_API_STRUCT(OidcProviderList, (items))

// GET /api/v1/auth/oidc/{provider}/start
struct OidcStartQuery {
  std::optional<http::Text<512>> return_to;  // a path of this site, e.g. "/ho-so"; default "/"
};
TINHSO_API_STRUCT(OidcStartQuery, (return_to))

// GET /api/v1/auth/oidc/{provider}/callback: what the provider sends back (RFC 6749 §4.1.2).
struct OidcCallbackQuery {
  std::optional<http::Text<512>> state;
  std::optional<http::Text<2048>> code;
  std::optional<http::Text<200>> error;
  std::optional<http::Text<1000>> error_description;
  std::optional<http::Text<512>> iss;  // RFC 9207, when the provider sends it
};
TINHSO_API_STRUCT(OidcCallbackQuery, (state, code, error, error_description, iss))

// POST /api/v1/auth/oidc/logout
struct OidcSignedOut {
  // Where the browser goes next to end the provider's session too; null when the session did
  // not begin with a provider that offers it.
  http::Nullable<std::string> end_session_url;
};
TINHSO_API_STRUCT(OidcSignedOut, (end_session_url))

}  // namespace tinhso::oidc
