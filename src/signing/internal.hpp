// Inside src/signing: the trust store loaded from the PKI, and the checks shared by the formats.
#pragma once

#include <openssl/cms.h>
#include <openssl/pkcs7.h>

#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "pki/openssl.hpp"
#include "signing/signing.hpp"

namespace tinhso::signing::internal {

// What verification trusts: the PKI's trust anchors, and every CA certificate it knows (to
// build chains whose intermediates a signature did not carry).
struct TrustStore {
  std::vector<pki::ossl::Cert> anchors;
  pki::ossl::CertStack intermediates;
};

// A signing key as OpenSSL uses it, with its certificate and chain.
struct ParsedKey {
  pki::ossl::Key key;
  pki::ossl::Cert certificate;
  pki::ossl::CertStack chain;
};

// kInvalidArgument "signing.empty_file": the file to sign (`to_sign`) or to check has no bytes.
Error EmptyFile(bool to_sign);

// Names from the signer's certificate into the report.
void DescribeSigner(X509* cert, SignatureReport& report);

// Adds a problem to the report.
inline void AddProblem(SignatureReport& report, std::string code, std::string vi, std::string en) {
  report.problems.push_back({std::move(code), std::move(vi), std::move(en)});
}

}  // namespace tinhso::signing::internal

namespace tinhso::signing {

struct Service::Impl {
  pki::Service& pki;
  const core::Clock& clock;
  std::string tsa_url;

  // Parsed forms kept between calls: OpenSSL 3 decodes keys and certificates through its
  // provider machinery, which costs more than an ECDSA signature, and the trust store and the
  // TSA's key took database reads on every signature. An entry is dropped when this process
  // changes the PKI (pki::Service::Generation) and after kFreshFor, for changes made by other
  // processes (the CLI, other servers). Revocation is never cached: it is read per signature.
  static constexpr std::chrono::seconds kFreshFor{60};
  struct Cached {
    std::mutex mutex;
    std::shared_ptr<const internal::TrustStore> trust;
    std::shared_ptr<const internal::ParsedKey> tsa;
    std::uint64_t trust_generation = 0, tsa_generation = 0;
    std::chrono::steady_clock::time_point trust_loaded, tsa_loaded;
    // Signing keys by the SHA-256 of their key and certificate DER.
    std::unordered_map<std::string, std::shared_ptr<const internal::ParsedKey>> keys;
  };
  std::unique_ptr<Cached> cached = std::make_unique<Cached>();

  // What verification trusts, parsed.
  Result<std::shared_ptr<const internal::TrustStore>> Trust() const;
  // `key` parsed (the caller checked the permission to use it).
  Result<std::shared_ptr<const internal::ParsedKey>> Parse(const pki::SigningKey& key) const;
  // The built-in TSA's key: the PKI's newest valid TSA certificate.
  Result<std::shared_ptr<const internal::ParsedKey>> TsaKey() const;
  // Verifies an RFC 3161 token over `imprint` (raw SHA-256) made by a trusted TSA; sets
  // timestamp_time. nullopt when good, else why not (in English, for the caller's problem).
  std::optional<std::string> CheckToken(PKCS7* token, std::string_view imprint,
                                        const internal::TrustStore& trust,
                                        SignatureReport& report) const;
  // Verifies a signatureTimeStampToken attribute, if there is one; sets timestamp_time.
  void CheckTimestamp(CMS_SignerInfo* si, const internal::TrustStore& trust,
                      SignatureReport& report) const;
  // The chain from `signer` to a trust anchor at the trusted time (the time-stamp's, else now),
  // then revocation of every certificate of the chain that our CAs issued.
  void CheckChain(X509* signer, STACK_OF(X509) * carried, const internal::TrustStore& trust,
                  SignatureReport& report) const;
};

}  // namespace tinhso::signing
