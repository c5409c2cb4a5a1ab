// The PKI module's API types (http/api.hpp): what its routes read and answer, described once
// for the parser, the renderer and the OpenAPI document. Included by routes.cpp only.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http/api.hpp"
#include "pki/pki.hpp"

namespace tinhso::pki {

BOOST_DESCRIBE_ENUM(Kind, kRoot, kIssuing, kOrganisation, kOfficial, kTsa, kExternalCa, kSystem)
BOOST_DESCRIBE_ENUM(ExportFormat, kPkcs12, kPem)
BOOST_DESCRIBE_ENUM(Status, kValid, kRevoked, kSuperseded)
BOOST_DESCRIBE_ENUM(RevocationReason, kUnspecified, kKeyCompromise, kAffiliationChanged,
                    kSuperseded, kCessationOfOperation)
// KeyType is written as KeyTypeName ("ec-p256", "rsa-3072"), not as its enumerators' names: its
// Codec is below, in tinhso::http.

// One certificate, as every route answers it.
struct CertificateView {
  std::int64_t id = 0;
  std::string serial;  // hex
  Kind kind = Kind::kOfficial;
  std::string subject;  // RFC 2253
  std::string issuer;
  std::int64_t issuer_id = 0;  // 0: not issued by a CA the province operates
  bool has_key = false;        // the server holds the private key and can sign with it
  std::string key_type;        // "ec-p256", "rsa-3072", "other"; "" without a key
  std::int64_t agency_id = 0;  // 0: none (the CAs, the time-stamping unit)
  std::int64_t user_id = 0;    // 0: none (not a personal certificate)
  http::Timestamp not_before;
  http::Timestamp not_after;
  bool trusted = false;  // a trust anchor for verification
  Status status = Status::kValid;
  http::Nullable<http::Timestamp> revoked_at;
  std::int64_t replaced_by = 0;  // the renewal that superseded it; 0: none
  bool has_appearance = false;   // a signature image or seal is registered
  std::string sha256;            // of the DER, hex
  std::string pem;
};
TINHSO_API_STRUCT(CertificateView, (id, serial, kind, subject, issuer, issuer_id, has_key, key_type,
                                    agency_id, user_id, not_before, not_after, trusted, status,
                                    revoked_at, replaced_by, has_appearance, sha256, pem))

inline constexpr std::string_view ApiSchemaDescription(const CertificateView*) {
  return "kind: root, issuing (CA gốc và CA cấp phát của tỉnh), organisation (chữ ký của cơ "
         "quan, con dấu), official (chữ ký cá nhân của cán bộ), tsa (đơn vị cấp dấu thời gian), "
         "external_ca (chứng thư CA nhập kèm tệp PKCS#12 hoặc được tin cậy), system (hệ thống "
         "thông tin, cho kết nối TLS hai chiều). status: valid, "
         "revoked (đã thu hồi, có trong CRL), superseded (đã được gia hạn bằng replaced_by). / "
         "kind: root, issuing (the province's root and issuing CAs), organisation (an agency's "
         "signature, its seal), official (an officer's personal signature), tsa (the "
         "time-stamping unit), external_ca (a CA certificate that came with a PKCS#12 import, or "
         "was trusted), system (an information system, for mutual TLS). status: valid, revoked "
         "(listed in the CRL), superseded (renewed by "
         "replaced_by).";
}

// GET /api/v1/pki/certificates, GET /api/v1/pki/ca
struct CertificateList {
  std::vector<CertificateView> items;
};
TINHSO_API_STRUCT(CertificateList, (items))

// GET /api/v1/pki/certificates: only what the reader's scope holds.
struct CertificateListQuery {
  std::optional<Kind> kind;
  std::optional<std::int64_t> agency_id;
  std::optional<std::int64_t> user_id;
  bool all = false;  // revoked and superseded certificates too
};
TINHSO_API_STRUCT(CertificateListQuery, (kind, agency_id, user_id, all))

// The distinguished name of a new certificate, as written (Vietnamese with its diacritics).
struct CertificateSubject {
  http::Text<200> common_name;              // CN: the organisation's or the person's name
  http::Text<200> organization;             // O: the agency
  std::optional<http::Text<200>> unit;      // OU: a department
  std::optional<http::Text<200>> title;     // the official's position
  std::optional<http::Text<200>> locality;  // L: the province
  std::optional<http::Text<200>> serial;    // serialNumber: agency code, CCCD…
  std::optional<http::Text<200>> email;
};
TINHSO_API_STRUCT(CertificateSubject,
                  (common_name, organization, unit, title, locality, serial, email))

// POST /api/v1/pki/certificates
struct CertificateIssueInput {
  Kind kind = Kind::kOfficial;      // organisation, official, tsa or system
  std::optional<KeyType> key_type;  // default ec-p256
  CertificateSubject subject;
  std::optional<std::int64_t> agency_id;      // organisation and official; system: optional
  std::optional<std::int64_t> user_id;        // official
  std::optional<std::int64_t> validity_days;  // default 3 years
  std::optional<std::vector<http::Text<253>>> dns_names;  // system: subjectAltName
  std::optional<std::vector<http::Text<45>>> ip_addresses;
};
TINHSO_API_STRUCT(CertificateIssueInput, (kind, key_type, subject, agency_id, user_id,
                                          validity_days, dns_names, ip_addresses))

inline constexpr std::string_view ApiSchemaDescription(const CertificateIssueInput*) {
  return "kind: organisation (cần agency_id), official (cần agency_id và user_id), tsa hoặc "
         "system (hệ thống thông tin: common_name là mã hệ thống, ví dụ H55.19/motcua, "
         "organization là tên cơ quan chủ quản; dns_names và ip_addresses, tối đa 20, là tên nó "
         "phục vụ khi làm máy chủ TLS); loại khác bị từ chối (pki.kind_invalid). / kind: "
         "organisation (agency_id required), official (agency_id and user_id required), tsa or "
         "system (an information system: common_name is its code, such as H55.19/motcua, "
         "organization its member agency's name; dns_names and ip_addresses, 20 at most, the "
         "names it serves as a TLS server); the other kinds are refused (pki.kind_invalid).";
}

// POST /api/v1/pki/certificates/{id}/export
struct CertificateExportInput {
  std::optional<ExportFormat> format;  // default pkcs12
  http::Text<200> password;            // 8 characters at least: it protects the private key
};
TINHSO_API_STRUCT(CertificateExportInput, (format, password))

inline constexpr std::string_view ApiSchemaDescription(const CertificateExportInput*) {
  return "Chỉ chứng thư system còn hiệu lực (pki.not_exportable, pki.not_usable). format: "
         "pkcs12 (khóa, chứng thư và chuỗi CA, mã hóa AES-256 bằng mật khẩu) hoặc pem (chứng "
         "thư, chuỗi CA, rồi khóa PKCS#8 mã hóa bằng mật khẩu). Mật khẩu từ 8 đến 200 ký tự "
         "(pki.password_invalid). / Only a valid system certificate (pki.not_exportable, "
         "pki.not_usable). format: pkcs12 (key, certificate and CA chain, AES-256 under the "
         "password) or pem (the certificate, the CA chain, then the PKCS#8 key encrypted under "
         "the password). The password is 8 to 200 characters (pki.password_invalid).";
}

// POST /api/v1/pki/certificates/{id}/revoke; the body may be left out (reason unspecified).
struct RevocationInput {
  std::optional<RevocationReason> reason;  // default unspecified
};
TINHSO_API_STRUCT(RevocationInput, (reason))

inline constexpr std::string_view ApiSchemaDescription(const RevocationInput*) {
  return "Lý do thu hồi theo RFC 5280 (CRLReason): unspecified, key_compromise (lộ khóa), "
         "affiliation_changed (đổi cơ quan), superseded (đã thay thế), cessation_of_operation "
         "(thôi hoạt động). Có thể không gửi nội dung: lý do là unspecified. / The RFC 5280 "
         "CRLReason: unspecified, key_compromise, affiliation_changed, superseded, "
         "cessation_of_operation. The body may be left out: the reason is then unspecified.";
}

// POST /api/v1/pki/import
struct Pkcs12ImportInput {
  http::Text<2'000'000> pkcs12;  // the PKCS#12 file (key, certificate, chain), base64
  std::optional<http::Text<200>> password;
  Kind kind = Kind::kOfficial;            // organisation or official
  std::optional<std::int64_t> agency_id;  // required
  std::optional<std::int64_t> user_id;    // official
};
TINHSO_API_STRUCT(Pkcs12ImportInput, (pkcs12, password, kind, agency_id, user_id))

inline constexpr std::string_view ApiSchemaDescription(const Pkcs12ImportInput*) {
  return "kind: organisation hoặc official (loại khác: pki.kind_invalid); agency_id bắt buộc, "
         "user_id với chứng thư cá nhân. Các chứng thư CA trong tệp được lưu là external_ca, "
         "không được tin cậy. / kind: organisation or official (other kinds: pki.kind_invalid); "
         "agency_id is required, and user_id for a personal certificate. The CA certificates in "
         "the file are kept as external_ca, not trusted.";
}

// POST /api/v1/pki/trust
struct TrustAnchorInput {
  http::Text<100'000> certificate;  // PEM
};
TINHSO_API_STRUCT(TrustAnchorInput, (certificate))

}  // namespace tinhso::pki

namespace tinhso::http {

// "ec-p256" or "rsa-3072" (pki::KeyTypeName).
template <>
struct Codec<pki::KeyType> {
  static void Schema(SchemaSet&, boost::json::object& out);
  static Result<void> Read(const boost::json::value& v, const std::string& field,
                           pki::KeyType& out);
  static boost::json::value Write(pki::KeyType v);
};

}  // namespace tinhso::http
