// Throw-away keys and certificates for the xmlsig tests, made once per process by the openssl
// CLI (support/shell.hpp runs it and xmlsec1).
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "support/shell.hpp"

namespace tinhso::xmlsig::test {

using ShellRun = tinhso::test::ShellResult;
using tinhso::test::ReadFile;
using tinhso::test::Shell;
using tinhso::test::WriteFile;

struct Signer {
  std::filesystem::path key_pem;   // PKCS#8 PEM, for xmlsec1 --privkey-pem
  std::filesystem::path cert_pem;  //
  std::string key_der;             // PKCS#8 DER
  std::string cert_der;
};

// root (EC P-256, self-signed) → issuing CA (EC P-256) → two signers: ECDSA P-256 with a
// Vietnamese subject, RSA-3072 with an ASCII one.
struct TestPki {
  std::filesystem::path dir;
  std::filesystem::path root_pem, issuing_pem;
  std::string root_der, issuing_der;
  Signer ec, rsa;
  std::vector<std::string> chain;  // {issuing_der}
};

// Made on first use; aborts the test binary if the openssl CLI fails.
const TestPki& Keys();

// `xmlsec1 --verify --trusted-pem root.pem --untrusted-pem issuing.pem <file>` on `xml`.
ShellRun Xmlsec1Verify(std::string_view xml);

}  // namespace tinhso::xmlsig::test
