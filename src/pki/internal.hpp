// Inside src/pki: building keys, certificates and CRLs (x509.cpp), sealing keys (seal.cpp).
#pragma once

#include <array>
#include <chrono>
#include <string>
#include <vector>

#include "pki/openssl.hpp"
#include "pki/pki.hpp"

namespace tinhso::pki::internal {

Result<ossl::Key> GenerateKey(KeyType type);

struct CertSpec {
  Kind kind = Kind::kOfficial;
  const Subject* subject = nullptr;
  EVP_PKEY* subject_key = nullptr;  // its public half goes into the certificate
  X509* issuer = nullptr;           // nullptr: self-signed (the root)
  EVP_PKEY* issuer_key = nullptr;   // signs the certificate
  std::chrono::sys_seconds not_before{};
  std::chrono::sys_seconds not_after{};
  std::string crl_url;  // the issuer's CRL distribution point; empty for the root
  // subjectAltName entries as X509v3 configuration ("DNS:lgsp.example.vn", "IP:127.0.0.1"),
  // already checked (CheckAltNames): nothing here may carry a comma.
  std::vector<std::string> alt_names;
};
Result<ossl::Cert> BuildCertificate(const CertSpec& spec);

struct RevokedEntry {
  std::string serial_hex;
  std::chrono::sys_seconds at{};
  int reason = 0;
};
Result<ossl::Crl> BuildCrl(X509* issuer, EVP_PKEY* issuer_key,
                           const std::vector<RevokedEntry>& revoked, std::int64_t number,
                           std::chrono::sys_seconds this_update,
                           std::chrono::sys_seconds next_update);

// libsodium secretbox: nonce || ciphertext. Open errors: kInternal (wrong master key or
// tampered row: either way the key cannot be used).
std::string Seal(std::string_view plain, const std::array<unsigned char, 32>& key);
Result<std::string> Open(std::string_view sealed, const std::array<unsigned char, 32>& key);

std::string KeyTypeOf(EVP_PKEY* key);  // "ec-p256", "rsa-3072" or "other"

// A system certificate's DNS names and IP addresses as subjectAltName entries ("DNS:…",
// "IP:…"), each checked. Errors: kInvalidArgument "pki.alt_name_invalid".
Result<std::vector<std::string>> CheckAltNames(const std::vector<std::string>& dns_names,
                                               const std::vector<std::string>& ip_addresses);
// The DNS names and IP addresses a certificate's subjectAltName lists (for a renewal).
void AltNamesOf(X509* cert, std::vector<std::string>& dns_names,
                std::vector<std::string>& ip_addresses);

}  // namespace tinhso::pki::internal
