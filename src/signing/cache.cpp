// Parsed trust store and keys, kept between calls (see Service::Impl::Cached).
#include "core/crypto.hpp"
#include "signing/internal.hpp"

namespace tinhso::signing {
namespace {

using pki::ossl::Cert;
using Clock = std::chrono::steady_clock;

bool Fresh(const void* entry, std::uint64_t generation, Clock::time_point loaded,
           const pki::Service& pki, std::chrono::seconds fresh_for) {
  return entry != nullptr && generation == pki.Generation() && Clock::now() - loaded < fresh_for;
}

Result<std::shared_ptr<const internal::ParsedKey>> ParseKey(const pki::SigningKey& key) {
  auto parsed = std::make_shared<internal::ParsedKey>();
  TINHSO_ASSIGN_OR_RETURN(parsed->key, pki::ossl::ParsePrivateKey(key.private_key_der));
  TINHSO_ASSIGN_OR_RETURN(parsed->certificate, pki::ossl::ParseCertificate(key.certificate_der));
  parsed->chain.reset(sk_X509_new_null());
  for (const std::string& der : key.chain_der) {
    TINHSO_ASSIGN_OR_RETURN(Cert ca, pki::ossl::ParseCertificate(der));
    sk_X509_push(parsed->chain.get(), ca.release());
  }
  return std::shared_ptr<const internal::ParsedKey>(std::move(parsed));
}

}  // namespace

Result<std::shared_ptr<const internal::TrustStore>> Service::Impl::Trust() const {
  {
    std::lock_guard lock(cached->mutex);
    if (Fresh(cached->trust.get(), cached->trust_generation, cached->trust_loaded, pki,
              kFreshFor)) {
      return cached->trust;
    }
  }
  // Read before loading: a change during the load leaves the entry already stale.
  const std::uint64_t generation = pki.Generation();
  auto trust = std::make_shared<internal::TrustStore>();
  TINHSO_ASSIGN_OR_RETURN(auto anchors, pki.TrustAnchors());
  for (const pki::Certificate& c : anchors) {
    TINHSO_ASSIGN_OR_RETURN(Cert cert, pki::ossl::ParseCertificate(c.der));
    trust->anchors.push_back(std::move(cert));
  }
  trust->intermediates.reset(sk_X509_new_null());
  TINHSO_ASSIGN_OR_RETURN(auto cas, pki.Intermediates());
  for (const pki::Certificate& c : cas) {
    if (c.trusted) continue;
    TINHSO_ASSIGN_OR_RETURN(Cert cert, pki::ossl::ParseCertificate(c.der));
    sk_X509_push(trust->intermediates.get(), cert.release());
  }
  std::lock_guard lock(cached->mutex);
  cached->trust = std::move(trust);
  cached->trust_generation = generation;
  cached->trust_loaded = Clock::now();
  return cached->trust;
}

Result<std::shared_ptr<const internal::ParsedKey>> Service::Impl::Parse(
    const pki::SigningKey& key) const {
  const std::string id = core::Sha256(key.private_key_der + key.certificate_der);
  {
    std::lock_guard lock(cached->mutex);
    auto it = cached->keys.find(id);
    if (it != cached->keys.end()) return it->second;
  }
  TINHSO_ASSIGN_OR_RETURN(auto parsed, ParseKey(key));
  std::lock_guard lock(cached->mutex);
  if (cached->keys.size() >= 1024) cached->keys.clear();  // a bound, not an eviction policy
  cached->keys.emplace(id, parsed);
  return parsed;
}

Result<std::shared_ptr<const internal::ParsedKey>> Service::Impl::TsaKey() const {
  const auto now = clock.Now();
  {
    std::lock_guard lock(cached->mutex);
    if (Fresh(cached->tsa.get(), cached->tsa_generation, cached->tsa_loaded, pki, kFreshFor) &&
        pki::ossl::ToTime(X509_get0_notAfter(cached->tsa->certificate.get())) > now) {
      return cached->tsa;
    }
  }
  const std::uint64_t generation = pki.Generation();
  pki::ListQuery q;
  q.kind = pki::Kind::kTsa;
  TINHSO_ASSIGN_OR_RETURN(auto tsas, pki.List(q));
  if (tsas.empty()) {
    return MakeError(ErrorCode::kFailedPrecondition, "signing.no_tsa",
                     "Chưa có chứng thư dịch vụ cấp dấu thời gian: cấp một chứng thư loại tsa "
                     "(tinhso pki issue --kind tsa).",
                     "There is no time-stamping certificate yet: issue one of kind tsa "
                     "(tinhso pki issue --kind tsa).");
  }
  TINHSO_ASSIGN_OR_RETURN(pki::SigningKey key,
                          pki.KeyForSigning(tsas.back().id, core::SystemActor()));
  TINHSO_ASSIGN_OR_RETURN(auto parsed, ParseKey(key));
  std::lock_guard lock(cached->mutex);
  cached->tsa = parsed;
  cached->tsa_generation = generation;
  cached->tsa_loaded = Clock::now();
  return parsed;
}

}  // namespace tinhso::signing
