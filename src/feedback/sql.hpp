// Every statement of the feedback module, portable to SQLite and PostgreSQL.
#pragma once

#include <string_view>

namespace tinhso::feedback::sql {

inline constexpr std::string_view kInsert = R"(
INSERT INTO feedback (created_at, kind, name, contact, subject, content, dossier_ref, user_id,
  client_ip)
VALUES (:created_at, :kind, :name, :contact, :subject, :content, :dossier_ref, :user_id, :client_ip)
RETURNING id)";

inline constexpr std::string_view kSentSince =
    "SELECT COUNT(*) FROM feedback WHERE client_ip = :client_ip AND created_at >= :since";

inline constexpr std::string_view kList = R"(
SELECT id, created_at, kind, name, contact, subject, content, dossier_ref, user_id
FROM feedback ORDER BY created_at DESC, id DESC LIMIT :limit OFFSET :offset)";

inline constexpr std::string_view kCount = "SELECT COUNT(*) FROM feedback";

}  // namespace tinhso::feedback::sql
