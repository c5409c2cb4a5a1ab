// RFC 3161 time-stamping: the built-in TSA (the PKI's TSA certificate) and a client for an
// external one over HTTP (application/timestamp-query).
#include <openssl/err.h>
#include <openssl/rand.h>
#include <openssl/ts.h>

#include <boost/json/object.hpp>

#include "http/client.hpp"
#include "signing/internal.hpp"

namespace tinhso::signing {
namespace {

using pki::ossl::Bio;
using Req = std::unique_ptr<TS_REQ, pki::ossl::Deleter<TS_REQ_free>>;
using Resp = std::unique_ptr<TS_RESP, pki::ossl::Deleter<TS_RESP_free>>;
using RespCtx = std::unique_ptr<TS_RESP_CTX, pki::ossl::Deleter<TS_RESP_CTX_free>>;

// The TSA policy: an OID from the UUID arc (X.667), unique without registration. Published in
// README so that relying parties can recognise it.
constexpr const char* kTsaPolicy = "2.25.329800735698586629295641978511506172918";

Error TsaFailed(std::string_view why) {
  return MakeError(ErrorCode::kUnavailable, "signing.tsa_failed",
                   "Dịch vụ cấp dấu thời gian không trả lời được (" + std::string(why) + ").",
                   "The time-stamping service did not answer (" + std::string(why) + ").");
}

// PKCS7_get0_signers' stack: the certificates in it belong to the token.
void FreeStackOnly(STACK_OF(X509) * s) { sk_X509_free(s); }

ASN1_INTEGER* RandomSerial(TS_RESP_CTX*, void*) { return pki::ossl::NewRandomSerial(); }

int ClockTime(TS_RESP_CTX*, void* data, long* sec, long* usec) {
  const auto* clock = static_cast<const core::Clock*>(data);
  *sec = static_cast<long>(clock->Now().time_since_epoch().count());
  *usec = 0;
  return 1;
}

}  // namespace

Service::Service(pki::Service& pki, const core::Clock& clock, std::string tsa_url)
    : impl_(std::make_shared<Impl>(Impl{pki, clock, std::move(tsa_url)})) {}

Result<std::string> Service::RespondToTimeStampRequest(std::string_view request_der) {
  if (request_der.empty() || request_der.size() > 64 * 1024) {
    return MakeError(ErrorCode::kInvalidArgument, "signing.tsa_request_invalid",
                     "Yêu cầu dấu thời gian không hợp lệ.", "The time-stamp request is invalid.");
  }
  {
    const auto* p = reinterpret_cast<const unsigned char*>(request_der.data());
    Req parsed(d2i_TS_REQ(nullptr, &p, static_cast<long>(request_der.size())));
    if (!parsed) {
      ERR_clear_error();
      return MakeError(ErrorCode::kInvalidArgument, "signing.tsa_request_invalid",
                       "Yêu cầu dấu thời gian không đọc được (cần TimeStampReq, RFC 3161).",
                       "The time-stamp request cannot be read (a TimeStampReq, RFC 3161).");
    }
  }
  TINHSO_ASSIGN_OR_RETURN(auto tsa, impl_->TsaKey());
  RespCtx ctx(TS_RESP_CTX_new());
  using Obj = std::unique_ptr<ASN1_OBJECT, pki::ossl::Deleter<ASN1_OBJECT_free>>;
  Obj policy(OBJ_txt2obj(kTsaPolicy, 1));
  if (!ctx || !policy || TS_RESP_CTX_set_signer_cert(ctx.get(), tsa->certificate.get()) != 1 ||
      TS_RESP_CTX_set_signer_key(ctx.get(), tsa->key.get()) != 1 ||
      TS_RESP_CTX_set_certs(ctx.get(), tsa->chain.get()) != 1 ||
      TS_RESP_CTX_set_def_policy(ctx.get(), policy.get()) != 1 ||
      TS_RESP_CTX_add_md(ctx.get(), EVP_sha256()) != 1 ||
      TS_RESP_CTX_add_md(ctx.get(), EVP_sha384()) != 1 ||
      TS_RESP_CTX_add_md(ctx.get(), EVP_sha512()) != 1 ||
      TS_RESP_CTX_set_accuracy(ctx.get(), 1, 0, 0) != 1) {
    return pki::ossl::Internal("TSA context");
  }
  TS_RESP_CTX_set_signer_digest(ctx.get(), EVP_sha256());
  TS_RESP_CTX_set_serial_cb(ctx.get(), RandomSerial, nullptr);
  TS_RESP_CTX_set_time_cb(ctx.get(), ClockTime, const_cast<core::Clock*>(&impl_->clock));
  // ESS signingCertificateV2 in the token (RFC 5816), as current verifiers expect.
  TS_RESP_CTX_add_flags(ctx.get(), TS_ESS_CERT_ID_CHAIN);
  Bio in(BIO_new_mem_buf(request_der.data(), static_cast<int>(request_der.size())));
  Resp resp(TS_RESP_create_response(ctx.get(), in.get()));
  if (!resp) return pki::ossl::Internal("TS_RESP_create_response");
  unsigned char* out = nullptr;
  const int n = i2d_TS_RESP(resp.get(), &out);
  if (n <= 0) return pki::ossl::Internal("TS_RESP encoding");
  std::string der(reinterpret_cast<char*>(out), static_cast<std::size_t>(n));
  OPENSSL_free(out);
  return der;
}

Result<std::string> Service::TimeStamp(std::string_view sha256_digest) {
  // The request: SHA-256 imprint, a nonce against replays, and the TSA's certificate wanted.
  Req req(TS_REQ_new());
  using Imprint = std::unique_ptr<TS_MSG_IMPRINT, pki::ossl::Deleter<TS_MSG_IMPRINT_free>>;
  using Alg = std::unique_ptr<X509_ALGOR, pki::ossl::Deleter<X509_ALGOR_free>>;
  Imprint imprint(TS_MSG_IMPRINT_new());
  Alg alg(X509_ALGOR_new());
  X509_ALGOR_set0(alg.get(), OBJ_nid2obj(NID_sha256), V_ASN1_NULL, nullptr);
  unsigned char nonce_bytes[8];
  RAND_bytes(nonce_bytes, sizeof nonce_bytes);
  nonce_bytes[0] &= 0x7f;
  BIGNUM* nonce_bn = BN_bin2bn(nonce_bytes, sizeof nonce_bytes, nullptr);
  ASN1_INTEGER* nonce = BN_to_ASN1_INTEGER(nonce_bn, nullptr);
  BN_free(nonce_bn);
  const bool built =
      req && imprint && alg && TS_REQ_set_version(req.get(), 1) == 1 &&
      TS_MSG_IMPRINT_set_algo(imprint.get(), alg.get()) == 1 &&
      TS_MSG_IMPRINT_set_msg(
          imprint.get(), reinterpret_cast<unsigned char*>(const_cast<char*>(sha256_digest.data())),
          static_cast<int>(sha256_digest.size())) == 1 &&
      TS_REQ_set_msg_imprint(req.get(), imprint.get()) == 1 && nonce != nullptr &&
      TS_REQ_set_nonce(req.get(), nonce) == 1 && TS_REQ_set_cert_req(req.get(), 1) == 1;
  ASN1_INTEGER_free(nonce);
  if (!built) return pki::ossl::Internal("TS_REQ");
  unsigned char* req_out = nullptr;
  const int req_len = i2d_TS_REQ(req.get(), &req_out);
  if (req_len <= 0) return pki::ossl::Internal("TS_REQ encoding");
  const std::string request(reinterpret_cast<char*>(req_out), static_cast<std::size_t>(req_len));
  OPENSSL_free(req_out);

  std::string response;
  if (impl_->tsa_url.empty()) {
    TINHSO_ASSIGN_OR_RETURN(response, RespondToTimeStampRequest(request));
  } else {
    http::ClientRequest call;
    call.method = http::Method::kPost;
    call.url = impl_->tsa_url;
    call.headers.emplace_back("Content-Type", "application/timestamp-query");
    call.body = request;
    TINHSO_ASSIGN_OR_RETURN(http::ClientResponse answer, http::Fetch(call));
    if (answer.status != 200) return TsaFailed("HTTP " + std::to_string(answer.status));
    response = std::move(answer.body);
  }
  const auto* p = reinterpret_cast<const unsigned char*>(response.data());
  Resp resp(d2i_TS_RESP(nullptr, &p, static_cast<long>(response.size())));
  if (!resp) return TsaFailed("unreadable response");
  const long status =
      ASN1_INTEGER_get(TS_STATUS_INFO_get0_status(TS_RESP_get_status_info(resp.get())));
  if (status != TS_STATUS_GRANTED && status != TS_STATUS_GRANTED_WITH_MODS) {
    return TsaFailed("status " + std::to_string(status));
  }
  // The answer must be for this request: same imprint and nonce.
  using VerifyCtx = std::unique_ptr<TS_VERIFY_CTX, pki::ossl::Deleter<TS_VERIFY_CTX_free>>;
  VerifyCtx check(TS_REQ_to_TS_VERIFY_CTX(req.get(), nullptr));
  TS_VERIFY_CTX_set_flags(check.get(), TS_VFY_VERSION | TS_VFY_IMPRINT | TS_VFY_NONCE);
  if (!check || TS_RESP_verify_response(check.get(), resp.get()) != 1) {
    ERR_clear_error();
    return TsaFailed("the answer is not for this request");
  }
  PKCS7* token = TS_RESP_get_token(resp.get());
  unsigned char* out = nullptr;
  const int n = i2d_PKCS7(token, &out);
  if (n <= 0) return pki::ossl::Internal("token encoding");
  std::string der(reinterpret_cast<char*>(out), static_cast<std::size_t>(n));
  OPENSSL_free(out);
  return der;
}

Result<SignatureReport> Service::VerifyTimeStamp(std::string_view sha256_digest,
                                                 std::string_view token_der) const {
  using Pkcs7 = std::unique_ptr<PKCS7, pki::ossl::Deleter<PKCS7_free>>;
  const auto* p = reinterpret_cast<const unsigned char*>(token_der.data());
  Pkcs7 token(token_der.empty() || token_der.size() > 64 * 1024
                  ? nullptr
                  : d2i_PKCS7(nullptr, &p, static_cast<long>(token_der.size())));
  if (!token || PKCS7_type_is_signed(token.get()) == 0) {
    return pki::ossl::Failure(ErrorCode::kInvalidArgument, "signing.timestamp_malformed",
                              "Không đọc được dấu thời gian (cần TimeStampToken, RFC 3161).",
                              "The time-stamp cannot be read (a TimeStampToken, RFC 3161).");
  }
  TINHSO_ASSIGN_OR_RETURN(auto trusted, impl_->Trust());
  SignatureReport r;
  r.format = "timestamp";
  if (auto why = impl_->CheckToken(token.get(), sha256_digest, *trusted, r)) {
    internal::AddProblem(r, "timestamp",
                         "Dấu thời gian không hợp lệ, hoặc không phải của dữ liệu này.",
                         "The time-stamp is not valid, or not of this data (" + *why + ").");
  } else {
    r.integrity_ok = true;
  }
  // The TSA's certificate: who stamped, and whether it was revoked before the stamp.
  using Signers = std::unique_ptr<STACK_OF(X509), pki::ossl::Deleter<FreeStackOnly>>;
  Signers signers(PKCS7_get0_signers(token.get(), nullptr, 0));
  ERR_clear_error();
  if (signers && sk_X509_num(signers.get()) == 1) {
    X509* tsa = sk_X509_value(signers.get(), 0);
    internal::DescribeSigner(tsa, r);
    impl_->CheckChain(tsa, token->d.sign->cert, *trusted, r);
  }
  r.valid = r.integrity_ok && r.chain_ok && !r.revoked && r.problems.empty();
  return r;
}

}  // namespace tinhso::signing
