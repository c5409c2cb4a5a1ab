// The provincial PKI: a root CA and an issuing CA created once (`tinhso pki init`),
// certificates for organisations (the agency's signature), officials (personal signatures), the
// time-stamping unit and information systems (mutual TLS at the data-integration gateway),
// issued, renewed and revoked; a system certificate exported with its key for its system;
// certificates and keys imported from PKCS#12 (a government CA's instead of ours); CRLs. Private
// keys are sealed at rest with a 32-byte master key that lives outside the database (a file or an
// environment variable).
//
// OpenSSL stays inside the module: what leaves it is DER bytes and plain structs.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/actor.hpp"
#include "core/clock.hpp"
#include "core/result.hpp"
#include "storage/database.hpp"

namespace tinhso::auth {
class Policy;
}
namespace tinhso::http {
class Router;
}

namespace tinhso::pki {

enum class KeyType { kEcdsaP256, kRsa3072 };
std::string_view KeyTypeName(KeyType type);  ///< "ec-p256", "rsa-3072"
std::optional<KeyType> ParseKeyType(std::string_view name);

/// What a certificate is for. kExternalCa: a CA certificate that came with an import. kSystem:
/// an information system (a "subsystem" such as H55.19/motcua), for TLS as client and server.
enum class Kind { kRoot, kIssuing, kOrganisation, kOfficial, kTsa, kExternalCa, kSystem };
std::string_view KindName(Kind kind);
std::optional<Kind> ParseKind(std::string_view name);

enum class Status { kValid, kRevoked, kSuperseded };
std::string_view StatusName(Status status);

/// RFC 5280 CRLReason codes that make sense here.
enum class RevocationReason {
  kUnspecified = 0,
  kKeyCompromise = 1,
  kAffiliationChanged = 3,
  kSuperseded = 4,
  kCessationOfOperation = 5,
};
std::optional<RevocationReason> ParseRevocationReason(std::string_view name);

/// The distinguished name of a new certificate (UTF-8; Vietnamese as written).
struct Subject {
  std::string common_name;   ///< CN: the organisation's or the person's name
  std::string organization;  ///< O: the agency
  std::string unit;          ///< OU: a department, optional
  std::string title;         ///< title: the official's position, optional
  std::string locality;      ///< L: the province
  std::string serial;        ///< serialNumber: agency code, CCCD…, optional
  std::string email;         ///< emailAddress, optional
};

struct Certificate {
  std::int64_t id = 0;
  std::string serial;  ///< hex
  Kind kind = Kind::kOfficial;
  std::string subject;  ///< RFC 2253
  std::string issuer;
  std::int64_t issuer_id = 0;  ///< 0: not issued by a CA we hold
  bool has_key = false;        ///< we hold the private key (can sign with it)
  std::string key_type;        ///< "ec-p256", "rsa-3072", "other"; "" without a key
  std::int64_t agency_id = 0;
  std::int64_t user_id = 0;
  core::Seconds not_before{};
  core::Seconds not_after{};
  bool trusted = false;  ///< a trust anchor for verification
  Status status = Status::kValid;
  std::optional<core::Seconds> revoked_at;
  std::optional<RevocationReason> revocation_reason;
  std::int64_t replaced_by = 0;
  bool has_appearance = false;  ///< a signature image or seal is registered (SetAppearance)
  std::string sha256;           ///< hex, of the DER
  std::string der;
  std::string Pem() const;
};

/// What signing needs, as bytes: the private key (PKCS#8 DER), the certificate and the chain up
/// to (not including) the trust anchor. Handed out only to code that checked the permission.
struct SigningKey {
  std::int64_t certificate_id = 0;
  std::string private_key_der;
  std::string certificate_der;
  std::vector<std::string> chain_der;
  std::string appearance_png;  ///< the registered signature image or seal, if any
  ~SigningKey();               // wipes the private key
};

struct InitInput {
  std::string province_name = "Ủy ban nhân dân tỉnh Thái Nguyên";  ///< O of both CAs
  std::string locality = "Thái Nguyên";
  KeyType key_type = KeyType::kEcdsaP256;
  int root_years = 20;
  int issuing_years = 10;
};

struct InitResult {
  Certificate root;
  Certificate issuing;
};

struct IssueInput {
  Kind kind = Kind::kOfficial;  ///< kOrganisation, kOfficial, kTsa or kSystem
  /// kSystem: CN = the subsystem's code ("H55.19/motcua"), O = its member agency's name.
  Subject subject;
  KeyType key_type = KeyType::kEcdsaP256;
  int validity_days = 3 * 365;
  std::int64_t agency_id = 0;  ///< required for organisation and official certificates;
                               ///< a system's agency when it is one of ours, else 0
  std::int64_t user_id = 0;    ///< required for official certificates
  /// kSystem only: the names it answers to as a TLS server (subjectAltName), at most 20 in all:
  /// DNS names ("lgsp.thainguyen.gov.vn") and IP addresses ("127.0.0.1", "::1").
  std::vector<std::string> dns_names;
  std::vector<std::string> ip_addresses;
};

/// How a system certificate leaves with its key (Service::Export).
enum class ExportFormat {
  kPkcs12,  ///< PKCS#12 (AES-256, PBKDF2): key, certificate, chain, under the password
  kPem,     ///< PEM: the certificate, the chain, then the key (PKCS#8, encrypted with AES-256
            ///< under the password; in the clear when there is none)
};

struct ListQuery {
  std::optional<Kind> kind;
  std::optional<std::int64_t> agency_id;
  std::optional<std::int64_t> user_id;
  bool include_inactive = false;  ///< revoked and superseded too
  int limit = 100;
  int offset = 0;
};

struct Options {
  std::array<unsigned char, 32> master_key{};  ///< seals private keys; never stored
  bool master_key_loaded = false;              ///< false: nothing that needs a private key works
  /// Base of the public URLs written into certificates: CRL distribution points
  /// ("<base>/api/v1/pki/crl/<issuer id>.crl").
  std::string public_base_url = "http://127.0.0.1:8080";
  std::chrono::seconds crl_validity = std::chrono::hours(24 * 7);
};

/// A new random master key, and reading one from a file of 32 bytes or base64 text.
std::array<unsigned char, 32> NewMasterKey();
Result<std::array<unsigned char, 32>> ParseMasterKey(std::string_view bytes_or_base64);

/// Thread-safe. Every change writes an audit entry in its transaction.
class Service {
 public:
  Service(storage::Database& db, const core::Clock& clock, const auth::Policy& policy,
          Options options);

  /// Creates the root and the issuing CA. Errors: kAlreadyExists "pki.already_initialised".
  Result<InitResult> Init(const InitInput& input, const core::Actor& actor);
  /// Errors: kInvalidArgument (subject, kind, owner), kFailedPrecondition "pki.not_initialised".
  Result<Certificate> Issue(const IssueInput& input, const core::Actor& actor);
  /// A new key and certificate for the same subject and owner; the old one is superseded.
  Result<Certificate> Renew(std::int64_t id, const core::Actor& actor);
  /// Errors: kNotFound, kFailedPrecondition "pki.already_revoked".
  Result<Certificate> Revoke(std::int64_t id, RevocationReason reason, const core::Actor& actor);
  /// A PKCS#12 file (key + certificate + chain) from another CA, for an organisation (agency_id)
  /// or an official (user_id). Chain certificates are stored as kExternalCa, not trusted.
  /// Errors: kInvalidArgument "pki.pkcs12_invalid" (also for a wrong password).
  Result<Certificate> ImportPkcs12(std::string_view p12, std::string_view password, Kind kind,
                                   std::int64_t agency_id, std::int64_t user_id,
                                   const core::Actor& actor);
  /// A CA certificate (PEM or DER) to trust for verification, such as the national root.
  Result<Certificate> AddTrustAnchor(std::string_view certificate, const core::Actor& actor);

  /// A system certificate with its private key and the chain up to (not including) the trust
  /// anchor, for the information system that will present it: other kinds' keys never leave
  /// the server (signatures are made here, and a personal key handed out would no longer prove
  /// who signed). Only a valid certificate; `pki.manage`; audited as "pki.export". The password
  /// (at least 8 characters) protects the key in the file; only the system actor (the operator
  /// at the console, writing a file only they can read) may export PEM without one.
  /// Errors: kPermissionDenied, kFailedPrecondition "pki.not_exportable" / "pki.not_usable",
  /// kInvalidArgument "pki.password_invalid".
  Result<std::string> Export(std::int64_t id, ExportFormat format, std::string_view password,
                             const core::Actor& actor);

  /// Registers the visible mark of an organisation's or official's certificate: the seal or the
  /// signature image (PNG, at most 512 KB) that PDF signatures draw; empty removes it. Renewals
  /// keep it. Errors: kNotFound, kInvalidArgument "pki.appearance_invalid".
  Result<Certificate> SetAppearance(std::int64_t id, std::string_view png,
                                    const core::Actor& actor);
  /// The registered mark. Errors: kNotFound "pki.appearance_not_found".
  Result<std::string> Appearance(std::int64_t id) const;

  Result<Certificate> Get(std::int64_t id) const;
  Result<std::vector<Certificate>> List(const ListQuery& query) const;

  /// The same, for a person ("pki.read"): an agency's and its officials' certificates, and their
  /// signature images and seals, only to readers whose scope holds that agency (a leader: their
  /// agency's subtree; administrators: all). Certificates of no agency (the CAs, the
  /// time-stamping unit) are the province's public infrastructure. Errors: kPermissionDenied,
  /// kUnauthenticated, and those above.
  Result<std::string> Appearance(std::int64_t id, const core::Actor& actor) const;
  Result<Certificate> Get(std::int64_t id, const core::Actor& actor) const;
  /// Only what the actor may read: the query is narrowed to their scope.
  Result<std::vector<Certificate>> List(const ListQuery& query, const core::Actor& actor) const;
  /// The current CRL (DER) of a CA we operate, made anew when a revocation or its age calls
  /// for it. Errors: kNotFound.
  Result<std::string> Crl(std::int64_t issuer_id);
  /// Every trust anchor, and every CA certificate we know (for building chains), as DER.
  Result<std::vector<Certificate>> TrustAnchors() const;
  Result<std::vector<Certificate>> Intermediates() const;
  /// Revocation of a certificate identified by issuer DN and serial: nullopt if unknown to us.
  Result<std::optional<Certificate>> FindByIssuerSerial(std::string_view issuer,
                                                        std::string_view serial_hex) const;
  /// The record of exactly this certificate (DER, as a TLS client presented it: see
  /// http::Request::client_certificate), with its status read now: nullopt if unknown to us.
  /// One indexed read, meant to run for each request that relies on the certificate, so that a
  /// revocation takes effect at once.
  Result<std::optional<Certificate>> FindByDer(std::string_view der) const;

  /// The key of certificate `id` for signing: the actor must be its official (personal), a
  /// clerk or leader of its agency (organisation), or the system (the server's own flows and
  /// the operator's CLI, who holds the master key anyway). Refused for revoked, superseded and
  /// expired certificates. Errors: kPermissionDenied,
  /// kFailedPrecondition "pki.not_usable".
  Result<SigningKey> KeyForSigning(std::int64_t id, const core::Actor& actor) const;
  /// The audit entry of a signature made with certificate `id`: who, in what format, over what
  /// (SHA-256 of the signed bytes, hex).
  Result<void> RecordSignature(std::int64_t id, const core::Actor& actor, std::string_view format,
                               std::string_view document_sha256);

  /// A number that grows with every certificate change made through this instance (issue,
  /// renew, revoke, import, trust anchor): what lets callers cache parsed certificates and keys.
  /// Changes made by other processes do not move it; such caches also expire with time.
  std::uint64_t Generation() const;

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

/// /api/v1/pki/…: certificates (pki.read, pki.manage), CA certificates and CRLs (public).
void RegisterRoutes(http::Router& router, Service& service);

}  // namespace tinhso::pki
