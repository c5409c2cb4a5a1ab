#include "auth/policy.hpp"

#include <gtest/gtest.h>

#include <map>
#include <set>

namespace tinhso::auth {
namespace {

// A tree: province 1 → department 2, commune 3; commune 3 → nothing; 4 is elsewhere.
class FakeTree : public AgencyTree {
 public:
  bool IsWithin(std::int64_t agency, std::int64_t ancestor) const override {
    for (std::int64_t a = agency; a != 0; a = Parent(a)) {
      if (a == ancestor) return true;
    }
    return false;
  }
  std::vector<std::int64_t> Subtree(std::int64_t root) const override {
    std::vector<std::int64_t> out;
    for (std::int64_t a : {1, 2, 3, 4}) {
      if (IsWithin(a, root)) out.push_back(a);
    }
    return out;
  }

 private:
  static std::int64_t Parent(std::int64_t a) {
    static const std::map<std::int64_t, std::int64_t> kParent = {{1, 0}, {2, 1}, {3, 1}, {4, 0}};
    return kParent.at(a);
  }
};

core::Actor Officer(std::int64_t id, std::int64_t agency, std::vector<std::string> roles) {
  core::Actor a;
  a.kind = core::ActorKind::kOfficer;
  a.user_id = id;
  a.agency_id = agency;
  a.roles = std::move(roles);
  return a;
}

TEST(PolicyTest, PublicActionsNeedNoSignIn) {
  Policy policy;
  core::Actor anonymous;
  EXPECT_TRUE(policy.Allows(anonymous, "public.health"));
  EXPECT_TRUE(policy.Check(anonymous, "public.agencies", {}).ok());
  EXPECT_FALSE(policy.Allows(anonymous, "user.read"));
  EXPECT_EQ(policy.Check(anonymous, "user.read", {}).error().code, ErrorCode::kUnauthenticated);
}

TEST(PolicyTest, UnknownActionIsDeniedToEveryone) {
  Policy policy;
  core::Actor admin;
  admin.kind = core::ActorKind::kAdmin;
  EXPECT_FALSE(Policy::Knows("dossier.teleport"));
  EXPECT_FALSE(policy.Allows(admin, "dossier.teleport"));
}

TEST(PolicyTest, LeaderSeesOwnSubtreeOnly) {
  FakeTree tree;
  Policy policy(&tree);
  const core::Actor leader = Officer(10, 1, {"leader"});
  EXPECT_TRUE(policy.Check(leader, "user.read", {.agency_id = 3}).ok()) << "commune below";
  EXPECT_TRUE(policy.Check(leader, "user.read", {.agency_id = 1}).ok()) << "own agency";
  EXPECT_EQ(policy.Check(leader, "user.read", {.agency_id = 4}).error().code,
            ErrorCode::kPermissionDenied)
      << "another province's agency";
  const core::Actor commune_leader = Officer(11, 3, {"leader"});
  EXPECT_FALSE(policy.Check(commune_leader, "user.read", {.agency_id = 1}).ok())
      << "a commune leader must not see the province";
  EXPECT_FALSE(policy.Check(commune_leader, "user.read", {.agency_id = 2}).ok())
      << "nor a sibling department";
}

TEST(PolicyTest, SelfScopeIsOwnObjectOnly) {
  Policy policy;
  const core::Actor officer = Officer(20, 2, {"officer"});
  EXPECT_TRUE(policy.Check(officer, "user.read", {.agency_id = 2, .owner_user_id = 20}).ok());
  EXPECT_FALSE(policy.Check(officer, "user.read", {.agency_id = 2, .owner_user_id = 21}).ok());
}

TEST(PolicyTest, OfficerCannotClaimAdminByRoleName) {
  Policy policy;
  const core::Actor sneaky = Officer(30, 2, {"admin"});
  EXPECT_FALSE(policy.Allows(sneaky, "user.manage"));
  EXPECT_FALSE(policy.Allows(sneaky, "audit.read"));
}

TEST(PolicyTest, CitizenHasNoOfficerPowers) {
  Policy policy;
  core::Actor citizen;
  citizen.kind = core::ActorKind::kCitizen;
  citizen.user_id = 40;
  for (const auto& action :
       {"user.manage", "agency.manage", "agency.reorganise", "audit.read", "calendar.manage"}) {
    EXPECT_FALSE(policy.Allows(citizen, action)) << action;
  }
  EXPECT_TRUE(policy.Allows(citizen, "auth.me"));
}

}  // namespace
}  // namespace tinhso::auth
