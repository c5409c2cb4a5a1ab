// The gateway's insides, shared by its .cpp files only.
#pragma once

#include <any>
#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <span>
#include <unordered_map>

#include "gateway/gateway.hpp"
#include "http/client_pool.hpp"
#include "storage/group_commit.hpp"

namespace tinhso::gateway {

// The registry as readers use it: replaced whole, never changed in place.
struct Snapshot {
  std::int64_t version = -1;
  std::unordered_map<std::string, Subsystem> subsystems;          // by code
  std::unordered_map<std::string, std::string> by_token;          // token SHA-256 → code
  std::unordered_map<std::string, std::string> by_certificate;    // DER SHA-256 → code
  std::unordered_map<std::string, ServiceInfo> services;          // by code
  std::map<std::pair<std::int64_t, std::int64_t>, Right> rights;  // active, by client × service
};

// A hash tree over a batch's record hashes (RFC 6962's prefixes: a leaf is SHA-256(0x00 ‖ h),
// a node SHA-256(0x01 ‖ left ‖ right); an odd node goes up unchanged). Raw 32-byte hashes.
std::string MerkleRoot(const std::vector<std::string>& leaves_raw);
struct ProofStep {
  bool sibling_on_left = false;
  std::string sibling;  // raw 32 bytes
};
std::vector<ProofStep> MerkleProof(const std::vector<std::string>& leaves_raw, std::size_t index);

// Raw signatures over bytes with the gateway's key (SHA-256, ECDSA or RSA PKCS#1 v1.5: what
// `openssl dgst -sha256 -sign/-verify` makes and checks). sign.cpp; OpenSSL stays there.
class RecordSigner {
 public:
  RecordSigner(pki::Service& pki, std::function<Result<std::int64_t>()> certificate);
  ~RecordSigner();
  struct Signature {
    std::string bytes;
    std::int64_t certificate_id = 0;
  };
  // Errors: those of the certificate's resolver and of pki::Service::KeyForSigning, kInternal.
  Result<Signature> Sign(std::string_view bytes);

 private:
  struct Key;
  pki::Service& pki_;
  const std::function<Result<std::int64_t>()> certificate_;
  std::mutex mutex_;
  std::shared_ptr<Key> key_;
  std::uint64_t generation_ = 0;
};
// True when `signature` is a valid signature over `bytes` by the certificate's key.
Result<bool> VerifyRecordSignature(std::string_view bytes, std::string_view signature,
                                   std::string_view certificate_der);
// SHA-256 (hex) of a certificate given as PEM or DER, with its DER; kInvalidArgument otherwise.
Result<std::pair<std::string, std::string>> CertificateDigest(std::string_view pem_or_der);

// A record waiting for the committer: the record (its seq, chain and signature are filled in
// by WriteRecords) and its sealed bodies.
// The most records one commit batch (and so one signature) holds.
inline constexpr std::size_t kCommitBatchMax = 128;

struct PendingRecord {
  LogRecord* record = nullptr;
  std::string sealed_bodies;  // "" when bodies are not kept
  std::optional<std::int64_t> bodies_until;
};

// A record as the log's queries select it (TINHSO_GATEWAY_LOG_COLUMNS in sql.hpp). log.cpp.
LogRecord RecordOf(const storage::Row& r);

// What one record's evidence is made of, read from the database or from an archive file.
struct EvidenceSource {
  std::string canonical;  // the record's canonical JSON
  std::string hash;       // hex
  // The records after it, up to and including the first signed one, when the record is not
  // signed itself (the signature of its commit batch is on the batch's last record).
  std::vector<std::string> chain;
  std::string signature;  // over chain.back(), or over canonical when chain is empty
  std::int64_t signer_id = 0;
  std::int64_t first = 0;  // the batch's first seq
  std::string root_hex;
  std::string token;
  std::vector<std::string> leaves;  // the batch's record hashes, raw
};

// Certificates by their pki id, read and parsed once per Verify (OpenSSL 3's decoders cost
// more than the signature check itself). sign.cpp.
class CertificateCache {
 public:
  explicit CertificateCache(pki::Service& pki);
  ~CertificateCache();
  Result<std::int64_t> AgencyOf(std::int64_t id);
  // VerifyRecordSignature with certificate `id`.
  Result<bool> Verify(std::int64_t id, std::string_view bytes, std::string_view signature);

 private:
  struct Entry;
  Result<const Entry*> Get(std::int64_t id);
  pki::Service& pki_;
  std::map<std::int64_t, std::unique_ptr<Entry>> known_;
};

// What Verify learns from the archives for the records in the database: where the archives
// end, and the hash of each file's last record (the database's first record follows one).
struct ArchivedChain {
  std::int64_t last_seq = 0;
  std::string last_hash;                     // 64 zeros without archives
  std::map<std::int64_t, std::string> ends;  // each file's last seq → that record's hash
};

// A call the gateway itself refuses or fails: the HTTP status, LGSP's code and our error.
struct Refusal {
  int status;
  LgspCode code;
  Error error;
};

class Gateway {
 public:
  Gateway(storage::Database& db, const core::Clock& clock, const auth::Policy& policy,
          pki::Service& pki, signing::Service& signing, Options options);

  // registry.cpp
  Result<std::shared_ptr<const Snapshot>> Registry();
  Result<void> Reload();
  Result<void> Changed(storage::Transaction& tx);  // moves the version, inside the change

  // forward.cpp
  Reply Forward(const Call& call);

  // log.cpp
  Result<std::int64_t> Append(LogRecord& record, std::string_view request_body,
                              std::string_view response_body);
  Result<std::int64_t> Stamp();
  Result<VerifyReport> Verify();
  Result<void> Evidence(std::int64_t seq, const std::filesystem::path& dir);
  Result<std::vector<LogRecord>> Log(const LogFilter& filter) const;
  Result<std::int64_t> PurgeBodies();
  Result<std::pair<std::string, std::string>> Bodies(std::int64_t seq) const;
  // alerts.cpp: each forwarded call counted toward its upstream's health, and the judgement.
  void RecordHealth(const LogRecord& record, std::int64_t now_ms);
  Result<std::vector<Alert>> CheckAlerts();
  std::vector<Alert> ActiveAlerts() const;
  // archive.cpp
  Result<std::optional<LogArchive>> Archive();
  Result<std::vector<LogArchive>> Archives() const;
  Result<std::int64_t> PurgeArchived();
  // Checks every complete archive in order; the first problem goes into `report` (ok false).
  Result<ArchivedChain> VerifyArchives(VerifyReport& report, CertificateCache& certificates);
  // A record that left the database, read from its archive file. Errors: as Evidence's.
  Result<EvidenceSource> ArchivedEvidence(std::int64_t seq);
  // Milliseconds of the oldest record not yet time-stamped, 0 when none.
  std::int64_t OldestUnstampedMs() const { return oldest_unstamped_ms_.load(); }

  storage::Database& db;
  const core::Clock& clock;
  const auth::Policy& policy;
  pki::Service& pki;
  signing::Service& signing;
  const Options options;

 private:
  // Quotas and rates, counted per process from the clock's seconds (fixed windows).
  struct Usage {
    std::int64_t minute = -1;
    int in_minute = 0;
    std::int64_t day = -1;
    int in_day = 0;
  };
  struct Rate {
    std::int64_t second = -1;
    int in_second = 0;
  };
  struct Breaker {
    int failures = 0;  // in a row
    std::int64_t open_until_ms = 0;
    bool trial = false;  // half-open: one call is out to see whether the upstream is back
  };
  std::optional<Refusal> Admit(const Subsystem& client, const ServiceInfo& service,
                               const Right& right, std::int64_t now_ms);
  Result<Usage> LoadUsage(const Subsystem& client, const ServiceInfo& service, std::int64_t now_ms);
  void RecordMetrics(const LogRecord& record, const Reply& reply);
  // log.cpp: the committer's Finish, and where time-stamping stands.
  Result<void> WriteRecords(storage::Transaction& tx, std::span<std::any* const> left);
  Result<void> LoadOldestUnstamped();
  bool BreakerAllows(const std::string& service, std::int64_t now_ms);
  void BreakerRecord(const std::string& service, bool failed, std::int64_t now_ms);

  std::mutex registry_mutex_;
  std::shared_ptr<const Snapshot> registry_;
  std::chrono::steady_clock::time_point registry_checked_{};

  std::mutex usage_mutex_;
  std::map<std::pair<std::int64_t, std::int64_t>, Usage> usage_;
  std::map<std::int64_t, Rate> rates_;
  std::map<std::string, Breaker> breakers_;
  // Kept-alive connections to the upstreams (a connect per call halved the gateway's rate).
  http::ClientPool upstreams_;

  struct Health;  // alerts.cpp
  static std::shared_ptr<Health> MakeHealth();
  const std::shared_ptr<Health> health_ = MakeHealth();

  RecordSigner signer_;
  storage::GroupCommitter committer_;
  std::atomic<std::int64_t> oldest_unstamped_ms_{0};
  std::mutex stamp_mutex_;  // one Stamp at a time in this process
  // One Archive or PurgeArchived at a time in this process; other processes meet the claim.
  std::mutex archive_mutex_;
};

}  // namespace tinhso::gateway
