// "Quên mật khẩu" through the API of the whole application (as `tinhso serve` builds it), on
// both backends: one answer whether or not the account exists, a link e-mailed through the
// notifications outbox that works once and expires, the limits per account and per address,
// and the account's sessions ended by the new password.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "app/app_fixture.hpp"
#include "audit/audit.hpp"
#include "http/contract.hpp"
#include "http/test_util.hpp"

namespace tinhso::auth {
namespace {

using http::test::Client;
using http::test::Reply;

constexpr std::string_view kJson = "Content-Type: application/json\r\n";

std::string ErrorCodeOf(const Reply& r) {
  boost::system::error_code ec;
  auto v = boost::json::parse(r.body, ec);
  if (ec || !v.is_object() || !v.as_object().contains("error")) return "";
  return std::string(v.as_object()["error"].as_object()["code"].as_string());
}

// Keeps what the outbox hands to the e-mail channel.
class Mailbox final : public notify::Sender {
 public:
  Result<std::string> Send(const notify::Message& message) override {
    sent.push_back(message);
    return std::string();
  }
  std::vector<notify::Message> sent;
};

class PasswordResetTest : public app::test::AppTest {
 protected:
  void SetUp() override {
    app::test::AppTest::SetUp();
    officer_id_ = AddStaff("cb.tuphap", "cb.tuphap@backan.gov.vn");
    AddUser(core::ActorKind::kCitizen, "001099012345");

    app::Config config = MakeConfig();
    config.listen = "127.0.0.1:0";
    auto options = app::ServerOptionsFor(config, backend(), *app_);
    ASSERT_TRUE(options.ok()) << options.error().message_en;
    http::ServerOptions o = std::move(*options);
    o.io_threads = 1;
    o.worker_threads = 2;
    o.upload_dir = (dir_.path() / "uploads").string();
    o.access_log_path = (dir_.path() / "access.log").string();
    o.handle_signals = false;
    o.rate_per_second = 0;
    o.static_dir.clear();
    server_ = std::make_unique<http::Server>(app_->router(), app_->guard(), o);
    auto started = server_->Start();
    ASSERT_TRUE(started.ok()) << started.error().message_en;
    thread_ = std::thread([this] { server_->Run(); });
    http::test::UseContract(std::make_shared<http::test::Contract>(app_->router()));
  }
  void TearDown() override {
    http::test::UseContract(nullptr);
    if (server_) server_->Stop();
    if (thread_.joinable()) thread_.join();
  }

  std::int64_t AddStaff(const std::string& login, const std::string& email) {
    NewUser u;
    u.kind = core::ActorKind::kAdmin;
    u.login = login;
    u.full_name = "Hà Thị Thu";
    u.email = email;
    u.password = "mat-khau-du-dai";
    auto created = app_->accounts().Create(u, core::SystemActor());
    EXPECT_TRUE(created.ok()) << (created.ok() ? "" : created.error().message_en);
    return created.ok() ? created->id : 0;
  }

  Reply Call(std::string_view method, std::string_view target, std::string_view headers = {},
             std::string_view body = {}) {
    Client c(server_->port());
    return c.Call(method, target, headers, body);
  }
  Reply Ask(std::string_view login) {
    return Call("POST", "/api/v1/auth/password-reset", kJson,
                R"({"login":")" + std::string(login) + R"("})");
  }
  Reply Confirm(std::string_view token, std::string_view password) {
    return Call("POST", "/api/v1/auth/password-reset/confirm", kJson,
                R"({"token":")" + std::string(token) + R"(","password":")" + std::string(password) +
                    R"("})");
  }
  Reply SignIn(std::string_view password) {
    return Call(
        "POST", "/api/v1/auth/login", kJson,
        R"({"login":"cb.tuphap","password":")" + std::string(password) + R"(","mode":"token"})");
  }
  // The e-mails the outbox delivers now.
  std::vector<notify::Message> Deliver() {
    Mailbox mailbox;
    auto report = app_->outbox().DeliverDue({.email = &mailbox});
    EXPECT_TRUE(report.ok());
    return mailbox.sent;
  }
  // The token of a reset e-mail: what follows "/dat-lai-mat-khau#" in its link.
  static std::string TokenIn(const notify::Message& m) {
    const std::string_view marker = "/dat-lai-mat-khau#";
    const auto at = m.body.find(marker);
    if (at == std::string::npos) return "";
    const auto start = at + marker.size();
    return m.body.substr(start, m.body.find_first_of(" \r\n", start) - start);
  }
  std::string RequestedToken() {
    EXPECT_EQ(Ask("cb.tuphap").status, 202);
    auto mail = Deliver();
    EXPECT_EQ(mail.size(), 1u);
    return mail.empty() ? "" : TokenIn(mail[0]);
  }

  std::int64_t officer_id_ = 0;
  http::test::TempDir dir_;
  std::unique_ptr<http::Server> server_;
  std::thread thread_;
};

TEST_P(PasswordResetTest, AnswersAlikeWhetherOrNotTheAccountExists) {
  const Reply known = Ask("cb.tuphap");
  const Reply by_email = Ask("CB.TuPhap@backan.gov.vn");
  const Reply unknown = Ask("khong.co.ai");
  const Reply citizen = Ask("001099012345");  // signs in with VNeID: no password to reset
  for (const Reply* r : {&known, &by_email, &unknown, &citizen}) {
    EXPECT_EQ(r->status, 202) << r->body;
    EXPECT_EQ(r->body, known.body);
  }
  EXPECT_EQ(known.body, R"({"status":"requested"})");
  // Only the officer's two requests made mail, to the account's address, in Vietnamese.
  auto mail = Deliver();
  ASSERT_EQ(mail.size(), 2u);
  for (const auto& m : mail) {
    EXPECT_EQ(m.address, "cb.tuphap@backan.gov.vn");
    EXPECT_EQ(m.template_key, "password_reset");
    EXPECT_EQ(m.recipient_user_id, 0);  // never in an in-app list
    EXPECT_NE(m.body.find("Kính gửi Hà Thị Thu"), std::string::npos) << m.body;
    EXPECT_NE(m.body.find("trong vòng 30 phút"), std::string::npos) << m.body;
    EXPECT_GE(TokenIn(m).size(), 40u) << m.body;
  }
  EXPECT_NE(TokenIn(mail[0]), TokenIn(mail[1]));
  // Only hashes are stored.
  auto tx = db().Begin(storage::TxKind::kReadOnly);
  ASSERT_TRUE(tx.ok());
  auto rows = (*tx)->Query("SELECT id FROM password_resets ORDER BY created_at");
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 2u);
  for (const auto& r : *rows) {
    EXPECT_NE(r.Text(0), TokenIn(mail[0]));
    EXPECT_NE(r.Text(0), TokenIn(mail[1]));
  }
}

TEST_P(PasswordResetTest, TheLinkWorksOnceAndEndsTheAccountsSessions) {
  const Reply before = SignIn("mat-khau-du-dai");
  ASSERT_EQ(before.status, 200);
  boost::json::value signed_in = boost::json::parse(before.body);
  const std::string old_token(signed_in.as_object()["token"].as_string());
  const std::string bearer = "Authorization: Bearer " + old_token + "\r\n";
  ASSERT_EQ(Call("GET", "/api/v1/auth/me", bearer).status, 200);

  const std::string token = RequestedToken();
  ASSERT_FALSE(token.empty());
  // A password the rules refuse leaves the link usable.
  const Reply weak = Confirm(token, "12345678");
  EXPECT_EQ(weak.status, 400);
  EXPECT_EQ(ErrorCodeOf(weak), "auth.password_common");
  const Reply done = Confirm(token, "Mua-thu-Ba-Be-2026");
  ASSERT_EQ(done.status, 200) << done.body;

  EXPECT_EQ(Call("GET", "/api/v1/auth/me", bearer).status, 401);  // the old session ended
  EXPECT_EQ(SignIn("mat-khau-du-dai").status, 401);
  clock_.Advance(std::chrono::seconds(2));  // past the wait a failed sign-in costs the address
  EXPECT_EQ(SignIn("Mua-thu-Ba-Be-2026").status, 200);
  const Reply again = Confirm(token, "Mot-mat-khau-khac-2026");
  EXPECT_EQ(again.status, 400);
  EXPECT_EQ(ErrorCodeOf(again), "auth.reset_token_invalid");
  EXPECT_EQ(SignIn("Mot-mat-khau-khac-2026").status, 401);

  auto entries = audit::List(db(), {.action_prefix = "user.password_reset"});
  ASSERT_TRUE(entries.ok());
  ASSERT_EQ(entries->size(), 1u);
  EXPECT_EQ((*entries)[0].actor_id, officer_id_);
  EXPECT_NE((*entries)[0].data_json.find("email_link"), std::string::npos);
}

TEST_P(PasswordResetTest, OneUsedLinkEndsTheOthers) {
  const std::string first = RequestedToken();
  const std::string second = RequestedToken();
  ASSERT_EQ(Confirm(second, "Mua-thu-Ba-Be-2026").status, 200);
  EXPECT_EQ(ErrorCodeOf(Confirm(first, "Mot-mat-khau-khac-2026")), "auth.reset_token_invalid");
}

TEST_P(PasswordResetTest, AnExpiredLinkIsRefused) {
  const std::string token = RequestedToken();
  clock_.Advance(std::chrono::minutes(30));
  const Reply late = Confirm(token, "Mua-thu-Ba-Be-2026");
  EXPECT_EQ(late.status, 400);
  EXPECT_EQ(ErrorCodeOf(late), "auth.reset_token_invalid");
  EXPECT_EQ(SignIn("mat-khau-du-dai").status, 200);
  // An unknown token is refused the same way.
  EXPECT_EQ(ErrorCodeOf(Confirm(std::string(43, 'A'), "Mua-thu-Ba-Be-2026")),
            "auth.reset_token_invalid");
}

TEST_P(PasswordResetTest, LimitsPerAccountAndPerAddress) {
  // Per account: past three an hour, the answer is the same and nothing is sent.
  for (int i = 0; i < 5; ++i) EXPECT_EQ(Ask("cb.tuphap").status, 202);
  EXPECT_EQ(Deliver().size(), 3u);
  clock_.Advance(std::chrono::minutes(61));
  EXPECT_EQ(Ask("cb.tuphap").status, 202);
  EXPECT_EQ(Deliver().size(), 1u);
  // Per address: ten requests an hour, whatever they name; then 429 for any name.
  // (Every request comes from 127.0.0.1, which has made one in the last hour.)
  for (int i = 0; i < 9; ++i) EXPECT_EQ(Ask("khong.co.ai." + std::to_string(i)).status, 202);
  const Reply throttled = Ask("khong.co.ai");
  EXPECT_EQ(throttled.status, 429);
  EXPECT_EQ(ErrorCodeOf(throttled), "auth.reset_throttled");
  EXPECT_EQ(Ask("cb.tuphap").status, 429);
  EXPECT_TRUE(Deliver().empty());
}

TINHSO_INSTANTIATE_BACKENDS(PasswordResetTest);

}  // namespace
}  // namespace tinhso::auth
