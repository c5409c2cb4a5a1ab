// Keys the oidc tests generate for themselves.
#pragma once

#include <string>

namespace tinhso::oidc::test {

// A new private key in PEM: P-256 when `ec`, else RSA-2048.
std::string GeneratePem(bool ec);

}  // namespace tinhso::oidc::test
