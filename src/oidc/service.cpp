// The authorization-code flow: start (state, nonce, PKCE), callback (one use of the state, the
// code for tokens, every check), the account behind the verified identity, and logout.
#include <algorithm>

#include "core/crypto.hpp"
#include "core/parse.hpp"
#include "http/url.hpp"
#include "oidc/jwt.hpp"
#include "oidc/oidc.hpp"
#include "oidc/provider.hpp"
#include "oidc/sql.hpp"

namespace tinhso::oidc {
namespace {

constexpr std::chrono::seconds kStateLifetime{10 * 60};

std::int64_t Secs(core::Seconds t) { return t.time_since_epoch().count(); }

Error StateInvalid() {
  return MakeError(ErrorCode::kUnauthenticated, "oidc.state_invalid",
                   "Phiên đăng nhập qua tài khoản định danh đã hết hạn hoặc đã được dùng. Vui "
                   "lòng đăng nhập lại.",
                   "This identity-provider sign-in has expired or was already used. Please sign "
                   "in again.");
}

Error IdentityMissing(const std::string& claim) {
  return MakeError(ErrorCode::kUnauthenticated, "oidc.identity_missing",
                   "Tài khoản định danh không cung cấp số định danh cá nhân (hoặc mã số thuế), "
                   "nên không thể đăng nhập cổng dịch vụ công. Vui lòng cập nhật tài khoản định "
                   "danh điện tử mức 2 hoặc đăng nhập bằng cách khác.",
                   "The identity provider did not give an identity number (or a tax code), so "
                   "you cannot sign in to the portal with it. Please upgrade your electronic "
                   "identity account to level 2 or sign in another way.",
                   "claim '" + claim + "' missing");
}

// A relative path of this site, never another site ("//evil", "/\\evil", "https://…").
bool IsLocalPath(std::string_view path) {
  if (path.empty() || path.size() > 512 || path[0] != '/') return false;
  if (path.size() > 1 && (path[1] == '/' || path[1] == '\\')) return false;
  return std::none_of(path.begin(), path.end(), [](char c) {
    return static_cast<unsigned char>(c) < 0x20 || c == 0x7f || c == '\\';
  });
}

std::string Claim(const std::map<std::string, std::string>& claims, const std::string& name) {
  auto it = claims.find(name);
  return it == claims.end() ? std::string() : it->second;
}

// VNeID writes dates of birth "DD/MM/YYYY"; ISO "YYYY-MM-DD" is taken too. Anything else (or
// an impossible date) is left out rather than guessed.
std::string BirthDate(std::string_view claim) {
  std::string iso(claim);
  if (claim.size() == 10 && claim[2] == '/' && claim[5] == '/') {
    iso = std::string(claim.substr(6, 4)) + "-" + std::string(claim.substr(3, 2)) + "-" +
          std::string(claim.substr(0, 2));
  }
  return core::ParseDate(iso) ? iso : std::string();
}

}  // namespace

Service::Service(storage::Database& db, const core::Clock& clock, auth::Accounts& accounts,
                 std::vector<ProviderConfig> providers, Fetcher fetch)
    : db_(db), clock_(clock), accounts_(accounts) {
  for (auto& p : providers) {
    clients_.push_back(std::make_unique<ProviderClient>(std::move(p), clock, fetch));
  }
}

Service::~Service() = default;

std::vector<Service::ProviderInfo> Service::Providers() const {
  std::vector<ProviderInfo> out;
  for (const auto& c : clients_) {
    out.push_back({c->config().id, c->config().name_vi, c->config().name_en});
  }
  return out;
}

ProviderClient* Service::Find(std::string_view id) const {
  for (const auto& c : clients_) {
    if (c->config().id == id) return c.get();
  }
  return nullptr;
}

Result<Service::Started> Service::Start(std::string_view provider, std::string_view return_to) {
  ProviderClient* client = Find(provider);
  if (client == nullptr) {
    return MakeError(ErrorCode::kNotFound, "oidc.provider_unknown",
                     "Không có nhà cung cấp định danh này.", "No such identity provider.");
  }
  const std::string state = core::RandomToken(32);
  const std::string nonce = core::RandomToken(32);
  const std::string verifier = core::RandomToken(48);  // 64 characters (RFC 7636: 43–128)
  TINHSO_ASSIGN_OR_RETURN(std::string url, client->AuthorizationUrl(state, nonce, verifier));
  const auto now = clock_.Now();
  TINHSO_RETURN_IF_ERROR(
      storage::WithTransaction(db_, [&](storage::Transaction& tx) -> Result<std::int64_t> {
        // Attempts never finished are forgotten as new ones begin, so the table stays small.
        TINHSO_RETURN_IF_ERROR(tx.Execute(sql::kPurgeStates, {{"now", Secs(now)}}));
        return tx.Execute(sql::kInsertState,
                          {{"id", core::Sha256Hex(state)},
                           {"provider", std::string(provider)},
                           {"nonce", nonce},
                           {"code_verifier", verifier},
                           {"return_to", IsLocalPath(return_to) ? std::string(return_to) : "/"},
                           {"now", Secs(now)},
                           {"expires_at", Secs(now + kStateLifetime)}});
      }));
  return Started{.url = std::move(url), .state = state};
}

Result<Service::SignedIn> Service::Finish(std::string_view provider, std::string_view state,
                                          std::string_view code, std::string_view client_ip) {
  ProviderClient* client = Find(provider);
  if (client == nullptr || state.empty() || state.size() > 512) return StateInvalid();
  const auto now = clock_.Now();
  // The state is looked up by its hash, and taken: a second callback with it finds nothing.
  TINHSO_ASSIGN_OR_RETURN(auto taken, storage::WithTransaction(db_, [&](storage::Transaction& tx) {
                            return tx.Query(sql::kTakeState, {{"id", core::Sha256Hex(state)}});
                          }));
  if (taken.empty() || taken[0].Text(0) != provider || taken[0].Int(4) <= Secs(now)) {
    return StateInvalid();
  }
  const std::string nonce = taken[0].Text(1);
  const std::string verifier = taken[0].Text(2);
  const std::string return_to = taken[0].Text(3);
  if (code.empty()) return StateInvalid();

  const ProviderConfig& config = client->config();
  TINHSO_ASSIGN_OR_RETURN(Tokens tokens, client->ExchangeCode(code, verifier));
  TINHSO_ASSIGN_OR_RETURN(std::string payload, client->VerifySignature(tokens.id_token));
  TINHSO_ASSIGN_OR_RETURN(IdToken id_token,
                          CheckIdTokenClaims(payload, {.issuer = config.issuer,
                                                       .client_id = config.client_id,
                                                       .nonce = nonce,
                                                       .clock_skew = config.clock_skew,
                                                       .now = now}));
  TINHSO_ASSIGN_OR_RETURN(auto claims, StringClaims(payload));
  TINHSO_ASSIGN_OR_RETURN(std::string info,
                          client->UserInfo(tokens.access_token, id_token.subject));
  TINHSO_ASSIGN_OR_RETURN(auto info_claims, StringClaims(info));
  // Userinfo completes the token; the token's own claims (iss, aud, sub…) stay as verified.
  claims.merge(info_claims);

  const ClaimNames& names = config.claims;
  auth::User user;
  if (config.accounts == AccountKind::kOfficers) {
    // An officer's account exists already, made by an administrator: a provider only says who
    // is signing in, it never creates officers.
    const std::string login = Claim(claims, names.officer_login);
    std::optional<auth::User> found;
    if (!login.empty()) {
      auto by_login = accounts_.FindByLogin(login);
      if (by_login.ok()) found = std::move(*by_login);
    }
    if (!found ||
        (found->kind != core::ActorKind::kOfficer && found->kind != core::ActorKind::kAdmin)) {
      return MakeError(ErrorCode::kUnauthenticated, "oidc.account_unknown",
                       "Không có tài khoản cán bộ nào ứng với tài khoản định danh này.",
                       "No officer account matches this identity-provider account.",
                       "claim '" + names.officer_login + "'");
    }
    user = std::move(*found);
  } else {
    // Accounts are found by the verified identity number, never by name.
    auth::VerifiedPerson person{.provider = config.id};
    const std::string tax_code = Claim(claims, names.tax_code);
    if (!tax_code.empty()) {
      person.kind = core::ActorKind::kBusiness;
      person.login = tax_code;
      person.full_name = Claim(claims, names.business_name);
      if (person.full_name.empty()) person.full_name = Claim(claims, names.full_name);
    } else {
      person.kind = core::ActorKind::kCitizen;
      person.login = Claim(claims, names.identity_number);
      person.full_name = Claim(claims, names.full_name);
      person.birth_date = BirthDate(Claim(claims, names.birth_date));
    }
    if (person.login.empty()) return IdentityMissing(names.identity_number);
    TINHSO_ASSIGN_OR_RETURN(user, accounts_.ProvideVerified(person));
  }
  TINHSO_ASSIGN_OR_RETURN(auth::Session session,
                          accounts_.StartSession(user.id, auth::SessionKind::kCookie, client_ip,
                                                 config.id, "oidc:" + config.id));
  TINHSO_RETURN_IF_ERROR(storage::WithTransaction(db_, [&](storage::Transaction& tx) {
    return tx.Execute(sql::kInsertSession, {{"session_id", core::Sha256Hex(session.token)},
                                            {"provider", config.id},
                                            {"id_token", tokens.id_token},
                                            {"now", Secs(now)}});
  }));
  return SignedIn{.session = std::move(session), .return_to = return_to};
}

Result<std::string> Service::Logout(std::string_view session_token, std::string_view client_ip) {
  TINHSO_ASSIGN_OR_RETURN(
      auto taken, storage::WithTransaction(db_, [&](storage::Transaction& tx) {
        return tx.Query(sql::kTakeSession, {{"session_id", core::Sha256Hex(session_token)}});
      }));
  TINHSO_RETURN_IF_ERROR(accounts_.Logout(session_token, client_ip));
  if (taken.empty()) return std::string();
  ProviderClient* client = Find(taken[0].Text(0));
  if (client == nullptr) return std::string();
  auto endpoints = client->Discover();
  if (!endpoints.ok() || endpoints->end_session_endpoint.empty()) return std::string();
  std::vector<std::pair<std::string, std::string>> query = {
      {"id_token_hint", taken[0].Text(1)}, {"client_id", client->config().client_id}};
  if (!client->config().post_logout_redirect_uri.empty()) {
    query.emplace_back("post_logout_redirect_uri", client->config().post_logout_redirect_uri);
  }
  return http::WithQuery(endpoints->end_session_endpoint, query);
}

Result<std::int64_t> Service::PurgeExpired() {
  const auto now = clock_.Now();
  return storage::WithTransaction(db_, [&](storage::Transaction& tx) -> Result<std::int64_t> {
    TINHSO_ASSIGN_OR_RETURN(auto states, tx.Execute(sql::kPurgeStates, {{"now", Secs(now)}}));
    TINHSO_ASSIGN_OR_RETURN(auto sessions, tx.Execute(sql::kPurgeSessions, {{"now", Secs(now)}}));
    return states + sessions;
  });
}

}  // namespace tinhso::oidc
