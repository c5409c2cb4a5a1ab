// The composition root: builds every service on one database and registers every route, in
// one place shared by `tinhso serve` and the tests (so the role × route matrix test walks the
// very router the server runs).
#pragma once

#include <array>
#include <memory>
#include <optional>

#include "agencies/agencies.hpp"
#include "app/config.hpp"
#include "audit/audit.hpp"
#include "auth/auth.hpp"
#include "calendar/calendar.hpp"
#include "catalog/catalog.hpp"
#include "core/clock.hpp"
#include "dossiers/dossiers.hpp"
#include "dvcqg/dvcqg.hpp"
#include "gateway/gateway.hpp"
#include "http/http.hpp"
#include "nationaldb/categories.hpp"
#include "nationaldb/nationaldb.hpp"
#include "notify/notify.hpp"
#include "oidc/oidc.hpp"
#include "outbox/outbox.hpp"
#include "payment/payment.hpp"
#include "pki/pki.hpp"
#include "portal/portal.hpp"
#include "signing/signing.hpp"
#include "storage/database.hpp"

namespace tinhso::app {

class App {
 public:
  // `db` must be migrated. Not thread-safe to build; the services it holds are.
  // `oidc_fetch` is how the OpenID Connect relying party talks HTTP (tests may script it).
  static Result<std::unique_ptr<App>> Create(storage::Database& db, const core::Clock& clock,
                                             const Config& config,
                                             auth::PasswordCost password_cost = {},
                                             oidc::Fetcher oidc_fetch = http::Fetch);

  http::Router& router() { return router_; }
  http::Guard& guard() { return guard_; }
  auth::Accounts& accounts() { return accounts_; }
  auth::Policy& policy() { return policy_; }
  agencies::Service& agencies() { return agencies_; }
  calendar::CalendarService& calendar() { return calendar_; }
  catalog::Service& catalog() { return catalog_; }
  // The portal's public pages rendered from the catalog, for the server's static files.
  const portal::Pages& pages() const { return pages_; }
  dossiers::Service& dossiers() { return *dossiers_; }
  payment::Service& payments() { return *payments_; }
  // Notifications: the outbox the dossiers' events go into (app/notifications.hpp).
  notify::Outbox& outbox() { return *outbox_; }
  // Messages to other systems (src/outbox), delivered through the gateway.
  outbox::Outbox& outgoing() { return *outgoing_; }
  // The national portal's status table (the dossier sync reads it).
  dvcqg::StatusTable& national_statuses() { return *national_statuses_; }
  pki::Service& pki() { return *pki_; }
  signing::Service& signing() { return *signing_; }
  oidc::Service& oidc() { return *oidc_; }
  // The shared categories published as /dmdc (loaded from [paths] data_dir/categories by
  // `tinhso serve` and `tinhso demo load`).
  nationaldb::Categories& categories() { return *categories_; }
  // The audit chain's checkpoints ([audit] checkpoint_dir), signed with the province's
  // organisation certificate ([audit] checkpoint_certificate) and time-stamped by the TSA.
  audit::Checkpoints& checkpoints() { return *checkpoints_; }
  // The data-integration gateway (LGSP): registry, the door /lgsp/…, the message log.
  gateway::Service& gateway() { return *gateway_; }
  // The national databases, reached through the gateway as the one-stop system.
  nationaldb::PopulationDatabase& population() { return *population_; }
  nationaldb::CivilRegistration& civil_registration() { return *civil_registration_; }
  // The admission of costly anonymous work (logins, verification, time-stamps): the server
  // admits through it, /readyz reports "busy" while it is full.
  const std::shared_ptr<http::CostlyAdmission>& costly() const { return costly_; }

  // Every route's action must be in the policy table: a route without one would be reachable by
  // nobody or, worse, decided by accident. Errors: kInternal naming the route.
  Result<void> CheckRoutes() const;

 private:
  App(storage::Database& db, const core::Clock& clock, auth::AuthOptions auth_options);

  agencies::Service agencies_;
  auth::Policy policy_;
  auth::Accounts accounts_;
  auth::AuthGuard guard_;
  calendar::CalendarService calendar_;
  catalog::Service catalog_;
  portal::Pages pages_{catalog_};
  std::unique_ptr<dossiers::Service> dossiers_;
  std::unique_ptr<payment::Service> payments_;
  std::unique_ptr<notify::Outbox> outbox_;
  std::unique_ptr<outbox::Outbox> outgoing_;
  std::unique_ptr<dvcqg::StatusTable> national_statuses_;
  std::unique_ptr<dossiers::EventListener> notifier_;
  std::unique_ptr<dossiers::EventListener> civil_sender_;  // civil registration dossiers out
  std::unique_ptr<dossiers::EventListener> listeners_;     // the two above, in turn
  std::unique_ptr<pki::Service> pki_;
  std::unique_ptr<signing::Service> signing_;
  std::unique_ptr<oidc::Service> oidc_;
  std::unique_ptr<audit::Checkpoints> checkpoints_;
  std::unique_ptr<feedback::Service> feedback_;
  std::unique_ptr<gateway::Service> gateway_;
  std::unique_ptr<nationaldb::Transport> national_;
  std::unique_ptr<nationaldb::PopulationDatabase> population_;
  std::unique_ptr<nationaldb::CivilRegistration> civil_registration_;
  std::unique_ptr<nationaldb::Categories> categories_;
  std::shared_ptr<http::CostlyAdmission> costly_;
  http::Router router_;
};

// The HTTP server's options from the configuration, as `tinhso serve` runs the server on `app`
// over a database of `backend`. Errors: kInvalidArgument (the listen address).
Result<http::ServerOptions> ServerOptionsFor(const Config& config, storage::Backend backend,
                                             const App& app);

// The PKI master key: [pki] master_key (TINHSO_PKI_MASTER_KEY, base64) or the file
// [pki] master_key_file. nullopt when neither is there (the PKI then signs nothing).
Result<std::optional<std::array<unsigned char, 32>>> LoadMasterKey(const Config& config);

// Opens the database named by `url` and applies pending migrations (the CLI commands that write
// use this, so a fresh database file just works).
Result<std::unique_ptr<storage::Database>> OpenMigrated(const std::string& url);

}  // namespace tinhso::app
