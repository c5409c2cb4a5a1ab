// The provincial data-integration gateway (LGSP; issue 17), built after Estonia's X-Road: one
// door for every call across the province's boundary.
//
// The registry says who may call what: members (agencies, by their electronic identification
// code, and bodies outside the province), their information systems ("subsystems", such as
// H55.19/motcua), the services subsystems offer with their upstream addresses, and the rights
// of client subsystems to services, deny by default, with quotas. Readers use an in-memory copy
// that this process replaces after each of its changes and every other process after at most
// `Options::registry_refresh` (the version row moves with every change).
//
// Gateway::Forward serves one call: it identifies the client (its certificate from mutual TLS,
// a bearer token, or an in-process caller naming itself), checks its address, its right to the
// service, its quotas and rate, the upstream's circuit breaker and the time-stamping grace,
// forwards the call (timeouts; retries for idempotent methods only), and writes the message
// log's record before answering. Refusals are answered in LGSP's error shape and logged too.
//
// The message log (MessageLog) is the evidence: each record holds who called what, when, the
// status, sizes and SHA-256 of both bodies; records are hash-chained, each signed by the
// gateway's organisation key, and time-stamped in batches (one RFC 3161 token over the root of
// a hash tree of many records) by Stamp, run by a housekeeping thread, so that no call waits
// for the time-stamping unit. Bodies are kept sealed for a retention period, then only hashes.
// Archive writes whole time-stamped batches to signed files outside the database, each linked
// to the previous file by its SHA-256 (X-Road's message-log archives); after the log's
// retention the archived records leave the database, and Verify and Evidence read them from
// the files (the format is described above LogArchive).
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/actor.hpp"
#include "core/clock.hpp"
#include "core/crypto.hpp"
#include "core/result.hpp"
#include "http/client.hpp"
#include "http/http.hpp"
#include "storage/database.hpp"

namespace tinhso::auth {
class Policy;
}
namespace tinhso::pki {
class Service;
}
namespace tinhso::signing {
class Service;
}

namespace tinhso::gateway {

// ---- Registry ---------------------------------------------------------------------------------

struct Member {
  std::int64_t id = 0;
  std::string code;  ///< electronic identification code, e.g. "H55.19", or "BCA"
  std::string name;
  std::optional<std::int64_t> agency_id;
  core::Seconds created_at{};
};

struct Subsystem {
  std::int64_t id = 0;
  std::int64_t member_id = 0;
  std::string code;  ///< "<member code>/<name>", e.g. "H55.19/motcua"
  std::string name;
  bool has_token = false;
  std::string certificate_sha256;        ///< hex; "" when no certificate is bound
  std::vector<std::string> allowed_ips;  ///< empty: any address
  int rate_per_second = 50;
  bool enabled = true;
  core::Seconds created_at{};
};

struct ServiceInfo {
  std::int64_t id = 0;
  std::string code;  ///< the path segment after /lgsp/, e.g. "csdl-dancu"
  std::int64_t provider_id = 0;
  std::string provider_code;
  std::string name;
  std::string description;   ///< free text, or an OpenAPI document
  std::string upstream_url;  ///< "http[s]://host[:port]/base"
  int timeout_ms = 10'000;
  std::int64_t max_request_bytes = 10 << 20;
  std::int64_t max_response_bytes = 20 << 20;
  bool enabled = true;
};

struct Right {
  std::int64_t id = 0;
  std::int64_t client_id = 0;
  std::string client_code;
  std::int64_t service_id = 0;
  std::string service_code;
  int per_minute = 0;  ///< 0: no quota
  int per_day = 0;
  core::Seconds granted_at{};
  std::int64_t granted_by = 0;
  std::optional<core::Seconds> withdrawn_at;
};

struct MemberInput {
  std::string code;
  std::string name;
  std::optional<std::int64_t> agency_id;
};

struct SubsystemInput {
  std::string member_code;
  std::string name;  ///< the part after "/", e.g. "motcua"
  std::vector<std::string> allowed_ips;
  int rate_per_second = 50;
};

/// What ChangeSubsystem changes: only the fields given.
struct SubsystemChange {
  std::optional<std::vector<std::string>> allowed_ips;  ///< empty: any address
  std::optional<int> rate_per_second;
  std::optional<bool> enabled;  ///< false: its calls are refused as unauthenticated at once
};

struct ServiceInput {
  std::string code;
  std::string provider_code;  ///< a subsystem's code
  std::string name;
  std::string description;
  std::string upstream_url;
  int timeout_ms = 10'000;
  std::int64_t max_request_bytes = 10 << 20;
  std::int64_t max_response_bytes = 20 << 20;
  bool enabled = true;
};

struct RightInput {
  std::string client_code;
  std::string service_code;
  int per_minute = 0;
  int per_day = 0;
};

// ---- Calls ------------------------------------------------------------------------------------

/// Who is calling, as the transport saw it.
struct Caller {
  std::string certificate_der;  ///< the client certificate verified by mutual TLS, or ""
  std::string bearer_token;     ///< from "Authorization: Bearer …", or ""
  std::string ip;
  /// In-process callers (the one-stop system calling a national database) name their
  /// subsystem; never set from a request.
  std::string internal_subsystem;
};

struct Call {
  Caller caller;
  std::string service;  ///< the service's code
  http::Method method = http::Method::kGet;
  std::string path;   ///< after the service's code, "/" or "/apiHoTichTuPhap/traTrangThaiHoSo"
  std::string query;  ///< raw, without '?'
  http::Headers headers;
  std::string body;
  std::string request_id;
};

/// LGSP's error codes (../shared/domain.md §7.3), and ours for what they do not cover.
enum class LgspCode {
  kAuthenError = 100,        ///< AUTHEN_ERROR: unknown or refused credentials, no right
  kIpDisallowed = 101,       ///< IP_DISALLOWED
  kAgencyIdIncorrect = 106,  ///< AGENCY_ID_INCORRECT
  kProvinceIdIncorrect = 108,
  kRecordUncomplete = 200,
  kRecordNotFound = 201,  ///< also: no such service
  kDataTypeInvalid = 302,
  kDataIncorrect = 500,
  // Ours (not in LGSP's list):
  kTooLarge = 413,             ///< PAYLOAD_TOO_LARGE
  kQuotaExceeded = 429,        ///< QUOTA_EXCEEDED: a quota or the client's rate
  kUpstreamUnavailable = 502,  ///< UPSTREAM_UNAVAILABLE: refused, broken, or circuit open
  kLogUnavailable = 503,       ///< LOG_UNAVAILABLE: the message log cannot record, or time-
                               ///< stamping has failed for longer than the grace period
  kUpstreamTimeout = 504,      ///< UPSTREAM_TIMEOUT
};
std::string_view LgspCodeName(LgspCode code);  ///< "AUTHEN_ERROR"

struct Reply {
  int status = 200;
  std::string content_type;
  http::Headers headers;  ///< the upstream's end-to-end headers
  std::string body;
  std::int64_t log_seq = 0;  ///< the message log's record; 0 if it could not be written
  /// Set when the gateway itself refused or failed the call (the body is then LGSP's error
  /// shape with our error inside): for in-process callers, who want an Error, not a body.
  std::optional<Error> refusal;
  std::optional<LgspCode> lgsp_code;
};

// ---- Message log ------------------------------------------------------------------------------

struct LogRecord {
  std::int64_t seq = 0;
  std::int64_t at_ms = 0;
  std::string request_id;
  std::string client;
  std::string client_ip;
  std::string service;
  std::string method;
  std::string path;
  int status = 0;
  std::string error_code;
  std::int64_t request_bytes = 0;
  std::int64_t response_bytes = 0;
  std::string request_sha256;
  std::string response_sha256;
  std::int64_t duration_us = 0;
  std::string prev_hash;
  std::string hash;
  /// DER (ECDSA) or PKCS#1 v1.5 (RSA), over CanonicalJson(); only on the last record of each
  /// commit batch, whose signature covers the others through the hash chain (empty on them).
  std::string signature;
  std::int64_t signer_id = 0;
  bool bodies_kept = false;
  std::optional<std::int64_t> stamp_id;  ///< the time-stamp batch, once stamped

  /// The bytes that are hashed and signed: a JSON object of the fields above up to prev_hash,
  /// in that order.
  std::string CanonicalJson() const;
};

struct LogFilter {
  std::string client;
  std::string service;
  std::int64_t before_seq = 0;  ///< 0: from the newest
  int limit = 50;
};

// An archive file of the message log (Service::Archive), as its row in gateway_log_archives
// records it.
//
// The file, "gateway-log-<first seq>-<last seq>-<claim>.jsonl" in Options::archive_dir, is JSON
// lines (UTF-8, one JSON object per line, '\n' after each), in this order:
//   {"format":"tinhso-gateway-log-archive/2","first_seq":F,"last_seq":L,"records":N,"stamps":M,
//    "prev_sha256":"<hex SHA-256 of the previous archive file; 64 zeros for the first>",
//    "prev_hash":"<hash of record F-1; 64 zeros when F = 1>","created_at":"<RFC 3339 UTC>",
//    "hash_tree":"…"}
//   {"type":"certificate","id":I,"pem":"…"}     every certificate that signed a record here, and
//                                                its issuers up to the root (PEM)
//   {"type":"stamp","id":S,"first_seq":a,"last_seq":b,"root":"<hex>","stamped_at":"<RFC 3339>",
//    "token":"<base64 DER RFC 3161 TimeStampToken over the root>"}
//   {"type":"record","seq":n,"record":"<the record's canonical JSON, as a string>",
//    "hash":"<hex SHA-256 of that string>","signature":"<base64>","signer_id":I}
//                                                each stamp line is followed by its records
//                                                a…b, in order; the stamps cover F…L without gaps
// A record is good when SHA-256 of "record" is "hash", its "prev_hash" field is the previous
// record's hash (the header's prev_hash for the first), and "signature" verifies over "record"
// with certificate I's key (`openssl dgst -sha256 -verify`). "signature" is empty except on the
// last record of each commit batch, which the chain makes cover the records before it; each
// stamp's last record is signed. (Version 1 files have a signature on every record.) A stamp's root
// is the RFC 6962 hash tree over its records' raw hashes (leaf SHA-256(0x00 ‖ h), node SHA-256(0x01
// ‖ l ‖ r), an odd node carried up unchanged), and its token verifies with `openssl ts -verify
// -digest <root>`. The file's signature is "<file>.p7s": a detached CMS SignedData (DER, CAdES-T)
// by the province's organisation certificate, which `openssl cms -verify -binary -inform DER -in
// <file>.p7s -content <file> -CAfile <root.pem>` checks. The files form a chain by prev_sha256,
// so that none can be removed, replaced or re-ordered unseen, even with the database gone.
struct LogArchive {
  std::int64_t id = 0;
  std::int64_t first_seq = 0;
  std::int64_t last_seq = 0;
  std::int64_t records = 0;
  std::int64_t stamps = 0;
  std::string file_name;    ///< in Options::archive_dir
  std::string sha256;       ///< hex, of the file; "" while it is being written
  std::string prev_sha256;  ///< the previous archive file's; 64 zeros for the first
  core::Seconds created_at{};
  bool purged = false;  ///< its records are no longer in the database
};

struct VerifyReport {
  std::int64_t records = 0;
  std::int64_t stamps = 0;
  std::int64_t archives = 0;  ///< archive files checked (records and stamps include theirs)
  bool ok = true;
  std::int64_t first_bad_seq = 0;  ///< 0 when ok
  std::string problem_vi;
  std::string problem_en;
};

/// When an upstream is in trouble, judged per service over a sliding window of the calls this
/// process forwarded (refusals of the gateway's own, such as a missing right, do not count).
struct AlertOptions {
  std::chrono::seconds window{300};
  int min_calls = 20;            ///< fewer calls in the window say nothing
  double max_error_ratio = 0.2;  ///< failed (5xx, timeout, unreachable, circuit open) / calls
  std::chrono::milliseconds max_p95{3000};  ///< the 95th percentile of the calls' durations
};

/// An upstream over a threshold.
struct Alert {
  std::string service;
  std::string kind;  ///< "error_rate" or "latency"
  double value = 0;  ///< the error ratio (0–1), or the p95 in milliseconds (a bucket's bound)
  double threshold = 0;
  std::int64_t calls = 0;  ///< in the window
  std::int64_t since_ms = 0;
};

struct Options {
  AlertOptions alerts;
  /// The organisation certificate (pki) whose key signs the log's records: asked again after
  /// every change of the PKI (a renewal), so it may name a certificate issued after the start.
  std::function<Result<std::int64_t>()> signer;
  /// Key sealing the logged bodies; none: bodies are not kept, only their hashes.
  std::optional<core::SecretKey> body_key;
  std::chrono::hours body_retention{24 * 30};
  /// Calls continue this long after the oldest unstamped record was written while time-stamping
  /// fails, then stop with LOG_UNAVAILABLE until it works again (X-Road's default: 4 hours).
  std::chrono::seconds stamping_grace{4 * 3600};
  std::size_t max_stamp_batch = 10'000;
  std::chrono::milliseconds registry_refresh{1000};
  /// Circuit breaker per upstream: open after this many failures in a row, for `open_for`, then
  /// one trial call.
  int breaker_failures = 5;
  std::chrono::milliseconds breaker_open_for{30'000};
  /// Retries of idempotent calls (GET, HEAD, PUT, DELETE, OPTIONS) after a transport failure or
  /// a 502/503/504, waiting retry_backoff × 2^n before each.
  int retries = 2;
  std::chrono::milliseconds retry_backoff{100};
  /// Headers the gateway adds toward a service's upstream (its own credentials there, e.g. the
  /// national LGSP's bearer token), from the configuration rather than the database; may be empty.
  std::function<http::Headers(std::string_view service)> upstream_credentials;
  /// How the gateway reaches upstreams; tests may script it.
  std::function<Result<http::ClientResponse>(const http::ClientRequest&)> fetch;
  /// Where the log is archived (Archive); empty: it is not, and records stay in the database.
  std::filesystem::path archive_dir;
  /// Records per archive file at most: whole time-stamp batches, so one larger batch goes alone.
  std::int64_t archive_max_records = 10'000;
  /// Archived records stay in the database this long after they were written, then
  /// PurgeArchived deletes them; 0: for ever.
  std::chrono::hours log_retention{24 * 180};
};

class Gateway;

/// Thread-safe. `clock` dates records and quotas; the circuit breaker uses the steady clock.
class Service {
 public:
  Service(storage::Database& db, const core::Clock& clock, const auth::Policy& policy,
          pki::Service& pki, signing::Service& signing, Options options);
  ~Service();
  Service(const Service&) = delete;
  Service& operator=(const Service&) = delete;

  // Registry (actions gateway.read, gateway.manage; every change audited).
  Result<Member> AddMember(const MemberInput& in, const core::Actor& actor);
  Result<std::vector<Member>> Members(const core::Actor& actor) const;
  Result<Subsystem> AddSubsystem(const SubsystemInput& in, const core::Actor& actor);
  Result<std::vector<Subsystem>> Subsystems(const core::Actor& actor) const;
  /// A new bearer token for the subsystem (the previous one stops working); shown only here.
  Result<std::string> IssueToken(std::string_view subsystem_code, const core::Actor& actor);
  /// Binds a client certificate (PEM or DER) to the subsystem: mutual TLS with it identifies
  /// the subsystem. Errors: kInvalidArgument when it is not a certificate.
  Result<Subsystem> BindCertificate(std::string_view subsystem_code, std::string_view certificate,
                                    const core::Actor& actor);
  /// Changes a subsystem's allowed addresses, rate or whether it may call at all; each takes
  /// effect on the next call, in every process. Errors: kNotFound, kInvalidArgument.
  Result<Subsystem> ChangeSubsystem(std::string_view subsystem_code, const SubsystemChange& change,
                                    const core::Actor& actor);
  /// The subsystem's bearer token stops working at once; a new one may be issued later.
  Result<Subsystem> RevokeToken(std::string_view subsystem_code, const core::Actor& actor);
  /// The subsystem's client certificate no longer identifies it (mutual TLS with it fails).
  Result<Subsystem> UnbindCertificate(std::string_view subsystem_code, const core::Actor& actor);
  Result<ServiceInfo> PutService(const ServiceInput& in, const core::Actor& actor);
  Result<std::vector<ServiceInfo>> Services(const core::Actor& actor) const;
  Result<Right> Grant(const RightInput& in, const core::Actor& actor);
  Result<Right> Withdraw(std::int64_t right_id, const core::Actor& actor);
  Result<std::vector<Right>> Rights(bool include_withdrawn, const core::Actor& actor) const;

  /// Serves one call (see the top of this file). Never an error: a refusal is a Reply with
  /// `refusal` set.
  Reply Forward(const Call& call);

  // The message log.
  Result<std::vector<LogRecord>> Log(const LogFilter& filter, const core::Actor& actor) const;
  /// Time-stamps the records written since the last batch (at most max_stamp_batch). Returns how
  /// many it stamped. On failure the records wait for the next run, and calls stop once the
  /// oldest of them is older than the grace period.
  Result<std::int64_t> Stamp();
  /// Checks the whole log: every archive file (present, with the digest its row records, linked
  /// to the previous file, its signature by the organisation certificate, every record and batch
  /// inside it), then the records in the database, which continue the last archive's chain:
  /// every record's hash, the chain, every signature, every time-stamp over its batch's hash
  /// tree. The first problem found is reported, in Vietnamese and English.
  Result<VerifyReport> Verify();
  /// Writes one record's evidence into `dir` (created): the record's canonical JSON, the later
  /// records of its commit batch, the signature over the batch's last record and the signer's
  /// certificate chain, its proof in the batch's hash tree, the
  /// time-stamp token and the TSA's chain, and verify.sh, which checks all of it with openssl.
  /// A record no longer in the database is read from its archive file.
  /// Errors: kNotFound (also "gateway.archive_missing": the record's archive file is gone, named
  /// in the message); kFailedPrecondition when the record is not time-stamped yet, or
  /// "gateway.archive_altered".
  Result<void> Evidence(std::int64_t seq, const std::filesystem::path& dir);
  /// Drops the bodies whose retention has ended. Returns how many.
  Result<std::int64_t> PurgeBodies();
  /// The upstreams now over a threshold (gateway.read), as this process judged them at the last
  /// CheckAlerts.
  Result<std::vector<Alert>> Alerts(const core::Actor& actor) const;
  /// Judges every upstream over the window ending now; an alert raised or cleared is logged,
  /// audited ("gateway.alert.raise", "gateway.alert.clear") and shown on /metrics as
  /// tinhso_gateway_upstream_alert{service,kind}. Returns the alerts raised by this run. The
  /// server runs it every few seconds.
  Result<std::vector<Alert>> CheckAlerts();

  /// Writes the next archive file (see LogArchive) with its signature: the time-stamped records
  /// after the last archive, whole batches in seq order, at most archive_max_records (a larger
  /// batch alone); then records it, audited. The range is claimed first, so that two processes
  /// never write the same records (a claim whose writer died is taken over after 15 minutes).
  /// Returns nullopt when nothing is waiting (or another process is writing the next file).
  /// Errors: kFailedPrecondition "gateway.no_archive_dir", "gateway.log_broken" (the records to
  /// archive do not hold together: run Verify); those of the signer, the TSA and the disk.
  Result<std::optional<LogArchive>> Archive();
  /// Every archive, oldest first, including one being written (gateway.read).
  Result<std::vector<LogArchive>> Archives(const core::Actor& actor) const;
  /// Deletes from the database the records (and their time-stamp batches) of archives whose
  /// newest record is older than log_retention, oldest archive first, each only once its file
  /// and signature are in place with the recorded digest. Audited. Returns how many records.
  /// Errors: kFailedPrecondition "gateway.archive_unusable" (a file missing or changed).
  Result<std::int64_t> PurgeArchived();
  /// The request and response bodies of a record, while they are kept (gateway.manage).
  Result<std::pair<std::string, std::string>> Bodies(std::int64_t seq,
                                                     const core::Actor& actor) const;

 private:
  std::unique_ptr<Gateway> impl_;
};

/// The admin API under /api/v1/gateway/…, and the gateway itself: /lgsp/{service}[/…] in every
/// method, authenticated by the gateway (mutual TLS or a bearer token), not by user sessions.
void RegisterRoutes(http::Router& router, Service& service);

}  // namespace tinhso::gateway
