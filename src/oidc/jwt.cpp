#include "oidc/jwt.hpp"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <algorithm>
#include <boost/json.hpp>

#include "core/crypto.hpp"
#include "core/json.hpp"

namespace tinhso::oidc {

namespace json = boost::json;

namespace {

struct PkeyFree {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;

Error TokenError(std::string reason, std::string vi, std::string en) {
  return MakeError(ErrorCode::kUnauthenticated, std::move(reason),
                   "Đăng nhập qua tài khoản định danh không thành công: " + vi,
                   "Sign-in through the identity provider failed: " + en);
}

Error Malformed(std::string_view what) {
  return TokenError("oidc.token_malformed", "mã xác thực (token) không đúng định dạng.",
                    "the token is malformed (" + std::string(what) + ").");
}

Error KeyInvalid(std::string_view what) {
  return MakeError(ErrorCode::kInvalidArgument, "oidc.key_invalid",
                   "Khóa ký không dùng được: " + std::string(what) + ".",
                   "The signing key cannot be used: " + std::string(what) + ".");
}

Error AlgRefused(std::string_view alg) {
  return TokenError("oidc.alg_refused",
                    "thuật toán ký '" + std::string(alg) + "' không được chấp nhận.",
                    "the signature algorithm '" + std::string(alg) + "' is not accepted.");
}

bool Supported(std::string_view alg) {
  return std::find(std::begin(kSupportedAlgorithms), std::end(kSupportedAlgorithms), alg) !=
         std::end(kSupportedAlgorithms);
}

std::string_view KeyTypeFor(std::string_view alg) { return alg == "ES256" ? "EC" : "RSA"; }

std::string_view Bytes(const unsigned char* p, std::size_t n) {
  return {reinterpret_cast<const char*>(p), n};
}

// ---- Keys from JWK members (EVP_PKEY_fromdata) -------------------------------------------------

struct BnFree {
  void operator()(BIGNUM* b) const { BN_free(b); }
};
using Bn = std::unique_ptr<BIGNUM, BnFree>;

Bn BnFromBytes(std::string_view bytes) {
  return Bn(BN_bin2bn(reinterpret_cast<const unsigned char*>(bytes.data()),
                      static_cast<int>(bytes.size()), nullptr));
}

Pkey FromData(const char* type, OSSL_PARAM_BLD* bld) {
  OSSL_PARAM* params = OSSL_PARAM_BLD_to_param(bld);
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr);
  EVP_PKEY* key = nullptr;
  if (params != nullptr && ctx != nullptr && EVP_PKEY_fromdata_init(ctx) == 1) {
    if (EVP_PKEY_fromdata(ctx, &key, EVP_PKEY_PUBLIC_KEY, params) != 1) key = nullptr;
  }
  EVP_PKEY_CTX_free(ctx);
  OSSL_PARAM_free(params);
  return Pkey(key);
}

Pkey RsaKey(std::string_view n, std::string_view e) {
  Bn bn_n = BnFromBytes(n);
  Bn bn_e = BnFromBytes(e);
  OSSL_PARAM_BLD* bld = OSSL_PARAM_BLD_new();
  Pkey key;
  if (bn_n && bn_e && bld != nullptr &&
      OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, bn_n.get()) == 1 &&
      OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, bn_e.get()) == 1) {
    key = FromData("RSA", bld);
  }
  OSSL_PARAM_BLD_free(bld);
  return key;
}

Pkey P256Key(std::string_view x, std::string_view y) {
  if (x.size() != 32 || y.size() != 32) return nullptr;
  std::string point = "\x04" + std::string(x) + std::string(y);  // uncompressed SEC1 point
  OSSL_PARAM_BLD* bld = OSSL_PARAM_BLD_new();
  Pkey key;
  if (bld != nullptr &&
      OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0) == 1 &&
      OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, point.data(), point.size()) ==
          1) {
    key = FromData("EC", bld);
  }
  OSSL_PARAM_BLD_free(bld);
  return key;
}

std::optional<std::string> B64Member(const json::object& o, std::string_view name) {
  const json::value* v = o.if_contains(name);
  if (v == nullptr || !v->is_string()) return std::nullopt;
  return core::Base64UrlDecode(std::string_view(v->as_string()));
}

std::string StringMember(const json::object& o, std::string_view name) {
  const json::value* v = o.if_contains(name);
  return v != nullptr && v->is_string() ? std::string(v->as_string()) : std::string();
}

// ---- Signatures --------------------------------------------------------------------------------

// ECDSA signatures are DER (SEQUENCE of two INTEGERs) for OpenSSL, r||s (32 bytes each) in JOSE.
std::optional<std::string> RawToDer(std::string_view raw) {
  if (raw.size() != 64) return std::nullopt;
  ECDSA_SIG* sig = ECDSA_SIG_new();
  Bn r = BnFromBytes(raw.substr(0, 32));
  Bn s = BnFromBytes(raw.substr(32));
  if (sig == nullptr || !r || !s || ECDSA_SIG_set0(sig, r.get(), s.get()) != 1) {
    ECDSA_SIG_free(sig);
    return std::nullopt;
  }
  (void)r.release();  // owned by sig now
  (void)s.release();
  unsigned char* der = nullptr;
  const int n = i2d_ECDSA_SIG(sig, &der);
  ECDSA_SIG_free(sig);
  if (n <= 0) return std::nullopt;
  std::string out(Bytes(der, static_cast<std::size_t>(n)));
  OPENSSL_free(der);
  return out;
}

std::optional<std::string> DerToRaw(std::string_view der) {
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  ECDSA_SIG* sig = d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der.size()));
  if (sig == nullptr) return std::nullopt;
  std::string raw(64, '\0');
  auto* out = reinterpret_cast<unsigned char*>(raw.data());
  const bool ok = BN_bn2binpad(ECDSA_SIG_get0_r(sig), out, 32) == 32 &&
                  BN_bn2binpad(ECDSA_SIG_get0_s(sig), out + 32, 32) == 32;
  ECDSA_SIG_free(sig);
  if (!ok) return std::nullopt;
  return raw;
}

// Sets RSASSA-PSS with a salt as long as the digest (RFC 7518 §3.5) on a sign or verify context.
bool UsePss(EVP_PKEY_CTX* pctx) {
  return EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) == 1 &&
         EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST) == 1;
}

bool VerifyWith(EVP_PKEY* key, std::string_view alg, std::string_view input,
                std::string_view signature) {
  std::string der;
  if (alg == "ES256") {
    auto converted = RawToDer(signature);
    if (!converted) return false;
    der = std::move(*converted);
    signature = der;
  }
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  EVP_PKEY_CTX* pctx = nullptr;
  bool ok = ctx != nullptr && EVP_DigestVerifyInit(ctx, &pctx, EVP_sha256(), nullptr, key) == 1 &&
            (alg != "PS256" || UsePss(pctx)) &&
            EVP_DigestVerify(ctx, reinterpret_cast<const unsigned char*>(signature.data()),
                             signature.size(), reinterpret_cast<const unsigned char*>(input.data()),
                             input.size()) == 1;
  EVP_MD_CTX_free(ctx);
  return ok;
}

Result<std::string> SignWith(EVP_PKEY* key, std::string_view alg, std::string_view input) {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  EVP_PKEY_CTX* pctx = nullptr;
  std::size_t length = 0;
  std::string signature;
  bool ok = ctx != nullptr && EVP_DigestSignInit(ctx, &pctx, EVP_sha256(), nullptr, key) == 1 &&
            (alg != "PS256" || UsePss(pctx)) &&
            EVP_DigestSign(ctx, nullptr, &length,
                           reinterpret_cast<const unsigned char*>(input.data()), input.size()) == 1;
  if (ok) {
    signature.resize(length);
    ok = EVP_DigestSign(ctx, reinterpret_cast<unsigned char*>(signature.data()), &length,
                        reinterpret_cast<const unsigned char*>(input.data()), input.size()) == 1;
    signature.resize(length);
  }
  EVP_MD_CTX_free(ctx);
  if (!ok) return KeyInvalid("the signature could not be made");
  if (alg == "ES256") {
    auto raw = DerToRaw(signature);
    if (!raw) return KeyInvalid("the ECDSA signature could not be converted");
    return std::move(*raw);
  }
  return signature;
}

Result<Pkey> ReadPrivateKey(std::string_view pem, std::string_view alg) {
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  Pkey key(bio != nullptr ? PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr) : nullptr);
  BIO_free(bio);
  if (!key) return KeyInvalid("not a PEM private key");
  const bool ec = EVP_PKEY_is_a(key.get(), "EC") == 1;
  const bool rsa = EVP_PKEY_is_a(key.get(), "RSA") == 1;
  if (!alg.empty() && ((KeyTypeFor(alg) == "EC" && !ec) || (KeyTypeFor(alg) == "RSA" && !rsa))) {
    return KeyInvalid("the key does not suit " + std::string(alg));
  }
  if (!ec && !rsa) return KeyInvalid("neither RSA nor EC");
  return key;
}

std::string B64Bn(EVP_PKEY* key, const char* name, int pad = 0) {
  BIGNUM* bn = nullptr;
  if (EVP_PKEY_get_bn_param(key, name, &bn) != 1) return {};
  const int n = std::max(pad, BN_num_bytes(bn));
  std::string bytes(static_cast<std::size_t>(n), '\0');
  BN_bn2binpad(bn, reinterpret_cast<unsigned char*>(bytes.data()), n);
  BN_free(bn);
  return core::Base64UrlEncode(bytes);
}

Result<json::object> ParseJsonObject(std::string_view text) {
  auto parsed = tinhso::json::ParseObject(text);
  if (!parsed.ok()) return Malformed("not a JSON object");
  return std::move(*parsed);
}

std::optional<std::int64_t> NumericDate(const json::object& o, std::string_view name) {
  const json::value* v = o.if_contains(name);
  if (v == nullptr) return std::nullopt;
  if (v->is_int64()) return v->as_int64();
  if (v->is_uint64() && v->as_uint64() <= static_cast<std::uint64_t>(INT64_MAX)) {
    return static_cast<std::int64_t>(v->as_uint64());
  }
  if (v->is_double()) return static_cast<std::int64_t>(v->as_double());
  return std::nullopt;
}

}  // namespace

struct KeySet::Key {
  std::string kid;
  std::string kty;  // "RSA" or "EC"
  std::string alg;  // the JWK's own "alg", when it says one
  Pkey pkey;
};

KeySet::KeySet() = default;
KeySet::~KeySet() = default;
KeySet::KeySet(const KeySet&) = default;
KeySet& KeySet::operator=(const KeySet&) = default;

Result<KeySet> KeySet::Parse(std::string_view jwks_json) {
  auto invalid = [] {
    return MakeError(ErrorCode::kInvalidArgument, "oidc.jwks_invalid",
                     "Danh sách khóa công khai (JWKS) của nhà cung cấp định danh không hợp lệ.",
                     "The identity provider's public key set (JWKS) is not valid.");
  };
  auto parsed = tinhso::json::ParseObject(jwks_json);
  if (!parsed.ok()) return invalid();
  const json::value* keys = parsed->if_contains("keys");
  if (keys == nullptr || !keys->is_array()) return invalid();
  KeySet out;
  for (const json::value& v : keys->as_array()) {
    if (!v.is_object()) continue;
    const json::object& o = v.as_object();
    const std::string use = StringMember(o, "use");
    if (!use.empty() && use != "sig") continue;
    auto key = std::make_shared<Key>();
    key->kid = StringMember(o, "kid");
    key->kty = StringMember(o, "kty");
    key->alg = StringMember(o, "alg");
    if (key->kty == "RSA") {
      auto n = B64Member(o, "n");
      auto e = B64Member(o, "e");
      if (!n || !e) continue;
      key->pkey = RsaKey(*n, *e);
      if (key->pkey && EVP_PKEY_get_bits(key->pkey.get()) < 2048) continue;
    } else if (key->kty == "EC" && StringMember(o, "crv") == "P-256") {
      auto x = B64Member(o, "x");
      auto y = B64Member(o, "y");
      if (!x || !y) continue;
      key->pkey = P256Key(*x, *y);
    }
    if (key->pkey) out.keys_.push_back(std::move(key));
  }
  return out;
}

std::size_t KeySet::size() const { return keys_.size(); }

bool KeySet::Has(std::string_view kid) const {
  return std::any_of(keys_.begin(), keys_.end(), [&](const auto& k) { return k->kid == kid; });
}

Result<JwsHeader> PeekHeader(std::string_view compact) {
  const auto dot = compact.find('.');
  if (dot == std::string_view::npos) return Malformed("no '.'");
  auto bytes = core::Base64UrlDecode(compact.substr(0, dot));
  if (!bytes) return Malformed("header is not base64url");
  TINHSO_ASSIGN_OR_RETURN(json::object header, ParseJsonObject(*bytes));
  const json::value* alg = header.if_contains("alg");
  if (alg == nullptr || !alg->is_string()) return Malformed("no alg");
  return JwsHeader{.alg = std::string(alg->as_string()),
                   .kid = StringMember(header, "kid"),
                   .typ = StringMember(header, "typ")};
}

Result<std::string> VerifyJws(std::string_view compact, const KeySet& keys,
                              const std::vector<std::string>& allowed) {
  const auto first = compact.find('.');
  const auto second = first == std::string_view::npos ? first : compact.find('.', first + 1);
  if (second == std::string_view::npos || compact.find('.', second + 1) != std::string_view::npos) {
    return Malformed("not three parts");
  }
  TINHSO_ASSIGN_OR_RETURN(JwsHeader header, PeekHeader(compact));
  // "none" is refused whatever the configuration says: an unsigned token proves nothing.
  if (!Supported(header.alg) ||
      std::find(allowed.begin(), allowed.end(), header.alg) == allowed.end()) {
    return AlgRefused(header.alg);
  }
  auto payload = core::Base64UrlDecode(compact.substr(first + 1, second - first - 1));
  auto signature = core::Base64UrlDecode(compact.substr(second + 1));
  if (!payload || !signature) return Malformed("payload or signature is not base64url");
  const std::string_view input = compact.substr(0, second);
  bool candidate = false;
  for (const auto& key : keys.keys_) {
    if (!header.kid.empty() && key->kid != header.kid) continue;
    if (key->kty != KeyTypeFor(header.alg)) continue;
    if (!key->alg.empty() && key->alg != header.alg) continue;
    candidate = true;
    if (VerifyWith(key->pkey.get(), header.alg, input, *signature)) return std::move(*payload);
  }
  if (!candidate) {
    return TokenError("oidc.unknown_key", "khóa ký của mã xác thực không có trong danh sách khóa.",
                      "the token's signing key (kid '" + header.kid + "') is not in the key set.");
  }
  return TokenError("oidc.bad_signature", "chữ ký của mã xác thực không đúng.",
                    "the token's signature does not verify.");
}

Result<IdToken> CheckIdTokenClaims(std::string_view payload_json, const IdTokenCheck& check) {
  TINHSO_ASSIGN_OR_RETURN(json::object claims, ParseJsonObject(payload_json));
  const std::string iss = StringMember(claims, "iss");
  const std::string sub = StringMember(claims, "sub");
  const auto exp = NumericDate(claims, "exp");
  const auto iat = NumericDate(claims, "iat");
  if (iss.empty() || sub.empty() || !exp || !iat) return Malformed("iss, sub, exp or iat missing");
  if (iss != check.issuer) {
    return TokenError("oidc.wrong_issuer", "mã xác thực không do nhà cung cấp đã cấu hình cấp.",
                      "the token was issued by '" + iss + "', not the configured provider.");
  }
  std::vector<std::string> audience;
  const json::value* aud = claims.if_contains("aud");
  if (aud != nullptr && aud->is_string()) {
    audience.emplace_back(aud->as_string());
  } else if (aud != nullptr && aud->is_array()) {
    for (const auto& a : aud->as_array()) {
      if (a.is_string()) audience.emplace_back(a.as_string());
    }
  }
  const std::string azp = StringMember(claims, "azp");
  const bool ours = std::find(audience.begin(), audience.end(), check.client_id) != audience.end();
  // Several audiences: the party it was issued to (azp) must be us (Core §3.1.3.7, 4–5).
  if (!ours || ((audience.size() > 1 || !azp.empty()) && azp != check.client_id)) {
    return TokenError("oidc.wrong_audience", "mã xác thực không cấp cho cổng dịch vụ này.",
                      "the token was not issued to this client.");
  }
  const std::int64_t now = check.now.time_since_epoch().count();
  const std::int64_t skew = check.clock_skew.count();
  if (*exp + skew <= now) {
    return TokenError("oidc.token_expired", "mã xác thực đã hết hạn.", "the token has expired.");
  }
  const auto nbf = NumericDate(claims, "nbf");
  if (*iat > now + skew || (nbf && *nbf > now + skew)) {
    return TokenError("oidc.token_not_yet_valid",
                      "mã xác thực ghi thời điểm trong tương lai (đồng hồ hai bên lệch nhau?).",
                      "the token is dated in the future (are the clocks apart?).");
  }
  const std::string nonce = StringMember(claims, "nonce");
  if (check.nonce.empty() || !core::ConstantTimeEquals(nonce, check.nonce)) {
    return TokenError("oidc.nonce_mismatch", "mã xác thực không thuộc lần đăng nhập này.",
                      "the token's nonce does not belong to this sign-in.");
  }
  return IdToken{.subject = sub,
                 .expires_at = core::Seconds(std::chrono::seconds(*exp)),
                 .issued_at = core::Seconds(std::chrono::seconds(*iat)),
                 .payload_json = std::string(payload_json)};
}

Result<std::map<std::string, std::string>> StringClaims(std::string_view json_object) {
  TINHSO_ASSIGN_OR_RETURN(json::object o, ParseJsonObject(json_object));
  std::map<std::string, std::string> out;
  for (const auto& [name, v] : o) {
    if (v.is_string()) {
      out[std::string(name)] = std::string(v.as_string());
    } else if (v.is_int64() || v.is_uint64() || v.is_double() || v.is_bool()) {
      out[std::string(name)] = json::serialize(v);
    }
  }
  return out;
}

Result<std::string> SignJws(std::string_view alg, std::string_view kid,
                            std::string_view payload_json, std::string_view private_key_pem) {
  if (!Supported(alg)) return AlgRefused(alg);
  TINHSO_ASSIGN_OR_RETURN(Pkey key, ReadPrivateKey(private_key_pem, alg));
  json::object header{{"alg", alg}, {"typ", "JWT"}};
  if (!kid.empty()) header["kid"] = kid;
  const std::string input =
      core::Base64UrlEncode(json::serialize(header)) + "." + core::Base64UrlEncode(payload_json);
  TINHSO_ASSIGN_OR_RETURN(std::string signature, SignWith(key.get(), alg, input));
  return input + "." + core::Base64UrlEncode(signature);
}

Result<std::string> PublicJwk(std::string_view private_key_pem, std::string_view kid,
                              std::string_view alg) {
  TINHSO_ASSIGN_OR_RETURN(Pkey key, ReadPrivateKey(private_key_pem, alg));
  json::object jwk{{"kid", kid}, {"use", "sig"}, {"alg", alg}};
  if (EVP_PKEY_is_a(key.get(), "RSA") == 1) {
    jwk["kty"] = "RSA";
    jwk["n"] = B64Bn(key.get(), OSSL_PKEY_PARAM_RSA_N);
    jwk["e"] = B64Bn(key.get(), OSSL_PKEY_PARAM_RSA_E);
  } else {
    jwk["kty"] = "EC";
    jwk["crv"] = "P-256";
    jwk["x"] = B64Bn(key.get(), OSSL_PKEY_PARAM_EC_PUB_X, 32);
    jwk["y"] = B64Bn(key.get(), OSSL_PKEY_PARAM_EC_PUB_Y, 32);
  }
  return json::serialize(jwk);
}

}  // namespace tinhso::oidc
