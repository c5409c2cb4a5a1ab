// CalendarService: the overrides administrators enter each year, stored and audited.

#include <mutex>
#include <string>
#include <utility>

#include "audit/audit.hpp"
#include "calendar/calendar.hpp"
#include "calendar/errors.hpp"
#include "calendar/store.hpp"
#include "core/parse.hpp"
#include "storage/database.hpp"

namespace tinhso::calendar {
namespace {

using storage::Transaction;
using storage::TxKind;

constexpr std::string_view kObjectType = "calendar_override";

// {"override":{…},"previous":{…}|null}: what the audit log keeps of a change.
std::string ChangeJson(const std::optional<Override>& now, const std::optional<Override>& before) {
  std::string out = "{\"override\":";
  out += now ? OverrideToJson(*now) : "null";
  out += ",\"previous\":";
  out += before ? OverrideToJson(*before) : "null";
  out += '}';
  return out;
}

}  // namespace

CalendarService::CalendarService(storage::Database& db, const core::Clock& clock,
                                 WorkingOptions options)
    : db_(db), clock_(clock), working_({}, std::move(options)) {}

Result<void> CalendarService::Load() {
  // Under the write lock: a change committed while this reads must not be undone by it.
  std::lock_guard lock(write_mu_);
  TINHSO_ASSIGN_OR_RETURN(
      auto all, storage::WithTransaction(
                    db_, [](Transaction& tx) { return store::All(tx); }, TxKind::kReadOnly));
  working_.Reset(std::move(all));
  return Ok();
}

Result<YearCalendar> CalendarService::Year(int year) const {
  TINHSO_ASSIGN_OR_RETURN(auto overrides, Overrides(year));
  return BuildYear(year, overrides, working_.options().rules);
}

Result<std::vector<Override>> CalendarService::Overrides(int year) const {
  if (!errors::InRange(year)) return errors::BadYear(std::to_string(year));
  return storage::WithTransaction(
      db_, [year](Transaction& tx) { return store::OfYear(tx, year); }, TxKind::kReadOnly);
}

Result<void> CalendarService::PutOverride(const Override& input, const core::Actor& actor) {
  TINHSO_RETURN_IF_ERROR(ValidateOverride(input));
  const Override o = Normalize(input);
  const core::Seconds now = clock_.Now();
  const int year = static_cast<int>(o.date.year());

  std::lock_guard lock(write_mu_);
  TINHSO_ASSIGN_OR_RETURN(
      auto all,
      storage::WithTransaction(db_, [&](Transaction& tx) -> Result<std::vector<Override>> {
        TINHSO_ASSIGN_OR_RETURN(auto of_year, store::OfYear(tx, year));
        TINHSO_RETURN_IF_ERROR(CheckOverrideHasEffect(o, of_year, working_.options().rules));
        TINHSO_ASSIGN_OR_RETURN(auto previous, store::Find(tx, o.date));
        TINHSO_RETURN_IF_ERROR(store::Put(tx, o, actor.user_id, now));
        TINHSO_ASSIGN_OR_RETURN(auto seq,
                                audit::Append(tx, actor,
                                              audit::Change{.action = "calendar.override.put",
                                                            .object_type = std::string(kObjectType),
                                                            .object_id = core::FormatDate(o.date),
                                                            .data_json = ChangeJson(o, previous)},
                                              now));
        (void)seq;
        // Read back inside the transaction: exactly what this commit leaves in the table.
        return store::All(tx);
      }));
  working_.Reset(std::move(all));
  return Ok();
}

Result<void> CalendarService::DeleteOverride(Date date, const core::Actor& actor) {
  if (!date.ok()) return errors::BadDate(core::FormatDate(date));
  const std::string key = core::FormatDate(date);
  const core::Seconds now = clock_.Now();

  std::lock_guard lock(write_mu_);
  TINHSO_ASSIGN_OR_RETURN(
      auto all,
      storage::WithTransaction(db_, [&](Transaction& tx) -> Result<std::vector<Override>> {
        TINHSO_ASSIGN_OR_RETURN(auto removed, store::Remove(tx, date));
        if (!removed) return errors::OverrideNotFound(key);
        TINHSO_ASSIGN_OR_RETURN(
            auto seq, audit::Append(tx, actor,
                                    audit::Change{.action = "calendar.override.delete",
                                                  .object_type = std::string(kObjectType),
                                                  .object_id = key,
                                                  .data_json = ChangeJson(std::nullopt, removed)},
                                    now));
        (void)seq;
        return store::All(tx);
      }));
  working_.Reset(std::move(all));
  return Ok();
}

}  // namespace tinhso::calendar
