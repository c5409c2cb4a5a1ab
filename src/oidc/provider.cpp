#include "oidc/provider.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <boost/url/parse.hpp>
#include <fstream>
#include <sstream>

#include "core/crypto.hpp"
#include "core/json.hpp"
#include "http/url.hpp"

namespace tinhso::oidc {

namespace bj = boost::json;

namespace {

constexpr std::chrono::seconds kRefetchEvery{60};

Error ConfigInvalid(const std::string& provider, const std::string& vi, const std::string& en) {
  return MakeError(ErrorCode::kInvalidArgument, "oidc.config_invalid",
                   "Cấu hình nhà cung cấp định danh '" + provider + "' không hợp lệ: " + vi,
                   "The configuration of identity provider '" + provider + "' is invalid: " + en);
}

Error Unreachable(const std::string& what) {
  return MakeError(ErrorCode::kUnavailable, "oidc.provider_unreachable",
                   "Không kết nối được với nhà cung cấp định danh. Vui lòng thử lại sau.",
                   "The identity provider cannot be reached. Please try again later.", what);
}

Error DiscoveryInvalid(const std::string& what) {
  return MakeError(ErrorCode::kFailedPrecondition, "oidc.discovery_invalid",
                   "Thông tin cấu hình do nhà cung cấp định danh công bố không hợp lệ.",
                   "The identity provider's published configuration is not valid.", what);
}

Error ProviderError(const std::string& what) {
  return MakeError(ErrorCode::kUnauthenticated, "oidc.provider_error",
                   "Nhà cung cấp định danh từ chối yêu cầu đăng nhập.",
                   "The identity provider refused the sign-in.", what);
}

std::string Member(const bj::object& o, std::string_view name) {
  const bj::value* v = o.if_contains(name);
  return v != nullptr && v->is_string() ? std::string(v->as_string()) : std::string();
}

Result<bj::object> JsonOf(const http::ClientResponse& response, const std::string& what) {
  auto parsed = json::ParseObject(response.body);
  if (!parsed.ok()) return Unreachable(what + ": the answer is not a JSON object");
  return std::move(*parsed);
}

// 127.0.0.0/8, ::1 or "localhost": a name that merely begins with "127." is anyone's.
bool IsLoopbackHost(const boost::urls::url_view& url) {
  switch (url.host_type()) {
    case boost::urls::host_type::ipv4:
      return url.host_ipv4_address().is_loopback();
    case boost::urls::host_type::ipv6:
      return url.host_ipv6_address().is_loopback();
    case boost::urls::host_type::name:
      return url.encoded_host() == "localhost";
    default:
      return false;
  }
}

}  // namespace

bool IsSafeUrl(std::string_view url) {
  auto parsed = boost::urls::parse_uri(url);
  if (!parsed || !parsed->has_authority() || parsed->encoded_host().empty()) return false;
  // Boost.URL 1.81 reads "http://127.0.0.1.evil.example/" as host 127.0.0.1 and path
  // ".evil.example/": after an authority, a path must be empty or start with '/'.
  if (!parsed->encoded_path().empty() && !parsed->encoded_path().starts_with('/')) return false;
  if (parsed->has_userinfo()) return false;
  if (parsed->scheme() == "https") return true;
  return parsed->scheme() == "http" && IsLoopbackHost(*parsed);
}

std::string PkceChallenge(std::string_view verifier) {
  return core::Base64UrlEncode(core::Sha256(verifier));
}

Result<void> CheckProviderConfig(const ProviderConfig& c) {
  const bool id_ok =
      !c.id.empty() && c.id.size() <= 32 && std::all_of(c.id.begin(), c.id.end(), [](char ch) {
        return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-';
      });
  if (!id_ok) {
    return ConfigInvalid(c.id, "id gồm 1–32 ký tự a-z, 0-9, '-'.",
                         "id must be 1–32 characters of a-z, 0-9, '-'.");
  }
  if (c.name_vi.empty() || c.name_en.empty()) {
    return ConfigInvalid(c.id, "cần name_vi và name_en.", "name_vi and name_en are required.");
  }
  if (!IsSafeUrl(c.issuer)) {
    return ConfigInvalid(c.id, "issuer phải là https:// (http:// chỉ với địa chỉ loopback).",
                         "issuer must be https:// (http:// on loopback only).");
  }
  if (!IsSafeUrl(c.redirect_base_url)) {
    return ConfigInvalid(c.id, "redirect_base_url phải là https:// (http:// chỉ với loopback).",
                         "redirect_base_url must be https:// (http:// on loopback only).");
  }
  if (c.client_id.empty()) return ConfigInvalid(c.id, "thiếu client_id.", "client_id is missing.");
  if (c.token_auth_method == TokenAuthMethod::kPrivateKeyJwt) {
    if (c.private_key_pem.empty() && c.private_key_file.empty()) {
      return ConfigInvalid(c.id, "private_key_jwt cần private_key_file.",
                           "private_key_jwt needs private_key_file.");
    }
  } else if (c.client_secret.empty()) {
    return ConfigInvalid(c.id, "thiếu client_secret.", "client_secret is missing.");
  }
  if (std::find(c.scopes.begin(), c.scopes.end(), "openid") == c.scopes.end()) {
    return ConfigInvalid(c.id, "scopes phải có 'openid'.", "scopes must include 'openid'.");
  }
  if (c.allowed_algorithms.empty()) {
    return ConfigInvalid(c.id, "cần ít nhất một thuật toán ký.",
                         "at least one signature algorithm is needed.");
  }
  for (const auto& alg : c.allowed_algorithms) {
    if (std::find(std::begin(kSupportedAlgorithms), std::end(kSupportedAlgorithms), alg) ==
        std::end(kSupportedAlgorithms)) {
      return ConfigInvalid(c.id,
                           "thuật toán '" + alg + "' không được hỗ trợ (RS256, PS256, ES256).",
                           "algorithm '" + alg + "' is not supported (RS256, PS256, ES256).");
    }
  }
  if (c.clock_skew < std::chrono::seconds(0) || c.clock_skew > std::chrono::seconds(600)) {
    return ConfigInvalid(c.id, "clock_skew_seconds phải từ 0 đến 600.",
                         "clock_skew_seconds must be 0–600.");
  }
  return Ok();
}

Result<void> LoadProviderKeys(std::vector<ProviderConfig>& providers) {
  for (auto& p : providers) {
    if (p.private_key_file.empty() || !p.private_key_pem.empty()) continue;
    std::ifstream in(p.private_key_file, std::ios::binary);
    std::stringstream bytes;
    bytes << in.rdbuf();
    if (!in) {
      return ConfigInvalid(p.id, "không đọc được private_key_file " + p.private_key_file + ".",
                           "cannot read private_key_file " + p.private_key_file + ".");
    }
    p.private_key_pem = bytes.str();
    auto usable = PublicJwk(p.private_key_pem, "", "");
    if (!usable.ok()) {
      return ConfigInvalid(
          p.id, "private_key_file " + p.private_key_file + ": " + usable.error().message_vi,
          "private_key_file " + p.private_key_file + ": " + usable.error().message_en);
    }
  }
  return Ok();
}

ProviderClient::ProviderClient(ProviderConfig config, const core::Clock& clock, Fetcher fetch)
    : config_(std::move(config)), clock_(clock), fetch_(std::move(fetch)) {}

std::string ProviderClient::RedirectUri() const {
  std::string base = config_.redirect_base_url;
  while (base.ends_with('/')) base.pop_back();
  return base + "/api/v1/auth/oidc/" + config_.id + "/callback";
}

Result<http::ClientResponse> ProviderClient::Get(const std::string& url, http::Headers headers) {
  http::ClientRequest request{.method = http::Method::kGet, .url = url};
  request.headers = std::move(headers);
  request.headers.emplace_back("Accept", "application/json");
  auto response = fetch_(request);
  if (!response.ok()) return Unreachable(url + ": " + response.error().message_en);
  return response;
}

Result<Endpoints> ProviderClient::Discover() {
  {
    std::lock_guard lock(mu_);
    if (endpoints_) return *endpoints_;
  }
  std::string base = config_.issuer;
  while (base.ends_with('/')) base.pop_back();
  const std::string url = base + "/.well-known/openid-configuration";
  TINHSO_ASSIGN_OR_RETURN(http::ClientResponse response, Get(url));
  if (response.status != 200) {
    return Unreachable(url + " answered " + std::to_string(response.status));
  }
  TINHSO_ASSIGN_OR_RETURN(bj::object doc, JsonOf(response, url));
  Endpoints e{.issuer = Member(doc, "issuer"),
              .authorization_endpoint = Member(doc, "authorization_endpoint"),
              .token_endpoint = Member(doc, "token_endpoint"),
              .userinfo_endpoint = Member(doc, "userinfo_endpoint"),
              .jwks_uri = Member(doc, "jwks_uri"),
              .end_session_endpoint = Member(doc, "end_session_endpoint")};
  // A document naming another issuer is someone else's (OpenID Connect Discovery §4.3).
  if (e.issuer != config_.issuer) {
    return DiscoveryInvalid("issuer '" + e.issuer + "' is not the configured '" + config_.issuer +
                            "'");
  }
  if (!IsSafeUrl(e.authorization_endpoint) || !IsSafeUrl(e.token_endpoint) ||
      !IsSafeUrl(e.jwks_uri) || (!e.userinfo_endpoint.empty() && !IsSafeUrl(e.userinfo_endpoint)) ||
      (!e.end_session_endpoint.empty() && !IsSafeUrl(e.end_session_endpoint))) {
    return DiscoveryInvalid("an endpoint is missing or not https");
  }
  if (const bj::value* methods = doc.if_contains("code_challenge_methods_supported")) {
    const bool s256 =
        methods->is_array() && std::any_of(methods->as_array().begin(), methods->as_array().end(),
                                           [](const bj::value& m) { return m == "S256"; });
    if (!s256) return DiscoveryInvalid("the provider does not support PKCE S256");
  }
  std::lock_guard lock(mu_);
  endpoints_ = e;
  return e;
}

Result<std::string> ProviderClient::AuthorizationUrl(std::string_view state, std::string_view nonce,
                                                     std::string_view code_verifier) {
  TINHSO_ASSIGN_OR_RETURN(Endpoints e, Discover());
  std::string scope;
  for (const auto& s : config_.scopes) scope += (scope.empty() ? "" : " ") + s;
  return http::WithQuery(e.authorization_endpoint,
                         {{"response_type", "code"},
                          {"client_id", config_.client_id},
                          {"redirect_uri", RedirectUri()},
                          {"scope", scope},
                          {"state", std::string(state)},
                          {"nonce", std::string(nonce)},
                          {"code_challenge", PkceChallenge(code_verifier)},
                          {"code_challenge_method", "S256"}});
}

Result<KeySet> ProviderClient::FetchKeys(const std::string& jwks_uri) {
  TINHSO_ASSIGN_OR_RETURN(http::ClientResponse response, Get(jwks_uri));
  if (response.status != 200) {
    return Unreachable(jwks_uri + " answered " + std::to_string(response.status));
  }
  TINHSO_ASSIGN_OR_RETURN(KeySet keys, KeySet::Parse(response.body));
  std::lock_guard lock(mu_);
  ++key_fetches_;
  keys_ = keys;
  return keys;
}

Result<std::string> ProviderClient::VerifySignature(std::string_view compact) {
  TINHSO_ASSIGN_OR_RETURN(Endpoints e, Discover());
  std::optional<KeySet> keys;
  {
    std::lock_guard lock(mu_);
    keys = keys_;
  }
  if (!keys) {
    TINHSO_ASSIGN_OR_RETURN(keys, FetchKeys(e.jwks_uri));
  }
  auto payload = VerifyJws(compact, *keys, config_.allowed_algorithms);
  if (payload.ok() || payload.error().reason != "oidc.unknown_key") return payload;
  // A key we do not know: the provider may have rotated its keys. Ask again, but not more than
  // once a minute, so that tokens naming made-up keys cannot make us hammer the provider.
  const auto now = clock_.Now();
  {
    std::lock_guard lock(mu_);
    if (last_refetch_ && now - *last_refetch_ < kRefetchEvery) return payload;
    last_refetch_ = now;
  }
  TINHSO_ASSIGN_OR_RETURN(keys, FetchKeys(e.jwks_uri));
  return VerifyJws(compact, *keys, config_.allowed_algorithms);
}

Result<Tokens> ProviderClient::ExchangeCode(std::string_view code, std::string_view code_verifier) {
  TINHSO_ASSIGN_OR_RETURN(Endpoints e, Discover());
  std::vector<std::pair<std::string, std::string>> form = {
      {"grant_type", "authorization_code"},
      {"code", std::string(code)},
      {"redirect_uri", RedirectUri()},
      {"code_verifier", std::string(code_verifier)}};
  http::ClientRequest request{.method = http::Method::kPost, .url = e.token_endpoint};
  request.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
  request.headers.emplace_back("Accept", "application/json");
  switch (config_.token_auth_method) {
    case TokenAuthMethod::kClientSecretBasic:
      // RFC 6749 §2.3.1: each part form-encoded before base64.
      request.headers.emplace_back(
          "Authorization",
          "Basic " + core::Base64Encode(http::PercentEncode(config_.client_id) + ":" +
                                        http::PercentEncode(config_.client_secret)));
      break;
    case TokenAuthMethod::kClientSecretPost:
      form.emplace_back("client_id", config_.client_id);
      form.emplace_back("client_secret", config_.client_secret);
      break;
    case TokenAuthMethod::kPrivateKeyJwt: {
      const std::int64_t now = clock_.Now().time_since_epoch().count();
      bj::object claims{{"iss", config_.client_id},
                        {"sub", config_.client_id},
                        {"aud", e.token_endpoint},
                        {"jti", core::RandomToken(16)},
                        {"iat", now},
                        {"exp", now + 60}};
      const std::string payload = bj::serialize(claims);
      auto assertion = SignJws("RS256", "", payload, config_.private_key_pem);
      if (!assertion.ok()) assertion = SignJws("ES256", "", payload, config_.private_key_pem);
      if (!assertion.ok()) return std::move(assertion).error();
      form.emplace_back("client_id", config_.client_id);
      form.emplace_back("client_assertion_type",
                        "urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
      form.emplace_back("client_assertion", *assertion);
      break;
    }
  }
  request.body = http::FormEncode(form);
  auto response = fetch_(request);
  if (!response.ok()) return Unreachable(e.token_endpoint + ": " + response.error().message_en);
  if (response->status != 200) {
    auto body = json::ParseObject(response->body);
    return ProviderError("token endpoint answered " + std::to_string(response->status) + " " +
                         (body.ok() ? Member(*body, "error") : std::string()));
  }
  TINHSO_ASSIGN_OR_RETURN(bj::object answer, JsonOf(*response, e.token_endpoint));
  Tokens tokens{.id_token = Member(answer, "id_token"),
                .access_token = Member(answer, "access_token")};
  if (tokens.id_token.empty()) return ProviderError("no id_token in the token response");
  return tokens;
}

Result<std::string> ProviderClient::UserInfo(std::string_view access_token,
                                             std::string_view subject) {
  TINHSO_ASSIGN_OR_RETURN(Endpoints e, Discover());
  if (e.userinfo_endpoint.empty() || access_token.empty()) return std::string("{}");
  TINHSO_ASSIGN_OR_RETURN(
      http::ClientResponse response,
      Get(e.userinfo_endpoint, {{"Authorization", "Bearer " + std::string(access_token)}}));
  if (response.status != 200) {
    return ProviderError("userinfo answered " + std::to_string(response.status));
  }
  TINHSO_ASSIGN_OR_RETURN(bj::object info, JsonOf(response, e.userinfo_endpoint));
  // Userinfo about someone else must not be mixed into this person's identity (Core §5.3.2).
  if (Member(info, "sub") != subject) {
    return MakeError(ErrorCode::kUnauthenticated, "oidc.userinfo_mismatch",
                     "Thông tin người dùng do nhà cung cấp định danh trả về không khớp.",
                     "The identity provider's user information does not match the token.");
  }
  return std::string(response.body);
}

int ProviderClient::key_fetches() const {
  std::lock_guard lock(mu_);
  return key_fetches_;
}

}  // namespace tinhso::oidc
