#include "pki/openssl.hpp"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/rand.h>

#include <ctime>

namespace tinhso::pki::ossl {
namespace {

std::string DrainErrors() {
  std::string out;
  while (unsigned long e = ERR_get_error()) {
    char buf[256];
    ERR_error_string_n(e, buf, sizeof buf);
    if (!out.empty()) out += "; ";
    out += buf;
  }
  return out;
}

std::string FromBio(BIO* bio) {
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio, &data);
  return n > 0 ? std::string(data, static_cast<std::size_t>(n)) : std::string();
}

}  // namespace

Error Failure(ErrorCode code, std::string_view reason, std::string_view vi, std::string_view en) {
  Error e = MakeError(code, std::string(reason), std::string(vi), std::string(en));
  e.detail = DrainErrors();
  return e;
}

Error Internal(std::string_view what) {
  return InternalError("OpenSSL: " + std::string(what) + ": " + DrainErrors());
}

Result<Cert> ParseCertificate(std::string_view der_or_pem) {
  if (der_or_pem.size() > (1u << 20)) {
    return MakeError(ErrorCode::kInvalidArgument, "pki.certificate_invalid",
                     "Chứng thư số quá lớn.", "The certificate is too large.");
  }
  Cert cert;
  if (der_or_pem.find("-----BEGIN") != std::string_view::npos) {
    Bio bio(BIO_new_mem_buf(der_or_pem.data(), static_cast<int>(der_or_pem.size())));
    cert.reset(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
  } else {
    const auto* p = reinterpret_cast<const unsigned char*>(der_or_pem.data());
    cert.reset(d2i_X509(nullptr, &p, static_cast<long>(der_or_pem.size())));
  }
  if (!cert) {
    return Failure(ErrorCode::kInvalidArgument, "pki.certificate_invalid",
                   "Không đọc được chứng thư số (cần DER hoặc PEM).",
                   "The certificate cannot be read (DER or PEM expected).");
  }
  return cert;
}

std::string ToDer(X509* cert) {
  unsigned char* out = nullptr;
  const int n = i2d_X509(cert, &out);
  std::string der = n > 0 ? std::string(reinterpret_cast<char*>(out), static_cast<std::size_t>(n))
                          : std::string();
  OPENSSL_free(out);
  return der;
}

std::string ToDer(X509_CRL* crl) {
  unsigned char* out = nullptr;
  const int n = i2d_X509_CRL(crl, &out);
  std::string der = n > 0 ? std::string(reinterpret_cast<char*>(out), static_cast<std::size_t>(n))
                          : std::string();
  OPENSSL_free(out);
  return der;
}

Result<Key> ParsePrivateKey(std::string_view pkcs8_der) {
  const auto* p = reinterpret_cast<const unsigned char*>(pkcs8_der.data());
  Key key(d2i_AutoPrivateKey(nullptr, &p, static_cast<long>(pkcs8_der.size())));
  if (!key) return Internal("reading a sealed private key");
  return key;
}

std::string PrivateKeyToDer(EVP_PKEY* key) {
  Bio bio(BIO_new(BIO_s_mem()));
  if (i2d_PKCS8PrivateKey_bio(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    return {};
  }
  return FromBio(bio.get());
}

std::string NameText(const X509_NAME* name) {
  Bio bio(BIO_new(BIO_s_mem()));
  X509_NAME_print_ex(bio.get(), name, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB);
  return FromBio(bio.get());
}

std::string SerialHex(const X509* cert) {
  BIGNUM* bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(cert), nullptr);
  char* hex = bn != nullptr ? BN_bn2hex(bn) : nullptr;
  std::string out = hex != nullptr ? hex : "";
  OPENSSL_free(hex);
  BN_free(bn);
  return out;
}

std::chrono::sys_seconds ToTime(const ASN1_TIME* t) {
  std::tm tm{};
  if (t == nullptr || ASN1_TIME_to_tm(t, &tm) != 1) return {};
  return std::chrono::sys_seconds(std::chrono::seconds(timegm(&tm)));
}

ASN1_INTEGER* NewRandomSerial() {
  unsigned char bytes[16];
  if (RAND_bytes(bytes, sizeof bytes) != 1) return nullptr;
  bytes[0] &= 0x7f;  // positive
  bytes[0] |= 0x01;  // and never a leading zero byte
  BIGNUM* bn = BN_bin2bn(bytes, sizeof bytes, nullptr);
  ASN1_INTEGER* serial = bn != nullptr ? BN_to_ASN1_INTEGER(bn, nullptr) : nullptr;
  BN_free(bn);
  return serial;
}

}  // namespace tinhso::pki::ossl
