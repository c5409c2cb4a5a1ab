#include "auth/policy.hpp"

#include <algorithm>
#include <array>

namespace tinhso::auth {
namespace {

struct Grant {
  std::string_view role;
  Scope scope;
};

struct Rule {
  std::string_view action;
  std::vector<Grant> grants;  // empty with `open` = public
  bool open = false;          // kPublic: anyone, signed in or not
  // Open, and called by partner systems that prove who they are to the handler in their own
  // protocol (the gateway's subsystems: a client certificate or the gateway's bearer token), so
  // the guard reads no account credential.
  bool partner = false;
};

constexpr std::string_view kSignedIn = "*";  // any signed-in role

// THE table. A route whose action is missing here does not start (http server check) and fails
// the role × route matrix test. Keep it sorted by action.
const std::vector<Rule>& Table() {
  static const std::vector<Rule> kTable = {
      {"agency.manage", {{kRoleAdmin, Scope::kProvince}}},
      {"agency.reorganise", {{kRoleAdmin, Scope::kProvince}}},
      {"audit.read", {{kRoleAdmin, Scope::kProvince}}},
      {"audit.verify", {{kRoleAdmin, Scope::kProvince}}},
      {"auth.logout", {{kSignedIn, Scope::kSelf}}},
      {"auth.me", {{kSignedIn, Scope::kSelf}}},
      {"auth.password.change", {{kSignedIn, Scope::kSelf}}},
      {"auth.token.create", {{kSignedIn, Scope::kSelf}}},
      {"calendar.manage", {{kRoleAdmin, Scope::kProvince}}},
      {"catalog.manage", {{kRoleAdmin, Scope::kProvince}}},
      {"category.manage", {{kRoleAdmin, Scope::kProvince}}},  // shared categories (/dmdc)
      // An applicant's identity against the population database: those who receive dossiers.
      {"citizen.check",
       {{kRoleReception, Scope::kOwnAgency},
        {kRoleOfficer, Scope::kOwnAgency},
        {kRoleLeader, Scope::kOwnAgency}}},
      // A citizen's own record from the population database, to fill a submission.
      {"citizen.self", {{kRoleCitizen, Scope::kSelf}}},
      // Acting as the applicant: the submitting account (kSelf) for online dossiers; reception
      // (kOwnAgency) only for counter and postal dossiers, whose target names the receiving
      // agency (an online dossier's names none: dossiers::ApplicantTarget).
      {"dossier.applicant",
       {{kRoleCitizen, Scope::kSelf},
        {kRoleBusiness, Scope::kSelf},
        {kRoleReception, Scope::kOwnAgency}}},
      {"dossier.consult_answer",
       {{kRoleOfficer, Scope::kOwnAgency}, {kRoleLeader, Scope::kOwnAgency}}},
      {"dossier.decide", {{kRoleLeader, Scope::kOwnAgency}}},
      {"dossier.process", {{kRoleOfficer, Scope::kOwnAgency}, {kRoleLeader, Scope::kOwnAgency}}},
      {"dossier.read",
       {{kRoleAdmin, Scope::kProvince},
        {kRoleLeader, Scope::kSubtree},
        {kRoleOfficer, Scope::kOwnAgency},
        {kRoleReception, Scope::kOwnAgency},
        {kRoleClerk, Scope::kOwnAgency},
        {kRoleCitizen, Scope::kSelf},
        {kRoleBusiness, Scope::kSelf}}},
      {"dossier.queues",
       {{kRoleAdmin, Scope::kProvince},
        {kRoleLeader, Scope::kOwnAgency},
        {kRoleOfficer, Scope::kOwnAgency},
        {kRoleReception, Scope::kOwnAgency},
        {kRoleClerk, Scope::kOwnAgency}}},
      {"dossier.receive", {{kRoleReception, Scope::kOwnAgency}}},
      {"dossier.stats",
       {{kRoleAdmin, Scope::kProvince},
        {kRoleLeader, Scope::kSubtree},
        {kRoleOfficer, Scope::kOwnAgency},
        {kRoleReception, Scope::kOwnAgency}}},
      {"dossier.submit",
       {{kRoleCitizen, Scope::kSelf},
        {kRoleBusiness, Scope::kSelf},
        {kRoleReception, Scope::kOwnAgency}}},
      // Feedback sent from the portal: those who answer it.
      {"feedback.read",
       {{kRoleAdmin, Scope::kProvince},
        {kRoleLeader, Scope::kProvince},
        {kRoleReception, Scope::kProvince}}},
      // A dossier's notifications and their delivery: those who may read the dossier at work
      // (the dossier's own scope is checked by the route).
      // The national portal's synchronisation (src/dvcqg): its status table, and later its
      // queues and reconciliation.
      {"dvcqg.manage", {{kRoleAdmin, Scope::kProvince}}},
      {"dvcqg.read", {{kRoleAdmin, Scope::kProvince}}},
      {"gateway.call", {}, true, true},  // the LGSP gateway: subsystems, by their own proof
      {"gateway.manage", {{kRoleAdmin, Scope::kProvince}}},
      {"gateway.read", {{kRoleAdmin, Scope::kProvince}}},
      {"notification.dossier",
       {{kRoleAdmin, Scope::kProvince},
        {kRoleLeader, Scope::kSubtree},
        {kRoleOfficer, Scope::kOwnAgency},
        {kRoleReception, Scope::kOwnAgency},
        {kRoleClerk, Scope::kOwnAgency}}},
      {"notification.own", {{kSignedIn, Scope::kSelf}}},
      {"notification.templates", {{kRoleAdmin, Scope::kProvince}}},
      // A submission in progress is its account's alone (dossiers::Service drafts).
      {"draft.own", {{kRoleCitizen, Scope::kSelf}, {kRoleBusiness, Scope::kSelf}}},
      // The outbox of messages to other systems (src/outbox): its list, and retry or cancel.
      {"outbox.manage", {{kRoleAdmin, Scope::kProvince}}},
      {"outbox.read", {{kRoleAdmin, Scope::kProvince}}},
      {"payment.manage",
       {{kRoleAdmin, Scope::kProvince},
        {kRoleLeader, Scope::kOwnAgency},
        {kRoleOfficer, Scope::kOwnAgency},
        {kRoleReception, Scope::kOwnAgency}}},
      {"payment.read",
       {{kRoleAdmin, Scope::kProvince},
        {kRoleLeader, Scope::kSubtree},
        {kRoleOfficer, Scope::kOwnAgency},
        {kRoleReception, Scope::kOwnAgency}}},
      {"pki.manage", {{kRoleAdmin, Scope::kProvince}}},
      {"pki.read", {{kRoleAdmin, Scope::kProvince}, {kRoleLeader, Scope::kSubtree}}},
      {"public.agencies", {}, true},
      {"public.calendar", {}, true},
      {"public.catalog", {}, true},
      {"public.categories", {}, true},  // the shared categories, /dmdc
      {"public.demo_mailbox", {}, true},
      {"public.dossier_lookup", {}, true},
      {"public.feedback", {}, true},  // phản ánh, kiến nghị from anyone
      {"public.health", {}, true},
      {"public.login", {}, true},
      {"public.metrics", {}, true},
      {"public.notification_receipt", {}, true},
      {"public.oidc", {}, true},
      {"public.openapi", {}, true},
      {"public.password_reset", {}, true},
      {"public.payment_callback", {}, true},
      {"public.pki", {}, true},
      {"public.site", {}, true},  // the portal's contacts
      {"public.verify", {}, true},
      {"sign.document",
       {{kRoleOfficer, Scope::kOwnAgency},
        {kRoleLeader, Scope::kOwnAgency},
        {kRoleClerk, Scope::kOwnAgency},
        {kRoleReception, Scope::kOwnAgency}}},
      {"sign.organisation", {{kRoleClerk, Scope::kOwnAgency}, {kRoleLeader, Scope::kOwnAgency}}},
      {"sign.personal",
       {{kRoleOfficer, Scope::kSelf},
        {kRoleLeader, Scope::kSelf},
        {kRoleClerk, Scope::kSelf},
        {kRoleReception, Scope::kSelf}}},
      {"user.manage", {{kRoleAdmin, Scope::kProvince}}},
      {"user.read",
       {{kRoleAdmin, Scope::kProvince}, {kRoleLeader, Scope::kSubtree}, {kSignedIn, Scope::kSelf}}},
  };
  return kTable;
}

const Rule* Find(std::string_view action) {
  for (const Rule& r : Table()) {
    if (r.action == action) return &r;
  }
  return nullptr;
}

// Wider scopes first, so the first grant found is the widest.
int Width(Scope s) {
  switch (s) {
    case Scope::kPublic:
      return 5;
    case Scope::kProvince:
      return 4;
    case Scope::kSubtree:
      return 3;
    case Scope::kOwnAgency:
      return 2;
    case Scope::kSelf:
      return 1;
  }
  return 0;
}

Error Denied() {
  return MakeError(ErrorCode::kPermissionDenied, "auth.forbidden",
                   "Bạn không có quyền thực hiện thao tác này.",
                   "You do not have permission to do this.");
}

Error NeedsLogin() {
  return MakeError(ErrorCode::kUnauthenticated, "auth.required", "Vui lòng đăng nhập để tiếp tục.",
                   "Please sign in to continue.");
}

}  // namespace

const std::vector<std::string_view>& AllRoles() {
  static const std::vector<std::string_view> kRoles = {
      kRoleAnonymous, kRoleCitizen, kRoleBusiness, kRoleOfficer,
      kRoleReception, kRoleClerk,   kRoleLeader,   kRoleAdmin};
  return kRoles;
}

std::vector<std::string_view> RolesOf(const core::Actor& actor) {
  switch (actor.kind) {
    case core::ActorKind::kAnonymous:
      return {kRoleAnonymous};
    case core::ActorKind::kCitizen:
      return {kRoleCitizen};
    case core::ActorKind::kBusiness:
      return {kRoleBusiness};
    case core::ActorKind::kAdmin:
      return {kRoleAdmin};
    case core::ActorKind::kSystem:
      return {kRoleAdmin};
    case core::ActorKind::kOfficer: {
      std::vector<std::string_view> out;
      for (const auto& r : actor.roles) {
        // Only roles an officer may hold count; an "admin" string in an officer row does not.
        for (auto known : {kRoleOfficer, kRoleReception, kRoleClerk, kRoleLeader}) {
          if (r == known) out.push_back(known);
        }
      }
      return out;
    }
  }
  return {};
}

bool Policy::Knows(std::string_view action) { return Find(action) != nullptr; }

std::vector<std::string> Policy::Actions() {
  std::vector<std::string> out;
  for (const Rule& r : Table()) out.emplace_back(r.action);
  return out;
}

std::optional<Scope> Policy::WidestScope(const core::Actor& actor, std::string_view action) const {
  const Rule* rule = Find(action);
  if (rule == nullptr) return std::nullopt;
  if (rule->open) return Scope::kPublic;
  std::optional<Scope> best;
  const bool signed_in = actor.kind != core::ActorKind::kAnonymous;
  const auto roles = RolesOf(actor);
  for (const Grant& g : rule->grants) {
    const bool holds = (g.role == kSignedIn && signed_in) ||
                       std::find(roles.begin(), roles.end(), g.role) != roles.end();
    if (holds && (!best || Width(g.scope) > Width(*best))) best = g.scope;
  }
  return best;
}

bool Policy::IsPartnerAction(std::string_view action) {
  const Rule* rule = Find(action);
  return rule != nullptr && rule->partner;
}

bool Policy::Allows(const core::Actor& actor, std::string_view action) const {
  return WidestScope(actor, action).has_value();
}

Result<void> Policy::Check(const core::Actor& actor, std::string_view action,
                           const Target& target) const {
  const std::optional<Scope> scope = WidestScope(actor, action);
  if (!scope) {
    return actor.kind == core::ActorKind::kAnonymous ? NeedsLogin() : Denied();
  }
  // Every grant of the actor is tried, widest first, so that e.g. a leader reading their own
  // account (kSelf) outside their subtree is still allowed.
  const Rule* rule = Find(action);
  if (rule->open) return Ok();
  const bool signed_in = actor.kind != core::ActorKind::kAnonymous;
  const auto roles = RolesOf(actor);
  for (const Grant& g : rule->grants) {
    const bool holds = (g.role == kSignedIn && signed_in) ||
                       std::find(roles.begin(), roles.end(), g.role) != roles.end();
    if (!holds) continue;
    switch (g.scope) {
      case Scope::kPublic:
      case Scope::kProvince:
        return Ok();
      case Scope::kSubtree:
        if (target.agency_id != 0 && actor.agency_id != 0 && tree_ != nullptr &&
            tree_->IsWithin(target.agency_id, actor.agency_id)) {
          return Ok();
        }
        break;
      case Scope::kOwnAgency:
        if (target.agency_id != 0 && target.agency_id == actor.agency_id) return Ok();
        break;
      case Scope::kSelf:
        if (target.owner_user_id != 0 && target.owner_user_id == actor.user_id) return Ok();
        break;
    }
  }
  return Denied();
}

}  // namespace tinhso::auth
