// Shared by the notify tests: a fresh database on each backend, a fake clock, an Outbox, and a
// scriptable Sender that keeps what it was given.
#pragma once

#include <gtest/gtest.h>

#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "notify/notify.hpp"
#include "support/database.hpp"

namespace tinhso::notify::test {

inline core::Seconds At(long long s) { return core::Seconds(std::chrono::seconds(s)); }
// 2026-03-10T02:00:00Z, 09:00 in Vietnam.
inline constexpr long long kStart = 1773108000;

class RecordingSender final : public Sender {
 public:
  Result<std::string> Send(const Message& m) override {
    std::lock_guard lock(mu_);
    sent_.push_back(m);
    if (!script_.empty()) {
      auto next = std::move(script_.front());
      script_.pop_front();
      return next;
    }
    return "provider-" + std::to_string(m.id);
  }
  // The next Send answers this (an error, or a provider id).
  void Then(Result<std::string> outcome) {
    std::lock_guard lock(mu_);
    script_.push_back(std::move(outcome));
  }
  std::vector<Message> sent() const {
    std::lock_guard lock(mu_);
    return sent_;
  }

 private:
  mutable std::mutex mu_;
  std::vector<Message> sent_;
  std::deque<Result<std::string>> script_;
};

class OutboxFixture : public tinhso::test::BackendTest {
 protected:
  Outbox& outbox() {
    if (!outbox_) outbox_ = std::make_unique<Outbox>(db(), clock_, options_);
    return *outbox_;
  }

  static Recipient Citizen() {
    Recipient r;
    r.user_id = 501;
    r.email = "hoa.nguyen@example.vn";
    r.phone = "0912345678";
    r.language = Language::kVi;
    return r;
  }

  static Event Accepted(std::string id = "dossier-42-event-7") {
    Event e;
    e.id = std::move(id);
    e.template_key = "accepted";
    e.dossier_id = 42;
    e.values = {{"name", "Nguyễn Thị Hoa"},
                {"code", "H55.60.01-260310-0001"},
                {"procedure", "Đăng ký khai sinh"},
                {"appointment_date", "24/03/2026"}};
    return e;
  }

  // Enqueues in a transaction of its own and commits.
  std::vector<Message> MustEnqueue(const Event& e, const Recipient& r) {
    std::vector<Message> out;
    auto done = storage::WithTransaction(db(), [&](storage::Transaction& tx) -> Result<void> {
      TINHSO_ASSIGN_OR_RETURN(out, outbox().Enqueue(tx, e, r));
      return Ok();
    });
    EXPECT_TRUE(done.ok()) << (done.ok() ? "" : done.error().reason + " " + done.error().detail);
    return out;
  }

  core::FakeClock clock_{At(kStart)};
  OutboxOptions options_;
  std::unique_ptr<Outbox> outbox_;
};

}  // namespace tinhso::notify::test
