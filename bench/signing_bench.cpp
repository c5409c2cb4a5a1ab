// make bench: signatures and verifications per second for a 1 MB PDF (PAdES with an RFC 3161
// time-stamp from the built-in TSA) and a small XML document (XML-DSig), for ECDSA P-256 and
// RSA-3072 keys, on a throw-away SQLite PKI. Prints one JSON object on stdout:
//   {"pdf_ec":{"sign":N,"verify":N}, "pdf_rsa":…, "xml_ec":…, "xml_rsa":…, "pdf_bytes":N}
// Signing is timed with the key in hand (the format and the cryptography); an audited signature
// through the API adds one durable commit for its audit entry.
//   tinhso_signing_bench WORKDIR [SECONDS]
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <iostream>
#include <string>

#include "auth/policy.hpp"
#include "core/clock.hpp"
#include "pki/pki.hpp"
#include "signing/signing.hpp"
#include "storage/database.hpp"

namespace {

using namespace tinhso;

// A one-page PDF padded to about `size` bytes with an unreferenced stream (a scanned page's
// weight), with a classic cross-reference table.
std::string PdfOfSize(std::size_t size) {
  std::string out = "%PDF-1.7\n%\xE2\xE3\xCF\xD3\n";
  const std::string filler(size, 'x');
  const std::string objects[] = {
      "<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
      "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
      "<< /Length " + std::to_string(filler.size()) + " >>\nstream\n" + filler + "\nendstream"};
  std::vector<std::size_t> offsets;
  for (std::size_t i = 0; i < std::size(objects); ++i) {
    offsets.push_back(out.size());
    out += std::to_string(i + 1) + " 0 obj\n" + objects[i] + "\nendobj\n";
  }
  const std::size_t xref = out.size();
  out += "xref\n0 5\n0000000000 65535 f \n";
  for (std::size_t off : offsets) {
    char line[24];
    std::snprintf(line, sizeof line, "%010zu 00000 n \n", off);
    out += line;
  }
  return out + "trailer\n<< /Size 5 /Root 1 0 R >>\nstartxref\n" + std::to_string(xref) +
         "\n%%EOF\n";
}

// Operations per second of `op`, run for at least `seconds` (and at least 3 times).
double Rate(double seconds, const std::function<bool()>& op) {
  const auto start = std::chrono::steady_clock::now();
  int n = 0;
  double elapsed = 0;
  do {
    if (!op()) return 0;
    ++n;
    elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  } while (elapsed < seconds || n < 3);
  return n / elapsed;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: tinhso_signing_bench WORKDIR [SECONDS]\n";
    return 2;
  }
  const double seconds = argc > 2 ? std::stod(argv[2]) : 3.0;
  const std::string path = std::string(argv[1]) + "/signing-bench.db";
  std::filesystem::remove(path);
  auto db = storage::Open("sqlite:" + path);
  if (!db.ok() || !storage::Migrate(**db).ok()) {
    std::cerr << "cannot open " << path << "\n";
    return 1;
  }
  core::SystemClock clock;
  auth::Policy policy;
  pki::Options options;
  options.master_key = pki::NewMasterKey();
  options.master_key_loaded = true;
  pki::Service pki(**db, clock, policy, options);
  const core::Actor system = core::SystemActor();
  if (!pki.Init({}, system).ok()) return 1;
  auto issue = [&](pki::Kind kind, pki::KeyType type) -> std::int64_t {
    pki::IssueInput in;
    in.kind = kind;
    in.key_type = type;
    in.subject.common_name = "Đo hiệu năng";
    in.subject.organization = "UBND tỉnh Thái Nguyên";
    in.agency_id = 1;
    in.user_id = 1;
    auto c = pki.Issue(in, system);
    return c.ok() ? c->id : 0;
  };
  issue(pki::Kind::kTsa, pki::KeyType::kEcdsaP256);
  signing::Service signer(pki, clock);
  const std::string pdf = PdfOfSize(1 << 20);
  const std::string xml =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?><vanban><so>15/QĐ-UBND</so><trichyeu>Về việc "
      "cấp phép hoạt động cơ sở in</trichyeu></vanban>";
  std::string json = "{";
  for (auto [label, type] :
       {std::pair{"ec", pki::KeyType::kEcdsaP256}, std::pair{"rsa", pki::KeyType::kRsa3072}}) {
    const std::int64_t id = issue(pki::Kind::kOfficial, type);
    auto key = pki.KeyForSigning(id, system);
    if (!key.ok()) return 1;
    std::string signed_pdf, signed_xml;
    const double pdf_sign = Rate(seconds, [&] {
      auto r = signer.SignPdfWithKey(pdf, *key);
      if (r.ok()) signed_pdf = std::move(*r);
      return r.ok();
    });
    const double pdf_verify = Rate(seconds, [&] {
      auto r = signer.VerifyPdf(signed_pdf);
      return r.ok() && r->AllValid();
    });
    const double xml_sign = Rate(seconds, [&] {
      auto r = signer.SignXmlWithKey(xml, *key);
      if (r.ok()) signed_xml = std::move(*r);
      return r.ok();
    });
    const double xml_verify = Rate(seconds, [&] {
      auto r = signer.VerifyXml(signed_xml);
      return r.ok() && r->AllValid();
    });
    char buf[256];
    std::snprintf(buf, sizeof buf,
                  "\"pdf_%s\":{\"sign\":%.2f,\"verify\":%.2f},\"xml_%s\":{\"sign\":%.2f,"
                  "\"verify\":%.2f},",
                  label, pdf_sign, pdf_verify, label, xml_sign, xml_verify);
    json += buf;
  }
  json += "\"pdf_bytes\":" + std::to_string(pdf.size()) + "}";
  std::cout << json << "\n";
  return 0;
}
