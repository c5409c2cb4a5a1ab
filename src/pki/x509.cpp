// Keys, certificate profiles and CRLs. Profiles (RFC 5280):
//   root      CA:TRUE critical; keyCertSign, cRLSign; 20 years
//   issuing   CA:TRUE, pathlen 0; keyCertSign, cRLSign; signed by the root
//   organisation / official  CA:FALSE; digitalSignature, nonRepudiation; EKU documentSigning
//             (RFC 9336) and emailProtection; CRL distribution point of the issuer
//   tsa       CA:FALSE; digitalSignature; EKU timeStamping, critical (RFC 3161 §2.3)
//   system    CA:FALSE; digitalSignature; EKU clientAuth and serverAuth (TLS, ECDHE only, so no
//             keyEncipherment); the DNS names and IP addresses it serves as subjectAltName
#include <arpa/inet.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>

#include "pki/internal.hpp"

namespace tinhso::pki::internal {
namespace {

using Ext = std::unique_ptr<X509_EXTENSION, ossl::Deleter<X509_EXTENSION_free>>;

Result<void> AddExtension(X509* cert, X509* issuer, int nid, const std::string& value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer != nullptr ? issuer : cert, cert, nullptr, nullptr, 0);
  Ext ext(X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str()));
  if (!ext || X509_add_ext(cert, ext.get(), -1) != 1) {
    return ossl::Internal("extension " + std::string(OBJ_nid2sn(nid)) + "=" + value);
  }
  return Ok();
}

Result<ossl::Name> BuildName(const Subject& s) {
  ossl::Name name(X509_NAME_new());
  auto add = [&](const char* field, const std::string& value) -> Result<void> {
    if (value.empty()) return Ok();
    if (X509_NAME_add_entry_by_txt(name.get(), field, MBSTRING_UTF8,
                                   reinterpret_cast<const unsigned char*>(value.data()),
                                   static_cast<int>(value.size()), -1, 0) != 1) {
      return ossl::Failure(ErrorCode::kInvalidArgument, "pki.subject_invalid",
                           "Tên chủ thể không hợp lệ (trường " + std::string(field) + ").",
                           "The subject name is invalid (field " + std::string(field) + ").");
    }
    return Ok();
  };
  TINHSO_RETURN_IF_ERROR(add("C", "VN"));
  TINHSO_RETURN_IF_ERROR(add("L", s.locality));
  TINHSO_RETURN_IF_ERROR(add("O", s.organization));
  TINHSO_RETURN_IF_ERROR(add("OU", s.unit));
  TINHSO_RETURN_IF_ERROR(add("title", s.title));
  TINHSO_RETURN_IF_ERROR(add("serialNumber", s.serial));
  TINHSO_RETURN_IF_ERROR(add("CN", s.common_name));
  TINHSO_RETURN_IF_ERROR(add("emailAddress", s.email));
  return name;
}

// A random serial that no two certificates share.
Result<void> SetRandomSerial(X509* cert) {
  ASN1_INTEGER* serial = ossl::NewRandomSerial();
  const bool ok = serial != nullptr && X509_set_serialNumber(cert, serial) == 1;
  ASN1_INTEGER_free(serial);
  if (!ok) return ossl::Internal("serial number");
  return Ok();
}

}  // namespace

Result<ossl::Key> GenerateKey(KeyType type) {
  ossl::Key key(type == KeyType::kRsa3072 ? EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", 3072)
                                          : EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
  if (!key) return ossl::Internal("key generation");
  return key;
}

std::string KeyTypeOf(EVP_PKEY* key) {
  if (EVP_PKEY_is_a(key, "RSA") && EVP_PKEY_get_bits(key) == 3072) return "rsa-3072";
  if (EVP_PKEY_is_a(key, "EC")) {
    char group[64] = {};
    size_t len = 0;
    if (EVP_PKEY_get_group_name(key, group, sizeof group, &len) == 1 &&
        std::string_view(group) == "prime256v1") {
      return "ec-p256";
    }
  }
  return "other";
}

Result<ossl::Cert> BuildCertificate(const CertSpec& spec) {
  ossl::Cert cert(X509_new());
  if (!cert || X509_set_version(cert.get(), X509_VERSION_3) != 1) return ossl::Internal("X509_new");
  TINHSO_RETURN_IF_ERROR(SetRandomSerial(cert.get()));
  TINHSO_ASSIGN_OR_RETURN(ossl::Name name, BuildName(*spec.subject));
  X509* issuer = spec.issuer != nullptr ? spec.issuer : cert.get();
  if (X509_set_subject_name(cert.get(), name.get()) != 1 ||
      X509_set_issuer_name(cert.get(), spec.issuer != nullptr ? X509_get_subject_name(spec.issuer)
                                                              : name.get()) != 1 ||
      ASN1_TIME_set(X509_getm_notBefore(cert.get()), spec.not_before.time_since_epoch().count()) ==
          nullptr ||
      ASN1_TIME_set(X509_getm_notAfter(cert.get()), spec.not_after.time_since_epoch().count()) ==
          nullptr ||
      X509_set_pubkey(cert.get(), spec.subject_key) != 1) {
    return ossl::Internal("certificate fields");
  }
  const bool ca = spec.kind == Kind::kRoot || spec.kind == Kind::kIssuing;
  TINHSO_RETURN_IF_ERROR(AddExtension(cert.get(), issuer, NID_subject_key_identifier, "hash"));
  if (spec.issuer != nullptr) {
    TINHSO_RETURN_IF_ERROR(
        AddExtension(cert.get(), issuer, NID_authority_key_identifier, "keyid:always"));
  }
  if (ca) {
    TINHSO_RETURN_IF_ERROR(
        AddExtension(cert.get(), issuer, NID_basic_constraints,
                     spec.kind == Kind::kRoot ? "critical,CA:TRUE" : "critical,CA:TRUE,pathlen:0"));
    TINHSO_RETURN_IF_ERROR(
        AddExtension(cert.get(), issuer, NID_key_usage, "critical,keyCertSign,cRLSign"));
  } else {
    TINHSO_RETURN_IF_ERROR(
        AddExtension(cert.get(), issuer, NID_basic_constraints, "critical,CA:FALSE"));
    if (spec.kind == Kind::kTsa) {
      TINHSO_RETURN_IF_ERROR(
          AddExtension(cert.get(), issuer, NID_key_usage, "critical,digitalSignature"));
      TINHSO_RETURN_IF_ERROR(
          AddExtension(cert.get(), issuer, NID_ext_key_usage, "critical,timeStamping"));
    } else if (spec.kind == Kind::kSystem) {
      TINHSO_RETURN_IF_ERROR(
          AddExtension(cert.get(), issuer, NID_key_usage, "critical,digitalSignature"));
      TINHSO_RETURN_IF_ERROR(
          AddExtension(cert.get(), issuer, NID_ext_key_usage, "clientAuth,serverAuth"));
      if (!spec.alt_names.empty()) {
        std::string list;
        for (const std::string& alt : spec.alt_names) list += (list.empty() ? "" : ",") + alt;
        TINHSO_RETURN_IF_ERROR(AddExtension(cert.get(), issuer, NID_subject_alt_name, list));
      }
    } else {
      TINHSO_RETURN_IF_ERROR(AddExtension(cert.get(), issuer, NID_key_usage,
                                          "critical,digitalSignature,nonRepudiation"));
      // 1.3.6.1.5.5.7.3.36: id-kp-documentSigning (RFC 9336).
      TINHSO_RETURN_IF_ERROR(AddExtension(cert.get(), issuer, NID_ext_key_usage,
                                          "1.3.6.1.5.5.7.3.36,emailProtection"));
    }
  }
  if (!spec.crl_url.empty()) {
    TINHSO_RETURN_IF_ERROR(
        AddExtension(cert.get(), issuer, NID_crl_distribution_points, "URI:" + spec.crl_url));
  }
  if (X509_sign(cert.get(), spec.issuer_key, EVP_sha256()) <= 0) {
    return ossl::Internal("signing the certificate");
  }
  return cert;
}

Result<std::vector<std::string>> CheckAltNames(const std::vector<std::string>& dns_names,
                                               const std::vector<std::string>& ip_addresses) {
  auto bad = [](const std::string& name) {
    return ossl::Failure(ErrorCode::kInvalidArgument, "pki.alt_name_invalid",
                         "Tên miền hoặc địa chỉ IP không hợp lệ: \"" + name + "\".",
                         "Not a valid DNS name or IP address: \"" + name + "\".");
  };
  if (dns_names.size() + ip_addresses.size() > 20) {
    return ossl::Failure(ErrorCode::kInvalidArgument, "pki.alt_name_invalid",
                         "Tối đa 20 tên miền và địa chỉ IP.",
                         "At most 20 DNS names and IP addresses.");
  }
  std::vector<std::string> out;
  // Letters, digits and hyphens in dot-separated labels (RFC 1123), lower case: what goes into
  // the X509v3 configuration string can then carry no separator of its own.
  for (const std::string& name : dns_names) {
    std::string lower;
    bool ok = !name.empty() && name.size() <= 253 && name.front() != '.' && name.back() != '.';
    std::size_t label = 0;
    for (char c : name) {
      const char l = c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
      if (l == '.') {
        ok = ok && label > 0 && lower.back() != '-';
        label = 0;
      } else if ((l >= 'a' && l <= 'z') || (l >= '0' && l <= '9') || l == '-') {
        ok = ok && !(l == '-' && label == 0) && ++label <= 63;
      } else {
        ok = false;
      }
      lower += l;
    }
    if (!ok || lower.back() == '-') return bad(name);
    out.push_back("DNS:" + lower);
  }
  // Written back as inet_ntop formats them: one spelling per address.
  for (const std::string& ip : ip_addresses) {
    unsigned char bytes[16];
    char text[INET6_ADDRSTRLEN];
    const bool v4 = inet_pton(AF_INET, ip.c_str(), bytes) == 1;
    if (!v4 && inet_pton(AF_INET6, ip.c_str(), bytes) != 1) return bad(ip);
    if (inet_ntop(v4 ? AF_INET : AF_INET6, bytes, text, sizeof text) == nullptr) return bad(ip);
    out.push_back("IP:" + std::string(text));
  }
  return out;
}

void AltNamesOf(X509* cert, std::vector<std::string>& dns_names,
                std::vector<std::string>& ip_addresses) {
  auto* names =
      static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr));
  for (int i = 0; names != nullptr && i < sk_GENERAL_NAME_num(names); ++i) {
    const GENERAL_NAME* name = sk_GENERAL_NAME_value(names, i);
    if (name->type == GEN_DNS) {
      const ASN1_STRING* s = name->d.dNSName;
      dns_names.emplace_back(reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)),
                             ASN1_STRING_length(s));
    } else if (name->type == GEN_IPADD) {
      const ASN1_STRING* s = name->d.iPAddress;
      const int length = ASN1_STRING_length(s);
      char text[INET6_ADDRSTRLEN];
      if ((length == 4 || length == 16) &&
          inet_ntop(length == 4 ? AF_INET : AF_INET6, ASN1_STRING_get0_data(s), text,
                    sizeof text) != nullptr) {
        ip_addresses.emplace_back(text);
      }
    }
  }
  GENERAL_NAMES_free(names);
}

Result<ossl::Crl> BuildCrl(X509* issuer, EVP_PKEY* issuer_key,
                           const std::vector<RevokedEntry>& revoked, std::int64_t number,
                           std::chrono::sys_seconds this_update,
                           std::chrono::sys_seconds next_update) {
  ossl::Crl crl(X509_CRL_new());
  using Time = std::unique_ptr<ASN1_TIME, ossl::Deleter<ASN1_TIME_free>>;
  Time last(ASN1_TIME_set(nullptr, this_update.time_since_epoch().count()));
  Time next(ASN1_TIME_set(nullptr, next_update.time_since_epoch().count()));
  if (!crl || !last || !next || X509_CRL_set_version(crl.get(), X509_CRL_VERSION_2) != 1 ||
      X509_CRL_set_issuer_name(crl.get(), X509_get_subject_name(issuer)) != 1 ||
      X509_CRL_set1_lastUpdate(crl.get(), last.get()) != 1 ||
      X509_CRL_set1_nextUpdate(crl.get(), next.get()) != 1) {
    return ossl::Internal("CRL fields");
  }
  for (const RevokedEntry& r : revoked) {
    X509_REVOKED* entry = X509_REVOKED_new();
    BIGNUM* bn = nullptr;
    ASN1_INTEGER* serial = nullptr;
    Time when(ASN1_TIME_set(nullptr, r.at.time_since_epoch().count()));
    ASN1_ENUMERATED* reason = ASN1_ENUMERATED_new();
    const bool ok = entry != nullptr && when && reason != nullptr &&
                    BN_hex2bn(&bn, r.serial_hex.c_str()) > 0 &&
                    (serial = BN_to_ASN1_INTEGER(bn, nullptr)) != nullptr &&
                    X509_REVOKED_set_serialNumber(entry, serial) == 1 &&
                    X509_REVOKED_set_revocationDate(entry, when.get()) == 1 &&
                    ASN1_ENUMERATED_set(reason, r.reason) == 1 &&
                    X509_REVOKED_add1_ext_i2d(entry, NID_crl_reason, reason, 0, 0) == 1 &&
                    X509_CRL_add0_revoked(crl.get(), entry) == 1;
    BN_free(bn);
    ASN1_INTEGER_free(serial);
    ASN1_ENUMERATED_free(reason);
    if (!ok) {
      X509_REVOKED_free(entry);
      return ossl::Internal("CRL entry " + r.serial_hex);
    }
  }
  X509_CRL_sort(crl.get());
  ASN1_INTEGER* crl_number = ASN1_INTEGER_new();
  const bool numbered = crl_number != nullptr && ASN1_INTEGER_set_int64(crl_number, number) == 1 &&
                        X509_CRL_add1_ext_i2d(crl.get(), NID_crl_number, crl_number, 0, 0) == 1;
  ASN1_INTEGER_free(crl_number);
  if (!numbered) return ossl::Internal("CRL number");
  // The authority key identifier, so that a verifier finds the right issuer key.
  X509V3_CTX ctx;
  X509V3_set_ctx(&ctx, issuer, nullptr, nullptr, crl.get(), 0);
  Ext aki(X509V3_EXT_conf_nid(nullptr, &ctx, NID_authority_key_identifier, "keyid:always"));
  if (!aki || X509_CRL_add_ext(crl.get(), aki.get(), -1) != 1) return ossl::Internal("CRL AKI");
  if (X509_CRL_sign(crl.get(), issuer_key, EVP_sha256()) <= 0) {
    return ossl::Internal("signing the CRL");
  }
  return crl;
}

}  // namespace tinhso::pki::internal
