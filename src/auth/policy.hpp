// The one permission policy: role × action × agency scope. Every route names an action; the
// guard asks Allows() before the handler runs, and handlers ask Check() for the object they
// touch (an agency's dossier, a citizen's own data). The table lives in policy.cpp.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/actor.hpp"
#include "core/result.hpp"

namespace tinhso::auth {

// Agency ancestry, implemented by the agencies module (auth must not depend on it).
class AgencyTree {
 public:
  virtual ~AgencyTree() = default;
  // True when `agency_id` is `ancestor_id` or lies below it in the current tree.
  virtual bool IsWithin(std::int64_t agency_id, std::int64_t ancestor_id) const = 0;
  // `root` and every current agency below it.
  virtual std::vector<std::int64_t> Subtree(std::int64_t root) const = 0;
};

enum class Scope {
  kPublic,     // anyone, signed in or not
  kProvince,   // every object in the province
  kSubtree,    // objects of the actor's agency and the agencies below it
  kOwnAgency,  // objects of the actor's own agency only
  kSelf,       // the actor's own objects (a citizen's dossiers, one's own account)
};

// Roles. Officers can hold several; citizens, businesses and admins have the one of their kind.
inline constexpr std::string_view kRoleAdmin = "admin";          // quản trị hệ thống
inline constexpr std::string_view kRoleLeader = "leader";        // lãnh đạo
inline constexpr std::string_view kRoleOfficer = "officer";      // chuyên viên xử lý
inline constexpr std::string_view kRoleReception = "reception";  // cán bộ một cửa
inline constexpr std::string_view kRoleClerk = "clerk";          // văn thư
inline constexpr std::string_view kRoleCitizen = "citizen";      // công dân
inline constexpr std::string_view kRoleBusiness = "business";    // doanh nghiệp
inline constexpr std::string_view kRoleAnonymous = "anonymous";  // not signed in

// Every role, for the role × route matrix test and for validating input.
const std::vector<std::string_view>& AllRoles();
// The roles an actor acts with (officers: their roles; others: their kind's role).
std::vector<std::string_view> RolesOf(const core::Actor& actor);

// What an object belongs to, for scope checks.
struct Target {
  std::int64_t agency_id = 0;      // 0 when the object belongs to no agency
  std::int64_t owner_user_id = 0;  // 0 when it has no owner
};

// Thread-safe after construction.
class Policy {
 public:
  explicit Policy(const AgencyTree* tree = nullptr) : tree_(tree) {}
  void SetAgencyTree(const AgencyTree* tree) { tree_ = tree; }
  const AgencyTree* tree() const { return tree_; }

  // True when `action` is in the table (a route with an unknown action must not start).
  static bool Knows(std::string_view action);
  // Every action in the table.
  static std::vector<std::string> Actions();

  // True for an open action whose callers are partner systems authenticated by the handler
  // itself (the gateway's /lgsp/…): the guard admits them anonymously without reading the
  // Authorization header, which carries the partner's credential, not an account's.
  static bool IsPartnerAction(std::string_view action);

  // Route level: may this actor perform `action` in at least one scope?
  bool Allows(const core::Actor& actor, std::string_view action) const;

  // Object level. Errors: kPermissionDenied (with a Vietnamese and English message),
  // kUnauthenticated when an anonymous actor asks for a non-public action.
  Result<void> Check(const core::Actor& actor, std::string_view action, const Target& target) const;

  // The widest scope the actor has for `action` (for building list filters), or nullopt.
  std::optional<Scope> WidestScope(const core::Actor& actor, std::string_view action) const;

 private:
  const AgencyTree* tree_;
};

}  // namespace tinhso::auth
