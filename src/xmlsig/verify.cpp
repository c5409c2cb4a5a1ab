// Verification: every ds:Signature of a document, each checked with the key of a certificate it
// carries. xmlsec checks the digests and the signature value; which certificate is trusted is
// not its business here (the caller judges the chain), so no keys manager and no X.509 store
// take part: the key is set on the context before xmlsec looks at KeyInfo, and KeyInfo is read
// by this file.
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <xmlsec/crypto.h>
#include <xmlsec/keys.h>
#include <xmlsec/openssl/evp.h>
#include <xmlsec/transforms.h>
#include <xmlsec/xmldsig.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <optional>

#include "xmlsig/internal.hpp"
#include "xmlsig/xmlsig.hpp"

namespace tinhso::xmlsig {
namespace {

using internal::Attribute;
using internal::HasAttribute;
using internal::IsElement;
using internal::kDsigNamespace;
using internal::NextElement;
using internal::Text;
using Cert = std::unique_ptr<X509, internal::Deleter<X509_free>>;
using DsigCtx = std::unique_ptr<xmlSecDSigCtx, internal::Deleter<xmlSecDSigCtxDestroy>>;

constexpr int kMaxReferences = 4;
constexpr int kMaxTransforms = 4;
constexpr int kMaxCertificates = 16;
constexpr int kMaxSignerCandidates = 4;

// What a verified signature may use. Everything else, XSLT and XPath above all (they can read
// files and run without bound), is refused before xmlsec sees it, and again by xmlsec itself.
std::array<xmlSecTransformId, 6> Canonicalizations() {
  return {xmlSecTransformExclC14NId,   xmlSecTransformExclC14NWithCommentsId,
          xmlSecTransformInclC14NId,   xmlSecTransformInclC14NWithCommentsId,
          xmlSecTransformInclC14N11Id, xmlSecTransformInclC14N11WithCommentsId};
}
std::array<xmlSecTransformId, 8> SignatureMethods() {
  return {xmlSecTransformRsaSha1Id,     xmlSecTransformRsaSha256Id,  xmlSecTransformRsaSha384Id,
          xmlSecTransformRsaSha512Id,   xmlSecTransformEcdsaSha1Id,  xmlSecTransformEcdsaSha256Id,
          xmlSecTransformEcdsaSha384Id, xmlSecTransformEcdsaSha512Id};
}
std::array<xmlSecTransformId, 4> DigestMethods() {
  return {xmlSecTransformSha1Id, xmlSecTransformSha256Id, xmlSecTransformSha384Id,
          xmlSecTransformSha512Id};
}

template <std::size_t N>
xmlSecTransformId Find(const std::array<xmlSecTransformId, N>& ids, std::string_view href) {
  for (xmlSecTransformId id : ids) {
    if (id->href != nullptr && href == Text(id->href)) return id;
  }
  return nullptr;
}

void Fail(SignatureInfo& info, std::string problem, std::string vi, std::string en,
          std::string detail = {}) {
  info.integrity_ok = false;
  info.problem = std::move(problem);
  info.problem_vi = std::move(vi);
  info.problem_en = std::move(en);
  info.detail = std::move(detail);
}

void Unsupported(SignatureInfo& info, const std::string& what_vi, const std::string& what_en) {
  Fail(info, "unsupported", "Chữ ký dùng " + what_vi + ", không được chấp nhận.",
       "The signature uses " + what_en + ", which is not accepted.");
}

// Every ds:Signature element, in document order (iterative: depth is bounded anyway).
std::vector<xmlNode*> FindSignatures(xmlNode* root) {
  std::vector<xmlNode*> found;
  xmlNode* node = root;
  while (node != nullptr) {
    if (IsElement(node, "Signature", kDsigNamespace)) found.push_back(node);
    if (node->children != nullptr && node->type == XML_ELEMENT_NODE) {
      node = node->children;
      continue;
    }
    while (node != nullptr && node != root && node->next == nullptr) node = node->parent;
    if (node == nullptr || node == root) break;
    node = node->next;
  }
  return found;
}

std::string PathOf(const xmlNode* node) {
  std::string path;
  for (; node != nullptr && node->type == XML_ELEMENT_NODE; node = node->parent) {
    path = "/" + std::string(Text(node->name)) + path;
  }
  return path;
}

std::string UpperName(xmlSecTransformId id) {
  std::string name = Text(id->name);
  for (char& c : name) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return name;
}

// SignedInfo: records the algorithms and refuses what this verifier does not accept. False
// (with the problem set) on refusal.
bool ReadSignedInfo(xmlNode* signature, SignatureInfo& info) {
  xmlNode* signed_info = NextElement(signature->children);
  if (!IsElement(signed_info, "SignedInfo", kDsigNamespace)) {
    Fail(info, "structure", "Chữ ký thiếu phần SignedInfo.",
         "The signature has no SignedInfo element.");
    return false;
  }
  xmlNode* c14n = NextElement(signed_info->children);
  xmlNode* method = c14n != nullptr ? NextElement(c14n->next) : nullptr;
  if (!IsElement(c14n, "CanonicalizationMethod", kDsigNamespace) ||
      !IsElement(method, "SignatureMethod", kDsigNamespace)) {
    Fail(info, "structure", "SignedInfo thiếu CanonicalizationMethod hoặc SignatureMethod.",
         "SignedInfo lacks CanonicalizationMethod or SignatureMethod.");
    return false;
  }
  info.canonicalization = Attribute(c14n, "Algorithm");
  info.signature_method = Attribute(method, "Algorithm");
  if (Find(Canonicalizations(), info.canonicalization) == nullptr) {
    Unsupported(info, "phương pháp chuẩn hóa \"" + info.canonicalization + "\"",
                "the canonicalization \"" + info.canonicalization + "\"");
    return false;
  }
  const xmlSecTransformId signature_id = Find(SignatureMethods(), info.signature_method);
  if (signature_id == nullptr) {
    Unsupported(info, "thuật toán ký \"" + info.signature_method + "\"",
                "the signature algorithm \"" + info.signature_method + "\"");
    return false;
  }
  info.signature_algorithm = UpperName(signature_id);
  info.uses_sha1 =
      signature_id == xmlSecTransformRsaSha1Id || signature_id == xmlSecTransformEcdsaSha1Id;
  int references = 0;
  for (xmlNode* ref = NextElement(method->next); ref != nullptr; ref = NextElement(ref->next)) {
    if (!IsElement(ref, "Reference", kDsigNamespace)) break;  // xmlsec reports the stray node
    if (++references > kMaxReferences) {
      Unsupported(info, "quá nhiều tham chiếu (Reference)", "too many References");
      return false;
    }
    // Only the document itself: a URI would fetch something else (a file, a URL), and a
    // fragment signs a part that the rest of the document could be wrapped around.
    if (!HasAttribute(ref, "URI") || !Attribute(ref, "URI").empty()) {
      const std::string uri = HasAttribute(ref, "URI") ? Attribute(ref, "URI") : "(none)";
      Unsupported(info,
                  "tham chiếu URI=\"" + uri +
                      "\" (chỉ chấp nhận chữ ký trên toàn bộ tài "
                      "liệu, URI=\"\")",
                  "the reference URI=\"" + uri +
                      "\" (only whole-document signatures, URI=\"\", are accepted)");
      return false;
    }
    bool enveloped = false;
    int transforms = 0;
    xmlNode* child = NextElement(ref->children);
    if (IsElement(child, "Transforms", kDsigNamespace)) {
      for (xmlNode* t = NextElement(child->children); t != nullptr; t = NextElement(t->next)) {
        const std::string algorithm = Attribute(t, "Algorithm");
        const bool is_enveloped = algorithm == Text(xmlSecTransformEnvelopedId->href);
        if (++transforms > kMaxTransforms ||
            (!is_enveloped && Find(Canonicalizations(), algorithm) == nullptr)) {
          Unsupported(info, "phép biến đổi \"" + algorithm + "\"",
                      "the transform \"" + algorithm + "\"");
          return false;
        }
        enveloped = enveloped || is_enveloped;
      }
      child = NextElement(child->next);
    }
    if (!enveloped) {
      Unsupported(info, "tham chiếu không có phép biến đổi enveloped-signature",
                  "a reference without the enveloped-signature transform");
      return false;
    }
    const std::string digest = IsElement(child, "DigestMethod", kDsigNamespace)
                                   ? Attribute(child, "Algorithm")
                                   : std::string();
    const xmlSecTransformId digest_id = Find(DigestMethods(), digest);
    if (digest_id == nullptr) {
      Unsupported(info, "thuật toán băm \"" + digest + "\"", "the digest \"" + digest + "\"");
      return false;
    }
    info.uses_sha1 = info.uses_sha1 || digest_id == xmlSecTransformSha1Id;
    info.digests.push_back(digest);
  }
  if (references == 0) {
    Fail(info, "structure", "SignedInfo không có tham chiếu nào.", "SignedInfo has no Reference.");
    return false;
  }
  return true;
}

std::optional<std::string> DecodeBase64(std::string_view text) {
  std::string compact;
  for (char c : text) {
    if (c != ' ' && c != '\t' && c != '\r' && c != '\n') compact.push_back(c);
  }
  if (compact.empty() || compact.size() % 4 != 0) return std::nullopt;
  std::string out(compact.size() / 4 * 3, '\0');
  const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(compact.data()),
                                static_cast<int>(compact.size()));
  if (n < 0) return std::nullopt;
  std::size_t size = static_cast<std::size_t>(n);
  if (compact.back() == '=') --size;
  if (compact[compact.size() - 2] == '=') --size;
  out.resize(size);
  return out;
}

// KeyInfo/X509Data/X509Certificate, in document order.
bool ReadCertificates(xmlNode* signature, std::vector<Cert>& certs, std::vector<std::string>& ders,
                      SignatureInfo& info) {
  for (xmlNode* key_info = NextElement(signature->children); key_info != nullptr;
       key_info = NextElement(key_info->next)) {
    if (!IsElement(key_info, "KeyInfo", kDsigNamespace)) continue;
    for (xmlNode* data = NextElement(key_info->children); data != nullptr;
         data = NextElement(data->next)) {
      if (!IsElement(data, "X509Data", kDsigNamespace)) continue;
      for (xmlNode* c = NextElement(data->children); c != nullptr; c = NextElement(c->next)) {
        if (!IsElement(c, "X509Certificate", kDsigNamespace)) continue;
        if (static_cast<int>(certs.size()) >= kMaxCertificates) break;
        const std::optional<std::string> der = DecodeBase64(internal::Content(c));
        const auto* p = der ? reinterpret_cast<const unsigned char*>(der->data()) : nullptr;
        Cert cert(der ? d2i_X509(nullptr, &p, static_cast<long>(der->size())) : nullptr);
        if (!cert || p != reinterpret_cast<const unsigned char*>(der->data()) + der->size()) {
          ERR_clear_error();
          Fail(info, "certificate", "Không đọc được chứng thư số kèm theo chữ ký.",
               "A certificate carried with the signature cannot be read.");
          return false;
        }
        certs.push_back(std::move(cert));
        ders.push_back(*der);
      }
    }
  }
  return true;
}

// The carried certificates most likely to be the signer's first: those that issued none of the
// others (the end of the chain), then the rest.
std::vector<std::size_t> SignerCandidates(const std::vector<Cert>& certs) {
  std::vector<std::size_t> leaves, others;
  for (std::size_t i = 0; i < certs.size(); ++i) {
    bool issued_another = false;
    for (std::size_t j = 0; j < certs.size() && !issued_another; ++j) {
      issued_another = i != j && X509_check_issued(certs[i].get(), certs[j].get()) == X509_V_OK;
    }
    (issued_another ? others : leaves).push_back(i);
  }
  leaves.insert(leaves.end(), others.begin(), others.end());
  return leaves;
}

enum class Outcome { kValid, kDigest, kSignatureValue, kError };

bool Restrict(xmlSecDSigCtx& ctx) {
  ctx.flags |= XMLSEC_DSIG_FLAGS_IGNORE_MANIFESTS;
  ctx.enabledReferenceUris = xmlSecTransformUriTypeEmpty;
  for (xmlSecTransformId id : Canonicalizations()) {
    if (xmlSecDSigCtxEnableSignatureTransform(&ctx, id) < 0) return false;
    if (xmlSecDSigCtxEnableReferenceTransform(&ctx, id) < 0) return false;
  }
  for (xmlSecTransformId id : SignatureMethods()) {
    if (xmlSecDSigCtxEnableSignatureTransform(&ctx, id) < 0) return false;
  }
  for (xmlSecTransformId id : DigestMethods()) {
    if (xmlSecDSigCtxEnableReferenceTransform(&ctx, id) < 0) return false;
  }
  return xmlSecDSigCtxEnableReferenceTransform(&ctx, xmlSecTransformEnvelopedId) >= 0;
}

Outcome VerifyWith(xmlNode* signature, X509* cert, std::string& detail) {
  internal::ErrorCapture capture;
  EVP_PKEY* public_key = X509_get_pubkey(cert);  // a new reference
  if (public_key == nullptr) {
    ERR_clear_error();
    detail = "the certificate's public key cannot be read";
    return Outcome::kError;
  }
  xmlSecKeyDataPtr data = xmlSecOpenSSLEvpKeyAdopt(public_key);
  if (data == nullptr) {
    EVP_PKEY_free(public_key);
    detail = "unsupported key type: " + capture.First();
    return Outcome::kError;
  }
  xmlSecKeyPtr key = xmlSecKeyCreate();
  if (key == nullptr || xmlSecKeySetValue(key, data) < 0) {
    xmlSecKeyDataDestroy(data);
    if (key != nullptr) xmlSecKeyDestroy(key);
    detail = "xmlSecKeySetValue: " + capture.First();
    return Outcome::kError;
  }
  DsigCtx ctx(xmlSecDSigCtxCreate(nullptr));
  if (!ctx) {
    xmlSecKeyDestroy(key);
    detail = "xmlSecDSigCtxCreate failed";
    return Outcome::kError;
  }
  ctx->signKey = key;  // the context owns it now; KeyInfo is not consulted
  if (!Restrict(*ctx)) {
    detail = "cannot restrict the transforms: " + capture.First();
    return Outcome::kError;
  }
  if (xmlSecDSigCtxVerify(ctx.get(), signature) < 0) {
    detail = capture.First();
    ERR_clear_error();
    return Outcome::kError;
  }
  ERR_clear_error();
  if (ctx->status == xmlSecDSigStatusSucceeded) return Outcome::kValid;
  for (xmlSecSize i = 0; i < xmlSecPtrListGetSize(&ctx->signedInfoReferences); ++i) {
    auto* ref =
        static_cast<xmlSecDSigReferenceCtxPtr>(xmlSecPtrListGetItem(&ctx->signedInfoReferences, i));
    if (ref != nullptr && ref->status != xmlSecDSigStatusSucceeded) return Outcome::kDigest;
  }
  return Outcome::kSignatureValue;
}

SignatureInfo Check(xmlNode* signature) {
  SignatureInfo info;
  info.path = PathOf(signature);
  std::vector<Cert> certs;
  std::vector<std::string> ders;
  const bool structure_ok = ReadSignedInfo(signature, info);
  const bool certs_ok = ReadCertificates(signature, certs, ders, info);
  const std::vector<std::size_t> candidates = SignerCandidates(certs);
  auto name_signer = [&](std::size_t signer) {
    info.signer_certificate_der = ders[signer];
    for (std::size_t i = 0; i < ders.size(); ++i) {
      if (i != signer) info.other_certificates_der.push_back(ders[i]);
    }
  };
  if (!candidates.empty()) name_signer(candidates.front());
  if (!structure_ok || !certs_ok) return info;
  if (certs.empty()) {
    Fail(info, "no_certificate", "Chữ ký không kèm chứng thư số của người ký (X509Certificate).",
         "The signature does not carry the signer's certificate (X509Certificate).");
    return info;
  }
  std::string first_error;
  Outcome outcome = Outcome::kError;
  for (std::size_t k = 0; k < candidates.size() && k < kMaxSignerCandidates; ++k) {
    std::string detail;
    outcome = VerifyWith(signature, certs[candidates[k]].get(), detail);
    if (outcome == Outcome::kValid) {
      info.other_certificates_der.clear();
      name_signer(candidates[k]);
      info.integrity_ok = true;
      return info;
    }
    if (first_error.empty()) first_error = detail;
    // A digest does not depend on the key: another certificate will not help.
    if (outcome == Outcome::kDigest) break;
  }
  switch (outcome) {
    case Outcome::kDigest:
      Fail(info, "digest", "Nội dung tài liệu đã bị thay đổi sau khi ký.",
           "The document was changed after it was signed (the digest does not match).");
      break;
    case Outcome::kSignatureValue:
      Fail(info, "signature_value",
           "Giá trị chữ ký không khớp: phần SignedInfo đã bị sửa, hoặc chữ ký không được tạo "
           "bằng khóa của chứng thư số kèm theo.",
           "The signature value does not match: SignedInfo was changed, or the signature was "
           "not made with the key of the certificate it carries.");
      break;
    default:
      Fail(info, "structure",
           "Không kiểm tra được chữ ký: phần tử Signature không đúng cấu trúc XML-DSig hoặc "
           "khóa không phù hợp với thuật toán ký.",
           "The signature cannot be checked: the Signature element is not valid XML-DSig, or "
           "the key does not fit the signature algorithm" +
               (first_error.empty() ? std::string(".") : " (" + first_error + ")."),
           first_error);
      break;
  }
  return info;
}

}  // namespace

Result<std::vector<SignatureInfo>> Verify(std::string_view xml) {
  TINHSO_ASSIGN_OR_RETURN(internal::Parsed parsed, internal::Parse(xml));
  const std::vector<xmlNode*> signatures = FindSignatures(xmlDocGetRootElement(parsed.doc.get()));
  if (signatures.empty()) {
    return MakeError(ErrorCode::kInvalidArgument, "xmlsig.no_signature",
                     "Tài liệu XML không có chữ ký số (ds:Signature) nào.",
                     "The XML document holds no digital signature (ds:Signature).");
  }
  if (static_cast<int>(signatures.size()) > kMaxSignatures) {
    return MakeError(
        ErrorCode::kInvalidArgument, "xmlsig.too_many_signatures",
        "Tài liệu XML có quá nhiều chữ ký (tối đa " + std::to_string(kMaxSignatures) + ").",
        "The XML document holds too many signatures (" + std::to_string(kMaxSignatures) +
            " at most).");
  }
  std::vector<SignatureInfo> out;
  out.reserve(signatures.size());
  for (xmlNode* signature : signatures) out.push_back(Check(signature));
  return out;
}

}  // namespace tinhso::xmlsig
