// Who is making a request: resolved by auth, carried by http::Context, read by every module's
// permission checks. A plain struct so that http and storage need not know about auth.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace tinhso::core {

enum class ActorKind {
  kAnonymous,  // no session: public routes only
  kOfficer,    // cán bộ, công chức in an agency
  kCitizen,    // công dân (12-digit CCCD)
  kBusiness,   // doanh nghiệp (tax code)
  kAdmin,      // quản trị hệ thống
  kSystem,     // the CLI and background jobs
};

struct Actor {
  ActorKind kind = ActorKind::kAnonymous;
  std::int64_t user_id = 0;
  std::string login;
  std::string full_name;
  std::int64_t agency_id = 0;  // officers: the agency they work in
  std::string position;        // chức danh, as printed on forms
  std::vector<std::string> roles;
  std::string session_id;   // empty for bearer tokens and the CLI
  bool via_cookie = false;  // cookie sessions must send the CSRF token on changes
  // Citizens and businesses: the identity provider that verified the account's identity number
  // and name ("vneid"), when (UTC seconds), and the date of birth it gave (YYYY-MM-DD); empty
  // and 0 otherwise. An online submission carries them as the applicant's.
  std::string identity_provider;
  std::int64_t identity_verified_at = 0;
  std::string birth_date;

  bool HasRole(std::string_view role) const {
    for (const auto& r : roles) {
      if (r == role) return true;
    }
    return false;
  }
};

inline Actor SystemActor() {
  Actor a;
  a.kind = ActorKind::kSystem;
  a.login = "system";
  a.full_name = "Hệ thống";
  return a;
}

}  // namespace tinhso::core
