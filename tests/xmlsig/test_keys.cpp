#include "xmlsig/test_keys.hpp"

#include <sys/wait.h>

#include <array>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>

#include "support/temp_dir.hpp"

namespace tinhso::xmlsig::test {

namespace {

void Run(const std::string& command) {
  const ShellRun r = Shell(command);
  if (r.exit_code != 0) {
    std::cerr << "test key generation failed: " << command << "\n" << r.out << std::endl;
    std::abort();
  }
}

Signer MakeSigner(const std::filesystem::path& dir, const std::string& name,
                  const std::string& algorithm, const std::string& subject) {
  const std::string d = dir.string();
  Run("cd " + d + " && openssl genpkey " + algorithm + " -out " + name + ".key" +
      " && openssl req -new -utf8 -key " + name + ".key -subj '" + subject + "' -out " + name +
      ".csr && openssl x509 -req -in " + name +
      ".csr -CA issuing.pem -CAkey issuing.key -CAcreateserial -days 30 -extfile leaf.cnf -out " +
      name + ".pem && openssl pkcs8 -topk8 -nocrypt -in " + name + ".key -outform DER -out " +
      name + ".p8 && openssl x509 -in " + name + ".pem -outform DER -out " + name + ".der");
  Signer s;
  s.key_pem = dir / (name + ".key");
  s.cert_pem = dir / (name + ".pem");
  s.key_der = ReadFile(dir / (name + ".p8"));
  s.cert_der = ReadFile(dir / (name + ".der"));
  return s;
}

TestPki Make() {
  TestPki k;
  k.dir = tinhso::test::TempDir();
  const std::string d = k.dir.string();
  WriteFile(k.dir / "ca.cnf",
            "basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n");
  WriteFile(k.dir / "leaf.cnf",
            "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,nonRepudiation\n");
  const std::string ec = "-algorithm EC -pkeyopt ec_paramgen_curve:P-256";
  Run("cd " + d + " && openssl genpkey " + ec +
      " -out root.key && openssl req -x509 -new -utf8 -key root.key -days 30 -subj "
      "'/CN=Root CA thử nghiệm/O=Tỉnh Thái Nguyên' -addext "
      "basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign "
      "-out root.pem && openssl genpkey " +
      ec +
      " -out issuing.key && openssl req -new -utf8 -key issuing.key -subj "
      "'/CN=Issuing CA thử nghiệm/O=Tỉnh Thái Nguyên' -out issuing.csr && openssl x509 -req "
      "-in issuing.csr -CA root.pem -CAkey root.key -CAcreateserial -days 30 -extfile ca.cnf "
      "-out issuing.pem && openssl x509 -in root.pem -outform DER -out root.der && openssl x509 "
      "-in issuing.pem -outform DER -out issuing.der");
  k.root_pem = k.dir / "root.pem";
  k.issuing_pem = k.dir / "issuing.pem";
  k.root_der = ReadFile(k.dir / "root.der");
  k.issuing_der = ReadFile(k.dir / "issuing.der");
  k.chain = {k.issuing_der};
  k.ec = MakeSigner(k.dir, "ec", ec,
                    "/CN=Nguyễn Văn An/title=Phó Giám đốc/O=Sở Tư pháp tỉnh Thái Nguyên");
  k.rsa = MakeSigner(k.dir, "rsa", "-algorithm RSA -pkeyopt rsa_keygen_bits:3072",
                     "/CN=Tran Thi Binh/O=So Tai chinh, tinh Thai Nguyen");
  return k;
}

}  // namespace

const TestPki& Keys() {
  static const TestPki keys = Make();
  return keys;
}

ShellRun Xmlsec1Verify(std::string_view xml) {
  static std::atomic<int> counter{0};
  const TestPki& k = Keys();
  const auto file = k.dir / ("verify-" + std::to_string(counter++) + ".xml");
  WriteFile(file, xml);
  return Shell("xmlsec1 --verify --trusted-pem " + k.root_pem.string() + " --untrusted-pem " +
               k.issuing_pem.string() + " " + file.string());
}

}  // namespace tinhso::xmlsig::test
