// Shared by the dossiers module's .cpp files; not part of its interface.
#pragma once

#include <string>
#include <string_view>

#include "agencies/agencies.hpp"
#include "calendar/calendar.hpp"
#include "catalog/catalog.hpp"
#include "dossiers/dossiers.hpp"
#include "dossiers/lookup_throttle.hpp"
#include "payment/payment.hpp"
#include "storage/group_commit.hpp"

namespace tinhso::dossiers {

struct Service::Impl {
  storage::Database& db;
  const core::Clock& clock;
  const auth::Policy& policy;
  agencies::Service& agencies;
  catalog::Service& catalog;
  const calendar::WorkingCalendar& calendar;
  // Submissions and transitions waiting at the same time share one commit.
  storage::GroupCommitter committer;
  payment::Service* payments = nullptr;  // set once before serving
  Service::ResultSigner result_signer;   // set once before serving
  EventListener* listener = nullptr;     // set once before serving
  LookupThrottle lookup_throttle{clock, {}};
};

namespace internal {

/// Reads a row selected with sql::kColumns.
Dossier DecodeDossier(const storage::Row& row);

/// The file type by its first bytes: "pdf", "jpg", "png", "docx", "xml", or "" (unknown).
std::string SniffFileType(std::string_view content);
std::string ContentTypeOf(std::string_view file_type);

/// YYYYMM of an instant in Vietnam time: the key of the monthly statistics.
int LocalMonth(core::Seconds t);

/// What a change of one dossier adds to its month's counters (dossier_monthly).
struct MonthlyDelta {
  std::int64_t received = 0, early = 0, on_time = 0, late = 0, paid_online = 0;
  bool empty() const { return !received && !early && !on_time && !late && !paid_online; }
};
/// Received, finished (with `outcome`) or paid online by the change from `before` to `after`.
MonthlyDelta DeltaBetween(const Dossier& before, const Dossier& after, Timeliness outcome);
/// Adds `delta` to the month of `d`'s reception, inside the caller's transaction.
Result<void> BumpMonthly(storage::Transaction& tx, const Dossier& d, const MonthlyDelta& delta);

/// One event as the public timeline shows it (a JSON object; see PublicView::events_json).
/// Rendered when the event is written and kept on the dossier row (public_timeline).
std::string PublicEventJson(std::int64_t seq, core::Seconds at, std::string_view action,
                            std::string_view agency_name, std::string_view content, Status status);

Error NotFound();
Error IllegalTransition(std::string_view action, Status from);

}  // namespace internal
}  // namespace tinhso::dossiers
