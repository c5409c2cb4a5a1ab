// The auth module's API types (http/api.hpp): what the sign-in, session and account routes read
// and answer, described once for the parser, the renderer and the OpenAPI document. The account
// view is also the data of the audit entry that records a new account (json_io.cpp).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/auth.hpp"
#include "http/api.hpp"

namespace tinhso::auth {

// The kinds of account (core::ActorKind without the system and the anonymous visitor).
enum class AccountKind { kOfficer, kCitizen, kBusiness, kAdmin };
BOOST_DESCRIBE_ENUM(AccountKind, kOfficer, kCitizen, kBusiness, kAdmin)

// An account as the API shows it: never its password hash.
struct UserView {
  std::int64_t id = 0;
  std::string login;  // an officer's user name, a citizen's CCCD, a business's tax code
  AccountKind kind = AccountKind::kOfficer;
  std::string full_name;
  std::string email;
  std::string phone;
  http::Nullable<std::int64_t> agency_id;  // an officer's agency; null for citizens, businesses
  std::string position;
  std::vector<std::string> roles;  // "officer", "reception", "clerk", "leader", "admin"…
  bool disabled = false;
  // Who vouched for the identity number and name ("vneid"), and when; left out for accounts
  // never verified that way. Its online submissions carry this identity, read-only.
  std::optional<std::string> identity_provider;
  std::optional<http::Timestamp> identity_verified_at;
  std::optional<http::Date> birth_date;  // as the identity provider gave it
};
TINHSO_API_STRUCT(UserView, (id, login, kind, full_name, email, phone, agency_id, position, roles,
                             disabled, identity_provider, identity_verified_at, birth_date))

// ---- Sign-in and sessions ---------------------------------------------------------------------

enum class LoginMode { kCookie, kToken };
BOOST_DESCRIBE_ENUM(LoginMode, kCookie, kToken)

// POST /api/v1/auth/login
struct LoginInput {
  http::Text<64> login;
  http::Text<256> password;
  std::optional<LoginMode> mode;         // default "cookie"
  std::optional<http::Text<100>> label;  // names the session in the audit log
};
TINHSO_API_STRUCT(LoginInput, (login, password, mode, label))
inline constexpr std::string_view ApiSchemaDescription(const LoginInput*) {
  return "mode \"cookie\" (mặc định): phiên lưu trong cookie HttpOnly, mỗi thay đổi gửi kèm "
         "csrf_token trong tiêu đề X-CSRF-Token; mode \"token\": mã truy cập cho tiêu đề "
         "Authorization: Bearer. / mode \"cookie\" (the default): the session is kept in an "
         "HttpOnly cookie, and each change sends csrf_token in the X-CSRF-Token header; mode "
         "\"token\": a token for the Authorization: Bearer header.";
}

struct SignedIn {
  UserView user;
  http::Timestamp expires_at;
  std::optional<std::string> token;       // mode "token": shown this once
  std::optional<std::string> csrf_token;  // mode "cookie"
};
TINHSO_API_STRUCT(SignedIn, (user, expires_at, token, csrf_token))
inline constexpr std::string_view ApiSchemaDescription(const SignedIn*) {
  return "Có token khi đăng nhập mode \"token\" (chỉ trả về lần này), csrf_token khi mode "
         "\"cookie\". / token after a sign-in with mode \"token\" (given this once), csrf_token "
         "with mode \"cookie\".";
}

enum class SignedOutStatus { kSignedOut };
BOOST_DESCRIBE_ENUM(SignedOutStatus, kSignedOut)
struct SignedOut {
  SignedOutStatus status = SignedOutStatus::kSignedOut;
};
TINHSO_API_STRUCT(SignedOut, (status))

// POST /api/v1/auth/password
struct PasswordChangeInput {
  http::Text<256> current_password;
  http::Text<256> new_password;
};
TINHSO_API_STRUCT(PasswordChangeInput, (current_password, new_password))

enum class PasswordChangedStatus { kPasswordChanged };
BOOST_DESCRIBE_ENUM(PasswordChangedStatus, kPasswordChanged)
struct PasswordChanged {
  PasswordChangedStatus status = PasswordChangedStatus::kPasswordChanged;
};
TINHSO_API_STRUCT(PasswordChanged, (status))

// POST /api/v1/auth/tokens: one's own password again, as at sign-in.
struct TokenInput {
  http::Text<256> password;
  std::optional<http::Text<100>> label;  // default "api"
};
TINHSO_API_STRUCT(TokenInput, (password, label))

struct TokenCreated {
  std::string token;  // shown this once
  http::Timestamp expires_at;
};
TINHSO_API_STRUCT(TokenCreated, (token, expires_at))

// ---- Accounts ---------------------------------------------------------------------------------

// GET /api/v1/users: officer and administrator accounts, within the reader's agency scope.
struct UserListQuery {
  std::optional<http::Text<200>> q;    // words of the full name, diacritics optional
  std::optional<std::int64_t> agency;  // the accounts of this agency only
  int limit = 50;                      // 1..500
  int offset = 0;                      // 0..1,000,000,000
};
TINHSO_API_STRUCT(UserListQuery, (q, agency, limit, offset))

struct UserList {
  std::vector<UserView> items;
  int limit = 0;
  int offset = 0;
};
TINHSO_API_STRUCT(UserList, (items, limit, offset))

// POST /api/v1/users
struct NewUserInput {
  AccountKind kind = AccountKind::kOfficer;
  http::Text<64> login;
  http::Text<200> full_name;
  http::Text<256> password;
  std::optional<http::Text<200>> email;
  std::optional<http::Text<30>> phone;
  std::optional<http::Text<200>> position;
  std::optional<std::int64_t> agency_id;
  std::optional<std::vector<http::Text<100>>> roles;
};
TINHSO_API_STRUCT(NewUserInput,
                  (kind, login, full_name, password, email, phone, position, agency_id, roles))
inline constexpr std::string_view ApiSchemaDescription(const NewUserInput*) {
  return "login: cán bộ một tên đăng nhập, công dân số CCCD (12 chữ số), doanh nghiệp mã số "
         "thuế. Cán bộ thuộc một cơ quan (agency_id), vai trò (roles) trong officer, reception, "
         "clerk, leader (mặc định officer); vai trò của tài khoản loại khác do hệ thống đặt. / "
         "login: an officer's user name, a citizen's CCCD (12 digits), a business's tax code. An "
         "officer belongs to an agency (agency_id), with roles among officer, reception, clerk, "
         "leader (default officer); the other kinds' roles are set by the system.";
}

// POST /api/v1/users/{id}/password
struct PasswordResetInput {
  http::Text<256> password;
};
TINHSO_API_STRUCT(PasswordResetInput, (password))

enum class PasswordResetStatus { kPasswordReset };
BOOST_DESCRIBE_ENUM(PasswordResetStatus, kPasswordReset)
struct PasswordReset {
  PasswordResetStatus status = PasswordResetStatus::kPasswordReset;
};
TINHSO_API_STRUCT(PasswordReset, (status))

// POST /api/v1/auth/password-reset ("Quên mật khẩu")
struct PasswordResetRequestInput {
  http::Text<200> login;  // the user name or the e-mail address
};
TINHSO_API_STRUCT(PasswordResetRequestInput, (login))

enum class PasswordResetRequestedStatus { kRequested };
BOOST_DESCRIBE_ENUM(PasswordResetRequestedStatus, kRequested)
// The same answer whether or not an account matched.
struct PasswordResetRequested {
  PasswordResetRequestedStatus status = PasswordResetRequestedStatus::kRequested;
};
TINHSO_API_STRUCT(PasswordResetRequested, (status))

// POST /api/v1/auth/password-reset/confirm
struct PasswordResetConfirmInput {
  http::Text<128> token;  // from the e-mailed link
  http::Text<256> password;
};
TINHSO_API_STRUCT(PasswordResetConfirmInput, (token, password))

enum class UnlockedStatus { kUnlocked };
BOOST_DESCRIBE_ENUM(UnlockedStatus, kUnlocked)
struct Unlocked {
  UnlockedStatus status = UnlockedStatus::kUnlocked;
};
TINHSO_API_STRUCT(Unlocked, (status))

UserView ToApi(const User& u);
core::ActorKind ToActorKind(AccountKind kind);

}  // namespace tinhso::auth
