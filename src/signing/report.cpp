// Verification reports for people and programs.
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <sstream>

#include "core/json.hpp"
#include "core/parse.hpp"
#include "signing/signing.hpp"

namespace tinhso::signing {
namespace {

namespace bj = boost::json;

bj::value Time(const std::optional<core::Seconds>& t) {
  return t ? bj::value(core::FormatTimestamp(*t)) : bj::value(nullptr);
}

}  // namespace

std::string ToJson(const Verification& v) {
  bj::array signatures;
  for (const SignatureReport& s : v.signatures) {
    bj::array problems;
    for (const Problem& p : s.problems) {
      problems.push_back(
          bj::object{{"code", p.code}, {"message", p.message_vi}, {"message_en", p.message_en}});
    }
    signatures.push_back(bj::object{{"format", s.format},
                                    {"valid", s.valid},
                                    {"integrity_ok", s.integrity_ok},
                                    {"chain_ok", s.chain_ok},
                                    {"revocation_checked", s.revocation_checked},
                                    {"revoked", s.revoked},
                                    {"signer_name", s.signer_name},
                                    {"signer_organization", s.signer_organization},
                                    {"signer_title", s.signer_title},
                                    {"signer_subject", s.signer_subject},
                                    {"issuer_subject", s.issuer_subject},
                                    {"certificate_serial", s.certificate_serial},
                                    {"certificate_kind", s.certificate_kind},
                                    {"claimed_time", Time(s.claimed_time)},
                                    {"timestamp_time", Time(s.timestamp_time)},
                                    {"problems", std::move(problems)},
                                    {"notes", bj::array(s.notes_vi.begin(), s.notes_vi.end())},
                                    {"notes_en", bj::array(s.notes_en.begin(), s.notes_en.end())}});
  }
  return json::Serialize(bj::object{
      {"format", v.format}, {"valid", v.AllValid()}, {"signatures", std::move(signatures)}});
}

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
