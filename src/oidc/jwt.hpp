// JSON Web Signatures and the id_token's claims (RFC 7515, 7517, 7518, 7519; OpenID Connect Core
// §3.1.3.7): pure functions, no network, no database. OpenSSL and Boost.JSON stay in jwt.cpp.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "core/result.hpp"

namespace tinhso::oidc {

// The signature algorithms a relying party may accept. "none" and the HMAC family are never
// among them: a provider's token must be signed with a key only the provider holds.
inline constexpr std::string_view kSupportedAlgorithms[] = {"RS256", "PS256", "ES256"};

// A provider's public keys (its JWKS document), parsed once. Keys of other types or uses
// (encryption, unknown curves, RSA under 2048 bits) are left out, not fatal: a provider may
// publish more than we use.
class KeySet {
 public:
  KeySet();
  ~KeySet();
  KeySet(const KeySet&);
  KeySet& operator=(const KeySet&);

  // Errors: kInvalidArgument "oidc.jwks_invalid" (not a JSON object with a "keys" array).
  static Result<KeySet> Parse(std::string_view jwks_json);
  std::size_t size() const;
  bool Has(std::string_view kid) const;

  struct Key;

 private:
  friend Result<std::string> VerifyJws(std::string_view, const KeySet&,
                                       const std::vector<std::string>&);
  std::vector<std::shared_ptr<const Key>> keys_;
};

struct JwsHeader {
  std::string alg;
  std::string kid;
  std::string typ;
};

// The header of a compact JWS, unverified (to choose a key). Errors: "oidc.token_malformed".
Result<JwsHeader> PeekHeader(std::string_view compact);

// Verifies a compact JWS (header.payload.signature) with `keys` and returns its payload (JSON
// text). Errors, all kUnauthenticated:
//   "oidc.token_malformed"  not three base64url parts with a JSON header
//   "oidc.alg_refused"      "none", or an algorithm not in `allowed` (or not supported)
//   "oidc.unknown_key"      the header's kid is not in `keys` (a caller may refetch them once)
//   "oidc.bad_signature"    the signature does not verify with the key
Result<std::string> VerifyJws(std::string_view compact, const KeySet& keys,
                              const std::vector<std::string>& allowed);

// What an id_token must say (OpenID Connect Core §3.1.3.7).
struct IdTokenCheck {
  std::string issuer;     // `iss` must equal it exactly
  std::string client_id;  // in `aud`; and `azp`, when present or when `aud` has several
  std::string nonce;      // `nonce` must equal it (the one this sign-in sent)
  std::chrono::seconds clock_skew{120};
  core::Seconds now;
};

struct IdToken {
  std::string subject;  // `sub`
  core::Seconds expires_at;
  core::Seconds issued_at;
  std::string payload_json;
};

// Checks a verified payload's claims. Errors, kUnauthenticated: "oidc.token_malformed" (a
// required claim missing or of the wrong type: iss, sub, aud, exp, iat), "oidc.wrong_issuer",
// "oidc.wrong_audience", "oidc.token_expired" (exp + skew ≤ now), "oidc.token_not_yet_valid"
// (nbf or iat after now + skew), "oidc.nonce_mismatch".
Result<IdToken> CheckIdTokenClaims(std::string_view payload_json, const IdTokenCheck& check);

// A JSON object's members whose values are strings, numbers or booleans, as text (numbers as
// written, booleans "true"/"false"); others (objects, arrays, null) are left out.
// Errors: "oidc.token_malformed" (not a JSON object).
Result<std::map<std::string, std::string>> StringClaims(std::string_view json_object);

// Signs `payload_json` as a compact JWS with a PEM private key (RSA for RS256/PS256, P-256 for
// ES256): a client's private_key_jwt assertion, and the tests' tokens.
// Errors: kInvalidArgument "oidc.key_invalid" (unreadable key, or not of the algorithm's type),
// "oidc.alg_refused".
Result<std::string> SignJws(std::string_view alg, std::string_view kid,
                            std::string_view payload_json, std::string_view private_key_pem);

// The public half of a PEM private key as a JWK (JSON object text) with this kid and alg: what a
// client using private_key_jwt registers with its provider. Errors: "oidc.key_invalid".
Result<std::string> PublicJwk(std::string_view private_key_pem, std::string_view kid,
                              std::string_view alg);

}  // namespace tinhso::oidc
