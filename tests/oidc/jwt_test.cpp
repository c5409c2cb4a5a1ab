// JWS verification and the id_token's claims, with keys the test generates (RSA for RS256 and
// PS256, P-256 for ES256). Times here are checks we make ourselves on tokens we sign ourselves.
#include "oidc/jwt.hpp"

#include <gtest/gtest.h>

#include <string>

#include "core/crypto.hpp"
#include "keys.hpp"

namespace tinhso::oidc {
namespace {

const std::string& RsaPem() {
  static const std::string pem = test::GeneratePem(false);
  return pem;
}
const std::string& EcPem() {
  static const std::string pem = test::GeneratePem(true);
  return pem;
}

constexpr std::int64_t kNow = 1'763'900'000;

std::string Jwks(const std::vector<std::string>& jwks) {
  std::string out = "{\"keys\":[";
  for (std::size_t i = 0; i < jwks.size(); ++i) out += (i ? "," : "") + jwks[i];
  return out + "]}";
}

std::string Claims(std::int64_t iat = kNow, std::int64_t exp = kNow + 300,
                   const std::string& aud = "\"portal\"", const std::string& extra = "") {
  return "{\"iss\":\"http://127.0.0.1:9/op\",\"sub\":\"abc\",\"aud\":" + aud +
         ",\"iat\":" + std::to_string(iat) + ",\"exp\":" + std::to_string(exp) +
         ",\"nonce\":\"n-1\"" + extra + "}";
}

IdTokenCheck Check() {
  return {.issuer = "http://127.0.0.1:9/op",
          .client_id = "portal",
          .nonce = "n-1",
          .now = core::Seconds(std::chrono::seconds(kNow))};
}

const std::vector<std::string> kAll = {"RS256", "PS256", "ES256"};

KeySet Keys() {
  auto keys = KeySet::Parse(Jwks({PublicJwk(RsaPem(), "rsa-1", "RS256").value(),
                                  PublicJwk(RsaPem(), "pss-1", "PS256").value(),
                                  PublicJwk(EcPem(), "ec-1", "ES256").value()}));
  EXPECT_TRUE(keys.ok());
  return keys.ok() ? *keys : KeySet{};
}

TEST(JwsTest, EachSupportedAlgorithmVerifies) {
  const KeySet keys = Keys();
  ASSERT_EQ(keys.size(), 3u);
  for (auto [alg, kid, pem] :
       {std::tuple{"RS256", "rsa-1", &RsaPem()}, std::tuple{"PS256", "pss-1", &RsaPem()},
        std::tuple{"ES256", "ec-1", &EcPem()}}) {
    auto token = SignJws(alg, kid, Claims(), *pem);
    ASSERT_TRUE(token.ok()) << alg;
    auto payload = VerifyJws(*token, keys, kAll);
    ASSERT_TRUE(payload.ok()) << alg << ": " << payload.error().message_en;
    EXPECT_EQ(*payload, Claims());
  }
}

TEST(JwsTest, AnEs256SignatureIsRawRAndS) {
  auto token = SignJws("ES256", "ec-1", Claims(), EcPem());
  ASSERT_TRUE(token.ok());
  auto signature = core::Base64UrlDecode(token->substr(token->rfind('.') + 1));
  ASSERT_TRUE(signature);
  EXPECT_EQ(signature->size(), 64u);  // not DER
}

TEST(JwsTest, AWrongSignatureIsRefused) {
  auto token = SignJws("RS256", "rsa-1", Claims(), RsaPem()).value();
  // Another payload under the same signature.
  const auto first = token.find('.');
  const auto second = token.find('.', first + 1);
  const std::string forged = token.substr(0, first + 1) +
                             core::Base64UrlEncode(Claims(kNow, kNow + 99999)) +
                             token.substr(second);
  auto verified = VerifyJws(forged, Keys(), kAll);
  ASSERT_FALSE(verified.ok());
  EXPECT_EQ(verified.error().reason, "oidc.bad_signature");
  // A key of the right kid that is not the signer's.
  auto other = KeySet::Parse(Jwks({PublicJwk(test::GeneratePem(false), "rsa-1", "RS256").value()}));
  auto by_other = VerifyJws(token, *other, kAll);
  ASSERT_FALSE(by_other.ok());
  EXPECT_EQ(by_other.error().reason, "oidc.bad_signature");
}

TEST(JwsTest, AlgNoneAndAlgorithmsNotAllowedAreRefused) {
  const std::string none = core::Base64UrlEncode(R"({"alg":"none","kid":"rsa-1"})") + "." +
                           core::Base64UrlEncode(Claims()) + ".";
  auto verified = VerifyJws(none, Keys(), kAll);
  ASSERT_FALSE(verified.ok());
  EXPECT_EQ(verified.error().reason, "oidc.alg_refused");
  // HS256 with the RSA public key as the "secret" is the classic confusion: never accepted.
  const std::string hs = core::Base64UrlEncode(R"({"alg":"HS256","kid":"rsa-1"})") + "." +
                         core::Base64UrlEncode(Claims()) + ".c2ln";
  EXPECT_EQ(VerifyJws(hs, Keys(), {"HS256", "RS256"}).error().reason, "oidc.alg_refused");
  // A supported algorithm the provider's configuration does not allow.
  auto es = SignJws("ES256", "ec-1", Claims(), EcPem()).value();
  EXPECT_EQ(VerifyJws(es, Keys(), {"RS256"}).error().reason, "oidc.alg_refused");
}

TEST(JwsTest, AnUnknownKidIsReportedAsSuch) {
  auto token = SignJws("RS256", "rotated-2", Claims(), RsaPem()).value();
  auto verified = VerifyJws(token, Keys(), kAll);
  ASSERT_FALSE(verified.ok());
  EXPECT_EQ(verified.error().reason, "oidc.unknown_key");
  // A JWK that says another algorithm is not used for this one.
  auto rs_as_ps = SignJws("PS256", "rsa-1", Claims(), RsaPem()).value();
  EXPECT_EQ(VerifyJws(rs_as_ps, Keys(), kAll).error().reason, "oidc.unknown_key");
}

TEST(JwsTest, MalformedTokensAndKeySets) {
  for (std::string bad : {"", "a.b", "a.b.c.d", "!!!.e30.", "e30.e30.sig"}) {
    auto verified = VerifyJws(bad, Keys(), kAll);
    ASSERT_FALSE(verified.ok()) << bad;
    EXPECT_EQ(verified.error().reason, "oidc.token_malformed") << bad;
  }
  EXPECT_FALSE(KeySet::Parse("[]").ok());
  EXPECT_FALSE(KeySet::Parse(R"({"keys":{}})").ok());
  // Keys we cannot use are skipped: encryption keys, other curves, short RSA.
  auto skipped = KeySet::Parse(
      R"({"keys":[{"kty":"RSA","use":"enc","n":"AQAB","e":"AQAB"},)"
      R"({"kty":"EC","crv":"P-384","x":"AA","y":"AA"},{"kty":"RSA","n":"AQAB","e":"AQAB"}]})");
  ASSERT_TRUE(skipped.ok());
  EXPECT_EQ(skipped->size(), 0u);
}

TEST(IdTokenTest, GoodClaimsPass) {
  auto token = CheckIdTokenClaims(Claims(), Check());
  ASSERT_TRUE(token.ok()) << token.error().message_en;
  EXPECT_EQ(token->subject, "abc");
  EXPECT_EQ(token->expires_at.time_since_epoch().count(), kNow + 300);
}

TEST(IdTokenTest, WrongIssuerAudienceOrNonceAreRefused) {
  IdTokenCheck other_issuer = Check();
  other_issuer.issuer = "http://127.0.0.1:9/op/";  // exact match: a trailing slash differs
  EXPECT_EQ(CheckIdTokenClaims(Claims(), other_issuer).error().reason, "oidc.wrong_issuer");
  EXPECT_EQ(
      CheckIdTokenClaims(Claims(kNow, kNow + 300, "\"someone-else\""), Check()).error().reason,
      "oidc.wrong_audience");
  // Several audiences: azp must name us.
  EXPECT_EQ(
      CheckIdTokenClaims(Claims(kNow, kNow + 300, R"(["portal","other"])"), Check()).error().reason,
      "oidc.wrong_audience");
  EXPECT_TRUE(CheckIdTokenClaims(
                  Claims(kNow, kNow + 300, R"(["portal","other"])", R"(,"azp":"portal")"), Check())
                  .ok());
  IdTokenCheck other_nonce = Check();
  other_nonce.nonce = "n-2";
  EXPECT_EQ(CheckIdTokenClaims(Claims(), other_nonce).error().reason, "oidc.nonce_mismatch");
}

TEST(IdTokenTest, ExpiryAndTheFutureWithinAndBeyondTheSkew) {
  // Expired 100 s ago: within the 120 s skew, still accepted; 121 s ago: refused.
  EXPECT_TRUE(CheckIdTokenClaims(Claims(kNow - 400, kNow - 100), Check()).ok());
  EXPECT_EQ(CheckIdTokenClaims(Claims(kNow - 400, kNow - 121), Check()).error().reason,
            "oidc.token_expired");
  // Issued in the future: 100 s ahead is clock drift, 121 s ahead is refused.
  EXPECT_TRUE(CheckIdTokenClaims(Claims(kNow + 100, kNow + 400), Check()).ok());
  EXPECT_EQ(CheckIdTokenClaims(Claims(kNow + 121, kNow + 400), Check()).error().reason,
            "oidc.token_not_yet_valid");
  EXPECT_EQ(
      CheckIdTokenClaims(
          Claims(kNow, kNow + 400, "\"portal\"", ",\"nbf\":" + std::to_string(kNow + 500)), Check())
          .error()
          .reason,
      "oidc.token_not_yet_valid");
  IdTokenCheck strict = Check();
  strict.clock_skew = std::chrono::seconds(0);
  EXPECT_EQ(CheckIdTokenClaims(Claims(kNow - 400, kNow - 100), strict).error().reason,
            "oidc.token_expired");
}

TEST(IdTokenTest, RequiredClaimsMustBeThere) {
  EXPECT_EQ(CheckIdTokenClaims(R"({"iss":"http://127.0.0.1:9/op","aud":"portal"})", Check())
                .error()
                .reason,
            "oidc.token_malformed");
}

TEST(ClaimsTest, ScalarsAsText) {
  auto claims = StringClaims(R"({"SoDinhDanh":"001099000001","n":5,"b":true,"o":{},"a":[1]})");
  ASSERT_TRUE(claims.ok());
  EXPECT_EQ(claims->at("SoDinhDanh"), "001099000001");
  EXPECT_EQ(claims->at("n"), "5");
  EXPECT_EQ(claims->at("b"), "true");
  EXPECT_FALSE(claims->contains("o"));
  EXPECT_FALSE(claims->contains("a"));
}

}  // namespace
}  // namespace tinhso::oidc
