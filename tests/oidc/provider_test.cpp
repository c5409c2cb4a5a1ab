// The provider client against a scripted provider (a fake Fetcher): discovery, key rotation,
// the token endpoint's client authentication and PKCE, userinfo.
#include "oidc/provider.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <map>

#include "core/crypto.hpp"
#include "http/url.hpp"
#include "keys.hpp"

namespace tinhso::oidc {
namespace {

constexpr std::string_view kIssuer = "http://127.0.0.1:4444/op";

// A provider answering from a table of URL → body, recording what it was asked.
struct FakeProvider {
  std::map<std::string, std::pair<int, std::string>> answers;
  std::vector<http::ClientRequest> requests;

  Fetcher fetcher() {
    return [this](const http::ClientRequest& r) -> Result<http::ClientResponse> {
      requests.push_back(r);
      std::string url = r.url;
      auto it = answers.find(url);
      if (it == answers.end()) {
        return MakeError(ErrorCode::kUnavailable, "http.client_unreachable", "x", "refused");
      }
      http::ClientResponse response;
      response.status = it->second.first;
      response.body = it->second.second;
      return response;
    };
  }
  int Count(std::string_view url) const {
    return static_cast<int>(std::count_if(requests.begin(), requests.end(),
                                          [&](const auto& r) { return r.url == url; }));
  }
};

std::string Discovery(std::string_view issuer = kIssuer) {
  return R"({"issuer":")" + std::string(issuer) +
         R"(","authorization_endpoint":"http://127.0.0.1:4444/op/auth",)"
         R"("token_endpoint":"http://127.0.0.1:4444/op/token",)"
         R"("userinfo_endpoint":"http://127.0.0.1:4444/op/me",)"
         R"("jwks_uri":"http://127.0.0.1:4444/op/jwks",)"
         R"("end_session_endpoint":"http://127.0.0.1:4444/op/session/end",)"
         R"("code_challenge_methods_supported":["S256"]})";
}

class ProviderClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    key_ = test::GeneratePem(false);
    op_.answers[std::string(kIssuer) + "/.well-known/openid-configuration"] = {200, Discovery()};
    SetKeys({{"k1", key_}});
  }
  void SetKeys(const std::vector<std::pair<std::string, std::string>>& keys) {
    std::string jwks = R"({"keys":[)";
    for (std::size_t i = 0; i < keys.size(); ++i) {
      jwks += (i ? "," : "") + PublicJwk(keys[i].second, keys[i].first, "RS256").value();
    }
    op_.answers["http://127.0.0.1:4444/op/jwks"] = {200, jwks + "]}"};
  }
  ProviderConfig Config() const {
    ProviderConfig c;
    c.id = "vneid";
    c.name_vi = "VNeID";
    c.name_en = "VNeID";
    c.issuer = std::string(kIssuer);
    c.client_id = "portal";
    c.client_secret = "s3cr&t";
    return c;
  }

  std::string key_;
  FakeProvider op_;
  core::FakeClock clock_{core::Seconds(std::chrono::seconds(1'763'900'000))};
};

TEST_F(ProviderClientTest, ConfigRefusesPlainHttpExceptOnLoopback) {
  ProviderConfig c = Config();
  EXPECT_TRUE(CheckProviderConfig(c).ok());
  c.issuer = "http://sso.vneid.gov.vn";
  EXPECT_EQ(CheckProviderConfig(c).error().reason, "oidc.config_invalid");
  c.issuer = "https://sso.vneid.gov.vn";
  EXPECT_TRUE(CheckProviderConfig(c).ok());
  c.allowed_algorithms = {"none"};
  EXPECT_EQ(CheckProviderConfig(c).error().reason, "oidc.config_invalid");
  c = Config();
  c.scopes = {"profile"};
  EXPECT_FALSE(CheckProviderConfig(c).ok());
  c = Config();
  c.token_auth_method = TokenAuthMethod::kPrivateKeyJwt;
  EXPECT_FALSE(CheckProviderConfig(c).ok());  // no key
  EXPECT_FALSE(IsSafeUrl("http://127.0.0.1.evil.example/"));
  EXPECT_TRUE(IsSafeUrl("http://[::1]:8080/"));
}

TEST_F(ProviderClientTest, DiscoveryMustNameTheConfiguredIssuer) {
  op_.answers[std::string(kIssuer) + "/.well-known/openid-configuration"] = {
      200, Discovery("http://127.0.0.1:4444/someone-else")};
  ProviderClient client(Config(), clock_, op_.fetcher());
  auto endpoints = client.Discover();
  ASSERT_FALSE(endpoints.ok());
  EXPECT_EQ(endpoints.error().reason, "oidc.discovery_invalid");
}

TEST_F(ProviderClientTest, AuthorizationUrlCarriesStateNonceAndAnS256Challenge) {
  ProviderClient client(Config(), clock_, op_.fetcher());
  auto url = client.AuthorizationUrl("st", "no", "verifier-verifier-verifier-verifier-verifier");
  ASSERT_TRUE(url.ok()) << url.error().message_en;
  EXPECT_TRUE(
      url->starts_with("http://127.0.0.1:4444/op/auth?response_type=code&client_id=portal"));
  EXPECT_NE(url->find("&state=st&nonce=no&code_challenge=" +
                      PkceChallenge("verifier-verifier-verifier-verifier-verifier") +
                      "&code_challenge_method=S256"),
            std::string::npos);
  EXPECT_NE(url->find("redirect_uri=" +
                      http::PercentEncode("http://127.0.0.1:8080/api/v1/auth/oidc/vneid/callback")),
            std::string::npos);
  // RFC 7636 appendix B's example.
  EXPECT_EQ(PkceChallenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
}

TEST_F(ProviderClientTest, AnUnknownKidRefetchesTheKeysOnceAMinuteAtMost) {
  ProviderClient client(Config(), clock_, op_.fetcher());
  const std::string jwks = "http://127.0.0.1:4444/op/jwks";
  ASSERT_TRUE(client.VerifySignature(SignJws("RS256", "k1", "{}", key_).value()).ok());
  EXPECT_EQ(op_.Count(jwks), 1);
  // The provider rotates: k2 signs now. One refetch finds it.
  const std::string key2 = test::GeneratePem(false);
  SetKeys({{"k1", key_}, {"k2", key2}});
  auto rotated = client.VerifySignature(SignJws("RS256", "k2", "{}", key2).value());
  ASSERT_TRUE(rotated.ok()) << rotated.error().message_en;
  EXPECT_EQ(op_.Count(jwks), 2);
  // Known keys need no fetch.
  ASSERT_TRUE(client.VerifySignature(SignJws("RS256", "k1", "{}", key_).value()).ok());
  EXPECT_EQ(op_.Count(jwks), 2);
  // Made-up kids within the minute: refused without asking the provider again.
  for (int i = 0; i < 5; ++i) {
    auto made_up = client.VerifySignature(SignJws("RS256", "k9", "{}", key_).value());
    ASSERT_FALSE(made_up.ok());
    EXPECT_EQ(made_up.error().reason, "oidc.unknown_key");
  }
  EXPECT_EQ(op_.Count(jwks), 2);
  clock_.Advance(std::chrono::seconds(60));
  EXPECT_FALSE(client.VerifySignature(SignJws("RS256", "k9", "{}", key_).value()).ok());
  EXPECT_EQ(op_.Count(jwks), 3);
}

TEST_F(ProviderClientTest, ClientSecretBasicAndPostAndPkceVerifier) {
  op_.answers["http://127.0.0.1:4444/op/token"] = {200,
                                                   R"({"id_token":"a.b.c","access_token":"at"})"};
  ProviderClient basic(Config(), clock_, op_.fetcher());
  auto tokens = basic.ExchangeCode("the-code", "the-verifier");
  ASSERT_TRUE(tokens.ok()) << tokens.error().message_en;
  EXPECT_EQ(tokens->id_token, "a.b.c");
  const http::ClientRequest& sent = op_.requests.back();
  EXPECT_EQ(sent.method, http::Method::kPost);
  EXPECT_NE(sent.body.find("grant_type=authorization_code&code=the-code"), std::string::npos);
  EXPECT_NE(sent.body.find("code_verifier=the-verifier"), std::string::npos);
  EXPECT_EQ(sent.body.find("client_secret"), std::string::npos);
  bool authorized = false;
  for (const auto& [name, value] : sent.headers) {
    // "s3cr&t" form-encoded before base64 (RFC 6749 §2.3.1).
    if (name == "Authorization")
      authorized = value == "Basic " + core::Base64Encode("portal:s3cr%26t");
  }
  EXPECT_TRUE(authorized);

  ProviderConfig post_config = Config();
  post_config.token_auth_method = TokenAuthMethod::kClientSecretPost;
  ProviderClient post(post_config, clock_, op_.fetcher());
  ASSERT_TRUE(post.ExchangeCode("c", "v").ok());
  EXPECT_NE(op_.requests.back().body.find("client_id=portal&client_secret=s3cr%26t"),
            std::string::npos);
}

TEST_F(ProviderClientTest, PrivateKeyJwtSignsAnAssertionForTheTokenEndpoint) {
  op_.answers["http://127.0.0.1:4444/op/token"] = {200, R"({"id_token":"a.b.c"})"};
  ProviderConfig config = Config();
  config.client_secret.clear();
  config.token_auth_method = TokenAuthMethod::kPrivateKeyJwt;
  config.private_key_pem = test::GeneratePem(true);
  ASSERT_TRUE(CheckProviderConfig(config).ok());
  ProviderClient client(config, clock_, op_.fetcher());
  ASSERT_TRUE(client.ExchangeCode("c", "v").ok());
  const std::string& body = op_.requests.back().body;
  const auto at = body.find("client_assertion=");
  ASSERT_NE(at, std::string::npos);
  std::string assertion = body.substr(at + 17);
  assertion = assertion.substr(0, assertion.find('&'));
  auto keys =
      KeySet::Parse("{\"keys\":[" + PublicJwk(config.private_key_pem, "", "ES256").value() + "]}");
  auto payload = VerifyJws(assertion, *keys, {"ES256"});
  ASSERT_TRUE(payload.ok()) << payload.error().message_en;
  auto claims = boost::json::parse(*payload).as_object();
  EXPECT_EQ(claims.at("iss"), "portal");
  EXPECT_EQ(claims.at("sub"), "portal");
  EXPECT_EQ(claims.at("aud"), "http://127.0.0.1:4444/op/token");
}

TEST_F(ProviderClientTest, TheProvidersRefusalAndUserinfoAboutSomeoneElse) {
  op_.answers["http://127.0.0.1:4444/op/token"] = {400, R"({"error":"invalid_grant"})"};
  ProviderClient client(Config(), clock_, op_.fetcher());
  auto refused = client.ExchangeCode("c", "v");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().reason, "oidc.provider_error");
  EXPECT_NE(refused.error().detail.find("invalid_grant"), std::string::npos);
  op_.answers["http://127.0.0.1:4444/op/me"] = {200, R"({"sub":"someone-else"})"};
  EXPECT_EQ(client.UserInfo("at", "me").error().reason, "oidc.userinfo_mismatch");
  op_.answers["http://127.0.0.1:4444/op/me"] = {200, R"({"sub":"me","HoVaTen":"A"})"};
  EXPECT_TRUE(client.UserInfo("at", "me").ok());
}

}  // namespace
}  // namespace tinhso::oidc
