// Private keys at rest: XSalsa20-Poly1305 (libsodium secretbox) under the master key, a fresh
// random nonce per key. The master key never enters the database, so a stolen backup alone
// holds no usable key.
#include <sodium.h>

#include "core/crypto.hpp"
#include "pki/internal.hpp"

namespace tinhso::pki {

std::array<unsigned char, 32> NewMasterKey() {
  static_assert(crypto_secretbox_KEYBYTES == 32);
  std::array<unsigned char, 32> key{};
  crypto_secretbox_keygen(key.data());
  return key;
}

Result<std::array<unsigned char, 32>> ParseMasterKey(std::string_view bytes_or_base64) {
  std::string raw(bytes_or_base64);
  if (raw.size() != 32) {
    while (!raw.empty() && (raw.back() == '\n' || raw.back() == '\r' || raw.back() == ' ')) {
      raw.pop_back();
    }
    auto decoded = core::Base64Decode(raw);
    raw = decoded.value_or("");
  }
  if (raw.size() != 32) {
    return MakeError(ErrorCode::kInvalidArgument, "pki.master_key_invalid",
                     "Khóa chủ của PKI phải là 32 byte (hoặc 32 byte mã hóa base64).",
                     "The PKI master key must be 32 bytes (or 32 bytes in base64).");
  }
  std::array<unsigned char, 32> key{};
  std::copy(raw.begin(), raw.end(), key.begin());
  sodium_memzero(raw.data(), raw.size());
  return key;
}

namespace internal {

std::string Seal(std::string_view plain, const std::array<unsigned char, 32>& key) {
  return core::SealSecret(plain, key);
}

Result<std::string> Open(std::string_view sealed, const std::array<unsigned char, 32>& key) {
  std::optional<std::string> plain = core::OpenSecret(sealed, key);
  if (!plain) {
    return MakeError(ErrorCode::kInternal, "pki.key_unsealable",
                     "Không mở được khóa bí mật: khóa chủ của PKI không đúng.",
                     "A private key cannot be opened: the PKI master key is wrong.");
  }
  return std::move(*plain);
}

}  // namespace internal
}  // namespace tinhso::pki
