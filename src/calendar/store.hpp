// Internal: reads and writes of calendar_overrides through a storage::Transaction. The only code
// that runs SQL (statements in sql.hpp). No rules here: service.cpp decides.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "calendar/calendar.hpp"
#include "storage/database.hpp"

namespace tinhso::calendar::store {

using storage::Transaction;

// In date order. Errors: storage errors; kInternal for a row this code did not write.
Result<std::vector<Override>> All(Transaction& tx);
Result<std::vector<Override>> OfYear(Transaction& tx, int year);
Result<std::optional<Override>> Find(Transaction& tx, Date date);

// Creates or replaces the row for o.date. `created_by` is 0 for the system (stored as NULL).
Result<void> Put(Transaction& tx, const Override& o, std::int64_t created_by, core::Seconds at);

// Deletes the row for `date` and returns it, or nullopt when there was none.
Result<std::optional<Override>> Remove(Transaction& tx, Date date);

}  // namespace tinhso::calendar::store
