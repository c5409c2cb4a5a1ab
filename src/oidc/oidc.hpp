// Sign-in through OpenID Connect providers: the national identity (VNeID / the national
// public-service portal's single sign-on, domain.md §7.4) for citizens and businesses, and a
// provincial identity provider for officers. A standard relying party, configured per provider
// ([[oidc.providers]]): discovery, authorization code + PKCE (S256), state and nonce, JWKS with
// key rotation, clock skew, userinfo, and RP-initiated logout.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "auth/auth.hpp"
#include "core/clock.hpp"
#include "core/result.hpp"
#include "http/client.hpp"
#include "http/http.hpp"
#include "storage/database.hpp"

namespace tinhso::oidc {

// How the client proves itself at the token endpoint (OpenID Connect Core §9).
enum class TokenAuthMethod { kClientSecretBasic, kClientSecretPost, kPrivateKeyJwt };

// Whom a provider signs in: the public (accounts created or linked by the verified identity
// number) or officers (linked to an existing account only, never created).
enum class AccountKind { kCitizens, kOfficers };

// The claim names a provider uses (id_token and userinfo together). The defaults are VNeID's.
struct ClaimNames {
  std::string identity_number = "SoDinhDanh";  // the 12-digit CCCD
  std::string full_name = "HoVaTen";
  std::string birth_date = "NgayThangNamSinh";
  std::string account_type = "LoaiTaiKhoan";
  std::string tech_id = "TechID";
  std::string tax_code = "MaSoThue";  // present (not empty): the account is a business's
  std::string business_name = "TenDoanhNghiep";
  // For AccountKind::kOfficers: the claim holding the officer's existing login.
  std::string officer_login = "preferred_username";
};

struct ProviderConfig {
  std::string id;  // in the routes' paths: [a-z0-9-]{1,32}
  std::string name_vi;
  std::string name_en;
  // Exactly as the provider writes it in its discovery document and tokens. https://, or
  // http:// on loopback only (tests, the demo).
  std::string issuer;
  std::string client_id;
  std::string client_secret;     // client_secret_basic / client_secret_post
  std::string private_key_file;  // private_key_jwt: a PEM RSA or P-256 key
  std::string private_key_pem;   // its content (read by LoadProviderKeys, or given by tests)
  TokenAuthMethod token_auth_method = TokenAuthMethod::kClientSecretBasic;
  std::vector<std::string> scopes = {"openid", "profile"};
  // This server's public address; the callback is
  // <redirect_base_url>/api/v1/auth/oidc/<id>/callback.
  std::string redirect_base_url = "http://127.0.0.1:8080";
  // Where the browser goes after the provider's logout.
  std::string post_logout_redirect_uri;
  ClaimNames claims;
  std::chrono::seconds clock_skew{120};
  std::vector<std::string> allowed_algorithms = {"RS256", "PS256", "ES256"};
  AccountKind accounts = AccountKind::kCitizens;
};

// Checks a provider's configuration: id, issuer (https, or http on loopback), client id, a
// secret or a key for the chosen method, algorithms we support, the scope "openid".
// Errors: kInvalidArgument "oidc.config_invalid" naming the provider and the key.
Result<void> CheckProviderConfig(const ProviderConfig& config);

// Reads each provider's private_key_file into private_key_pem (those using private_key_jwt).
Result<void> LoadProviderKeys(std::vector<ProviderConfig>& providers);

// How the relying party talks HTTP (http::Fetch; tests give a fake).
using Fetcher = std::function<Result<http::ClientResponse>(const http::ClientRequest&)>;

// The identity a provider vouched for, after every check.
struct VerifiedIdentity {
  std::string provider;
  std::string subject;                        // `sub`
  std::map<std::string, std::string> claims;  // id_token and userinfo claims (scalars)
  std::string id_token;                       // kept for the logout (id_token_hint); never logged
};

class ProviderClient;

// The sign-in flow over all configured providers. Thread-safe.
class Service {
 public:
  Service(storage::Database& db, const core::Clock& clock, auth::Accounts& accounts,
          std::vector<ProviderConfig> providers, Fetcher fetch = http::Fetch);
  ~Service();

  struct ProviderInfo {
    std::string id;
    std::string name_vi;
    std::string name_en;
  };
  std::vector<ProviderInfo> Providers() const;

  // Stores a new sign-in attempt (state hashed, nonce, PKCE verifier, return_to, 10 minutes) and
  // returns the provider's authorization URL, and the state, which the route also binds to the
  // browser (a cookie). `return_to` must be a relative path of this site ("/ho-so"), else "/"
  // is used. Errors: kNotFound "oidc.provider_unknown", those of discovery.
  struct Started {
    std::string url;
    std::string state;
  };
  Result<Started> Start(std::string_view provider, std::string_view return_to);

  struct SignedIn {
    auth::Session session;
    std::string return_to;
  };
  // Consumes the state (once: a replay fails), exchanges the code, verifies the id_token and
  // userinfo, finds or creates the account, starts a cookie session and remembers its id_token.
  // Errors (each kUnauthenticated or kInvalidArgument with a reason the sign-in page shows):
  // "oidc.state_invalid", "oidc.provider_error", "oidc.identity_missing",
  // "oidc.identity_invalid", "oidc.account_unknown", "oidc.account_disabled", those of the
  // token checks (jwt.hpp) and of the provider (provider.hpp).
  Result<SignedIn> Finish(std::string_view provider, std::string_view state, std::string_view code,
                          std::string_view client_ip);

  // Ends the local session of `session_token` (Accounts::Logout) and returns the provider's
  // end-session URL with id_token_hint and post_logout_redirect_uri when the session began
  // with a provider that has one; "" otherwise.
  Result<std::string> Logout(std::string_view session_token, std::string_view client_ip);

  // Forgets sign-in attempts past their expiry (Start also does) and the id_tokens of sessions
  // that have ended. Returns how many rows. `tinhso serve` calls it with its housekeeping.
  Result<std::int64_t> PurgeExpired();

 private:
  ProviderClient* Find(std::string_view id) const;

  storage::Database& db_;
  const core::Clock& clock_;
  auth::Accounts& accounts_;
  std::vector<std::unique_ptr<ProviderClient>> clients_;
};

// GET /api/v1/auth/oidc/providers, /{provider}/start, /{provider}/callback and
// POST /api/v1/auth/oidc/logout. `sign_in_page` is where a failed sign-in lands
// ("/dang-nhap?oidc_error=<reason>").
void RegisterRoutes(http::Router& router, Service& service, auth::Accounts& accounts,
                    std::string sign_in_page = "/dang-nhap");

}  // namespace tinhso::oidc
