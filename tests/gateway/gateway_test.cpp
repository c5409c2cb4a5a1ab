// The provincial gateway on both backends, against a real upstream and a real time-stamping
// unit on loopback: who may call what, quotas, the circuit breaker, retries, and the message
// log as evidence (chained, signed, time-stamped in batches; tampering found; one record's
// evidence verified by openssl alone).
#include "gateway/gateway.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <boost/json.hpp>
#include <thread>

#include "auth/policy.hpp"
#include "core/crypto.hpp"
#include "core/metrics.hpp"
#include "gateway/actors.hpp"
#include "http/loopback.hpp"
#include "pki/pki.hpp"
#include "signing/signing.hpp"
#include "support/database.hpp"
#include "support/shell.hpp"
#include "support/temp_dir.hpp"

namespace tinhso::gateway {
namespace {

namespace json = boost::json;

using test_actors::Admin;
using test_actors::Officer;

class GatewayTest : public test::BackendTest {
 protected:
  void SetUp() override {
    pki::Options o;
    o.master_key = pki::NewMasterKey();
    o.master_key_loaded = true;
    pki_ = std::make_unique<pki::Service>(db(), clock_, policy_, o);
    ASSERT_TRUE(pki_->Init({}, Admin()).ok());
    org_ = Issue(pki::Kind::kOrganisation, "Văn phòng Ủy ban nhân dân tỉnh");
    Issue(pki::Kind::kTsa, "Đơn vị cấp dấu thời gian tỉnh");
    signing_ = std::make_unique<signing::Service>(*pki_, clock_);

    // The upstream: echoes what reached it, and fails on demand.
    for (http::Method m : {http::Method::kGet, http::Method::kPost}) {
      upstream_router_.Add({.method = m,
                            .path = "/api/{rest...}",
                            .action = "public.test",
                            .handler = [this](const http::Request& req,
                                              http::Context& ctx) -> Result<http::Response> {
                              ++upstream_calls_;
                              if (failures_left_ > 0) {
                                --failures_left_;
                                http::Response r;
                                r.status = 503;
                                r.body = "{\"ok\":false}";
                                return r;
                              }
                              json::object echo{{"method", http::MethodName(req.method)},
                                                {"path", "/api/" + std::string(ctx.Param("rest"))},
                                                {"query", req.raw_query},
                                                {"client", req.Header("x-tinhso-client")},
                                                {"authorization", req.Header("authorization")},
                                                {"body", *http::RequestBody(req, 64 << 20)}};
                              http::Response r;
                              r.body = json::serialize(echo);
                              return r;
                            },
                            .upload = true});
    }
    // The gateway's time-stamping unit, behind a door the test can close.
    upstream_router_.Add(
        {.method = http::Method::kPost,
         .path = "/tsa",
         .action = "public.test",
         .handler = [this](const http::Request& req, http::Context&) -> Result<http::Response> {
           http::Response r;
           if (!tsa_up_) {
             r.status = 503;
             return r;
           }
           TINHSO_ASSIGN_OR_RETURN(r.body, signing_->RespondToTimeStampRequest(req.body));
           r.content_type = "application/timestamp-reply";
           return r;
         }});
    auto server =
        http::LoopbackServer::Start(upstream_router_, "gateway-upstream", "/dev/null", "");
    ASSERT_TRUE(server.ok()) << server.error().message_en;
    upstream_ = std::move(*server);
    stamping_ = std::make_unique<signing::Service>(*pki_, clock_, upstream_->base_url() + "/tsa");
    gateway_ = MakeGateway();

    ASSERT_TRUE(gateway_->AddMember({.code = "H55.19", .name = "Sở Tư pháp"}, Admin()).ok());
    ASSERT_TRUE(gateway_->AddMember({.code = "BCA", .name = "Bộ Công an"}, Admin()).ok());
    ASSERT_TRUE(gateway_->AddSubsystem({.member_code = "H55.19", .name = "motcua"}, Admin()).ok());
    ASSERT_TRUE(gateway_->AddSubsystem({.member_code = "BCA", .name = "dancu"}, Admin()).ok());
    ASSERT_TRUE(gateway_
                    ->PutService({.code = "csdl-dancu",
                                  .provider_code = "BCA/dancu",
                                  .name = "Cơ sở dữ liệu quốc gia về dân cư",
                                  .upstream_url = upstream_->base_url() + "/api"},
                                 Admin())
                    .ok());
    auto token = gateway_->IssueToken("H55.19/motcua", Admin());
    ASSERT_TRUE(token.ok()) << token.error().message_en;
    token_ = *token;
  }

  std::unique_ptr<Service> MakeGateway() {
    Options options;
    options.signer = [id = org_.id]() -> Result<std::int64_t> { return id; };
    options.body_key = core::SecretKey{};
    options.body_key->fill(7);
    options.retry_backoff = std::chrono::milliseconds(0);
    options.breaker_failures = 3;
    options.breaker_open_for = std::chrono::seconds(30);
    options.registry_refresh = std::chrono::milliseconds(0);
    options.alerts = alerts_;
    return std::make_unique<Service>(db(), clock_, policy_, *pki_, *stamping_, options);
  }

  pki::Certificate Issue(pki::Kind kind, const std::string& name) {
    pki::IssueInput in;
    in.kind = kind;
    in.subject.common_name = name;
    in.subject.organization = "Ủy ban nhân dân tỉnh Thái Nguyên";
    in.agency_id = 13;
    in.validity_days = 365;
    auto c = pki_->Issue(in, Admin());
    EXPECT_TRUE(c.ok()) << c.error().message_en;
    return c.ok() ? *c : pki::Certificate{};
  }

  Reply CallWith(std::string token, http::Method method = http::Method::kGet,
                 std::string path = "/cong-dan/001089012345", std::string body = {}) {
    Call call;
    call.caller.bearer_token = std::move(token);
    call.caller.ip = "10.0.0.5";
    call.service = "csdl-dancu";
    call.method = method;
    call.path = std::move(path);
    call.query = "ho_ten=Nguy%E1%BB%85n";
    call.headers = {{"authorization", "Bearer secret"}, {"content-type", "application/json"}};
    call.body = std::move(body);
    call.request_id = "req-" + std::to_string(++requests_);
    return gateway_->Forward(call);
  }
  Reply Call1(http::Method method = http::Method::kGet, std::string body = {}) {
    return CallWith(token_, method, "/cong-dan/001089012345", std::move(body));
  }

  std::int64_t GrantDefault(int per_minute = 0, int per_day = 0) {
    auto right = gateway_->Grant({.client_code = "H55.19/motcua",
                                  .service_code = "csdl-dancu",
                                  .per_minute = per_minute,
                                  .per_day = per_day},
                                 Admin());
    EXPECT_TRUE(right.ok()) << right.error().message_en;
    return right.ok() ? right->id : 0;
  }

  std::int64_t Audited(std::string_view action) {
    auto tx = db().Begin(storage::TxKind::kSingleRead);
    EXPECT_TRUE(tx.ok());
    auto rows = (*tx)->Query("SELECT COUNT(*) FROM audit_log WHERE action = :action",
                             {{"action", std::string(action)}});
    EXPECT_TRUE(rows.ok());
    return rows.ok() ? rows->rows.at(0).Int(0) : -1;
  }

  AlertOptions alerts_;
  core::FakeClock clock_{core::SystemClock().Now()};
  auth::Policy policy_;
  std::unique_ptr<pki::Service> pki_;
  std::unique_ptr<signing::Service> signing_;
  std::unique_ptr<signing::Service> stamping_;
  pki::Certificate org_;
  http::Router upstream_router_;
  std::unique_ptr<http::LoopbackServer> upstream_;
  std::atomic<int> upstream_calls_{0};
  std::atomic<int> failures_left_{0};
  std::atomic<bool> tsa_up_{true};
  std::unique_ptr<Service> gateway_;
  std::string token_;
  int requests_ = 0;
};

TEST_P(GatewayTest, DeniedByDefaultGrantedThenWithdrawnAtOnce) {
  Reply denied = Call1();
  EXPECT_EQ(denied.status, 403);
  ASSERT_TRUE(denied.lgsp_code.has_value());
  EXPECT_EQ(*denied.lgsp_code, LgspCode::kAuthenError);
  EXPECT_EQ(denied.refusal->reason, "gateway.access_denied");
  auto body = json::parse(denied.body).as_object();
  EXPECT_EQ(body.at("error_code").as_string(), "100");
  EXPECT_EQ(body.at("message").as_string(), "AUTHEN_ERROR");
  EXPECT_EQ(upstream_calls_, 0);

  const std::int64_t right = GrantDefault();
  Reply ok = Call1(http::Method::kPost, R"({"SoDinhDanh":"001089012345"})");
  ASSERT_EQ(ok.status, 200) << ok.body;
  auto echo = json::parse(ok.body).as_object();
  EXPECT_EQ(echo.at("path").as_string(), "/api/cong-dan/001089012345");
  EXPECT_EQ(echo.at("query").as_string(), "ho_ten=Nguy%E1%BB%85n");
  EXPECT_EQ(echo.at("client").as_string(), "H55.19/motcua");
  // The caller's credentials are for the gateway, never for the upstream.
  EXPECT_EQ(echo.at("authorization").as_string(), "");
  EXPECT_EQ(echo.at("body").as_string(), R"({"SoDinhDanh":"001089012345"})");
  EXPECT_GT(ok.log_seq, 0);

  ASSERT_TRUE(gateway_->Withdraw(right, Admin()).ok());
  EXPECT_EQ(Call1().status, 403);
  EXPECT_EQ(upstream_calls_, 1);

  // Unknown credentials, and an officer's attempt to administer the registry.
  Reply stranger = CallWith("lgsp_not-a-token");
  EXPECT_EQ(stranger.status, 401);
  EXPECT_EQ(stranger.refusal->reason, "gateway.unauthenticated");
  EXPECT_EQ(
      gateway_->Grant({.client_code = "H55.19/motcua", .service_code = "csdl-dancu"}, Officer())
          .error()
          .code,
      ErrorCode::kPermissionDenied);

  // Every call is in the log, refusals included, and every registry change in the audit log.
  auto log = gateway_->Log({.limit = 10}, Admin());
  ASSERT_TRUE(log.ok());
  ASSERT_EQ(log->size(), 4u);
  EXPECT_EQ((*log)[0].error_code, "100");
  EXPECT_EQ((*log)[0].client, "");
  EXPECT_EQ((*log)[1].error_code, "100");
  EXPECT_EQ((*log)[1].client, "H55.19/motcua");
  EXPECT_EQ((*log)[2].status, 200);
  EXPECT_EQ((*log)[2].request_sha256, core::Sha256Hex(R"({"SoDinhDanh":"001089012345"})"));
  EXPECT_EQ((*log)[2].response_sha256, core::Sha256Hex(ok.body));
  EXPECT_EQ((*log)[2].path, "/cong-dan/001089012345?ho_ten=Nguy%E1%BB%85n");

  // Operational monitoring: per client × service, refusals by their LGSP name; what a caller
  // typed never becomes a label.
  const std::string metrics = core::Metrics::Global().RenderPrometheus();
  EXPECT_NE(metrics.find("tinhso_gateway_calls_total{client=\"H55.19/motcua\",refused=\"\","
                         "service=\"csdl-dancu\",status=\"2xx\"}"),
            std::string::npos);
  EXPECT_NE(metrics.find("client=\"(unauthenticated)\",refused=\"AUTHEN_ERROR\""),
            std::string::npos);
}

TEST_P(GatewayTest, AnotherProcessSeesAWithdrawalWithinItsRefresh) {
  const std::int64_t right = GrantDefault();
  auto other = MakeGateway();  // a second server process on the same database
  Call call;
  call.caller.bearer_token = token_;
  call.service = "csdl-dancu";
  call.path = "/x";
  EXPECT_EQ(other->Forward(call).status, 200);
  ASSERT_TRUE(gateway_->Withdraw(right, Admin()).ok());
  EXPECT_EQ(other->Forward(call).status, 403);  // its refresh is 0 here: the next call reloads
}

TEST_P(GatewayTest, AddressesOutsideTheAllowListAreRefused) {
  ASSERT_TRUE(
      gateway_
          ->AddSubsystem({.member_code = "H55.19", .name = "hotich", .allowed_ips = {"10.0.0.9"}},
                         Admin())
          .ok());
  auto token = gateway_->IssueToken("H55.19/hotich", Admin());
  ASSERT_TRUE(token.ok());
  ASSERT_TRUE(
      gateway_->Grant({.client_code = "H55.19/hotich", .service_code = "csdl-dancu"}, Admin())
          .ok());
  Reply refused = CallWith(*token);  // from 10.0.0.5
  EXPECT_EQ(refused.status, 403);
  EXPECT_EQ(*refused.lgsp_code, LgspCode::kIpDisallowed);
  Call call;
  call.caller = {.bearer_token = *token, .ip = "10.0.0.9"};
  call.service = "csdl-dancu";
  call.path = "/x";
  EXPECT_EQ(gateway_->Forward(call).status, 200);
}

// The administrator's changes to a system take effect at the next call: disabled, it is
// refused as unauthenticated; its address list; its token revoked and issued anew. Audited.
TEST_P(GatewayTest, ASystemIsDisabledLimitedAndItsTokenRevokedAtOnce) {
  GrantDefault();
  ASSERT_EQ(Call1().status, 200);
  auto disabled = gateway_->ChangeSubsystem("H55.19/motcua", {.enabled = false}, Admin());
  ASSERT_TRUE(disabled.ok()) << disabled.error().message_en;
  EXPECT_FALSE(disabled->enabled);
  EXPECT_EQ(Call1().status, 401);
  ASSERT_TRUE(gateway_->ChangeSubsystem("H55.19/motcua", {.enabled = true}, Admin()).ok());
  EXPECT_EQ(Call1().status, 200);

  auto limited = gateway_->ChangeSubsystem(
      "H55.19/motcua", {.allowed_ips = std::vector<std::string>{"10.0.0.9", "::1"}}, Admin());
  ASSERT_TRUE(limited.ok());
  EXPECT_EQ(limited->allowed_ips, (std::vector<std::string>{"10.0.0.9", "::1"}));
  EXPECT_TRUE(limited->enabled) << "fields not given stay as they were";
  EXPECT_EQ(Call1().status, 403);  // from 10.0.0.5
  auto bad = gateway_->ChangeSubsystem(
      "H55.19/motcua", {.allowed_ips = std::vector<std::string>{"uy-ban.gov.vn"}}, Admin());
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(bad.error().detail, "allowed_ips");
  EXPECT_EQ(gateway_->ChangeSubsystem("H55.19/khong-co", {.enabled = false}, Admin()).error().code,
            ErrorCode::kNotFound);
  EXPECT_EQ(gateway_->ChangeSubsystem("H55.19/motcua", {.enabled = false}, Officer()).error().code,
            ErrorCode::kPermissionDenied);
  ASSERT_TRUE(gateway_
                  ->ChangeSubsystem(
                      "H55.19/motcua",
                      {.allowed_ips = std::vector<std::string>{}, .rate_per_second = 7}, Admin())
                  .ok());
  EXPECT_EQ(Call1().status, 200);

  auto revoked = gateway_->RevokeToken("H55.19/motcua", Admin());
  ASSERT_TRUE(revoked.ok());
  EXPECT_FALSE(revoked->has_token);
  EXPECT_EQ(Call1().status, 401);
  auto fresh = gateway_->IssueToken("H55.19/motcua", Admin());
  ASSERT_TRUE(fresh.ok());
  EXPECT_EQ(CallWith(*fresh).status, 200);
  EXPECT_EQ(Call1().status, 401) << "the revoked token stays revoked";

  auto audited = storage::WithTransaction(
      db(),
      [](storage::Transaction& tx) {
        return tx.Query(
            "SELECT action FROM audit_log WHERE action LIKE 'gateway.subsystem.%' ORDER BY seq");
      },
      storage::TxKind::kReadOnly);
  ASSERT_TRUE(audited.ok());
  std::vector<std::string> actions;
  for (const auto& row : audited->rows) actions.push_back(row.Text(0));
  EXPECT_EQ(std::count(actions.begin(), actions.end(), "gateway.subsystem.change"), 4);
  EXPECT_EQ(std::count(actions.begin(), actions.end(), "gateway.subsystem.token_revoke"), 1);
}

TEST_P(GatewayTest, QuotasPerMinuteAndPerDaySurviveARestart) {
  GrantDefault(/*per_minute=*/2, /*per_day=*/3);
  Reply first = Call1();
  EXPECT_EQ(first.status, 200) << first.body;
  EXPECT_EQ(Call1().status, 200);
  Reply third = Call1();
  EXPECT_EQ(third.status, 429);
  EXPECT_EQ(third.refusal->reason, "gateway.quota_exceeded");
  clock_.Advance(std::chrono::minutes(1));
  EXPECT_EQ(Call1().status, 200);
  EXPECT_EQ(Call1().status, 429);  // three today
  // A restarted server counts the day's calls from the log.
  gateway_ = MakeGateway();
  clock_.Advance(std::chrono::minutes(1));
  EXPECT_EQ(Call1().status, 429);
  EXPECT_EQ(upstream_calls_, 3);
  ASSERT_TRUE(gateway_->Stamp().ok());  // else the 4 hours' grace would stop the next call
  clock_.Advance(std::chrono::hours(24));
  EXPECT_EQ(Call1().status, 200);
}

TEST_P(GatewayTest, TheClientsRatePerSecondIsLimited) {
  ASSERT_TRUE(
      gateway_
          ->AddSubsystem({.member_code = "H55.19", .name = "cham", .rate_per_second = 2}, Admin())
          .ok());
  auto token = gateway_->IssueToken("H55.19/cham", Admin());
  ASSERT_TRUE(
      gateway_->Grant({.client_code = "H55.19/cham", .service_code = "csdl-dancu"}, Admin()).ok());
  EXPECT_EQ(CallWith(*token).status, 200);
  EXPECT_EQ(CallWith(*token).status, 200);
  Reply third = CallWith(*token);
  EXPECT_EQ(third.status, 429);
  EXPECT_EQ(third.refusal->reason, "gateway.rate_exceeded");
  clock_.Advance(std::chrono::seconds(1));
  EXPECT_EQ(CallWith(*token).status, 200);
}

TEST_P(GatewayTest, TheCircuitOpensAfterFailuresAndOneTrialClosesIt) {
  GrantDefault();
  failures_left_ = 1000;
  // POST: not retried, so each call is one failure.
  for (int i = 0; i < 3; ++i) EXPECT_EQ(Call1(http::Method::kPost).status, 503);
  EXPECT_EQ(upstream_calls_, 3);
  Reply open = Call1(http::Method::kPost);
  EXPECT_EQ(open.status, 502);
  EXPECT_EQ(open.refusal->reason, "gateway.circuit_open");
  EXPECT_EQ(upstream_calls_, 3);  // the upstream is left alone

  clock_.Advance(std::chrono::seconds(31));
  EXPECT_EQ(Call1(http::Method::kPost).status, 503);  // the trial fails: open again
  EXPECT_EQ(upstream_calls_, 4);
  EXPECT_EQ(Call1(http::Method::kPost).status, 502);
  clock_.Advance(std::chrono::seconds(31));
  failures_left_ = 0;
  EXPECT_EQ(Call1(http::Method::kPost).status, 200);  // the trial succeeds: closed
  EXPECT_EQ(Call1(http::Method::kPost).status, 200);
}

TEST_P(GatewayTest, AnUpstreamsErrorRateRaisesAnAlertUntilTheWindowIsClean) {
  alerts_ = {.window = std::chrono::seconds(60), .min_calls = 5, .max_error_ratio = 0.5};
  gateway_ = MakeGateway();
  GrantDefault();
  for (int i = 0; i < 4; ++i) EXPECT_EQ(Call1(http::Method::kPost).status, 200);
  auto quiet = gateway_->CheckAlerts();
  ASSERT_TRUE(quiet.ok()) << quiet.error().detail;
  EXPECT_TRUE(quiet->empty());
  // The gateway's own refusals are not the upstream's fault: a hundred of them change nothing.
  for (int i = 0; i < 100; ++i) EXPECT_EQ(CallWith("not-a-token").status, 401);
  EXPECT_TRUE(gateway_->CheckAlerts()->empty());

  // 3 answers 503, then the circuit opens (502) for 3 more: 6 failures in 10 calls.
  failures_left_ = 1000;
  for (int i = 0; i < 6; ++i) EXPECT_GE(Call1(http::Method::kPost).status, 500);
  auto raised = gateway_->CheckAlerts();
  ASSERT_TRUE(raised.ok());
  ASSERT_EQ(raised->size(), 1u);
  EXPECT_EQ((*raised)[0].service, "csdl-dancu");
  EXPECT_EQ((*raised)[0].kind, "error_rate");
  EXPECT_DOUBLE_EQ((*raised)[0].value, 0.6);
  EXPECT_EQ((*raised)[0].calls, 10);
  EXPECT_TRUE(gateway_->CheckAlerts()->empty()) << "raised once, not at every check";
  auto active = gateway_->Alerts(Admin());
  ASSERT_TRUE(active.ok());
  ASSERT_EQ(active->size(), 1u);
  EXPECT_EQ(Audited("gateway.alert.raise"), 1);
  EXPECT_NE(core::Metrics::Global().RenderPrometheus().find(
                "tinhso_gateway_upstream_alert{kind=\"error_rate\",service=\"csdl-dancu\"} 1"),
            std::string::npos);
  core::Actor citizen;
  citizen.kind = core::ActorKind::kCitizen;
  citizen.user_id = 9;
  EXPECT_EQ(gateway_->Alerts(citizen).error().code, ErrorCode::kPermissionDenied);

  // A minute later the window holds none of those calls: cleared.
  clock_.Advance(std::chrono::seconds(61));
  EXPECT_TRUE(gateway_->CheckAlerts()->empty());
  EXPECT_TRUE(gateway_->Alerts(Admin())->empty());
  EXPECT_EQ(Audited("gateway.alert.clear"), 1);
  EXPECT_NE(core::Metrics::Global().RenderPrometheus().find(
                "tinhso_gateway_upstream_alert{kind=\"error_rate\",service=\"csdl-dancu\"} 0"),
            std::string::npos);
}

TEST_P(GatewayTest, ASlowUpstreamRaisesALatencyAlert) {
  // Any call is slower than no time at all: the threshold is the only thing that decides.
  alerts_ = {.window = std::chrono::seconds(60), .min_calls = 3, .max_p95 = {}};
  gateway_ = MakeGateway();
  GrantDefault();
  for (int i = 0; i < 3; ++i) EXPECT_EQ(Call1().status, 200);
  auto raised = gateway_->CheckAlerts();
  ASSERT_TRUE(raised.ok());
  ASSERT_EQ(raised->size(), 1u);
  EXPECT_EQ((*raised)[0].kind, "latency");
  EXPECT_GE((*raised)[0].value, 5) << "the p95 as the bound of its bucket, in ms";

  alerts_.max_p95 = std::chrono::hours(1);
  gateway_ = MakeGateway();
  for (int i = 0; i < 3; ++i) EXPECT_EQ(Call1().status, 200);
  EXPECT_TRUE(gateway_->CheckAlerts()->empty());
}

TEST_P(GatewayTest, OnlyIdempotentCallsAreRetried) {
  GrantDefault();
  failures_left_ = 2;
  EXPECT_EQ(Call1(http::Method::kGet).status, 200);  // two retries
  EXPECT_EQ(upstream_calls_, 3);
  failures_left_ = 1;
  EXPECT_EQ(Call1(http::Method::kPost).status, 503);  // a POST may have had its effect
  EXPECT_EQ(upstream_calls_, 4);
}

TEST_P(GatewayTest, TheLogIsChainedSignedStampedAndTamperingIsFound) {
  GrantDefault();
  for (int i = 0; i < 5; ++i) ASSERT_EQ(Call1().status, 200);
  CallWith("lgsp_wrong");
  auto stamped = gateway_->Stamp();
  ASSERT_TRUE(stamped.ok()) << stamped.error().message_en;
  EXPECT_EQ(*stamped, 6);
  for (int i = 0; i < 4; ++i) ASSERT_EQ(Call1().status, 200);
  ASSERT_EQ(*gateway_->Stamp(), 4);
  EXPECT_EQ(*gateway_->Stamp(), 0);

  auto report = gateway_->Verify();
  ASSERT_TRUE(report.ok()) << report.error().message_en;
  EXPECT_TRUE(report->ok) << report->problem_en;
  EXPECT_EQ(report->records, 10);
  EXPECT_EQ(report->stamps, 2);

  auto exec = [&](std::string_view sql) {
    ASSERT_TRUE(storage::WithTransaction(db(), [&](storage::Transaction& tx) {
                  return tx.Execute(sql);
                }).ok());
  };
  // A record changed after it was written.
  exec("UPDATE gateway_log SET status = 500 WHERE seq = 3");
  report = gateway_->Verify();
  ASSERT_TRUE(report.ok());
  EXPECT_FALSE(report->ok);
  EXPECT_EQ(report->first_bad_seq, 3);
  exec("UPDATE gateway_log SET status = 200 WHERE seq = 3");
  EXPECT_TRUE(gateway_->Verify()->ok);
  // A record removed from the middle, and the last one.
  exec("DELETE FROM gateway_log WHERE seq = 10");
  EXPECT_EQ(gateway_->Verify()->first_bad_seq, 10);
}

TEST_P(GatewayTest, EvidenceOfOneCallIsVerifiedByOpensslAlone) {
  GrantDefault();
  for (int i = 0; i < 7; ++i) ASSERT_EQ(Call1().status, 200);
  ASSERT_TRUE(gateway_->Stamp().ok());
  const auto dir = test::TempDir() / "evidence";
  ASSERT_TRUE(gateway_->Evidence(6, dir).ok());
  test::ShellResult ok = test::Shell("bash " + (dir / "verify.sh").string());
  EXPECT_EQ(ok.exit_code, 0) << ok.out;
  EXPECT_NE(ok.out.find("OK: "), std::string::npos) << ok.out;

  // The record altered in the package: its hash no longer matches.
  std::string record = test::ReadFile(dir / "record.json");
  record.replace(record.find("\"status\":200"), 12, "\"status\":500");
  test::WriteFile(dir / "record.json", record);
  EXPECT_NE(test::Shell("bash " + (dir / "verify.sh").string()).exit_code, 0);

  // A record whose batch is not stamped yet has no evidence.
  ASSERT_EQ(Call1().status, 200);
  EXPECT_EQ(gateway_->Evidence(8, test::TempDir() / "e2").error().code,
            ErrorCode::kFailedPrecondition);
}

// One signature per commit batch, on its last record: the records before it are covered
// through the chain, their evidence carries the later records up to the signed one, and the
// newest record must be signed. Blanking the signatures of records 2-4 gives exactly the shape
// a batch of four concurrent calls leaves.
TEST_P(GatewayTest, ABatchIsSignedOnItsLastRecordAndCoversTheOthersThroughTheChain) {
  GrantDefault();
  for (int i = 0; i < 5; ++i) ASSERT_EQ(Call1().status, 200);
  auto blank = [&](std::int64_t from, std::int64_t to) {
    ASSERT_TRUE(storage::WithTransaction(db(), [&](storage::Transaction& tx) {
                  return tx.Execute(
                      "UPDATE gateway_log SET signature = :none WHERE seq >= :from AND seq <= :to",
                      {{"none", storage::Bytes{""}}, {"from", from}, {"to", to}});
                }).ok());
  };
  blank(2, 4);
  ASSERT_EQ(*gateway_->Stamp(), 5);
  auto report = gateway_->Verify();
  ASSERT_TRUE(report.ok()) << report.error().message_en;
  EXPECT_TRUE(report->ok) << report->problem_en;

  const auto dir = test::TempDir() / "batch-evidence";
  ASSERT_TRUE(gateway_->Evidence(3, dir).ok());
  EXPECT_TRUE(std::filesystem::exists(dir / "later-0001.json"));  // record 4
  EXPECT_TRUE(std::filesystem::exists(dir / "later-0002.json"));  // record 5, signed
  EXPECT_FALSE(std::filesystem::exists(dir / "later-0003.json"));
  test::ShellResult ok = test::Shell("bash " + (dir / "verify.sh").string());
  EXPECT_EQ(ok.exit_code, 0) << ok.out;
  EXPECT_NE(ok.out.find("OK: "), std::string::npos) << ok.out;

  // A later record altered: it no longer names the one before it, or its signature fails.
  std::string later = test::ReadFile(dir / "later-0001.json");
  const std::string original = later;
  later.replace(later.find("\"status\":200"), 12, "\"status\":500");
  test::WriteFile(dir / "later-0001.json", later);
  test::ShellResult bad = test::Shell("bash " + (dir / "verify.sh").string());
  EXPECT_NE(bad.exit_code, 0) << bad.out;
  test::WriteFile(dir / "later-0001.json", original);
  std::string signed_last = test::ReadFile(dir / "later-0002.json");
  signed_last.replace(signed_last.find("\"status\":200"), 12, "\"status\":500");
  test::WriteFile(dir / "later-0002.json", signed_last);
  EXPECT_NE(test::Shell("bash " + (dir / "verify.sh").string()).exit_code, 0);

  // A record signed itself has no later records in its package, even in a reused folder.
  ASSERT_TRUE(gateway_->Evidence(5, dir).ok());
  EXPECT_FALSE(std::filesystem::exists(dir / "later-0001.json"));
  EXPECT_EQ(test::Shell("bash " + (dir / "verify.sh").string()).exit_code, 0);

  // The newest record unsigned: the records after the last signature are unprotected.
  blank(5, 5);
  report = gateway_->Verify();
  ASSERT_TRUE(report.ok());
  EXPECT_FALSE(report->ok);
  EXPECT_EQ(report->first_bad_seq, 5);
  EXPECT_NE(report->problem_en.find("carries no signature"), std::string::npos)
      << report->problem_en;
}

// Concurrent calls share commit batches, and so signatures: whatever the grouping, the log
// verifies and every record's evidence checks out with openssl.
TEST_P(GatewayTest, ConcurrentCallsShareSignaturesAndEveryRecordHasEvidence) {
  GrantDefault();
  constexpr int kThreads = 8;
  constexpr int kEach = 4;
  std::atomic<int> failed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kEach; ++i) {
        if (Call1().status != 200) ++failed;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failed.load(), 0);
  ASSERT_EQ(*gateway_->Stamp(), kThreads * kEach);
  auto report = gateway_->Verify();
  ASSERT_TRUE(report.ok()) << report.error().message_en;
  EXPECT_TRUE(report->ok) << report->problem_en;
  EXPECT_EQ(report->records, kThreads * kEach);
  for (std::int64_t seq = 1; seq <= kThreads * kEach; ++seq) {
    const auto dir = test::TempDir() / ("concurrent-" + std::to_string(seq));
    ASSERT_TRUE(gateway_->Evidence(seq, dir).ok()) << seq;
    test::ShellResult ok = test::Shell("bash " + (dir / "verify.sh").string());
    EXPECT_EQ(ok.exit_code, 0) << seq << ": " << ok.out;
  }
}

TEST_P(GatewayTest, WhenTimeStampingFailsCallsGoOnForTheGracePeriodThenStop) {
  GrantDefault();
  tsa_up_ = false;
  ASSERT_EQ(Call1().status, 200);
  EXPECT_FALSE(gateway_->Stamp().ok());
  clock_.Advance(std::chrono::hours(3));
  EXPECT_EQ(Call1().status, 200);  // within X-Road's 4 hours
  EXPECT_FALSE(gateway_->Stamp().ok());
  clock_.Advance(std::chrono::hours(1) + std::chrono::seconds(1));
  Reply stopped = Call1();
  EXPECT_EQ(stopped.status, 503);
  EXPECT_EQ(stopped.refusal->reason, "gateway.timestamping_overdue");
  EXPECT_EQ(upstream_calls_, 2);
  tsa_up_ = true;
  auto stamped = gateway_->Stamp();
  ASSERT_TRUE(stamped.ok()) << stamped.error().message_en;
  EXPECT_EQ(*stamped, 3);  // the refusal was logged too
  EXPECT_EQ(Call1().status, 200);
}

TEST_P(GatewayTest, BodiesAreKeptSealedForTheRetentionThenOnlyHashes) {
  GrantDefault();
  std::string scan(3 << 20, 'x');  // a 3 MB phone photo, base64 or not, passes whole
  for (std::size_t i = 0; i < scan.size(); i += 997) scan[i] = static_cast<char>('a' + i % 26);
  Reply ok = Call1(http::Method::kPost, scan);
  ASSERT_EQ(ok.status, 200);
  auto bodies = gateway_->Bodies(ok.log_seq, Admin());
  ASSERT_TRUE(bodies.ok()) << bodies.error().message_en;
  EXPECT_EQ(bodies->first, scan);
  EXPECT_EQ(bodies->second, ok.body);
  std::string stored =
      storage::WithTransaction(db(),
                               [&](storage::Transaction& tx) {
                                 return tx.Query("SELECT bodies FROM gateway_log WHERE seq = " +
                                                 std::to_string(ok.log_seq));
                               })
          ->rows.at(0)
          .Blob(0);
  EXPECT_EQ(stored.find(scan.substr(0, 4000)), std::string::npos);  // sealed, not plain
  EXPECT_EQ(gateway_->Bodies(ok.log_seq, Officer()).error().code, ErrorCode::kPermissionDenied);

  clock_.Advance(std::chrono::hours(24 * 30 + 1));
  EXPECT_EQ(*gateway_->PurgeBodies(), 1);
  EXPECT_EQ(gateway_->Bodies(ok.log_seq, Admin()).error().reason, "gateway.bodies_gone");
  ASSERT_TRUE(gateway_->Stamp().ok());
  EXPECT_TRUE(gateway_->Verify()->ok);  // the hashes stay, and the chain with them
}

TEST_P(GatewayTest, TheDoorOverHttpPassesPathQueryAndBodyAndAnswersRefusalsInLgspShape) {
  GrantDefault();
  http::Router router;
  RegisterRoutes(router, *gateway_);
  auto server = http::LoopbackServer::Start(router, "gateway-door", "/dev/null", "");
  ASSERT_TRUE(server.ok());
  http::ClientRequest request;
  request.method = http::Method::kPost;
  request.url =
      (*server)->base_url() + "/lgsp/csdl-dancu/apiCSDLDanCu/xacThuc?ma_yeu_cau=YC%2001&x=1";
  request.headers = {{"authorization", "Bearer " + token_}, {"content-type", "application/json"}};
  request.body = R"({"HoVaTen":"Nguyễn Văn An"})";
  auto answer = http::Fetch(request);
  ASSERT_TRUE(answer.ok()) << answer.error().message_en;
  ASSERT_EQ(answer->status, 200) << answer->body;
  auto echo = json::parse(answer->body).as_object();
  EXPECT_EQ(echo.at("path").as_string(), "/api/apiCSDLDanCu/xacThuc");
  EXPECT_EQ(echo.at("query").as_string(), "ma_yeu_cau=YC%2001&x=1");
  EXPECT_EQ(echo.at("body").as_string(), R"({"HoVaTen":"Nguyễn Văn An"})");
  EXPECT_FALSE(answer->Header("x-tinhso-log-seq").empty());

  request.headers = {{"authorization", "Bearer lgsp_forged"}};
  answer = http::Fetch(request);
  ASSERT_TRUE(answer.ok());
  EXPECT_EQ(answer->status, 401);
  auto refusal = json::parse(answer->body).as_object();
  EXPECT_EQ(refusal.at("error_code").as_string(), "100");
  EXPECT_EQ(refusal.at("message").as_string(), "AUTHEN_ERROR");
  EXPECT_EQ(refusal.at("error").as_object().at("code").as_string(), "gateway.unauthenticated");

  request.url = (*server)->base_url() + "/lgsp/khong-co";
  request.headers = {{"authorization", "Bearer " + token_}};
  answer = http::Fetch(request);
  ASSERT_TRUE(answer.ok());
  EXPECT_EQ(answer->status, 404);
  EXPECT_EQ(json::parse(answer->body).at("error_code").as_string(), "201");
}

// Mutual TLS at the door: a system certificate of the province's PKI, bound to the subsystem,
// identifies it; revoked, it is refused at the next call although TLS still accepts it; a valid
// certificate bound to no subsystem identifies nobody. Dated by the real clock (the fixture's
// fake clock starts at it and is not moved): OpenSSL judges the certificates by it.
TEST_P(GatewayTest, MutualTlsIdentifiesTheSystemUntilItsCertificateIsRevoked) {
  GrantDefault();
  const auto dir = test::TempDir();
  auto issue = [&](const std::string& code, std::vector<std::string> ips) {
    pki::IssueInput in;
    in.kind = pki::Kind::kSystem;
    in.subject.common_name = code;
    in.subject.organization = "Ủy ban nhân dân tỉnh Thái Nguyên";
    in.ip_addresses = std::move(ips);
    auto c = pki_->Issue(in, Admin());
    EXPECT_TRUE(c.ok()) << c.error().message_en;
    auto pem = pki_->Export(c->id, pki::ExportFormat::kPem, "", core::SystemActor());
    EXPECT_TRUE(pem.ok()) << pem.error().message_en;
    test::WriteFile(dir / (code.substr(code.find('/') + 1) + ".pem"), *pem);
    return *c;
  };
  issue("H55/lgsp", {"127.0.0.1"});
  const pki::Certificate motcua = issue("H55.19/motcua", {});
  issue("H55.19/khac", {});
  auto ca = pki_->TrustAnchors();
  ASSERT_TRUE(ca.ok());
  auto intermediates = pki_->Intermediates();
  ASSERT_TRUE(intermediates.ok());
  std::string cas;
  for (const auto& c : *ca) cas += c.Pem();
  for (const auto& c : *intermediates) cas += c.Pem();
  test::WriteFile(dir / "cas.pem", cas);
  ASSERT_TRUE(gateway_->BindCertificate("H55.19/motcua", motcua.Pem(), Admin()).ok());

  http::Router router;
  RegisterRoutes(router, *gateway_);
  struct AdmitAll final : http::Guard {
    Result<core::Actor> Admit(const http::Request&, const http::Route&) override {
      return core::Actor{};
    }
  } guard;
  http::ServerOptions so;
  so.port = 0;
  so.io_threads = 1;
  so.worker_threads = 1;
  so.write_threads = 2;
  so.upload_dir = (dir / "uploads").string();
  so.access_log_path = "/dev/null";
  so.handle_signals = false;
  so.tls = http::TlsOptions{.port = 0,
                            .certificate_chain_file = (dir / "lgsp.pem").string(),
                            .private_key_file = (dir / "lgsp.pem").string(),
                            .client_ca_file = (dir / "cas.pem").string()};
  http::Server server(router, guard, std::move(so));
  ASSERT_TRUE(server.Start().ok());
  std::thread running([&] { server.Run(); });
  auto call = [&](const std::string& pem) {
    http::ClientRequest request{.url = "https://127.0.0.1:" + std::to_string(server.tls_port()) +
                                       "/lgsp/csdl-dancu/cong-dan/001089012345",
                                .ca_file = (dir / "cas.pem").string()};
    request.client_cert_file = (dir / pem).string();
    return http::Fetch(request);
  };
  auto ok = call("motcua.pem");
  ASSERT_TRUE(ok.ok()) << ok.error().message_en << " " << ok.error().detail;
  EXPECT_EQ(ok->status, 200) << ok->body;
  EXPECT_EQ(json::parse(ok->body).at("client").as_string(), "H55.19/motcua");

  auto stranger = call("khac.pem");  // the PKI's, but bound to no subsystem
  ASSERT_TRUE(stranger.ok());
  EXPECT_EQ(stranger->status, 401);

  // Unbound, the certificate identifies nobody; bound again, it does.
  auto unbound = gateway_->UnbindCertificate("H55.19/motcua", Admin());
  ASSERT_TRUE(unbound.ok()) << unbound.error().message_en;
  EXPECT_TRUE(unbound->certificate_sha256.empty());
  auto after_unbind = call("motcua.pem");
  ASSERT_TRUE(after_unbind.ok());
  EXPECT_EQ(after_unbind->status, 401);
  ASSERT_TRUE(gateway_->BindCertificate("H55.19/motcua", motcua.Pem(), Admin()).ok());
  auto rebound = call("motcua.pem");
  ASSERT_TRUE(rebound.ok());
  EXPECT_EQ(rebound->status, 200);

  ASSERT_TRUE(
      pki_->Revoke(motcua.id, pki::RevocationReason::kKeyCompromise, core::SystemActor()).ok());
  auto revoked = call("motcua.pem");
  ASSERT_TRUE(revoked.ok()) << "TLS does not look at revocation";
  EXPECT_EQ(revoked->status, 401);
  EXPECT_EQ(json::parse(revoked->body).at("error").at("code").as_string(),
            "gateway.certificate_revoked");
  server.Stop();
  running.join();
}

TINHSO_INSTANTIATE_BACKENDS(GatewayTest);

}  // namespace
}  // namespace tinhso::gateway
