// Sign-in through a real OpenID Provider (npm oidc-provider, tests/support/oidc_op.mjs) started
// on 127.0.0.1, driven like a browser over plain HTTP: redirects followed, cookies kept, the
// provider's development login and consent forms posted. On both backends.
//
// The application runs on the system clock here: the provider dates its tokens by the wall
// clock, and the relying party must judge them by the same one.
#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <filesystem>
#include <map>
#include <thread>

#include "app/app.hpp"
#include "audit/audit.hpp"
#include "http/client.hpp"
#include "http/url.hpp"
#include "support/database.hpp"

extern char** environ;

namespace tinhso::oidc {
namespace {

std::filesystem::path SourceDir() {
  const char* dir = std::getenv("TINHSO_SOURCE_DIR");
  return dir != nullptr ? dir : ".";
}

// The provider as a child process: started with a pipe on its stdin (it exits when the pipe
// closes, so it never outlives the test) and one on its stdout, whose first line gives its
// port.
class OpenIdProvider {
 public:
  bool Start(const std::string& redirect_uri, const std::string& alg) {
    const auto script = SourceDir() / "tests/support/oidc_op.mjs";
    int in[2];
    int out[2];
    if (pipe(in) != 0 || pipe(out) != 0) return false;
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, in[0], 0);
    posix_spawn_file_actions_adddup2(&actions, out[1], 1);
    posix_spawn_file_actions_addclose(&actions, in[1]);
    posix_spawn_file_actions_addclose(&actions, out[0]);
    std::vector<std::string> args = {"node",
                                     script.string(),
                                     "--redirect-uri",
                                     redirect_uri,
                                     "--post-logout-uri",
                                     "http://127.0.0.1:1/da-dang-xuat",
                                     "--alg",
                                     alg};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    const int spawned = posix_spawnp(&pid_, "node", &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    close(in[0]);
    close(out[1]);
    stdin_ = in[1];
    if (spawned != 0) {
      close(out[0]);
      pid_ = -1;
      return false;
    }
    // Blocks until the provider listens (or dies: end of file).
    std::string line;
    char c = 0;
    while (read(out[0], &c, 1) == 1 && c != '\n') line += c;
    close(out[0]);
    if (!line.starts_with("port=")) return false;
    port_ = line.substr(5);
    return true;
  }
  ~OpenIdProvider() {
    if (stdin_ >= 0) close(stdin_);
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      int status = 0;
      waitpid(pid_, &status, 0);
    }
  }
  std::string issuer() const { return "http://127.0.0.1:" + port_; }

 private:
  pid_t pid_ = -1;
  int stdin_ = -1;
  std::string port_;
};

// A browser's part: cookies by name (the two servers' names do not collide), redirects.
struct Browser {
  std::map<std::string, std::string> cookies;

  Result<http::ClientResponse> Send(http::Method method, const std::string& url,
                                    std::string body = {}, http::Headers extra = {}) {
    http::ClientRequest request{.method = method, .url = url, .headers = std::move(extra)};
    std::string cookie_header;
    for (const auto& [name, value] : cookies) {
      cookie_header += (cookie_header.empty() ? "" : "; ") + name + "=" + value;
    }
    if (!cookie_header.empty()) request.headers.emplace_back("Cookie", cookie_header);
    if (!body.empty()) {
      request.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
      request.body = std::move(body);
    }
    auto response = http::Fetch(request);
    if (!response.ok()) return response;
    for (const auto& [name, value] : response->headers) {
      if (name != "set-cookie") continue;
      const auto eq = value.find('=');
      const auto end = value.find(';');
      const std::string cookie_name = value.substr(0, eq);
      const std::string cookie_value = value.substr(eq + 1, end - eq - 1);
      if (cookie_value.empty() || value.find("Max-Age=0") != std::string::npos ||
          value.find("max-age=0") != std::string::npos ||
          value.find("expires=Thu, 01 Jan 1970") != std::string::npos) {
        cookies.erase(cookie_name);
      } else {
        cookies[cookie_name] = cookie_value;
      }
    }
    return response;
  }
};

std::string Absolute(const std::string& base, const std::string& location) {
  if (location.starts_with("http://")) return location;
  const auto slash = base.find('/', 7);
  return base.substr(0, slash) + location;
}

std::string FormAction(const std::string& html) {
  const auto at = html.find("action=\"");
  if (at == std::string::npos) return {};
  return html.substr(at + 8, html.find('"', at + 8) - at - 8);
}

class OidcFlowTest : public test::BackendTest {
 protected:
  void SetUp() override {
    if (!std::filesystem::exists(SourceDir() / "web/node_modules/oidc-provider")) {
      GTEST_SKIP() << "web/node_modules/oidc-provider is missing: run npm ci in web/";
    }
  }

  // Starts provider + app + server with the provider's id_token algorithm `alg`.
  void Launch(const std::string& alg, AccountKind accounts = AccountKind::kCitizens) {
    port_ = FreePort();
    base_ = "http://127.0.0.1:" + std::to_string(port_);
    ASSERT_TRUE(op_.Start(base_ + "/api/v1/auth/oidc/vneid/callback", alg));
    app::Config config;
    ProviderConfig p;
    p.id = "vneid";
    p.name_vi = "Tài khoản định danh điện tử VNeID";
    p.name_en = "VNeID electronic identity";
    p.issuer = op_.issuer();
    p.client_id = "tinhso";
    p.client_secret = "tinhso-bi-mat";
    p.redirect_base_url = base_;
    p.post_logout_redirect_uri = "http://127.0.0.1:1/da-dang-xuat";
    p.accounts = accounts;
    config.oidc_providers = {p};
    auto app = app::App::Create(db(), clock_, config, auth::PasswordCost::Minimum());
    ASSERT_TRUE(app.ok()) << app.error().message_en;
    app_ = std::move(*app);
    config.listen = "127.0.0.1:" + std::to_string(port_);
    auto options = app::ServerOptionsFor(config, backend(), *app_);
    ASSERT_TRUE(options.ok());
    http::ServerOptions o = std::move(*options);
    o.io_threads = 1;
    o.worker_threads = 2;
    o.handle_signals = false;
    o.rate_per_second = 0;
    o.static_dir.clear();
    o.access_log_path =
        (std::filesystem::temp_directory_path() / "tinhso-oidc-access.log").string();
    server_ = std::make_unique<http::Server>(app_->router(), app_->guard(), o);
    auto started = server_->Start();
    ASSERT_TRUE(started.ok()) << started.error().message_en << started.error().detail;
    thread_ = std::thread([this] { server_->Run(); });
  }
  void TearDown() override {
    if (server_) server_->Stop();
    if (thread_.joinable()) thread_.join();
  }

  // A free loopback port, for our server: its callback address must be known before the
  // provider starts, and the provider before the application is built.
  static unsigned short FreePort() {
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof addr;
    unsigned short port = 0;
    if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
        getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &length) == 0) {
      port = ntohs(addr.sin_port);
    }
    close(fd);
    return port;
  }

  struct Outcome {
    std::string location;  // where our callback sent the browser
    std::string callback_url;
  };

  // Starts a sign-in, signs in at the provider as `account`, and follows redirects back to our
  // callback, whose answer it returns.
  Outcome SignIn(Browser& browser, const std::string& account) {
    Outcome out;
    std::string url =
        base_ + "/api/v1/auth/oidc/vneid/start?return_to=" + http::PercentEncode("/ho-so");
    http::Method method = http::Method::kGet;
    std::string body;
    for (int hop = 0; hop < 20; ++hop) {
      const bool callback = url.starts_with(base_ + "/api/v1/auth/oidc/vneid/callback");
      if (callback) out.callback_url = url;
      auto r = browser.Send(method, url, body);
      EXPECT_TRUE(r.ok()) << url;
      if (!r.ok()) return out;
      method = http::Method::kGet;
      body.clear();
      if (r->status >= 300 && r->status < 400) {
        const std::string location(r->Header("location"));
        if (callback) {
          out.location = location;
          return out;
        }
        url = Absolute(url, location);
        continue;
      }
      EXPECT_EQ(r->status, 200) << url << "\n" << r->body;
      // oidc-provider's development pages: a login form, then a consent form.
      if (r->body.find("name=\"prompt\" value=\"login\"") != std::string::npos) {
        body = "prompt=login&login=" + account + "&password=bat-ky";
      } else if (r->body.find("name=\"prompt\" value=\"consent\"") != std::string::npos) {
        body = "prompt=consent";
      } else {
        ADD_FAILURE() << "unexpected page at " << url << "\n" << r->body;
        return out;
      }
      method = http::Method::kPost;
      url = Absolute(url, FormAction(r->body));
    }
    ADD_FAILURE() << "too many redirects";
    return out;
  }

  boost::json::object Me(Browser& browser) {
    auto r = browser.Send(http::Method::kGet, base_ + "/api/v1/auth/me");
    if (!r.ok() || r->status != 200) return {};
    return boost::json::parse(r->body).as_object();
  }

  core::SystemClock clock_;
  OpenIdProvider op_;
  unsigned short port_ = 0;
  std::string base_;
  std::unique_ptr<app::App> app_;
  std::unique_ptr<http::Server> server_;
  std::thread thread_;
};

TEST_P(OidcFlowTest, ACitizenSignsInGetsTheSameAccountAgainAndSignsOut) {
  ASSERT_NO_FATAL_FAILURE(Launch("ES256"));
  auto providers = http::Fetch({.url = base_ + "/api/v1/auth/oidc/providers"});
  ASSERT_TRUE(providers.ok());
  EXPECT_NE(providers->body.find(R"("id":"vneid")"), std::string::npos) << providers->body;

  Browser browser;
  Outcome first = SignIn(browser, "cong-dan-1");
  ASSERT_EQ(first.location, "/ho-so");
  auto me = Me(browser);
  ASSERT_FALSE(me.empty());
  EXPECT_EQ(me.at("login"), "001099012345");
  EXPECT_EQ(me.at("full_name"), "Nguyễn Văn An");
  EXPECT_EQ(me.at("kind"), "citizen");
  const std::int64_t id = me.at("id").as_int64();
  auto account = app_->accounts().Get(id);
  ASSERT_TRUE(account.ok());
  EXPECT_EQ(account->identity_provider, "vneid");
  EXPECT_TRUE(account->identity_verified_at.has_value());
  // The account's view says who verified it, when, and the date of birth given ("02/01/1999").
  EXPECT_EQ(me.at("identity_provider"), "vneid");
  EXPECT_TRUE(me.at("identity_verified_at").is_string());
  EXPECT_EQ(me.at("birth_date"), "1999-01-02");

  // The state was used: the same callback again is refused, even from the same browser.
  Browser replay;
  replay.cookies["tinhso_oidc_state"] =
      first.callback_url.substr(first.callback_url.find("state=") + 6,
                                first.callback_url.find('&', first.callback_url.find("state=")) -
                                    first.callback_url.find("state=") - 6);
  auto replayed = replay.Send(http::Method::kGet, first.callback_url);
  ASSERT_TRUE(replayed.ok());
  EXPECT_EQ(replayed->status, 302);
  EXPECT_EQ(replayed->Header("location"), "/dang-nhap?oidc_error=oidc.state_invalid");
  EXPECT_FALSE(replay.cookies.contains("tinhso_session"));

  // The same person again, in another browser: the same account.
  Browser again;
  ASSERT_EQ(SignIn(again, "cong-dan-1").location, "/ho-so");
  EXPECT_EQ(Me(again).at("id").as_int64(), id);

  // Logout ends our session and gives the provider's end-session address with the id_token.
  auto logout = browser.Send(http::Method::kPost, base_ + "/api/v1/auth/oidc/logout", {},
                             {{"X-CSRF-Token", browser.cookies["tinhso_csrf"]}});
  ASSERT_TRUE(logout.ok());
  ASSERT_EQ(logout->status, 200) << logout->body;
  auto out = boost::json::parse(logout->body).as_object();
  const std::string end_session(out.at("end_session_url").as_string());
  EXPECT_TRUE(end_session.starts_with(op_.issuer() + "/session/end?id_token_hint=")) << end_session;
  EXPECT_NE(end_session.find("post_logout_redirect_uri="), std::string::npos);
  EXPECT_TRUE(Me(browser).empty());
  // The provider accepts its own id_token as the hint (it shows its logout confirmation).
  auto confirm = browser.Send(http::Method::kGet, end_session);
  ASSERT_TRUE(confirm.ok());
  EXPECT_EQ(confirm->status, 200) << confirm->body;

  auto report = audit::Verify(db());
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->intact);
}

TEST_P(OidcFlowTest, ABusinessSignsInByItsTaxCode) {
  ASSERT_NO_FATAL_FAILURE(Launch("RS256"));
  Browser browser;
  ASSERT_EQ(SignIn(browser, "doanh-nghiep-1").location, "/ho-so");
  auto me = Me(browser);
  EXPECT_EQ(me.at("login"), "0100109106");
  EXPECT_EQ(me.at("kind"), "business");
  EXPECT_EQ(me.at("full_name"), "Công ty TNHH Thương mại Bắc Kạn");
  EXPECT_EQ(me.at("identity_provider"), "vneid");
  EXPECT_FALSE(me.contains("birth_date"));  // a business has none
}

TEST_P(OidcFlowTest, ARotatedKeyStillVerifies) {
  ASSERT_NO_FATAL_FAILURE(Launch("ES256"));
  Browser before;
  ASSERT_EQ(SignIn(before, "cong-dan-1").location, "/ho-so");
  // The provider signs with a new key and no longer publishes the old one.
  auto rotated = http::Fetch({.method = http::Method::kPost, .url = op_.issuer() + "/__rotate"});
  ASSERT_TRUE(rotated.ok());
  ASSERT_EQ(rotated->status, 200);
  Browser after;
  ASSERT_EQ(SignIn(after, "cong-dan-2").location, "/ho-so");
  EXPECT_EQ(Me(after).at("login"), "006201000123");
}

TEST_P(OidcFlowTest, AnAccountWithoutAnIdentityNumberIsRefused) {
  ASSERT_NO_FATAL_FAILURE(Launch("ES256"));
  Browser browser;
  EXPECT_EQ(SignIn(browser, "khong-dinh-danh").location,
            "/dang-nhap?oidc_error=oidc.identity_missing");
  EXPECT_FALSE(browser.cookies.contains("tinhso_session"));
  auto users = app_->accounts().FindByLogin("");
  EXPECT_FALSE(users.ok());
}

TEST_P(OidcFlowTest, AnOfficersProviderLinksExistingOfficersAndCreatesNoOne) {
  ASSERT_NO_FATAL_FAILURE(Launch("RS256", AccountKind::kOfficers));
  auth::NewUser admin{.kind = core::ActorKind::kAdmin,
                      .login = "quantri",
                      .full_name = "Quản trị hệ thống",
                      .password = "mat-khau-du-dai"};
  ASSERT_TRUE(app_->accounts().Create(admin, core::SystemActor()).ok());
  Browser officer;
  ASSERT_EQ(SignIn(officer, "quan-tri-tinh").location, "/ho-so");
  EXPECT_EQ(Me(officer).at("login"), "quantri");
  // A citizen of this provider has no officer account: refused, and none is made.
  Browser citizen;
  EXPECT_EQ(SignIn(citizen, "cong-dan-1").location, "/dang-nhap?oidc_error=oidc.account_unknown");
  EXPECT_FALSE(app_->accounts().FindByLogin("001099012345").ok());
}

TINHSO_INSTANTIATE_BACKENDS(OidcFlowTest);

}  // namespace
}  // namespace tinhso::oidc
