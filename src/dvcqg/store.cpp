// The status table (dvcqg_status_map) and its routes.
#include <boost/json.hpp>
#include <functional>

#include "audit/audit.hpp"
#include "dvcqg/api.hpp"
#include "dvcqg/dvcqg.hpp"
#include "dvcqg/sql.hpp"
#include "http/http.hpp"

namespace tinhso::dvcqg {
namespace {

namespace json = boost::json;

Error Invalid(std::string field, std::string vi, std::string en) {
  return MakeError(ErrorCode::kInvalidArgument, "dvcqg.invalid", std::move(vi), std::move(en),
                   std::move(field));
}

std::vector<StatusRow> Rows(const storage::Rows& rows) {
  std::vector<StatusRow> out;
  for (const storage::Row& r : rows) {
    out.push_back({.local = static_cast<int>(r.Int(0)),
                   .national = static_cast<int>(r.Int(1)),
                   .updated_at = core::Seconds(std::chrono::seconds(r.Int(2))),
                   .updated_by = r.Int(3)});
  }
  return out;
}

}  // namespace

Result<StatusMap> StatusTable::Load() const {
  TINHSO_ASSIGN_OR_RETURN(
      auto rows, storage::WithTransaction(
                     db_, [](storage::Transaction& tx) { return tx.Query(sql::kStatusMap); },
                     storage::TxKind::kSingleRead));
  StatusMap map;
  for (const StatusRow& r : Rows(rows)) map.national[r.local] = r.national;
  return map;
}

Result<std::vector<StatusRow>> StatusTable::List(const core::Actor& actor) const {
  TINHSO_RETURN_IF_ERROR(policy_.Check(actor, "dvcqg.read", {}));
  TINHSO_ASSIGN_OR_RETURN(
      auto rows, storage::WithTransaction(
                     db_, [](storage::Transaction& tx) { return tx.Query(sql::kStatusMap); },
                     storage::TxKind::kSingleRead));
  return Rows(rows);
}

Result<StatusRow> StatusTable::Set(int local, int national, const core::Actor& actor) {
  TINHSO_RETURN_IF_ERROR(policy_.Check(actor, "dvcqg.manage", {}));
  if (local < 1 || local > 10) {
    return Invalid("local", "Trạng thái của hồ sơ là số từ 1 đến 10",
                   "A dossier's status is a number from 1 to 10");
  }
  if (national < 0 || national > 99) {
    return Invalid("national", "Mã trạng thái của Cổng quốc gia là số từ 0 đến 99",
                   "The national portal's status code is a number from 0 to 99");
  }
  const core::Seconds now = clock_.Now();
  const std::int64_t secs = now.time_since_epoch().count();
  TINHSO_RETURN_IF_ERROR(
      storage::WithTransaction(db_, [&](storage::Transaction& tx) -> Result<void> {
        TINHSO_RETURN_IF_ERROR(tx.Execute(sql::kSetStatus, {{"local", std::int64_t{local}},
                                                            {"national", std::int64_t{national}},
                                                            {"now", secs},
                                                            {"by", actor.user_id},
                                                            {"national2", std::int64_t{national}},
                                                            {"now2", secs},
                                                            {"by2", actor.user_id}}));
        TINHSO_RETURN_IF_ERROR(
            audit::Append(tx, actor,
                          {"dvcqg.status.set", "dvcqg_status", std::to_string(local),
                           json::serialize(json::object{{"national", national}})},
                          now));
        return Ok();
      }));
  return StatusRow{
      .local = local, .national = national, .updated_at = now, .updated_by = actor.user_id};
}

Result<void> StatusTable::Remove(int local, const core::Actor& actor) {
  TINHSO_RETURN_IF_ERROR(policy_.Check(actor, "dvcqg.manage", {}));
  return storage::WithTransaction(db_, [&](storage::Transaction& tx) -> Result<void> {
    TINHSO_ASSIGN_OR_RETURN(std::int64_t n,
                            tx.Execute(sql::kRemoveStatus, {{"local", std::int64_t{local}}}));
    if (n == 0) {
      return MakeError(ErrorCode::kNotFound, "dvcqg.not_found",
                       "Trạng thái " + std::to_string(local) + " không có trong bảng ánh xạ.",
                       "The status " + std::to_string(local) + " is not in the table.");
    }
    TINHSO_RETURN_IF_ERROR(audit::Append(
        tx, actor, {"dvcqg.status.remove", "dvcqg_status", std::to_string(local), "{}"},
        clock_.Now()));
    return Ok();
  });
}

namespace {

StatusView View(int local, std::optional<StatusRow> row) {
  const auto s = static_cast<dossiers::Status>(local);
  return {.local = local,
          .local_name_vi = std::string(dossiers::StatusNameVi(s)),
          .local_name_en = std::string(dossiers::StatusNameEn(s)),
          .national = row ? row->national : -1,
          .updated_at = row && row->updated_by != 0 ? std::optional<core::Seconds>(row->updated_at)
                                                    : std::nullopt,
          .updated_by = row ? row->updated_by : 0};
}

Result<http::Response> List(StatusTable& table, const http::Request&, http::Context& ctx) {
  TINHSO_ASSIGN_OR_RETURN(auto rows, table.List(ctx.actor));
  StatusList list;
  for (int local = 1; local <= 10; ++local) {
    std::optional<StatusRow> found;
    for (const StatusRow& r : rows) {
      if (r.local == local) found = r;
    }
    list.items.push_back(View(local, found));
  }
  return http::Reply(200, list);
}

Result<http::Response> Put(StatusTable& table, const http::Request&, http::Context& ctx) {
  const int local = static_cast<int>(std::stoll(std::string(ctx.Param("local"))));
  TINHSO_ASSIGN_OR_RETURN(StatusRow row,
                          table.Set(local, ctx.Body<StatusBody>().national.value, ctx.actor));
  return http::Reply(200, View(local, row));
}

Result<http::Response> Delete(StatusTable& table, const http::Request&, http::Context& ctx) {
  const int local = static_cast<int>(std::stoll(std::string(ctx.Param("local"))));
  TINHSO_RETURN_IF_ERROR(table.Remove(local, ctx.actor));
  return http::Reply(200, View(local, std::nullopt));
}

}  // namespace

void RegisterRoutes(http::Router& router, StatusTable& statuses) {
  auto table = std::ref(statuses);
  const std::string tag = "dvcqg";
  const std::vector<http::PathParam> local{http::IntParam("local", 1, 10)};
  router.Add({.method = http::Method::kGet,
              .path = "/api/v1/dvcqg/statuses",
              .action = "dvcqg.read",
              .summary_vi = "Bảng ánh xạ trạng thái hồ sơ sang Cổng dịch vụ công quốc gia",
              .summary_en = "The table mapping dossier statuses to the national portal's codes",
              .handler = std::bind_front(List, table),
              .tag = tag,
              .answers = {http::Returns<StatusList>()}});
  router.Add({.method = http::Method::kPut,
              .path = "/api/v1/dvcqg/statuses/{local}",
              .action = "dvcqg.manage",
              .summary_vi = "Đặt mã trạng thái gửi lên Cổng quốc gia cho một trạng thái",
              .summary_en = "Set the national code sent for one status",
              .handler = std::bind_front(Put, table),
              .tag = tag,
              .params = local,
              .body = http::JsonBody<StatusBody>(),
              .answers = {http::Returns<StatusView>()}});
  router.Add({.method = http::Method::kDelete,
              .path = "/api/v1/dvcqg/statuses/{local}",
              .action = "dvcqg.manage",
              .summary_vi = "Bỏ một trạng thái khỏi bảng (hồ sơ ở trạng thái đó không được gửi)",
              .summary_en = "Remove a status from the table (its dossiers are not sent)",
              .handler = std::bind_front(Delete, table),
              .tag = tag,
              .params = local,
              .answers = {http::Returns<StatusView>()}});
}

}  // namespace tinhso::dvcqg
