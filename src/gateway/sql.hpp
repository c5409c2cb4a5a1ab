// Every statement the gateway runs; portable to SQLite 3.40 and PostgreSQL 15.
#pragma once

#include <cstddef>
#include <string_view>

namespace tinhso::gateway::sql {

// ---- Registry ----

inline constexpr std::string_view kRegistryVersion =
    "SELECT version FROM gateway_registry_version WHERE id = 1";
inline constexpr std::string_view kBumpRegistryVersion =
    "UPDATE gateway_registry_version SET version = version + 1 WHERE id = 1";

inline constexpr std::string_view kInsertMember = R"(
INSERT INTO gateway_members (code, name, agency_id, created_at)
VALUES (:code, :name, :agency_id, :created_at) RETURNING id)";
inline constexpr std::string_view kMembers =
    "SELECT id, code, name, agency_id, created_at FROM gateway_members ORDER BY code";
inline constexpr std::string_view kMemberByCode =
    "SELECT id, code, name, agency_id, created_at FROM gateway_members WHERE code = :code";

inline constexpr std::string_view kSubsystemColumns =
    "id, member_id, code, name, token_sha256, certificate_sha256, allowed_ips, rate_per_second, "
    "enabled, created_at";
inline constexpr std::string_view kInsertSubsystem = R"(
INSERT INTO gateway_subsystems (member_id, code, name, allowed_ips, rate_per_second, created_at)
VALUES (:member_id, :code, :name, :allowed_ips, :rate_per_second, :created_at) RETURNING id)";
inline constexpr std::string_view kSubsystems = R"(
SELECT id, member_id, code, name, token_sha256, certificate_sha256, allowed_ips, rate_per_second,
       enabled, created_at
FROM gateway_subsystems ORDER BY code)";
inline constexpr std::string_view kSetToken =
    "UPDATE gateway_subsystems SET token_sha256 = :token_sha256 WHERE code = :code";
inline constexpr std::string_view kChangeSubsystem = R"(
UPDATE gateway_subsystems SET allowed_ips = :allowed_ips, rate_per_second = :rate_per_second,
  enabled = :enabled
WHERE code = :code)";
inline constexpr std::string_view kSetCertificate =
    "UPDATE gateway_subsystems SET certificate_sha256 = :certificate_sha256 WHERE code = :code";

inline constexpr std::string_view kServices = R"(
SELECT s.id, s.code, s.provider_id, p.code, s.name, s.description, s.upstream_url, s.timeout_ms,
       s.max_request_bytes, s.max_response_bytes, s.enabled
FROM gateway_services s JOIN gateway_subsystems p ON p.id = s.provider_id ORDER BY s.code)";
inline constexpr std::string_view kUpsertService = R"(
INSERT INTO gateway_services (code, provider_id, name, description, upstream_url, timeout_ms,
                              max_request_bytes, max_response_bytes, enabled, created_at,
                              updated_at)
VALUES (:code, :provider_id, :name, :description, :upstream_url, :timeout_ms,
        :max_request_bytes, :max_response_bytes, :enabled, :now, :now2)
ON CONFLICT (code) DO UPDATE SET
  provider_id = excluded.provider_id, name = excluded.name, description = excluded.description,
  upstream_url = excluded.upstream_url, timeout_ms = excluded.timeout_ms,
  max_request_bytes = excluded.max_request_bytes,
  max_response_bytes = excluded.max_response_bytes, enabled = excluded.enabled,
  updated_at = excluded.updated_at
RETURNING id)";

inline constexpr std::string_view kRights = R"(
SELECT r.id, r.client_id, c.code, r.service_id, s.code, r.per_minute, r.per_day, r.granted_at,
       r.granted_by, r.withdrawn_at
FROM gateway_rights r
JOIN gateway_subsystems c ON c.id = r.client_id
JOIN gateway_services s ON s.id = r.service_id
WHERE (:all = 1 OR r.withdrawn_at IS NULL)
ORDER BY c.code, s.code, r.id)";
inline constexpr std::string_view kActiveRight = R"(
SELECT id FROM gateway_rights
WHERE client_id = :client_id AND service_id = :service_id AND withdrawn_at IS NULL)";
inline constexpr std::string_view kInsertRight = R"(
INSERT INTO gateway_rights (client_id, service_id, per_minute, per_day, granted_at, granted_by)
VALUES (:client_id, :service_id, :per_minute, :per_day, :now, :by) RETURNING id)";
// A new grant for a pair replaces the active one (new quotas): one active right per pair.
inline constexpr std::string_view kWithdrawRight = R"(
UPDATE gateway_rights SET withdrawn_at = :now, withdrawn_by = :by
WHERE id = :id AND withdrawn_at IS NULL)";

// ---- Quotas: what the log already counts for a pair since a time ----

inline constexpr std::string_view kCallsSince = R"(
SELECT COUNT(*) FROM gateway_log
WHERE client = :client AND service = :service AND at_ms >= :since_ms AND error_code = '')";

// ---- Message log ----

// Takes the head row lock first (PostgreSQL row lock; SQLite already holds the write lock).
inline constexpr std::string_view kBumpHead = R"(
UPDATE gateway_log_head SET seq = seq + :n WHERE id = 1 RETURNING seq, hash)";
inline constexpr std::string_view kSetHeadHash =
    "UPDATE gateway_log_head SET hash = :hash WHERE id = 1";
inline constexpr std::string_view kHead = "SELECT seq, hash FROM gateway_log_head WHERE id = 1";

inline constexpr std::string_view kInsertTable = "gateway_log";
// Bound by position in WriteRecords.
inline constexpr std::string_view kInsertColumns[] = {
    "seq",           "at_ms",          "request_id",     "client",          "client_ip",
    "service",       "method",         "path",           "status",          "error_code",
    "request_bytes", "response_bytes", "request_sha256", "response_sha256", "duration_us",
    "prev_hash",     "hash",           "signature",      "signer_id",       "bodies",
    "bodies_until"};
inline constexpr std::size_t kRowsPerInsert = 16;

#define TINHSO_GATEWAY_LOG_COLUMNS                                                               \
  "l.seq, l.at_ms, l.request_id, l.client, l.client_ip, l.service, l.method, l.path, l.status, " \
  "l.error_code, l.request_bytes, l.response_bytes, l.request_sha256, l.response_sha256, "       \
  "l.duration_us, l.prev_hash, l.hash, l.signature, l.signer_id, "                               \
  "CASE WHEN l.bodies IS NULL THEN 0 ELSE 1 END, "                                               \
  "(SELECT t.id FROM gateway_log_stamps t WHERE t.first_seq <= l.seq AND t.last_seq >= l.seq)"

inline constexpr std::string_view kLogPage = "SELECT " TINHSO_GATEWAY_LOG_COLUMNS R"(
FROM gateway_log l
WHERE (:client = '' OR l.client = :client2) AND (:service = '' OR l.service = :service2)
  AND (:before = 0 OR l.seq < :before2)
ORDER BY l.seq DESC LIMIT :limit)";
inline constexpr std::string_view kLogRecord =
    "SELECT " TINHSO_GATEWAY_LOG_COLUMNS " FROM gateway_log l WHERE l.seq = :seq";
// Keyset pagination in seq order, for Verify.
inline constexpr std::string_view kChainPage = "SELECT " TINHSO_GATEWAY_LOG_COLUMNS R"(
FROM gateway_log l WHERE l.seq > :after ORDER BY l.seq LIMIT :limit)";
#undef TINHSO_GATEWAY_LOG_COLUMNS

inline constexpr std::string_view kBodies =
    "SELECT bodies FROM gateway_log WHERE seq = :seq AND bodies IS NOT NULL";
inline constexpr std::string_view kPurgeBodies = R"(
UPDATE gateway_log SET bodies = NULL, bodies_until = NULL
WHERE bodies_until IS NOT NULL AND bodies_until <= :now)";

// ---- Time-stamp batches ----

inline constexpr std::string_view kLastStamped =
    "SELECT COALESCE(MAX(last_seq), 0) FROM gateway_log_stamps";
inline constexpr std::string_view kUnstamped = R"(
SELECT seq, hash, at_ms, length(signature) FROM gateway_log WHERE seq > :after
ORDER BY seq LIMIT :limit)";
inline constexpr std::string_view kInsertStamp = R"(
INSERT INTO gateway_log_stamps (first_seq, last_seq, root, token, stamped_at)
VALUES (:first_seq, :last_seq, :root, :token, :stamped_at) RETURNING id)";
inline constexpr std::string_view kStamps = R"(
SELECT id, first_seq, last_seq, root, token FROM gateway_log_stamps WHERE id > :after
ORDER BY id LIMIT :limit)";
inline constexpr std::string_view kStampOf = R"(
SELECT id, first_seq, last_seq, root, token FROM gateway_log_stamps
WHERE first_seq <= :seq AND last_seq >= :seq)";
inline constexpr std::string_view kHashesBetween = R"(
SELECT seq, hash FROM gateway_log WHERE seq >= :first AND seq <= :last ORDER BY seq)";

// ---- Archives (archive.cpp) ----

#define TINHSO_GATEWAY_ARCHIVE_COLUMNS                                                   \
  "id, first_seq, last_seq, records, stamps, last_hash, last_at_ms, file_name, sha256, " \
  "prev_sha256, claim, claimed_until, created_at, purged_at"

inline constexpr std::string_view kArchives =
    "SELECT " TINHSO_GATEWAY_ARCHIVE_COLUMNS " FROM gateway_log_archives ORDER BY first_seq";
inline constexpr std::string_view kLastArchive = "SELECT " TINHSO_GATEWAY_ARCHIVE_COLUMNS
                                                 " FROM gateway_log_archives "
                                                 "ORDER BY first_seq DESC LIMIT 1";
inline constexpr std::string_view kArchiveEndingAt =
    "SELECT " TINHSO_GATEWAY_ARCHIVE_COLUMNS " FROM gateway_log_archives WHERE last_seq = :seq";
inline constexpr std::string_view kArchiveOf = "SELECT " TINHSO_GATEWAY_ARCHIVE_COLUMNS R"(
FROM gateway_log_archives
WHERE first_seq <= :seq AND last_seq >= :seq2 AND sha256 IS NOT NULL)";
// Oldest first, for the retention: complete archives whose records are still in the database.
inline constexpr std::string_view kArchivesToPurge = "SELECT " TINHSO_GATEWAY_ARCHIVE_COLUMNS R"(
FROM gateway_log_archives WHERE sha256 IS NOT NULL AND purged_at IS NULL
ORDER BY first_seq LIMIT :limit)";
#undef TINHSO_GATEWAY_ARCHIVE_COLUMNS

// The batches after the last archive, in order; a claim takes a prefix of them.
inline constexpr std::string_view kStampsToArchive = R"(
SELECT id, first_seq, last_seq FROM gateway_log_stamps WHERE first_seq > :after
ORDER BY first_seq LIMIT :limit)";
inline constexpr std::string_view kRecordAt =
    "SELECT at_ms, hash FROM gateway_log WHERE seq = :seq";
// A claim: the unique first_seq (and last_seq) let only one of two processes insert it.
inline constexpr std::string_view kClaimArchive = R"(
INSERT INTO gateway_log_archives (first_seq, last_seq, records, stamps, last_hash, last_at_ms,
                                  file_name, prev_sha256, claim, claimed_until, created_at)
VALUES (:first_seq, :last_seq, :records, :stamps, :last_hash, :last_at_ms, :file_name,
        :prev_sha256, :claim, :claimed_until, :created_at)
ON CONFLICT DO NOTHING RETURNING id)";
// A claim whose lease ran out, taken over under a new token (and so a new file name).
inline constexpr std::string_view kTakeOverArchive = R"(
UPDATE gateway_log_archives
SET claim = :claim, claimed_until = :claimed_until, file_name = :file_name, created_at = :now
WHERE id = :id AND claim = :old_claim AND sha256 IS NULL)";
inline constexpr std::string_view kReleaseArchive = R"(
UPDATE gateway_log_archives SET claimed_until = 0
WHERE id = :id AND claim = :claim AND sha256 IS NULL)";
inline constexpr std::string_view kCompleteArchive = R"(
UPDATE gateway_log_archives SET sha256 = :sha256, claimed_until = NULL
WHERE id = :id AND claim = :claim AND sha256 IS NULL)";
inline constexpr std::string_view kStampsBetween = R"(
SELECT id, first_seq, last_seq, root, token, stamped_at FROM gateway_log_stamps
WHERE first_seq >= :first AND last_seq <= :last ORDER BY first_seq)";

// Retention.
inline constexpr std::string_view kDeleteRecords =
    "DELETE FROM gateway_log WHERE seq >= :first AND seq <= :last";
inline constexpr std::string_view kDeleteStamps =
    "DELETE FROM gateway_log_stamps WHERE first_seq >= :first AND last_seq <= :last";
inline constexpr std::string_view kMarkPurged =
    "UPDATE gateway_log_archives SET purged_at = :now WHERE id = :id AND purged_at IS NULL";

// Verify: where the database's records begin, and its batches from there in order.
inline constexpr std::string_view kFirstSeq = "SELECT MIN(seq) FROM gateway_log";
inline constexpr std::string_view kStampsFrom = R"(
SELECT id, first_seq, last_seq, root, token FROM gateway_log_stamps
WHERE first_seq >= :from_seq AND first_seq > :after ORDER BY first_seq LIMIT :limit)";

}  // namespace tinhso::gateway::sql
