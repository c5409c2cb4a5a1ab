// Every statement the oidc module runs; portable to SQLite 3.40 and PostgreSQL 15.
#pragma once

#include <string_view>

namespace tinhso::oidc::sql {

inline constexpr std::string_view kInsertState = R"(
INSERT INTO oidc_states (id, provider, nonce, code_verifier, return_to, created_at, expires_at)
VALUES (:id, :provider, :nonce, :code_verifier, :return_to, :now, :expires_at))";

// Consumes a state: of two callbacks with the same state, only one gets the row.
inline constexpr std::string_view kTakeState = R"(
DELETE FROM oidc_states WHERE id = :id
RETURNING provider, nonce, code_verifier, return_to, expires_at)";

inline constexpr std::string_view kPurgeStates = R"(
DELETE FROM oidc_states WHERE expires_at <= :now)";

// The id_tokens of sessions that ended without the provider's logout (expired, or ended by
// POST /api/v1/auth/logout): no longer useful as a hint.
inline constexpr std::string_view kPurgeSessions = R"(
DELETE FROM oidc_sessions WHERE session_id IN (
  SELECT id FROM sessions WHERE revoked = 1 OR expires_at <= :now))";

inline constexpr std::string_view kInsertSession = R"(
INSERT INTO oidc_sessions (session_id, provider, id_token, created_at)
VALUES (:session_id, :provider, :id_token, :now))";

inline constexpr std::string_view kTakeSession = R"(
DELETE FROM oidc_sessions WHERE session_id = :session_id RETURNING provider, id_token)";

}  // namespace tinhso::oidc::sql
