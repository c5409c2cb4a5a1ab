// Enveloped XML-DSig (https://www.w3.org/TR/xmldsig-core1/) with libxml2 and xmlsec1: the
// signature format of edXML packages (QCVN 102:2016, `Signature` in `edXMLHeader`) and of any
// other XML document a province exchanges.
//
// Bytes in, bytes out, plain structs: no database, no clock, no trust decisions. Whether a
// signer's certificate chains to a trusted root, and whether it was revoked, is for the caller
// (the `signing` module judges that against the PKI); this module says only whether the
// signature value and the digests match the document, and which certificates came with it.
//
// What it signs: one `ds:Signature` appended as the last child of the root element, or of the
// first element with a given name and namespace; `SignedInfo` canonicalised with exclusive
// C14N; one `Reference URI=""` (the whole document) with the enveloped-signature and exclusive
// C14N transforms and a SHA-256 digest; RSA-SHA256 or ECDSA-SHA256 after the key; `KeyInfo/
// X509Data` with the signer's `X509SubjectName` and `X509Certificate`, then the chain. The
// document's own bytes are kept exactly: the signature is spliced into the original text.
//
// What it reads: only XML without a DTD (no DOCTYPE at all: that shuts out external entities,
// entity expansion bombs and DTD loading), UTF-8 or another encoding libxml2 knows, at most
// kMaxDocumentBytes and kMaxDepth elements deep; nothing is fetched from the network or the
// file system, XInclude is never processed, and a Reference may only be URI="" (the document
// that holds the signature).
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace tinhso::xmlsig {

inline constexpr std::size_t kMaxDocumentBytes = 20 << 20;
/// Elements nested deeper than this are refused (libxml2 itself stops at 256).
inline constexpr int kMaxDepth = 128;
/// A document with more signatures than this is refused (each costs a pass over the document).
inline constexpr int kMaxSignatures = 16;

inline constexpr std::string_view kEdXmlNamespace = "http://www.mic.gov.vn/TBT/QCVN_102_2016";

/// Where the signature goes.
struct SignOptions {
  /// Empty: the root element. Otherwise the first element, in document order, with this local
  /// name and namespace (empty `parent_namespace`: no namespace).
  std::string parent_name;
  std::string parent_namespace;
};

/// edXML: the signature goes into `edXMLHeader`.
inline SignOptions EdXmlHeader() { return {"edXMLHeader", std::string(kEdXmlNamespace)}; }

/// Signs `xml` with an enveloped signature (see the top of this file) and returns the signed
/// document: the input's bytes with the `ds:Signature` element inserted before the parent's end
/// tag. `key_pkcs8_der`: an RSA or EC private key (PKCS#8 DER); `certificate_der`: its X.509
/// certificate (DER); `chain_der`: the issuing CAs to carry, signer's issuer first.
/// The input must be UTF-8 (or ASCII) so that the spliced signature is in its encoding.
/// Errors (kInvalidArgument unless noted): those of Verify's parsing ("xmlsig.malformed",
/// "xmlsig.dtd_forbidden", "xmlsig.too_deep", kPayloadTooLarge "xmlsig.too_large"),
/// "xmlsig.encoding_unsupported", "xmlsig.parent_not_found", "xmlsig.key_invalid",
/// "xmlsig.certificate_invalid" (unreadable, or not the key's certificate); kInternal when
/// xmlsec fails.
Result<std::string> SignEnveloped(std::string_view xml, std::string_view key_pkcs8_der,
                                  std::string_view certificate_der,
                                  std::span<const std::string> chain_der,
                                  const SignOptions& options = {});

/// One `ds:Signature` element found in a document.
struct SignatureInfo {
  /// The signature value verifies with the signer certificate's public key and every Reference
  /// digest matches. References may only be URI="" (with the enveloped-signature transform), so
  /// true means: the whole document except this signature is exactly as it was signed.
  bool integrity_ok = false;
  /// Why not, when integrity_ok is false: "digest" (the content changed), "signature_value"
  /// (SignedInfo changed, or a different key), "no_certificate", "certificate" (unreadable),
  /// "unsupported" (a reference, transform or algorithm this verifier refuses), "structure"
  /// (not a well-formed XML-DSig Signature element).
  std::string problem;
  std::string problem_vi, problem_en;  ///< the same, in words
  std::string detail;                  ///< xmlsec's own message, for logs

  std::string path;              ///< where the element is: "/edXMLEnvelope/edXMLHeader/Signature"
  std::string signature_method;  ///< the algorithm URI
  std::string signature_algorithm;   ///< "RSA-SHA256", "ECDSA-SHA256", … ("" if unknown)
  std::string canonicalization;      ///< the SignedInfo C14N URI
  std::vector<std::string> digests;  ///< each Reference's DigestMethod URI
  bool uses_sha1 = false;            ///< SHA-1 in the signature or a digest: weak, say so

  /// The certificate whose key verified the signature (or, when none did, the one that most
  /// likely signed: the end of the carried chain); empty if the signature carries none.
  std::string signer_certificate_der;
  /// Every other certificate in KeyInfo/X509Data, in document order.
  std::vector<std::string> other_certificates_der;
};

/// Finds every `ds:Signature` element of `xml` and checks each one's integrity.
/// Errors only for input that is not acceptable XML: kInvalidArgument "xmlsig.malformed" (not
/// well-formed, truncated, bad encoding), "xmlsig.dtd_forbidden" (any DOCTYPE),
/// "xmlsig.too_deep", kPayloadTooLarge "xmlsig.too_large", "xmlsig.too_many_signatures", and
/// "xmlsig.no_signature" when there is no ds:Signature element. Thread-safe.
Result<std::vector<SignatureInfo>> Verify(std::string_view xml);

}  // namespace tinhso::xmlsig
