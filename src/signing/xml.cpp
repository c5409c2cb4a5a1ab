// XML-DSig: signing with the PKI's keys through src/xmlsig, and verifying anyone's with the same
// chain and revocation checks as CMS.
#include "core/crypto.hpp"
#include "signing/internal.hpp"

namespace tinhso::signing {
namespace {

using pki::ossl::CertStack;

// A signature whose integrity failed, in the report's terms.
void AddIntegrityProblem(const xmlsig::SignatureInfo& info, SignatureReport& r) {
  const std::string code = info.problem == "unsupported"      ? "unsupported"
                           : info.problem == "no_certificate" ? "no_certificate"
                                                              : "integrity";
  internal::AddProblem(r, code, info.problem_vi, info.problem_en);
}

}  // namespace

Result<std::string> Service::SignXml(std::string_view xml, std::int64_t certificate_id,
                                     const core::Actor& actor, const XmlOptions& options) {
  TINHSO_ASSIGN_OR_RETURN(pki::SigningKey key, impl_->pki.KeyForSigning(certificate_id, actor));
  TINHSO_ASSIGN_OR_RETURN(std::string signed_xml, SignXmlWithKey(xml, key, options));
  // The signed document is what circulates: its hash is what the audit entry names.
  TINHSO_RETURN_IF_ERROR(
      impl_->pki.RecordSignature(certificate_id, actor, "xmldsig", core::Sha256Hex(signed_xml)));
  return signed_xml;
}

Result<std::string> Service::SignXmlWithKey(std::string_view xml, const pki::SigningKey& key,
                                            const XmlOptions& options) {
  if (xml.empty()) return internal::EmptyFile(/*to_sign=*/true);
  return xmlsig::SignEnveloped(xml, key.private_key_der, key.certificate_der, key.chain_der,
                               options);
}

Result<Verification> Service::VerifyXml(std::string_view xml) const {
  TINHSO_ASSIGN_OR_RETURN(std::vector<xmlsig::SignatureInfo> found, xmlsig::Verify(xml));
  TINHSO_ASSIGN_OR_RETURN(auto trusted, impl_->Trust());
  const internal::TrustStore& trust = *trusted;
  Verification v;
  v.format = "xmldsig";
  for (const xmlsig::SignatureInfo& info : found) {
    SignatureReport r;
    r.format = "xmldsig";
    auto signer = pki::ossl::ParseCertificate(info.signer_certificate_der);
    if (info.signer_certificate_der.empty() || !signer.ok()) {
      if (info.problem.empty() || info.integrity_ok) {
        internal::AddProblem(r, "no_certificate",
                             "Chữ ký không kèm chứng thư số của người ký (X509Certificate).",
                             "The signature does not carry the signer's certificate.");
      } else {
        AddIntegrityProblem(info, r);
      }
      v.signatures.push_back(std::move(r));
      continue;
    }
    internal::DescribeSigner(signer->get(), r);
    // 1. Integrity: the digests and the signature value, with the carried certificate's key.
    r.integrity_ok = info.integrity_ok;
    if (!r.integrity_ok) AddIntegrityProblem(info, r);
    if (info.uses_sha1) {
      r.notes_vi.push_back("Chữ ký dùng SHA-1, một thuật toán băm không còn được coi là an toàn.");
      r.notes_en.push_back("The signature uses SHA-1, a hash no longer considered secure.");
    }
    // 2. The chain to a trust anchor and revocation. Nothing in an XML-DSig signature proves
    //    when it was made, so both are judged now.
    r.notes_vi.push_back(
        "Chữ ký XML không có dấu thời gian: chuỗi chứng thư số và việc thu hồi được kiểm tra tại "
        "thời điểm hiện tại.");
    r.notes_en.push_back(
        "The XML signature has no time-stamp: the certificate chain and revocation were checked "
        "as of now.");
    CertStack carried(sk_X509_new_null());
    for (const std::string& der : info.other_certificates_der) {
      auto cert = pki::ossl::ParseCertificate(der);
      if (cert.ok()) sk_X509_push(carried.get(), cert->release());
    }
    impl_->CheckChain(signer->get(), carried.get(), trust, r);
    r.valid = r.integrity_ok && r.chain_ok && !r.revoked && r.problems.empty();
    v.signatures.push_back(std::move(r));
  }
  return v;
}

}  // namespace tinhso::signing
