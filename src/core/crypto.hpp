// Small cryptographic helpers shared by auth and audit (OpenSSL for hashing, libsodium for
// randomness and constant-time comparison).
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>

namespace tinhso::core {

// SHA-256 of `data`: the 32 raw bytes, and as lower-case hex.
std::string Sha256(std::string_view data);
std::string Sha256Hex(std::string_view data);

// Lower-case hex of bytes, and back (nullopt for an odd length or a non-hex character).
std::string HexEncode(std::string_view bytes);
std::optional<std::string> HexDecode(std::string_view hex);

// SHA-256 of data given in pieces (a file read a chunk at a time).
class Sha256Hasher {
 public:
  Sha256Hasher();
  ~Sha256Hasher();
  Sha256Hasher(const Sha256Hasher&) = delete;
  Sha256Hasher& operator=(const Sha256Hasher&) = delete;
  void Update(std::string_view data);
  // Lower-case hex of everything given; the hasher is spent afterwards.
  std::string HexDigest();

 private:
  void* context_;  // EVP_MD_CTX, kept out of this header
};

// `bytes` random bytes from the OS CSPRNG, as unpadded base64url (URL- and cookie-safe).
std::string RandomToken(std::size_t bytes = 32);

// `length` characters drawn uniformly from `alphabet` (at most 256 characters) by the CSPRNG:
// short human-typable secrets such as the lookup code printed on a receipt.
std::string RandomString(std::size_t length, std::string_view alphabet);

// Standard base64 (RFC 4648, with padding). Decode returns nullopt for malformed input.
std::string Base64Encode(std::string_view data);
std::optional<std::string> Base64Decode(std::string_view text);
// Unpadded base64url (RFC 4648 §5), as JOSE (JWT, JWK) and PKCE write binary values. Decode
// returns nullopt for malformed input, padding included.
std::string Base64UrlEncode(std::string_view data);
std::optional<std::string> Base64UrlDecode(std::string_view text);

// Secrets at rest (private keys, logged message bodies): XSalsa20-Poly1305 (libsodium
// secretbox) under a 32-byte key, a fresh random nonce each time; the result is nonce ||
// ciphertext. Open returns nullopt when the key is wrong or the bytes were changed.
using SecretKey = std::array<unsigned char, 32>;
std::string SealSecret(std::string_view plain, const SecretKey& key);
std::optional<std::string> OpenSecret(std::string_view sealed, const SecretKey& key);

// Compares secrets in time independent of where they differ.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace tinhso::core
