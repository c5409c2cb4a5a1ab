// The message log's signatures and hash tree. Raw signatures rather than CMS: one per commit batch,
// so they must be cheap, and `openssl dgst -sha256 -verify` checks them with the signer's public
// key, which the evidence package carries with its certificate chain.
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "core/crypto.hpp"
#include "gateway/internal.hpp"
#include "pki/openssl.hpp"
#include "pki/pki.hpp"

namespace tinhso::gateway {

namespace ossl = pki::ossl;
using MdCtx = std::unique_ptr<EVP_MD_CTX, ossl::Deleter<EVP_MD_CTX_free>>;

struct RecordSigner::Key {
  ossl::Key key;
  std::int64_t certificate_id = 0;
};

RecordSigner::RecordSigner(pki::Service& pki, std::function<Result<std::int64_t>()> certificate)
    : pki_(pki), certificate_(std::move(certificate)) {}
RecordSigner::~RecordSigner() = default;

Result<RecordSigner::Signature> RecordSigner::Sign(std::string_view bytes) {
  std::shared_ptr<Key> key;
  {
    std::lock_guard lock(mutex_);
    // Parsed once: OpenSSL 3's decoders cost far more than a signature. A renewal or a
    // revocation moves the PKI's generation, and the key is read again.
    if (key_ == nullptr || generation_ != pki_.Generation()) {
      const std::uint64_t generation = pki_.Generation();
      if (!certificate_) return InternalError("gateway: no signer configured");
      TINHSO_ASSIGN_OR_RETURN(std::int64_t id, certificate_());
      TINHSO_ASSIGN_OR_RETURN(pki::SigningKey k, pki_.KeyForSigning(id, core::SystemActor()));
      auto parsed = std::make_shared<Key>();
      parsed->certificate_id = id;
      TINHSO_ASSIGN_OR_RETURN(parsed->key, ossl::ParsePrivateKey(k.private_key_der));
      key_ = std::move(parsed);
      generation_ = generation;
    }
    key = key_;
  }
  MdCtx ctx(EVP_MD_CTX_new());
  std::size_t size = 0;
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key->key.get()) != 1 ||
      EVP_DigestSign(ctx.get(), nullptr, &size,
                     reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size()) != 1) {
    return ossl::Internal("gateway log signature");
  }
  std::string signature(size, '\0');
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(signature.data()), &size,
                     reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size()) != 1) {
    return ossl::Internal("gateway log signature");
  }
  signature.resize(size);
  return Signature{.bytes = std::move(signature), .certificate_id = key->certificate_id};
}

namespace {

Result<bool> VerifyWith(const ossl::Cert& cert, std::string_view bytes,
                        std::string_view signature) {
  EVP_PKEY* key = X509_get0_pubkey(cert.get());
  MdCtx ctx(EVP_MD_CTX_new());
  if (key == nullptr || !ctx ||
      EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key) != 1) {
    return ossl::Internal("gateway log verification");
  }
  const int ok = EVP_DigestVerify(
      ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()), signature.size(),
      reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
  ERR_clear_error();
  return ok == 1;
}

}  // namespace

Result<bool> VerifyRecordSignature(std::string_view bytes, std::string_view signature,
                                   std::string_view certificate_der) {
  TINHSO_ASSIGN_OR_RETURN(ossl::Cert cert, ossl::ParseCertificate(certificate_der));
  return VerifyWith(cert, bytes, signature);
}

struct CertificateCache::Entry {
  std::int64_t agency_id = 0;
  ossl::Cert cert;
};

CertificateCache::CertificateCache(pki::Service& pki) : pki_(pki) {}
CertificateCache::~CertificateCache() = default;

Result<const CertificateCache::Entry*> CertificateCache::Get(std::int64_t id) {
  auto it = known_.find(id);
  if (it == known_.end()) {
    TINHSO_ASSIGN_OR_RETURN(pki::Certificate c, pki_.Get(id));
    auto entry = std::make_unique<Entry>();
    TINHSO_ASSIGN_OR_RETURN(entry->cert, ossl::ParseCertificate(c.der));
    entry->agency_id = c.agency_id;
    it = known_.emplace(id, std::move(entry)).first;
  }
  return it->second.get();
}

Result<std::int64_t> CertificateCache::AgencyOf(std::int64_t id) {
  TINHSO_ASSIGN_OR_RETURN(const Entry* e, Get(id));
  return e->agency_id;
}

Result<bool> CertificateCache::Verify(std::int64_t id, std::string_view bytes,
                                      std::string_view signature) {
  TINHSO_ASSIGN_OR_RETURN(const Entry* e, Get(id));
  return VerifyWith(e->cert, bytes, signature);
}

Result<std::pair<std::string, std::string>> CertificateDigest(std::string_view pem_or_der) {
  auto cert = ossl::ParseCertificate(pem_or_der);
  if (!cert.ok()) {
    return MakeError(ErrorCode::kInvalidArgument, "gateway.certificate_invalid",
                     "Tệp không phải chứng thư số (PEM hoặc DER).",
                     "The file is not a certificate (PEM or DER).");
  }
  std::string der = ossl::ToDer(cert->get());
  std::string digest = core::Sha256Hex(der);
  return std::pair{std::move(digest), std::move(der)};
}

namespace {

std::string Leaf(const std::string& hash) { return core::Sha256(std::string(1, '\0') + hash); }
std::string Node(const std::string& left, const std::string& right) {
  return core::Sha256(std::string(1, '\1') + left + right);
}

// One level up: pairs hashed, an odd last node carried up unchanged.
std::vector<std::string> Up(const std::vector<std::string>& level) {
  std::vector<std::string> next;
  next.reserve((level.size() + 1) / 2);
  for (std::size_t i = 0; i < level.size(); i += 2) {
    next.push_back(i + 1 < level.size() ? Node(level[i], level[i + 1]) : level[i]);
  }
  return next;
}

std::vector<std::string> Leaves(const std::vector<std::string>& hashes) {
  std::vector<std::string> level;
  level.reserve(hashes.size());
  for (const std::string& h : hashes) level.push_back(Leaf(h));
  return level;
}

}  // namespace

std::string MerkleRoot(const std::vector<std::string>& leaves_raw) {
  if (leaves_raw.empty()) return core::Sha256("");
  std::vector<std::string> level = Leaves(leaves_raw);
  while (level.size() > 1) level = Up(level);
  return level[0];
}

std::vector<ProofStep> MerkleProof(const std::vector<std::string>& leaves_raw, std::size_t index) {
  std::vector<ProofStep> proof;
  std::vector<std::string> level = Leaves(leaves_raw);
  while (level.size() > 1) {
    const std::size_t sibling = index ^ 1;
    if (sibling < level.size()) {
      proof.push_back({.sibling_on_left = sibling < index, .sibling = level[sibling]});
    }
    level = Up(level);
    index /= 2;
  }
  return proof;
}

}  // namespace tinhso::gateway
