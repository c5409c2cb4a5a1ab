// Verification reports for people and programs.
#include <sstream>

#include "core/parse.hpp"
#include "signing/api.hpp"
#include "signing/signing.hpp"

namespace tinhso::signing {

VerificationView ToApi(const Verification& v) {
  VerificationView out{.format = v.format, .valid = v.AllValid(), .signatures = {}};
  out.signatures.reserve(v.signatures.size());
  for (const SignatureReport& s : v.signatures) {
    SignatureReportView r{.format = s.format,
                          .valid = s.valid,
                          .integrity_ok = s.integrity_ok,
                          .chain_ok = s.chain_ok,
                          .revocation_checked = s.revocation_checked,
                          .revoked = s.revoked,
                          .signer_name = s.signer_name,
                          .signer_organization = s.signer_organization,
                          .signer_title = s.signer_title,
                          .signer_subject = s.signer_subject,
                          .issuer_subject = s.issuer_subject,
                          .certificate_serial = s.certificate_serial,
                          .certificate_kind = s.certificate_kind,
                          .claimed_time = s.claimed_time,
                          .timestamp_time = s.timestamp_time,
                          .problems = {},
                          .notes = s.notes_vi,
                          .notes_en = s.notes_en};
    for (const Problem& p : s.problems) {
      r.problems.push_back({.code = p.code, .message = p.message_vi, .message_en = p.message_en});
    }
    out.signatures.push_back(std::move(r));
  }
  return out;
}

std::string ToJson(const Verification& v) { return http::Render(ToApi(v)); }

std::string ToText(const Verification& v) {
  std::ostringstream out;
  int n = 0;
  for (const SignatureReport& s : v.signatures) {
    ++n;
    out << "Chữ ký " << n << " / signature " << n << ": "
        << (s.valid ? "HỢP LỆ / VALID" : "KHÔNG HỢP LỆ / NOT VALID") << "\n";
    out << "  Người ký / signer: " << s.signer_name;
    if (!s.signer_title.empty()) out << ", " << s.signer_title;
    if (!s.signer_organization.empty()) out << " (" << s.signer_organization << ")";
    out << "\n  Cấp bởi / issued by: " << s.issuer_subject << "\n";
    if (s.timestamp_time) {
      out << "  Thời điểm ký (dấu thời gian) / signed at (time-stamp): "
          << core::FormatTimestamp(*s.timestamp_time) << "\n";
    } else if (s.claimed_time) {
      out << "  Thời điểm ký (người ký khai) / signed at (as claimed): "
          << core::FormatTimestamp(*s.claimed_time) << "\n";
    }
    for (const Problem& p : s.problems) {
      out << "  ✗ " << p.message_vi << "\n    " << p.message_en << "\n";
    }
    for (std::size_t i = 0; i < s.notes_vi.size(); ++i) {
      out << "  · " << s.notes_vi[i] << "\n    " << s.notes_en[i] << "\n";
    }
  }
  return out.str();
}

}  // namespace tinhso::signing
