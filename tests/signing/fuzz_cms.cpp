// libFuzzer target for CMS/CAdES verification: signing::Service::VerifyCms and Service::Verify
// on anything, over a real PKI (root and issuing CA, an organisation and a TSA certificate, in an
// in-memory SQLite database) that also trusts the root that signed the seeds in
// tests/fuzz/seeds/cms, so that the chain, time-stamp and revocation checks run too. Built only
// with clang, by scripts/fuzz.sh (see there), or:
//   CXX=clang++ cmake -S . -B build-fuzz -G Ninja \
//     -DCMAKE_CXX_FLAGS="-fsanitize=address,undefined -fsanitize=fuzzer-no-link"
//   cmake --build build-fuzz --target tinhso_cms_fuzz
//   build-fuzz/tests/signing/tinhso_cms_fuzz -dict=tests/signing/fuzz_cms.dict corpus/
// The first byte of an input chooses what the rest is (see Mode); the clock is fixed so that a
// failing input fails the same way on any day.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>

#include "auth/policy.hpp"
#include "core/actor.hpp"
#include "core/clock.hpp"
#include "core/text.hpp"
#include "pki/pki.hpp"
#include "signing/signing.hpp"
#include "storage/database.hpp"

namespace {

namespace pki = tinhso::pki;
namespace signing = tinhso::signing;
namespace core = tinhso::core;

// What the detached seeds signed.
constexpr std::string_view kDocument =
    "Quyết định số 15/QĐ-UBND về việc cấp phép hoạt động cơ sở in.\n";

// The root of the PKI that made the seeds (`tinhso pki init`, `pki issue`, `sign cms` on
// 2026-11-24; new seeds from another PKI need its root here): trusted so that their chains and
// time-stamps verify.
constexpr std::string_view kSeedRoot = R"(-----BEGIN CERTIFICATE-----
MIICbDCCAhKgAwIBAgIQNzqVEiH5GMEQcemmjRvdkDAKBggqhkjOPQQDAjCBlTEL
MAkGA1UEBhMCVk4xFjAUBgNVBAcMDVRow6FpIE5ndXnDqm4xMTAvBgNVBAoMKOG7
pnkgYmFuIG5ow6JuIGTDom4gdOG7iW5oIFRow6FpIE5ndXnDqm4xOzA5BgNVBAMM
MlJvb3QgQ0EgLSDhu6Z5IGJhbiBuaMOibiBkw6JuIHThu4luaCBUaMOhaSBOZ3V5
w6puMB4XDTI2MTEyNDAzMjUyNFoXDTQ2MTExOTAzMzAyNFowgZUxCzAJBgNVBAYT
AlZOMRYwFAYDVQQHDA1UaMOhaSBOZ3V5w6puMTEwLwYDVQQKDCjhu6Z5IGJhbiBu
aMOibiBkw6JuIHThu4luaCBUaMOhaSBOZ3V5w6puMTswOQYDVQQDDDJSb290IENB
IC0g4bumeSBiYW4gbmjDom4gZMOibiB04buJbmggVGjDoWkgTmd1ecOqbjBZMBMG
ByqGSM49AgEGCCqGSM49AwEHA0IABBSNDxoLxELd9mUbaTRZWWf3e09eDyV8vbHL
BwEYQ6hSR+rux28vp6BlygkctRTg4XC+spiEwdSdx/KlhWUfgtujQjBAMB0GA1Ud
DgQWBBTp/nBNcItDtPjaF5nejZwV9ZMtgTAPBgNVHRMBAf8EBTADAQH/MA4GA1Ud
DwEB/wQEAwIBBjAKBggqhkjOPQQDAgNIADBFAiBUPCeWzwceTZphHyj0v3Dttc/X
R6GLmqGJ6bi42cEEDgIhALRvYes5q/pA4+utMoiSzhJFWD/1HSYIPS8iauPNihsa
-----END CERTIFICATE-----
)";

enum Mode : std::uint8_t {
  kAttached = 0,      // VerifyCms({}, rest): the content inside the CMS
  kDetached = 1,      // VerifyCms(kDocument, rest)
  kAnyFile = 2,       // Verify(rest, {}): PDF, XML or attached CMS, recognised from the content
  kDetachedFile = 3,  // Verify(kDocument, rest)
};

[[noreturn]] void Die(std::string_view what, const tinhso::Error& e) {
  std::fprintf(stderr, "fuzz_cms: %.*s: %s %s\n", static_cast<int>(what.size()), what.data(),
               e.reason.c_str(), e.detail.c_str());
  std::abort();
}

core::Actor Admin() {
  core::Actor a;
  a.kind = core::ActorKind::kAdmin;
  a.user_id = 1;
  a.roles = {"admin"};
  return a;
}

struct World {
  core::FakeClock clock{core::Seconds(std::chrono::seconds(1796083200))};  // 2026-12-01 UTC
  tinhso::auth::Policy policy;
  std::unique_ptr<tinhso::storage::Database> db;
  std::unique_ptr<pki::Service> ca;
  std::unique_ptr<signing::Service> verifier;

  World() {
    auto opened = tinhso::storage::Open("sqlite::memory:");
    if (!opened.ok()) Die("open", opened.error());
    db = std::move(opened).value();
    if (auto m = tinhso::storage::Migrate(*db, tinhso::storage::EmbeddedMigrations()); !m.ok()) {
      Die("migrate", m.error());
    }
    pki::Options o;
    o.master_key = pki::NewMasterKey();
    o.master_key_loaded = true;
    ca = std::make_unique<pki::Service>(*db, clock, policy, o);
    if (auto init = ca->Init({}, Admin()); !init.ok()) Die("pki init", init.error());
    for (pki::Kind kind : {pki::Kind::kOrganisation, pki::Kind::kTsa}) {
      pki::IssueInput in;
      in.kind = kind;
      in.subject.common_name =
          kind == pki::Kind::kTsa ? "Dịch vụ cấp dấu thời gian" : "Sở Tư pháp tỉnh Thái Nguyên";
      in.subject.organization = "Ủy ban nhân dân tỉnh Thái Nguyên";
      in.agency_id = 13;
      if (auto issued = ca->Issue(in, Admin()); !issued.ok()) Die("pki issue", issued.error());
    }
    if (auto added = ca->AddTrustAnchor(kSeedRoot, Admin()); !added.ok()) {
      Die("trust anchor", added.error());
    }
    verifier = std::make_unique<signing::Service>(*ca, clock);
  }
};

// Never destroyed: still reachable (not a leak), and no teardown races OpenSSL's atexit cleanup.
World& TheWorld() {
  static World& world = *new World();
  return world;
}

void Check(const tinhso::Result<signing::Verification>& v) {
  // To see what an input (a seed, a crash) verifies as: TINHSO_CMS_FUZZ_PRINT=1 … -runs=0 FILE
  static const bool print = std::getenv("TINHSO_CMS_FUZZ_PRINT") != nullptr;
  if (!v.ok()) {
    if (print) {
      std::fprintf(stderr, "error: %s %s\n", v.error().reason.c_str(), v.error().detail.c_str());
    }
    return;
  }
  for (const signing::SignatureReport& r : v->signatures) {
    // "valid" is the conjunction of the checks: a report that says otherwise is a bug.
    if (r.valid && (!r.integrity_ok || !r.chain_ok || r.revoked || !r.problems.empty())) {
      __builtin_trap();
    }
    if (!r.valid && r.problems.empty() && r.format == "cms") __builtin_trap();
  }
  // The API's and the CLI's renderings of whatever the certificates say: UTF-8, as everything
  // the server sends.
  const std::string text = signing::ToText(*v);
  if (!core::IsValidUtf8(signing::ToJson(*v)) || !core::IsValidUtf8(text)) __builtin_trap();
  if (print) std::fprintf(stderr, "%s\n", text.c_str());
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  (void)TheWorld();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const signing::Service& service = *TheWorld().verifier;
  const Mode mode = size > 0 ? static_cast<Mode>(data[0] % 4) : kAttached;
  const std::string_view rest =
      size > 0 ? std::string_view(reinterpret_cast<const char*>(data) + 1, size - 1) : "";
  switch (mode) {
    case kAttached:
      Check(service.VerifyCms({}, rest));
      break;
    case kDetached:
      Check(service.VerifyCms(kDocument, rest));
      break;
    case kAnyFile:
      Check(service.Verify(rest, {}));
      break;
    case kDetachedFile:
      Check(service.Verify(kDocument, rest));
      break;
  }
  return 0;
}
