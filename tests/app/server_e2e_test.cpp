// The whole application over real HTTP on 127.0.0.1 (port 0), on both backends: sign-in,
// sessions, CSRF, bad input of every kind answered with the one error shape, and nothing
// changed by a refused request.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <set>
#include <thread>

#include "app_fixture.hpp"
#include "audit/audit.hpp"
#include "core/crypto.hpp"
#include "http/contract.hpp"
#include "http/test_util.hpp"
#include "support/sample_images.hpp"

namespace tinhso::app {
namespace {

using http::test::Client;
using http::test::Reply;

boost::json::object Json(const Reply& r) {
  boost::system::error_code ec;
  auto v = boost::json::parse(r.body, ec);
  if (ec || !v.is_object()) return {};
  return v.as_object();
}

// A text member of the answer's object, or "" (so that a failed call fails the check, not the
// test with an exception).
std::string TextOf(const Reply& r, std::string_view name) {
  auto o = Json(r);
  const auto it = o.find(name);
  return it != o.end() && it->value().is_string() ? std::string(it->value().as_string()) : "";
}

std::string ErrorCodeOf(const Reply& r) {
  auto o = Json(r);
  if (!o.contains("error")) return "";
  return std::string(o["error"].as_object()["code"].as_string());
}

class ServerE2eTest : public test::AppTest {
 protected:
  void SetUp() override {
    test::AppTest::SetUp();
    AddUser(core::ActorKind::kAdmin, "quantri");

    // As `tinhso serve` builds them from the configuration ([server] trusted_proxies…).
    Config config = MakeConfig();
    config.listen = "127.0.0.1:0";
    auto options = ServerOptionsFor(config, backend(), *app_);
    ASSERT_TRUE(options.ok()) << options.error().message_en;
    http::ServerOptions o = std::move(*options);
    o.io_threads = 1;
    o.worker_threads = 2;
    o.body_limit = 64 * 1024;
    o.upload_dir = (uploads_.path() / "uploads").string();
    o.access_log_path = (uploads_.path() / "access.log").string();
    o.handle_signals = false;
    o.rate_per_second = 0;
    o.static_dir.clear();
    server_ = std::make_unique<http::Server>(app_->router(), app_->guard(), o);
    auto started = server_->Start();
    ASSERT_TRUE(started.ok()) << started.error().message_en << started.error().detail;
    thread_ = std::thread([this] { server_->Run(); });
    // Every response these tests read is checked against the OpenAPI document.
    http::test::UseContract(std::make_shared<http::test::Contract>(app_->router()));
    undeclared_query_reads_ = http::UndeclaredQueryReads();
  }
  void TearDown() override {
    http::test::UseContract(nullptr);
    EXPECT_EQ(http::UndeclaredQueryReads(), undeclared_query_reads_)
        << "a declared route read a query parameter it does not declare";
    if (server_) server_->Stop();
    if (thread_.joinable()) thread_.join();
  }
  Reply Call(std::string_view method, std::string_view target, std::string_view headers = {},
             std::string_view body = {}) {
    Client c(server_->port());
    return c.Call(method, target, headers, body);
  }
  std::string LoginToken() {
    Reply r = Call("POST", "/api/v1/auth/login", "Content-Type: application/json\r\n",
                   R"({"login":"quantri","password":"mat-khau-du-dai","mode":"token"})");
    EXPECT_EQ(r.status, 200) << r.body;
    auto o = Json(r);
    return o.contains("token") ? std::string(o["token"].as_string()) : "";
  }
  std::int64_t AuditCount() {
    auto report = audit::Verify(db());
    EXPECT_TRUE(report.ok() && report->intact);
    return report.ok() ? report->checked : -1;
  }

  http::test::TempDir uploads_;
  std::unique_ptr<http::Server> server_;
  std::thread thread_;
  std::uint64_t undeclared_query_reads_ = 0;
};

// `tinhso serve` gives the static files the portal's pages rendered from the catalog.
class ServePagesTest : public test::AppTest {};

TEST_P(ServePagesTest, TheServerRendersThePortalPages) {
  auto options = ServerOptionsFor(MakeConfig(), backend(), *app_);
  ASSERT_TRUE(options.ok());
  ASSERT_TRUE(options->page_renderer);
  http::Request home;
  home.path = "/";
  auto page = options->page_renderer(home);
  ASSERT_NE(page, nullptr);
  EXPECT_NE(page->html.find("Tất cả thủ tục"), std::string::npos);
}
TINHSO_INSTANTIATE_BACKENDS(ServePagesTest);

TEST_P(ServerE2eTest, TokenSignInReadAndSignOut) {
  const std::string token = LoginToken();
  ASSERT_FALSE(token.empty());
  const std::string auth = "Authorization: Bearer " + token + "\r\n";
  Reply me = Call("GET", "/api/v1/auth/me", auth);
  ASSERT_EQ(me.status, 200) << me.body;
  EXPECT_EQ(Json(me)["login"].as_string(), "quantri");
  EXPECT_EQ(Json(me)["full_name"].as_string(), "Người dùng quantri");
  EXPECT_FALSE(me.Header("x-request-id").empty());
  Reply out = Call("POST", "/api/v1/auth/logout", auth);
  EXPECT_EQ(out.status, 200);
  Reply after = Call("GET", "/api/v1/auth/me", auth);
  EXPECT_EQ(after.status, 401);
  EXPECT_EQ(ErrorCodeOf(after), "auth.session_invalid");
}

TEST_P(ServerE2eTest, CookieSessionIsHttpOnlyAndNeedsCsrfForChanges) {
  Reply r = Call("POST", "/api/v1/auth/login", "Content-Type: application/json\r\n",
                 R"({"login":"quantri","password":"mat-khau-du-dai"})");
  ASSERT_EQ(r.status, 200) << r.body;
  // test_util joins repeated headers with "\n": both cookies are here.
  const std::string cookie = r.Header("set-cookie");
  const std::string csrf(Json(r)["csrf_token"].as_string());
  EXPECT_NE(cookie.find("tinhso_csrf=" + csrf), std::string::npos) << cookie;
  std::string session;
  const auto start = cookie.find("tinhso_session=");
  if (start != std::string::npos) {
    const auto end = cookie.find(';', start);
    session = cookie.substr(start + 15, end - start - 15);
    const std::string attributes = cookie.substr(end, cookie.find('\n', end) - end);
    EXPECT_NE(attributes.find("HttpOnly"), std::string::npos) << attributes;
    EXPECT_NE(attributes.find("SameSite=Strict"), std::string::npos) << attributes;
  }
  ASSERT_FALSE(session.empty()) << cookie;
  const std::string c = "Cookie: tinhso_session=" + session + "\r\n";
  EXPECT_EQ(Call("GET", "/api/v1/auth/me", c).status, 200);
  Reply no_csrf = Call("POST", "/api/v1/users/1/disable", c);
  EXPECT_EQ(no_csrf.status, 403);
  EXPECT_EQ(ErrorCodeOf(no_csrf), "auth.csrf");
  Reply with_csrf = Call("POST", "/api/v1/auth/password", c + "X-CSRF-Token: " + csrf + "\r\n",
                         R"({"current_password":"sai","new_password":"mat-khau-moi-1"})");
  EXPECT_EQ(ErrorCodeOf(with_csrf), "auth.current_password_wrong") << "the guard let it through";
  EXPECT_EQ(Call("GET", "/api/v1/auth/me", c).status, 200) << "the refused change did nothing";
}

// Login CSRF (issue 15): a page of another site could post a text/plain sign-in, since login
// took any body and ignored Origin; cookie sessions only had the CSRF token.
TEST_P(ServerE2eTest, SignInTakesJsonFromThisSiteOnly) {
  const std::string body = R"({"login":"quantri","password":"mat-khau-du-dai"})";
  Reply plain = Call("POST", "/api/v1/auth/login", "Content-Type: text/plain\r\n", body);
  EXPECT_EQ(plain.status, 415) << plain.body;
  EXPECT_EQ(ErrorCodeOf(plain), "http.unsupported_media_type");
  EXPECT_NE(Json(plain)["error"].as_object()["message"].as_string().find("JSON"),
            std::string::npos);
  EXPECT_EQ(plain.Header("set-cookie"), "");
  EXPECT_EQ(Call("POST", "/api/v1/auth/login", "", body).status, 415) << "no Content-Type";

  const std::string json = "Content-Type: application/json; charset=utf-8\r\n";
  Reply foreign =
      Call("POST", "/api/v1/auth/login", json + "Origin: https://evil.example\r\n", body);
  EXPECT_EQ(foreign.status, 403) << foreign.body;
  EXPECT_EQ(ErrorCodeOf(foreign), "auth.cross_origin");
  EXPECT_EQ(foreign.Header("set-cookie"), "");
  EXPECT_EQ(Call("POST", "/api/v1/auth/login", json + "Origin: null\r\n", body).status, 403);
  // test_util's client sends "Host: test": a page of that origin is this site.
  Reply own = Call("POST", "/api/v1/auth/login", json + "Origin: http://test\r\n", body);
  EXPECT_EQ(own.status, 200) << own.body;
  EXPECT_EQ(Call("POST", "/api/v1/auth/login", json + "Origin: https://test:443\r\n", body).status,
            200);
  EXPECT_EQ(Call("POST", "/api/v1/auth/login", json, body).status, 200) << "no Origin: no browser";

  // A cookie session's change with the right CSRF token but a foreign Origin.
  const std::string cookie = own.Header("set-cookie");
  const auto start = cookie.find("tinhso_session=");
  ASSERT_NE(start, std::string::npos) << cookie;
  const std::string session = cookie.substr(start + 15, cookie.find(';', start) - start - 15);
  const std::string csrf(Json(own)["csrf_token"].as_string());
  const std::string c = "Cookie: tinhso_session=" + session + "\r\nX-CSRF-Token: " + csrf + "\r\n";
  const std::string change = R"({"current_password":"sai","new_password":"mat-khau-moi-1"})";
  Reply riding =
      Call("POST", "/api/v1/auth/password", c + "Origin: https://evil.example\r\n" + json, change);
  EXPECT_EQ(riding.status, 403) << riding.body;
  EXPECT_EQ(ErrorCodeOf(riding), "auth.cross_origin");
  Reply same = Call("POST", "/api/v1/auth/password", c + "Origin: http://test\r\n" + json, change);
  EXPECT_EQ(ErrorCodeOf(same), "auth.current_password_wrong") << "the guard let it through";
  // Reads are not changes.
  EXPECT_EQ(Call("GET", "/api/v1/auth/me", c + "Origin: https://evil.example\r\n").status, 200);
}

// Sign-in is costly (a password hash for anyone who asks) and JSON only: a body of another type
// is refused 415 before it is parsed, so form-encoded or plain text gets no parse error (400)
// that a page of another site could learn from, and a body over the limit is never read (413).
TEST_P(ServerE2eTest, SignInRefusesAnotherContentTypeBeforeParsingAndAnOversizedBody) {
  for (const char* type : {"text/plain", "application/x-www-form-urlencoded"}) {
    Reply r = Call("POST", "/api/v1/auth/login", std::string("Content-Type: ") + type + "\r\n",
                   "login=quantri&password=mat-khau-du-dai");
    EXPECT_EQ(r.status, 415) << type << ": " << r.body;
    EXPECT_EQ(ErrorCodeOf(r), "http.unsupported_media_type") << type;
  }
  const std::string huge =
      R"({"login":"quantri","password":")" + std::string(100 * 1024, 'x') + R"("})";
  for (const char* type : {"application/json", "text/plain"}) {
    Reply r =
        Call("POST", "/api/v1/auth/login", std::string("Content-Type: ") + type + "\r\n", huge);
    EXPECT_EQ(r.status, 413) << type << ": " << r.body;
    EXPECT_EQ(r.Header("set-cookie"), "");
  }
  // The document says so.
  const auto document = boost::json::parse(http::OpenApi(app_->router()));
  const auto& login = document.at_pointer("/paths/~1api~1v1~1auth~1login/post/responses");
  EXPECT_TRUE(login.as_object().contains("415"));
  EXPECT_TRUE(login.as_object().contains("413"));
  EXPECT_EQ(Call("POST", "/api/v1/auth/login", "Content-Type: application/json\r\n",
                 R"({"login":"quantri","password":"mat-khau-du-dai"})")
                .status,
            200);
}

// Every account route answers what the document declares (the contract checks each reply).
TEST_P(ServerE2eTest, AccountRoutesAnswerAsTheDocumentSays) {
  const std::string json = "Content-Type: application/json\r\n";
  Reply signed_in = Call("POST", "/api/v1/auth/login", json,
                         R"({"login":"quantri","password":"mat-khau-du-dai","mode":"token"})");
  ASSERT_EQ(signed_in.status, 200) << signed_in.body;
  auto session = Json(signed_in);
  EXPECT_FALSE(session.contains("csrf_token")) << "a token session has no CSRF token";
  ASSERT_TRUE(session["user"].is_object()) << signed_in.body;
  EXPECT_EQ(session["user"].as_object()["kind"], "admin");
  EXPECT_TRUE(session["user"].as_object()["agency_id"].is_null());
  const std::string auth = "Authorization: Bearer " + TextOf(signed_in, "token") + "\r\n";

  Reply me = Call("GET", "/api/v1/auth/me", auth);
  ASSERT_EQ(me.status, 200) << me.body;
  const std::int64_t my_id = Json(me)["id"].as_int64();

  Reply token = Call("POST", "/api/v1/auth/tokens", auth + json,
                     R"({"password":"mat-khau-du-dai","label":"máy chủ báo cáo"})");
  ASSERT_EQ(token.status, 201) << token.body;
  EXPECT_EQ(token.Header("cache-control"), "no-store");
  const std::string second = "Authorization: Bearer " + TextOf(token, "token") + "\r\n";
  EXPECT_EQ(Call("GET", "/api/v1/auth/me", second).status, 200);

  AddUser(core::ActorKind::kAdmin, "quantri.hai", 0, {}, "Nguyễn Văn An");
  Reply list = Call("GET", "/api/v1/users?q=nguyen%20van%20an&limit=10&offset=0", auth);
  ASSERT_EQ(list.status, 200) << list.body;
  auto page = Json(list);
  EXPECT_EQ(page["limit"].as_int64(), 10);
  ASSERT_EQ(page["items"].as_array().size(), 1u) << list.body;
  const std::int64_t officer = page["items"].as_array()[0].as_object().at("id").as_int64();
  EXPECT_EQ(Call("GET", "/api/v1/users?limit=0", auth).status, 400);

  Reply one = Call("GET", "/api/v1/users/" + std::to_string(my_id), auth);
  ASSERT_EQ(one.status, 200) << one.body;
  EXPECT_EQ(TextOf(one, "login"), "quantri");

  Reply created = Call("POST", "/api/v1/users", auth + json,
                       R"({"kind":"citizen","login":"006095001234","full_name":"Trần Thị Bình",)"
                       R"("password":"mat-khau-du-dai","email":"","phone":"0912345678"})");
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(Json(created)["roles"].as_array(), boost::json::array{"citizen"});
  Reply bad_kind = Call("POST", "/api/v1/users", auth + json,
                        R"({"kind":"system","login":"x","full_name":"X","password":"y"})");
  EXPECT_EQ(ErrorCodeOf(bad_kind), "request.invalid_field") << bad_kind.body;

  const std::string user = "/api/v1/users/" + std::to_string(officer);
  Reply disabled = Call("POST", user + "/disable", auth);
  ASSERT_EQ(disabled.status, 200) << disabled.body;
  EXPECT_TRUE(Json(disabled)["disabled"].as_bool());
  EXPECT_FALSE(Json(Call("POST", user + "/enable", auth))["disabled"].as_bool());
  EXPECT_EQ(TextOf(Call("POST", user + "/unlock", auth), "status"), "unlocked");
  Reply reset = Call("POST", user + "/password", auth + json, R"({"password":"Hoa-sen-no-2026"})");
  EXPECT_EQ(TextOf(reset, "status"), "password_reset") << reset.body;
  Reply out = Call("POST", "/api/v1/auth/logout", second);
  EXPECT_EQ(TextOf(out, "status"), "signed_out") << out.body;
  Reply changed =
      Call("POST", "/api/v1/auth/password", auth + json,
           R"({"current_password":"mat-khau-du-dai","new_password":"Cay-tre-xanh-2026"})");
  EXPECT_EQ(TextOf(changed, "status"), "password_changed") << changed.body;
}

// An origin named in [auth] allowed_origins may send changes too (a proxy that rewrites Host).
class AllowedOriginTest : public ServerE2eTest {
 protected:
  Config MakeConfig() const override {
    Config c;
    c.allowed_origins = {"https://dichvucong.example.gov.vn/"};
    return c;
  }
};

TEST_P(AllowedOriginTest, ConfiguredOriginsMaySignIn) {
  const std::string json = "Content-Type: application/json\r\n";
  const std::string body = R"({"login":"quantri","password":"mat-khau-du-dai"})";
  EXPECT_EQ(Call("POST", "/api/v1/auth/login",
                 json + "Origin: https://DichVuCong.example.gov.vn\r\n", body)
                .status,
            200);
  EXPECT_EQ(Call("POST", "/api/v1/auth/login",
                 json + "Origin: https://dichvucong.example.gov.vn.evil.example\r\n", body)
                .status,
            403);
}

TINHSO_INSTANTIATE_BACKENDS(AllowedOriginTest);

TEST_P(ServerE2eTest, BadInputGetsOneClearErrorShapeAndChangesNothing) {
  const std::string token = LoginToken();
  const std::string auth =
      "Authorization: Bearer " + token + "\r\nContent-Type: application/json\r\n";
  const std::int64_t audit_before = AuditCount();
  struct Case {
    const char* name;
    std::string method, target, body;
    int status;
    std::string code;
  };
  const std::string invalid_utf8 = "{\"kind\":\"citizen\",\"full_name\":\"\xC3\x28\"}";
  const Case kCases[] = {
      {"malformed JSON", "POST", "/api/v1/users", "{\"kind\":", 400, "request.malformed_json"},
      {"not an object", "POST", "/api/v1/users", "[1,2,3]", 400, "request.not_object"},
      {"wrong type", "POST", "/api/v1/users",
       R"({"kind":"citizen","login":6095001234,"full_name":"A","password":"mat-khau-du-dai"})", 400,
       "request.invalid_field"},
      {"missing field", "POST", "/api/v1/users", R"({"kind":"citizen"})", 400,
       "request.invalid_field"},
      {"invalid CCCD", "POST", "/api/v1/users",
       R"({"kind":"citizen","login":"123","full_name":"A","password":"mat-khau-du-dai"})", 400,
       "user.cccd_invalid"},
      {"invalid UTF-8", "POST", "/api/v1/users", invalid_utf8, 400, "request.invalid_utf8"},
      {"deep nesting", "POST", "/api/v1/users", std::string(200, '[') + std::string(200, ']'), 400,
       "request.malformed_json"},
      {"unknown route", "GET", "/api/v1/khong-co", "", 404, ""},
      {"wrong method", "DELETE", "/api/v1/auth/me", "", 405, ""},
      {"bad id", "GET", "/api/v1/users/abc", "", 400, "request.invalid_id"},
      {"bad year", "GET", "/api/v1/calendar/12345", "", 400, ""},
      // 2^32: narrowed to int before its check it was taken as offset 0.
      {"offset past int", "GET", "/api/v1/users?offset=4294967296", "", 400,
       "request.invalid_query"},
  };
  for (const Case& c : kCases) {
    Reply r = Call(c.method, c.target, auth, c.body);
    EXPECT_EQ(r.status, c.status) << c.name << ": " << r.body;
    auto o = Json(r);
    ASSERT_TRUE(o.contains("error")) << c.name << ": " << r.body;
    auto& e = o["error"].as_object();
    if (!c.code.empty()) {
      EXPECT_EQ(e["code"].as_string(), c.code) << c.name;
    }
    EXPECT_FALSE(e["message"].as_string().empty()) << c.name;
    EXPECT_FALSE(e["message_en"].as_string().empty()) << c.name;
    EXPECT_FALSE(e["request_id"].as_string().empty()) << c.name;
  }
  // Oversized body: 413, and the server keeps serving.
  Reply big = Call("POST", "/api/v1/users", auth, std::string(100 * 1024, ' '));
  EXPECT_EQ(big.status, 413);
  // Path traversal in static paths never reaches outside the web root.
  for (const char* target : {"/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd",
                             "/..%2f..%2fetc%2fpasswd", "/static/..\\..\\etc\\passwd"}) {
    Reply r = Call("GET", target);
    EXPECT_TRUE(r.status == 400 || r.status == 404) << target << " → " << r.status;
    EXPECT_EQ(r.body.find("root:"), std::string::npos) << target;
  }
  EXPECT_EQ(AuditCount(), audit_before) << "a refused request must change nothing";
  EXPECT_EQ(Call("GET", "/healthz").status, 200);
}

TEST_P(ServerE2eTest, CalendarOpenApiAndReadiness) {
  Reply cal = Call("GET", "/api/v1/calendar/2026");
  ASSERT_EQ(cal.status, 200) << cal.body;
  EXPECT_NE(cal.body.find("2026-02-17"), std::string::npos) << "Tết 2026";
  Reply ready = Call("GET", "/readyz");
  EXPECT_EQ(ready.status, 200);
  Reply spec = Call("GET", "/api/openapi.json");
  ASSERT_EQ(spec.status, 200);
  auto paths = Json(spec)["paths"].as_object();
  for (const auto& route : app_->router().routes()) {
    // OpenAPI writes a rest-of-path parameter "{name...}" as "{name}".
    std::string documented = route->path;
    if (const auto rest = documented.find("...}"); rest != std::string::npos) {
      documented.erase(rest, 3);
    }
    EXPECT_TRUE(paths.contains(documented)) << route->path << " missing from the OpenAPI document";
  }
  Reply metrics = Call("GET", "/metrics");
  EXPECT_NE(metrics.body.find("tinhso_http_requests_total"), std::string::npos);
}

TEST_P(ServerE2eTest, AdministratorsReadAndVerifyTheAuditLogOverHttp) {
  const std::string auth = "Authorization: Bearer " + LoginToken() + "\r\n";
  for (const char* login : {"006095001234", "019301004567"}) {
    Reply created = Call("POST", "/api/v1/users", auth + "Content-Type: application/json\r\n",
                         std::string(R"({"kind":"citizen","full_name":"Công dân","login":")") +
                             login + R"(","password":"mat-khau-du-dai"})");
    ASSERT_EQ(created.status, 201) << created.body;
  }
  Reply page1 = Call("GET", "/api/v1/audit?action=user.create&limit=2", auth);
  ASSERT_EQ(page1.status, 200) << page1.body;
  auto body = Json(page1);
  auto& items = body["items"].as_array();
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0].as_object().at("data").as_object().at("login").as_string(), "019301004567")
      << "newest first";
  ASSERT_TRUE(body["next_cursor"].is_int64());
  Reply page2 = Call("GET",
                     "/api/v1/audit?action=user.create&limit=2&cursor=" +
                         std::to_string(body["next_cursor"].as_int64()),
                     auth);
  ASSERT_EQ(page2.status, 200);
  auto body2 = Json(page2);
  auto& rest = body2["items"].as_array();
  ASSERT_EQ(rest.size(), 1u) << "the admin account created in SetUp";
  EXPECT_EQ(rest[0].as_object().at("data").as_object().at("login").as_string(), "quantri");
  Reply bad = Call("GET", "/api/v1/audit?limit=9999", auth);
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(ErrorCodeOf(bad), "request.invalid_query");
  Reply verify = Call("GET", "/api/v1/audit/verify", auth);
  ASSERT_EQ(verify.status, 200);
  EXPECT_TRUE(Json(verify)["intact"].as_bool());
  EXPECT_EQ(Json(verify)["checked"].as_int64(), 4) << "three accounts and one sign-in";
  // The sign-in is there, with the address it came from.
  Reply signins = Call("GET", "/api/v1/audit?action=auth.login", auth);
  ASSERT_EQ(signins.status, 200) << signins.body;
  auto signin_body = Json(signins);
  auto& signin_items = signin_body["items"].as_array();
  ASSERT_EQ(signin_items.size(), 1u) << signins.body;
  const auto& data = signin_items[0].as_object().at("data").as_object();
  EXPECT_EQ(data.at("login").as_string(), "quantri");
  EXPECT_EQ(data.at("source").as_string(), "127.0.0.1");
}

// Issue 15: any 8 bytes were accepted as a password, through every route that sets one.
TEST_P(ServerE2eTest, WeakPasswordsAreRefusedSayingWhy) {
  const std::string auth =
      "Authorization: Bearer " + LoginToken() + "\r\nContent-Type: application/json\r\n";
  const std::int64_t audit_before = AuditCount();
  const auto create = [&](std::string_view password) {
    return Call("POST", "/api/v1/users", auth,
                std::string(R"({"kind":"citizen","full_name":"Công dân","login":"006095001234",)") +
                    R"("password":")" + std::string(password) + "\"}");
  };
  Reply digits = create("12345678");
  EXPECT_EQ(digits.status, 400) << digits.body;
  EXPECT_EQ(ErrorCodeOf(digits), "auth.password_common");
  EXPECT_NE(Json(digits)["error"].as_object()["message"].as_string().find("Mật khẩu"),
            std::string::npos)
      << digits.body;
  Reply nul = create(R"(\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000)");
  EXPECT_EQ(ErrorCodeOf(nul), "auth.password_invalid_character") << nul.body;
  Reply login = create("006095001234");
  EXPECT_EQ(ErrorCodeOf(login), "auth.password_contains_login") << login.body;
  Reply reset = Call("POST", "/api/v1/users/1/password", auth, R"({"password":"quantri-2026"})");
  EXPECT_EQ(ErrorCodeOf(reset), "auth.password_contains_login") << reset.body;
  Reply same = Call("POST", "/api/v1/auth/password", auth,
                    R"({"current_password":"mat-khau-du-dai","new_password":"mat-khau-du-dai"})");
  EXPECT_EQ(same.status, 400) << same.body;
  EXPECT_EQ(ErrorCodeOf(same), "auth.password_reused");
  EXPECT_EQ(AuditCount(), audit_before) << "a refused password changes nothing";
}

// Issue 15: five wrong guesses locked any account for 15 minutes. Now a failed sign-in makes
// its address wait, answered at once with 429 and Retry-After (the server never sleeps), and an
// administrator can forget an account's failures.
TEST_P(ServerE2eTest, FailedSignInsAreThrottledWithRetryAfterAndAnAdministratorUnlocks) {
  AddUser(core::ActorKind::kCitizen, "006095001234");
  const std::string json = "Content-Type: application/json\r\n";
  const std::string wrong = R"({"login":"006095001234","password":"sai-mat-khau"})";
  const std::string right = R"({"login":"006095001234","password":"mat-khau-du-dai"})";
  Reply first = Call("POST", "/api/v1/auth/login", json, wrong);
  EXPECT_EQ(first.status, 401) << first.body;
  EXPECT_EQ(ErrorCodeOf(first), "auth.bad_credentials");
  Reply second = Call("POST", "/api/v1/auth/login", json, right);
  EXPECT_EQ(second.status, 429) << second.body;
  EXPECT_EQ(ErrorCodeOf(second), "auth.throttled");
  EXPECT_EQ(second.Header("retry-after"), "1");
  clock_.Advance(std::chrono::seconds(1));
  EXPECT_EQ(Call("POST", "/api/v1/auth/login", json, wrong).status, 401);
  Reply third = Call("POST", "/api/v1/auth/login", json, right);
  EXPECT_EQ(third.status, 429);
  EXPECT_EQ(third.Header("retry-after"), "2");
  // The administrator signs in from the same address: their own account is not held back.
  const std::string auth = "Authorization: Bearer " + LoginToken() + "\r\n";
  auto citizen = app_->accounts().FindByLogin("006095001234");
  ASSERT_TRUE(citizen.ok());
  const std::string unlock = "/api/v1/users/" + std::to_string(citizen->id) + "/unlock";
  Reply unlocked = Call("POST", unlock, auth);
  EXPECT_EQ(unlocked.status, 200) << unlocked.body;
  EXPECT_EQ(Call("POST", "/api/v1/auth/login", json, right).status, 200);
  EXPECT_EQ(Call("POST", "/api/v1/users/999999/unlock", auth).status, 404);
}

TINHSO_INSTANTIATE_BACKENDS(ServerE2eTest);

// ---- pki.read is scoped to the certificate's agency (issue 15) -------------------------------

// Two departments of one province, each with a leader; Sở Tư pháp's official and organisation
// certificates carry a registered signature image and seal.
class PkiReadTest : public ServerE2eTest {
 protected:
  Config MakeConfig() const override {
    Config c;
    const auto key = pki::NewMasterKey();
    c.pki_master_key =
        core::Base64Encode(std::string(reinterpret_cast<const char*>(key.data()), key.size()));
    return c;
  }

  void SetUp() override {
    ServerE2eTest::SetUp();
    auto agency = [&](const char* code, std::optional<std::int64_t> parent, const char* name,
                      const char* kind) -> std::int64_t {
      agencies::AgencyInput in;
      in.code = code;
      in.parent_id = parent;
      in.name = name;
      in.kind = kind;
      in.valid_from = std::chrono::year{2025} / 1 / 1;
      auto a = app_->agencies().Create(in, core::SystemActor());
      EXPECT_TRUE(a.ok()) << code << ": " << (a.ok() ? "" : a.error().message_en);
      return a.ok() ? a->id : 0;
    };
    province_ = agency("H55", std::nullopt, "Ủy ban nhân dân tỉnh Thái Nguyên", "province_pc");
    justice_ = agency("H55.03", province_, "Sở Tư pháp", "department");
    health_ = agency("H55.05", province_, "Sở Y tế", "department");
    AddUser(core::ActorKind::kOfficer, "giamdoc.tuphap", justice_, {"leader"});
    AddUser(core::ActorKind::kOfficer, "giamdoc.yte", health_, {"leader"});
    AddUser(core::ActorKind::kOfficer, "chutich.tinh", province_, {"leader"});
    ASSERT_TRUE(app_->pki().Init({}, core::SystemActor()).ok());
    const auto official_user = app_->accounts().FindByLogin("giamdoc.tuphap");
    ASSERT_TRUE(official_user.ok());
    official_ = Issue(pki::Kind::kOfficial, official_user->id, "Nguyễn Văn Minh");
    seal_ = Issue(pki::Kind::kOrganisation, 0, "Sở Tư pháp tỉnh Thái Nguyên");
    ASSERT_TRUE(
        app_->pki()
            .SetAppearance(official_, tinhso::test::SignaturePng(300, 120), core::SystemActor())
            .ok());
    ASSERT_TRUE(
        app_->pki().SetAppearance(seal_, tinhso::test::SealPng(200), core::SystemActor()).ok());
  }

  std::int64_t Issue(pki::Kind kind, std::int64_t user_id, const std::string& name) {
    return IssueCertificate(kind, justice_, user_id, name, "Sở Tư pháp tỉnh Thái Nguyên").id;
  }

  std::string BearerOf(const std::string& login) {
    auto s =
        app_->accounts().Login(login, "mat-khau-du-dai", auth::SessionKind::kBearer, "127.0.0.1");
    EXPECT_TRUE(s.ok()) << login;
    return "Authorization: Bearer " + (s.ok() ? s->token : std::string()) + "\r\n";
  }

  // The ids of the certificates a GET of `target` lists.
  std::set<std::int64_t> Listed(const std::string& target, const std::string& auth) {
    Reply r = Call("GET", target, auth);
    EXPECT_EQ(r.status, 200) << r.body;
    std::set<std::int64_t> ids;
    auto o = Json(r);
    if (!o.contains("items")) return ids;
    for (const auto& c : o["items"].as_array()) ids.insert(c.as_object().at("id").as_int64());
    return ids;
  }

  std::int64_t province_ = 0, justice_ = 0, health_ = 0, official_ = 0, seal_ = 0;
};

// Any leader could download every registered signature image and seal, and read every
// certificate: pki.read never looked at the certificate's agency.
TEST_P(PkiReadTest, ALeaderReadsOnlyTheCertificatesOfTheirAgencySubtree) {
  const std::string same = BearerOf("giamdoc.tuphap");
  const std::string other = BearerOf("giamdoc.yte");
  const std::string above = BearerOf("chutich.tinh");
  const std::string admin = "Authorization: Bearer " + LoginToken() + "\r\n";
  for (const std::int64_t id : {official_, seal_}) {
    const std::string certificate = "/api/v1/pki/certificates/" + std::to_string(id);
    SCOPED_TRACE(certificate);
    Reply mark = Call("GET", certificate + "/appearance", same);
    ASSERT_EQ(mark.status, 200) << mark.body;
    EXPECT_EQ(mark.Header("content-type"), "image/png");
    EXPECT_EQ(mark.Header("content-security-policy"), "sandbox") << "an uploaded image";
    EXPECT_EQ(Call("GET", certificate, same).status, 200);
    EXPECT_EQ(Call("GET", certificate + "/appearance", above).status, 200) << "the subtree";
    EXPECT_EQ(Call("GET", certificate + "/appearance", admin).status, 200);
    Reply refused = Call("GET", certificate + "/appearance", other);
    EXPECT_EQ(refused.status, 403) << refused.body.substr(0, 200);
    EXPECT_EQ(ErrorCodeOf(refused), "auth.forbidden");
    EXPECT_EQ(refused.body.find("PNG"), std::string::npos);
    EXPECT_EQ(Call("GET", certificate, other).status, 403);
  }
  // Lists are narrowed alike; the CAs' certificates are everyone's.
  const auto everything = Listed("/api/v1/pki/certificates?all=true", admin);
  const auto theirs = Listed("/api/v1/pki/certificates?all=true", same);
  const auto others = Listed("/api/v1/pki/certificates?all=true", other);
  EXPECT_TRUE(everything.count(official_) && everything.count(seal_));
  EXPECT_TRUE(theirs.count(official_) && theirs.count(seal_));
  EXPECT_FALSE(others.count(official_) || others.count(seal_));
  EXPECT_TRUE(
      Listed("/api/v1/pki/certificates?agency_id=" + std::to_string(justice_), other).empty());
  EXPECT_EQ(everything.size() - others.size(), 2u) << "the root and issuing CA stay listed";
  for (const std::int64_t ca : others) {
    EXPECT_EQ(Call("GET", "/api/v1/pki/certificates/" + std::to_string(ca), other).status, 200);
  }
  // The CA certificates and revocation lists stay public.
  EXPECT_EQ(Call("GET", "/api/v1/pki/ca").status, 200);
  bool crl_served = false;
  for (const std::int64_t ca : others) {
    crl_served |= Call("GET", "/api/v1/pki/crl/" + std::to_string(ca) + ".crl").status == 200;
  }
  EXPECT_TRUE(crl_served) << "the issuing CA's CRL, anonymously";
}

TINHSO_INSTANTIATE_BACKENDS(PkiReadTest);

// ---- /metrics is for operators (issue 15) -----------------------------------------------------

// A local reverse proxy the server trusts: a request it forwards for a remote client (named in
// X-Forwarded-For) is that client's.
class BehindProxyTest : public ServerE2eTest {
 protected:
  Config MakeConfig() const override {
    Config c;
    c.trusted_proxies = {"127.0.0.1"};
    return c;
  }
};

TEST_P(BehindProxyTest, MetricsAreForLocalClientsWithoutAToken) {
  const std::string remote = "X-Forwarded-For: 203.0.113.7\r\n";
  Reply refused = Call("GET", "/metrics", remote);
  EXPECT_EQ(refused.status, 403) << refused.body;
  EXPECT_EQ(ErrorCodeOf(refused), "http.metrics_forbidden");
  EXPECT_EQ(refused.body.find("tinhso_http_requests_total"), std::string::npos);
  Reply local = Call("GET", "/metrics");
  EXPECT_EQ(local.status, 200);
  EXPECT_NE(local.body.find("tinhso_http_requests_total"), std::string::npos);
}

TINHSO_INSTANTIATE_BACKENDS(BehindProxyTest);

// [server] metrics_token: the operators' Prometheus brings it, from anywhere; nobody else gets in,
// not even from this machine.
class MetricsTokenTest : public BehindProxyTest {
 protected:
  Config MakeConfig() const override {
    Config c = BehindProxyTest::MakeConfig();
    c.metrics_token = "mo-tu-van-hanh-0123456789";
    return c;
  }
};

TEST_P(MetricsTokenTest, MetricsNeedTheOperatorsToken) {
  // A request first, so that the request counter exists when the test runs alone (ctest).
  ASSERT_EQ(Call("GET", "/healthz", "").status, 200);
  const std::string remote = "X-Forwarded-For: 203.0.113.7\r\n";
  Reply served =
      Call("GET", "/metrics", remote + "Authorization: Bearer mo-tu-van-hanh-0123456789\r\n");
  EXPECT_EQ(served.status, 200) << served.body;
  EXPECT_NE(served.body.find("tinhso_http_requests_total"), std::string::npos);
  for (const std::string& headers :
       {remote, std::string(), remote + "Authorization: Bearer mo-tu-van-hanh-012345678\r\n",
        "Authorization: Bearer " + LoginToken() + "\r\n"}) {
    Reply r = Call("GET", "/metrics", headers);
    EXPECT_EQ(r.status, 401) << headers << r.body;
    EXPECT_EQ(ErrorCodeOf(r), "http.metrics_token") << headers;
  }
}

TINHSO_INSTANTIATE_BACKENDS(MetricsTokenTest);

// ---- Secure cookies behind a TLS proxy (issue 15) ---------------------------------------------

// The cookies a response sets, one "name=value; attributes" per entry.
std::vector<std::string> SetCookies(const Reply& r) {
  std::vector<std::string> cookies;
  const std::string all = r.Header("set-cookie");
  for (std::size_t start = 0; start < all.size();) {
    const std::size_t end = all.find('\n', start);
    cookies.push_back(all.substr(start, end - start));
    start = end == std::string::npos ? all.size() : end + 1;
  }
  return cookies;
}

constexpr std::string_view kCookieSignIn = R"({"login":"quantri","password":"mat-khau-du-dai"})";

TEST_P(BehindProxyTest, ATrustedProxysHttpsMakesCookiesSecure) {
  const std::string json = "Content-Type: application/json\r\n";
  Reply https =
      Call("POST", "/api/v1/auth/login", json + "X-Forwarded-Proto: https\r\n", kCookieSignIn);
  ASSERT_EQ(https.status, 200) << https.body;
  ASSERT_EQ(SetCookies(https).size(), 2u) << "the session and the CSRF cookie";
  for (const auto& cookie : SetCookies(https)) {
    EXPECT_NE(cookie.find("; Secure"), std::string::npos) << cookie;
  }
  const std::string session = "Cookie: tinhso_session=" +
                              SetCookies(https)[0].substr(15, SetCookies(https)[0].find(';') - 15) +
                              "\r\n";
  Reply out = Call("POST", "/api/v1/auth/logout",
                   session + "X-Forwarded-Proto: https\r\nX-CSRF-Token: " +
                       std::string(Json(https)["csrf_token"].as_string()) + "\r\n");
  EXPECT_EQ(out.status, 200) << out.body;
  for (const auto& cookie : SetCookies(out)) {
    EXPECT_NE(cookie.find("; Secure"), std::string::npos) << "cleared alike: " << cookie;
  }
  Reply http =
      Call("POST", "/api/v1/auth/login", json + "X-Forwarded-Proto: http\r\n", kCookieSignIn);
  ASSERT_EQ(http.status, 200) << http.body;
  for (const auto& cookie : SetCookies(http)) {
    EXPECT_EQ(cookie.find("; Secure"), std::string::npos) << cookie;
  }
}

// Without trusted_proxies anyone could send the header: it is ignored.
TEST_P(ServerE2eTest, AnUntrustedPeersForwardedProtoIsIgnored) {
  Reply r = Call("POST", "/api/v1/auth/login",
                 "Content-Type: application/json\r\nX-Forwarded-Proto: https\r\n", kCookieSignIn);
  ASSERT_EQ(r.status, 200) << r.body;
  ASSERT_EQ(SetCookies(r).size(), 2u);
  for (const auto& cookie : SetCookies(r)) {
    EXPECT_EQ(cookie.find("; Secure"), std::string::npos) << cookie;
  }
}

// ---- Idle expiry of browser sessions (issue 15) -----------------------------------------------

// The Cookie header that sends back the session a cookie sign-in set.
std::string SessionCookie(const Reply& login) {
  const std::string all = login.Header("set-cookie");
  const std::size_t start = all.find("tinhso_session=");
  if (start == std::string::npos) return "";
  return "Cookie: " + all.substr(start, all.find(';', start) - start) + "\r\n";
}

TEST_P(ServerE2eTest, ABrowserSessionEndsAfterThirtyIdleMinutesAnApiTokenDoesNot) {
  using std::chrono::minutes;
  using std::chrono::seconds;
  const std::string token = "Authorization: Bearer " + LoginToken() + "\r\n";
  const std::string cookie = SessionCookie(
      Call("POST", "/api/v1/auth/login", "Content-Type: application/json\r\n", kCookieSignIn));
  ASSERT_FALSE(cookie.empty());
  auto me = [&](const std::string& who) { return Call("GET", "/api/v1/auth/me", who).status; };
  auto last_seen = [&]() -> std::int64_t {
    auto tx = db().Begin(storage::TxKind::kReadOnly);
    EXPECT_TRUE(tx.ok());
    if (!tx.ok()) return -1;
    auto rows = (*tx)->Query("SELECT last_seen_at FROM sessions WHERE kind = 'cookie'");
    EXPECT_TRUE(rows.ok() && rows->size() == 1);
    return rows.ok() && rows->size() == 1 ? (*rows)[0].OptionalInt(0).value_or(-1) : -1;
  };
  const std::int64_t signed_in = last_seen();
  EXPECT_EQ(signed_in, clock_.Now().time_since_epoch().count());

  // Use is written at most once a minute, whether the guard's 30-second cache answers or not.
  clock_.Advance(seconds(10));  // read from the database, then cached
  EXPECT_EQ(me(cookie), 200);
  clock_.Advance(seconds(40));  // the cache has expired: read again
  EXPECT_EQ(me(cookie), 200);
  EXPECT_EQ(last_seen(), signed_in) << "50 s after the last write";
  clock_.Advance(seconds(15));  // from the cache, 65 s after the last write
  EXPECT_EQ(me(cookie), 200);
  EXPECT_EQ(last_seen(), signed_in + 65);
  clock_.Advance(seconds(10));
  EXPECT_EQ(me(cookie), 200);
  EXPECT_EQ(last_seen(), signed_in + 65);

  // Thirty minutes without use end it, though its twelve hours are far from over.
  clock_.Advance(minutes(30) - seconds(11));  // 30 min − 1 s after the last recorded use
  EXPECT_EQ(me(cookie), 200);
  clock_.Advance(minutes(30));
  Reply ended = Call("GET", "/api/v1/auth/me", cookie);
  EXPECT_EQ(ended.status, 401) << ended.body;
  EXPECT_EQ(ErrorCodeOf(ended), "auth.session_invalid");
  EXPECT_EQ(me(cookie), 401) << "and it stays ended";

  // A program's API token, unused for an hour and more, keeps its 30 days.
  clock_.Advance(minutes(90));
  EXPECT_EQ(me(token), 200);
}

TEST_P(ServerE2eTest, ABrowserSessionInUseStillEndsAfterItsLifetime) {
  const std::string cookie = SessionCookie(
      Call("POST", "/api/v1/auth/login", "Content-Type: application/json\r\n", kCookieSignIn));
  ASSERT_FALSE(cookie.empty());
  for (int i = 1; i < 36; ++i) {  // used every 20 minutes, for 11 h 40 min
    clock_.Advance(std::chrono::minutes(20));
    ASSERT_EQ(Call("GET", "/api/v1/auth/me", cookie).status, 200) << i * 20 << " min";
  }
  clock_.Advance(std::chrono::minutes(20));  // 12 hours after signing in
  EXPECT_EQ(Call("GET", "/api/v1/auth/me", cookie).status, 401);
}

}  // namespace
}  // namespace tinhso::app
