// Thin HTTP handlers for the audit log: parse, call, render.
#include <boost/json.hpp>

#include "audit/audit.hpp"
#include "core/json.hpp"
#include "core/parse.hpp"
#include "http/http.hpp"

namespace tinhso::audit {
namespace {

Error BadParam(std::string_view name, std::string_view expect_vi, std::string_view expect_en) {
  return MakeError(
      ErrorCode::kInvalidArgument, "request.invalid_query",
      "Tham số '" + std::string(name) + "' không hợp lệ: cần " + std::string(expect_vi) + ".",
      "Query parameter '" + std::string(name) + "' is invalid: expected " + std::string(expect_en) +
          ".");
}

Result<Filter> ParseFilter(const http::Request& req) {
  Filter f;
  if (auto v = req.Query("actor")) {
    auto id = core::ParseInt64(*v);
    if (!id) return BadParam("actor", "mã số người dùng", "a user id");
    f.actor_id = *id;
  }
  f.action_prefix = req.Query("action").value_or("");
  f.object_type = req.Query("object_type").value_or("");
  f.object_id = req.Query("object_id").value_or("");
  for (const char* name : {"from", "to"}) {
    if (auto v = req.Query(name)) {
      auto t = core::ParseTimestamp(*v);
      if (!t)
        return BadParam(name, "ngày YYYY-MM-DD hoặc thời điểm ISO 8601",
                        "a YYYY-MM-DD date or an ISO 8601 time");
      (std::string_view(name) == "from" ? f.from : f.to) = *t;
    }
  }
  if (auto v = req.Query("cursor")) {
    auto seq = core::ParseInt64(*v);
    if (!seq || *seq < 1) return BadParam("cursor", "số thứ tự bản ghi", "an entry number");
    f.before_seq = *seq;
  }
  if (auto v = req.Query("limit")) {
    auto n = core::ParseInt64(*v);
    if (!n || *n < 1 || *n > 500)
      return BadParam("limit", "số từ 1 đến 500", "a number from 1 to 500");
    f.limit = static_cast<int>(*n);
  }
  return f;
}

Result<http::Response> ListHandler(storage::Database& db, const http::Request& req,
                                   http::Context&) {
  TINHSO_ASSIGN_OR_RETURN(Filter filter, ParseFilter(req));
  TINHSO_ASSIGN_OR_RETURN(std::vector<Entry> entries, List(db, filter));
  boost::json::array items;
  for (const Entry& e : entries) {
    boost::json::object o;
    o["seq"] = e.seq;
    o["at"] = core::FormatTimestamp(e.at);
    o["actor_id"] = e.actor_id;
    o["actor_login"] = e.actor_login;
    o["action"] = e.action;
    o["object_type"] = e.object_type;
    o["object_id"] = e.object_id;
    boost::system::error_code ec;
    boost::json::value data = boost::json::parse(e.data_json, ec);
    o["data"] = ec ? boost::json::value(e.data_json) : std::move(data);
    o["hash"] = e.hash;
    items.push_back(std::move(o));
  }
  boost::json::object body;
  const bool more = static_cast<int>(entries.size()) == filter.limit;
  body["items"] = std::move(items);
  body["next_cursor"] = more ? boost::json::value(entries.back().seq) : nullptr;
  return http::JsonResponse(200, json::Serialize(body));
}

Result<http::Response> VerifyHandler(const Checkpoints& checkpoints, const http::Request&,
                                     http::Context&) {
  TINHSO_ASSIGN_OR_RETURN(VerifyReport r, checkpoints.Verify());
  boost::json::object body;
  body["intact"] = r.intact;
  body["checked"] = r.checked;
  body["first_bad"] = r.intact ? boost::json::value(nullptr) : boost::json::value(r.first_bad);
  body["problem_code"] = r.problem;
  body["problem"] = r.problem_vi;
  body["problem_en"] = r.problem_en;
  body["head_hash"] = r.head_hash;
  body["checkpoints"] = r.checkpoints;
  body["anchored"] = r.anchored;
  body["not_yet_anchored"] = r.intact ? r.checked - r.anchored : 0;
  body["anchored_at"] =
      r.anchored_at ? boost::json::value(core::FormatTimestamp(*r.anchored_at)) : nullptr;
  return http::JsonResponse(200, json::Serialize(body));
}

constexpr std::string_view kFiles = "/api/v1/audit/checkpoints/files/";

boost::json::object CheckpointJson(const Checkpoint& c) {
  boost::json::object o;
  o["name"] = c.name;
  o["seq"] = c.seq;
  o["hash"] = c.hash;
  o["count"] = c.count;
  o["at"] = core::FormatTimestamp(c.at);
  const std::string stem = std::string(kFiles) + c.name;
  o["files"] = {
      {"checkpoint", stem + ".json"}, {"signature", stem + ".p7s"}, {"timestamp", stem + ".tst"}};
  return o;
}

Result<http::Response> CheckpointsHandler(const Checkpoints& checkpoints, const http::Request& req,
                                          http::Context&) {
  int limit = 50;
  if (auto v = req.Query("limit")) {
    auto n = core::ParseInt64(*v);
    if (!n || *n < 1 || *n > 500)
      return BadParam("limit", "số từ 1 đến 500", "a number from 1 to 500");
    limit = static_cast<int>(*n);
  }
  const std::string before = req.Query("cursor").value_or("");
  TINHSO_ASSIGN_OR_RETURN(std::vector<Checkpoint> list, checkpoints.List(limit, before));
  boost::json::array items;
  for (const Checkpoint& c : list) items.push_back(CheckpointJson(c));
  boost::json::object body;
  const bool more = static_cast<int>(list.size()) == limit;
  body["items"] = std::move(items);
  body["next_cursor"] = more ? boost::json::value(list.back().name) : nullptr;
  return http::JsonResponse(200, json::Serialize(body));
}

Result<http::Response> LatestHandler(const Checkpoints& checkpoints, const http::Request&,
                                     http::Context&) {
  TINHSO_ASSIGN_OR_RETURN(std::vector<Checkpoint> list, checkpoints.List(1));
  if (list.empty()) {
    return MakeError(ErrorCode::kNotFound, "audit.no_checkpoint", "Chưa có điểm neo nhật ký nào.",
                     "There is no audit checkpoint yet.");
  }
  return http::JsonResponse(200, json::Serialize(CheckpointJson(list[0])));
}

// The files as they are on disk, for `openssl cms -verify` and `openssl ts -verify`.
Result<http::Response> FileHandler(const Checkpoints& checkpoints, const http::Request&,
                                   http::Context& ctx) {
  const std::string_view file = ctx.Param("file");
  TINHSO_ASSIGN_OR_RETURN(std::string bytes, checkpoints.File(file));
  http::Response r;
  r.content_type = file.ends_with(".json")  ? "application/json"
                   : file.ends_with(".p7s") ? "application/pkcs7-signature"
                                            : "application/octet-stream";
  r.body = std::move(bytes);
  // Written once and never changed.
  r.headers.emplace_back("Cache-Control", "private, max-age=31536000, immutable");
  return r;
}

}  // namespace

void RegisterRoutes(http::Router& router, storage::Database& db, Checkpoints& checkpoints) {
  router.Add(
      {.method = http::Method::kGet,
       .path = "/api/v1/audit",
       .action = "audit.read",
       .summary_vi = "Tra cứu nhật ký thay đổi (lọc, phân trang)",
       .summary_en = "Read the audit log (filtered, paginated)",
       .handler = [&db](const http::Request& r, http::Context& c) { return ListHandler(db, r, c); },
       .tag = "audit"});
  router.Add(
      {.method = http::Method::kGet,
       .path = "/api/v1/audit/verify",
       .action = "audit.verify",
       .summary_vi = "Kiểm tra tính toàn vẹn của chuỗi nhật ký",
       .summary_en = "Check the integrity of the audit chain",
       .handler = [&checkpoints](const http::Request& r,
                                 http::Context& c) { return VerifyHandler(checkpoints, r, c); },
       .tag = "audit"});
  router.Add({.method = http::Method::kGet,
              .path = "/api/v1/audit/checkpoints",
              .action = "audit.read",
              .summary_vi = "Các điểm neo của chuỗi nhật ký (mới nhất trước)",
              .summary_en = "The audit chain's checkpoints (newest first)",
              .handler = [&checkpoints](
                             const http::Request& r,
                             http::Context& c) { return CheckpointsHandler(checkpoints, r, c); },
              .tag = "audit"});
  router.Add(
      {.method = http::Method::kGet,
       .path = "/api/v1/audit/checkpoints/latest",
       .action = "audit.read",
       .summary_vi = "Điểm neo mới nhất của chuỗi nhật ký",
       .summary_en = "The audit chain's newest checkpoint",
       .handler = [&checkpoints](const http::Request& r,
                                 http::Context& c) { return LatestHandler(checkpoints, r, c); },
       .tag = "audit"});
  router.Add(
      {.method = http::Method::kGet,
       .path = "/api/v1/audit/checkpoints/files/{file}",
       .action = "audit.read",
       .summary_vi = "Một tệp của điểm neo: .json, chữ ký .p7s hoặc dấu thời gian .tst",
       .summary_en = "One file of a checkpoint: .json, the .p7s signature or the .tst "
                     "time-stamp",
       .handler = [&checkpoints](const http::Request& r,
                                 http::Context& c) { return FileHandler(checkpoints, r, c); },
       .tag = "audit"});
}

}  // namespace tinhso::audit
