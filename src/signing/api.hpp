// The signing module's API types (http/api.hpp): the query parameters of the signing routes,
// the JSON form of a verification request, and the verification report (also the shape of
// `tinhso verify --json`, report.cpp).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "http/api.hpp"
#include "signing/signing.hpp"

namespace tinhso::signing {

// A JSON verification request carries the file as base64 and is parsed whole: small files only.
// Larger ones come as multipart/form-data (parts `file` and `signature`) or as a raw body.
inline constexpr std::size_t kMaxJsonBody = 4 << 20;

// POST /api/v1/signatures/cms
struct SignCmsQuery {
  std::optional<std::int64_t> certificate_id;  // required: the certificate to sign with
  bool timestamp = true;                       // CAdES-T: a time-stamp from the TSA
};
TINHSO_API_STRUCT(SignCmsQuery, (certificate_id, timestamp))

// POST /api/v1/signatures/pdf (PdfPlacement says what each parameter does).
struct SignPdfQuery {
  std::optional<std::int64_t> certificate_id;  // required
  // "invisible", "signer", "seal" or "text" (PdfOptionsFor refuses others: signing.appearance).
  http::Text<20> appearance = "invisible";
  std::optional<int> page;               // from 1
  std::optional<http::Text<100>> rect;   // "x,y,width,height" in PDF points
  std::optional<http::Text<200>> field;  // a prepared signature field to sign (SignatureRequest)
  std::optional<http::Text<300>> organisation;
  std::optional<http::Text<100>> document_number;
  std::optional<http::Text<300>> reason;
  bool timestamp = true;  // PAdES-T
};
TINHSO_API_STRUCT(SignPdfQuery, (certificate_id, appearance, page, rect, field, organisation,
                                 document_number, reason, timestamp))

// POST /api/v1/signatures/xml
struct SignXmlQuery {
  std::optional<std::int64_t> certificate_id;  // required
  bool edxml = false;                          // the signature in the edXML package's header
};
TINHSO_API_STRUCT(SignXmlQuery, (certificate_id, edxml))

// POST /api/v1/verify as JSON (multipart/form-data takes the same as the parts file, signature).
struct VerifyInput {
  http::Text<kMaxJsonBody> file;                      // the file's content, base64
  std::optional<http::Text<kMaxJsonBody>> signature;  // a detached CMS signature, base64
};
TINHSO_API_STRUCT(VerifyInput, (file, signature))

struct VerifyProblem {
  std::string code;  // "integrity", "chain", "revoked", "expired", "timestamp", …
  std::string message;
  std::string message_en;
};
TINHSO_API_STRUCT(VerifyProblem, (code, message, message_en))

struct SignatureReportView {
  std::string format;  // "cms", "pades", "xmldsig"
  bool valid = false;  // integrity, chain and revocation all good
  bool integrity_ok = false;
  bool chain_ok = false;
  bool revocation_checked = false;  // the issuer is one of our CAs (else: not known)
  bool revoked = false;
  std::string signer_name;
  std::string signer_organization;
  std::string signer_title;
  std::string signer_subject;
  std::string issuer_subject;
  std::string certificate_serial;  // hex
  std::string certificate_kind;    // "organisation", "official", … if the PKI knows it
  http::Nullable<http::Timestamp> claimed_time;    // the signer's signingTime attribute
  http::Nullable<http::Timestamp> timestamp_time;  // from a verified RFC 3161 token
  std::vector<VerifyProblem> problems;             // empty when valid
  std::vector<std::string> notes;                  // facts worth saying, not failures
  std::vector<std::string> notes_en;
};
TINHSO_API_STRUCT(SignatureReportView,
                  (format, valid, integrity_ok, chain_ok, revocation_checked, revoked, signer_name,
                   signer_organization, signer_title, signer_subject, issuer_subject,
                   certificate_serial, certificate_kind, claimed_time, timestamp_time, problems,
                   notes, notes_en))

struct VerificationView {
  std::string format;
  bool valid = false;  // every signature valid
  std::vector<SignatureReportView> signatures;
};
TINHSO_API_STRUCT(VerificationView, (format, valid, signatures))

VerificationView ToApi(const Verification& v);

}  // namespace tinhso::signing
