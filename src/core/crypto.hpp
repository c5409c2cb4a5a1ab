// Small cryptographic helpers shared by auth and audit (OpenSSL for hashing, libsodium for
// randomness and constant-time comparison).
#pragma once

#include <string>
#include <string_view>

namespace tinhso::core {

// Lower-case hex SHA-256 of `data`.
std::string Sha256Hex(std::string_view data);

// `bytes` random bytes from the OS CSPRNG, as unpadded base64url (URL- and cookie-safe).
std::string RandomToken(std::size_t bytes = 32);

// Compares secrets in time independent of where they differ.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace tinhso::core
