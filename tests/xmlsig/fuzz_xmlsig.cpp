// libFuzzer target for XML-DSig verification: xmlsig::Verify on anything. Built only with clang:
//   CXX=clang++ cmake -S . -B build-xml-fuzz -G Ninja \
//     -DCMAKE_CXX_FLAGS="-fsanitize=address,undefined -fsanitize=fuzzer-no-link"
//   cmake --build build-xml-fuzz --target tinhso_xmlsig_fuzz
//   build-xml-fuzz/tests/xmlsig/tinhso_xmlsig_fuzz -dict=tests/xmlsig/fuzz_xmlsig.dict corpus/
// libxml2, xmlsec and OpenSSL are Debian's (not instrumented): the sanitizers watch our code
// and how it drives them.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "xmlsig/xmlsig.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace xmlsig = tinhso::xmlsig;
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  auto found = xmlsig::Verify(bytes);
  if (found.ok()) {
    for (const xmlsig::SignatureInfo& info : *found) {
      // A verified signature always names its signer.
      if (info.integrity_ok && info.signer_certificate_der.empty()) __builtin_trap();
    }
  }
  return 0;
}
