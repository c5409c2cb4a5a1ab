#include <gtest/gtest.h>

#include <thread>

#include "payment/fixture.hpp"
#include "payment/messages.hpp"
#include "payment/payment.hpp"
#include "payment/simulator.hpp"

namespace tinhso::payment {
namespace {

using test::At;
using test::kPartner;
using test::kSecret;
using test::kStart;

class PaymentServiceTest : public test::PaymentFixture {};

// ---- INIT ------------------------------------------------------------------------------------

TEST_P(PaymentServiceTest, RequestSendsInitAndStoresThePayersUrl) {
  Payment p = MustRequest();
  EXPECT_EQ(p.reference, "H55.01-250310-0001-1");
  EXPECT_EQ(p.attempt, 1);
  EXPECT_EQ(p.status, Status::kPending);
  EXPECT_EQ(p.amount, 150000);
  EXPECT_EQ(p.payment_url, sim_->base_url() + "/paygov/pay/H55.01-250310-0001-1");
  EXPECT_EQ(p.init_count, 1);
  ASSERT_EQ(p.fees.size(), 2u);
  EXPECT_EQ(p.fees[0].name, "Lệ phí cấp giấy phép xây dựng");
  EXPECT_EQ(p.fees[1].amount, 50000);
  EXPECT_EQ(p.description, "Thanh toan ho so H55.01-250310-0001");
  EXPECT_EQ(p.created_at, At(kStart));
  ASSERT_TRUE(p.init_at.has_value());

  // What the platform received: a checked INIT (it refuses wrong checksums) with the receipt.
  auto seen = sim_->Find(p.reference);
  ASSERT_TRUE(seen.has_value());
  EXPECT_EQ(seen->init_count, 1);
  EXPECT_EQ(seen->amount, "150000");
  EXPECT_NE(seen->init_body.find("Phí thẩm định hồ sơ"), std::string::npos);
  EXPECT_NE(seen->init_body.find("\"ThoiGianGD\":\"20250310090000\""), std::string::npos);
  EXPECT_EQ(sim_->rejected_requests(), 0);

  EXPECT_EQ(AuditCount(p.reference, "payment.request"), 1);
  EXPECT_EQ(Verdicts(p.reference), std::vector<std::string>{"init:init_ok"});
  auto listed = service().ListByDossier(42);
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].payment_url, p.payment_url);
}

TEST_P(PaymentServiceTest, WrongSecretIsRefusedByThePlatform) {
  GatewayConfig c = Config();
  c.secret = "khong-dung";
  UseConfig(c);
  auto p = service().Request(Input(), Officer());
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(sim_->rejected_requests(), 1);
}

TEST_P(PaymentServiceTest, InvalidInputIsRefusedBeforeAnythingIsStored) {
  PaymentRequestInput in = Input();
  in.amount = 149000;  // fee lines add up to 150 000
  auto r = service().Request(in, Officer());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().reason, "payment.invalid_input");
  in = Input(42, "H55.01|250310");
  EXPECT_EQ(service().Request(in, Officer()).error().reason, "payment.invalid_input");
  in = Input();
  in.fees.clear();
  EXPECT_EQ(service().Request(in, Officer()).error().reason, "payment.invalid_input");
  EXPECT_TRUE(service().ListByDossier(42)->empty());
  EXPECT_FALSE(sim_->Find("H55.01-250310-0001-1").has_value());
}

TEST_P(PaymentServiceTest, OnlyOnePendingRequestPerDossier) {
  Payment first = MustRequest();
  // The same request again returns the pending one, without a second INIT.
  Payment again = MustRequest();
  EXPECT_EQ(again.reference, first.reference);
  EXPECT_EQ(again.init_count, 1);
  EXPECT_EQ(sim_->Find(first.reference)->init_count, 1);
  // Another amount while one is pending is refused.
  PaymentRequestInput other = Input();
  other.amount = 100000;
  other.fees.pop_back();
  auto r = service().Request(other, Officer());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_EQ(r.error().reason, "payment.pending_exists");
  // Another dossier is independent.
  EXPECT_EQ(MustRequest(Input(43, "H55.01-250310-0002")).reference, "H55.01-250310-0002-1");
}

TEST_P(PaymentServiceTest, RefusedInitFailsTheRequest) {
  sim_->RejectNextInit("07");
  auto r = service().Request(Input(), Officer());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().reason, "payment.init_rejected");
  Payment p = MustGet("H55.01-250310-0001-1");
  EXPECT_EQ(p.status, Status::kFailed);
  EXPECT_EQ(p.failure_code, "07");
  // A new request gets the next number.
  EXPECT_EQ(MustRequest().reference, "H55.01-250310-0001-2");
}

// ---- Gateway down ----------------------------------------------------------------------------

TEST_P(PaymentServiceTest, UnreachableGatewayKeepsTheRequestAndARetryResendsInit) {
  // A platform that does not answer at all: its port is closed.
  GatewayConfig down = Config();
  const std::string good_init = down.init_url;
  down.init_url = "http://127.0.0.1:1/paygov/init";
  UseConfig(down);
  auto r = service().Request(Input(), Officer());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(r.error().reason, "payment.gateway_unreachable");

  // Nothing lost: the request is stored, pending, without URL, with its audit entry.
  Payment kept = MustGet("H55.01-250310-0001-1");
  EXPECT_EQ(kept.status, Status::kPending);
  EXPECT_TRUE(kept.payment_url.empty());
  EXPECT_EQ(kept.init_count, 1);
  EXPECT_EQ(AuditCount(kept.reference, "payment.request"), 1);
  EXPECT_EQ(Verdicts(kept.reference), std::vector<std::string>{"init:unreachable"});

  // The platform is back: the same request sends INIT again, same reference.
  GatewayConfig up = down;
  up.init_url = good_init;
  UseConfig(up);
  Payment retried = MustRequest();
  EXPECT_EQ(retried.reference, kept.reference);
  EXPECT_EQ(retried.init_count, 2);
  EXPECT_FALSE(retried.payment_url.empty());
  EXPECT_EQ(sim_->Find(kept.reference)->init_count, 1);
  EXPECT_EQ(service().ListByDossier(42)->size(), 1u);
}

TEST_P(PaymentServiceTest, PlatformUnderMaintenanceIsUnavailableToo) {
  sim_->SetAvailable(false);
  auto r = service().Request(Input(), Officer());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(MustGet("H55.01-250310-0001-1").status, Status::kPending);
  sim_->SetAvailable(true);
  EXPECT_FALSE(MustRequest().payment_url.empty());
}

// ---- Callbacks -------------------------------------------------------------------------------

TEST_P(PaymentServiceTest, SuccessfulCallbackMarksPaidAndRunsTheHookOnce) {
  Payment p = MustRequest();
  clock_.Advance(std::chrono::minutes(5));
  auto confirmation = sim_->Pay(p.reference);
  ASSERT_TRUE(confirmation.ok());
  auto outcome = service().Confirm(*confirmation);
  ASSERT_TRUE(outcome.ok()) << outcome.error().reason << " " << outcome.error().detail;
  EXPECT_EQ(outcome->verdict, Verdict::kPaid);
  EXPECT_TRUE(outcome->changed);
  EXPECT_FALSE(outcome->anomaly);

  Payment paid = MustGet(p.reference);
  EXPECT_EQ(paid.status, Status::kPaid);
  EXPECT_EQ(paid.gateway_transaction, Field(*confirmation, "MaGiaoDich"));
  EXPECT_EQ(paid.gateway_bank, "NCB");
  EXPECT_EQ(paid.gateway_time, "20250310090500");
  EXPECT_EQ(paid.paid_via, "callback");
  EXPECT_FALSE(paid.late);
  EXPECT_EQ(paid.paid_at, At(kStart + 300));

  EXPECT_EQ(hook_calls(), 1);
  EXPECT_EQ(hook_statuses_, std::vector<std::string>{"paid"});
  EXPECT_EQ(AuditCount(p.reference, "payment.paid"), 1);
  EXPECT_EQ(Verdicts(p.reference), (std::vector<std::string>{"init:init_ok", "callback:paid"}));
}

TEST_P(PaymentServiceTest, DuplicatedCallbackChangesNothing) {
  Payment p = MustRequest();
  auto confirmation = sim_->Pay(p.reference);
  ASSERT_TRUE(confirmation.ok());
  ASSERT_TRUE(service().Confirm(*confirmation).ok());
  const Payment once = MustGet(p.reference);
  clock_.Advance(std::chrono::minutes(1));

  auto second = service().Confirm(*confirmation);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->verdict, Verdict::kDuplicate);
  EXPECT_FALSE(second->changed);
  EXPECT_EQ(second->payment.status, Status::kPaid);

  const Payment twice = MustGet(p.reference);
  EXPECT_EQ(twice.updated_at, once.updated_at);
  EXPECT_EQ(twice.paid_at, once.paid_at);
  EXPECT_EQ(hook_calls(), 1);
  EXPECT_EQ(AuditCount(p.reference, "payment.paid"), 1);
  EXPECT_EQ(Verdicts(p.reference),
            (std::vector<std::string>{"init:init_ok", "callback:paid", "callback:duplicate"}));
}

TEST_P(PaymentServiceTest, ConcurrentDuplicatesPayOnce) {
  Payment p = MustRequest();
  auto confirmation = sim_->Pay(p.reference);
  ASSERT_TRUE(confirmation.ok());
  std::vector<Result<ConfirmOutcome>> results(4, InternalError("not run"));
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < results.size(); ++i) {
    threads.emplace_back([&, i] { results[i] = service().Confirm(*confirmation); });
  }
  for (auto& t : threads) t.join();
  int paid = 0;
  int duplicates = 0;
  for (const auto& r : results) {
    ASSERT_TRUE(r.ok()) << r.error().reason << " " << r.error().detail;
    paid += r->verdict == Verdict::kPaid ? 1 : 0;
    duplicates += r->verdict == Verdict::kDuplicate ? 1 : 0;
  }
  EXPECT_EQ(paid, 1);
  EXPECT_EQ(duplicates, 3);
  EXPECT_EQ(hook_calls(), 1);
}

TEST_P(PaymentServiceTest, ForgedCallbackIsRejectedAndChangesNothing) {
  Payment p = MustRequest();
  ASSERT_TRUE(sim_->Pay(p.reference).ok());
  auto forged = sim_->Confirmation(p.reference, Simulator::Variant::kForged);
  ASSERT_TRUE(forged.ok());
  auto r = service().Confirm(*forged);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kPermissionDenied);
  EXPECT_EQ(r.error().reason, "payment.bad_checksum");

  // A genuine message edited after signing is caught the same way.
  auto genuine = sim_->Confirmation(p.reference);
  ASSERT_TRUE(genuine.ok());
  Fields edited = *genuine;
  edited["SoTien"] = "1500";
  EXPECT_EQ(service().Confirm(edited).error().reason, "payment.bad_checksum");

  const Payment after = MustGet(p.reference);
  EXPECT_EQ(after.status, Status::kPending);
  EXPECT_EQ(after.updated_at, p.updated_at);
  EXPECT_TRUE(after.gateway_transaction.empty());
  EXPECT_EQ(hook_calls(), 0);
  EXPECT_EQ(AuditCount(p.reference, "payment.paid"), 0);
  // Kept in the log, flagged.
  auto events = service().Events(p.reference);
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), 3u);
  EXPECT_EQ((*events)[1].verdict, "bad_checksum");
  EXPECT_TRUE((*events)[1].anomaly);
  EXPECT_NE((*events)[1].body.find("\"MaXacThuc\""), std::string::npos);
}

TEST_P(PaymentServiceTest, WrongPartnerIsRejected) {
  Payment p = MustRequest();
  auto genuine = sim_->Pay(p.reference);
  ASSERT_TRUE(genuine.ok());
  Fields other = *genuine;
  other["MaDoiTac"] = "H56_KHAC";
  Sign(MessageKind::kConfirm, other, kSecret);
  auto r = service().Confirm(other);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().reason, "payment.wrong_partner");
  EXPECT_EQ(MustGet(p.reference).status, Status::kPending);
}

TEST_P(PaymentServiceTest, WrongAmountIsRejectedAndRecordedAsAnAnomaly) {
  Payment p = MustRequest();
  ASSERT_TRUE(sim_->Pay(p.reference).ok());
  auto wrong = sim_->Confirmation(p.reference, Simulator::Variant::kWrongAmount);
  ASSERT_TRUE(wrong.ok());
  EXPECT_EQ(Field(*wrong, "SoTien"), "151000");
  auto r = service().Confirm(*wrong);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_EQ(r.error().reason, "payment.amount_mismatch");
  EXPECT_EQ(MustGet(p.reference).status, Status::kPending);
  EXPECT_EQ(hook_calls(), 0);

  auto anomalies = service().Anomalies();
  ASSERT_TRUE(anomalies.ok());
  ASSERT_EQ(anomalies->size(), 1u);
  EXPECT_EQ((*anomalies)[0].reference, p.reference);
  EXPECT_EQ((*anomalies)[0].verdict, "amount_mismatch");
  EXPECT_EQ((*anomalies)[0].source, "callback");
}

TEST_P(PaymentServiceTest, UnknownReferenceIsRejectedButLogged) {
  Fields f{{"LoaiBanTin", "CONFIRM"},   {"MaLoi", "00"},      {"MaDoiTac", std::string(kPartner)},
           {"MaThamChieu", "H55.99-1"}, {"SoTien", "150000"}, {"MaTienTe", "VND"}};
  Sign(MessageKind::kConfirm, f, kSecret);
  auto r = service().Confirm(f);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(r.error().reason, "payment.unknown_reference");
  EXPECT_EQ(Verdicts("H55.99-1"), std::vector<std::string>{"callback:unknown_reference"});
}

TEST_P(PaymentServiceTest, MalformedBodyIsRejectedButLogged) {
  auto r = service().ConfirmJson("{\"MaLoi\": ");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().reason, "payment.bad_message");
  EXPECT_EQ(Verdicts(""), std::vector<std::string>{"callback:malformed"});
}

TEST_P(PaymentServiceTest, FailedPaymentMarksTheRequestFailed) {
  Payment p = MustRequest();
  sim_->FailNextPayment("24");
  auto confirmation = sim_->Pay(p.reference);
  ASSERT_TRUE(confirmation.ok());
  auto outcome = service().Confirm(*confirmation);
  ASSERT_TRUE(outcome.ok());
  EXPECT_EQ(outcome->verdict, Verdict::kFailed);
  Payment failed = MustGet(p.reference);
  EXPECT_EQ(failed.status, Status::kFailed);
  EXPECT_EQ(failed.failure_code, "24");
  EXPECT_EQ(failed.closed_at, At(kStart));
  EXPECT_EQ(hook_calls(), 0);
  EXPECT_EQ(AuditCount(p.reference, "payment.failed"), 1);
  // The same failure again is a duplicate; the dossier may now ask again.
  EXPECT_EQ(service().Confirm(*confirmation)->verdict, Verdict::kDuplicate);
  EXPECT_EQ(MustRequest().reference, "H55.01-250310-0001-2");
}

TEST_P(PaymentServiceTest, LateConfirmationAfterExpiryStillPays) {
  Payment p = MustRequest();
  clock_.Advance(std::chrono::hours(25));
  auto report = service().Reconcile(clock_.Now());
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->checked, 1);
  EXPECT_EQ(report->expired, 1);
  EXPECT_EQ(MustGet(p.reference).status, Status::kExpired);
  EXPECT_EQ(AuditCount(p.reference, "payment.expired"), 1);

  // The payer had the page open and paid anyway: the money was taken, so it counts.
  auto confirmation = sim_->Pay(p.reference);
  ASSERT_TRUE(confirmation.ok());
  auto outcome = service().Confirm(*confirmation);
  ASSERT_TRUE(outcome.ok());
  EXPECT_EQ(outcome->verdict, Verdict::kPaidLate);
  Payment paid = MustGet(p.reference);
  EXPECT_EQ(paid.status, Status::kPaid);
  EXPECT_TRUE(paid.late);
  EXPECT_EQ(hook_calls(), 1);
  EXPECT_EQ(hook_late_, std::vector<bool>{true});
  auto events = service().Events(p.reference);
  ASSERT_TRUE(events.ok());
  EXPECT_EQ(events->back().verdict, "paid_late");
  EXPECT_NE(events->back().note.find("expired"), std::string::npos);
}

TEST_P(PaymentServiceTest, LatePaymentOfAnAlreadyPaidDossierIsAnAnomaly) {
  Payment first = MustRequest();
  clock_.Advance(std::chrono::hours(25));
  ASSERT_TRUE(service().Reconcile(clock_.Now()).ok());
  Payment second = MustRequest();
  ASSERT_TRUE(service().Confirm(*sim_->Pay(second.reference)).ok());
  // Now the first one is paid as well, late: the dossier paid twice.
  auto outcome = service().Confirm(*sim_->Pay(first.reference));
  ASSERT_TRUE(outcome.ok());
  EXPECT_EQ(outcome->verdict, Verdict::kPaidLate);
  EXPECT_TRUE(outcome->anomaly);
  EXPECT_EQ(service().Anomalies()->size(), 1u);
}

TEST_P(PaymentServiceTest, ASecondTransactionForAPaidRequestIsAnAnomaly) {
  Payment p = MustRequest();
  auto genuine = sim_->Pay(p.reference);
  ASSERT_TRUE(service().Confirm(*genuine).ok());
  Fields another = *genuine;
  another["MaGiaoDich"] = "KHAC0001";
  Sign(MessageKind::kConfirm, another, kSecret);
  auto outcome = service().Confirm(another);
  ASSERT_TRUE(outcome.ok());
  EXPECT_EQ(outcome->verdict, Verdict::kSecondPayment);
  EXPECT_TRUE(outcome->anomaly);
  EXPECT_FALSE(outcome->changed);
  EXPECT_EQ(MustGet(p.reference).gateway_transaction, Field(*genuine, "MaGiaoDich"));
  EXPECT_EQ(hook_calls(), 1);
}

TEST_P(PaymentServiceTest, HookFailureRollsBackAndTheRetrySucceeds) {
  Payment p = MustRequest();
  auto confirmation = sim_->Pay(p.reference);
  fail_hook_ = true;
  auto r = service().Confirm(*confirmation);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().reason, "dossier.illegal_transition");
  EXPECT_EQ(MustGet(p.reference).status, Status::kPending);
  EXPECT_EQ(AuditCount(p.reference, "payment.paid"), 0);
  EXPECT_EQ(Verdicts(p.reference), (std::vector<std::string>{"init:init_ok", "callback:error"}));

  fail_hook_ = false;  // the platform resends
  auto again = service().Confirm(*confirmation);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->verdict, Verdict::kPaid);
  EXPECT_EQ(MustGet(p.reference).status, Status::kPaid);
}

// ---- QUERY and reconciliation ----------------------------------------------------------------

TEST_P(PaymentServiceTest, QueryFindsAPaymentWhoseCallbackWasLost) {
  Payment p = MustRequest();
  ASSERT_TRUE(sim_->Pay(p.reference).ok());  // paid on the platform; the callback never comes
  EXPECT_EQ(MustGet(p.reference).status, Status::kPending);

  auto q = service().Query(p.reference);
  ASSERT_TRUE(q.ok()) << q.error().reason << " " << q.error().detail;
  EXPECT_EQ(q->status, Status::kPaid);
  EXPECT_EQ(q->paid_via, "query");
  EXPECT_EQ(q->gateway_transaction, sim_->Find(p.reference)->transaction);
  EXPECT_EQ(hook_calls(), 1);
  EXPECT_EQ(sim_->Find(p.reference)->query_count, 1);

  // Asking again, or the late callback, changes nothing more.
  EXPECT_EQ(service().Query(p.reference)->status, Status::kPaid);
  EXPECT_EQ(service().Confirm(*sim_->Confirmation(p.reference))->verdict, Verdict::kDuplicate);
  EXPECT_EQ(hook_calls(), 1);
}

TEST_P(PaymentServiceTest, QueryOfAnUnpaidRequestChangesNothing) {
  Payment p = MustRequest();
  auto q = service().Query(p.reference);
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(q->status, Status::kPending);
  EXPECT_EQ(Verdicts(p.reference).back(), "query:remote_unpaid");
  EXPECT_EQ(service().Query("H55.01-khong-co").error().reason, "payment.not_found");
}

TEST_P(PaymentServiceTest, QueryOfAFailedPaymentFailsTheRequest) {
  Payment p = MustRequest();
  sim_->FailNextPayment("24");
  ASSERT_TRUE(sim_->Pay(p.reference).ok());
  auto q = service().Query(p.reference);
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(q->status, Status::kFailed);
  EXPECT_EQ(q->failure_code, "TrangThaiGD 4");
}

TEST_P(PaymentServiceTest, ReconcileExpiresOnlyWhatThePlatformConfirmsUnpaid) {
  Payment unpaid = MustRequest(Input(1, "H55.01-250310-0001"));
  Payment lost = MustRequest(Input(2, "H55.01-250310-0002"));
  Payment undecided = MustRequest(Input(3, "H55.01-250310-0003"));
  ASSERT_TRUE(sim_->Pay(lost.reference).ok());
  sim_->SetUndecided(undecided.reference, true);
  clock_.Advance(std::chrono::hours(23));
  Payment fresh = MustRequest(Input(4, "H55.01-250310-0004"));
  clock_.Advance(std::chrono::hours(2));  // the first three are 25 h old, the last 2 h

  auto report = service().Reconcile(clock_.Now());
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->checked, 3);
  EXPECT_EQ(report->expired, 1);
  EXPECT_EQ(report->paid, 1);
  EXPECT_EQ(report->still_pending, 1);
  EXPECT_EQ(report->errors, 0);
  EXPECT_EQ(MustGet(unpaid.reference).status, Status::kExpired);
  EXPECT_EQ(MustGet(lost.reference).status, Status::kPaid);
  EXPECT_EQ(MustGet(undecided.reference).status, Status::kPending);
  EXPECT_EQ(MustGet(fresh.reference).status, Status::kPending);
  EXPECT_FALSE(sim_->Find(fresh.reference)->query_count);
  EXPECT_EQ(hook_calls(), 1);
}

TEST_P(PaymentServiceTest, ReconcileLeavesRequestsAloneWhenThePlatformIsDown) {
  Payment p = MustRequest();
  clock_.Advance(std::chrono::hours(25));
  sim_->SetAvailable(false);
  auto report = service().Reconcile(clock_.Now());
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->checked, 1);
  EXPECT_EQ(report->errors, 1);
  EXPECT_EQ(report->expired, 0);
  EXPECT_EQ(MustGet(p.reference).status, Status::kPending);
  sim_->SetAvailable(true);
  EXPECT_EQ(service().Reconcile(clock_.Now())->expired, 1);
}

// ---- Refund ----------------------------------------------------------------------------------

TEST_P(PaymentServiceTest, RefundOfAPaidRequest) {
  Payment p = MustRequest();
  ASSERT_TRUE(service().Confirm(*sim_->Pay(p.reference)).ok());
  clock_.Advance(std::chrono::days(2));
  EXPECT_EQ(service().Refund(p.reference, "  ", Officer()).error().reason, "payment.invalid_input");
  auto r = service().Refund(p.reference, "Hồ sơ bị từ chối, hoàn lệ phí", Officer());
  ASSERT_TRUE(r.ok()) << r.error().reason;
  EXPECT_EQ(r->status, Status::kRefunded);
  EXPECT_EQ(r->refund_reason, "Hồ sơ bị từ chối, hoàn lệ phí");
  EXPECT_EQ(r->refunded_at, At(kStart + 2 * 86400));
  EXPECT_EQ(AuditCount(p.reference, "payment.refund"), 1);

  auto twice = service().Refund(p.reference, "lần nữa", Officer());
  ASSERT_FALSE(twice.ok());
  EXPECT_EQ(twice.error().reason, "payment.not_paid");
  // A success notice after the refund does not make it paid again.
  EXPECT_EQ(service().Confirm(*sim_->Confirmation(p.reference))->verdict, Verdict::kDuplicate);
  EXPECT_EQ(MustGet(p.reference).status, Status::kRefunded);
}

TEST_P(PaymentServiceTest, RefundOfAnUnpaidRequestIsRefused) {
  Payment p = MustRequest();
  auto r = service().Refund(p.reference, "nhầm", Officer());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_EQ(service().Refund("khong-co", "nhầm", Officer()).error().code, ErrorCode::kNotFound);
}

TINHSO_INSTANTIATE_BACKENDS(PaymentServiceTest);

}  // namespace
}  // namespace tinhso::payment
