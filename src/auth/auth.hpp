// Accounts, sign-in and sessions. Officers (in an agency, with a position and roles), citizens
// (CCCD), businesses (tax code) and administrators. Passwords are hashed with Argon2id.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "auth/policy.hpp"
#include "core/actor.hpp"
#include "core/clock.hpp"
#include "core/result.hpp"
#include "http/http.hpp"
#include "storage/database.hpp"

namespace tinhso::auth {

struct User {
  std::int64_t id = 0;
  core::ActorKind kind = core::ActorKind::kOfficer;
  std::string login;
  std::string full_name;
  std::string email;
  std::string phone;
  std::int64_t agency_id = 0;  // 0 = none
  std::string position;
  std::vector<std::string> roles;
  bool disabled = false;
  std::int64_t version = 1;
  core::Seconds created_at;
  // The identity provider that verified the holder's identity number, and when (oidc); empty
  // for accounts never verified that way.
  std::string identity_provider;
  std::optional<core::Seconds> identity_verified_at;
  std::string birth_date;  // YYYY-MM-DD, as the provider vouched for it; empty when none did
};

// A citizen or business whose identity number an identity provider vouched for.
struct VerifiedPerson {
  core::ActorKind kind = core::ActorKind::kCitizen;  // kCitizen (CCCD) or kBusiness (tax code)
  std::string login;                                 // the identity number
  std::string full_name;
  std::string provider;    // the provider's id, recorded on the account
  std::string birth_date;  // YYYY-MM-DD, or empty when the provider gave none
};

struct NewUser {
  core::ActorKind kind = core::ActorKind::kOfficer;
  std::string login;
  std::string full_name;
  std::string email;
  std::string phone;
  std::int64_t agency_id = 0;
  std::string position;
  std::vector<std::string> roles;
  std::string password;
};

// Argon2id cost. The defaults are libsodium's "interactive" level (64 MiB, 2 passes);
// tests use the minimum so that hundreds of sign-ins stay fast.
struct PasswordCost {
  unsigned long long ops = 2;
  std::size_t mem_bytes = 64u << 20;
  static PasswordCost Minimum();
};

struct AuthOptions {
  PasswordCost password_cost;
  // The lowest libpwquality score (0–100, from length and variety) a new password needs, on top
  // of passing its dictionary and pattern checks. 20 refuses 8 lower-case letters or a date.
  int min_password_score = 20;
  // Failed sign-ins never lock an account. After each failure for a login from one address,
  // that address waits 1, 2, 4… seconds, at most this long, before its next attempt is checked
  // (429 auth.throttled with Retry-After); a success from it starts again at zero.
  std::chrono::seconds login_delay_cap{15 * 60};
  // Failures for a login from every address together: past this many, addresses the account
  // has never signed in from also wait 1, 2, 4… seconds, at most account_delay_cap, between
  // attempts. A guesser spread over many addresses is slowed; the account's owner, at home or
  // at the office, is not.
  int account_slowdown_after = 100;
  std::chrono::seconds account_delay_cap{60};
  // Failure counts older than this are forgotten.
  std::chrono::seconds login_failure_window{24 * 3600};
  std::chrono::seconds cookie_lifetime{12 * 3600};
  // A cookie session unused this long ends, whatever its lifetime left; bearer tokens (API
  // clients) keep only their lifetime. Use is recorded at most once a minute per session
  // (kLastSeenEvery), so a session ends between idle_timeout − 60 s and idle_timeout after its
  // last use.
  std::chrono::seconds idle_timeout{30 * 60};
  std::chrono::seconds token_lifetime{30 * 24 * 3600};
  // Authenticated sessions are cached this long, so a hot read costs no database round trip.
  // A logout or a disabled account on this process takes effect at once; on another process
  // sharing the database, within this time.
  std::chrono::seconds session_cache_ttl{30};
  bool cookie_secure = false;  // set when served over HTTPS
  // Origins besides the server's own (the Host header) whose pages may send changes
  // (unsafe methods without a bearer token), e.g. "https://dichvucong.example.gov.vn" when a
  // proxy rewrites Host. A request with any other Origin is refused ("auth.cross_origin").
  std::vector<std::string> allowed_origins;
  // "Quên mật khẩu": how long a reset link works, and how many requests an hour are acted on
  // per account (more are answered alike and send nothing) and per address (more are refused,
  // 429, whatever account they name).
  std::chrono::seconds password_reset_lifetime{30 * 60};
  int password_resets_per_account_hour = 3;
  int password_resets_per_source_hour = 10;
};

// Sends the reset link of a password-reset request to `user` (an officer or administrator with
// an e-mail address), inside the request's transaction: the token (given once; only its hash
// is stored) and when it stops working. `app` implements it with the notifications outbox.
using ResetMailer = std::function<Result<void>(storage::Transaction& tx, const User& user,
                                               std::string_view token, core::Seconds expires_at)>;

// How often a session's last use is written (sessions.last_seen_at): often enough for idle
// expiry, rarely enough that an active session costs one small write a minute, not one per
// request.
inline constexpr std::chrono::seconds kLastSeenEvery{60};

enum class SessionKind { kCookie, kBearer };

struct Session {
  std::string token;  // given once, never stored
  std::string csrf;
  core::Seconds expires_at;
  User user;
};

// What a new password is checked against besides itself.
struct PasswordContext {
  std::string_view login;
  std::string_view full_name;
  std::optional<std::string_view> previous;  // the password it replaces, when known
};

// Whether `password` may become an account's password: 8 characters at least, 256 bytes at
// most, no control characters, neither the login nor the holder's name in it (without case or
// diacritics), not the previous password, and libpwquality's verdict (cracklib's dictionary of
// common passwords and patterns) with at least `min_score`. Errors: kInvalidArgument with
// reasons auth.password_too_short, _too_long, _invalid_character, _contains_login,
// _contains_name, _reused, _common, _too_simple; kUnavailable (the dictionary is missing).
Result<void> CheckNewPassword(std::string_view password, const PasswordContext& context,
                              int min_score);

// Hashes a password with Argon2id. Errors: kInvalidArgument (too short/long).
Result<std::string> HashPassword(std::string_view password, const PasswordCost& cost);
bool VerifyPassword(std::string_view hash, std::string_view password);

core::ActorKind ParseActorKind(std::string_view s, bool* ok);
std::string_view ActorKindName(core::ActorKind k);

// Thread-safe: one instance serves all requests.
class Accounts {
 public:
  Accounts(storage::Database& db, const core::Clock& clock, AuthOptions options = {});

  // Errors: kInvalidArgument (a field, the CCCD or tax code, the password (CheckNewPassword),
  // an unknown role),
  // kAlreadyExists (login taken), kFailedPrecondition (unknown agency).
  Result<User> Create(const NewUser& input, const core::Actor& by);
  Result<User> Get(std::int64_t id) const;
  Result<User> FindByLogin(std::string_view login) const;
  // Officers and admins, filtered by agency subtree (ids) and name search; paginated.
  Result<std::vector<User>> List(const std::vector<std::int64_t>& agency_ids, std::string_view q,
                                 int limit, int offset) const;
  // The enabled officers and administrators holding `role` (at most 1,000): those to tell of
  // what their role looks after (an administrator, of the gateway's alerts).
  Result<std::vector<User>> Holders(std::string_view role) const;
  Result<void> SetDisabled(std::int64_t id, bool disabled, const core::Actor& by);
  // An administrator's reset. Errors: those of CheckNewPassword ("auth.password_reused" when it
  // is the account's current password), kNotFound.
  Result<void> SetPassword(std::int64_t id, std::string_view password, const core::Actor& by);
  // Errors: "auth.current_password_wrong", those of CheckNewPassword.
  Result<void> ChangeOwnPassword(const core::Actor& actor, std::string_view current,
                                 std::string_view replacement);

  // Errors: kUnauthenticated "auth.bad_credentials" for an unknown login, a disabled account or
  // a wrong password, alike in answer and in work (one Argon2id check each), so logins cannot
  // be probed; kResourceExhausted "auth.throttled" when this address (or, past
  // account_slowdown_after, any address new to the account) must wait: then *retry_after_seconds
  // (when given) says how long. The throttle is keyed on the login as typed, so it treats
  // unknown logins as it treats real ones.
  // Every sign-in is audited: "auth.login" (by the account) or "auth.login_failed" (with the
  // login tried, the address and why; never the password). A throttled attempt checks nothing
  // and records nothing.
  Result<Session> Login(std::string_view login, std::string_view password, SessionKind kind,
                        std::string_view client_ip, std::string_view label = {},
                        int* retry_after_seconds = nullptr);
  // A new API token for `actor`, who gives their password again: Login's checks and throttle,
  // audited "auth.token.create".
  Result<Session> CreateToken(const core::Actor& actor, std::string_view password,
                              std::string_view client_ip, std::string_view label,
                              int* retry_after_seconds = nullptr);
  // Forgets the failed sign-ins of an account from every address (an administrator's help to
  // someone who forgot how many times they tried). Audited "user.unlock". Errors: kNotFound.
  Result<void> Unlock(std::int64_t id, const core::Actor& by);
  // The account of a verified identity number, created the first time (without a password) and
  // linked afterwards (the same number, the same account), with the provider and the time
  // recorded and the name as the provider gives it. Audited "user.create" or
  // "user.identity_verified". Errors: kInvalidArgument (the CCCD or tax code, as Create checks
  // them; the name), kFailedPrecondition "user.kind_mismatch" (the number is the login of an
  // account of another kind), kPermissionDenied "auth.account_disabled".
  Result<User> ProvideVerified(const VerifiedPerson& person);
  // A session for an account whose holder another party authenticated (an identity provider):
  // what Login does after the password check. Audited "auth.login" with `method`
  // ("oidc:vneid"). Errors: kPermissionDenied "auth.account_disabled", kNotFound.
  Result<Session> StartSession(std::int64_t user_id, SessionKind kind, std::string_view client_ip,
                               std::string_view label, std::string_view method);
  // "Quên mật khẩu". Answers alike whether or not `login_or_email` names an account (its login,
  // or its e-mail address): for an officer or administrator with an e-mail address, not
  // disabled and within its hourly limit, it stores a new reset token (hashed) and hands it to
  // the mailer; for anyone else (unknown, a citizen signing in with VNeID, no address) it does
  // the same token work and sends nothing. Each request is recorded and audited
  // "auth.password_reset_requested". Errors: kResourceExhausted "auth.reset_throttled" when
  // this address has asked too often (the same for every account), kFailedPrecondition
  // "auth.reset_unavailable" when no mailer is set.
  Result<void> RequestPasswordReset(std::string_view login_or_email, std::string_view client_ip);
  // Sets a new password with a reset token: the token is taken once (atomically, with the
  // password's change), only before it expires; every other link of the account stops working
  // and every session of the account ends. Audited "user.password_reset" by the account
  // (method "email_link"). Errors: kInvalidArgument "auth.reset_token_invalid" (unknown, used
  // or expired alike), those of CheckNewPassword ("auth.password_reused" for the current one).
  Result<void> ResetPasswordWithToken(std::string_view token, std::string_view password,
                                      std::string_view client_ip);
  void SetResetMailer(ResetMailer mailer) { reset_mailer_ = std::move(mailer); }

  // Ends the session of `token`; audited "auth.logout" when it was live.
  Result<void> Logout(std::string_view token, std::string_view client_ip = {});
  // The actor behind a token. Errors: kUnauthenticated (unknown, expired, revoked, disabled).
  Result<core::Actor> Authenticate(std::string_view token, std::string* csrf_out = nullptr);

  const AuthOptions& options() const { return options_; }

 private:
  struct Cached {
    core::Actor actor;
    std::string csrf;
    core::Seconds expires_at;
    core::Seconds cached_until;
    core::Seconds last_seen;  // as last written to sessions.last_seen_at
  };
  void ForgetUser(std::int64_t user_id);
  // Login and CreateToken; `action` names the audit entry of a success.
  Result<Session> SignIn(std::string_view login, std::string_view password, SessionKind kind,
                         std::string_view client_ip, std::string_view label,
                         int* retry_after_seconds, std::string_view action);
  // Checks `password` (against `previous` too when known) and stores it.
  // `also` runs in the password's transaction (a reset token taken there); `audit_data` is
  // the entry's data.
  Result<void> ReplacePassword(
      std::int64_t id, std::string_view password, std::optional<std::string_view> previous,
      const core::Actor& by,
      const std::function<Result<void>(storage::Transaction&)>& also = nullptr,
      std::string_view audit_data = "{}");
  // Inserts a new session of `user_id` and audits `action` with `method` in `tx`.
  Result<Session> OpenSession(storage::Transaction& tx, std::int64_t user_id, SessionKind kind,
                              std::string_view client_ip, std::string_view label,
                              std::string_view action, std::string_view method, core::Seconds now);
  // Records that session `session_id` (the token's hash) was used at `now` (sql::kTouchSession).
  void Touch(const std::string& session_id, core::Seconds now);

  storage::Database& db_;
  const core::Clock& clock_;
  AuthOptions options_;
  std::mutex cache_mu_;
  std::unordered_map<std::string, Cached> cache_;  // by token hash
  ResetMailer reset_mailer_;
};

// Decides every request: the Origin of changes not made with a bearer token, token or cookie
// → actor, CSRF for cookie sessions on changes, then the policy for the route's action.
class AuthGuard final : public http::Guard {
 public:
  AuthGuard(Accounts& accounts, const Policy& policy) : accounts_(accounts), policy_(policy) {}
  Result<core::Actor> Admit(const http::Request& request, const http::Route& route) override;

 private:
  Accounts& accounts_;
  const Policy& policy_;
};

inline constexpr std::string_view kSessionCookie = "tinhso_session";
inline constexpr std::string_view kCsrfCookie = "tinhso_csrf";
inline constexpr std::string_view kCsrfHeader = "x-csrf-token";

// The Set-Cookie headers that start a cookie session (the HttpOnly session cookie and the CSRF
// cookie the page reads), Secure when the site is HTTPS, and those that end it.
void SetSessionCookies(http::Response& response, const Accounts& accounts,
                       const http::Request& request, const Session& session);
void ClearSessionCookies(http::Response& response, const Accounts& accounts,
                         const http::Request& request);
// The session token a request carries: "Authorization: Bearer …", else the session cookie.
std::string SessionToken(const http::Request& request);

// /api/v1/auth/* and /api/v1/users/*.
void RegisterRoutes(http::Router& router, Accounts& accounts, const Policy& policy);

}  // namespace tinhso::auth
