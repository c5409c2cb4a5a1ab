// libFuzzer target for the PDF reader: Inspect, ReadSignatures (with SignedBytes), and
// PrepareSignature + EmbedSignature + ReadSignatures on whatever parses. Built only with clang:
//   CXX=clang++ cmake -S . -B build-pdf-fuzz -G Ninja \
//     -DCMAKE_CXX_FLAGS="-fsanitize=address,undefined -fsanitize=fuzzer-no-link"
//   cmake --build build-pdf-fuzz --target tinhso_pdf_fuzz
//   build-pdf-fuzz/tests/pdf/tinhso_pdf_fuzz -dict=tests/pdf/fuzz_pdf.dict corpus/
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "pdf/pdf.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace pdf = tinhso::pdf;
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  (void)pdf::Inspect(bytes);
  auto signatures = pdf::ReadSignatures(bytes);
  if (signatures.ok()) {
    for (const pdf::SignatureInfo& signature : *signatures) {
      (void)pdf::SignedBytes(bytes, signature);
    }
  }
  pdf::SignatureRequest request;
  request.contents_capacity = 2048;
  request.reason = "Phê duyệt";
  auto prepared = pdf::PrepareSignature(bytes, request);
  if (prepared.ok()) {
    auto embedded = pdf::EmbedSignature(*prepared, std::string_view("\x30\x03\x02\x01\x00", 5));
    if (embedded.ok()) {
      auto again = pdf::ReadSignatures(*embedded);
      // What we wrote must read back when the input did: a failure is a bug in the writer.
      if (signatures.ok() && (!again.ok() || again->size() != signatures->size() + 1 ||
                              !again->back().byte_range_ok || !again->back().covers_whole_file)) {
        __builtin_trap();
      }
    }
  }
  return 0;
}
