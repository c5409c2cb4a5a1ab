// Shared by the outbox tests: a fresh database on each backend, a fake clock, an Outbox, and a
// scriptable Sender that keeps what it was given.
#pragma once

#include <gtest/gtest.h>

#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "auth/policy.hpp"
#include "outbox/outbox.hpp"
#include "support/database.hpp"

namespace tinhso::outbox::test {

inline core::Seconds At(long long s) { return core::Seconds(std::chrono::seconds(s)); }
// 2026-03-10T02:00:00Z, 09:00 in Vietnam.
inline constexpr long long kStart = 1773108000;

inline Response Answer(int status, std::optional<std::chrono::seconds> retry_after = {}) {
  Response r;
  r.status = status;
  r.detail = status >= 300 ? "answer " + std::to_string(status) : "";
  r.retry_after = retry_after;
  return r;
}

// An administrator: may read and manage the outbox.
inline core::Actor Admin() {
  core::Actor a;
  a.kind = core::ActorKind::kAdmin;
  a.user_id = 1;
  a.login = "quantri";
  return a;
}

// Answers 200 unless told otherwise; keeps every message it was given.
class RecordingSender final : public Sender {
 public:
  Result<Response> Send(const Message& m) override {
    std::lock_guard lock(mu_);
    sent_.push_back(m);
    if (!script_.empty()) {
      auto next = std::move(script_.front());
      script_.pop_front();
      return next;
    }
    return Answer(200);
  }
  // The next Send answers this (an error, or a response).
  void Then(Result<Response> outcome) {
    std::lock_guard lock(mu_);
    script_.push_back(std::move(outcome));
  }
  std::vector<Message> sent() const {
    std::lock_guard lock(mu_);
    return sent_;
  }
  std::vector<std::string> keys() const {
    std::lock_guard lock(mu_);
    std::vector<std::string> out;
    for (const Message& m : sent_) out.push_back(m.idempotency_key);
    return out;
  }

 private:
  mutable std::mutex mu_;
  std::vector<Message> sent_;
  std::deque<Result<Response>> script_;
};

class OutboxFixture : public tinhso::test::BackendTest {
 protected:
  Outbox& outbox() {
    if (!outbox_) outbox_ = std::make_unique<Outbox>(db(), clock_, policy_, options_);
    return *outbox_;
  }

  static NewMessage Sync(std::string key, std::string ordering_key = "",
                         std::string destination = "dvcqg.dossier") {
    NewMessage m;
    m.destination = std::move(destination);
    m.ordering_key = std::move(ordering_key);
    m.idempotency_key = std::move(key);
    m.method = "POST";
    m.path = "/api/hoso/dongbo";
    m.headers = {{"Content-Type", "application/json"}};
    m.body = R"({"MaHoSo":"H55.60.01-260310-0001","TrangThai":"2"})";
    return m;
  }

  // Enqueues in a transaction of its own and commits.
  Message MustEnqueue(const NewMessage& m) {
    Message out;
    auto done = storage::WithTransaction(db(), [&](storage::Transaction& tx) -> Result<void> {
      TINHSO_ASSIGN_OR_RETURN(out, outbox().Enqueue(tx, m));
      return Ok();
    });
    EXPECT_TRUE(done.ok()) << (done.ok() ? "" : done.error().reason + " " + done.error().detail);
    return out;
  }

  DeliveryReport Deliver(Sender& sender, int limit = 100) {
    auto report = outbox().DeliverDue(clock_.Now(), sender, limit);
    EXPECT_TRUE(report.ok()) << (report.ok()
                                     ? ""
                                     : report.error().message_en + " " + report.error().detail);
    return report.ok() ? *report : DeliveryReport{};
  }

  Message Get(std::int64_t id) {
    auto got = outbox().Get(id, Admin());
    EXPECT_TRUE(got.ok());
    return got.ok() ? got->first : Message{};
  }
  std::vector<Attempt> Attempts(std::int64_t id) {
    auto got = outbox().Get(id, Admin());
    EXPECT_TRUE(got.ok());
    return got.ok() ? got->second : std::vector<Attempt>{};
  }

  core::FakeClock clock_{At(kStart)};
  auth::Policy policy_;
  Options options_;
  std::unique_ptr<Outbox> outbox_;
};

}  // namespace tinhso::outbox::test
