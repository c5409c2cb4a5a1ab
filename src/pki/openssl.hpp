// OpenSSL 3 helpers shared by src/pki and src/signing (not part of either public header):
// owning pointers, errors as values with OpenSSL's own reason in the detail, DER in and out.
#pragma once

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace tinhso::pki::ossl {

template <auto Free>
struct Deleter {
  template <typename T>
  void operator()(T* p) const {
    Free(p);
  }
};
using Bio = std::unique_ptr<BIO, Deleter<BIO_free_all>>;
using Key = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY_free>>;
using Cert = std::unique_ptr<X509, Deleter<X509_free>>;
using Crl = std::unique_ptr<X509_CRL, Deleter<X509_CRL_free>>;
using Name = std::unique_ptr<X509_NAME, Deleter<X509_NAME_free>>;
inline void FreeCertStack(STACK_OF(X509) * s) { sk_X509_pop_free(s, X509_free); }
using CertStack = std::unique_ptr<STACK_OF(X509), Deleter<FreeCertStack>>;

// An error whose detail carries OpenSSL's queued reasons (which it then clears).
Error Failure(ErrorCode code, std::string_view reason, std::string_view vi, std::string_view en);
// For failures that mean a bug or an exhausted machine rather than bad input.
Error Internal(std::string_view what);

Result<Cert> ParseCertificate(std::string_view der_or_pem);
std::string ToDer(X509* cert);
std::string ToDer(X509_CRL* crl);
Result<Key> ParsePrivateKey(std::string_view pkcs8_der);
std::string PrivateKeyToDer(EVP_PKEY* key);  // PKCS#8

// RFC 2253 with UTF-8 kept as UTF-8 (not \\-escaped): what people read and what we compare.
std::string NameText(const X509_NAME* name);
std::string SerialHex(const X509* cert);
std::chrono::sys_seconds ToTime(const ASN1_TIME* t);
// A random positive 127-bit serial (certificates, time-stamps), or nullptr if the CSPRNG fails.
// The caller owns it (ASN1_INTEGER_free).
ASN1_INTEGER* NewRandomSerial();

}  // namespace tinhso::pki::ossl
