#include "calendar/store.hpp"

#include <string>
#include <utility>

#include "calendar/sql.hpp"
#include "core/parse.hpp"

namespace tinhso::calendar::store {
namespace {

using storage::Params;
using storage::Row;
using storage::Value;

// Columns in the order of sql.hpp's SELECTs: date, kind, name_vi, name_en, note.
Result<Override> ReadOverride(const Row& row) {
  const std::string date_text = row.Text(0);
  const std::string kind_text = row.Text(1);
  const auto date = core::ParseDate(date_text);
  const auto kind = ParseOverrideKind(kind_text);
  if (!date || !kind) {
    // Only this module writes the table, always valid: a bad row was edited by hand.
    return InternalError("calendar_overrides: unreadable row date='" + date_text + "' kind='" +
                         kind_text + "'");
  }
  return Override{*date, *kind, row.Text(2), row.Text(3), row.Text(4)};
}

Result<std::vector<Override>> ReadAll(const storage::Rows& rows) {
  std::vector<Override> out;
  out.reserve(rows.size());
  for (const Row& row : rows) {
    TINHSO_ASSIGN_OR_RETURN(auto o, ReadOverride(row));
    out.push_back(std::move(o));
  }
  return out;
}

Value DateValue(Date d) { return core::FormatDate(d); }

}  // namespace

Result<std::vector<Override>> All(Transaction& tx) {
  TINHSO_ASSIGN_OR_RETURN(auto rows, tx.Query(sql::kSelectAll));
  return ReadAll(rows);
}

Result<std::vector<Override>> OfYear(Transaction& tx, int year) {
  const std::chrono::year y{year};
  TINHSO_ASSIGN_OR_RETURN(
      auto rows,
      tx.Query(sql::kSelectRange, Params{{"from", DateValue(y / std::chrono::January / 1)},
                                         {"to", DateValue(y / std::chrono::December / 31)}}));
  return ReadAll(rows);
}

Result<std::optional<Override>> Find(Transaction& tx, Date date) {
  TINHSO_ASSIGN_OR_RETURN(auto rows, tx.Query(sql::kSelectOne, Params{{"date", DateValue(date)}}));
  if (rows.empty()) return std::optional<Override>();
  TINHSO_ASSIGN_OR_RETURN(auto o, ReadOverride(rows[0]));
  return std::optional<Override>(std::move(o));
}

Result<void> Put(Transaction& tx, const Override& o, std::int64_t created_by, core::Seconds at) {
  TINHSO_ASSIGN_OR_RETURN(
      auto changed,
      tx.Execute(sql::kUpsert,
                 Params{{"date", DateValue(o.date)},
                        {"kind", std::string(OverrideKindName(o.kind))},
                        {"name_vi", o.name_vi},
                        {"name_en", o.name_en},
                        {"note", o.note},
                        {"created_by", created_by > 0 ? Value(created_by) : Value(nullptr)},
                        {"created_at", static_cast<std::int64_t>(at.time_since_epoch().count())}}));
  (void)changed;
  return Ok();
}

Result<std::optional<Override>> Remove(Transaction& tx, Date date) {
  TINHSO_ASSIGN_OR_RETURN(auto rows, tx.Query(sql::kDelete, Params{{"date", DateValue(date)}}));
  if (rows.empty()) return std::optional<Override>();
  TINHSO_ASSIGN_OR_RETURN(auto o, ReadOverride(rows[0]));
  return std::optional<Override>(std::move(o));
}

}  // namespace tinhso::calendar::store
