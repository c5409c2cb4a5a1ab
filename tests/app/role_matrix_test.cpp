// Walks every route of the real application router with a real session for every role and
// checks the guard's decision against the table below, which is written by hand from the
// product rules, not derived from the policy code. A new route whose action is missing here
// fails the test: decide who may call it, then add a row.
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "app_fixture.hpp"

namespace tinhso::app {
namespace {

using Roles = std::set<std::string>;
const Roles kEveryone = {"anonymous", "citizen", "business", "officer",
                         "reception", "clerk",   "leader",   "admin"};
const Roles kSignedIn = {"citizen", "business", "officer", "reception", "clerk", "leader", "admin"};
const Roles kAdminOnly = {"admin"};

const std::map<std::string, Roles>& Expected() {
  static const std::map<std::string, Roles> kExpected = {
      {"public.health", kEveryone},
      {"public.metrics", kEveryone},
      {"public.openapi", kEveryone},
      {"public.calendar", kEveryone},
      {"public.agencies", kEveryone},
      {"public.login", kEveryone},
      {"public.oidc", kEveryone},
      {"public.password_reset", kEveryone},
      {"auth.logout", kSignedIn},
      {"auth.me", kSignedIn},
      {"auth.password.change", kSignedIn},
      {"auth.token.create", kSignedIn},
      // Everyone signed in may read their own account; the handler narrows it to that.
      {"user.read", kSignedIn},
      {"user.manage", kAdminOnly},
      {"agency.manage", kAdminOnly},
      {"agency.reorganise", kAdminOnly},
      {"audit.read", kAdminOnly},
      {"audit.verify", kAdminOnly},
      {"calendar.manage", kAdminOnly},
      {"public.catalog", kEveryone},
      {"public.dossier_lookup", kEveryone},
      {"catalog.manage", kAdminOnly},
      {"dossier.submit", {"citizen", "business", "reception"}},
      {"dossier.read", {"citizen", "business", "officer", "reception", "clerk", "leader", "admin"}},
      {"dossier.queues", {"officer", "reception", "clerk", "leader", "admin"}},
      {"dossier.receive", {"reception"}},
      {"dossier.process", {"officer", "leader"}},
      {"dossier.consult_answer", {"officer", "leader"}},
      {"dossier.decide", {"leader"}},
      {"dossier.applicant", {"citizen", "business", "reception"}},
      {"draft.own", {"citizen", "business"}},
      {"dossier.stats", {"officer", "reception", "leader", "admin"}},
      {"notification.own", kSignedIn},
      {"notification.dossier", {"officer", "reception", "clerk", "leader", "admin"}},
      {"notification.templates", kAdminOnly},
      {"public.notification_receipt", kEveryone},
      {"outbox.read", kAdminOnly},
      {"outbox.manage", kAdminOnly},
      {"payment.read", {"officer", "reception", "leader", "admin"}},
      {"payment.manage", {"officer", "reception", "leader", "admin"}},
      {"public.payment_callback", kEveryone},
      {"public.pki", kEveryone},
      {"public.verify", kEveryone},
      // The portal's contacts and feedback from anyone; those who answer feedback read it.
      {"public.site", kEveryone},
      {"public.feedback", kEveryone},
      {"feedback.read", {"reception", "leader", "admin"}},
      // The gateway's door admits everyone to the handler, which decides by its own registry;
      // an account's token is not read there (a system's token for the gateway is).
      {"gateway.call", kEveryone},
      {"citizen.check", {"reception", "officer", "leader"}},
      {"citizen.self", {"citizen"}},
      {"gateway.read", kAdminOnly},
      {"gateway.manage", kAdminOnly},
      {"dvcqg.read", kAdminOnly},
      {"dvcqg.manage", kAdminOnly},
      // The shared categories the province publishes (/dmdc); administrators keep them.
      {"public.categories", kEveryone},
      {"category.manage", kAdminOnly},
      {"sign.document", {"officer", "leader", "clerk", "reception"}},
      {"pki.manage", kAdminOnly},
      {"pki.read", {"leader", "admin"}},
      {"sign.organisation", {"clerk", "leader"}},
      {"sign.personal", {"officer", "leader", "clerk", "reception"}},
  };
  return kExpected;
}

class RoleMatrixTest : public test::AppTest {
 protected:
  void SetUp() override {
    test::AppTest::SetUp();
    agencies::AgencyInput province;
    province.code = "H55";
    province.name = "Ủy ban nhân dân tỉnh Thái Nguyên";
    province.kind = "province_pc";
    auto created = app_->agencies().Create(province, core::SystemActor());
    ASSERT_TRUE(created.ok()) << created.error().message_en << created.error().detail;
    agency_id_ = created->id;
  }

  // Signs a fresh account of `role` in and returns its bearer token ("" for anonymous).
  std::string TokenFor(const std::string& role) {
    if (role == "anonymous") return "";
    std::string login = "canbo." + role;
    if (role == "citizen") {
      login = "006095001234";
      AddUser(core::ActorKind::kCitizen, login);
    } else if (role == "business") {
      login = "0100109106";
      AddUser(core::ActorKind::kBusiness, login);
    } else if (role == "admin") {
      login = "quantri";
      AddUser(core::ActorKind::kAdmin, login);
    } else {
      AddUser(core::ActorKind::kOfficer, login, agency_id_, {role});
    }
    auto s =
        app_->accounts().Login(login, "mat-khau-du-dai", auth::SessionKind::kBearer, "127.0.0.1");
    EXPECT_TRUE(s.ok()) << role;
    return s.ok() ? s->token : "";
  }

  std::int64_t agency_id_ = 0;
};

TEST_P(RoleMatrixTest, EveryRouteForEveryRole) {
  std::map<std::string, std::string> tokens;
  for (const auto& role : kEveryone) tokens[role] = TokenFor(role);
  ASSERT_FALSE(app_->router().routes().empty());
  int checked = 0;
  for (const auto& route : app_->router().routes()) {
    const std::string where = std::string(http::MethodName(route->method)) + " " + route->path;
    auto expected = Expected().find(route->action);
    ASSERT_NE(expected, Expected().end())
        << where << " has action '" << route->action
        << "', which this test's table does not list: add a row saying who may call it";
    for (const auto& role : kEveryone) {
      http::Request req;
      req.method = route->method;
      req.path = route->path;
      req.client_ip = "127.0.0.1";
      if (!tokens[role].empty())
        req.headers.emplace_back("authorization", "Bearer " + tokens[role]);
      auto admitted = app_->guard().Admit(req, *route);
      const bool allowed = expected->second.count(role) > 0;
      if (allowed) {
        EXPECT_TRUE(admitted.ok()) << role << " must be admitted to " << where << ": "
                                   << (admitted.ok() ? "" : admitted.error().reason);
      } else {
        ASSERT_FALSE(admitted.ok()) << role << " must be refused " << where;
        EXPECT_EQ(admitted.error().code,
                  role == "anonymous" ? ErrorCode::kUnauthenticated : ErrorCode::kPermissionDenied)
            << role << " at " << where;
      }
      ++checked;
    }
  }
  // Also catch the opposite drift: a row for an action no route uses any more. Signing is
  // decided by the PKI on the key (whose certificate, which agency), not by a route.
  const std::set<std::string> service_actions = {"sign.organisation", "sign.personal"};
  std::set<std::string> used;
  for (const auto& route : app_->router().routes()) used.insert(route->action);
  for (const auto& [action, roles] : Expected()) {
    if (service_actions.count(action)) {
      for (const char* role : {"admin", "leader", "officer", "reception", "clerk", "citizen"}) {
        core::Actor a;
        a.kind = std::string_view(role) == "admin"     ? core::ActorKind::kAdmin
                 : std::string_view(role) == "citizen" ? core::ActorKind::kCitizen
                                                       : core::ActorKind::kOfficer;
        a.user_id = 5;
        a.agency_id = agency_id_;
        a.roles = {role};
        EXPECT_EQ(app_->policy().Allows(a, action), roles.count(role) > 0)
            << role << " and " << action;
      }
      continue;
    }
    EXPECT_TRUE(used.count(action)) << "the table lists '" << action << "', which no route uses";
  }
  EXPECT_GT(checked, 100);
}

TEST_P(RoleMatrixTest, CookieSessionsNeedTheCsrfTokenForChanges) {
  AddUser(core::ActorKind::kAdmin, "quantri");
  auto s = app_->accounts().Login("quantri", "mat-khau-du-dai", auth::SessionKind::kCookie, "");
  ASSERT_TRUE(s.ok());
  auto match = app_->router().Find(http::Method::kPost, "/api/v1/users");
  ASSERT_NE(match.route, nullptr);
  http::Request req;
  req.method = http::Method::kPost;
  req.path = "/api/v1/users";
  req.headers.emplace_back("cookie", "tinhso_session=" + s->token);
  auto refused = app_->guard().Admit(req, *match.route);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().reason, "auth.csrf");
  req.headers.emplace_back("x-csrf-token", "not-the-token");
  EXPECT_EQ(app_->guard().Admit(req, *match.route).error().reason, "auth.csrf");
  req.headers.back().second = s->csrf;
  EXPECT_TRUE(app_->guard().Admit(req, *match.route).ok());
  // Reads need no CSRF token.
  auto me = app_->router().Find(http::Method::kGet, "/api/v1/auth/me");
  http::Request get;
  get.method = http::Method::kGet;
  get.path = "/api/v1/auth/me";
  get.headers.emplace_back("cookie", "tinhso_session=" + s->token);
  EXPECT_TRUE(app_->guard().Admit(get, *me.route).ok());
}

TEST_P(RoleMatrixTest, AnExpiredTokenOnAPublicRouteBrowsesAnonymously) {
  auto health = app_->router().Find(http::Method::kGet, "/api/v1/agencies");
  ASSERT_NE(health.route, nullptr);
  http::Request req;
  req.path = "/api/v1/agencies";
  req.headers.emplace_back("authorization", "Bearer no-such-token");
  auto admitted = app_->guard().Admit(req, *health.route);
  ASSERT_TRUE(admitted.ok());
  EXPECT_EQ(admitted->kind, core::ActorKind::kAnonymous);
  auto me = app_->router().Find(http::Method::kGet, "/api/v1/auth/me");
  req.path = "/api/v1/auth/me";
  EXPECT_EQ(app_->guard().Admit(req, *me.route).error().reason, "auth.session_invalid");
}

TINHSO_INSTANTIATE_BACKENDS(RoleMatrixTest);

}  // namespace
}  // namespace tinhso::app
