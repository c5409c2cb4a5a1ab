// Every statement the auth module runs; portable to SQLite 3.40 and PostgreSQL 15.
#pragma once

#include <string_view>

namespace tinhso::auth::sql {

inline constexpr std::string_view kUserColumns =
    "id, kind, login, full_name, email, phone, agency_id, position, roles, disabled, version, "
    "created_at, identity_provider, identity_verified_at, birth_date";

inline constexpr std::string_view kInsertUser = R"(
INSERT INTO users (kind, login, full_name, search_key, email, phone, agency_id, position, roles,
                   password_hash, created_at, updated_at)
VALUES (:kind, :login, :full_name, :search_key, :email, :phone, :agency_id, :position, :roles,
        :password_hash, :now, :now)
RETURNING id)";

// Candidates for Accounts::Holders: the roles column holds the role's name somewhere.
inline constexpr std::string_view kRoleCandidates = R"(
SELECT id, kind, login, full_name, email, phone, agency_id, position, roles, disabled, version,
       created_at, identity_provider, identity_verified_at, birth_date
FROM users
WHERE kind IN ('officer', 'admin') AND disabled = 0 AND roles LIKE :role ESCAPE '\'
ORDER BY id LIMIT 1000)";

inline constexpr std::string_view kUserById = R"(
SELECT id, kind, login, full_name, email, phone, agency_id, position, roles, disabled, version,
       created_at, identity_provider, identity_verified_at, birth_date
FROM users WHERE id = :id)";

inline constexpr std::string_view kUserByLogin = R"(
SELECT id, kind, login, full_name, email, phone, agency_id, position, roles, disabled, version,
       created_at, identity_provider, identity_verified_at, birth_date
FROM users WHERE login = :login)";

// An account created from a provider's verified identity: no password (an empty hash, which
// no password verifies) until its holder sets one.
inline constexpr std::string_view kInsertVerifiedUser = R"(
INSERT INTO users (kind, login, full_name, search_key, roles, password_hash, identity_provider,
                   identity_verified_at, birth_date, created_at, updated_at)
VALUES (:kind, :login, :full_name, :search_key, :roles, '', :provider, :now, :birth_date, :now,
        :now)
RETURNING id)";

// An existing account whose identity a provider vouched for: its name as the provider says it.
inline constexpr std::string_view kMarkVerified = R"(
UPDATE users SET identity_provider = :provider, identity_verified_at = :now,
                 full_name = :full_name, search_key = :search_key, birth_date = :birth_date,
                 version = version + 1,
                 updated_at = :now
WHERE id = :id)";

inline constexpr std::string_view kLoginRow = R"(
SELECT id, password_hash, disabled FROM users WHERE login = :login)";

// The throttle rows of one login: its source's and the whole account's ('*').
inline constexpr std::string_view kThrottleRows = R"(
SELECT source, failures, next_at, last_at FROM login_throttle
WHERE login = :login AND source IN (:source, '*'))";

// One more failure; the count starts again when the last one is older than :window_start.
inline constexpr std::string_view kThrottleFailure = R"(
INSERT INTO login_throttle (login, source, failures, next_at, last_at)
VALUES (:login, :source, 1, :now, :now)
ON CONFLICT (login, source) DO UPDATE SET
  failures = CASE WHEN login_throttle.last_at < :window_start THEN 1
                  ELSE login_throttle.failures + 1 END,
  last_at = :now
RETURNING failures)";

inline constexpr std::string_view kThrottleSetNext = R"(
UPDATE login_throttle SET next_at = :next_at WHERE login = :login AND source = :source)";

// A success forgets its address's failures; the account-wide count keeps running, so a
// guesser spread over many addresses is not given a fresh start whenever the owner signs in.
inline constexpr std::string_view kThrottleForget = R"(
DELETE FROM login_throttle WHERE login = :login AND source = :source)";

inline constexpr std::string_view kThrottleForgetLogin = R"(
DELETE FROM login_throttle WHERE login = :login)";

inline constexpr std::string_view kThrottlePurge = R"(
DELETE FROM login_throttle WHERE last_at < :window_start)";

// Whether the account has signed in from this address before (its sessions keep the address).
inline constexpr std::string_view kKnownAddress = R"(
SELECT 1 FROM sessions WHERE user_id = :user_id AND client_ip = :source LIMIT 1)";

inline constexpr std::string_view kSetDisabled = R"(
UPDATE users SET disabled = :disabled, version = version + 1, updated_at = :now WHERE id = :id)";

inline constexpr std::string_view kSetPassword = R"(
UPDATE users SET password_hash = :hash, version = version + 1, updated_at = :now
WHERE id = :id)";

inline constexpr std::string_view kPasswordHash =
    R"(SELECT password_hash FROM users WHERE id = :id)";

inline constexpr std::string_view kPasswordCheckRow =
    R"(SELECT login, full_name, password_hash FROM users WHERE id = :id)";

inline constexpr std::string_view kRevokeUserSessions = R"(
UPDATE sessions SET revoked = 1 WHERE user_id = :user_id AND revoked = 0)";

inline constexpr std::string_view kInsertSession = R"(
INSERT INTO sessions (id, user_id, kind, csrf, label, client_ip, created_at, expires_at,
                      last_seen_at)
VALUES (:id, :user_id, :kind, :csrf, :label, :client_ip, :now, :expires_at, :now))";

inline constexpr std::string_view kSessionActor = R"(
SELECT s.csrf, s.expires_at, s.revoked, s.kind, u.id, u.kind, u.login, u.full_name, u.agency_id,
       u.position, u.roles, u.disabled, s.last_seen_at, u.identity_provider,
       u.identity_verified_at, u.birth_date
FROM sessions s JOIN users u ON u.id = s.user_id
WHERE s.id = :id)";

// The account behind a live session, for the audit entry of its logout.
inline constexpr std::string_view kLiveSessionUser = R"(
SELECT u.id, u.kind, u.login, u.full_name FROM sessions s JOIN users u ON u.id = s.user_id
WHERE s.id = :id AND s.revoked = 0)";

// Records a session's use, at most once per kLastSeenEvery whatever the number of processes:
// only a value older than :stale is replaced.
inline constexpr std::string_view kTouchSession = R"(
UPDATE sessions SET last_seen_at = :now
WHERE id = :id AND (last_seen_at IS NULL OR last_seen_at <= :stale))";

inline constexpr std::string_view kRevokeSession = R"(
UPDATE sessions SET revoked = 1 WHERE id = :id)";

// ---- "Quên mật khẩu" ---------------------------------------------------------------------------

// The accounts a reset request may name: by login, or by e-mail address (case aside; several
// accounts may share one).
inline constexpr std::string_view kResetCandidates = R"(
SELECT id, kind, login, full_name, email, disabled FROM users
WHERE login = :q OR (email <> '' AND lower(email) = lower(:q))
ORDER BY id LIMIT 5)";

inline constexpr std::string_view kResetRequestsFromSource = R"(
SELECT COUNT(*) FROM password_reset_requests WHERE source = :source AND at > :since)";

inline constexpr std::string_view kResetRequestsForUser = R"(
SELECT COUNT(*) FROM password_reset_requests WHERE user_id = :user_id AND at > :since)";

inline constexpr std::string_view kInsertResetRequest = R"(
INSERT INTO password_reset_requests (source, user_id, at) VALUES (:source, :user_id, :now))";

inline constexpr std::string_view kPurgeResetRequests = R"(
DELETE FROM password_reset_requests WHERE at < :before)";

inline constexpr std::string_view kPurgeResets = R"(
DELETE FROM password_resets WHERE expires_at < :before)";

inline constexpr std::string_view kInsertReset = R"(
INSERT INTO password_resets (id, user_id, created_at, expires_at)
VALUES (:id, :user_id, :now, :expires_at))";

inline constexpr std::string_view kResetRow = R"(
SELECT r.user_id, u.kind, u.login, u.full_name FROM password_resets r
JOIN users u ON u.id = r.user_id
WHERE r.id = :id AND r.used_at IS NULL AND r.expires_at > :now AND u.disabled = 0)";

// Takes the token: of two requests with it, one changes a row.
inline constexpr std::string_view kTakeReset = R"(
UPDATE password_resets SET used_at = :now
WHERE id = :id AND used_at IS NULL AND expires_at > :now)";

// The account's other links stop working once one was used.
inline constexpr std::string_view kEndUserResets = R"(
UPDATE password_resets SET used_at = :now WHERE user_id = :user_id AND used_at IS NULL)";

inline constexpr std::string_view kAgencyExists = R"(SELECT 1 FROM agencies WHERE id = :id)";

}  // namespace tinhso::auth::sql
