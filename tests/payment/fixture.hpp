// Shared by the payment service and route tests: a fresh database on each backend, a fake clock,
// the platform simulator, and a Service wired to both with a counting OnPaid hook.
#pragma once

#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "audit/audit.hpp"
#include "payment/messages.hpp"
#include "payment/payment.hpp"
#include "payment/simulator.hpp"
#include "support/database.hpp"

namespace tinhso::payment::test {

inline core::Seconds At(long long s) { return core::Seconds(std::chrono::seconds(s)); }

// 2025-03-10T02:00:00Z, 09:00 in Vietnam.
inline constexpr long long kStart = 1741572000;
inline constexpr std::string_view kSecret = "bi-mat-thu-nghiem";
inline constexpr std::string_view kPartner = "H55_TINHSO";

class PaymentFixture : public tinhso::test::BackendTest {
 public:
  static core::Actor Officer() {
    core::Actor a;
    a.kind = core::ActorKind::kOfficer;
    a.user_id = 11;
    a.login = "motcua.chodon";
    a.roles = {"reception"};
    a.agency_id = 7;
    return a;
  }

 protected:
  void SetUp() override {
    Simulator::Options o;
    o.partner_code = std::string(kPartner);
    o.secret = std::string(kSecret);
    o.clock = &clock_;
    auto sim = Simulator::Start(o);
    ASSERT_TRUE(sim.ok()) << sim.error().message_en << " " << sim.error().detail;
    sim_ = std::move(*sim);
  }

  GatewayConfig Config() const {
    GatewayConfig c = sim_->Config();
    c.payment_ttl = std::chrono::hours(24);
    return c;
  }

  // The service under test, created on first use with Config() (or `config` when given).
  Service& service() {
    if (!service_) UseConfig(Config());
    return *service_;
  }
  void UseConfig(const GatewayConfig& config) {
    service_ = std::make_unique<Service>(db(), clock_, config);
    service_->OnPaid([this](storage::Transaction& tx, const Payment& p) -> Result<void> {
      // Runs inside the transaction that made the payment paid: it already reads "paid".
      auto rows = tx.Query("SELECT status FROM payments WHERE id = :id", {{"id", p.id}});
      if (!rows.ok()) return rows.error();
      std::lock_guard lock(hook_mu_);
      hook_statuses_.push_back(rows->empty() ? "" : (*rows)[0].Text(0));
      hook_late_.push_back(p.late);
      ++hook_calls_;
      if (fail_hook_) {
        return MakeError(ErrorCode::kFailedPrecondition, "dossier.illegal_transition",
                         "Hồ sơ không ở trạng thái chờ thanh toán.",
                         "The dossier is not waiting for payment.");
      }
      return Ok();
    });
  }

  static PaymentRequestInput Input(std::int64_t dossier_id = 42,
                                   std::string code = "H55.01-250310-0001") {
    PaymentRequestInput in;
    in.dossier_id = dossier_id;
    in.dossier_code = std::move(code);
    in.agency_id = 7;
    in.amount = 150000;
    in.fees = {{"lephi", "LP01", "Lệ phí cấp giấy phép xây dựng", 100000},
               {"phi", "P01", "Phí thẩm định hồ sơ", 50000}};
    in.payer_name = "Nguyễn Thị Hoa";
    in.payer_id_number = "006185000123";
    in.procedure_code = "1.009994";
    in.procedure_name = "Cấp giấy phép xây dựng";
    in.agency_code = "H55.01";
    in.agency_name = "Ủy ban nhân dân xã Chợ Đồn";
    return in;
  }

  // Requests a payment for Input() and expects it to succeed.
  Payment MustRequest(const PaymentRequestInput& in = Input()) {
    auto p = service().Request(in, Officer());
    EXPECT_TRUE(p.ok()) << (p.ok() ? "" : p.error().reason + " " + p.error().detail);
    return p.ok() ? *p : Payment{};
  }

  Payment MustGet(std::string_view reference) {
    auto p = service().Get(reference);
    EXPECT_TRUE(p.ok()) << reference;
    return p.ok() ? *p : Payment{};
  }

  std::vector<std::string> Verdicts(std::string_view reference) {
    std::vector<std::string> out;
    auto events = service().Events(reference);
    EXPECT_TRUE(events.ok());
    if (events.ok()) {
      for (const Event& e : *events) out.push_back(e.source + ":" + e.verdict);
    }
    return out;
  }

  // Audit entries with this action for the payment.
  int AuditCount(std::string_view reference, std::string_view action) {
    audit::Filter f;
    f.object_type = "payment";
    f.object_id = std::string(reference);
    f.limit = 500;
    auto entries = audit::List(db(), f);
    EXPECT_TRUE(entries.ok());
    int n = 0;
    if (entries.ok()) {
      for (const auto& e : *entries) n += e.action == action ? 1 : 0;
    }
    return n;
  }

  int hook_calls() {
    std::lock_guard lock(hook_mu_);
    return hook_calls_;
  }

  core::FakeClock clock_{At(kStart)};
  std::unique_ptr<Simulator> sim_;
  std::unique_ptr<Service> service_;
  std::mutex hook_mu_;
  int hook_calls_ = 0;
  std::vector<std::string> hook_statuses_;
  std::vector<bool> hook_late_;
  std::atomic<bool> fail_hook_{false};
};

}  // namespace tinhso::payment::test
