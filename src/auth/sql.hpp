// Every statement the auth module runs; portable to SQLite 3.40 and PostgreSQL 15.
#pragma once

#include <string_view>

namespace tinhso::auth::sql {

inline constexpr std::string_view kUserColumns =
    "id, kind, login, full_name, email, phone, agency_id, position, roles, disabled, "
    "locked_until, version, created_at";

inline constexpr std::string_view kInsertUser = R"(
INSERT INTO users (kind, login, full_name, search_key, email, phone, agency_id, position, roles,
                   password_hash, created_at, updated_at)
VALUES (:kind, :login, :full_name, :search_key, :email, :phone, :agency_id, :position, :roles,
        :password_hash, :now, :now)
RETURNING id)";

inline constexpr std::string_view kUserById = R"(
SELECT id, kind, login, full_name, email, phone, agency_id, position, roles, disabled,
       locked_until, version, created_at
FROM users WHERE id = :id)";

inline constexpr std::string_view kUserByLogin = R"(
SELECT id, kind, login, full_name, email, phone, agency_id, position, roles, disabled,
       locked_until, version, created_at
FROM users WHERE login = :login)";

inline constexpr std::string_view kLoginRow = R"(
SELECT id, password_hash, failed_logins, locked_until, disabled FROM users WHERE login = :login)";

inline constexpr std::string_view kLoginFailed = R"(
UPDATE users SET failed_logins = :failed, locked_until = :locked_until WHERE id = :id)";

inline constexpr std::string_view kLoginSucceeded = R"(
UPDATE users SET failed_logins = 0, locked_until = 0 WHERE id = :id AND failed_logins <> 0)";

inline constexpr std::string_view kSetDisabled = R"(
UPDATE users SET disabled = :disabled, version = version + 1, updated_at = :now WHERE id = :id)";

inline constexpr std::string_view kSetPassword = R"(
UPDATE users SET password_hash = :hash, failed_logins = 0, locked_until = 0,
                 version = version + 1, updated_at = :now
WHERE id = :id)";

inline constexpr std::string_view kPasswordHash =
    R"(SELECT password_hash FROM users WHERE id = :id)";

inline constexpr std::string_view kPasswordCheckRow =
    R"(SELECT login, full_name, password_hash FROM users WHERE id = :id)";

inline constexpr std::string_view kRevokeUserSessions = R"(
UPDATE sessions SET revoked = 1 WHERE user_id = :user_id AND revoked = 0)";

inline constexpr std::string_view kInsertSession = R"(
INSERT INTO sessions (id, user_id, kind, csrf, label, client_ip, created_at, expires_at)
VALUES (:id, :user_id, :kind, :csrf, :label, :client_ip, :now, :expires_at))";

inline constexpr std::string_view kSessionActor = R"(
SELECT s.csrf, s.expires_at, s.revoked, s.kind, u.id, u.kind, u.login, u.full_name, u.agency_id,
       u.position, u.roles, u.disabled
FROM sessions s JOIN users u ON u.id = s.user_id
WHERE s.id = :id)";

inline constexpr std::string_view kRevokeSession = R"(
UPDATE sessions SET revoked = 1 WHERE id = :id)";

inline constexpr std::string_view kAgencyExists = R"(SELECT 1 FROM agencies WHERE id = :id)";

}  // namespace tinhso::auth::sql
