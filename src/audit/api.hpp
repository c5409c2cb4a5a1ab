// The audit module's API types (http/api.hpp): what its routes read and answer, described once
// for the parser, the renderer and the OpenAPI document.
#pragma once

#include <boost/json/value.hpp>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>

#include "http/api.hpp"

namespace tinhso::audit {

// GET /api/v1/audit: every filter optional, newest first.
struct AuditQuery {
  std::optional<std::int64_t> actor;           // the user who acted
  std::optional<http::Text<200>> action;       // a prefix: "agency." for all of them
  std::optional<http::Text<200>> object_type;  // "agency", "user", "dossier"…
  std::optional<http::Text<200>> object_id;    // with object_type
  std::optional<http::Timestamp> from;         // inclusive
  std::optional<http::Timestamp> to;           // exclusive
  std::optional<http::Bounded<std::int64_t, 1, std::numeric_limits<std::int64_t>::max()>>
      cursor;  // next_cursor of the previous page: entries before this number
  http::PageLimit limit = 50;
};
TINHSO_API_STRUCT(AuditQuery, (actor, action, object_type, object_id, from, to, cursor, limit))

// The change an entry records, as it was written: any JSON (an object, except in a damaged row,
// which is shown as its text).
struct AuditData {
  boost::json::value value;
};

struct AuditEntry {
  std::int64_t seq = 0;  // 1, 2, 3… with no gaps
  http::Timestamp at;
  std::int64_t actor_id = 0;
  std::string actor_login;
  std::string action;
  std::string object_type;
  std::string object_id;
  AuditData data;
  std::string hash;  // SHA-256 over the previous hash and this entry's fields, hex
};
TINHSO_API_STRUCT(AuditEntry,
                  (seq, at, actor_id, actor_login, action, object_type, object_id, data, hash))

struct AuditPage {
  std::vector<AuditEntry> items;
  http::Nullable<std::int64_t> next_cursor;  // null on the last page
};
TINHSO_API_STRUCT(AuditPage, (items, next_cursor))

// GET /api/v1/audit/verify
struct AuditVerifyReport {
  bool intact = true;
  std::int64_t checked = 0;                // entries read
  http::Nullable<std::int64_t> first_bad;  // the first bad entry; null when intact
  // "chain", "truncated", "rewritten", "checkpoint"; "" when intact (audit.hpp, VerifyReport).
  std::string problem_code;
  std::string problem;  // in Vietnamese
  std::string problem_en;
  std::string head_hash;
  int checkpoints = 0;                          // checkpoints checked
  std::int64_t anchored = 0;                    // entries the newest one anchors
  std::int64_t not_yet_anchored = 0;            // entries after it (0 when not intact)
  http::Nullable<http::Timestamp> anchored_at;  // its time-stamp's time
};
TINHSO_API_STRUCT(AuditVerifyReport,
                  (intact, checked, first_bad, problem_code, problem, problem_en, head_hash,
                   checkpoints, anchored, not_yet_anchored, anchored_at))

// GET /api/v1/audit/checkpoints
struct CheckpointListQuery {
  std::optional<http::Text<64>> cursor;  // next_cursor of the previous page: older ones
  http::PageLimit limit = 50;
};
TINHSO_API_STRUCT(CheckpointListQuery, (cursor, limit))

// The URLs of a checkpoint's three files (GET /api/v1/audit/checkpoints/files/{file}).
struct CheckpointFiles {
  std::string checkpoint;  // <name>.json: the bytes signed and time-stamped
  std::string signature;   // <name>.p7s: detached CMS signature, DER
  std::string timestamp;   // <name>.tst: RFC 3161 time-stamp token, DER
};
TINHSO_API_STRUCT(CheckpointFiles, (checkpoint, signature, timestamp))

// A checkpoint as its file says. One whose file cannot be read is listed all the same, with
// seq 0 and an empty hash: an auditor should see it (audit verify says what is wrong).
struct CheckpointView {
  std::string name;  // "000000001234-20261207T023000Z"
  std::int64_t seq = 0;
  std::string hash;
  std::int64_t count = 0;
  http::Timestamp at;
  CheckpointFiles files;
};
TINHSO_API_STRUCT(CheckpointView, (name, seq, hash, count, at, files))

struct CheckpointPage {
  std::vector<CheckpointView> items;
  http::Nullable<std::string> next_cursor;  // null on the last page
};
TINHSO_API_STRUCT(CheckpointPage, (items, next_cursor))

// <name>.json, byte for byte: what the signature and the time-stamp cover.
struct CheckpointFile {
  std::string format;  // "tinhso-audit-checkpoint/1"
  std::int64_t seq = 0;
  std::string hash;
  std::int64_t count = 0;
  http::Timestamp at;
};
TINHSO_API_STRUCT(CheckpointFile, (format, seq, hash, count, at))

}  // namespace tinhso::audit

namespace tinhso::http {

// Any JSON value, written as it is.
template <>
struct Codec<audit::AuditData> {
  static void Schema(SchemaSet&, boost::json::object& out) {
    out["description"] = "Nội dung thay đổi (JSON) / the change, as JSON";
  }
  static boost::json::value Write(const audit::AuditData& v) { return v.value; }
};

}  // namespace tinhso::http
