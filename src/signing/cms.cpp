// CMS/CAdES detached signatures: signing with the PKI's keys, and verifying anyone's.
#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/ts.h>
#include <openssl/x509v3.h>

#include "core/crypto.hpp"
#include "signing/internal.hpp"

namespace tinhso::signing {
namespace {

using pki::ossl::Bio;
using pki::ossl::Cert;
using pki::ossl::CertStack;
using pki::ossl::Key;
using Cms = std::unique_ptr<CMS_ContentInfo, pki::ossl::Deleter<CMS_ContentInfo_free>>;

constexpr std::size_t kMaxCmsBytes = 4 << 20;
constexpr int kMaxSigners = 64;

Bio MemoryBio(std::string_view bytes) {
  return Bio(BIO_new_mem_buf(bytes.data(), static_cast<int>(bytes.size())));
}

void Add(SignatureReport& r, std::string code, std::string vi, std::string en) {
  r.problems.push_back({std::move(code), std::move(vi), std::move(en)});
}

// The signer's digest algorithm, or null when OpenSSL does not know it.
const EVP_MD* SignerDigest(CMS_SignerInfo* si) {
  X509_ALGOR* digest_alg = nullptr;
  CMS_SignerInfo_get0_algs(si, nullptr, nullptr, &digest_alg, nullptr);
  const ASN1_OBJECT* oid = nullptr;
  X509_ALGOR_get0(&oid, nullptr, nullptr, digest_alg);
  return oid != nullptr ? EVP_get_digestbyobj(oid) : nullptr;
}

// The messageDigest signed attribute equals the digest of `content` with the signer's digest
// algorithm. (CMS_SignerInfo_verify checks the signature over the signed attributes.)
bool DigestMatches(CMS_SignerInfo* si, std::string_view content) {
  const EVP_MD* md = SignerDigest(si);
  if (md == nullptr) return false;
  const auto* expected = static_cast<ASN1_OCTET_STRING*>(CMS_signed_get0_data_by_OBJ(
      si, OBJ_nid2obj(NID_pkcs9_messageDigest), -3, V_ASN1_OCTET_STRING));
  if (expected == nullptr) return false;
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  if (EVP_Digest(content.data(), content.size(), digest, &n, md, nullptr) != 1) return false;
  return static_cast<unsigned int>(ASN1_STRING_length(expected)) == n &&
         CRYPTO_memcmp(ASN1_STRING_get0_data(expected), digest, n) == 0;
}

// Without signed attributes (RFC 5652 5.4, `openssl cms -sign -noattr`) the signature is over
// the content's digest itself: it verifies with the signer's key. (CMS_SignerInfo_verify_content
// would do it too, but needs the content read through a digest for every algorithm the
// SignedData lists, as many as a hostile file likes.) RSA-PSS is not handled here.
bool SignatureOverContentMatches(CMS_SignerInfo* si, X509* signer, std::string_view content) {
  const EVP_MD* md = SignerDigest(si);
  EVP_PKEY* key = X509_get0_pubkey(signer);
  if (md == nullptr || key == nullptr) return false;
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  if (EVP_Digest(content.data(), content.size(), digest, &n, md, nullptr) != 1) return false;
  using PkeyCtx = std::unique_ptr<EVP_PKEY_CTX, pki::ossl::Deleter<EVP_PKEY_CTX_free>>;
  PkeyCtx ctx(EVP_PKEY_CTX_new(key, nullptr));
  const ASN1_OCTET_STRING* signature = CMS_SignerInfo_get0_signature(si);
  return ctx && EVP_PKEY_verify_init(ctx.get()) == 1 &&
         EVP_PKEY_CTX_set_signature_md(ctx.get(), md) == 1 &&
         EVP_PKEY_verify(ctx.get(), ASN1_STRING_get0_data(signature),
                         static_cast<std::size_t>(ASN1_STRING_length(signature)), digest, n) == 1;
}

void FreeStackOnly(STACK_OF(X509_ATTRIBUTE) * stack) { sk_X509_ATTRIBUTE_free(stack); }

// Removes the signingTime attribute and signs the remaining signed attributes again.
// CMS_SignerInfo_sign, which CMS_sign calls, always adds one; OpenSSL has no flag against it.
Result<void> SignWithoutSigningTime(CMS_SignerInfo* si, EVP_PKEY* key) {
  const int at = CMS_signed_get_attr_by_NID(si, NID_pkcs9_signingTime, -1);
  if (at < 0) return Ok();
  X509_ATTRIBUTE_free(CMS_signed_delete_attr(si, at));
  // What is signed is the DER of the attributes as a SET (RFC 5652 5.4), sorted as DER sorts a
  // SET OF; PKCS7_ATTR_SIGN encodes exactly that, and the SignerInfo is written in that order.
  // The attributes are borrowed from `si`: the stack is freed, not its items.
  std::unique_ptr<STACK_OF(X509_ATTRIBUTE), pki::ossl::Deleter<FreeStackOnly>> attributes(
      sk_X509_ATTRIBUTE_new_null());
  for (int i = 0; i < CMS_signed_get_attr_count(si); ++i) {
    if (!attributes || sk_X509_ATTRIBUTE_push(attributes.get(), CMS_signed_get_attr(si, i)) <= 0) {
      return pki::ossl::Internal("collecting the signed attributes");
    }
  }
  unsigned char* der = nullptr;
  const int der_length = ASN1_item_i2d(reinterpret_cast<ASN1_VALUE*>(attributes.get()), &der,
                                       ASN1_ITEM_rptr(PKCS7_ATTR_SIGN));
  if (der_length <= 0) return pki::ossl::Internal("encoding the signed attributes");
  const std::string encoded(reinterpret_cast<char*>(der), static_cast<std::size_t>(der_length));
  OPENSSL_free(der);
  const auto* signed_bytes = reinterpret_cast<const unsigned char*>(encoded.data());
  const EVP_MD* md = SignerDigest(si);
  using MdCtx = std::unique_ptr<EVP_MD_CTX, pki::ossl::Deleter<EVP_MD_CTX_free>>;
  MdCtx ctx(EVP_MD_CTX_new());
  std::size_t length = 0;
  if (md == nullptr || !ctx || EVP_DigestSignInit(ctx.get(), nullptr, md, nullptr, key) != 1 ||
      EVP_DigestSign(ctx.get(), nullptr, &length, signed_bytes, encoded.size()) != 1) {
    return pki::ossl::Internal("signing the signed attributes");
  }
  std::string signature(length, '\0');
  auto* out = reinterpret_cast<unsigned char*>(signature.data());
  if (EVP_DigestSign(ctx.get(), out, &length, signed_bytes, encoded.size()) != 1 ||
      ASN1_STRING_set(CMS_SignerInfo_get0_signature(si), out, static_cast<int>(length)) != 1) {
    return pki::ossl::Internal("signing the signed attributes");
  }
  return Ok();
}

std::optional<core::Seconds> SigningTime(CMS_SignerInfo* si) {
  const int at = CMS_signed_get_attr_by_NID(si, NID_pkcs9_signingTime, -1);
  if (at < 0) return std::nullopt;
  X509_ATTRIBUTE* attr = CMS_signed_get_attr(si, at);
  ASN1_TYPE* value = X509_ATTRIBUTE_get0_type(attr, 0);
  if (value == nullptr) return std::nullopt;
  const ASN1_TIME* t = nullptr;
  if (value->type == V_ASN1_UTCTIME) t = value->value.utctime;
  if (value->type == V_ASN1_GENERALIZEDTIME) t = value->value.generalizedtime;
  if (t == nullptr) return std::nullopt;
  return pki::ossl::ToTime(t);
}

}  // namespace

Result<std::string> Service::SignCms(std::string_view data, std::int64_t certificate_id,
                                     const core::Actor& actor, const CmsOptions& options) {
  TINHSO_ASSIGN_OR_RETURN(pki::SigningKey key, impl_->pki.KeyForSigning(certificate_id, actor));
  TINHSO_ASSIGN_OR_RETURN(std::string signature, SignCmsWithKey(data, key, options));
  TINHSO_RETURN_IF_ERROR(
      impl_->pki.RecordSignature(certificate_id, actor, "cms", core::Sha256Hex(data)));
  return signature;
}

Result<std::string> Service::SignCmsWithKey(std::string_view data, const pki::SigningKey& key,
                                            const CmsOptions& options) {
  if (data.empty()) return internal::EmptyFile(/*to_sign=*/true);
  TINHSO_ASSIGN_OR_RETURN(auto parsed, impl_->Parse(key));
  Bio in = MemoryBio(data);
  // CADES: the ESS signingCertificateV2 attribute binds the certificate to the signature.
  Cms cms(CMS_sign(parsed->certificate.get(), parsed->key.get(), parsed->chain.get(), in.get(),
                   CMS_DETACHED | CMS_BINARY | CMS_NOSMIMECAP | CMS_CADES));
  if (!cms) return pki::ossl::Internal("CMS_sign");
  CMS_SignerInfo* si = sk_CMS_SignerInfo_value(CMS_get0_SignerInfos(cms.get()), 0);
  if (!options.signing_time) {
    TINHSO_RETURN_IF_ERROR(SignWithoutSigningTime(si, parsed->key.get()));
  }
  // The time-stamp covers the final signature value, so it comes last.
  if (options.timestamp) {
    const ASN1_OCTET_STRING* signature = CMS_SignerInfo_get0_signature(si);
    const std::string digest = core::Sha256(
        std::string_view(reinterpret_cast<const char*>(ASN1_STRING_get0_data(signature)),
                         static_cast<std::size_t>(ASN1_STRING_length(signature))));
    TINHSO_ASSIGN_OR_RETURN(std::string token, TimeStamp(digest));
    // id-aa-signatureTimeStampToken (RFC 3161 appendix A): the token over the signature value.
    if (CMS_unsigned_add1_attr_by_NID(si, NID_id_smime_aa_timeStampToken, V_ASN1_SEQUENCE,
                                      token.data(), static_cast<int>(token.size())) != 1) {
      return pki::ossl::Internal("adding the time-stamp token");
    }
  }
  unsigned char* out = nullptr;
  const int n = i2d_CMS_ContentInfo(cms.get(), &out);
  if (n <= 0) return pki::ossl::Internal("CMS encoding");
  std::string der(reinterpret_cast<char*>(out), static_cast<std::size_t>(n));
  OPENSSL_free(out);
  return der;
}

Result<Verification> Service::VerifyCms(std::string_view data, std::string_view cms_der) const {
  if (cms_der.empty() || cms_der.size() > kMaxCmsBytes) {
    return MakeError(ErrorCode::kInvalidArgument, "signing.cms_malformed",
                     "Chữ ký CMS trống hoặc quá lớn (tối đa 4 MB).",
                     "The CMS signature is empty or too large (4 MB at most).");
  }
  const auto* p = reinterpret_cast<const unsigned char*>(cms_der.data());
  Cms cms(d2i_CMS_ContentInfo(nullptr, &p, static_cast<long>(cms_der.size())));
  if (!cms || OBJ_obj2nid(CMS_get0_type(cms.get())) != NID_pkcs7_signed) {
    return pki::ossl::Failure(ErrorCode::kInvalidArgument, "signing.cms_malformed",
                              "Không đọc được chữ ký: không phải CMS SignedData hợp lệ.",
                              "The signature cannot be read: it is not valid CMS SignedData.");
  }
  ERR_clear_error();
  TINHSO_ASSIGN_OR_RETURN(auto trusted, impl_->Trust());
  const internal::TrustStore& trust = *trusted;
  Verification v;
  v.format = "cms";
  const bool detached = CMS_is_detached(cms.get()) == 1;
  if (detached && data.empty()) {
    return MakeError(ErrorCode::kInvalidArgument, "signing.content_required",
                     "Đây là chữ ký tách rời: cần cả tệp đã được ký.",
                     "This is a detached signature: the signed file is needed too.");
  }
  CertStack embedded(CMS_get1_certs(cms.get()));
  STACK_OF(CMS_SignerInfo)* infos = CMS_get0_SignerInfos(cms.get());
  // Anyone may ask (the public verify page): each signer costs a chain build and a database read,
  // and real documents carry a handful.
  if (sk_CMS_SignerInfo_num(infos) > kMaxSigners) {
    return MakeError(
        ErrorCode::kInvalidArgument, "signing.too_many_signers",
        "Tệp CMS có quá nhiều chữ ký (tối đa " + std::to_string(kMaxSigners) + ").",
        "The CMS file holds too many signatures (" + std::to_string(kMaxSigners) + " at most).");
  }
  for (int i = 0; i < sk_CMS_SignerInfo_num(infos); ++i) {
    CMS_SignerInfo* si = sk_CMS_SignerInfo_value(infos, i);
    SignatureReport r;
    r.format = "cms";
    // The signer's certificate: among the embedded ones, matched by the signer identifier.
    X509* signer = nullptr;
    for (int c = 0; embedded && c < sk_X509_num(embedded.get()); ++c) {
      if (CMS_SignerInfo_cert_cmp(si, sk_X509_value(embedded.get(), c)) == 0) {
        signer = sk_X509_value(embedded.get(), c);
      }
    }
    if (signer == nullptr) {
      Add(r, "no_certificate", "Chữ ký không kèm chứng thư số của người ký.",
          "The signature does not carry the signer's certificate.");
      v.signatures.push_back(std::move(r));
      continue;
    }
    CMS_SignerInfo_set1_signer_cert(si, signer);
    internal::DescribeSigner(signer, r);
    r.claimed_time = SigningTime(si);
    // 1. Integrity: the signature matches the signed attributes and their messageDigest the
    //    content, or, without signed attributes, the signature matches the content itself.
    std::string_view content = data;
    if (!detached) {
      ASN1_OCTET_STRING** attached = CMS_get0_content(cms.get());
      content =
          attached != nullptr && *attached != nullptr
              ? std::string_view(reinterpret_cast<const char*>(ASN1_STRING_get0_data(*attached)),
                                 static_cast<std::size_t>(ASN1_STRING_length(*attached)))
              : std::string_view();
    }
    r.integrity_ok = CMS_signed_get_attr_count(si) > 0
                         ? CMS_SignerInfo_verify(si) == 1 && DigestMatches(si, content)
                         : SignatureOverContentMatches(si, signer, content);
    if (!r.integrity_ok) {
      Add(r, "integrity", "Nội dung đã bị thay đổi sau khi ký, hoặc chữ ký không khớp với tệp này.",
          "The content was changed after signing, or the signature does not belong to this "
          "file.");
    }
    ERR_clear_error();
    // 2. The time-stamp, if any: a trusted time for the rest.
    impl_->CheckTimestamp(si, trust, r);
    // 3. The chain to a trust anchor, valid at the signing time (time-stamp, else now), and
    //    revocation from our own CAs' records.
    impl_->CheckChain(signer, embedded.get(), trust, r);
    r.valid = r.integrity_ok && r.chain_ok && !r.revoked && r.problems.empty();
    v.signatures.push_back(std::move(r));
  }
  if (v.signatures.empty()) {
    return MakeError(ErrorCode::kInvalidArgument, "signing.cms_malformed",
                     "Tệp CMS không có chữ ký nào.", "The CMS file holds no signature.");
  }
  return v;
}

}  // namespace tinhso::signing
