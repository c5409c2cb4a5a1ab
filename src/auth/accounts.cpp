#include <sodium.h>

#include <algorithm>
#include <boost/json.hpp>

#include "audit/audit.hpp"
#include "auth/auth.hpp"
#include "auth/identity.hpp"
#include "auth/json.hpp"
#include "auth/sql.hpp"
#include "core/crypto.hpp"
#include "core/json.hpp"
#include "core/text.hpp"

namespace tinhso::auth {
namespace {

constexpr std::size_t kMinPassword = 8;
constexpr std::size_t kMaxPassword = 256;

std::int64_t Secs(core::Seconds t) { return t.time_since_epoch().count(); }
core::Seconds FromSecs(std::int64_t s) { return core::Seconds(std::chrono::seconds(s)); }

Error FutureBirthYear(std::string_view cccd) {
  const std::string year = std::to_string(CccdBirthYear(cccd).value_or(0));
  return MakeError(ErrorCode::kInvalidArgument, "user.cccd_invalid",
                   "Số căn cước công dân " + std::string(cccd) + " ghi năm sinh " + year +
                       ", sau năm hiện tại: số này không thể có thật.",
                   "The citizen identity number " + std::string(cccd) + " gives the birth year " +
                       year + ", after the current year: no such number can exist.");
}

std::vector<std::string> SplitRoles(std::string_view s) {
  std::vector<std::string> out;
  while (!s.empty()) {
    auto comma = s.find(',');
    auto part = s.substr(0, comma);
    if (!part.empty()) out.emplace_back(part);
    if (comma == std::string_view::npos) break;
    s.remove_prefix(comma + 1);
  }
  return out;
}

std::string JoinRoles(const std::vector<std::string>& roles) {
  std::string out;
  for (const auto& r : roles) {
    if (!out.empty()) out += ',';
    out += r;
  }
  return out;
}

User UserFromRow(const storage::Row& r) {
  User u;
  u.id = r.Int(0);
  bool ok = false;
  u.kind = ParseActorKind(r.Text(1), &ok);
  u.login = r.Text(2);
  u.full_name = r.Text(3);
  u.email = r.Text(4);
  u.phone = r.Text(5);
  u.agency_id = r.OptionalInt(6).value_or(0);
  u.position = r.Text(7);
  u.roles = SplitRoles(r.Text(8));
  u.disabled = r.Int(9) != 0;
  u.version = r.Int(10);
  u.created_at = FromSecs(r.Int(11));
  u.identity_provider = r.OptionalText(12).value_or("");
  if (auto at = r.OptionalInt(13)) u.identity_verified_at = FromSecs(*at);
  u.birth_date = r.OptionalText(14).value_or("");
  return u;
}

Error BadCredentials() {
  return MakeError(ErrorCode::kUnauthenticated, "auth.bad_credentials",
                   "Tên đăng nhập hoặc mật khẩu không đúng.",
                   "The user name or password is wrong.");
}

Error Throttled(std::int64_t seconds) {
  return MakeError(
      ErrorCode::kResourceExhausted, "auth.throttled",
      "Đăng nhập sai nhiều lần. Vui lòng thử lại sau " + std::to_string(seconds) + " giây.",
      "Too many failed sign-ins. Please try again in " + std::to_string(seconds) + " seconds.");
}

// Seconds to wait after the n-th consecutive failure: 1, 2, 4… never more than `cap`.
std::int64_t DelayAfter(std::int64_t failures, std::chrono::seconds cap) {
  if (failures <= 0) return 0;
  const std::int64_t shift = std::min<std::int64_t>(failures - 1, 40);
  return std::min<std::int64_t>(std::int64_t{1} << shift, cap.count());
}

Error SessionInvalid() {
  return MakeError(ErrorCode::kUnauthenticated, "auth.session_invalid",
                   "Phiên đăng nhập đã hết hạn hoặc không hợp lệ. Vui lòng đăng nhập lại.",
                   "Your session has expired or is not valid. Please sign in again.");
}

Error AccountDisabled() {
  return MakeError(ErrorCode::kPermissionDenied, "auth.account_disabled",
                   "Tài khoản đã bị khóa. Vui lòng liên hệ cơ quan quản lý cổng dịch vụ công.",
                   "The account is disabled. Please contact the portal's administrators.");
}

// The login of a citizen (a CCCD) or a business (a tax code, or a household business's CCCD),
// as of `this_year` (no one is born in the future).
Result<void> CheckPublicLogin(core::ActorKind kind, std::string_view login, int this_year) {
  if (kind == core::ActorKind::kCitizen && !IsValidCccd(login, this_year)) {
    if (HasCccdShape(login)) return FutureBirthYear(login);
    return MakeError(ErrorCode::kInvalidArgument, "user.cccd_invalid",
                     "Số căn cước công dân phải gồm 12 chữ số, bắt đầu bằng mã tỉnh hợp lệ.",
                     "A citizen identity number (CCCD) has 12 digits and starts with a valid "
                     "province code.");
  }
  if (kind == core::ActorKind::kBusiness && !IsValidTaxCode(login)) {
    if (HasCccdShape(login) && !IsValidCccd(login, this_year)) return FutureBirthYear(login);
    if (!IsValidCccd(login, this_year)) {
      return MakeError(ErrorCode::kInvalidArgument, "user.tax_code_invalid",
                       "Mã số thuế không hợp lệ (10 chữ số có chữ số kiểm tra đúng, có thể kèm "
                       "-NNN cho chi nhánh; hộ kinh doanh dùng số CCCD 12 chữ số).",
                       "The tax code is not valid (10 digits with a correct check digit, "
                       "optionally -NNN for a branch; household businesses use their 12-digit "
                       "CCCD).");
    }
  }
  return Ok();
}

storage::Value OrNull(const std::string& s) {
  return s.empty() ? storage::Value(nullptr) : storage::Value(s);
}

Error ResetTokenInvalid() {
  return MakeError(ErrorCode::kInvalidArgument, "auth.reset_token_invalid",
                   "Liên kết đặt lại mật khẩu không dùng được: đã hết hạn, đã được dùng hoặc không "
                   "đúng. Vui lòng yêu cầu một liên kết mới.",
                   "This password reset link cannot be used: it has expired, has been used "
                   "already or is not valid. Please ask for a new one.");
}

Error UserNotFound() {
  return MakeError(ErrorCode::kNotFound, "user.not_found", "Không tìm thấy tài khoản.",
                   "The account was not found.");
}

Result<void> CheckPassword(std::string_view password) {
  if (password.size() < kMinPassword) {
    return MakeError(ErrorCode::kInvalidArgument, "auth.password_too_short",
                     "Mật khẩu phải có ít nhất 8 ký tự.",
                     "The password must be at least 8 characters long.");
  }
  if (password.size() > kMaxPassword) {
    return MakeError(ErrorCode::kInvalidArgument, "auth.password_too_long",
                     "Mật khẩu dài quá 256 ký tự.", "The password is longer than 256 characters.");
  }
  return Ok();
}

}  // namespace

PasswordCost PasswordCost::Minimum() {
  return {crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN};
}

Result<std::string> HashPassword(std::string_view password, const PasswordCost& cost) {
  TINHSO_RETURN_IF_ERROR(CheckPassword(password));
  if (sodium_init() < 0) return InternalError("sodium_init failed");
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), cost.ops, cost.mem_bytes,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return InternalError("crypto_pwhash_str_alg ran out of memory");
  }
  return std::string(out);
}

bool VerifyPassword(std::string_view hash, std::string_view password) {
  if (sodium_init() < 0) return false;
  const std::string h(hash);  // needs a NUL-terminated string
  return crypto_pwhash_str_verify(h.c_str(), password.data(), password.size()) == 0;
}

core::ActorKind ParseActorKind(std::string_view s, bool* ok) {
  *ok = true;
  if (s == "officer") return core::ActorKind::kOfficer;
  if (s == "citizen") return core::ActorKind::kCitizen;
  if (s == "business") return core::ActorKind::kBusiness;
  if (s == "admin") return core::ActorKind::kAdmin;
  *ok = false;
  return core::ActorKind::kAnonymous;
}

std::string_view ActorKindName(core::ActorKind k) {
  switch (k) {
    case core::ActorKind::kOfficer:
      return "officer";
    case core::ActorKind::kCitizen:
      return "citizen";
    case core::ActorKind::kBusiness:
      return "business";
    case core::ActorKind::kAdmin:
      return "admin";
    case core::ActorKind::kSystem:
      return "system";
    case core::ActorKind::kAnonymous:
      return "anonymous";
  }
  return "anonymous";
}

Accounts::Accounts(storage::Database& db, const core::Clock& clock, AuthOptions options)
    : db_(db), clock_(clock), options_(options) {}

Result<User> Accounts::Create(const NewUser& in, const core::Actor& by) {
  NewUser u = in;
  u.full_name = core::ToNfc(u.full_name);
  if (u.full_name.empty() || !core::IsValidUtf8(u.full_name) || u.full_name.size() > 200) {
    return json::FieldError("full_name", "là bắt buộc, tối đa 200 ký tự.",
                            "is required, at most 200 characters.");
  }
  // A CCCD whose digits give a birth year after this one (by the service's clock) is made up.
  const int this_year = auth::YearInVietnam(clock_.Now());
  switch (u.kind) {
    case core::ActorKind::kCitizen:
      TINHSO_RETURN_IF_ERROR(CheckPublicLogin(u.kind, u.login, this_year));
      u.roles = {std::string(kRoleCitizen)};
      u.agency_id = 0;
      break;
    case core::ActorKind::kBusiness:
      TINHSO_RETURN_IF_ERROR(CheckPublicLogin(u.kind, u.login, this_year));
      u.roles = {std::string(kRoleBusiness)};
      u.agency_id = 0;
      break;
    case core::ActorKind::kAdmin:
      u.roles = {std::string(kRoleAdmin)};
      [[fallthrough]];
    case core::ActorKind::kOfficer: {
      const bool login_ok = u.login.size() >= 3 && u.login.size() <= 64 &&
                            std::all_of(u.login.begin(), u.login.end(), [](char c) {
                              return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
                                     c == '_' || c == '-';
                            });
      if (!login_ok) {
        return MakeError(ErrorCode::kInvalidArgument, "user.login_invalid",
                         "Tên đăng nhập gồm 3–64 ký tự: chữ thường không dấu, số, '.', '_', '-'.",
                         "A user name has 3–64 characters: lower-case letters without accents, "
                         "digits, '.', '_', '-'.");
      }
      if (u.kind == core::ActorKind::kOfficer) {
        if (u.agency_id == 0) {
          return json::FieldError("agency_id", "là bắt buộc với cán bộ.",
                                  "is required for an officer.");
        }
        if (u.roles.empty()) u.roles = {std::string(kRoleOfficer)};
        for (const auto& r : u.roles) {
          if (r != kRoleOfficer && r != kRoleReception && r != kRoleClerk && r != kRoleLeader) {
            return MakeError(ErrorCode::kInvalidArgument, "user.role_invalid",
                             "Vai trò không hợp lệ: '" + r +
                                 "'. Cán bộ có thể có: officer, reception, clerk, leader.",
                             "Unknown role '" + r +
                                 "'. An officer may have: officer, reception, clerk, leader.");
          }
        }
      }
      break;
    }
    default:
      return json::FieldError("kind", "phải là officer, citizen, business hoặc admin.",
                              "must be officer, citizen, business or admin.");
  }
  TINHSO_RETURN_IF_ERROR(CheckNewPassword(u.password, {.login = u.login, .full_name = u.full_name},
                                          options_.min_password_score));
  TINHSO_ASSIGN_OR_RETURN(std::string hash, HashPassword(u.password, options_.password_cost));
  const auto now = clock_.Now();
  return storage::WithTransaction(db_, [&](storage::Transaction& tx) -> Result<User> {
    if (u.agency_id != 0) {
      TINHSO_ASSIGN_OR_RETURN(auto found, tx.Query(sql::kAgencyExists, {{"id", u.agency_id}}));
      if (found.empty()) {
        return MakeError(ErrorCode::kFailedPrecondition, "user.agency_unknown",
                         "Cơ quan không tồn tại.", "The agency does not exist.");
      }
    }
    auto inserted = tx.Query(
        sql::kInsertUser,
        {{"kind", std::string(ActorKindName(u.kind))},
         {"login", u.login},
         {"full_name", u.full_name},
         {"search_key", core::SearchKey(u.full_name)},
         {"email", u.email},
         {"phone", u.phone},
         {"agency_id", u.agency_id == 0 ? storage::Value(nullptr) : storage::Value(u.agency_id)},
         {"position", u.position},
         {"roles", JoinRoles(u.roles)},
         {"password_hash", hash},
         {"now", Secs(now)}});
    if (!inserted.ok()) {
      if (inserted.error().code == ErrorCode::kAlreadyExists) {
        return MakeError(ErrorCode::kAlreadyExists, "user.login_taken",
                         "Tên đăng nhập '" + u.login + "' đã được sử dụng.",
                         "The user name '" + u.login + "' is already taken.");
      }
      return std::move(inserted).error();
    }
    User out;
    out.id = (*inserted)[0].Int(0);
    out.kind = u.kind;
    out.login = u.login;
    out.full_name = u.full_name;
    out.email = u.email;
    out.phone = u.phone;
    out.agency_id = u.agency_id;
    out.position = u.position;
    out.roles = u.roles;
    out.created_at = now;
    TINHSO_RETURN_IF_ERROR(audit::Append(
        tx, by, {"user.create", "user", std::to_string(out.id), json::Serialize(UserToJson(out))},
        now));
    return out;
  });
}

Result<User> Accounts::Get(std::int64_t id) const {
  TINHSO_ASSIGN_OR_RETURN(auto tx, db_.Begin(storage::TxKind::kReadOnly));
  TINHSO_ASSIGN_OR_RETURN(auto rows, tx->Query(sql::kUserById, {{"id", id}}));
  if (rows.empty()) return UserNotFound();
  return UserFromRow(rows[0]);
}

Result<User> Accounts::FindByLogin(std::string_view login) const {
  TINHSO_ASSIGN_OR_RETURN(auto tx, db_.Begin(storage::TxKind::kReadOnly));
  TINHSO_ASSIGN_OR_RETURN(auto rows, tx->Query(sql::kUserByLogin, {{"login", std::string(login)}}));
  if (rows.empty()) return UserNotFound();
  return UserFromRow(rows[0]);
}

Result<std::vector<User>> Accounts::List(const std::vector<std::int64_t>& agency_ids,
                                         std::string_view q, int limit, int offset) const {
  // The IN list is built from numbered placeholders; values stay bound parameters.
  std::string query =
      "SELECT " + std::string(sql::kUserColumns) + " FROM users WHERE kind IN ('officer', 'admin')";
  storage::Params params;
  std::vector<std::string> names;
  names.reserve(agency_ids.size());
  if (!agency_ids.empty()) {
    query += " AND agency_id IN (";
    for (std::size_t i = 0; i < agency_ids.size(); ++i) {
      names.push_back("a" + std::to_string(i));
      query += (i ? ", :" : ":") + names.back();
    }
    query += ")";
    for (std::size_t i = 0; i < agency_ids.size(); ++i) params.push_back({names[i], agency_ids[i]});
  }
  const std::string key = core::SearchKey(q);
  if (key.empty() && q.find_first_not_of(" \t") != std::string_view::npos) {
    // Only punctuation ("%", "_"): no search key holds it, so nothing matches (not everyone).
    return std::vector<User>{};
  }
  if (!key.empty()) {
    query += " AND search_key LIKE :q ESCAPE '\\'";
    params.push_back({"q", storage::LikeContains(key)});
  }
  query += " ORDER BY id LIMIT :limit OFFSET :offset";
  params.push_back({"limit", static_cast<std::int64_t>(limit)});
  params.push_back({"offset", static_cast<std::int64_t>(offset)});
  TINHSO_ASSIGN_OR_RETURN(auto tx, db_.Begin(storage::TxKind::kReadOnly));
  TINHSO_ASSIGN_OR_RETURN(auto rows, tx->Query(query, params));
  std::vector<User> out;
  for (const auto& r : rows) out.push_back(UserFromRow(r));
  return out;
}

Result<std::vector<User>> Accounts::Holders(std::string_view role) const {
  TINHSO_ASSIGN_OR_RETURN(auto tx, db_.Begin(storage::TxKind::kReadOnly));
  TINHSO_ASSIGN_OR_RETURN(auto rows,
                          tx->Query(sql::kRoleCandidates, {{"role", storage::LikeContains(role)}}));
  std::vector<User> out;
  for (const auto& r : rows) {
    User u = UserFromRow(r);
    // "admin" is also inside other roles' names: only the exact role counts.
    if (std::find(u.roles.begin(), u.roles.end(), role) != u.roles.end()) out.push_back(u);
  }
  return out;
}

Result<void> Accounts::SetDisabled(std::int64_t id, bool disabled, const core::Actor& by) {
  const auto now = clock_.Now();
  TINHSO_RETURN_IF_ERROR(
      storage::WithTransaction(db_, [&](storage::Transaction& tx) -> Result<void> {
        TINHSO_ASSIGN_OR_RETURN(
            auto n, tx.Execute(sql::kSetDisabled,
                               {{"disabled", disabled ? 1 : 0}, {"now", Secs(now)}, {"id", id}}));
        if (n == 0) return UserNotFound();
        if (disabled)
          TINHSO_RETURN_IF_ERROR(tx.Execute(sql::kRevokeUserSessions, {{"user_id", id}}));
        TINHSO_RETURN_IF_ERROR(
            audit::Append(tx, by,
                          {disabled ? "user.disable" : "user.enable", "user", std::to_string(id),
                           std::string("{\"disabled\":") + (disabled ? "true" : "false") + "}"},
                          now));
        return Ok();
      }));
  ForgetUser(id);
  return Ok();
}

Result<void> Accounts::SetPassword(std::int64_t id, std::string_view password,
                                   const core::Actor& by) {
  return ReplacePassword(id, password, std::nullopt, by);
}

Result<void> Accounts::ReplacePassword(
    std::int64_t id, std::string_view password, std::optional<std::string_view> previous,
    const core::Actor& by, const std::function<Result<void>(storage::Transaction&)>& also,
    std::string_view audit_data) {
  std::string old_hash;
  {
    TINHSO_ASSIGN_OR_RETURN(auto tx, db_.Begin(storage::TxKind::kReadOnly));
    TINHSO_ASSIGN_OR_RETURN(auto rows, tx->Query(sql::kPasswordCheckRow, {{"id", id}}));
    if (rows.empty()) return UserNotFound();
    TINHSO_RETURN_IF_ERROR(CheckNewPassword(
        password, {.login = rows[0].Text(0), .full_name = rows[0].Text(1), .previous = previous},
        options_.min_password_score));
    old_hash = rows[0].Text(2);
  }
  // An administrator's reset does not know the old password: the hash tells whether it is the
  // same one.
  if (!previous && VerifyPassword(old_hash, password)) {
    return MakeError(ErrorCode::kInvalidArgument, "auth.password_reused",
                     "Mật khẩu mới phải khác mật khẩu đang dùng.",
                     "The new password must differ from the current one.");
  }
  TINHSO_ASSIGN_OR_RETURN(std::string hash, HashPassword(password, options_.password_cost));
  const auto now = clock_.Now();
  TINHSO_RETURN_IF_ERROR(
      storage::WithTransaction(db_, [&](storage::Transaction& tx) -> Result<void> {
        TINHSO_ASSIGN_OR_RETURN(
            auto n,
            tx.Execute(sql::kSetPassword, {{"hash", hash}, {"now", Secs(now)}, {"id", id}}));
        if (n == 0) return UserNotFound();
        if (also) TINHSO_RETURN_IF_ERROR(also(tx));
        // A new password ends every existing session of the account.
        TINHSO_RETURN_IF_ERROR(tx.Execute(sql::kRevokeUserSessions, {{"user_id", id}}));
        TINHSO_RETURN_IF_ERROR(audit::Append(
            tx, by, {"user.password_reset", "user", std::to_string(id), std::string(audit_data)},
            now));
        return Ok();
      }));
  ForgetUser(id);
  return Ok();
}

Result<void> Accounts::ChangeOwnPassword(const core::Actor& actor, std::string_view current,
                                         std::string_view replacement) {
  {
    TINHSO_ASSIGN_OR_RETURN(auto tx, db_.Begin(storage::TxKind::kReadOnly));
    TINHSO_ASSIGN_OR_RETURN(auto rows, tx->Query(sql::kPasswordHash, {{"id", actor.user_id}}));
    if (rows.empty()) return UserNotFound();
    if (!VerifyPassword(rows[0].Text(0), current)) {
      return MakeError(ErrorCode::kInvalidArgument, "auth.current_password_wrong",
                       "Mật khẩu hiện tại không đúng.", "The current password is wrong.");
    }
  }
  return ReplacePassword(actor.user_id, replacement, current, actor);
}

Result<Session> Accounts::Login(std::string_view login, std::string_view password, SessionKind kind,
                                std::string_view client_ip, std::string_view label,
                                int* retry_after_seconds) {
  return SignIn(login, password, kind, client_ip, label, retry_after_seconds, "auth.login");
}

Result<Session> Accounts::CreateToken(const core::Actor& actor, std::string_view password,
                                      std::string_view client_ip, std::string_view label,
                                      int* retry_after_seconds) {
  return SignIn(actor.login, password, SessionKind::kBearer, client_ip, label, retry_after_seconds,
                "auth.token.create");
}

Result<Session> Accounts::SignIn(std::string_view login, std::string_view password,
                                 SessionKind kind, std::string_view client_ip,
                                 std::string_view label, int* retry_after_seconds,
                                 std::string_view action) {
  const auto now = clock_.Now();
  if (password.size() > kMaxPassword) return BadCredentials();
  const std::string login_key(login);
  // '*' is the whole account's row; an unknown address (a test, the CLI) has its own key.
  constexpr std::string_view kAccountWide = "*";
  const std::string source = client_ip.empty() ? "-" : std::string(client_ip);
  std::int64_t user_id = 0;
  std::string hash;
  bool disabled = false;
  {
    TINHSO_ASSIGN_OR_RETURN(auto tx, db_.Begin(storage::TxKind::kReadOnly));
    TINHSO_ASSIGN_OR_RETURN(auto rows, tx->Query(sql::kLoginRow, {{"login", login_key}}));
    if (!rows.empty()) {
      user_id = rows[0].Int(0);
      hash = rows[0].Text(1);
      disabled = rows[0].Int(2) != 0;
    }
    // Asked before any password work: an address that must wait learns nothing, whether the
    // login exists or not.
    TINHSO_ASSIGN_OR_RETURN(
        auto throttle, tx->Query(sql::kThrottleRows, {{"login", login_key}, {"source", source}}));
    std::int64_t wait = 0;
    for (const auto& t : throttle) {
      const std::int64_t left = t.Int(2) - Secs(now);
      if (left <= 0 || t.Int(3) < Secs(now - options_.login_failure_window)) continue;
      if (t.Text(0) == kAccountWide && user_id != 0) {
        // The account-wide slowdown spares addresses the account has signed in from.
        TINHSO_ASSIGN_OR_RETURN(
            auto known, tx->Query(sql::kKnownAddress, {{"user_id", user_id}, {"source", source}}));
        if (!known.empty()) continue;
      }
      wait = std::max(wait, left);
    }
    if (wait > 0) {
      if (retry_after_seconds != nullptr) *retry_after_seconds = static_cast<int>(wait);
      return Throttled(wait);
    }
  }
  // One Argon2id check whatever the case (unknown login, disabled account, wrong password),
  // so neither the answer nor its time tells them apart.
  static const std::string kDummy = HashPassword("dummy-password", options_.password_cost).value();
  const bool matches = VerifyPassword(user_id != 0 ? hash : kDummy, password);
  const bool good = matches && user_id != 0 && !disabled;
  return storage::WithTransaction(db_, [&](storage::Transaction& tx) -> Result<Session> {
    if (!good) {
      const auto window_start = Secs(now - options_.login_failure_window);
      TINHSO_RETURN_IF_ERROR(tx.Execute(sql::kThrottlePurge, {{"window_start", window_start}}));
      for (const std::string& key : {source, std::string(kAccountWide)}) {
        TINHSO_ASSIGN_OR_RETURN(auto counted,
                                tx.Query(sql::kThrottleFailure, {{"login", login_key},
                                                                 {"source", key},
                                                                 {"now", Secs(now)},
                                                                 {"window_start", window_start}}));
        const std::int64_t failures = counted[0].Int(0);
        const std::int64_t delay = key == kAccountWide
                                       ? DelayAfter(failures - options_.account_slowdown_after + 1,
                                                    options_.account_delay_cap)
                                       : DelayAfter(failures, options_.login_delay_cap);
        TINHSO_RETURN_IF_ERROR(
            tx.Execute(sql::kThrottleSetNext,
                       {{"next_at", Secs(now) + delay}, {"login", login_key}, {"source", key}}));
      }
      boost::json::object data;
      data["login"] = login;
      data["source"] = client_ip;
      data["reason"] = user_id == 0 ? "unknown_login" : disabled ? "disabled" : "wrong_password";
      TINHSO_RETURN_IF_ERROR(
          audit::Append(tx, core::Actor{},
                        {"auth.login_failed", "user", user_id == 0 ? "" : std::to_string(user_id),
                         json::Serialize(data)},
                        now));
      // Commit the counters and the entry, then report the failure: WithTransaction only
      // commits on success.
      TINHSO_RETURN_IF_ERROR(tx.Commit());
      return BadCredentials();
    }
    TINHSO_RETURN_IF_ERROR(
        tx.Execute(sql::kThrottleForget, {{"login", login_key}, {"source", source}}));
    return OpenSession(tx, user_id, kind, client_ip, label, action, "password", now);
  });
}

Result<Session> Accounts::OpenSession(storage::Transaction& tx, std::int64_t user_id,
                                      SessionKind kind, std::string_view client_ip,
                                      std::string_view label, std::string_view action,
                                      std::string_view method, core::Seconds now) {
  Session s;
  s.token = core::RandomToken(32);
  s.csrf = core::RandomToken(24);
  s.expires_at =
      now + (kind == SessionKind::kCookie ? options_.cookie_lifetime : options_.token_lifetime);
  TINHSO_RETURN_IF_ERROR(
      tx.Execute(sql::kInsertSession,
                 {{"id", core::Sha256Hex(s.token)},
                  {"user_id", user_id},
                  {"kind", std::string(kind == SessionKind::kCookie ? "cookie" : "bearer")},
                  {"csrf", s.csrf},
                  {"label", std::string(label.substr(0, 100))},
                  {"client_ip", std::string(client_ip)},
                  {"now", Secs(now)},
                  {"expires_at", Secs(s.expires_at)}}));
  TINHSO_ASSIGN_OR_RETURN(auto rows, tx.Query(sql::kUserById, {{"id", user_id}}));
  if (rows.empty()) return UserNotFound();
  s.user = UserFromRow(rows[0]);
  core::Actor who;
  who.kind = s.user.kind;
  who.user_id = s.user.id;
  who.login = s.user.login;
  who.full_name = s.user.full_name;
  boost::json::object data;
  data["login"] = s.user.login;
  data["source"] = client_ip;
  data["session"] = kind == SessionKind::kCookie ? "cookie" : "bearer";
  data["label"] = label.substr(0, 100);
  data["expires_at"] = Secs(s.expires_at);
  data["method"] = method;
  TINHSO_RETURN_IF_ERROR(audit::Append(
      tx, who, {std::string(action), "user", std::to_string(user_id), json::Serialize(data)}, now));
  return s;
}

Result<Session> Accounts::StartSession(std::int64_t user_id, SessionKind kind,
                                       std::string_view client_ip, std::string_view label,
                                       std::string_view method) {
  const auto now = clock_.Now();
  return storage::WithTransaction(db_, [&](storage::Transaction& tx) -> Result<Session> {
    TINHSO_ASSIGN_OR_RETURN(auto rows, tx.Query(sql::kUserById, {{"id", user_id}}));
    if (rows.empty()) return UserNotFound();
    if (UserFromRow(rows[0]).disabled) return AccountDisabled();
    return OpenSession(tx, user_id, kind, client_ip, label, "auth.login", method, now);
  });
}

Result<User> Accounts::ProvideVerified(const VerifiedPerson& person) {
  if (person.kind != core::ActorKind::kCitizen && person.kind != core::ActorKind::kBusiness) {
    return InternalError("ProvideVerified is for citizens and businesses");
  }
  const std::string full_name = core::ToNfc(person.full_name);
  if (full_name.empty() || !core::IsValidUtf8(full_name) || full_name.size() > 200) {
    return json::FieldError("full_name", "là bắt buộc, tối đa 200 ký tự.",
                            "is required, at most 200 characters.");
  }
  const auto now = clock_.Now();
  TINHSO_RETURN_IF_ERROR(CheckPublicLogin(person.kind, person.login, YearInVietnam(now)));
  auto result = storage::WithTransaction(db_, [&](storage::Transaction& tx) -> Result<User> {
    TINHSO_ASSIGN_OR_RETURN(auto rows, tx.Query(sql::kUserByLogin, {{"login", person.login}}));
    if (rows.empty()) {
      const std::string role(person.kind == core::ActorKind::kCitizen ? kRoleCitizen
                                                                      : kRoleBusiness);
      TINHSO_ASSIGN_OR_RETURN(
          auto inserted,
          tx.Query(sql::kInsertVerifiedUser, {{"kind", std::string(ActorKindName(person.kind))},
                                              {"login", person.login},
                                              {"full_name", full_name},
                                              {"search_key", core::SearchKey(full_name)},
                                              {"roles", role},
                                              {"provider", person.provider},
                                              {"birth_date", OrNull(person.birth_date)},
                                              {"now", Secs(now)}}));
      TINHSO_ASSIGN_OR_RETURN(auto created, tx.Query(sql::kUserById, {{"id", inserted[0].Int(0)}}));
      User u = UserFromRow(created[0]);
      boost::json::object data = UserToJson(u);
      data["identity_provider"] = person.provider;
      TINHSO_RETURN_IF_ERROR(audit::Append(
          tx,
          core::Actor{.kind = u.kind, .user_id = u.id, .login = u.login, .full_name = u.full_name},
          {"user.create", "user", std::to_string(u.id), json::Serialize(data)}, now));
      return u;
    }
    User u = UserFromRow(rows[0]);
    if (u.kind != person.kind) {
      return MakeError(ErrorCode::kFailedPrecondition, "user.kind_mismatch",
                       "Số định danh này đã thuộc một tài khoản loại khác.",
                       "This identity number already belongs to an account of another kind.");
    }
    if (u.disabled) return AccountDisabled();
    TINHSO_RETURN_IF_ERROR(
        tx.Execute(sql::kMarkVerified, {{"provider", person.provider},
                                        {"now", Secs(now)},
                                        {"full_name", full_name},
                                        {"search_key", core::SearchKey(full_name)},
                                        {"birth_date", OrNull(person.birth_date)},
                                        {"id", u.id}}));
    boost::json::object data;
    data["identity_provider"] = person.provider;
    if (u.full_name != full_name) data["full_name"] = full_name;
    TINHSO_RETURN_IF_ERROR(audit::Append(
        tx,
        core::Actor{.kind = u.kind, .user_id = u.id, .login = u.login, .full_name = u.full_name},
        {"user.identity_verified", "user", std::to_string(u.id), json::Serialize(data)}, now));
    u.full_name = full_name;
    u.identity_provider = person.provider;
    u.identity_verified_at = now;
    u.birth_date = person.birth_date;
    return u;
  });
  if (result.ok()) ForgetUser(result->id);
  return result;
}

Result<void> Accounts::Unlock(std::int64_t id, const core::Actor& by) {
  const auto now = clock_.Now();
  return storage::WithTransaction(db_, [&](storage::Transaction& tx) -> Result<void> {
    TINHSO_ASSIGN_OR_RETURN(auto rows, tx.Query(sql::kUserById, {{"id", id}}));
    if (rows.empty()) return UserNotFound();
    TINHSO_ASSIGN_OR_RETURN(auto cleared,
                            tx.Execute(sql::kThrottleForgetLogin, {{"login", rows[0].Text(2)}}));
    TINHSO_RETURN_IF_ERROR(audit::Append(tx, by,
                                         {"user.unlock", "user", std::to_string(id),
                                          "{\"cleared\":" + std::to_string(cleared) + "}"},
                                         now));
    return Ok();
  });
}

Result<void> Accounts::RequestPasswordReset(std::string_view login_or_email,
                                            std::string_view client_ip) {
  if (!reset_mailer_) {
    return MakeError(ErrorCode::kFailedPrecondition, "auth.reset_unavailable",
                     "Chức năng đặt lại mật khẩu qua thư điện tử chưa được bật.",
                     "Password reset by e-mail is not enabled.");
  }
  const auto now = clock_.Now();
  const std::string source = client_ip.empty() ? "-" : std::string(client_ip);
  const std::string asked = core::ToNfc(login_or_email.substr(0, 200));
  const std::int64_t hour_ago = Secs(now - std::chrono::hours(1));
  const core::Seconds expires_at = now + options_.password_reset_lifetime;
  return storage::WithTransaction(db_, [&](storage::Transaction& tx) -> Result<void> {
    TINHSO_ASSIGN_OR_RETURN(auto from_source, tx.Query(sql::kResetRequestsFromSource,
                                                       {{"source", source}, {"since", hour_ago}}));
    if (from_source[0].Int(0) >= options_.password_resets_per_source_hour) {
      return MakeError(ErrorCode::kResourceExhausted, "auth.reset_throttled",
                       "Bạn đã yêu cầu đặt lại mật khẩu nhiều lần. Vui lòng thử lại sau một giờ.",
                       "You have asked to reset a password too many times. Please try again in "
                       "an hour.");
    }
    TINHSO_RETURN_IF_ERROR(
        tx.Execute(sql::kPurgeResetRequests, {{"before", Secs(now - std::chrono::hours(24))}}));
    TINHSO_RETURN_IF_ERROR(tx.Execute(sql::kPurgeResets, {{"before", Secs(now)}}));
    TINHSO_ASSIGN_OR_RETURN(auto rows, tx.Query(sql::kResetCandidates, {{"q", asked}}));
    std::vector<User> eligible;
    for (const auto& r : rows) {
      bool ok = false;
      User u;
      u.id = r.Int(0);
      u.kind = ParseActorKind(r.Text(1), &ok);
      u.login = r.Text(2);
      u.full_name = r.Text(3);
      u.email = r.Text(4);
      u.disabled = r.Int(5) != 0;
      // Citizens and businesses sign in with VNeID (no password of ours to reset).
      const bool staff = u.kind == core::ActorKind::kOfficer || u.kind == core::ActorKind::kAdmin;
      if (staff && !u.disabled && !u.email.empty()) eligible.push_back(std::move(u));
    }
    // The same work whatever was found: a token made and hashed, the request recorded and
    // audited; only an eligible account's row and mail differ.
    std::string token = core::RandomToken(32);
    std::string token_hash = core::Sha256Hex(token);
    int sent = 0;
    if (eligible.empty()) {
      TINHSO_RETURN_IF_ERROR(tx.Execute(
          sql::kInsertResetRequest,
          {{"source", source}, {"user_id", storage::Value(nullptr)}, {"now", Secs(now)}}));
      TINHSO_RETURN_IF_ERROR(tx.Query(sql::kResetRequestsForUser,
                                      {{"user_id", std::int64_t{0}}, {"since", hour_ago}}));
    }
    for (const User& u : eligible) {
      TINHSO_RETURN_IF_ERROR(tx.Execute(
          sql::kInsertResetRequest, {{"source", source}, {"user_id", u.id}, {"now", Secs(now)}}));
      TINHSO_ASSIGN_OR_RETURN(auto for_user, tx.Query(sql::kResetRequestsForUser,
                                                      {{"user_id", u.id}, {"since", hour_ago}}));
      if (for_user[0].Int(0) > options_.password_resets_per_account_hour) continue;
      if (sent > 0) {  // accounts sharing an address each get a link of their own
        token = core::RandomToken(32);
        token_hash = core::Sha256Hex(token);
      }
      TINHSO_RETURN_IF_ERROR(tx.Execute(sql::kInsertReset, {{"id", token_hash},
                                                            {"user_id", u.id},
                                                            {"now", Secs(now)},
                                                            {"expires_at", Secs(expires_at)}}));
      TINHSO_RETURN_IF_ERROR(reset_mailer_(tx, u, token, expires_at));
      ++sent;
    }
    boost::json::object data;
    data["asked"] = asked;
    data["source"] = client_ip;
    data["sent"] = sent;
    TINHSO_RETURN_IF_ERROR(audit::Append(
        tx, core::Actor{},
        {"auth.password_reset_requested", "user",
         eligible.empty() ? "" : std::to_string(eligible[0].id), json::Serialize(data)},
        now));
    return Ok();
  });
}

Result<void> Accounts::ResetPasswordWithToken(std::string_view token, std::string_view password,
                                              std::string_view client_ip) {
  if (token.empty() || token.size() > 128) return ResetTokenInvalid();
  const std::string id = core::Sha256Hex(token);
  const auto now = clock_.Now();
  core::Actor holder;
  {
    TINHSO_ASSIGN_OR_RETURN(auto tx, db_.Begin(storage::TxKind::kReadOnly));
    TINHSO_ASSIGN_OR_RETURN(auto rows, tx->Query(sql::kResetRow, {{"id", id}, {"now", Secs(now)}}));
    if (rows.empty()) return ResetTokenInvalid();
    bool ok = false;
    holder.user_id = rows[0].Int(0);
    holder.kind = ParseActorKind(rows[0].Text(1), &ok);
    holder.login = rows[0].Text(2);
    holder.full_name = rows[0].Text(3);
  }
  boost::json::object data;
  data["method"] = "email_link";
  data["source"] = client_ip;
  // The password is checked first (a weak one leaves the link usable); the token is taken in
  // the password's own transaction, so a link used twice at once changes it once.
  return ReplacePassword(
      holder.user_id, password, std::nullopt, holder,
      [&](storage::Transaction& tx) -> Result<void> {
        TINHSO_ASSIGN_OR_RETURN(auto taken,
                                tx.Execute(sql::kTakeReset, {{"id", id}, {"now", Secs(now)}}));
        if (taken == 0) return ResetTokenInvalid();
        TINHSO_RETURN_IF_ERROR(
            tx.Execute(sql::kEndUserResets, {{"user_id", holder.user_id}, {"now", Secs(now)}}));
        return Ok();
      },
      json::Serialize(data));
}

Result<void> Accounts::Logout(std::string_view token, std::string_view client_ip) {
  const std::string id = core::Sha256Hex(token);
  {
    std::lock_guard lock(cache_mu_);
    cache_.erase(id);
  }
  const auto now = clock_.Now();
  return storage::WithTransaction(db_, [&](storage::Transaction& tx) -> Result<void> {
    TINHSO_ASSIGN_OR_RETURN(auto live, tx.Query(sql::kLiveSessionUser, {{"id", id}}));
    if (live.empty()) return Ok();  // unknown or already ended: nothing happened
    TINHSO_RETURN_IF_ERROR(tx.Execute(sql::kRevokeSession, {{"id", id}}));
    core::Actor who;
    bool ok = false;
    who.kind = ParseActorKind(live[0].Text(1), &ok);
    who.user_id = live[0].Int(0);
    who.login = live[0].Text(2);
    who.full_name = live[0].Text(3);
    boost::json::object data;
    data["source"] = client_ip;
    TINHSO_RETURN_IF_ERROR(audit::Append(
        tx, who, {"auth.logout", "user", std::to_string(who.user_id), json::Serialize(data)}, now));
    return Ok();
  });
}

Result<core::Actor> Accounts::Authenticate(std::string_view token, std::string* csrf_out) {
  if (token.empty() || token.size() > 128) return SessionInvalid();
  const std::string id = core::Sha256Hex(token);
  const auto now = clock_.Now();
  {
    std::unique_lock lock(cache_mu_);
    auto it = cache_.find(id);
    if (it != cache_.end()) {
      if (it->second.cached_until > now && it->second.expires_at > now) {
        if (csrf_out) *csrf_out = it->second.csrf;
        core::Actor actor = it->second.actor;
        // A cached session in use still records its use, once a minute: the cache lives 30 s,
        // so a session used only from the cache would otherwise look idle.
        const bool touch = actor.via_cookie && now - it->second.last_seen >= kLastSeenEvery;
        if (touch) it->second.last_seen = now;
        lock.unlock();
        if (touch) Touch(id, now);
        return actor;
      }
      cache_.erase(it);
    }
  }
  TINHSO_ASSIGN_OR_RETURN(auto tx, db_.Begin(storage::TxKind::kReadOnly));
  TINHSO_ASSIGN_OR_RETURN(auto rows, tx->Query(sql::kSessionActor, {{"id", id}}));
  tx.reset();  // the snapshot is not needed any more; Touch() may write
  if (rows.empty()) return SessionInvalid();
  const auto& r = rows[0];
  const core::Seconds expires = FromSecs(r.Int(1));
  if (r.Int(2) != 0 || expires <= now || r.Int(11) != 0) return SessionInvalid();
  // Idle expiry, for cookie sessions only: a browser left signed in on a shared computer ends
  // on its own. API tokens are used by programs on their own schedule; they keep their lifetime.
  const bool via_cookie = r.Text(3) == "cookie";
  const std::optional<std::int64_t> seen_at = r.OptionalInt(12);  // NULL: before migration 0015
  core::Seconds last_seen = seen_at ? FromSecs(*seen_at) : core::Seconds{};
  if (via_cookie && seen_at && options_.idle_timeout.count() > 0 &&
      now - last_seen >= options_.idle_timeout) {
    return SessionInvalid();
  }
  if (via_cookie && now - last_seen >= kLastSeenEvery) {
    Touch(id, now);
    last_seen = now;
  }
  core::Actor a;
  bool ok = false;
  a.kind = ParseActorKind(r.Text(5), &ok);
  if (!ok) return SessionInvalid();
  a.user_id = r.Int(4);
  a.login = r.Text(6);
  a.full_name = r.Text(7);
  a.agency_id = r.OptionalInt(8).value_or(0);
  a.position = r.Text(9);
  a.roles = SplitRoles(r.Text(10));
  a.session_id = id.substr(0, 16);
  a.via_cookie = via_cookie;
  a.identity_provider = r.OptionalText(13).value_or("");
  a.identity_verified_at = r.OptionalInt(14).value_or(0);
  a.birth_date = r.OptionalText(15).value_or("");
  const std::string csrf = r.Text(0);
  if (csrf_out) *csrf_out = csrf;
  {
    std::lock_guard lock(cache_mu_);
    // Bounded: a flood of distinct tokens cannot grow the cache without limit.
    if (cache_.size() > 100000) cache_.clear();
    cache_[id] = Cached{a, csrf, expires, now + options_.session_cache_ttl, last_seen};
  }
  return a;
}

void Accounts::Touch(const std::string& session_id, core::Seconds now) {
  // Best effort: if the write fails (the database busy), the session still works and its use
  // is recorded at the next try; refusing the request for it would help nobody.
  (void)storage::WithTransaction(db_, [&](storage::Transaction& tx) {
    return tx.Execute(
        sql::kTouchSession,
        {{"now", Secs(now)}, {"id", session_id}, {"stale", Secs(now - kLastSeenEvery)}});
  });
}

void Accounts::ForgetUser(std::int64_t user_id) {
  std::lock_guard lock(cache_mu_);
  std::erase_if(cache_, [user_id](const auto& kv) { return kv.second.actor.user_id == user_id; });
}

}  // namespace tinhso::auth
