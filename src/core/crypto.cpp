#include "core/crypto.hpp"

#include <openssl/evp.h>
#include <sodium.h>

#include <cstdint>
#include <stdexcept>
#include <vector>

namespace tinhso::core {
namespace {

struct SodiumInit {
  SodiumInit() {
    if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
  }
};

void EnsureSodium() { static SodiumInit init; }

std::string Hex(const unsigned char* digest, unsigned int length) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(length * 2);
  for (unsigned int i = 0; i < length; ++i) {
    out.push_back(kHex[digest[i] >> 4]);
    out.push_back(kHex[digest[i] & 0xF]);
  }
  return out;
}

}  // namespace

std::string Sha256(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(data.data(), data.size(), digest, &length, EVP_sha256(), nullptr);
  return std::string(reinterpret_cast<const char*>(digest), length);
}

std::string Sha256Hex(std::string_view data) {
  const std::string digest = Sha256(data);
  return Hex(reinterpret_cast<const unsigned char*>(digest.data()),
             static_cast<unsigned int>(digest.size()));
}

std::string HexEncode(std::string_view bytes) {
  return Hex(reinterpret_cast<const unsigned char*>(bytes.data()),
             static_cast<unsigned int>(bytes.size()));
}

std::optional<std::string> HexDecode(std::string_view hex) {
  if (hex.size() % 2 != 0) return std::nullopt;
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out(hex.size() / 2, '\0');
  for (std::size_t i = 0; i < out.size(); ++i) {
    const int high = nibble(hex[2 * i]);
    const int low = nibble(hex[2 * i + 1]);
    if (high < 0 || low < 0) return std::nullopt;
    out[i] = static_cast<char>(high * 16 + low);
  }
  return out;
}

Sha256Hasher::Sha256Hasher() : context_(EVP_MD_CTX_new()) {
  EVP_DigestInit_ex(static_cast<EVP_MD_CTX*>(context_), EVP_sha256(), nullptr);
}

Sha256Hasher::~Sha256Hasher() { EVP_MD_CTX_free(static_cast<EVP_MD_CTX*>(context_)); }

void Sha256Hasher::Update(std::string_view data) {
  EVP_DigestUpdate(static_cast<EVP_MD_CTX*>(context_), data.data(), data.size());
}

std::string Sha256Hasher::HexDigest() {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_DigestFinal_ex(static_cast<EVP_MD_CTX*>(context_), digest, &length);
  return Hex(digest, length);
}

std::string RandomToken(std::size_t bytes) {
  EnsureSodium();
  std::vector<unsigned char> raw(bytes);
  randombytes_buf(raw.data(), raw.size());
  return Base64UrlEncode(std::string_view(reinterpret_cast<const char*>(raw.data()), raw.size()));
}

std::string RandomString(std::size_t length, std::string_view alphabet) {
  EnsureSodium();
  std::string out;
  out.reserve(length);
  const auto n = static_cast<std::uint32_t>(alphabet.size());
  for (std::size_t i = 0; i < length; ++i) out.push_back(alphabet[randombytes_uniform(n)]);
  return out;
}

namespace {

std::string EncodeBase64(std::string_view data, int variant) {
  EnsureSodium();
  std::string out(sodium_base64_encoded_len(data.size(), variant), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(data.data()),
                    data.size(), variant);
  out.resize(out.find('\0'));
  return out;
}

std::optional<std::string> DecodeBase64(std::string_view text, int variant) {
  EnsureSodium();
  std::string out(text.size() / 4 * 3 + 3, '\0');
  std::size_t length = 0;
  const char* end = nullptr;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(),
                        text.size(), nullptr, &length, &end, variant) != 0 ||
      end != text.data() + text.size()) {
    return std::nullopt;
  }
  out.resize(length);
  return out;
}

}  // namespace

std::string Base64Encode(std::string_view data) {
  return EncodeBase64(data, sodium_base64_VARIANT_ORIGINAL);
}

std::optional<std::string> Base64Decode(std::string_view text) {
  return DecodeBase64(text, sodium_base64_VARIANT_ORIGINAL);
}

std::string Base64UrlEncode(std::string_view data) {
  return EncodeBase64(data, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

std::optional<std::string> Base64UrlDecode(std::string_view text) {
  return DecodeBase64(text, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  EnsureSodium();
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string SealSecret(std::string_view plain, const SecretKey& key) {
  static_assert(crypto_secretbox_KEYBYTES == std::tuple_size_v<SecretKey>);
  std::string out(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + plain.size(), '\0');
  auto* nonce = reinterpret_cast<unsigned char*>(out.data());
  randombytes_buf(nonce, crypto_secretbox_NONCEBYTES);
  crypto_secretbox_easy(nonce + crypto_secretbox_NONCEBYTES,
                        reinterpret_cast<const unsigned char*>(plain.data()), plain.size(), nonce,
                        key.data());
  return out;
}

std::optional<std::string> OpenSecret(std::string_view sealed, const SecretKey& key) {
  constexpr std::size_t kOverhead = crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES;
  if (sealed.size() < kOverhead) return std::nullopt;
  std::string plain(sealed.size() - kOverhead, '\0');
  const auto* nonce = reinterpret_cast<const unsigned char*>(sealed.data());
  if (crypto_secretbox_open_easy(
          reinterpret_cast<unsigned char*>(plain.data()), nonce + crypto_secretbox_NONCEBYTES,
          sealed.size() - crypto_secretbox_NONCEBYTES, nonce, key.data()) != 0) {
    return std::nullopt;
  }
  return plain;
}

}  // namespace tinhso::core
