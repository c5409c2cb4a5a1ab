// Signing and verifying in standard formats, so that anyone with ordinary tools can check what
// tinhso signed (openssl cms, pdfsig, xmlsec1) and tinhso can check what others signed.
//
//   CMS/CAdES  detached SignedData over any file: CAdES-BES signed attributes (content type,
//              message digest, signing time, ESS signingCertificateV2) and, with a time-stamp
//              from the TSA, CAdES-T (id-aa-signatureTimeStampToken, RFC 3161).
//   PAdES      the same CMS in a PDF's signature dictionary (ETSI.CAdES.detached), without the
//              signing time attribute (PAdES baseline forbids it; /M says the claimed time).
//   TSA        an RFC 3161 time-stamping unit with the PKI's TSA certificate, and a client for
//              an external one.
//   XML-DSig   enveloped signatures in XML documents and edXML packages (src/xmlsig).
//
// One verifier reports, per signature, in words a person understands: who signed, as what,
// when, valid or why not (integrity, chain to a trusted root at signing time, revocation).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/actor.hpp"
#include "core/clock.hpp"
#include "core/result.hpp"
#include "pdf/pdf.hpp"
#include "pki/pki.hpp"
#include "xmlsig/xmlsig.hpp"

namespace tinhso::http {
class Router;
}

namespace tinhso::signing {

/// Something wrong with a signature, with a stable code and both languages.
struct Problem {
  std::string code;  ///< "integrity", "chain", "revoked", "expired", "timestamp", …
  std::string message_vi;
  std::string message_en;
};

struct SignatureReport {
  std::string format;  ///< "cms", "pades", "xmldsig"
  bool valid = false;  ///< integrity, chain and revocation all good
  bool integrity_ok = false;
  bool chain_ok = false;
  bool revocation_checked = false;  ///< the issuer is one of our CAs (else: not known)
  bool revoked = false;
  std::string signer_name;          ///< CN
  std::string signer_organization;  ///< O
  std::string signer_title;         ///< title: the official's position, if any
  std::string signer_subject;       ///< RFC 2253
  std::string issuer_subject;
  std::string certificate_serial;  ///< hex
  std::string certificate_kind;    ///< "organisation", "official", … if the PKI knows it
  std::optional<core::Seconds> claimed_time;    ///< the signer's signingTime attribute
  std::optional<core::Seconds> timestamp_time;  ///< from a verified RFC 3161 token
  std::vector<Problem> problems;                ///< empty when valid
  std::vector<std::string> notes_vi, notes_en;  ///< facts worth saying, not failures
};

/// The result of verifying one file: one report per signature.
struct Verification {
  std::string format;
  std::vector<SignatureReport> signatures;
  bool AllValid() const;
};

/// Serialises a verification as JSON (the API's and `tinhso verify --json`'s shape).
std::string ToJson(const Verification& v);
/// Text for people, Vietnamese then English.
std::string ToText(const Verification& v);

struct CmsOptions {
  bool timestamp = true;  ///< CAdES-T: add a time-stamp from the TSA
  /// The signingTime signed attribute (CAdES). PAdES signatures leave it out: ETSI EN 319 142-1
  /// forbids it there, the claimed time being the signature dictionary's /M.
  bool signing_time = true;
  std::chrono::seconds max_clock_skew{300};
};

/// A PDF signature: where it shows (pdf::Appearance: invisible, the signer's image, the
/// organisation's seal, or the organisation's text box for attachments), and its /Reason and
/// /Location.
struct PdfOptions {
  pdf::Appearance appearance;
  std::string field_name;  ///< pdf::SignatureRequest::field_name: a prepared field to sign in
  int page_index = 0;
  std::string reason;
  std::string location;
  bool timestamp = true;  ///< PAdES-T: the CMS carries an RFC 3161 time-stamp
};

/// A PDF signature's look as the CLI and the API take it, turned into PdfOptions by
/// PdfOptionsFor. `appearance`: "invisible"; "signer" (the signature image between position and
/// name) or "seal" (the organisation's seal over the left third of `rect`, the signer's box),
/// with the image from `image_png` or else the one registered for the certificate
/// (pki::Service::SetAppearance), in `rect`, else in the prepared signature field `field`, else
/// in the file's one empty signature field; "text" (the organisation's name, number and time, by
/// default in the top-right box Decree 30/2020 gives attachments and electronic copies).
struct PdfPlacement {
  std::string appearance = "invisible";
  int page = 1;  ///< from 1
  /// x, y, width, height in PDF points from the bottom left of the page as it is displayed
  /// (turned by its /Rotate: pdf::DisplayedBox), entirely on the page.
  std::vector<double> rect;
  std::string field;         ///< an empty signature field of the PDF to sign in, where it is
  std::string image_png;     ///< overrides the registered image
  std::string organisation;  ///< text and seal: the organisation's name
  std::string document_number;
  std::string reason;
  bool timestamp = true;
};
/// Errors: kInvalidArgument "signing.appearance", "signing.rect", "signing.page"; the reader's.
/// (Where the box is checked against the page, and the prepared field looked for, is
/// pdf::PrepareSignature: "pdf.rect_off_page", "pdf.box_required".)
Result<PdfOptions> PdfOptionsFor(const PdfPlacement& placement, std::string_view pdf);

/// Where an XML signature goes: the root element by default, `xmlsig::EdXmlHeader()` for edXML.
using XmlOptions = xmlsig::SignOptions;

/// Thread-safe.
class Service {
 public:
  /// `tsa_url` empty: time-stamps come from the built-in TSA (the PKI's newest valid TSA
  /// certificate); else from that RFC 3161 service over HTTP.
  Service(pki::Service& pki, const core::Clock& clock, std::string tsa_url = {});

  /// A detached CMS signature (DER) over `data` with the certificate `certificate_id`, if the
  /// actor may sign with it (pki::Service::KeyForSigning); the audit log records it. Every Sign*
  /// refuses an empty file: kInvalidArgument "signing.empty_file".
  Result<std::string> SignCms(std::string_view data, std::int64_t certificate_id,
                              const core::Actor& actor, const CmsOptions& options = {});
  /// The same with a key already in hand (the PDF signer hashes the byte range itself).
  Result<std::string> SignCmsWithKey(std::string_view data, const pki::SigningKey& key,
                                     const CmsOptions& options = {});

  /// Verifies a detached CMS signature over `data` (or an attached one when `data` is empty).
  /// Errors only for input that is not CMS at all ("signing.cms_malformed"); a signature that
  /// does not verify is a report with problems.
  Result<Verification> VerifyCms(std::string_view data, std::string_view cms_der) const;

  /// The document `xml` with an enveloped XML-DSig signature (xmlsig::SignEnveloped) made with
  /// the certificate `certificate_id`, if the actor may sign with it (pki::Service::
  /// KeyForSigning). Writes nothing to the database. Errors: those of KeyForSigning and of
  /// xmlsig::SignEnveloped ("xmlsig.malformed", "xmlsig.parent_not_found", …).
  Result<std::string> SignXml(std::string_view xml, std::int64_t certificate_id,
                              const core::Actor& actor, const XmlOptions& options = {});
  /// The same with a key already in hand.
  Result<std::string> SignXmlWithKey(std::string_view xml, const pki::SigningKey& key,
                                     const XmlOptions& options = {});

  /// The PDF with one more signature (PAdES, ETSI.CAdES.detached, as an incremental update so
  /// that earlier signatures stay valid), if the actor may sign with certificate
  /// `certificate_id`; the audit log records it. Errors: those of KeyForSigning and pdf::*.
  Result<std::string> SignPdf(std::string_view pdf, std::int64_t certificate_id,
                              const core::Actor& actor, const PdfOptions& options = {});
  Result<std::string> SignPdfWithKey(std::string_view pdf, const pki::SigningKey& key,
                                     const PdfOptions& options = {});
  /// Every signature of a PDF, format "pades": the CMS checks of VerifyCms over the signed byte
  /// range, plus whether the byte range is sound and whether anything but signatures was
  /// changed after each signature. Errors only for input that is not a readable PDF.
  Result<Verification> VerifyPdf(std::string_view pdf) const;
  /// A PDF, an XML document or (with `detached_signature`) any file: the format is recognised
  /// from the content. An empty file is kInvalidArgument "signing.empty_file".
  Result<Verification> Verify(std::string_view file, std::string_view detached_signature) const;

  /// Verifies every XML-DSig signature of `xml`: one report per ds:Signature, format "xmldsig".
  /// XML signatures carry no time-stamp here, so the chain and revocation are judged at the
  /// current time (a note says so). Errors only for input that is not acceptable XML or holds no
  /// signature (xmlsig::Verify's: "xmlsig.malformed", "xmlsig.no_signature", …).
  Result<Verification> VerifyXml(std::string_view xml) const;

  /// RFC 3161: answers a TimeStampReq (DER) with a TimeStampResp (DER), signed by the TSA.
  /// Errors: kFailedPrecondition "signing.no_tsa" when the PKI has no TSA certificate.
  Result<std::string> RespondToTimeStampRequest(std::string_view request_der);
  /// A time-stamp token (a CMS ContentInfo, DER) over a SHA-256 digest, from the configured TSA.
  Result<std::string> TimeStamp(std::string_view sha256_digest);
  /// Verifies such a token over `sha256_digest`: the imprint, the TSA's signature, its chain to a
  /// trust anchor and its revocation at the token's time. A report of format "timestamp" whose
  /// timestamp_time is the token's time. Errors only for a token that cannot be read
  /// ("signing.timestamp_malformed").
  Result<SignatureReport> VerifyTimeStamp(std::string_view sha256_digest,
                                          std::string_view token_der) const;

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

/// POST /api/v1/signatures/{cms,pdf,xml} (sign.document), /api/v1/verify (public),
/// /api/v1/pki/tsa (RFC 3161, public).
void RegisterRoutes(http::Router& router, Service& service,
                    std::uint64_t max_document_bytes = 10 << 20);

}  // namespace tinhso::signing
