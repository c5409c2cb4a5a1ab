// Every statement the dossiers module runs, portable to SQLite 3.40 and PostgreSQL 15.
// A parameter name is used once per statement (see agencies/sql.hpp for why).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace tinhso::dossiers::sql {

// The columns read into a Dossier, in the order store.cpp expects them.
inline constexpr std::string_view kColumns = R"(
d.id, d.code, d.procedure_code, d.channel, d.status, d.applicant_kind, d.applicant_name,
d.applicant_id_number, d.applicant_phone, d.applicant_email, d.applicant_address,
d.applicant_user_id, d.receiving_agency_id, d.competent_agency_id, d.current_agency_id,
d.locality_agency_id, d.step_index, d.step_code, d.assignee_id, d.summary, d.form,
d.submitted_at, d.received_at, d.due_at, d.original_due_at, d.step_due_at, d.finished_at,
d.returned_at, d.paused_at, d.supplement_count, d.apology_issued, d.fee_total, d.paid_online,
d.rating, d.return_method, d.version, d.updated_at, d.lookup_secret, d.procedure_version,
d.step_started_at, d.submitter_kind, d.submitter_name, d.submitter_id_number, d.on_behalf,
d.applicant_verified_by, d.applicant_verified_at, d.applicant_birth_date, d.identity_check,
d.identity_differing, d.identity_checked_at, d.identity_error)";

inline constexpr std::string_view kSelect = "SELECT ";
inline constexpr std::string_view kFromById = " FROM dossiers d WHERE d.id = :id";
inline constexpr std::string_view kFromByCode = " FROM dossiers d WHERE d.code = :code";

// The public lookup (the hot path of the public portal) reads one row: what it shows of the
// dossier and its timeline, rendered when each event was written.
inline constexpr std::string_view kLookup = R"(
SELECT d.id, d.code, d.procedure_code, d.status, d.applicant_name, d.received_at, d.due_at,
  d.original_due_at, d.finished_at, d.returned_at, d.supplement_count, d.lookup_secret,
  d.public_timeline
FROM dossiers d WHERE d.code = :code)";
// The same by the reference held from submission (dossiers::Reference: the id), before and
// after the dossier has a code.
inline constexpr std::string_view kLookupById = R"(
SELECT d.id, d.code, d.procedure_code, d.status, d.applicant_name, d.received_at, d.due_at,
  d.original_due_at, d.finished_at, d.returned_at, d.supplement_count, d.lookup_secret,
  d.public_timeline
FROM dossiers d WHERE d.id = :id)";

// The public timeline of a dossier written before public_timeline existed (it is NULL there).
inline constexpr std::string_view kPublicEvents = R"(
SELECT e.seq, e.at, e.action, COALESCE(a.name, ''), e.content, e.status
FROM dossier_events e LEFT JOIN agencies a ON a.id = e.agency_id
WHERE e.dossier_id = :dossier_id ORDER BY e.seq)";

// Counter intake: the latest dossier of an identity number received at an agency, and how many.
inline constexpr std::string_view kApplicantAt = R"(
SELECT d.applicant_kind, d.applicant_name, d.applicant_phone, d.applicant_email,
  d.applicant_address, (SELECT COUNT(*) FROM dossiers c WHERE c.applicant_id_number = :id_number
  AND c.receiving_agency_id = :agency_id)
FROM dossiers d WHERE d.applicant_id_number = :id_number AND d.receiving_agency_id = :agency_id
ORDER BY d.submitted_at DESC, d.id DESC LIMIT 1)";

inline constexpr std::string_view kFindByKey =
    "SELECT id, submit_hash FROM dossiers WHERE submit_key = :submit_key";

inline constexpr std::string_view kInsert = R"(
INSERT INTO dossiers (code, lookup_secret, procedure_code, procedure_version, channel, status,
  applicant_kind, applicant_name, applicant_id_number, applicant_phone, applicant_email,
  applicant_address, applicant_user_id, submit_key, submit_hash, receiving_agency_id,
  competent_agency_id, current_agency_id, locality_agency_id, step_index, step_code,
  step_started_at, step_due_at, assignee_id, summary, form, submitted_at, fee_total, version,
  updated_at, public_timeline, submitter_kind, submitter_name, submitter_id_number, on_behalf,
  applicant_verified_by, applicant_verified_at, applicant_birth_date, identity_check,
  identity_differing, identity_checked_at, identity_error, identity_next_check_at)
VALUES (NULL, :lookup_secret, :procedure_code, :procedure_version, :channel, 1,
  :applicant_kind, :applicant_name, :applicant_id_number, :applicant_phone, :applicant_email,
  :applicant_address, :applicant_user_id, :submit_key, :submit_hash, :receiving_agency_id,
  :competent_agency_id, :current_agency_id, :locality_agency_id, 0, :step_code,
  :step_started_at, NULL, NULL, :summary, :form, :submitted_at, :fee_total, 1, :updated_at,
  :public_timeline, :submitter_kind, :submitter_name, :submitter_id_number, :on_behalf,
  :applicant_verified_by, :applicant_verified_at, :applicant_birth_date, :identity_check,
  :identity_differing, :identity_checked_at, :identity_error, :identity_next_check_at)
ON CONFLICT (submit_key) DO NOTHING
RETURNING )";
// kInsert's RETURNING list: kColumns without the table alias, which SQLite does not take there
// (column names hold no '.'), so that the new row is read with no statement of its own.
inline std::string InsertReturningRow() {
  std::string out(kInsert);
  for (std::size_t i = 0; i < kColumns.size(); ++i) {
    if (kColumns.compare(i, 2, "d.") == 0) {
      ++i;
      continue;
    }
    out += kColumns[i];
  }
  return out;
}

// Writes every mutable column if the version is still the one read; 0 rows = lost race.
inline constexpr std::string_view kUpdate = R"(
UPDATE dossiers SET code = :code, status = :status, current_agency_id = :current_agency_id,
  step_index = :step_index, step_code = :step_code, step_started_at = :step_started_at,
  step_due_at = :step_due_at, assignee_id = :assignee_id, form = :form,
  received_at = :received_at, due_at = :due_at, original_due_at = :original_due_at,
  finished_at = :finished_at, returned_at = :returned_at, paused_at = :paused_at,
  supplement_count = :supplement_count, apology_issued = :apology_issued,
  fee_total = :fee_total, paid_online = :paid_online, rating = :rating,
  rating_comment = :rating_comment, return_method = :return_method, outcome = :outcome,
  version = :new_version, updated_at = :updated_at
WHERE id = :id AND version = :version)";

// The next number of an agency's day, in the caller's transaction (row-locked until it ends).
inline constexpr std::string_view kNextSequence = R"(
INSERT INTO dossier_sequences (agency_id, day, last_value) VALUES (:agency_id, :day, 1)
ON CONFLICT (agency_id, day) DO UPDATE SET last_value = dossier_sequences.last_value + 1
RETURNING last_value)";

inline constexpr std::string_view kInsertEvent = R"(
INSERT INTO dossier_events (dossier_id, seq, at, action, actor_id, actor_name, actor_position,
  agency_id, content, status, step_code, step_started_at, step_due_at, data)
VALUES (:dossier_id, :seq, :at, :action, :actor_id, :actor_name, :actor_position, :agency_id,
  :content, :status, :step_code, :step_started_at, :step_due_at, :data))";

// The last event's number, and the name of the agency the next event happens in (for the
// public timeline), in one round trip.
inline constexpr std::string_view kLastEventSeq = R"(
SELECT COALESCE(MAX(seq), 0), COALESCE((SELECT name FROM agencies WHERE id = :agency_id), '')
FROM dossier_events WHERE dossier_id = :dossier_id)";

// Appends one rendered event to the public timeline ('' before the first; NULL stays NULL).
inline constexpr std::string_view kAppendPublicEvent = R"(
UPDATE dossiers SET public_timeline =
  CASE WHEN public_timeline = '' THEN :first ELSE public_timeline || :next END
WHERE id = :id)";

inline constexpr std::string_view kEvents = R"(
SELECT e.seq, e.at, e.action, e.actor_id, e.actor_name, e.actor_position, e.agency_id,
  COALESCE(a.name, ''), e.content, e.status, e.step_code, e.step_started_at, e.step_due_at,
  e.data
FROM dossier_events e LEFT JOIN agencies a ON a.id = e.agency_id
WHERE e.dossier_id = :dossier_id ORDER BY e.seq)";

// The bytes go to dossier_file_chunks; `content` stays empty.
// A call's files go in with one statement (storage::RowsInsert, bound by position), their
// small chunks too: each statement is a round trip to PostgreSQL.
inline constexpr std::string_view kFilesTable = "dossier_files";
inline constexpr std::string_view kFileColumns[] = {
    "dossier_id", "kind",   "component", "name", "content_type",
    "size",       "sha256", "content",   "at",   "signed_by"};
inline constexpr std::string_view kChunksTable = "dossier_file_chunks";
inline constexpr std::string_view kChunkColumns[] = {"file_id", "seq", "data"};
inline constexpr std::size_t kRowsPerInsert = 16;

inline constexpr std::string_view kFileChunk =
    "SELECT data FROM dossier_file_chunks WHERE file_id = :file_id AND seq = :seq";

inline constexpr std::string_view kFiles = R"(
SELECT id, kind, component, name, content_type, size, sha256, at, signed_by FROM dossier_files
WHERE dossier_id = :dossier_id ORDER BY id)";

// Files stored before dossier_file_chunks (migration 0013) hold their bytes in `content`.
inline constexpr std::string_view kFileContent = R"(
SELECT content, size, (SELECT COUNT(*) FROM dossier_file_chunks c WHERE c.file_id = f.id)
FROM dossier_files f WHERE f.dossier_id = :dossier_id AND f.id = :id)";

// Drafts (migration 0019). A draft file's bytes go to draft_file_chunks as a dossier file's go
// to dossier_file_chunks (internal::ChunkWriter); submitting copies them across (kCopyDraftChunks).
inline constexpr std::string_view kDraftChunksTable = "draft_file_chunks";
inline constexpr std::string_view kDraftFilesTable = "draft_files";
inline constexpr std::string_view kDraftFileColumns[] = {
    "draft_id", "component", "name", "file_type", "size", "sha256", "at"};

inline constexpr std::string_view kDraftChunk =
    "SELECT data FROM draft_file_chunks WHERE file_id = :file_id AND seq = :seq";

inline constexpr std::string_view kInsertDraft = R"(
INSERT INTO drafts (owner_id, procedure_code, content, version, created_at, updated_at, expires_at)
VALUES (:owner_id, :procedure_code, :content, 1, :created_at, :updated_at, :expires_at)
RETURNING id)";

inline constexpr std::string_view kDraftById = R"(
SELECT id, owner_id, procedure_code, content, version, created_at, updated_at, expires_at
FROM drafts WHERE id = :id AND expires_at > :now)";

inline constexpr std::string_view kDraftsOfOwner = R"(
SELECT id, owner_id, procedure_code, content, version, created_at, updated_at, expires_at
FROM drafts WHERE owner_id = :owner_id AND expires_at > :now
  AND (:procedure_code = '' OR procedure_code = :procedure_code2)
ORDER BY updated_at DESC, id DESC)";

inline constexpr std::string_view kCountDraftsOfOwner =
    "SELECT COUNT(*) FROM drafts WHERE owner_id = :owner_id AND expires_at > :now";

// The optimistic version: 0 rows when someone (another tab) saved since `version` was read.
inline constexpr std::string_view kUpdateDraft = R"(
UPDATE drafts SET content = :content, version = version + 1, updated_at = :updated_at,
  expires_at = :expires_at
WHERE id = :id AND owner_id = :owner_id AND version = :version AND expires_at > :now)";

inline constexpr std::string_view kDraftFiles = R"(
SELECT id, component, name, file_type, size, sha256, at FROM draft_files
WHERE draft_id = :draft_id ORDER BY id)";

inline constexpr std::string_view kDraftFileChunkCount = R"(
SELECT f.size, (SELECT COUNT(*) FROM draft_file_chunks c WHERE c.file_id = f.id)
FROM draft_files f WHERE f.draft_id = :draft_id AND f.id = :id)";

inline constexpr std::string_view kDeleteDraftFileChunks = R"(
DELETE FROM draft_file_chunks WHERE file_id IN
  (SELECT id FROM draft_files WHERE draft_id = :draft_id AND id = :id))";
inline constexpr std::string_view kDeleteDraftFile =
    "DELETE FROM draft_files WHERE draft_id = :draft_id AND id = :id";

inline constexpr std::string_view kDeleteDraftChunks = R"(
DELETE FROM draft_file_chunks WHERE file_id IN (SELECT id FROM draft_files WHERE draft_id = :id))";
inline constexpr std::string_view kDeleteDraftFiles =
    "DELETE FROM draft_files WHERE draft_id = :id";
// Deleting (or submitting) checks the version too: a draft saved since is not thrown away.
inline constexpr std::string_view kDeleteDraft =
    "DELETE FROM drafts WHERE id = :id AND owner_id = :owner_id AND version = :version";

// A draft file becomes a dossier file without its bytes leaving the database.
inline constexpr std::string_view kCopyDraftChunks = R"(
INSERT INTO dossier_file_chunks (file_id, seq, data)
SELECT :file_id, seq, data FROM draft_file_chunks WHERE file_id = :draft_file_id)";

// The housekeeping purge: drafts past their expiry, their files and pieces.
inline constexpr std::string_view kPurgeDraftChunks = R"(
DELETE FROM draft_file_chunks WHERE file_id IN (SELECT f.id FROM draft_files f
  JOIN drafts d ON d.id = f.draft_id WHERE d.expires_at <= :now))";
inline constexpr std::string_view kPurgeDraftFiles = R"(
DELETE FROM draft_files WHERE draft_id IN (SELECT id FROM drafts WHERE expires_at <= :now))";
inline constexpr std::string_view kPurgeDrafts = "DELETE FROM drafts WHERE expires_at <= :now";

inline constexpr std::string_view kInsertConsultation = R"(
INSERT INTO dossier_consultations (dossier_id, agency_id, question, asked_at, due_at)
VALUES (:dossier_id, :agency_id, :question, :asked_at, :due_at) RETURNING id)";

inline constexpr std::string_view kAnswerConsultation = R"(
UPDATE dossier_consultations SET answered_at = :answered_at, answer = :answer
WHERE id = :id AND dossier_id = :dossier_id AND agency_id = :agency_id AND answered_at IS NULL)";

inline constexpr std::string_view kOpenConsultationsOfAgency = R"(
SELECT id FROM dossier_consultations
WHERE dossier_id = :dossier_id AND agency_id = :agency_id AND answered_at IS NULL ORDER BY id)";

inline constexpr std::string_view kConsultedAgency = R"(
SELECT 1 FROM dossier_consultations WHERE dossier_id = :dossier_id AND agency_id = :agency_id)";

inline constexpr std::string_view kOpenConsultations = R"(
SELECT COUNT(*) FROM dossier_consultations WHERE dossier_id = :dossier_id AND answered_at IS NULL)";

// Statistics. Each query yields rows (key, received, in_progress, early, on_time, late,
// overdue, online, paid_online); the caller adds them up. The caller splices {group} (a fixed
// choice of columns, never user text) and the filters.
//
// Whole months come from the monthly counters…
inline constexpr std::string_view kStatsMonthly = R"(
SELECT {group} AS k, SUM(m.received), 0, SUM(m.done_early), SUM(m.done_on_time),
  SUM(m.done_late), 0, SUM(CASE WHEN m.channel = 2 THEN m.received ELSE 0 END),
  SUM(m.paid_online)
FROM dossier_monthly m
WHERE m.month >= :month_from AND m.month < :month_to)";

// …the parts of months at the window's edges from the dossiers themselves…
inline constexpr std::string_view kStatsEdge = R"(
SELECT {group} AS k, COUNT(*), 0,
  SUM(CASE WHEN d.outcome = 'early' THEN 1 ELSE 0 END),
  SUM(CASE WHEN d.outcome = 'on_time' THEN 1 ELSE 0 END),
  SUM(CASE WHEN d.outcome = 'late' THEN 1 ELSE 0 END), 0,
  SUM(CASE WHEN d.channel = 2 THEN 1 ELSE 0 END), SUM(d.paid_online)
FROM dossiers d
WHERE d.received_at >= :from AND d.received_at < :to)";

// …and dossiers still open, counted live (few, found through dossiers_open). Overdue as
// ClassifyTimeliness has it; the dashboard's list behind the figure filters the same way.
#define TINHSO_STATS_OVERDUE                                                                      \
  "(d.status IN (2, 4) AND d.due_at < :now OR d.status IN (2, 4, 5, 6) AND d.supplement_count > " \
  "1)"
inline constexpr std::string_view kStatsOverdue = TINHSO_STATS_OVERDUE;
inline constexpr std::string_view kStatsOpen = R"(
SELECT {group} AS k, 0, COUNT(*), 0, 0, 0,
  SUM(CASE WHEN )" TINHSO_STATS_OVERDUE R"( THEN 1 ELSE 0 END), 0, 0
FROM dossiers d
WHERE d.status IN (2, 4, 5, 6) AND d.received_at >= :from AND d.received_at < :to)";

// Adds to one month's counters, in the transaction of the change.
inline constexpr std::string_view kBumpMonthly = R"(
INSERT INTO dossier_monthly (month, agency_id, procedure_code, channel, received, done_early,
  done_on_time, done_late, paid_online)
VALUES (:month, :agency_id, :procedure_code, :channel, :received, :done_early, :done_on_time,
  :done_late, :paid_online)
ON CONFLICT (month, agency_id, procedure_code, channel) DO UPDATE SET
  received = dossier_monthly.received + excluded.received,
  done_early = dossier_monthly.done_early + excluded.done_early,
  done_on_time = dossier_monthly.done_on_time + excluded.done_on_time,
  done_late = dossier_monthly.done_late + excluded.done_late,
  paid_online = dossier_monthly.paid_online + excluded.paid_online)";

// Demo load: "INSERT INTO table (columns) VALUES (:a_0, :b_0), (:a_1, :b_1) … [RETURNING …]".
// Table and column names come from this module's code, never from input.
inline std::string MultiRowInsert(std::string_view table,
                                  const std::vector<std::string_view>& columns,
                                  const std::vector<std::vector<std::string_view>>& rows,
                                  std::string_view returning) {
  std::string text = "INSERT INTO " + std::string(table) + " (";
  for (std::size_t i = 0; i < columns.size(); ++i) {
    text += (i ? ", " : "") + std::string(columns[i]);
  }
  text += ") VALUES ";
  for (std::size_t r = 0; r < rows.size(); ++r) {
    text += r ? ", (" : "(";
    for (std::size_t i = 0; i < rows[r].size(); ++i) {
      text += (i ? ", :" : ":") + std::string(rows[r][i]);
    }
    text += ")";
  }
  if (!returning.empty()) text += " RETURNING " + std::string(returning);
  return text;
}

inline constexpr std::string_view kAllSequences =
    "SELECT agency_id, day, last_value FROM dossier_sequences";

inline constexpr std::string_view kSetSequence = R"(
INSERT INTO dossier_sequences (agency_id, day, last_value) VALUES (:agency_id, :day, :last_value)
ON CONFLICT (agency_id, day) DO UPDATE SET last_value = excluded.last_value)";

// ---- The national databases (migration 0029) ------------------------------------------------

// Dossiers whose applicant could not be checked, due for another try.
inline constexpr std::string_view kIdentityDue = R"(
SELECT id, applicant_id_number, applicant_name, COALESCE(applicant_birth_date, ''),
  identity_attempts, COALESCE(code, '')
FROM dossiers WHERE identity_check = 'unchecked' AND identity_next_check_at <= :now
ORDER BY identity_next_check_at, id LIMIT :limit)";

// A later check's result, unless another process recorded one first.
inline constexpr std::string_view kRecordIdentity = R"(
UPDATE dossiers SET identity_check = :identity_check, identity_differing = :identity_differing,
  identity_checked_at = :identity_checked_at, identity_error = :identity_error,
  identity_attempts = identity_attempts + 1, identity_next_check_at = :identity_next_check_at
WHERE id = :id AND identity_check = 'unchecked')";

inline constexpr std::string_view kTrackExternal = R"(
INSERT INTO dossier_external_cases (dossier_id, system, kind, unit_code, case_code, created_at,
  next_poll_at)
VALUES (:dossier_id, :system, :kind, :unit_code, :case_code, :created_at, :next_poll_at)
ON CONFLICT (dossier_id, system) DO NOTHING)";

inline constexpr std::string_view kExternalColumns = R"(
SELECT dossier_id, system, kind, unit_code, case_code, status, note, final, polls, last_error,
  next_poll_at FROM dossier_external_cases )";

inline constexpr std::string_view kExternalDue =
    "WHERE system = :system AND final = 0 AND next_poll_at <= :now "
    "ORDER BY next_poll_at, dossier_id LIMIT :limit";
inline constexpr std::string_view kExternalOfDossier =
    "WHERE dossier_id = :dossier_id ORDER BY system";

// A new status, only if it is new (two pollers never write the same event twice).
inline constexpr std::string_view kExternalNewStatus = R"(
UPDATE dossier_external_cases SET status = :status, note = :note, final = :final,
  polls = polls + 1, last_error = '', polled_at = :polled_at, next_poll_at = :next_poll_at
WHERE dossier_id = :dossier_id AND system = :system AND status <> :same_status)";

// The same status again, or no answer: only the poll's time, count and error move.
inline constexpr std::string_view kExternalPolled = R"(
UPDATE dossier_external_cases SET polls = polls + 1, last_error = :last_error,
  polled_at = :polled_at, next_poll_at = :next_poll_at
WHERE dossier_id = :dossier_id AND system = :system)";

}  // namespace tinhso::dossiers::sql
