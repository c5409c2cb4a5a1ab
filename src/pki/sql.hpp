// Every statement of src/pki, portable to SQLite and PostgreSQL.
#pragma once

#include <string_view>

namespace tinhso::pki::sql {

inline constexpr std::string_view kInsertKey = R"(
INSERT INTO pki_keys (algorithm, sealed, created_at) VALUES (:algorithm, :sealed, :created_at)
RETURNING id)";

inline constexpr std::string_view kKey = "SELECT sealed FROM pki_keys WHERE id = :id";

inline constexpr std::string_view kColumns = R"(
SELECT c.id, c.serial, c.kind, c.subject, c.issuer, c.issuer_id, c.key_id, c.agency_id,
  c.user_id, c.not_before, c.not_after, c.der, c.sha256, c.trusted, c.status, c.revoked_at,
  c.revocation_reason, c.replaced_by, COALESCE(k.algorithm, ''),
  CASE WHEN c.appearance_png IS NULL THEN 0 ELSE 1 END
FROM pki_certificates c LEFT JOIN pki_keys k ON k.id = c.key_id)";

inline constexpr std::string_view kInsertCertificate = R"(
INSERT INTO pki_certificates (serial, kind, subject, issuer, issuer_id, key_id, agency_id,
  user_id, not_before, not_after, der, sha256, trusted, created_at)
VALUES (:serial, :kind, :subject, :issuer, :issuer_id, :key_id, :agency_id, :user_id,
  :not_before, :not_after, :der, :sha256, :trusted, :created_at)
RETURNING id)";

// The visible mark (PNG) drawn into PDF signatures; NULL removes it.
inline constexpr std::string_view kSetAppearance =
    "UPDATE pki_certificates SET appearance_png = :png WHERE id = :id";
inline constexpr std::string_view kAppearance =
    "SELECT appearance_png FROM pki_certificates WHERE id = :id AND appearance_png IS NOT NULL";
// A renewal keeps the registered mark.
inline constexpr std::string_view kCopyAppearance = R"(
UPDATE pki_certificates SET appearance_png =
  (SELECT appearance_png FROM pki_certificates WHERE id = :from_id)
WHERE id = :to_id)";

inline constexpr std::string_view kCountCas =
    "SELECT COUNT(*) FROM pki_certificates WHERE kind IN ('root', 'issuing')";

inline constexpr std::string_view kRevoke = R"(
UPDATE pki_certificates SET status = 'revoked', revoked_at = :at, revocation_reason = :reason
WHERE id = :id AND status <> 'revoked')";

inline constexpr std::string_view kSupersede = R"(
UPDATE pki_certificates SET status = 'superseded', replaced_by = :replaced_by
WHERE id = :id AND status = 'valid')";

inline constexpr std::string_view kRevokedBy = R"(
SELECT serial, revoked_at, revocation_reason FROM pki_certificates
WHERE issuer_id = :issuer_id AND status = 'revoked' ORDER BY id)";

inline constexpr std::string_view kCrl =
    "SELECT number, this_update, next_update, der FROM pki_crls WHERE issuer_id = :issuer_id";

inline constexpr std::string_view kPutCrl = R"(
INSERT INTO pki_crls (issuer_id, number, this_update, next_update, der)
VALUES (:issuer_id, :number, :this_update, :next_update, :der)
ON CONFLICT (issuer_id) DO UPDATE SET number = excluded.number,
  this_update = excluded.this_update, next_update = excluded.next_update, der = excluded.der)";

// A revocation makes the CA's current CRL stale (made anew at the next request).
inline constexpr std::string_view kStaleCrl =
    "UPDATE pki_crls SET next_update = 0 WHERE issuer_id = :issuer_id";

}  // namespace tinhso::pki::sql
