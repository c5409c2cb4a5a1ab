// Every statement the agencies module runs, portable to SQLite 3.40 and PostgreSQL 15.
// Parameter names are never repeated within one statement: SQLite binds repeats natively, but
// a rewrite to $1, $2… need not, so each use gets its own name.
#pragma once

#include <string_view>

namespace tinhso::agencies::sql {

// The columns read into an Agency, in the order store.cpp expects them.
inline constexpr std::string_view kAgencyColumns = R"(
a.id, a.code, a.code_qcvn, a.code_confirmed, a.parent_id, a.name, a.name_en, a.short_name,
a.kind, a.level, a.address, a.phone, a.email, a.website, a.valid_from, a.valid_to, a.version,
a.created_at, a.updated_at)";

inline constexpr std::string_view kInsertAgency = R"(
INSERT INTO agencies (code, code_qcvn, code_confirmed, parent_id, name, name_en, short_name,
  search_key, kind, level, address, phone, email, website, valid_from, valid_to, version,
  created_at, updated_at)
VALUES (:code, :code_qcvn, :code_confirmed, :parent_id, :name, :name_en, :short_name,
  :search_key, :kind, :level, :address, :phone, :email, :website, :valid_from, NULL, 1,
  :created_at, :updated_at)
RETURNING id)";

// kAgencyColumns is spliced in front of these.
inline constexpr std::string_view kFromAgencyById = " FROM agencies a WHERE a.id = :id";
inline constexpr std::string_view kFromAgencyByCode = " FROM agencies a WHERE a.code = :code";
inline constexpr std::string_view kFromCurrentChildren = R"(
 FROM agencies a WHERE a.parent_id = :parent_id AND a.valid_to IS NULL ORDER BY a.code, a.id)";

// Every agency that ever held `code`, newest first. Codes are never reused across agencies
// (Create and Rename refuse it), so in practice there is at most one.
inline constexpr std::string_view kCodeHolders = R"(
SELECT agency_id FROM agency_codes WHERE code = :code ORDER BY valid_from DESC, id DESC)";

inline constexpr std::string_view kInsertCode = R"(
INSERT INTO agency_codes (agency_id, code, code_qcvn, valid_from, valid_to)
VALUES (:agency_id, :code, :code_qcvn, :valid_from, NULL))";

inline constexpr std::string_view kCloseCode = R"(
UPDATE agency_codes SET valid_to = :valid_to, reorganisation_id = :reorganisation_id
WHERE agency_id = :agency_id AND code = :code AND valid_to IS NULL)";

inline constexpr std::string_view kInsertParent = R"(
INSERT INTO agency_parents (agency_id, parent_id, valid_from, valid_to)
VALUES (:agency_id, :parent_id, :valid_from, NULL))";

inline constexpr std::string_view kCloseParent = R"(
UPDATE agency_parents SET valid_to = :valid_to WHERE agency_id = :agency_id AND valid_to IS NULL)";

// Writes every descriptive field and the code; the version check makes a stale write fail.
inline constexpr std::string_view kRewriteAgency = R"(
UPDATE agencies SET code = :code, code_qcvn = :code_qcvn, code_confirmed = :code_confirmed,
  name = :name, name_en = :name_en, short_name = :short_name, search_key = :search_key,
  kind = :kind, address = :address, phone = :phone, email = :email, website = :website,
  version = version + 1, updated_at = :updated_at
WHERE id = :id AND version = :version)";

inline constexpr std::string_view kSetParent = R"(
UPDATE agencies SET parent_id = :parent_id, level = :level, version = version + 1,
  updated_at = :updated_at
WHERE id = :id)";

// A descendant's depth changes as a side effect of its ancestor's move: no version bump, so
// nobody editing it loses their edit.
inline constexpr std::string_view kSetLevel = "UPDATE agencies SET level = :level WHERE id = :id";

inline constexpr std::string_view kCloseAgency = R"(
UPDATE agencies SET valid_to = :valid_to, version = version + 1, updated_at = :updated_at
WHERE id = :id AND valid_to IS NULL)";

inline constexpr std::string_view kInsertSuccessor = R"(
INSERT INTO agency_successors (agency_id, successor_id, is_primary, reorganisation_id)
VALUES (:agency_id, :successor_id, :is_primary, :reorganisation_id))";

inline constexpr std::string_view kPrimarySuccessor = R"(
SELECT successor_id FROM agency_successors WHERE agency_id = :agency_id AND is_primary = 1)";

inline constexpr std::string_view kFromEveryAgency = " FROM agencies a";
inline constexpr std::string_view kTreeCodes =
    "SELECT code, agency_id FROM agency_codes ORDER BY code, valid_from DESC, id DESC";
inline constexpr std::string_view kTreeSuccessors =
    "SELECT agency_id, successor_id FROM agency_successors WHERE is_primary = 1";

// ---- List: assembled in store.cpp from these pieces, each condition with its own params.
inline constexpr std::string_view kListFrom = " FROM agencies a";
// Only when a parent is asked for at a date: the parent as it was then.
inline constexpr std::string_view kListJoinParentAt = R"(
 JOIN agency_parents p ON p.agency_id = a.id AND p.valid_from <= :p_at_from
   AND (p.valid_to IS NULL OR p.valid_to > :p_at_to))";
inline constexpr std::string_view kListWhereCurrent = " WHERE a.valid_to IS NULL";
inline constexpr std::string_view kListWhereAt =
    " WHERE a.valid_from <= :at_from AND (a.valid_to IS NULL OR a.valid_to > :at_to)";
inline constexpr std::string_view kListParentCurrent = " AND a.parent_id = :parent_id";
inline constexpr std::string_view kListParentAt = " AND p.parent_id = :parent_id";
inline constexpr std::string_view kListKind = " AND a.kind = :kind";
inline constexpr std::string_view kListLevel = " AND a.level = :level";
// The pattern comes from storage::LikeContains (its wildcards escaped by '\').
inline constexpr std::string_view kListSearch = R"( AND a.search_key LIKE :pattern ESCAPE '\')";
inline constexpr std::string_view kListOrder = " ORDER BY a.code, a.id LIMIT :limit OFFSET :offset";

// ---- Reorganisations
inline constexpr std::string_view kInsertReorganisation = R"(
INSERT INTO reorganisations (kind, effective_date, decision, note, confirmed, external_ref,
  created_by, created_at)
VALUES (:kind, :effective_date, :decision, :note, :confirmed, :external_ref, :created_by,
  :created_at)
RETURNING id)";

inline constexpr std::string_view kReorganisationByRef =
    "SELECT id FROM reorganisations WHERE external_ref = :external_ref";

inline constexpr std::string_view kInsertReorganisationAgency = R"(
INSERT INTO reorganisation_agencies (reorganisation_id, agency_id, role, is_primary)
VALUES (:reorganisation_id, :agency_id, :role, :is_primary))";

inline constexpr std::string_view kInsertReorganisationMove = R"(
INSERT INTO reorganisation_moves (reorganisation_id, kind, from_agency_id, to_agency_id, count)
VALUES (:reorganisation_id, :kind, :from_agency_id, :to_agency_id, :count))";

inline constexpr std::string_view kCountReorganisations = "SELECT COUNT(*) FROM reorganisations";

inline constexpr std::string_view kListReorganisations = R"(
SELECT id, kind, effective_date, decision, note, confirmed, external_ref, created_by, created_at
FROM reorganisations ORDER BY effective_date DESC, id DESC LIMIT :limit OFFSET :offset)";

// The same, for the reorganisations one agency took part in (an agency's history).
#define TINHSO_REORGANISATIONS_OF                                                          \
  " WHERE id IN (SELECT reorganisation_id FROM reorganisation_agencies WHERE agency_id = " \
  ":agency_id)"
inline constexpr std::string_view kCountReorganisationsOf =
    "SELECT COUNT(*) FROM reorganisations" TINHSO_REORGANISATIONS_OF;

inline constexpr std::string_view kListReorganisationsOf = R"(
SELECT id, kind, effective_date, decision, note, confirmed, external_ref, created_by, created_at
FROM reorganisations)" TINHSO_REORGANISATIONS_OF R"(
ORDER BY effective_date DESC, id DESC LIMIT :limit OFFSET :offset)";

inline constexpr std::string_view kReorganisationAgencies = R"(
SELECT ra.agency_id, a.code, a.name, ra.role, ra.is_primary
FROM reorganisation_agencies ra JOIN agencies a ON a.id = ra.agency_id
WHERE ra.reorganisation_id = :reorganisation_id
ORDER BY ra.role, ra.agency_id)";

inline constexpr std::string_view kReorganisationMoves = R"(
SELECT kind, from_agency_id, to_agency_id, count FROM reorganisation_moves
WHERE reorganisation_id = :reorganisation_id ORDER BY id)";

// ---- SqlColumnMover: table, column and condition are spliced in by store.cpp after the
// identifiers are checked.
inline constexpr std::string_view kMoverCountTemplate =
    "SELECT COUNT(*) FROM {table} WHERE {column} = :agency_id{condition}";
inline constexpr std::string_view kMoverMoveTemplate =
    "UPDATE {table} SET {column} = :to_agency_id WHERE {column} = :from_agency_id{condition}";

}  // namespace tinhso::agencies::sql
