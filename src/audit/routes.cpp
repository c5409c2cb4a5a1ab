// Thin HTTP handlers for the audit log: parse, call, render.
#include <boost/json/parse.hpp>
#include <functional>

#include "audit/api.hpp"
#include "audit/audit.hpp"
#include "http/api.hpp"

namespace tinhso::audit {
namespace {

using http::TextOr;

Result<http::Response> ListHandler(storage::Database& db, const http::Request&,
                                   http::Context& ctx) {
  const auto& q = ctx.Query<AuditQuery>();
  Filter filter;
  filter.actor_id = q.actor;
  filter.action_prefix = TextOr(q.action);
  filter.object_type = TextOr(q.object_type);
  filter.object_id = TextOr(q.object_id);
  filter.from = q.from;
  filter.to = q.to;
  if (q.cursor) filter.before_seq = q.cursor->value;
  filter.limit = q.limit;
  TINHSO_ASSIGN_OR_RETURN(std::vector<Entry> entries, List(db, filter));
  AuditPage page;
  page.items.reserve(entries.size());
  for (const Entry& e : entries) {
    boost::system::error_code ec;
    boost::json::value data = boost::json::parse(e.data_json, ec);
    page.items.push_back({.seq = e.seq,
                          .at = e.at,
                          .actor_id = e.actor_id,
                          .actor_login = e.actor_login,
                          .action = e.action,
                          .object_type = e.object_type,
                          .object_id = e.object_id,
                          .data = {ec ? boost::json::value(e.data_json) : std::move(data)},
                          .hash = e.hash});
  }
  if (static_cast<int>(entries.size()) == filter.limit)
    page.next_cursor.emplace(entries.back().seq);
  return http::Reply(200, page);
}

Result<http::Response> VerifyHandler(const Checkpoints& checkpoints, const http::Request&,
                                     http::Context&) {
  TINHSO_ASSIGN_OR_RETURN(VerifyReport r, checkpoints.Verify());
  AuditVerifyReport report{.intact = r.intact,
                           .checked = r.checked,
                           .first_bad = {},
                           .problem_code = r.problem,
                           .problem = r.problem_vi,
                           .problem_en = r.problem_en,
                           .head_hash = r.head_hash,
                           .checkpoints = r.checkpoints,
                           .anchored = r.anchored,
                           .not_yet_anchored = r.intact ? r.checked - r.anchored : 0,
                           .anchored_at = r.anchored_at};
  if (!r.intact) report.first_bad.emplace(r.first_bad);
  return http::Reply(200, report);
}

constexpr std::string_view kFiles = "/api/v1/audit/checkpoints/files/";

CheckpointView View(const Checkpoint& c) {
  const std::string stem = std::string(kFiles) + c.name;
  return {
      .name = c.name,
      .seq = c.seq,
      .hash = c.hash,
      .count = c.count,
      .at = c.at,
      .files = {
          .checkpoint = stem + ".json", .signature = stem + ".p7s", .timestamp = stem + ".tst"}};
}

Result<http::Response> CheckpointsHandler(const Checkpoints& checkpoints, const http::Request&,
                                          http::Context& ctx) {
  const auto& q = ctx.Query<CheckpointListQuery>();
  const int limit = q.limit;
  TINHSO_ASSIGN_OR_RETURN(std::vector<Checkpoint> list, checkpoints.List(limit, TextOr(q.cursor)));
  CheckpointPage page;
  page.items.reserve(list.size());
  for (const Checkpoint& c : list) page.items.push_back(View(c));
  if (static_cast<int>(list.size()) == limit) page.next_cursor.emplace(list.back().name);
  return http::Reply(200, page);
}

Result<http::Response> LatestHandler(const Checkpoints& checkpoints, const http::Request&,
                                     http::Context&) {
  TINHSO_ASSIGN_OR_RETURN(std::vector<Checkpoint> list, checkpoints.List(1));
  if (list.empty()) {
    return MakeError(ErrorCode::kNotFound, "audit.no_checkpoint", "Chưa có điểm neo nhật ký nào.",
                     "There is no audit checkpoint yet.");
  }
  return http::Reply(200, View(list[0]));
}

// How each of a checkpoint's files is served (and documented).
constexpr std::string_view kJsonType = "application/json";
constexpr std::string_view kSignatureType = "application/pkcs7-signature";
constexpr std::string_view kTokenType = "application/octet-stream";

// The files as they are on disk, for `openssl cms -verify` and `openssl ts -verify`.
Result<http::Response> FileHandler(const Checkpoints& checkpoints, const http::Request&,
                                   http::Context& ctx) {
  const std::string_view file = ctx.Param("file");
  TINHSO_ASSIGN_OR_RETURN(std::string bytes, checkpoints.File(file));
  http::Response r;
  r.content_type = file.ends_with(".json")  ? kJsonType
                   : file.ends_with(".p7s") ? kSignatureType
                                            : kTokenType;
  r.body = std::move(bytes);
  // Written once and never changed.
  r.headers.emplace_back("Cache-Control", "private, max-age=31536000, immutable");
  return r;
}

}  // namespace

void RegisterRoutes(http::Router& router, storage::Database& db, Checkpoints& checkpoints) {
  using http::Method;
  const auto cps = std::cref(checkpoints);
  router.Add({.method = Method::kGet,
              .path = "/api/v1/audit",
              .action = "audit.read",
              .summary_vi = "Tra cứu nhật ký thay đổi (lọc, phân trang)",
              .summary_en = "Read the audit log (filtered, paginated)",
              .handler = std::bind_front(ListHandler, std::ref(db)),
              .tag = "audit",
              .query = http::QueryParams<AuditQuery>(),
              .answers = {http::Returns<AuditPage>()}});
  router.Add({.method = Method::kGet,
              .path = "/api/v1/audit/verify",
              .action = "audit.verify",
              .summary_vi = "Kiểm tra tính toàn vẹn của chuỗi nhật ký",
              .summary_en = "Check the integrity of the audit chain",
              .handler = std::bind_front(VerifyHandler, cps),
              .tag = "audit",
              .answers = {http::Returns<AuditVerifyReport>()}});
  router.Add({.method = Method::kGet,
              .path = "/api/v1/audit/checkpoints",
              .action = "audit.read",
              .summary_vi = "Các điểm neo của chuỗi nhật ký (mới nhất trước)",
              .summary_en = "The audit chain's checkpoints (newest first)",
              .handler = std::bind_front(CheckpointsHandler, cps),
              .tag = "audit",
              .query = http::QueryParams<CheckpointListQuery>(),
              .answers = {http::Returns<CheckpointPage>()}});
  router.Add({.method = Method::kGet,
              .path = "/api/v1/audit/checkpoints/latest",
              .action = "audit.read",
              .summary_vi = "Điểm neo mới nhất của chuỗi nhật ký",
              .summary_en = "The audit chain's newest checkpoint",
              .handler = std::bind_front(LatestHandler, cps),
              .tag = "audit",
              .answers = {http::Returns<CheckpointView>()}});
  http::PathParam file =
      http::CodeParam("file", R"(^[0-9]{12}-[0-9]{8}T[0-9]{6}Z\.(json|p7s|tst)$)");
  file.description =
      "<name>.json, <name>.p7s hoặc <name>.tst / the checkpoint, its signature "
      "or its time-stamp token";
  router.Add(
      {.method = Method::kGet,
       .path = "/api/v1/audit/checkpoints/files/{file}",
       .action = "audit.read",
       .summary_vi = "Một tệp của điểm neo: .json, chữ ký .p7s hoặc dấu thời gian .tst",
       .summary_en = "One file of a checkpoint: .json, the .p7s signature or the .tst "
                     "time-stamp",
       .handler = std::bind_front(FileHandler, cps),
       .tag = "audit",
       .params = {file},
       .answers = {http::Returns<CheckpointFile>(
                       200,
                       "Tệp đúng như trên đĩa: .json (JSON), .p7s (chữ ký CMS, DER), .tst (dấu "
                       "thời gian RFC 3161, DER) / the file as on disk: .json, .p7s (CMS "
                       "signature, DER), .tst (RFC 3161 time-stamp token, DER)"),
                   http::FileAnswer(200, std::string(kSignatureType)),
                   http::FileAnswer(200, std::string(kTokenType))}});
}

}  // namespace tinhso::audit
