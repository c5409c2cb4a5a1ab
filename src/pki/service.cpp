#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/provider.h>
#include <openssl/x509v3.h>
#include <sodium.h>

#include <atomic>
#include <boost/json/object.hpp>
#include <mutex>

#include "audit/audit.hpp"
#include "auth/policy.hpp"
#include "core/crypto.hpp"
#include "core/json.hpp"
#include "pki/internal.hpp"
#include "pki/sql.hpp"

namespace tinhso::pki {
namespace {

using storage::Transaction;
using storage::TxKind;

constexpr std::string_view kKinds[] = {"root", "issuing",     "organisation", "official",
                                       "tsa",  "external_ca", "system"};

std::int64_t Epoch(core::Seconds t) { return t.time_since_epoch().count(); }
core::Seconds FromEpoch(std::int64_t s) { return core::Seconds(std::chrono::seconds(s)); }

storage::Value IdOrNull(std::int64_t id) {
  return id != 0 ? storage::Value(id) : storage::Value(nullptr);
}

Certificate Decode(const storage::Row& r) {
  Certificate c;
  c.id = r.Int(0);
  c.serial = r.Text(1);
  c.kind = ParseKind(r.Text(2)).value_or(Kind::kExternalCa);
  c.subject = r.Text(3);
  c.issuer = r.Text(4);
  c.issuer_id = r.OptionalInt(5).value_or(0);
  c.has_key = !r.IsNull(6);
  c.agency_id = r.OptionalInt(7).value_or(0);
  c.user_id = r.OptionalInt(8).value_or(0);
  c.not_before = FromEpoch(r.Int(9));
  c.not_after = FromEpoch(r.Int(10));
  c.der = r.Blob(11);
  c.sha256 = r.Text(12);
  c.trusted = r.Int(13) != 0;
  const std::string status = r.Text(14);
  c.status = status == "revoked"      ? Status::kRevoked
             : status == "superseded" ? Status::kSuperseded
                                      : Status::kValid;
  if (auto at = r.OptionalInt(15)) c.revoked_at = FromEpoch(*at);
  if (auto reason = r.OptionalInt(16)) c.revocation_reason = static_cast<RevocationReason>(*reason);
  c.replaced_by = r.OptionalInt(17).value_or(0);
  c.key_type = r.Text(18);
  c.has_appearance = r.Int(19) != 0;
  return c;
}

Error NotFound() {
  return MakeError(ErrorCode::kNotFound, "pki.certificate_not_found",
                   "Không tìm thấy chứng thư số.", "No such certificate.");
}

Error NotInitialised() {
  return MakeError(ErrorCode::kFailedPrecondition, "pki.not_initialised",
                   "Chưa khởi tạo hạ tầng khóa công khai: chạy 'tinhso pki init' trước.",
                   "The PKI is not set up yet: run 'tinhso pki init' first.");
}

Error Invalid(std::string_view reason, std::string_view vi, std::string_view en) {
  return MakeError(ErrorCode::kInvalidArgument, std::string(reason), std::string(vi),
                   std::string(en));
}

Result<void> CheckSubject(const Subject& s) {
  auto bad = [](std::string_view field_vi, std::string_view field_en) {
    return Invalid("pki.subject_invalid", "Tên chủ thể: cần " + std::string(field_vi) + ".",
                   "Subject: " + std::string(field_en) + " is required.");
  };
  if (s.common_name.empty()) return bad("tên (CN)", "the common name (CN)");
  if (s.organization.empty()) return bad("tên cơ quan (O)", "the organisation (O)");
  for (const std::string* f :
       {&s.common_name, &s.organization, &s.unit, &s.title, &s.locality, &s.serial, &s.email}) {
    if (f->size() > 200) {
      return Invalid("pki.subject_invalid", "Tên chủ thể: mỗi trường tối đa 200 byte.",
                     "Subject: each field is at most 200 bytes.");
    }
  }
  return Ok();
}

}  // namespace

std::string_view KeyTypeName(KeyType type) {
  return type == KeyType::kRsa3072 ? "rsa-3072" : "ec-p256";
}
std::optional<KeyType> ParseKeyType(std::string_view name) {
  if (name == "ec-p256") return KeyType::kEcdsaP256;
  if (name == "rsa-3072") return KeyType::kRsa3072;
  return std::nullopt;
}
std::string_view KindName(Kind kind) { return kKinds[static_cast<int>(kind)]; }
std::optional<Kind> ParseKind(std::string_view name) {
  for (std::size_t i = 0; i < std::size(kKinds); ++i) {
    if (kKinds[i] == name) return static_cast<Kind>(i);
  }
  return std::nullopt;
}
std::string_view StatusName(Status status) {
  switch (status) {
    case Status::kValid:
      return "valid";
    case Status::kRevoked:
      return "revoked";
    case Status::kSuperseded:
      return "superseded";
  }
  return "valid";
}
std::optional<RevocationReason> ParseRevocationReason(std::string_view name) {
  if (name == "unspecified") return RevocationReason::kUnspecified;
  if (name == "key_compromise") return RevocationReason::kKeyCompromise;
  if (name == "affiliation_changed") return RevocationReason::kAffiliationChanged;
  if (name == "superseded") return RevocationReason::kSuperseded;
  if (name == "cessation_of_operation") return RevocationReason::kCessationOfOperation;
  return std::nullopt;
}

std::string Certificate::Pem() const {
  const std::string b64 = core::Base64Encode(der);
  std::string out = "-----BEGIN CERTIFICATE-----\n";
  for (std::size_t i = 0; i < b64.size(); i += 64) out += b64.substr(i, 64) + "\n";
  return out + "-----END CERTIFICATE-----\n";
}

SigningKey::~SigningKey() { sodium_memzero(private_key_der.data(), private_key_der.size()); }

struct Service::Impl {
  storage::Database& db;
  const core::Clock& clock;
  const auth::Policy& policy;
  Options options;
  std::atomic<std::uint64_t> generation{0};  // see Service::Generation

  // A change's result, counted in the generation when it committed.
  template <typename T>
  Result<T> Changed(Result<T> result) {
    if (result.ok()) generation.fetch_add(1, std::memory_order_release);
    return result;
  }

  Result<std::optional<Certificate>> FindOne(Transaction& tx, std::string_view where,
                                             const storage::Params& params) const {
    TINHSO_ASSIGN_OR_RETURN(
        auto rows, tx.Query(std::string(sql::kColumns) + " WHERE " + std::string(where), params));
    if (rows.empty()) return std::optional<Certificate>();
    return std::optional<Certificate>(Decode(rows[0]));
  }

  Result<Certificate> Load(Transaction& tx, std::int64_t id) const {
    TINHSO_ASSIGN_OR_RETURN(auto found, FindOne(tx, "c.id = :id", {{"id", id}}));
    if (!found) return NotFound();
    return std::move(*found);
  }

  // Whether a person may read certificate `c` ("pki.read"). The CAs' and the time-stamping
  // unit's certificates are public anyway (GET /api/v1/pki/ca, every signature and time-stamp
  // carries them); an organisation's or an official's, with its seal or signature image, is
  // its agency's business.
  Result<void> MayRead(const core::Actor& actor, const Certificate& c) const {
    if (IsInfrastructure(c.kind) && policy.Allows(actor, "pki.read")) return Ok();
    return policy.Check(actor, "pki.read", {c.agency_id, c.user_id});
  }

  // The agencies whose certificates `actor` may read; nullopt: every one. Errors: the actor
  // may read none.
  Result<std::optional<std::vector<std::int64_t>>> ReadableAgencies(
      const core::Actor& actor) const {
    const std::optional<auth::Scope> scope = policy.WidestScope(actor, "pki.read");
    if (!scope) return policy.Check(actor, "pki.read", {}).error();  // refused, as it says why
    using Agencies = std::optional<std::vector<std::int64_t>>;
    if (scope == auth::Scope::kPublic || scope == auth::Scope::kProvince) return Agencies();
    if (scope == auth::Scope::kSubtree && actor.agency_id != 0 && policy.tree() != nullptr) {
      return Agencies(policy.tree()->Subtree(actor.agency_id));
    }
    if ((scope == auth::Scope::kSubtree || scope == auth::Scope::kOwnAgency) &&
        actor.agency_id != 0) {
      return Agencies(std::vector<std::int64_t>{actor.agency_id});
    }
    return Agencies(std::vector<std::int64_t>{});
  }

  static bool IsInfrastructure(Kind kind) {
    return kind == Kind::kRoot || kind == Kind::kIssuing || kind == Kind::kExternalCa ||
           kind == Kind::kTsa;
  }

  Result<std::vector<Certificate>> List(const ListQuery& q,
                                        const std::vector<std::int64_t>* agencies) const;

  // The CA that issues end-entity certificates: the newest valid issuing certificate.
  Result<Certificate> IssuingCa(Transaction& tx) const {
    TINHSO_ASSIGN_OR_RETURN(
        auto found,
        FindOne(tx,
                "c.kind = 'issuing' AND c.status = 'valid' AND c.key_id IS NOT NULL ORDER BY "
                "c.id DESC LIMIT 1",
                {}));
    if (!found) return NotInitialised();
    return std::move(*found);
  }

  Result<void> NeedMasterKey() const {
    if (options.master_key_loaded) return Ok();
    return MakeError(ErrorCode::kFailedPrecondition, "pki.master_key_missing",
                     "Chưa nạp khóa chủ của PKI ([pki] master_key_file hoặc "
                     "TINHSO_PKI_MASTER_KEY): chưa ký hay cấp chứng thư được.",
                     "The PKI master key is not loaded ([pki] master_key_file or "
                     "TINHSO_PKI_MASTER_KEY): nothing can be signed or issued.");
  }

  Result<ossl::Key> PrivateKey(Transaction& tx, std::int64_t certificate_id) const {
    TINHSO_RETURN_IF_ERROR(NeedMasterKey());
    TINHSO_ASSIGN_OR_RETURN(
        auto rows,
        tx.Query("SELECT key_id FROM pki_certificates WHERE id = :id", {{"id", certificate_id}}));
    if (rows.empty() || rows[0].IsNull(0)) {
      return MakeError(ErrorCode::kFailedPrecondition, "pki.no_private_key",
                       "Hệ thống không giữ khóa bí mật của chứng thư số này.",
                       "The system does not hold this certificate's private key.");
    }
    TINHSO_ASSIGN_OR_RETURN(auto keys, tx.Query(sql::kKey, {{"id", rows[0].Int(0)}}));
    if (keys.empty()) return InternalError("pki key row missing");
    TINHSO_ASSIGN_OR_RETURN(std::string der, internal::Open(keys[0].Blob(0), options.master_key));
    auto key = ossl::ParsePrivateKey(der);
    sodium_memzero(der.data(), der.size());
    return key;
  }

  Result<std::int64_t> StoreKey(Transaction& tx, EVP_PKEY* key) const {
    TINHSO_RETURN_IF_ERROR(NeedMasterKey());
    std::string der = ossl::PrivateKeyToDer(key);
    if (der.empty()) return ossl::Internal("PKCS#8 encoding");
    std::string sealed = internal::Seal(der, options.master_key);
    sodium_memzero(der.data(), der.size());
    TINHSO_ASSIGN_OR_RETURN(
        auto rows, tx.Query(sql::kInsertKey, {{"algorithm", internal::KeyTypeOf(key)},
                                              {"sealed", storage::Bytes{std::move(sealed)}},
                                              {"created_at", Epoch(clock.Now())}}));
    return rows[0].Int(0);
  }

  // Stores a certificate (and returns it as read back). `key_id` 0: no private key.
  Result<Certificate> StoreCertificate(Transaction& tx, X509* cert, Kind kind,
                                       std::int64_t issuer_id, std::int64_t key_id,
                                       std::int64_t agency_id, std::int64_t user_id,
                                       bool trusted) const {
    const std::string der = ossl::ToDer(cert);
    const std::string sha = core::Sha256Hex(der);
    TINHSO_ASSIGN_OR_RETURN(auto existing, FindOne(tx, "c.sha256 = :sha", {{"sha", sha}}));
    if (existing) return std::move(*existing);
    TINHSO_ASSIGN_OR_RETURN(
        auto rows, tx.Query(sql::kInsertCertificate,
                            {{"serial", ossl::SerialHex(cert)},
                             {"kind", std::string(KindName(kind))},
                             {"subject", ossl::NameText(X509_get_subject_name(cert))},
                             {"issuer", ossl::NameText(X509_get_issuer_name(cert))},
                             {"issuer_id", IdOrNull(issuer_id)},
                             {"key_id", IdOrNull(key_id)},
                             {"agency_id", IdOrNull(agency_id)},
                             {"user_id", IdOrNull(user_id)},
                             {"not_before", Epoch(ossl::ToTime(X509_get0_notBefore(cert)))},
                             {"not_after", Epoch(ossl::ToTime(X509_get0_notAfter(cert)))},
                             {"der", storage::Bytes{der}},
                             {"sha256", sha},
                             {"trusted", std::int64_t{trusted ? 1 : 0}},
                             {"created_at", Epoch(clock.Now())}}));
    return Load(tx, rows[0].Int(0));
  }

  Result<void> Audit(Transaction& tx, const core::Actor& actor, std::string_view action,
                     const Certificate& c) const {
    boost::json::object data{{"serial", c.serial},
                             {"kind", std::string(KindName(c.kind))},
                             {"subject", c.subject},
                             {"status", std::string(StatusName(c.status))}};
    TINHSO_RETURN_IF_ERROR(audit::Append(
        tx, actor,
        {std::string(action), "certificate", std::to_string(c.id), json::Serialize(data)},
        clock.Now()));
    return Ok();
  }

  std::string CrlUrl(std::int64_t issuer_id) const {
    return options.public_base_url + "/api/v1/pki/crl/" + std::to_string(issuer_id) + ".crl";
  }

  // Issues a certificate for `subject` from the current issuing CA, in `tx`.
  Result<Certificate> IssueIn(Transaction& tx, const IssueInput& in) const {
    TINHSO_ASSIGN_OR_RETURN(Certificate ca, IssuingCa(tx));
    TINHSO_ASSIGN_OR_RETURN(ossl::Cert ca_cert, ossl::ParseCertificate(ca.der));
    TINHSO_ASSIGN_OR_RETURN(ossl::Key ca_key, PrivateKey(tx, ca.id));
    TINHSO_ASSIGN_OR_RETURN(ossl::Key key, internal::GenerateKey(in.key_type));
    const core::Seconds now = clock.Now();
    // Never beyond the issuing CA: a chain is only as valid as its shortest link.
    const core::Seconds until = std::min(now + std::chrono::days(in.validity_days), ca.not_after);
    internal::CertSpec spec{in.kind,       &in.subject,  key.get(),
                            ca_cert.get(), ca_key.get(), now - std::chrono::minutes(5),
                            until,         CrlUrl(ca.id)};
    TINHSO_ASSIGN_OR_RETURN(spec.alt_names, internal::CheckAltNames(in.dns_names, in.ip_addresses));
    TINHSO_ASSIGN_OR_RETURN(ossl::Cert cert, internal::BuildCertificate(spec));
    TINHSO_ASSIGN_OR_RETURN(std::int64_t key_id, StoreKey(tx, key.get()));
    return StoreCertificate(tx, cert.get(), in.kind, ca.id, key_id, in.agency_id, in.user_id,
                            false);
  }

  // The CA certificates above `c` that we know, up to (not including) a trust anchor: what a
  // signature or a TLS peer sends along so that a verifier holding only the anchor can build
  // the path.
  Result<std::vector<std::string>> ChainOf(Transaction& tx, const Certificate& c) const {
    std::vector<std::string> chain;
    std::int64_t up = c.issuer_id;
    for (int depth = 0; up != 0 && depth < 8; ++depth) {
      TINHSO_ASSIGN_OR_RETURN(Certificate ca, Load(tx, up));
      if (ca.trusted) break;
      chain.push_back(ca.der);
      up = ca.issuer_id;
    }
    return chain;
  }

  // The subject of an existing certificate, for a renewal.
  static Result<Subject> SubjectOf(const Certificate& c) {
    TINHSO_ASSIGN_OR_RETURN(ossl::Cert cert, ossl::ParseCertificate(c.der));
    Subject s;
    const X509_NAME* name = X509_get_subject_name(cert.get());
    auto get = [&](int nid) {
      const int at = X509_NAME_get_index_by_NID(name, nid, -1);
      if (at < 0) return std::string();
      unsigned char* utf8 = nullptr;
      const int n =
          ASN1_STRING_to_UTF8(&utf8, X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, at)));
      std::string out = n > 0 ? std::string(reinterpret_cast<char*>(utf8), n) : std::string();
      OPENSSL_free(utf8);
      return out;
    };
    s.common_name = get(NID_commonName);
    s.organization = get(NID_organizationName);
    s.unit = get(NID_organizationalUnitName);
    s.title = get(NID_title);
    s.locality = get(NID_localityName);
    s.serial = get(NID_serialNumber);
    s.email = get(NID_pkcs9_emailAddress);
    return s;
  }
};

Service::Service(storage::Database& db, const core::Clock& clock, const auth::Policy& policy,
                 Options options)
    : impl_(new Impl{db, clock, policy, std::move(options)}) {}

std::uint64_t Service::Generation() const {
  return impl_->generation.load(std::memory_order_acquire);
}

Result<InitResult> Service::Init(const InitInput& in, const core::Actor& actor) {
  if (in.root_years < 1 || in.root_years > 30 || in.issuing_years < 1 ||
      in.issuing_years > in.root_years) {
    return Invalid("pki.validity_invalid",
                   "Thời hạn: CA gốc 1–30 năm, CA cấp phát không dài hơn CA gốc.",
                   "Validity: the root 1–30 years, the issuing CA no longer than the root.");
  }
  Subject root_subject{
      "Root CA - " + in.province_name, in.province_name, "", "", in.locality, "", ""};
  Subject issuing_subject{
      "Issuing CA - " + in.province_name, in.province_name, "", "", in.locality, "", ""};
  TINHSO_RETURN_IF_ERROR(CheckSubject(root_subject));
  return impl_->Changed(
      storage::WithTransaction(impl_->db, [&](Transaction& tx) -> Result<InitResult> {
        TINHSO_ASSIGN_OR_RETURN(auto count, tx.Query(sql::kCountCas));
        if (count[0].Int(0) > 0) {
          return MakeError(ErrorCode::kAlreadyExists, "pki.already_initialised",
                           "Hạ tầng khóa công khai đã được khởi tạo.",
                           "The PKI is already set up.");
        }
        const core::Seconds now = impl_->clock.Now();
        TINHSO_ASSIGN_OR_RETURN(ossl::Key root_key, internal::GenerateKey(in.key_type));
        internal::CertSpec root_spec{Kind::kRoot,
                                     &root_subject,
                                     root_key.get(),
                                     nullptr,
                                     root_key.get(),
                                     now - std::chrono::minutes(5),
                                     now + std::chrono::days(365 * in.root_years),
                                     ""};
        TINHSO_ASSIGN_OR_RETURN(ossl::Cert root_cert, internal::BuildCertificate(root_spec));
        TINHSO_ASSIGN_OR_RETURN(std::int64_t root_key_id, impl_->StoreKey(tx, root_key.get()));
        TINHSO_ASSIGN_OR_RETURN(
            Certificate root,
            impl_->StoreCertificate(tx, root_cert.get(), Kind::kRoot, 0, root_key_id, 0, 0, true));
        TINHSO_ASSIGN_OR_RETURN(ossl::Key issuing_key, internal::GenerateKey(in.key_type));
        internal::CertSpec issuing_spec{Kind::kIssuing,
                                        &issuing_subject,
                                        issuing_key.get(),
                                        root_cert.get(),
                                        root_key.get(),
                                        now - std::chrono::minutes(5),
                                        now + std::chrono::days(365 * in.issuing_years),
                                        impl_->CrlUrl(root.id)};
        TINHSO_ASSIGN_OR_RETURN(ossl::Cert issuing_cert, internal::BuildCertificate(issuing_spec));
        TINHSO_ASSIGN_OR_RETURN(std::int64_t issuing_key_id,
                                impl_->StoreKey(tx, issuing_key.get()));
        TINHSO_ASSIGN_OR_RETURN(Certificate issuing,
                                impl_->StoreCertificate(tx, issuing_cert.get(), Kind::kIssuing,
                                                        root.id, issuing_key_id, 0, 0, false));
        TINHSO_RETURN_IF_ERROR(impl_->Audit(tx, actor, "pki.init", root));
        TINHSO_RETURN_IF_ERROR(impl_->Audit(tx, actor, "pki.issue", issuing));
        return InitResult{std::move(root), std::move(issuing)};
      }));
}

Result<Certificate> Service::Issue(const IssueInput& in, const core::Actor& actor) {
  if (in.kind != Kind::kOrganisation && in.kind != Kind::kOfficial && in.kind != Kind::kTsa &&
      in.kind != Kind::kSystem) {
    return Invalid("pki.kind_invalid",
                   "Chỉ cấp chứng thư cho tổ chức, cá nhân, dấu thời gian hoặc hệ thống thông tin.",
                   "Only organisation, official, time-stamping and system certificates are "
                   "issued.");
  }
  // A system may belong to an agency outside the province (a ministry's): its agency is then
  // only the O of its name.
  if (in.kind != Kind::kTsa && in.kind != Kind::kSystem && in.agency_id <= 0) {
    return Invalid("pki.owner_required", "Cần chọn cơ quan sở hữu chứng thư.",
                   "Choose the agency the certificate belongs to.");
  }
  if (in.kind == Kind::kOfficial && in.user_id <= 0) {
    return Invalid("pki.owner_required", "Chứng thư cá nhân cần tài khoản của người ký.",
                   "A personal certificate needs the signer's account.");
  }
  if (in.validity_days < 1 || in.validity_days > 5 * 365) {
    return Invalid("pki.validity_invalid", "Thời hạn chứng thư từ 1 ngày đến 5 năm.",
                   "A certificate is valid for 1 day to 5 years.");
  }
  if (in.kind != Kind::kSystem && (!in.dns_names.empty() || !in.ip_addresses.empty())) {
    return Invalid("pki.alt_name_invalid",
                   "Chỉ chứng thư của hệ thống thông tin mới ghi tên miền, địa chỉ IP.",
                   "Only system certificates carry DNS names and IP addresses.");
  }
  TINHSO_RETURN_IF_ERROR(internal::CheckAltNames(in.dns_names, in.ip_addresses));
  TINHSO_RETURN_IF_ERROR(CheckSubject(in.subject));
  return impl_->Changed(
      storage::WithTransaction(impl_->db, [&](Transaction& tx) -> Result<Certificate> {
        TINHSO_ASSIGN_OR_RETURN(Certificate c, impl_->IssueIn(tx, in));
        TINHSO_RETURN_IF_ERROR(impl_->Audit(tx, actor, "pki.issue", c));
        return c;
      }));
}

Result<Certificate> Service::Renew(std::int64_t id, const core::Actor& actor) {
  return impl_->Changed(
      storage::WithTransaction(impl_->db, [&](Transaction& tx) -> Result<Certificate> {
        TINHSO_ASSIGN_OR_RETURN(Certificate old, impl_->Load(tx, id));
        if (old.status != Status::kValid || !old.has_key || old.issuer_id == 0 ||
            (old.kind != Kind::kOrganisation && old.kind != Kind::kOfficial &&
             old.kind != Kind::kTsa && old.kind != Kind::kSystem)) {
          return MakeError(ErrorCode::kFailedPrecondition, "pki.not_renewable",
                           "Chỉ gia hạn được chứng thư còn hiệu lực do hệ thống cấp.",
                           "Only valid certificates issued here can be renewed.");
        }
        TINHSO_ASSIGN_OR_RETURN(Subject subject, Impl::SubjectOf(old));
        IssueInput in;
        in.kind = old.kind;
        in.subject = subject;
        in.key_type = old.key_type == "rsa-3072" ? KeyType::kRsa3072 : KeyType::kEcdsaP256;
        in.agency_id = old.agency_id;
        in.user_id = old.user_id;
        if (old.kind == Kind::kSystem) {
          // The same names to serve: a renewed gateway certificate must still match its host.
          TINHSO_ASSIGN_OR_RETURN(ossl::Cert parsed, ossl::ParseCertificate(old.der));
          internal::AltNamesOf(parsed.get(), in.dns_names, in.ip_addresses);
        }
        TINHSO_ASSIGN_OR_RETURN(Certificate fresh, impl_->IssueIn(tx, in));
        TINHSO_RETURN_IF_ERROR(
            tx.Execute(sql::kSupersede, {{"replaced_by", fresh.id}, {"id", id}}));
        TINHSO_RETURN_IF_ERROR(
            tx.Execute(sql::kCopyAppearance, {{"from_id", id}, {"to_id", fresh.id}}));
        fresh.has_appearance = old.has_appearance;
        TINHSO_RETURN_IF_ERROR(impl_->Audit(tx, actor, "pki.renew", fresh));
        return fresh;
      }));
}

Result<Certificate> Service::Revoke(std::int64_t id, RevocationReason reason,
                                    const core::Actor& actor) {
  return impl_->Changed(
      storage::WithTransaction(impl_->db, [&](Transaction& tx) -> Result<Certificate> {
        TINHSO_ASSIGN_OR_RETURN(Certificate c, impl_->Load(tx, id));
        if (c.status == Status::kRevoked) {
          return MakeError(ErrorCode::kFailedPrecondition, "pki.already_revoked",
                           "Chứng thư số này đã bị thu hồi.",
                           "This certificate is already revoked.");
        }
        if (c.kind == Kind::kRoot) {
          return MakeError(ErrorCode::kFailedPrecondition, "pki.root_not_revocable",
                           "Không thu hồi CA gốc: hãy thay hạ tầng khóa công khai.",
                           "The root CA cannot be revoked: replace the PKI instead.");
        }
        TINHSO_RETURN_IF_ERROR(
            tx.Execute(sql::kRevoke, {{"at", Epoch(impl_->clock.Now())},
                                      {"reason", static_cast<std::int64_t>(reason)},
                                      {"id", id}}));
        if (c.issuer_id != 0) {
          TINHSO_RETURN_IF_ERROR(tx.Execute(sql::kStaleCrl, {{"issuer_id", c.issuer_id}}));
        }
        TINHSO_ASSIGN_OR_RETURN(Certificate revoked, impl_->Load(tx, id));
        TINHSO_RETURN_IF_ERROR(impl_->Audit(tx, actor, "pki.revoke", revoked));
        return revoked;
      }));
}

Result<Certificate> Service::ImportPkcs12(std::string_view p12, std::string_view password,
                                          Kind kind, std::int64_t agency_id, std::int64_t user_id,
                                          const core::Actor& actor) {
  if (kind != Kind::kOrganisation && kind != Kind::kOfficial) {
    return Invalid("pki.kind_invalid", "Chỉ nhập chứng thư của tổ chức hoặc cá nhân.",
                   "Only organisation and official certificates can be imported.");
  }
  if (agency_id <= 0 || (kind == Kind::kOfficial && user_id <= 0)) {
    return Invalid("pki.owner_required", "Cần cơ quan (và người ký, với chứng thư cá nhân).",
                   "The agency (and the signer, for a personal certificate) is required.");
  }
  if (p12.empty() || p12.size() > (1u << 20)) {
    return Invalid("pki.pkcs12_invalid", "Tệp PKCS#12 trống hoặc quá lớn (tối đa 1 MB).",
                   "The PKCS#12 file is empty or too large (1 MB at most).");
  }
  // Files from Windows and older tools use RC2/3DES: those ciphers live in the legacy provider.
  static std::once_flag legacy_once;
  std::call_once(legacy_once, [] {
    OSSL_PROVIDER_load(nullptr, "legacy");
    OSSL_PROVIDER_load(nullptr, "default");
  });
  ossl::Bio bio(BIO_new_mem_buf(p12.data(), static_cast<int>(p12.size())));
  using P12 = std::unique_ptr<PKCS12, ossl::Deleter<PKCS12_free>>;
  P12 parsed(d2i_PKCS12_bio(bio.get(), nullptr));
  EVP_PKEY* raw_key = nullptr;
  X509* raw_cert = nullptr;
  STACK_OF(X509)* raw_chain = nullptr;
  const std::string pass(password);
  if (!parsed || PKCS12_parse(parsed.get(), pass.c_str(), &raw_key, &raw_cert, &raw_chain) != 1 ||
      raw_key == nullptr || raw_cert == nullptr) {
    EVP_PKEY_free(raw_key);
    X509_free(raw_cert);
    sk_X509_pop_free(raw_chain, X509_free);
    return ossl::Failure(ErrorCode::kInvalidArgument, "pki.pkcs12_invalid",
                         "Không đọc được tệp PKCS#12: tệp hỏng hoặc sai mật khẩu.",
                         "The PKCS#12 file cannot be read: it is damaged or the password is "
                         "wrong.");
  }
  ossl::Key key(raw_key);
  ossl::Cert cert(raw_cert);
  ossl::CertStack chain(raw_chain);
  if (X509_check_private_key(cert.get(), key.get()) != 1) {
    return ossl::Failure(ErrorCode::kInvalidArgument, "pki.pkcs12_invalid",
                         "Khóa bí mật không khớp với chứng thư số trong tệp.",
                         "The private key does not match the certificate in the file.");
  }
  return impl_->Changed(
      storage::WithTransaction(impl_->db, [&](Transaction& tx) -> Result<Certificate> {
        // The chain first, so that the certificate can name its issuer.
        std::int64_t issuer_id = 0;
        for (int i = 0; chain && i < sk_X509_num(chain.get()); ++i) {
          X509* ca = sk_X509_value(chain.get(), i);
          TINHSO_ASSIGN_OR_RETURN(
              Certificate stored,
              impl_->StoreCertificate(tx, ca, Kind::kExternalCa, 0, 0, 0, 0, false));
          if (X509_check_issued(ca, cert.get()) == X509_V_OK) issuer_id = stored.id;
        }
        TINHSO_ASSIGN_OR_RETURN(std::int64_t key_id, impl_->StoreKey(tx, key.get()));
        TINHSO_ASSIGN_OR_RETURN(Certificate c,
                                impl_->StoreCertificate(tx, cert.get(), kind, issuer_id, key_id,
                                                        agency_id, user_id, false));
        TINHSO_RETURN_IF_ERROR(impl_->Audit(tx, actor, "pki.import", c));
        return c;
      }));
}

Result<Certificate> Service::AddTrustAnchor(std::string_view certificate,
                                            const core::Actor& actor) {
  TINHSO_ASSIGN_OR_RETURN(ossl::Cert cert, ossl::ParseCertificate(certificate));
  if (X509_check_ca(cert.get()) == 0) {
    return Invalid("pki.not_a_ca", "Chứng thư này không phải của một CA.",
                   "This certificate is not a CA certificate.");
  }
  return impl_->Changed(
      storage::WithTransaction(impl_->db, [&](Transaction& tx) -> Result<Certificate> {
        TINHSO_ASSIGN_OR_RETURN(
            Certificate c,
            impl_->StoreCertificate(tx, cert.get(), Kind::kExternalCa, 0, 0, 0, 0, true));
        TINHSO_RETURN_IF_ERROR(
            tx.Execute("UPDATE pki_certificates SET trusted = 1 WHERE id = :id", {{"id", c.id}}));
        TINHSO_ASSIGN_OR_RETURN(Certificate trusted, impl_->Load(tx, c.id));
        TINHSO_RETURN_IF_ERROR(impl_->Audit(tx, actor, "pki.trust", trusted));
        return trusted;
      }));
}

Result<Certificate> Service::Get(std::int64_t id) const {
  return storage::WithTransaction(
      impl_->db, [&](Transaction& tx) { return impl_->Load(tx, id); }, TxKind::kReadOnly);
}

Result<Certificate> Service::Get(std::int64_t id, const core::Actor& actor) const {
  TINHSO_ASSIGN_OR_RETURN(Certificate c, Get(id));
  TINHSO_RETURN_IF_ERROR(impl_->MayRead(actor, c));
  return c;
}

Result<std::string> Service::Appearance(std::int64_t id, const core::Actor& actor) const {
  TINHSO_RETURN_IF_ERROR(Get(id, actor));
  return Appearance(id);
}

Result<std::vector<Certificate>> Service::List(const ListQuery& q) const {
  return impl_->List(q, nullptr);
}

Result<std::vector<Certificate>> Service::List(const ListQuery& q, const core::Actor& actor) const {
  TINHSO_ASSIGN_OR_RETURN(auto agencies, impl_->ReadableAgencies(actor));
  return impl_->List(q, agencies ? &*agencies : nullptr);
}

Result<std::vector<Certificate>> Service::Impl::List(
    const ListQuery& q, const std::vector<std::int64_t>* agencies) const {
  if (q.limit < 1 || q.limit > 500 || q.offset < 0) {
    return Invalid("request.invalid_query", "limit từ 1 đến 500, offset không âm.",
                   "limit must be 1 to 500 and offset not negative.");
  }
  std::string where = "1 = 1";
  storage::Params params;
  if (q.kind) {
    where += " AND c.kind = :kind";
    params.push_back({"kind", std::string(KindName(*q.kind))});
  }
  if (q.agency_id) {
    where += " AND c.agency_id = :agency_id";
    params.push_back({"agency_id", *q.agency_id});
  }
  if (q.user_id) {
    where += " AND c.user_id = :user_id";
    params.push_back({"user_id", *q.user_id});
  }
  if (!q.include_inactive) where += " AND c.status = 'valid'";
  if (agencies != nullptr) {
    // Integers only: nothing of the request's text reaches the statement.
    std::string ids;
    for (std::int64_t a : *agencies) ids += (ids.empty() ? "" : ",") + std::to_string(a);
    where += " AND (c.kind IN ('root', 'issuing', 'external_ca', 'tsa')";
    if (!ids.empty()) where += " OR c.agency_id IN (" + ids + ")";
    where += ")";
  }
  where += " ORDER BY c.id LIMIT :limit OFFSET :offset";
  params.push_back({"limit", static_cast<std::int64_t>(q.limit)});
  params.push_back({"offset", static_cast<std::int64_t>(q.offset)});
  return storage::WithTransaction(
      db,
      [&](Transaction& tx) -> Result<std::vector<Certificate>> {
        TINHSO_ASSIGN_OR_RETURN(auto rows,
                                tx.Query(std::string(sql::kColumns) + " WHERE " + where, params));
        std::vector<Certificate> out;
        for (const auto& r : rows) out.push_back(Decode(r));
        return out;
      },
      TxKind::kReadOnly);
}

Result<std::string> Service::Crl(std::int64_t issuer_id) {
  const core::Seconds now = impl_->clock.Now();
  // Fresh for half its validity: clients that cache it see few versions. A public route, so
  // the common case is one read, never the write lock.
  const auto fresh = [&](const storage::Rows& current) {
    return !current.empty() &&
           Epoch(now) < current[0].Int(2) - impl_->options.crl_validity.count() / 2;
  };
  TINHSO_ASSIGN_OR_RETURN(auto cached, storage::WithTransaction(
                                           impl_->db,
                                           [&](Transaction& tx) {
                                             return tx.Query(sql::kCrl, {{"issuer_id", issuer_id}});
                                           },
                                           TxKind::kReadOnly));
  if (fresh(cached)) return cached[0].Blob(3);
  return storage::WithTransaction(impl_->db, [&](Transaction& tx) -> Result<std::string> {
    TINHSO_ASSIGN_OR_RETURN(Certificate ca, impl_->Load(tx, issuer_id));
    if ((ca.kind != Kind::kRoot && ca.kind != Kind::kIssuing) || !ca.has_key) return NotFound();
    TINHSO_ASSIGN_OR_RETURN(auto current, tx.Query(sql::kCrl, {{"issuer_id", issuer_id}}));
    if (fresh(current)) return current[0].Blob(3);  // made meanwhile by another request
    const std::int64_t number = current.empty() ? 1 : current[0].Int(0) + 1;
    std::vector<internal::RevokedEntry> revoked;
    TINHSO_ASSIGN_OR_RETURN(auto rows, tx.Query(sql::kRevokedBy, {{"issuer_id", issuer_id}}));
    for (const auto& r : rows) {
      revoked.push_back({r.Text(0), FromEpoch(r.Int(1)), static_cast<int>(r.Int(2))});
    }
    TINHSO_ASSIGN_OR_RETURN(ossl::Cert ca_cert, ossl::ParseCertificate(ca.der));
    TINHSO_ASSIGN_OR_RETURN(ossl::Key ca_key, impl_->PrivateKey(tx, ca.id));
    const core::Seconds next = now + impl_->options.crl_validity;
    TINHSO_ASSIGN_OR_RETURN(
        ossl::Crl crl, internal::BuildCrl(ca_cert.get(), ca_key.get(), revoked, number, now, next));
    std::string der = ossl::ToDer(crl.get());
    TINHSO_RETURN_IF_ERROR(tx.Execute(sql::kPutCrl, {{"issuer_id", issuer_id},
                                                     {"number", number},
                                                     {"this_update", Epoch(now)},
                                                     {"next_update", Epoch(next)},
                                                     {"der", storage::Bytes{der}}}));
    return der;
  });
}

Result<std::vector<Certificate>> Service::TrustAnchors() const {
  return storage::WithTransaction(
      impl_->db,
      [&](Transaction& tx) -> Result<std::vector<Certificate>> {
        TINHSO_ASSIGN_OR_RETURN(
            auto rows, tx.Query(std::string(sql::kColumns) + " WHERE c.trusted = 1 ORDER BY c.id"));
        std::vector<Certificate> out;
        for (const auto& r : rows) out.push_back(Decode(r));
        return out;
      },
      TxKind::kReadOnly);
}

Result<std::vector<Certificate>> Service::Intermediates() const {
  return storage::WithTransaction(
      impl_->db,
      [&](Transaction& tx) -> Result<std::vector<Certificate>> {
        TINHSO_ASSIGN_OR_RETURN(
            auto rows,
            tx.Query(std::string(sql::kColumns) +
                     " WHERE c.kind IN ('root', 'issuing', 'external_ca') ORDER BY c.id"));
        std::vector<Certificate> out;
        for (const auto& r : rows) out.push_back(Decode(r));
        return out;
      },
      TxKind::kReadOnly);
}

Result<std::optional<Certificate>> Service::FindByIssuerSerial(std::string_view issuer,
                                                               std::string_view serial_hex) const {
  return storage::WithTransaction(
      impl_->db,
      [&](Transaction& tx) {
        return impl_->FindOne(
            tx, "c.issuer = :issuer AND c.serial = :serial",
            {{"issuer", std::string(issuer)}, {"serial", std::string(serial_hex)}});
      },
      TxKind::kReadOnly);
}

Result<std::optional<Certificate>> Service::FindByDer(std::string_view der) const {
  return storage::WithTransaction(
      impl_->db,
      [&](Transaction& tx) {
        return impl_->FindOne(tx, "c.sha256 = :sha", {{"sha", core::Sha256Hex(der)}});
      },
      TxKind::kReadOnly);
}

Result<Certificate> Service::SetAppearance(std::int64_t id, std::string_view png,
                                           const core::Actor& actor) {
  TINHSO_RETURN_IF_ERROR(impl_->policy.Check(actor, "pki.manage", {}));
  constexpr std::string_view kPngMagic = "\x89PNG\r\n\x1a\n";
  if (!png.empty() && (!png.starts_with(kPngMagic) || png.size() > 512 * 1024)) {
    return Invalid("pki.appearance_invalid",
                   "Hình chữ ký hoặc con dấu phải là ảnh PNG, tối đa 512 KB.",
                   "The signature image or seal must be a PNG image of at most 512 KB.");
  }
  return impl_->Changed(
      storage::WithTransaction(impl_->db, [&](Transaction& tx) -> Result<Certificate> {
        TINHSO_ASSIGN_OR_RETURN(Certificate c, impl_->Load(tx, id));
        if (c.kind != Kind::kOrganisation && c.kind != Kind::kOfficial) {
          return Invalid("pki.appearance_invalid",
                         "Chỉ chứng thư của tổ chức (con dấu) hoặc cá nhân (chữ ký) có hình.",
                         "Only organisation (seal) and official (signature) certificates have "
                         "an image.");
        }
        TINHSO_RETURN_IF_ERROR(
            tx.Execute(sql::kSetAppearance,
                       {{"png", png.empty() ? storage::Value(nullptr)
                                            : storage::Value(storage::Bytes{std::string(png)})},
                        {"id", id}}));
        c.has_appearance = !png.empty();
        TINHSO_RETURN_IF_ERROR(impl_->Audit(tx, actor, "pki.appearance", c));
        return c;
      }));
}

Result<std::string> Service::Appearance(std::int64_t id) const {
  return storage::WithTransaction(
      impl_->db,
      [&](Transaction& tx) -> Result<std::string> {
        TINHSO_ASSIGN_OR_RETURN(auto rows, tx.Query(sql::kAppearance, {{"id", id}}));
        if (rows.empty()) {
          return MakeError(ErrorCode::kNotFound, "pki.appearance_not_found",
                           "Chứng thư số này chưa có hình chữ ký hoặc con dấu.",
                           "This certificate has no signature image or seal.");
        }
        return rows[0].Blob(0);
      },
      TxKind::kReadOnly);
}

Result<SigningKey> Service::KeyForSigning(std::int64_t id, const core::Actor& actor) const {
  return storage::WithTransaction(
      impl_->db,
      [&](Transaction& tx) -> Result<SigningKey> {
        TINHSO_ASSIGN_OR_RETURN(Certificate c, impl_->Load(tx, id));
        // Who may sign with it: the official themself; the agency's clerks and leaders for
        // the organisation's seal; only the system for the time-stamping unit.
        Result<void> allowed = Ok();
        if (actor.kind == core::ActorKind::kSystem &&
            (c.kind == Kind::kOfficial || c.kind == Kind::kOrganisation || c.kind == Kind::kTsa)) {
          // The server itself, or the operator at its console.
        } else if (c.kind == Kind::kOfficial) {
          allowed = impl_->policy.Check(actor, "sign.personal", {c.agency_id, c.user_id});
        } else if (c.kind == Kind::kOrganisation) {
          allowed = impl_->policy.Check(actor, "sign.organisation", {c.agency_id, 0});
        } else if (!(c.kind == Kind::kTsa && actor.kind == core::ActorKind::kSystem)) {
          allowed = MakeError(ErrorCode::kPermissionDenied, "auth.forbidden",
                              "Chứng thư số này không dùng để ký văn bản.",
                              "This certificate is not for signing documents.");
        }
        TINHSO_RETURN_IF_ERROR(allowed);
        const core::Seconds now = impl_->clock.Now();
        if (c.status != Status::kValid || now < c.not_before || now >= c.not_after) {
          return MakeError(ErrorCode::kFailedPrecondition, "pki.not_usable",
                           "Chứng thư số đã bị thu hồi, đã được thay thế hoặc hết hạn.",
                           "The certificate is revoked, replaced or expired.");
        }
        TINHSO_ASSIGN_OR_RETURN(ossl::Key key, impl_->PrivateKey(tx, c.id));
        SigningKey out;
        out.certificate_id = c.id;
        out.private_key_der = ossl::PrivateKeyToDer(key.get());
        out.certificate_der = c.der;
        if (c.has_appearance) {
          TINHSO_ASSIGN_OR_RETURN(auto mark, tx.Query(sql::kAppearance, {{"id", c.id}}));
          if (!mark.empty()) out.appearance_png = mark[0].Blob(0);
        }
        TINHSO_ASSIGN_OR_RETURN(out.chain_der, impl_->ChainOf(tx, c));
        return out;
      },
      TxKind::kReadOnly);
}

Result<std::string> Service::Export(std::int64_t id, ExportFormat format, std::string_view password,
                                    const core::Actor& actor) {
  TINHSO_RETURN_IF_ERROR(impl_->policy.Check(actor, "pki.manage", {}));
  const bool clear_pem =
      format == ExportFormat::kPem && password.empty() && actor.kind == core::ActorKind::kSystem;
  if (!clear_pem && (password.size() < 8 || password.size() > 200 ||
                     password.find('\0') != std::string_view::npos)) {
    return Invalid("pki.password_invalid", "Mật khẩu bảo vệ khóa bí mật cần từ 8 đến 200 ký tự.",
                   "The password protecting the private key must be 8 to 200 characters.");
  }
  return storage::WithTransaction(impl_->db, [&](Transaction& tx) -> Result<std::string> {
    TINHSO_ASSIGN_OR_RETURN(Certificate c, impl_->Load(tx, id));
    if (c.kind != Kind::kSystem || !c.has_key) {
      return MakeError(ErrorCode::kFailedPrecondition, "pki.not_exportable",
                       "Chỉ chứng thư của hệ thống thông tin mới được xuất kèm khóa bí mật; khóa "
                       "ký của cơ quan và cá nhân không rời máy chủ.",
                       "Only system certificates are exported with their private key; the "
                       "signing keys of agencies and officials never leave the server.");
    }
    const core::Seconds now = impl_->clock.Now();
    if (c.status != Status::kValid || now >= c.not_after) {
      return MakeError(ErrorCode::kFailedPrecondition, "pki.not_usable",
                       "Chứng thư số đã bị thu hồi, đã được thay thế hoặc hết hạn.",
                       "The certificate is revoked, replaced or expired.");
    }
    TINHSO_ASSIGN_OR_RETURN(ossl::Key key, impl_->PrivateKey(tx, c.id));
    TINHSO_ASSIGN_OR_RETURN(ossl::Cert cert, ossl::ParseCertificate(c.der));
    TINHSO_ASSIGN_OR_RETURN(std::vector<std::string> chain, impl_->ChainOf(tx, c));
    std::string out;
    const std::string pass(password);
    if (format == ExportFormat::kPkcs12) {
      ossl::CertStack cas(sk_X509_new_null());
      for (const std::string& der : chain) {
        TINHSO_ASSIGN_OR_RETURN(ossl::Cert ca, ossl::ParseCertificate(der));
        if (!cas || sk_X509_push(cas.get(), ca.get()) <= 0) return ossl::Internal("chain");
        ca.release();  // the stack owns it now
      }
      // OpenSSL 3's defaults: AES-256-CBC under PBKDF2, an HMAC-SHA-256 MAC.
      using P12 = std::unique_ptr<PKCS12, ossl::Deleter<PKCS12_free>>;
      TINHSO_ASSIGN_OR_RETURN(Subject subject, Impl::SubjectOf(c));
      P12 p12(PKCS12_create(pass.c_str(), subject.common_name.c_str(), key.get(), cert.get(),
                            cas.get(), 0, 0, 0, 0, 0));
      ossl::Bio bio(BIO_new(BIO_s_mem()));
      if (!p12 || !bio || i2d_PKCS12_bio(bio.get(), p12.get()) != 1) {
        return ossl::Internal("PKCS#12 export");
      }
      char* data = nullptr;
      const long n = BIO_get_mem_data(bio.get(), &data);
      out.assign(data, static_cast<std::size_t>(n));
    } else {
      out = c.Pem();
      for (const std::string& der : chain) {
        Certificate ca;
        ca.der = der;
        out += ca.Pem();
      }
      ossl::Bio bio(BIO_new(BIO_s_mem()));
      const bool written = bio && PEM_write_bio_PKCS8PrivateKey(
                                      bio.get(), key.get(), clear_pem ? nullptr : EVP_aes_256_cbc(),
                                      clear_pem ? nullptr : pass.data(),
                                      static_cast<int>(pass.size()), nullptr, nullptr) == 1;
      if (!written) return ossl::Internal("PEM export");
      char* data = nullptr;
      const long n = BIO_get_mem_data(bio.get(), &data);
      out.append(data, static_cast<std::size_t>(n));
      // The memory BIO held the key in the clear when there was no password.
      OPENSSL_cleanse(data, static_cast<std::size_t>(n));
    }
    boost::json::object data{{"serial", c.serial},
                             {"subject", c.subject},
                             {"format", format == ExportFormat::kPkcs12 ? "pkcs12" : "pem"},
                             {"encrypted", !clear_pem}};
    TINHSO_RETURN_IF_ERROR(audit::Append(
        tx, actor, {"pki.export", "certificate", std::to_string(c.id), json::Serialize(data)},
        now));
    return out;
  });
}

Result<void> Service::RecordSignature(std::int64_t id, const core::Actor& actor,
                                      std::string_view format, std::string_view document_sha256) {
  return storage::WithTransaction(impl_->db, [&](Transaction& tx) -> Result<void> {
    TINHSO_ASSIGN_OR_RETURN(Certificate c, impl_->Load(tx, id));
    boost::json::object data{{"serial", c.serial},
                             {"subject", c.subject},
                             {"format", std::string(format)},
                             {"document_sha256", std::string(document_sha256)}};
    TINHSO_RETURN_IF_ERROR(audit::Append(
        tx, actor,
        {"sign." + std::string(format), "certificate", std::to_string(id), json::Serialize(data)},
        impl_->clock.Now()));
    return Ok();
  });
}

}  // namespace tinhso::pki
