// The checks every format shares: time-stamp, chain at the trusted time, revocation.
#include <openssl/err.h>
#include <openssl/ts.h>
#include <openssl/x509v3.h>

#include <cstring>

#include "core/crypto.hpp"
#include "core/parse.hpp"
#include "signing/internal.hpp"

namespace tinhso::signing {
namespace internal {

Error EmptyFile(bool to_sign) {
  return to_sign ? MakeError(ErrorCode::kInvalidArgument, "signing.empty_file",
                             "Tệp trống (0 byte): không có nội dung nào để ký.",
                             "The file is empty (0 bytes): there is nothing to sign.")
                 : MakeError(ErrorCode::kInvalidArgument, "signing.empty_file",
                             "Tệp cần kiểm tra trống (0 byte): không có chữ ký hay nội dung nào "
                             "để kiểm tra.",
                             "The file to check is empty (0 bytes): it holds no signature and no "
                             "signed content.");
}

namespace {

std::string Entry(const X509_NAME* name, int nid) {
  const int at = X509_NAME_get_index_by_NID(name, nid, -1);
  if (at < 0) return {};
  unsigned char* utf8 = nullptr;
  const int n = ASN1_STRING_to_UTF8(&utf8, X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, at)));
  std::string out = n > 0 ? std::string(reinterpret_cast<char*>(utf8), n) : std::string();
  OPENSSL_free(utf8);
  return out;
}

}  // namespace

void DescribeSigner(X509* cert, SignatureReport& r) {
  const X509_NAME* subject = X509_get_subject_name(cert);
  r.signer_name = Entry(subject, NID_commonName);
  r.signer_organization = Entry(subject, NID_organizationName);
  r.signer_title = Entry(subject, NID_title);
  r.signer_subject = pki::ossl::NameText(subject);
  r.issuer_subject = pki::ossl::NameText(X509_get_issuer_name(cert));
  r.certificate_serial = pki::ossl::SerialHex(cert);
}

}  // namespace internal

namespace {

using pki::ossl::Cert;
using pki::ossl::CertStack;
using Store = std::unique_ptr<X509_STORE, pki::ossl::Deleter<X509_STORE_free>>;
using StoreCtx = std::unique_ptr<X509_STORE_CTX, pki::ossl::Deleter<X509_STORE_CTX_free>>;

Store MakeStore(const internal::TrustStore& trust) {
  Store store(X509_STORE_new());
  for (const Cert& anchor : trust.anchors) X509_STORE_add_cert(store.get(), anchor.get());
  return store;
}

void Add(SignatureReport& r, std::string code, std::string vi, std::string en) {
  r.problems.push_back({std::move(code), std::move(vi), std::move(en)});
}

}  // namespace

std::optional<std::string> Service::Impl::CheckToken(PKCS7* token, std::string_view imprint,
                                                     const internal::TrustStore& trust,
                                                     SignatureReport& r) const {
  // The token must cover `imprint`, be signed by a TSA whose chain reaches a trust anchor, and
  // have the time-stamping purpose.
  using VerifyCtx = std::unique_ptr<TS_VERIFY_CTX, pki::ossl::Deleter<TS_VERIFY_CTX_free>>;
  VerifyCtx ctx(TS_VERIFY_CTX_new());
  auto* imprint_copy = static_cast<unsigned char*>(OPENSSL_malloc(imprint.size()));
  std::memcpy(imprint_copy, imprint.data(), imprint.size());
  TS_VERIFY_CTX_set_imprint(ctx.get(), imprint_copy, static_cast<long>(imprint.size()));
  TS_VERIFY_CTX_set_store(ctx.get(), MakeStore(trust).release());
  TS_VERIFY_CTX_set_certs(ctx.get(), X509_chain_up_ref(trust.intermediates.get()));
  TS_VERIFY_CTX_set_flags(ctx.get(), TS_VFY_VERSION | TS_VFY_SIGNATURE | TS_VFY_IMPRINT);
  if (TS_RESP_verify_token(ctx.get(), token) != 1) {
    ERR_clear_error();
    return "its signature, its TSA certificate or the imprint";
  }
  using TstInfo = std::unique_ptr<TS_TST_INFO, pki::ossl::Deleter<TS_TST_INFO_free>>;
  TstInfo info(PKCS7_to_TS_TST_INFO(token));
  if (!info) return "no TSTInfo";
  r.timestamp_time = pki::ossl::ToTime(TS_TST_INFO_get_time(info.get()));
  return std::nullopt;
}

void Service::Impl::CheckTimestamp(CMS_SignerInfo* si, const internal::TrustStore& trust,
                                   SignatureReport& r) const {
  const int at = CMS_unsigned_get_attr_by_NID(si, NID_id_smime_aa_timeStampToken, -1);
  if (at < 0) return;
  X509_ATTRIBUTE* attr = CMS_unsigned_get_attr(si, at);
  ASN1_TYPE* value = X509_ATTRIBUTE_get0_type(attr, 0);
  auto bad = [&r](std::string_view why_en) {
    Add(r, "timestamp", "Dấu thời gian kèm chữ ký không hợp lệ.",
        "The time-stamp attached to the signature is not valid (" + std::string(why_en) + ").");
  };
  if (value == nullptr || value->type != V_ASN1_SEQUENCE) return bad("not a token");
  const unsigned char* p = value->value.sequence->data;
  using Pkcs7 = std::unique_ptr<PKCS7, pki::ossl::Deleter<PKCS7_free>>;
  Pkcs7 token(d2i_PKCS7(nullptr, &p, value->value.sequence->length));
  if (!token) return bad("unreadable");
  // The token covers this signature's value.
  const ASN1_OCTET_STRING* signature = CMS_SignerInfo_get0_signature(si);
  const std::string imprint =
      core::Sha256(std::string_view(reinterpret_cast<const char*>(ASN1_STRING_get0_data(signature)),
                                    static_cast<std::size_t>(ASN1_STRING_length(signature))));
  if (auto why = CheckToken(token.get(), imprint, trust, r)) return bad(*why);
  r.notes_vi.push_back(
      "Có dấu thời gian tin cậy: " + core::FormatVietnamDateTime(*r.timestamp_time) + ".");
  r.notes_en.push_back("Trusted time-stamp: " + core::FormatVietnamDateTime(*r.timestamp_time) +
                       " (Vietnam).");
}

void Service::Impl::CheckChain(X509* signer, STACK_OF(X509) * carried,
                               const internal::TrustStore& trust, SignatureReport& r) const {
  const core::Seconds at = r.timestamp_time.value_or(clock.Now());
  Store store = MakeStore(trust);
  CertStack untrusted(X509_chain_up_ref(trust.intermediates.get()));
  for (int i = 0; carried != nullptr && i < sk_X509_num(carried); ++i) {
    X509_up_ref(sk_X509_value(carried, i));
    sk_X509_push(untrusted.get(), sk_X509_value(carried, i));
  }
  StoreCtx ctx(X509_STORE_CTX_new());
  X509_STORE_CTX_init(ctx.get(), store.get(), signer, untrusted.get());
  X509_VERIFY_PARAM* param = X509_STORE_CTX_get0_param(ctx.get());
  X509_VERIFY_PARAM_set_time(param, static_cast<time_t>(at.time_since_epoch().count()));
  const bool ok = X509_verify_cert(ctx.get()) == 1;
  const int error = X509_STORE_CTX_get_error(ctx.get());
  r.chain_ok = ok;
  if (!ok) {
    const std::string why = X509_verify_cert_error_string(error);
    if (error == X509_V_ERR_CERT_NOT_YET_VALID) {
      Add(r, "not_yet_valid", "Chứng thư số chưa có hiệu lực vào thời điểm ký.",
          "The certificate was not yet valid at the signing time.");
    } else if (error == X509_V_ERR_CERT_HAS_EXPIRED) {
      Add(r, "expired",
          r.timestamp_time
              ? "Chứng thư số không còn hiệu lực vào thời điểm ký (theo dấu thời gian)."
              : "Chứng thư số đã hết hạn, và không có dấu thời gian chứng minh chữ "
                "ký được tạo khi nó còn hiệu lực.",
          r.timestamp_time ? "The certificate was not valid at the signing time (per the "
                             "time-stamp)."
                           : "The certificate has expired, and no time-stamp proves the "
                             "signature was made while it was valid.");
    } else if (error == X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY ||
               error == X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN ||
               error == X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT ||
               error == X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT) {
      Add(r, "untrusted",
          "Chứng thư số không do một tổ chức chứng thực được tin cậy cấp (" + why + ").",
          "The certificate was not issued by a trusted certification authority (" + why + ").");
    } else {
      Add(r, "chain", "Chuỗi chứng thư số không hợp lệ: " + why + ".",
          "The certificate chain is not valid: " + why + ".");
    }
  }
  ERR_clear_error();
  // Revocation: what our own CAs revoked, as of the trusted time. A certificate revoked after
  // a time-stamped signature does not undo it; without a time-stamp, any revocation does.
  CertStack chain(ok ? X509_STORE_CTX_get1_chain(ctx.get()) : nullptr);
  std::vector<X509*> to_check = {signer};
  for (int i = 1; chain && i < sk_X509_num(chain.get()); ++i) {
    to_check.push_back(sk_X509_value(chain.get(), i));
  }
  bool all_known = true;
  for (X509* cert : to_check) {
    auto known = pki.FindByIssuerSerial(pki::ossl::NameText(X509_get_issuer_name(cert)),
                                        pki::ossl::SerialHex(cert));
    if (!known.ok() || !*known) {
      if (X509_check_issued(cert, cert) != X509_V_OK) all_known = false;  // a root is no loss
      continue;
    }
    const pki::Certificate& record = **known;
    if (cert == signer) r.certificate_kind = std::string(pki::KindName(record.kind));
    if (record.status == pki::Status::kRevoked && record.revoked_at &&
        (!r.timestamp_time || *record.revoked_at <= *r.timestamp_time)) {
      r.revoked = true;
      Add(r, "revoked",
          "Chứng thư số \"" + pki::ossl::NameText(X509_get_subject_name(cert)) +
              "\" đã bị thu hồi lúc " + core::FormatVietnamDateTime(*record.revoked_at) + ".",
          "The certificate \"" + pki::ossl::NameText(X509_get_subject_name(cert)) +
              "\" was revoked at " + core::FormatVietnamDateTime(*record.revoked_at) +
              " (Vietnam time).");
    }
  }
  r.revocation_checked = all_known;
  if (!all_known) {
    r.notes_vi.push_back(
        "Chưa kiểm tra được việc thu hồi: chứng thư do tổ chức chứng thực bên ngoài cấp.");
    r.notes_en.push_back(
        "Revocation was not checked: the certificate comes from an outside certification "
        "authority.");
  }
}

bool Verification::AllValid() const {
  if (signatures.empty()) return false;
  for (const SignatureReport& s : signatures) {
    if (!s.valid) return false;
  }
  return true;
}

}  // namespace tinhso::signing
