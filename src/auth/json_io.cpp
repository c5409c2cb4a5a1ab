// An account's API view from its domain struct, and its JSON, shared by the routes and the audit
// entries: the log and the API say the same thing the same way.
#include "auth/api.hpp"
#include "auth/json.hpp"
#include "core/parse.hpp"

namespace tinhso::auth {
namespace {

AccountKind ToAccountKind(core::ActorKind kind) {
  switch (kind) {
    case core::ActorKind::kCitizen:
      return AccountKind::kCitizen;
    case core::ActorKind::kBusiness:
      return AccountKind::kBusiness;
    case core::ActorKind::kAdmin:
      return AccountKind::kAdmin;
    default:  // accounts are only ever of the four kinds (ParseActorKind)
      return AccountKind::kOfficer;
  }
}

}  // namespace

core::ActorKind ToActorKind(AccountKind kind) {
  switch (kind) {
    case AccountKind::kCitizen:
      return core::ActorKind::kCitizen;
    case AccountKind::kBusiness:
      return core::ActorKind::kBusiness;
    case AccountKind::kAdmin:
      return core::ActorKind::kAdmin;
    case AccountKind::kOfficer:
      break;
  }
  return core::ActorKind::kOfficer;
}

UserView ToApi(const User& u) {
  UserView v{
      .id = u.id,
      .login = u.login,
      .kind = ToAccountKind(u.kind),
      .full_name = u.full_name,
      .email = u.email,
      .phone = u.phone,
      .agency_id = u.agency_id == 0 ? std::nullopt : std::optional<std::int64_t>(u.agency_id),
      .position = u.position,
      .roles = u.roles,
      .disabled = u.disabled};
  if (!u.identity_provider.empty()) v.identity_provider = u.identity_provider;
  v.identity_verified_at = u.identity_verified_at;
  if (auto d = core::ParseDate(u.birth_date)) v.birth_date = *d;
  return v;
}

boost::json::object UserToJson(const User& u) { return http::ToJson(ToApi(u)).as_object(); }

}  // namespace tinhso::auth
