// Thin HTTP handlers for the operators' view of the outbox: parse, call the outbox, render.
#include "core/parse.hpp"
#include "core/text.hpp"
#include "http/api.hpp"
#include "outbox/api.hpp"
#include "outbox/outbox.hpp"

namespace tinhso::outbox {
namespace {

OutboxMessage View(const Message& m) {
  OutboxMessage v;
  v.id = m.id;
  v.destination = m.destination;
  v.ordering_key = m.ordering_key;
  v.seq = m.seq;
  v.idempotency_key = m.idempotency_key;
  v.method = m.method;
  v.path = m.path;
  v.body_size = m.body_size;
  v.body_sha256 = m.body_sha256;
  v.status = m.status;
  v.attempts = m.attempts;
  v.next_attempt_at = m.next_attempt_at;
  v.last_error = m.last_error;
  v.last_status_code = m.last_status_code;
  v.created_at = m.created_at;
  v.updated_at = m.updated_at;
  v.delivered_at = m.delivered_at;
  return v;
}

Result<std::int64_t> PathId(const http::Context& c) {
  auto id = core::ParseInt64(c.Param("id"));
  if (!id || *id <= 0) {
    return MakeError(ErrorCode::kInvalidArgument, "request.invalid_field",
                     "Mã phải là số nguyên dương.", "The id must be a positive integer.");
  }
  return *id;
}

Result<http::Response> List(Outbox& outbox, const http::Request&, http::Context& ctx) {
  const auto& q = ctx.Query<OutboxListQuery>();
  ListFilter filter;
  filter.status = q.status;
  if (q.destination) filter.destination = q.destination->value;
  filter.limit = q.limit;
  filter.offset = q.offset;
  TINHSO_ASSIGN_OR_RETURN(Page page, outbox.List(filter, ctx.actor));
  return http::Reply(200, http::PageOf(page, View));
}

Result<http::Response> Get(Outbox& outbox, const http::Request&, http::Context& ctx) {
  TINHSO_ASSIGN_OR_RETURN(std::int64_t id, PathId(ctx));
  TINHSO_ASSIGN_OR_RETURN(auto got, outbox.Get(id, ctx.actor));
  const auto& [m, attempts] = got;
  OutboxMessageDetail out;
  out.message = View(m);
  for (const auto& [name, value] : m.headers) out.headers.push_back({name, value});
  // Text is shown as it is; bytes (a signed package, a PDF) only by their size and hash.
  if (m.body.size() <= 64 * 1024 && core::IsValidUtf8(m.body)) out.body_text = m.body;
  for (const Attempt& a : attempts) {
    out.attempts.push_back({.started_at = a.started_at,
                            .finished_at = a.finished_at,
                            .outcome = a.outcome,
                            .status_code = a.status_code,
                            .error = a.error});
  }
  return http::Reply(200, out);
}

Result<http::Response> Retry(Outbox& outbox, const http::Request&, http::Context& ctx) {
  TINHSO_ASSIGN_OR_RETURN(std::int64_t id, PathId(ctx));
  TINHSO_ASSIGN_OR_RETURN(Message m, outbox.Retry(id, ctx.actor));
  return http::Reply(200, View(m));
}

Result<http::Response> Cancel(Outbox& outbox, const http::Request&, http::Context& ctx) {
  TINHSO_ASSIGN_OR_RETURN(std::int64_t id, PathId(ctx));
  TINHSO_ASSIGN_OR_RETURN(Message m, outbox.Cancel(id, ctx.actor));
  return http::Reply(200, View(m));
}

Result<http::Response> Summary(Outbox& outbox, const http::Request&, http::Context& ctx) {
  TINHSO_ASSIGN_OR_RETURN(std::vector<Count> counts, outbox.Counts(ctx.actor));
  OutboxSummary out;
  for (const Count& c : counts) {
    out.items.push_back({.destination = c.destination,
                         .status = c.status,
                         .messages = c.messages,
                         .oldest = c.oldest});
  }
  return http::Reply(200, out);
}

}  // namespace

void RegisterRoutes(http::Router& router, Outbox& outbox) {
  using http::Method;
  const http::PathParam kId = http::IdParam("id");
  router.Add({.method = Method::kGet,
              .path = "/api/v1/outbox/messages",
              .action = "outbox.read",
              .summary_vi = "Tin gửi đi các hệ thống khác, mới nhất trước (lọc theo trạng thái, "
                            "nơi nhận)",
              .summary_en = "Messages to other systems, newest first (by status, destination)",
              .handler = std::bind_front(List, std::ref(outbox)),
              .tag = "outbox",
              .query = http::QueryParams<OutboxListQuery>(),
              .answers = {http::Returns<http::Page<OutboxMessage>>()}});
  router.Add({.method = Method::kGet,
              .path = "/api/v1/outbox/messages/{id}",
              .action = "outbox.read",
              .summary_vi = "Một tin gửi đi, kèm các lần gửi",
              .summary_en = "One outgoing message, with its delivery attempts",
              .handler = std::bind_front(Get, std::ref(outbox)),
              .tag = "outbox",
              .params = {kId},
              .answers = {http::Returns<OutboxMessageDetail>()}});
  router.Add({.method = Method::kPost,
              .path = "/api/v1/outbox/messages/{id}/retry",
              .action = "outbox.manage",
              .summary_vi = "Gửi lại một tin gửi thất bại hoặc đã hủy (ngay, với số lần thử mới)",
              .summary_en = "Retry a dead or cancelled message (now, with fresh attempts)",
              .handler = std::bind_front(Retry, std::ref(outbox)),
              .tag = "outbox",
              .params = {kId},
              .answers = {http::Returns<OutboxMessage>()}});
  router.Add({.method = Method::kPost,
              .path = "/api/v1/outbox/messages/{id}/cancel",
              .action = "outbox.manage",
              .summary_vi = "Hủy một tin đang chờ gửi hoặc chờ gửi lại",
              .summary_en = "Cancel a queued or retrying message",
              .handler = std::bind_front(Cancel, std::ref(outbox)),
              .tag = "outbox",
              .params = {kId},
              .answers = {http::Returns<OutboxMessage>()}});
  router.Add({.method = Method::kGet,
              .path = "/api/v1/outbox/summary",
              .action = "outbox.read",
              .summary_vi = "Số tin gửi đi theo nơi nhận và trạng thái (để giám sát)",
              .summary_en = "Outgoing messages per destination and status (for monitoring)",
              .handler = std::bind_front(Summary, std::ref(outbox)),
              .tag = "outbox",
              .answers = {http::Returns<OutboxSummary>()}});
}

}  // namespace tinhso::outbox
