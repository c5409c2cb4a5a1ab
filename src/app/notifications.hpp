// The dossiers' events as notifications: a dossiers::EventListener that enqueues, inside the
// transition's transaction, the template each event calls for (issue 16 §2).
#pragma once

#include <chrono>
#include <string>

#include "auth/auth.hpp"
#include "calendar/calendar.hpp"
#include "catalog/catalog.hpp"
#include "dossiers/dossiers.hpp"
#include "gateway/gateway.hpp"
#include "notify/notify.hpp"

namespace tinhso::app {

class DossierNotifier final : public dossiers::EventListener {
 public:
  // `catalog` names the procedure: a dossier read from its row carries only the code.
  DossierNotifier(const notify::Outbox& outbox, const catalog::Service& catalog,
                  std::string lookup_url)
      : outbox_(outbox), catalog_(catalog), lookup_url_(std::move(lookup_url)) {}
  Result<void> OnEvent(storage::Transaction& tx, const dossiers::Dossier& dossier,
                       const dossiers::Event& event, std::string_view reason) override;

 private:
  const notify::Outbox& outbox_;
  const catalog::Service& catalog_;
  std::string lookup_url_;
};

// Officers' notices beyond an assignment: a dossier arriving in their agency's queue at a step
// of their role (reception for one waiting to be received, the workflow step's role after that;
// an assigned dossier's officer heard of it from the assignment), and dossiers due within
// `due_soon_working_days` working days (their officer, else their step's role at their agency).
// Found by a scan, outside the transitions' transactions (which must not wait for the accounts),
// and enqueued under idempotency keys — the step's arrival; the dossier × due date — so a scan
// run again, or after a restart, tells nobody twice, and a new appointment (an apology) is told
// again. In-app and by e-mail to the officer's account address.
struct OfficerScanOptions {
  int due_soon_working_days = 2;                                 // 0: no due-soon notices
  std::chrono::seconds arrival_window = std::chrono::hours(24);  // arrivals older are not told
};

struct OfficerScanReport {
  int arrivals = 0;  // dossiers found arrived in the window
  int due_soon = 0;  // dossiers found due soon
  int messages = 0;  // the notices' messages (an earlier scan's included: enqueued once)
};

// The gateway's alerts told to the administrators (the accounts holding the admin role), in-app,
// by e-mail and by SMS to their accounts' addresses, as their preferences allow. Once per alert
// raised: the event's id is the service, the kind and the time the alert began. Returns the
// messages made.
Result<int> TellAdministrators(storage::Database& db, const notify::Outbox& outbox,
                               const auth::Accounts& accounts,
                               const std::vector<gateway::Alert>& raised);

class OfficerNotices {
 public:
  OfficerNotices(storage::Database& db, const notify::Outbox& outbox,
                 const dossiers::Service& dossiers, const auth::Accounts& accounts,
                 const catalog::Service& catalog, const calendar::WorkingCalendar& calendar,
                 OfficerScanOptions options = {})
      : db_(db),
        outbox_(outbox),
        dossiers_(dossiers),
        accounts_(accounts),
        catalog_(catalog),
        calendar_(calendar),
        options_(options) {}

  Result<OfficerScanReport> Scan(core::Seconds now) const;

 private:
  // The officers a dossier's notice goes to: its officer when assigned, else the holders of the
  // step's role at its current agency (enabled accounts only).
  Result<std::vector<auth::User>> Responsible(const dossiers::Dossier& d) const;
  Result<int> Tell(const notify::Event& event, const std::vector<auth::User>& officers) const;

  storage::Database& db_;
  const notify::Outbox& outbox_;
  const dossiers::Service& dossiers_;
  const auth::Accounts& accounts_;
  const catalog::Service& catalog_;
  const calendar::WorkingCalendar& calendar_;
  OfficerScanOptions options_;
};

}  // namespace tinhso::app
