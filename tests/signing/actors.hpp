// The people of the signing tests: the administrator who runs the PKI, and a leader (user 21 of
// agency 13) whose personal certificate the tests issue.
#pragma once

#include "core/actor.hpp"

namespace tinhso::signing {

inline core::Actor Admin() {
  core::Actor a;
  a.kind = core::ActorKind::kAdmin;
  a.user_id = 1;
  a.roles = {"admin"};
  return a;
}

inline core::Actor Signer() {
  core::Actor a;
  a.kind = core::ActorKind::kOfficer;
  a.user_id = 21;
  a.agency_id = 13;
  a.roles = {"leader"};
  return a;
}

}  // namespace tinhso::signing
