// Inside src/signing: the trust store loaded from the PKI, and the checks shared by the formats.
#pragma once

#include <openssl/cms.h>

#include <string>
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

// Raw 32-byte SHA-256.
std::string Sha256(std::string_view data);

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

  Result<internal::TrustStore> LoadTrust() const;
  // Verifies a signatureTimeStampToken attribute, if there is one; sets timestamp_time.
  void CheckTimestamp(CMS_SignerInfo* si, const internal::TrustStore& trust,
                      SignatureReport& report) const;
  // The chain from `signer` to a trust anchor at the trusted time (the time-stamp's, else now),
  // then revocation of every certificate of the chain that our CAs issued.
  void CheckChain(X509* signer, STACK_OF(X509) * carried, const internal::TrustStore& trust,
                  SignatureReport& report) const;
};

}  // namespace tinhso::signing
