// One OpenID Provider as the relying party sees it: its discovery document, its keys (cached,
// refetched once when a token names a key we do not know, at most once a minute), its token
// endpoint and its userinfo. Internal to the oidc module (and its tests).
#pragma once

#include <mutex>
#include <optional>
#include <string>

#include "oidc/jwt.hpp"
#include "oidc/oidc.hpp"

namespace tinhso::oidc {

struct Endpoints {
  std::string issuer;
  std::string authorization_endpoint;
  std::string token_endpoint;
  std::string userinfo_endpoint;  // "" when the provider has none
  std::string jwks_uri;
  std::string end_session_endpoint;  // "" when the provider has none
};

struct Tokens {
  std::string id_token;
  std::string access_token;
};

// Whether `url` may be used: https://, or http:// to a loopback host (127.0.0.0/8, ::1,
// localhost).
bool IsSafeUrl(std::string_view url);

// The PKCE S256 challenge of a verifier (RFC 7636 §4.2).
std::string PkceChallenge(std::string_view verifier);

// Thread-safe.
class ProviderClient {
 public:
  ProviderClient(ProviderConfig config, const core::Clock& clock, Fetcher fetch);

  const ProviderConfig& config() const { return config_; }
  std::string RedirectUri() const;

  // The discovery document, fetched once (and again after a failure). Errors: kUnavailable
  // "oidc.provider_unreachable" (no answer, not 200, not JSON), kFailedPrecondition
  // "oidc.discovery_invalid" (the issuer differs from the configured one, an endpoint missing
  // or not https, no S256 among its PKCE methods).
  Result<Endpoints> Discover();

  Result<std::string> AuthorizationUrl(std::string_view state, std::string_view nonce,
                                       std::string_view code_verifier);

  // Verifies a JWS from this provider with its keys, refetching them when the token names a key
  // we do not have (a rotation) — once, and at most once a minute — and returns its payload.
  Result<std::string> VerifySignature(std::string_view compact);

  // The authorization code for tokens, with the client's authentication and the PKCE verifier.
  // Errors: "oidc.provider_unreachable", kUnauthenticated "oidc.provider_error" (the provider
  // refused: its error code is in the detail).
  Result<Tokens> ExchangeCode(std::string_view code, std::string_view code_verifier);

  // The userinfo claims (JSON text), whose `sub` must be `subject`. Errors:
  // "oidc.provider_unreachable", "oidc.provider_error", kUnauthenticated "oidc.userinfo_mismatch".
  Result<std::string> UserInfo(std::string_view access_token, std::string_view subject);

  // How many times the keys were fetched (tests).
  int key_fetches() const;

 private:
  Result<http::ClientResponse> Get(const std::string& url, http::Headers headers = {});
  Result<KeySet> FetchKeys(const std::string& jwks_uri);

  const ProviderConfig config_;
  const core::Clock& clock_;
  const Fetcher fetch_;
  mutable std::mutex mu_;
  std::optional<Endpoints> endpoints_;
  std::optional<KeySet> keys_;
  std::optional<core::Seconds> last_refetch_;  // the last refetch for an unknown key
  int key_fetches_ = 0;
};

}  // namespace tinhso::oidc
