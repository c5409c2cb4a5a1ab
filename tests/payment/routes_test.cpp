// The payment routes through a real http::Server on 127.0.0.1, with the platform simulator
// sending its callbacks over HTTP.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <filesystem>
#include <thread>

#include "core/parse.hpp"
#include "http/client.hpp"
#include "http/contract.hpp"
#include "http/http.hpp"
#include "payment/fixture.hpp"
#include "payment/messages.hpp"
#include "payment/payment.hpp"
#include "payment/simulator.hpp"

namespace tinhso::payment {
namespace {

using test::kSecret;

// Admits everyone: public actions as anonymous, the others as the fixture's officer. The
// policy itself is tested with the app; here only the handlers are.
class TestGuard final : public http::Guard {
 public:
  Result<core::Actor> Admit(const http::Request&, const http::Route& route) override {
    if (route.action.starts_with("public.")) return core::Actor{};
    return test::PaymentFixture::Officer();
  }
};

class PaymentRoutesTest : public test::PaymentFixture {
 protected:
  void StartServer(ObjectCheck check = {}) {
    RegisterRoutes(router_, service(), std::move(check));
    http::ServerOptions o;
    o.port = 0;
    o.io_threads = 1;
    o.worker_threads = 0;
    o.handle_signals = false;
    o.access_log_path = "/dev/null";
    o.upload_dir = (std::filesystem::temp_directory_path() / "tinhso-payment-routes").string();
    server_ = std::make_unique<http::Server>(router_, guard_, o);
    auto started = server_->Start();
    ASSERT_TRUE(started.ok()) << started.error().detail;
    thread_ = std::thread([this] { server_->Run(); });
  }
  void TearDown() override {
    if (server_) server_->Stop();
    if (thread_.joinable()) thread_.join();
  }
  std::string Url(std::string_view path) const {
    return "http://127.0.0.1:" + std::to_string(server_->port()) + std::string(path);
  }
  std::string CallbackUrl() const { return Url("/api/v1/payments/callback"); }

  http::ClientResponse Call(http::Method method, std::string_view path, std::string body = {}) {
    auto r = http::Fetch({.method = method,
                          .url = Url(path),
                          .headers = {{"content-type", "application/json"}},
                          .body = std::move(body)});
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().detail);
    return r.ok() ? *r : http::ClientResponse{};
  }

  // The answer to a callback must be signed by us: the platform checks it.
  static Fields SignedAnswer(const http::ClientResponse& r) {
    auto f = FieldsFromJson(r.body);
    EXPECT_TRUE(f.ok()) << r.body;
    if (!f.ok()) return {};
    EXPECT_TRUE(HasValidChecksum(MessageKind::kConfirmAnswer, *f, kSecret)) << r.body;
    return *f;
  }

  // The answer to a callback that failed its checks: MaLoi and MoTaLoi, nothing else. Returns
  // MaLoi.
  static std::string UnsignedAnswer(const http::ClientResponse& r) {
    auto f = FieldsFromJson(r.body);
    EXPECT_TRUE(f.ok()) << r.body;
    if (!f.ok()) return {};
    EXPECT_EQ(f->size(), 2u) << r.body;
    EXPECT_FALSE(f->contains("MaXacThuc")) << r.body;
    return std::string(Field(*f, "MaLoi"));
  }

  // "" when the callback's answer is one the OpenAPI document describes: the platform's
  // format, whatever the status.
  std::string Documented(const http::ClientResponse& r) const {
    const http::test::Contract contract(router_);
    return contract.Check("POST", "/api/v1/payments/callback", r.status, r.Header("content-type"),
                          r.body);
  }

  static std::string Json(const http::ClientResponse& r, std::string_view field) {
    auto v = boost::json::parse(r.body);
    const auto* x = v.as_object().if_contains(field);
    if (x == nullptr) return {};
    return x->is_string() ? std::string(x->as_string()) : boost::json::serialize(*x);
  }

  http::Router router_;
  TestGuard guard_;
  std::unique_ptr<http::Server> server_;
  std::thread thread_;
};

TEST_P(PaymentRoutesTest, CallbackOverHttpPaysOnceAndAnswersSigned) {
  StartServer();
  Payment p = MustRequest();
  ASSERT_TRUE(sim_->Pay(p.reference).ok());

  auto first = sim_->Notify(p.reference, CallbackUrl());
  ASSERT_TRUE(first.ok()) << first.error().detail;
  EXPECT_EQ(first->status, 200) << first->body;
  Fields answer = SignedAnswer(*first);
  EXPECT_EQ(Field(answer, "MaLoi"), "00");
  EXPECT_EQ(Field(answer, "MoTaLoi"), "paid");
  EXPECT_EQ(Field(answer, "MaThamChieu"), p.reference);
  EXPECT_EQ(Field(answer, "MaDoiTac"), test::kPartner);
  EXPECT_EQ(MustGet(p.reference).status, Status::kPaid);
  EXPECT_EQ(Documented(*first), "");

  // The platform resends: accepted (so it stops), nothing changes.
  auto second = sim_->Notify(p.reference, CallbackUrl());
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->status, 200);
  EXPECT_EQ(Documented(*second), "");
  EXPECT_EQ(Field(SignedAnswer(*second), "MoTaLoi"), "duplicate");
  EXPECT_EQ(hook_calls(), 1);
}

TEST_P(PaymentRoutesTest, ForgedWrongAndMalformedCallbacksAreRefused) {
  StartServer();
  Payment p = MustRequest();
  ASSERT_TRUE(sim_->Pay(p.reference).ok());

  // A message that failed its checks is answered unsigned, with our code only.
  auto forged = sim_->Notify(p.reference, CallbackUrl(), Simulator::Variant::kForged);
  ASSERT_TRUE(forged.ok());
  EXPECT_EQ(forged->status, 403);
  EXPECT_EQ(UnsignedAnswer(*forged), kAnswerBadChecksum);

  auto wrong = sim_->Notify(p.reference, CallbackUrl(), Simulator::Variant::kWrongAmount);
  ASSERT_TRUE(wrong.ok());
  EXPECT_EQ(wrong->status, 422);
  EXPECT_EQ(Field(SignedAnswer(*wrong), "MaLoi"), kAnswerAmountMismatch);

  auto garbage = Call(http::Method::kPost, "/api/v1/payments/callback", "khong phai json");
  EXPECT_EQ(garbage.status, 400);
  EXPECT_EQ(UnsignedAnswer(garbage), kAnswerBadMessage);
  // Every one of these answers is in the platform's format, and the document says so.
  for (const http::ClientResponse* r : {&*forged, &*wrong, &garbage}) {
    EXPECT_EQ(Documented(*r), "") << r->status << " " << r->body;
  }

  EXPECT_EQ(MustGet(p.reference).status, Status::kPending);
  EXPECT_EQ(hook_calls(), 0);
  EXPECT_EQ(service().Anomalies()->size(), 2u);  // the forgery and the wrong amount
}

// Issue 15's forgery, with no secret. Our answer to a callback was signed over
// "MaLoi|MaDoiTac|MaThamChieu|ThoiGianGD|secret" even when the callback's own checksum was
// wrong, and it echoed the sender's MaThamChieu and ThoiGianGD. A made-up MaThamChieu holding
// "00|<partner>|<reference>|<amount>|VND|FAKE-TX-1|…" separated by '|' made that answer's
// checksum the checksum of a confirmation whose LoaiBanTin is "01|<partner>" (never checked).
TEST_P(PaymentRoutesTest, SignedAnswerToABadCallbackCannotBeTurnedIntoAConfirmation) {
  StartServer();
  Payment p = MustRequest();
  const std::string partner(test::kPartner);  // every answer told it anyway
  const std::string time = core::FormatVietnamCompact(clock_.Now());

  // 1. A "confirmation" with a wrong checksum whose fields carry the confirmation to forge.
  Fields probe{
      {"LoaiBanTin", "CONFIRM"},
      {"MaLoi", "00"},
      {"MaDoiTac", partner},
      {"MaThamChieu", "00|" + partner + "|" + p.reference + "|150000|VND|FAKE-TX-1|NCB|" + time},
      {"ThoiGianGD", "gia-mao"},
      {"MaXacThuc", std::string(64, '0')}};
  auto refused = Call(http::Method::kPost, "/api/v1/payments/callback", ToJson(probe));
  EXPECT_EQ(refused.status / 100, 4) << refused.body;
  auto reply = FieldsFromJson(refused.body);
  ASSERT_TRUE(reply.ok()) << refused.body;
  EXPECT_EQ(Field(*reply, "MaXacThuc"), "") << "a reply to a failed message is never signed";
  EXPECT_EQ(Field(*reply, "MaThamChieu"), "") << "nor does it repeat the sender's fields";

  // 2. The reply's checksum as that of the made-up confirmation.
  Fields forged{{"LoaiBanTin", std::string(Field(*reply, "MaLoi")) + "|" + partner},
                {"MaLoi", "00"},
                {"MaDoiTac", partner},
                {"MaThamChieu", p.reference},
                {"SoTien", "150000"},
                {"MaTienTe", "VND"},
                {"MaGiaoDich", "FAKE-TX-1"},
                {"MaNganHang", "NCB"},
                {"ThoiGianGD", time},
                {"ThongTinGiaoDich", std::string(Field(*reply, "ThoiGianGD"))},
                {"MaXacThuc", std::string(Field(*reply, "MaXacThuc"))}};
  auto sent = Call(http::Method::kPost, "/api/v1/payments/callback", ToJson(forged));
  EXPECT_NE(sent.status, 200) << sent.body;

  const Payment after = MustGet(p.reference);
  EXPECT_EQ(after.status, Status::kPending);
  EXPECT_EQ(after.gateway_transaction, "");
  EXPECT_EQ(hook_calls(), 0) << "the dossier must not resume";
}

// The document describes the callback as it is: the platform's confirmation as the body (the
// simulator's message fits its schema), and the platform's reply for every status the handler
// answers, never the Error shape that a platform could not read.
TEST_P(PaymentRoutesTest, TheDocumentDescribesTheCallbackInThePlatformsFormat) {
  StartServer();
  Payment p = MustRequest();
  auto confirmation = sim_->Pay(p.reference);
  ASSERT_TRUE(confirmation.ok());
  const http::test::Contract contract(router_);
  const boost::json::value& doc = contract.document();
  const boost::json::value& post = doc.at("paths").at("/api/v1/payments/callback").at("post");
  const boost::json::value& body =
      post.at("requestBody").at("content").at("application/json").at("schema");
  EXPECT_EQ(body.at("$ref"), "#/components/schemas/CallbackMessage");
  EXPECT_EQ(http::test::ValidateSchema(doc, body, boost::json::parse(ToJson(*confirmation))), "");
  Fields piped = *confirmation;
  piped["ThongTinGiaoDich"] = "a|b";
  EXPECT_NE(http::test::ValidateSchema(doc, body, boost::json::parse(ToJson(piped))), "")
      << "a '|' is refused by the check, and by the schema";
  const boost::json::object& responses = post.at("responses").as_object();
  for (const char* status : {"200", "400", "403", "404", "422", "default"}) {
    EXPECT_EQ(responses.at(status).at("content").at("application/json").at("schema").at("$ref"),
              "#/components/schemas/CallbackReply")
        << status;
  }
  EXPECT_EQ(responses.at("413").at("$ref"), "#/components/responses/Error")
      << "the body limit is the server's, before the handler";
  auto unknown = Call(http::Method::kPost, "/api/v1/payments/callback", [&] {
    Fields f = *confirmation;
    f["MaThamChieu"] = "KHONG-CO";
    Sign(MessageKind::kConfirm, f, kSecret);
    return ToJson(f);
  }());
  EXPECT_EQ(unknown.status, 404) << unknown.body;
  EXPECT_EQ(Field(SignedAnswer(unknown), "MaLoi"), kAnswerUnknownReference);
  EXPECT_EQ(Documented(unknown), "");
}

TEST_P(PaymentRoutesTest, ReadQueryAndRefund) {
  StartServer();
  Payment p = MustRequest();
  auto read = Call(http::Method::kGet, "/api/v1/payments/" + p.reference);
  EXPECT_EQ(read.status, 200) << read.body;
  EXPECT_EQ(Json(read, "status"), "pending");
  EXPECT_EQ(Json(read, "amount"), "150000");
  EXPECT_EQ(Json(read, "payment_url"), p.payment_url);

  EXPECT_EQ(Call(http::Method::kGet, "/api/v1/payments/khong-co").status, 404);

  ASSERT_TRUE(sim_->Pay(p.reference).ok());  // the callback is lost
  auto queried = Call(http::Method::kPost, "/api/v1/payments/" + p.reference + "/query");
  EXPECT_EQ(queried.status, 200) << queried.body;
  EXPECT_EQ(Json(queried, "status"), "paid");
  EXPECT_EQ(Json(queried, "paid_via"), "query");

  EXPECT_EQ(Call(http::Method::kPost, "/api/v1/payments/" + p.reference + "/refund", "{}").status,
            400);
  auto refunded = Call(http::Method::kPost, "/api/v1/payments/" + p.reference + "/refund",
                       R"({"reason":"Hồ sơ bị từ chối"})");
  EXPECT_EQ(refunded.status, 200) << refunded.body;
  EXPECT_EQ(Json(refunded, "status"), "refunded");
  EXPECT_EQ(Json(refunded, "refund_reason"), "Hồ sơ bị từ chối");
}

TEST_P(PaymentRoutesTest, ObjectCheckIsAsked) {
  std::vector<std::string> asked;
  StartServer([&asked](const core::Actor& actor, std::string_view action,
                       const Payment& p) -> Result<void> {
    asked.push_back(std::string(action));
    if (actor.agency_id != p.agency_id) {
      return MakeError(ErrorCode::kPermissionDenied, "auth.forbidden", "Không có quyền.",
                       "Forbidden.");
    }
    return Ok();
  });
  PaymentRequestInput other = Input();
  other.agency_id = 99;  // not the officer's agency
  Payment p = MustRequest(other);
  EXPECT_EQ(Call(http::Method::kGet, "/api/v1/payments/" + p.reference).status, 403);
  EXPECT_EQ(
      Call(http::Method::kPost, "/api/v1/payments/" + p.reference + "/refund", R"({"reason":"x"})")
          .status,
      403);
  EXPECT_EQ(asked, (std::vector<std::string>{"payment.read", "payment.manage"}));
}

TEST_P(PaymentRoutesTest, DemoPayerPageSendsTheCallback) {
  // A simulator that, like the real platform, calls our callback when the payer pays.
  Simulator::Options o;
  o.partner_code = std::string(test::kPartner);
  o.secret = std::string(kSecret);
  o.clock = &clock_;
  auto demo = Simulator::Start(o);
  ASSERT_TRUE(demo.ok());
  UseConfig((*demo)->Config());
  StartServer();
  (*demo)->SetCallbackUrl(CallbackUrl());
  Payment p = MustRequest();
  ASSERT_EQ(p.payment_url, (*demo)->base_url() + "/paygov/pay/" + p.reference);

  auto page = http::Fetch({.url = p.payment_url});
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->status, 200);
  EXPECT_NE(page->body.find("150000"), std::string::npos);

  auto paid = http::Fetch({.method = http::Method::kPost, .url = p.payment_url});
  ASSERT_TRUE(paid.ok());
  EXPECT_EQ(paid->status, 200) << paid->body;
  EXPECT_NE(paid->body.find("\"callback_status\":\"200\""), std::string::npos) << paid->body;
  EXPECT_EQ(MustGet(p.reference).status, Status::kPaid);
  EXPECT_EQ(hook_calls(), 1);
}

// The payer's browser (a form post, Accept: text/html) goes back to the page our INIT named
// (UrlTraVe), as on the real platform, once the confirmation has reached us.
TEST_P(PaymentRoutesTest, DemoPayerBrowserReturnsToTheServicePage) {
  Simulator::Options o;
  o.partner_code = std::string(test::kPartner);
  o.secret = std::string(kSecret);
  o.clock = &clock_;
  auto demo = Simulator::Start(o);
  ASSERT_TRUE(demo.ok());
  GatewayConfig config = (*demo)->Config();
  config.return_url = "http://127.0.0.1:8080/ho-so-cua-toi";
  UseConfig(config);
  StartServer();
  (*demo)->SetCallbackUrl(CallbackUrl());
  Payment p = MustRequest();

  // The payer's page lets its form's redirect leave for the service (a browser refuses a
  // redirect form-action does not allow, and the payer would stay on the platform's page).
  auto page = http::Fetch({.url = p.payment_url});
  ASSERT_TRUE(page.ok());
  EXPECT_THAT(std::string(page->Header("content-security-policy")),
              testing::HasSubstr("form-action 'self' http://127.0.0.1:8080;"));

  auto paid = http::Fetch({.method = http::Method::kPost,
                           .url = p.payment_url,
                           .headers = {{"accept", "text/html,application/xhtml+xml,*/*;q=0.8"}}});
  ASSERT_TRUE(paid.ok());
  EXPECT_EQ(paid->status, 303) << paid->body;
  EXPECT_EQ(paid->Header("location"), "http://127.0.0.1:8080/ho-so-cua-toi");
  EXPECT_EQ(MustGet(p.reference).status, Status::kPaid) << "confirmed before the browser returns";
}

TINHSO_INSTANTIATE_BACKENDS(PaymentRoutesTest);

}  // namespace
}  // namespace tinhso::payment
