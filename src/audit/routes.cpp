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

Result<http::Response> VerifyHandler(storage::Database& db, const http::Request&, http::Context&) {
  TINHSO_ASSIGN_OR_RETURN(VerifyReport r, Verify(db));
  boost::json::object body;
  body["intact"] = r.intact;
  body["checked"] = r.checked;
  body["first_bad"] = r.intact ? boost::json::value(nullptr) : boost::json::value(r.first_bad);
  body["problem"] = r.problem_vi;
  body["problem_en"] = r.problem_en;
  body["head_hash"] = r.head_hash;
  return http::JsonResponse(200, json::Serialize(body));
}

}  // namespace

void RegisterRoutes(http::Router& router, storage::Database& db) {
  router.Add(
      {.method = http::Method::kGet,
       .path = "/api/v1/audit",
       .action = "audit.read",
       .summary_vi = "Tra cứu nhật ký thay đổi (lọc, phân trang)",
       .summary_en = "Read the audit log (filtered, paginated)",
       .handler = [&db](const http::Request& r, http::Context& c) { return ListHandler(db, r, c); },
       .tag = "audit"});
  router.Add({.method = http::Method::kGet,
              .path = "/api/v1/audit/verify",
              .action = "audit.verify",
              .summary_vi = "Kiểm tra tính toàn vẹn của chuỗi nhật ký",
              .summary_en = "Check the integrity of the audit chain",
              .handler = [&db](const http::Request& r,
                               http::Context& c) { return VerifyHandler(db, r, c); },
              .tag = "audit"});
}

}  // namespace tinhso::audit
