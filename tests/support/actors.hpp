// Someone holding one role, for tests that ask the permission policy: the account's kind follows
// from the role (citizen, business, admin; any other role is an officer's).
#pragma once

#include <cstdint>
#include <string>

#include "core/actor.hpp"

namespace tinhso::test {

inline core::Actor Person(std::string role, std::int64_t id) {
  core::Actor a;
  a.kind = role == "citizen"    ? core::ActorKind::kCitizen
           : role == "business" ? core::ActorKind::kBusiness
           : role == "admin"    ? core::ActorKind::kAdmin
                                : core::ActorKind::kOfficer;
  a.user_id = id;
  a.login = "u" + std::to_string(id);
  a.roles = {std::move(role)};
  return a;
}

}  // namespace tinhso::test
