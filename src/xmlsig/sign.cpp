// Signing: a template built in the parsed tree, signed by xmlsec, then serialised on its own and
// spliced into the caller's bytes, so that nothing outside the signature changes.
#include <libxml/xmlsave.h>
#include <openssl/err.h>
#include <openssl/x509.h>
#include <xmlsec/base64.h>
#include <xmlsec/crypto.h>
#include <xmlsec/keys.h>
#include <xmlsec/openssl/evp.h>
#include <xmlsec/templates.h>
#include <xmlsec/xmldsig.h>
#include <xmlsec/xmltree.h>

#include "xmlsig/internal.hpp"
#include "xmlsig/xmlsig.hpp"

namespace tinhso::xmlsig {
namespace {

using internal::Text;
using internal::Xml;
using Cert = std::unique_ptr<X509, internal::Deleter<X509_free>>;
using Key = std::unique_ptr<xmlSecKey, internal::Deleter<xmlSecKeyDestroy>>;
using DsigCtx = std::unique_ptr<xmlSecDSigCtx, internal::Deleter<xmlSecDSigCtxDestroy>>;
using Bio = std::unique_ptr<BIO, internal::Deleter<BIO_free_all>>;

Error CertificateInvalid(std::string_view why_en) {
  return MakeError(ErrorCode::kInvalidArgument, "xmlsig.certificate_invalid",
                   "Chứng thư số dùng để ký không đọc được hoặc không khớp với khóa bí mật.",
                   "The signing certificate cannot be read or does not match the private key (" +
                       std::string(why_en) + ").");
}

Result<Cert> ParseDer(std::string_view der) {
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  Cert cert(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
  if (!cert || p != reinterpret_cast<const unsigned char*>(der.data()) + der.size()) {
    ERR_clear_error();
    return CertificateInvalid("not a DER X.509 certificate");
  }
  return cert;
}

// RFC 2253, with UTF-8 kept as UTF-8: Vietnamese names as people write them.
std::string SubjectText(X509* cert) {
  Bio bio(BIO_new(BIO_s_mem()));
  X509_NAME_print_ex(bio.get(), X509_get_subject_name(cert), 0,
                     XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB);
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio.get(), &data);
  return n > 0 ? std::string(data, static_cast<std::size_t>(n)) : std::string();
}

bool AddText(xmlNode* parent, const xmlChar* name, std::string_view text) {
  xmlNode* node = xmlSecAddChild(parent, name, Xml(internal::kDsigNamespace.data()));
  if (node == nullptr) return false;
  xmlNodeAddContentLen(node, Xml(text.data()), static_cast<int>(text.size()));
  return true;
}

bool AddCertificate(xmlNode* x509_data, std::string_view der) {
  xmlChar* base64 = xmlSecBase64Encode(reinterpret_cast<const xmlSecByte*>(der.data()),
                                       static_cast<xmlSecSize>(der.size()), 64);
  if (base64 == nullptr) return false;
  const std::string text = "\n" + std::string(Text(base64)) + "\n";
  xmlFree(base64);
  return AddText(x509_data, xmlSecNodeX509Certificate, text);
}

// Where the signature goes in the input bytes: before the target's end tag, or in place of the
// "/>" of an empty element tag (which then gets an end tag).
struct Splice {
  std::size_t at = 0;
  bool empty_element = false;
};

Result<Splice> Locate(std::string_view xml, std::size_t end) {
  if (end < 2 || end > xml.size() || xml[end - 1] != '>') {
    return InternalError("xmlsig: the parent element's end was not found in the input");
  }
  if (xml[end - 2] == '/') return Splice{end - 2, true};
  const std::size_t open = xml.rfind('<', end - 1);
  if (open == std::string_view::npos || open + 1 >= xml.size() || xml[open + 1] != '/') {
    return InternalError("xmlsig: the parent element's end tag was not found in the input");
  }
  return Splice{open, false};
}

std::string Serialise(xmlNode* node) {
  using Buffer = std::unique_ptr<xmlBuffer, internal::Deleter<xmlBufferFree>>;
  Buffer buffer(xmlBufferCreate());
  // With an explicit UTF-8 encoding libxml2 writes text as is (no &#x…; for Vietnamese).
  xmlSaveCtxtPtr save = xmlSaveToBuffer(buffer.get(), "UTF-8", XML_SAVE_NO_DECL);
  if (save == nullptr) return {};
  xmlSaveTree(save, node);
  xmlSaveClose(save);
  return std::string(Text(xmlBufferContent(buffer.get())),
                     static_cast<std::size_t>(xmlBufferLength(buffer.get())));
}

}  // namespace

Result<std::string> SignEnveloped(std::string_view xml, std::string_view key_pkcs8_der,
                                  std::string_view certificate_der,
                                  std::span<const std::string> chain_der,
                                  const SignOptions& options) {
  const internal::ParseTarget target{options.parent_name, options.parent_namespace};
  TINHSO_ASSIGN_OR_RETURN(internal::Parsed parsed, internal::Parse(xml, &target));
  if (parsed.converted) {
    return MakeError(ErrorCode::kInvalidArgument, "xmlsig.encoding_unsupported",
                     "Chỉ ký được tài liệu XML mã hóa UTF-8.",
                     "Only UTF-8 XML documents can be signed.");
  }
  if (parsed.target == nullptr) {
    const std::string name = options.parent_name.empty() ? "(root)" : options.parent_name;
    return MakeError(ErrorCode::kInvalidArgument, "xmlsig.parent_not_found",
                     "Tài liệu không có phần tử \"" + name + "\" để đặt chữ ký.",
                     "The document has no element \"" + name + "\" to hold the signature.");
  }
  TINHSO_ASSIGN_OR_RETURN(Splice splice, Locate(xml, parsed.target_end));

  internal::ErrorCapture capture;
  // xmlsec's "Pkcs8Der" format means an *encrypted* PKCS#8 (d2i_PKCS8PrivateKey_bio); an
  // unencrypted PrivateKeyInfo is its "Der" format (d2i_PrivateKey_bio reads PKCS#8 too).
  Key key(xmlSecOpenSSLAppKeyLoadMemory(reinterpret_cast<const xmlSecByte*>(key_pkcs8_der.data()),
                                        static_cast<xmlSecSize>(key_pkcs8_der.size()),
                                        xmlSecKeyDataFormatDer, nullptr, nullptr, nullptr));
  ERR_clear_error();
  xmlSecKeyDataPtr value = key ? xmlSecKeyGetValue(key.get()) : nullptr;
  if (value == nullptr) {
    return MakeError(ErrorCode::kInvalidArgument, "xmlsig.key_invalid",
                     "Khóa bí mật không đọc được (cần PKCS#8 DER).",
                     "The private key cannot be read (PKCS#8 DER expected).", capture.First());
  }
  xmlSecTransformId method = nullptr;
  if (xmlSecKeyDataCheckId(value, xmlSecOpenSSLKeyDataRsaId)) method = xmlSecTransformRsaSha256Id;
  if (xmlSecKeyDataCheckId(value, xmlSecOpenSSLKeyDataEcdsaId)) {
    method = xmlSecTransformEcdsaSha256Id;
  }
  if (method == nullptr) {
    return MakeError(ErrorCode::kInvalidArgument, "xmlsig.key_invalid",
                     "Chỉ ký được bằng khóa RSA hoặc ECDSA.", "Only RSA and ECDSA keys can sign.");
  }
  TINHSO_ASSIGN_OR_RETURN(Cert cert, ParseDer(certificate_der));
  if (X509_check_private_key(cert.get(), xmlSecOpenSSLEvpKeyDataGetEvp(value)) != 1) {
    ERR_clear_error();
    return CertificateInvalid("its public key is not the private key's");
  }
  for (const std::string& der : chain_der) {
    TINHSO_RETURN_IF_ERROR(ParseDer(der));
  }
  if (xmlSecOpenSSLAppKeyCertLoadMemory(
          key.get(), reinterpret_cast<const xmlSecByte*>(certificate_der.data()),
          static_cast<xmlSecSize>(certificate_der.size()), xmlSecKeyDataFormatDer) < 0) {
    ERR_clear_error();
    return CertificateInvalid(capture.First());
  }

  // The template: exclusive C14N of SignedInfo, one whole-document reference.
  xmlDoc* doc = parsed.doc.get();
  xmlNode* signature =
      xmlSecTmplSignatureCreateNsPref(doc, xmlSecTransformExclC14NId, method, nullptr, Xml("ds"));
  if (signature == nullptr) return InternalError("xmlsig: template: " + capture.First());
  xmlAddChild(parsed.target, signature);
  xmlNode* reference = xmlSecTmplSignatureAddReference(signature, xmlSecTransformSha256Id, nullptr,
                                                       Xml(""), nullptr);
  if (reference == nullptr ||
      xmlSecTmplReferenceAddTransform(reference, xmlSecTransformEnvelopedId) == nullptr ||
      xmlSecTmplReferenceAddTransform(reference, xmlSecTransformExclC14NId) == nullptr) {
    return InternalError("xmlsig: template: " + capture.First());
  }
  DsigCtx ctx(xmlSecDSigCtxCreate(nullptr));
  if (!ctx) return InternalError("xmlSecDSigCtxCreate failed");
  ctx->signKey = key.release();  // the context owns it now
  if (xmlSecDSigCtxSign(ctx.get(), signature) < 0) {
    ERR_clear_error();
    return InternalError("xmlSecDSigCtxSign: " + capture.First());
  }
  // KeyInfo is outside SignedInfo: written after signing, in the order readers expect.
  xmlNode* key_info = xmlSecTmplSignatureEnsureKeyInfo(signature, nullptr);
  xmlNode* x509_data = key_info != nullptr ? xmlSecTmplKeyInfoAddX509Data(key_info) : nullptr;
  if (x509_data == nullptr ||
      !AddText(x509_data, xmlSecNodeX509SubjectName, SubjectText(cert.get())) ||
      !AddCertificate(x509_data, certificate_der)) {
    return InternalError("xmlsig: KeyInfo: " + capture.First());
  }
  for (const std::string& der : chain_der) {
    if (!AddCertificate(x509_data, der)) return InternalError("xmlsig: KeyInfo: chain");
  }

  const std::string element = Serialise(signature);
  if (element.empty()) return InternalError("xmlsig: serialising the signature failed");
  std::string out;
  out.reserve(xml.size() + element.size() + 64);
  out.append(xml.substr(0, splice.at));
  if (splice.empty_element) {
    const xmlNode* t = parsed.target;
    const std::string qname = t->ns != nullptr && t->ns->prefix != nullptr
                                  ? std::string(Text(t->ns->prefix)) + ":" + Text(t->name)
                                  : std::string(Text(t->name));
    out += ">" + element + "</" + qname + ">";
    out.append(xml.substr(splice.at + 2));
  } else {
    out += element;
    out.append(xml.substr(splice.at));
  }

  // What we hand out must verify: a failure here is a bug, never a signed-but-broken file.
  auto check = Verify(out);
  bool verified = false;
  if (check.ok()) {
    for (const SignatureInfo& info : *check) {
      verified = verified || (info.integrity_ok && info.signer_certificate_der == certificate_der);
    }
  }
  if (!verified) {
    return InternalError("xmlsig: the signed document does not verify: " +
                         (check.ok() ? std::string("integrity") : check.error().message_en));
  }
  return out;
}

}  // namespace tinhso::xmlsig
