// `tinhso outbox …`: list, show, retry and cancel messages to other systems from a shell (the
// same operations as the administrators' page, through outbox::Outbox).
#include <iomanip>
#include <iostream>

#include "app/app.hpp"
#include "app/commands.hpp"
#include "auth/policy.hpp"
#include "core/parse.hpp"
#include "core/text.hpp"
#include "outbox/outbox.hpp"

namespace tinhso::app {
namespace {

// The outbox on the database of `url`, and the policy it asks (the CLI acts as the system).
struct OutboxContext {
  std::unique_ptr<storage::Database> db;
  core::SystemClock clock;
  auth::Policy policy;
  std::unique_ptr<outbox::Outbox> box;
};

Result<std::unique_ptr<OutboxContext>> OpenOutbox(const std::string& url) {
  auto ctx = std::make_unique<OutboxContext>();
  TINHSO_ASSIGN_OR_RETURN(ctx->db, OpenMigrated(url));
  ctx->box = std::make_unique<outbox::Outbox>(*ctx->db, ctx->clock, ctx->policy);
  return ctx;
}

void PrintMessage(const outbox::Message& m) {
  std::cout << "Mã / id:                 " << m.id << "\n"
            << "Trạng thái / status:     " << outbox::StatusName(m.status) << "\n"
            << "Nơi nhận / destination:  " << m.destination << "\n"
            << "Khóa thứ tự / ordering:  "
            << (m.ordering_key.empty() ? "-" : m.ordering_key + " #" + std::to_string(m.seq))
            << "\n"
            << "Khóa chống trùng / key:  " << m.idempotency_key << "\n"
            << "Yêu cầu / request:       " << m.method << " " << m.path << "\n"
            << "Nội dung / body:         " << m.body_size << " bytes, SHA-256 " << m.body_sha256
            << "\n"
            << "Số lần gửi / attempts:   " << m.attempts << "\n"
            << "Tạo lúc / created:       " << core::FormatTimestamp(m.created_at) << "\n";
  if (m.status == outbox::Status::kQueued || m.status == outbox::Status::kRetrying) {
    std::cout << "Gửi tiếp / next attempt: " << core::FormatTimestamp(m.next_attempt_at) << "\n";
  }
  if (m.delivered_at) {
    std::cout << "Đã gửi / delivered:      " << core::FormatTimestamp(*m.delivered_at) << "\n";
  }
  if (!m.last_error.empty()) {
    std::cout << "Lỗi gần nhất / last error: " << m.last_error << "\n";
  }
}

Result<std::int64_t> RequireId(const OutboxCliOptions& o) {
  if (o.id > 0) return o.id;
  return MakeError(ErrorCode::kInvalidArgument, "cli.outbox_id", "Cần mã tin gửi đi (số dương).",
                   "An outgoing message's id is needed (a positive number).");
}

}  // namespace

int RunOutboxList(const OutboxCliOptions& o) {
  auto ctx = OpenOutbox(o.database_url);
  if (!ctx.ok()) return ReportError(ctx.error());
  outbox::ListFilter filter;
  if (!o.status.empty()) {
    filter.status = outbox::ParseStatus(o.status);
    if (!filter.status) {
      return ReportError(
          MakeError(ErrorCode::kInvalidArgument, "cli.outbox_status",
                    "Trạng thái phải là queued, sending, retrying, delivered, dead hoặc cancelled.",
                    "The status must be queued, sending, retrying, delivered, dead or cancelled."));
    }
  }
  filter.destination = o.destination;
  filter.limit = o.limit;
  filter.offset = o.offset;
  auto page = (*ctx)->box->List(filter, core::SystemActor());
  if (!page.ok()) return ReportError(page.error());
  std::cout << std::left << std::setw(8) << "id" << std::setw(11) << "status" << std::setw(9)
            << "attempts" << std::setw(24) << "destination" << std::setw(36) << "key"
            << "last error\n";
  for (const outbox::Message& m : page->items) {
    std::cout << std::left << std::setw(8) << m.id << std::setw(11) << outbox::StatusName(m.status)
              << std::setw(9) << m.attempts << std::setw(24) << m.destination << std::setw(36)
              << m.idempotency_key << m.last_error << "\n";
  }
  std::cout << page->items.size() << " / " << page->total << " tin gửi đi / outgoing messages\n";
  return 0;
}

int RunOutboxShow(const OutboxCliOptions& o) {
  auto id = RequireId(o);
  if (!id.ok()) return ReportError(id.error());
  auto ctx = OpenOutbox(o.database_url);
  if (!ctx.ok()) return ReportError(ctx.error());
  auto got = (*ctx)->box->Get(*id, core::SystemActor());
  if (!got.ok()) return ReportError(got.error());
  const auto& [m, attempts] = *got;
  PrintMessage(m);
  for (const auto& [name, value] : m.headers) std::cout << "  " << name << ": " << value << "\n";
  if (m.body.size() <= 4096 && core::IsValidUtf8(m.body)) std::cout << m.body << "\n";
  std::cout << "Các lần gửi / attempts: " << attempts.size() << "\n";
  for (std::size_t i = 0; i < attempts.size(); ++i) {
    const outbox::Attempt& a = attempts[i];
    std::cout << "  " << i + 1 << ". " << core::FormatTimestamp(a.started_at) << " "
              << outbox::OutcomeName(a.outcome);
    if (a.status_code != 0) std::cout << " HTTP " << a.status_code;
    if (!a.error.empty()) std::cout << " — " << a.error;
    std::cout << "\n";
  }
  return 0;
}

int RunOutboxRetry(const OutboxCliOptions& o) {
  auto id = RequireId(o);
  if (!id.ok()) return ReportError(id.error());
  auto ctx = OpenOutbox(o.database_url);
  if (!ctx.ok()) return ReportError(ctx.error());
  auto m = (*ctx)->box->Retry(*id, core::SystemActor());
  if (!m.ok()) return ReportError(m.error());
  std::cout << "Đã đưa tin " << m->id << " vào hàng đợi gửi lại / message " << m->id
            << " queued again\n";
  return 0;
}

int RunOutboxCancel(const OutboxCliOptions& o) {
  auto id = RequireId(o);
  if (!id.ok()) return ReportError(id.error());
  auto ctx = OpenOutbox(o.database_url);
  if (!ctx.ok()) return ReportError(ctx.error());
  auto m = (*ctx)->box->Cancel(*id, core::SystemActor());
  if (!m.ok()) return ReportError(m.error());
  std::cout << "Đã hủy tin " << m->id << " / message " << m->id << " cancelled\n";
  return 0;
}

}  // namespace tinhso::app
