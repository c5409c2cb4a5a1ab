// Who calls the gateway's administration in its tests: an administrator, and an officer who may
// not manage it.
#pragma once

#include "core/actor.hpp"

namespace tinhso::gateway::test_actors {

inline core::Actor Admin() {
  core::Actor a;
  a.kind = core::ActorKind::kAdmin;
  a.user_id = 1;
  a.login = "admin";
  a.roles = {"admin"};
  return a;
}

inline core::Actor Officer() {
  core::Actor a;
  a.kind = core::ActorKind::kOfficer;
  a.user_id = 7;
  a.agency_id = 13;
  a.roles = {"officer"};
  return a;
}

}  // namespace tinhso::gateway::test_actors
