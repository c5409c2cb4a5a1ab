#include "agencies/store.hpp"

#include <stdexcept>
#include <utility>

#include "agencies/sql.hpp"
#include "core/parse.hpp"

namespace tinhso::agencies {
namespace store {
namespace {

using storage::Param;
using storage::Params;
using storage::Row;
using storage::Value;

Value OptInt(const std::optional<std::int64_t>& v) {
  if (v) return *v;
  return nullptr;
}
Value OptText(const std::optional<std::string>& v) {
  if (v) return *v;
  return nullptr;
}
Value Text(std::string_view s) { return std::string(s); }
Value DateValue(Date d) { return core::FormatDate(d); }

// Dates are written only by this file, always valid; a bad one means the row was edited by hand.
Date ReadDate(const Row& row, std::size_t i) {
  auto d = core::ParseDate(row.Text(i));
  return d ? *d : Date{};
}

std::string AgencySelect(std::string_view from) {
  std::string s = "SELECT";
  s += sql::kAgencyColumns;
  s += from;
  return s;
}

Agency ReadAgency(const Row& row) {
  Agency a;
  a.id = row.Int(0);
  a.code = row.Text(1);
  a.code_qcvn = row.OptionalText(2);
  a.code_confirmed = row.Int(3) != 0;
  a.parent_id = row.OptionalInt(4);
  a.name = row.Text(5);
  a.name_en = row.Text(6);
  a.short_name = row.Text(7);
  a.kind = row.Text(8);
  a.level = static_cast<int>(row.Int(9));
  a.address = row.Text(10);
  a.phone = row.Text(11);
  a.email = row.Text(12);
  a.website = row.Text(13);
  a.valid_from = ReadDate(row, 14);
  if (!row.IsNull(15)) a.valid_to = ReadDate(row, 15);
  a.version = row.Int(16);
  a.created_at = core::Seconds(std::chrono::seconds(row.Int(17)));
  a.updated_at = core::Seconds(std::chrono::seconds(row.Int(18)));
  return a;
}

Result<std::optional<Agency>> FindOne(Transaction& tx, std::string_view from, const Params& p) {
  TINHSO_ASSIGN_OR_RETURN(auto rows, tx.Query(AgencySelect(from), p));
  if (rows.empty()) return std::optional<Agency>();
  return std::optional<Agency>(ReadAgency(rows[0]));
}

Result<void> ExecuteVoid(Transaction& tx, std::string_view statement, const Params& p) {
  TINHSO_ASSIGN_OR_RETURN(auto changed, tx.Execute(statement, p));
  (void)changed;
  return Ok();
}

Result<std::int64_t> Count(Transaction& tx, std::string_view statement, const Params& p) {
  TINHSO_ASSIGN_OR_RETURN(auto rows, tx.Query(statement, p));
  if (rows.empty()) return std::int64_t{0};
  return rows[0].Int(0);
}

void ReplaceAll(std::string& s, std::string_view from, std::string_view to) {
  for (std::size_t pos = s.find(from); pos != std::string::npos; pos = s.find(from, pos)) {
    s.replace(pos, from.size(), to);
    pos += to.size();
  }
}

bool IsIdentifier(std::string_view s) {
  if (s.empty() || s.size() > 63) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    bool ok = (c >= 'a' && c <= 'z') || c == '_' || (i > 0 && c >= '0' && c <= '9');
    if (!ok) return false;
  }
  return true;
}

}  // namespace

Result<std::optional<Agency>> FindAgency(Transaction& tx, std::int64_t id) {
  return FindOne(tx, sql::kFromAgencyById, {{"id", id}});
}

Result<std::optional<Agency>> FindByCode(Transaction& tx, std::string_view code) {
  return FindOne(tx, sql::kFromAgencyByCode, {{"code", Text(code)}});
}

Result<std::vector<std::int64_t>> CodeHolders(Transaction& tx, std::string_view code) {
  TINHSO_ASSIGN_OR_RETURN(auto rows, tx.Query(sql::kCodeHolders, {{"code", Text(code)}}));
  std::vector<std::int64_t> ids;
  for (const Row& r : rows) ids.push_back(r.Int(0));
  return ids;
}

Result<std::vector<Agency>> CurrentChildren(Transaction& tx, std::int64_t parent_id) {
  TINHSO_ASSIGN_OR_RETURN(
      auto rows, tx.Query(AgencySelect(sql::kFromCurrentChildren), {{"parent_id", parent_id}}));
  std::vector<Agency> out;
  for (const Row& r : rows) out.push_back(ReadAgency(r));
  return out;
}

Result<std::int64_t> InsertAgency(Transaction& tx, const Agency& a, std::string_view search_key) {
  const std::int64_t now = a.created_at.time_since_epoch().count();
  TINHSO_ASSIGN_OR_RETURN(
      auto rows,
      tx.Query(sql::kInsertAgency, {{"code", a.code},
                                    {"code_qcvn", OptText(a.code_qcvn)},
                                    {"code_confirmed", std::int64_t{a.code_confirmed ? 1 : 0}},
                                    {"parent_id", OptInt(a.parent_id)},
                                    {"name", a.name},
                                    {"name_en", a.name_en},
                                    {"short_name", a.short_name},
                                    {"search_key", Text(search_key)},
                                    {"kind", a.kind},
                                    {"level", std::int64_t{a.level}},
                                    {"address", a.address},
                                    {"phone", a.phone},
                                    {"email", a.email},
                                    {"website", a.website},
                                    {"valid_from", DateValue(a.valid_from)},
                                    {"created_at", now},
                                    {"updated_at", now}}));
  if (rows.empty()) return InternalError("INSERT INTO agencies returned no id");
  return rows[0].Int(0);
}

Result<bool> RewriteAgency(Transaction& tx, const Agency& a, std::string_view search_key,
                           core::Seconds now) {
  TINHSO_ASSIGN_OR_RETURN(
      auto changed,
      tx.Execute(sql::kRewriteAgency, {{"code", a.code},
                                       {"code_qcvn", OptText(a.code_qcvn)},
                                       {"code_confirmed", std::int64_t{a.code_confirmed ? 1 : 0}},
                                       {"name", a.name},
                                       {"name_en", a.name_en},
                                       {"short_name", a.short_name},
                                       {"search_key", Text(search_key)},
                                       {"kind", a.kind},
                                       {"address", a.address},
                                       {"phone", a.phone},
                                       {"email", a.email},
                                       {"website", a.website},
                                       {"updated_at", now.time_since_epoch().count()},
                                       {"id", a.id},
                                       {"version", a.version}}));
  return changed == 1;
}

Result<void> SetParent(Transaction& tx, std::int64_t id, std::optional<std::int64_t> parent_id,
                       int level, core::Seconds now) {
  return ExecuteVoid(tx, sql::kSetParent,
                     {{"parent_id", OptInt(parent_id)},
                      {"level", std::int64_t{level}},
                      {"updated_at", now.time_since_epoch().count()},
                      {"id", id}});
}

Result<void> SetLevel(Transaction& tx, std::int64_t id, int level) {
  return ExecuteVoid(tx, sql::kSetLevel, {{"level", std::int64_t{level}}, {"id", id}});
}

Result<void> CloseAgency(Transaction& tx, std::int64_t id, Date valid_to, core::Seconds now) {
  TINHSO_ASSIGN_OR_RETURN(
      auto changed, tx.Execute(sql::kCloseAgency, {{"valid_to", DateValue(valid_to)},
                                                   {"updated_at", now.time_since_epoch().count()},
                                                   {"id", id}}));
  if (changed != 1) return InternalError("agency " + std::to_string(id) + " was already closed");
  return Ok();
}

Result<void> InsertCode(Transaction& tx, std::int64_t agency_id, std::string_view code,
                        const std::optional<std::string>& code_qcvn, Date valid_from) {
  return ExecuteVoid(tx, sql::kInsertCode,
                     {{"agency_id", agency_id},
                      {"code", Text(code)},
                      {"code_qcvn", OptText(code_qcvn)},
                      {"valid_from", DateValue(valid_from)}});
}

Result<void> CloseCode(Transaction& tx, std::int64_t agency_id, std::string_view code,
                       Date valid_to, std::int64_t reorganisation_id) {
  return ExecuteVoid(tx, sql::kCloseCode,
                     {{"valid_to", DateValue(valid_to)},
                      {"reorganisation_id", reorganisation_id},
                      {"agency_id", agency_id},
                      {"code", Text(code)}});
}

Result<void> InsertParentHistory(Transaction& tx, std::int64_t agency_id,
                                 std::optional<std::int64_t> parent_id, Date valid_from) {
  return ExecuteVoid(tx, sql::kInsertParent,
                     {{"agency_id", agency_id},
                      {"parent_id", OptInt(parent_id)},
                      {"valid_from", DateValue(valid_from)}});
}

Result<void> CloseParentHistory(Transaction& tx, std::int64_t agency_id, Date valid_to) {
  return ExecuteVoid(tx, sql::kCloseParent,
                     {{"valid_to", DateValue(valid_to)}, {"agency_id", agency_id}});
}

Result<void> InsertSuccessor(Transaction& tx, std::int64_t agency_id, std::int64_t successor_id,
                             bool primary, std::int64_t reorganisation_id) {
  return ExecuteVoid(tx, sql::kInsertSuccessor,
                     {{"agency_id", agency_id},
                      {"successor_id", successor_id},
                      {"is_primary", std::int64_t{primary ? 1 : 0}},
                      {"reorganisation_id", reorganisation_id}});
}

Result<std::optional<std::int64_t>> PrimarySuccessor(Transaction& tx, std::int64_t agency_id) {
  TINHSO_ASSIGN_OR_RETURN(auto rows, tx.Query(sql::kPrimarySuccessor, {{"agency_id", agency_id}}));
  if (rows.empty()) return std::optional<std::int64_t>();
  return std::optional<std::int64_t>(rows[0].Int(0));
}

Result<AgencyPage> ListAgencies(Transaction& tx, const ListQuery& query,
                                std::string_view search_pattern) {
  // One WHERE built from fixed pieces; the same text serves the page and the count.
  std::string where;
  Params params;
  const bool at_date = query.at.has_value();
  if (at_date && query.parent_id) {
    where += sql::kListJoinParentAt;
    params.push_back({"p_at_from", DateValue(*query.at)});
    params.push_back({"p_at_to", DateValue(*query.at)});
  }
  if (at_date) {
    where += sql::kListWhereAt;
    params.push_back({"at_from", DateValue(*query.at)});
    params.push_back({"at_to", DateValue(*query.at)});
  } else {
    where += sql::kListWhereCurrent;
  }
  if (query.parent_id) {
    where += at_date ? sql::kListParentAt : sql::kListParentCurrent;
    params.push_back({"parent_id", *query.parent_id});
  }
  if (!query.kind.empty()) {
    where += sql::kListKind;
    params.push_back({"kind", query.kind});
  }
  if (query.level) {
    where += sql::kListLevel;
    params.push_back({"level", std::int64_t{*query.level}});
  }
  if (!search_pattern.empty()) {
    where += sql::kListSearch;
    params.push_back({"pattern", Text(search_pattern)});
  }

  AgencyPage page;
  page.limit = query.limit;
  page.offset = query.offset;
  TINHSO_ASSIGN_OR_RETURN(
      page.total, Count(tx, "SELECT COUNT(*)" + std::string(sql::kListFrom) + where, params));
  params.push_back({"limit", std::int64_t{query.limit}});
  params.push_back({"offset", std::int64_t{query.offset}});
  std::string select = AgencySelect(sql::kListFrom);
  select += where;
  select += sql::kListOrder;
  TINHSO_ASSIGN_OR_RETURN(auto rows, tx.Query(select, params));
  for (const Row& r : rows) page.items.push_back(ReadAgency(r));
  return page;
}

Result<TreeRows> LoadTree(Transaction& tx) {
  TreeRows out;
  TINHSO_ASSIGN_OR_RETURN(auto agencies, tx.Query(AgencySelect(sql::kFromEveryAgency)));
  out.agencies.reserve(agencies.size());
  for (const Row& r : agencies) out.agencies.push_back(ReadAgency(r));
  TINHSO_ASSIGN_OR_RETURN(auto successors, tx.Query(sql::kTreeSuccessors));
  for (const Row& r : successors) out.successor.emplace_back(r.Int(0), r.Int(1));
  TINHSO_ASSIGN_OR_RETURN(auto codes, tx.Query(sql::kTreeCodes));
  for (const Row& r : codes) out.code_holders.emplace_back(r.Text(0), r.Int(1));
  return out;
}

Result<std::int64_t> InsertReorganisation(Transaction& tx, const Reorganisation& r) {
  Value ref = r.external_ref.empty() ? Value(nullptr) : Value(r.external_ref);
  TINHSO_ASSIGN_OR_RETURN(auto rows,
                          tx.Query(sql::kInsertReorganisation,
                                   {{"kind", r.kind},
                                    {"effective_date", DateValue(r.effective_date)},
                                    {"decision", r.decision},
                                    {"note", r.note},
                                    {"confirmed", std::int64_t{r.confirmed ? 1 : 0}},
                                    {"external_ref", ref},
                                    {"created_by", r.created_by},
                                    {"created_at", r.created_at.time_since_epoch().count()}}));
  if (rows.empty()) return InternalError("INSERT INTO reorganisations returned no id");
  return rows[0].Int(0);
}

Result<std::optional<std::int64_t>> FindReorganisationByRef(Transaction& tx, std::string_view ref) {
  TINHSO_ASSIGN_OR_RETURN(auto rows,
                          tx.Query(sql::kReorganisationByRef, {{"external_ref", Text(ref)}}));
  if (rows.empty()) return std::optional<std::int64_t>();
  return std::optional<std::int64_t>(rows[0].Int(0));
}

Result<void> InsertReorganisationAgency(Transaction& tx, std::int64_t reorganisation_id,
                                        std::int64_t agency_id, std::string_view role,
                                        bool primary) {
  return ExecuteVoid(tx, sql::kInsertReorganisationAgency,
                     {{"reorganisation_id", reorganisation_id},
                      {"agency_id", agency_id},
                      {"role", Text(role)},
                      {"is_primary", std::int64_t{primary ? 1 : 0}}});
}

Result<void> InsertReorganisationMove(Transaction& tx, std::int64_t reorganisation_id,
                                      const WorkMove& move) {
  return ExecuteVoid(tx, sql::kInsertReorganisationMove,
                     {{"reorganisation_id", reorganisation_id},
                      {"kind", move.kind},
                      {"from_agency_id", move.from_agency_id},
                      {"to_agency_id", move.to_agency_id},
                      {"count", move.count}});
}

Result<ReorganisationPage> ListReorganisations(Transaction& tx, int limit, int offset,
                                               std::optional<std::int64_t> agency_id) {
  ReorganisationPage page;
  page.limit = limit;
  page.offset = offset;
  storage::Params of;
  if (agency_id) of.push_back({"agency_id", *agency_id});
  TINHSO_ASSIGN_OR_RETURN(
      page.total,
      Count(tx, agency_id ? sql::kCountReorganisationsOf : sql::kCountReorganisations, of));
  storage::Params params = of;
  params.push_back({"limit", std::int64_t{limit}});
  params.push_back({"offset", std::int64_t{offset}});
  TINHSO_ASSIGN_OR_RETURN(
      auto rows,
      tx.Query(agency_id ? sql::kListReorganisationsOf : sql::kListReorganisations, params));
  for (const Row& row : rows) {
    Reorganisation r;
    r.id = row.Int(0);
    r.kind = row.Text(1);
    r.effective_date = ReadDate(row, 2);
    r.decision = row.Text(3);
    r.note = row.Text(4);
    r.confirmed = row.Int(5) != 0;
    r.external_ref = row.Text(6);
    r.created_by = row.Int(7);
    r.created_at = core::Seconds(std::chrono::seconds(row.Int(8)));
    TINHSO_ASSIGN_OR_RETURN(auto agencies,
                            tx.Query(sql::kReorganisationAgencies, {{"reorganisation_id", r.id}}));
    for (const Row& a : agencies) {
      r.agencies.push_back({.agency_id = a.Int(0),
                            .code = a.Text(1),
                            .name = a.Text(2),
                            .role = a.Text(3),
                            .primary = a.Int(4) != 0});
    }
    TINHSO_ASSIGN_OR_RETURN(auto moves,
                            tx.Query(sql::kReorganisationMoves, {{"reorganisation_id", r.id}}));
    for (const Row& m : moves) {
      r.moves.push_back({.kind = m.Text(0),
                         .from_agency_id = m.Int(1),
                         .to_agency_id = m.Int(2),
                         .count = m.Int(3)});
    }
    page.items.push_back(std::move(r));
  }
  return page;
}

}  // namespace store

// ---- SqlColumnMover -----------------------------------------------------------------------

SqlColumnMover::SqlColumnMover(std::string kind, std::string table, std::string column,
                               std::string open_condition_sql)
    : kind_(std::move(kind)) {
  // Identifiers cannot be bound as parameters, so they are spliced in: only plain names pass.
  if (kind_.empty() || !store::IsIdentifier(table) || !store::IsIdentifier(column)) {
    throw std::invalid_argument(
        "SqlColumnMover: kind must be set and table/column must be plain "
        "identifiers");
  }
  std::string condition;
  if (!open_condition_sql.empty()) condition = " AND (" + open_condition_sql + ")";
  count_sql_ = sql::kMoverCountTemplate;
  move_sql_ = sql::kMoverMoveTemplate;
  for (std::string* s : {&count_sql_, &move_sql_}) {
    store::ReplaceAll(*s, "{table}", table);
    store::ReplaceAll(*s, "{column}", column);
    store::ReplaceAll(*s, "{condition}", condition);
  }
}

Result<std::int64_t> SqlColumnMover::Count(storage::Transaction& tx, std::int64_t agency_id) {
  return store::Count(tx, count_sql_, {{"agency_id", agency_id}});
}

Result<std::int64_t> SqlColumnMover::Move(storage::Transaction& tx, std::int64_t from,
                                          std::int64_t to) {
  return tx.Execute(move_sql_, {{"to_agency_id", to}, {"from_agency_id", from}});
}

}  // namespace tinhso::agencies
