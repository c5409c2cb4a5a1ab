// End-to-end tests: a real Server on 127.0.0.1:0 in a thread, spoken to over raw sockets. No
// sleeps: waits are blocking socket reads, promises, or the server's own timeouts.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/resource.h>
#include <unistd.h>

#include <boost/json/parse.hpp>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <future>
#include <iomanip>
#include <mutex>
#include <regex>
#include <sstream>
#include <thread>
#include <vector>

#include "http/http.hpp"
#include "http/test_util.hpp"

namespace tinhso::http {
namespace {

using test::Client;
using test::RawRequest;
using test::Reply;

// Admits everyone, except requests carrying "x-test-deny"; "x-test-user: N" becomes user N.
class StubGuard final : public Guard {
 public:
  Result<core::Actor> Admit(const Request& request, const Route&) override {
    ++calls;
    if (!request.Header("x-test-deny").empty()) {
      return MakeError(ErrorCode::kPermissionDenied, "auth.denied", "Không có quyền.",
                       "Permission denied.", "stub guard");
    }
    core::Actor actor;
    if (auto user = request.Header("x-test-user"); !user.empty()) {
      actor.kind = core::ActorKind::kOfficer;
      actor.user_id = std::stoll(std::string(user));
    }
    return actor;
  }
  std::atomic<int> calls{0};
};

class ServerTest : public ::testing::Test {
 protected:
  ServerTest() {
    router_.Add({.method = Method::kGet,
                 .path = "/api/v1/items/{id}",
                 .action = "item.read",
                 .handler = [](const Request& r, Context& c) -> Result<Response> {
                   std::string body = R"({"id":")" + std::string(c.Param("id")) + R"(","q":")" +
                                      r.Query("q").value_or("") + R"(","user":)" +
                                      std::to_string(c.actor.user_id) + "}";
                   return JsonResponse(200, body);
                 }});
    router_.Add({.method = Method::kPost,
                 .path = "/api/v1/echo",
                 .action = "echo",
                 .handler = [](const Request& r, Context&) -> Result<Response> {
                   Response response;
                   response.content_type = "text/plain; charset=utf-8";
                   response.body = r.body;
                   return response;
                 }});
    router_.Add({.method = Method::kPost,
                 .path = "/api/v1/files",
                 .action = "file.upload",
                 .handler = [this](const Request& r, Context&) -> Result<Response> {
                   ++upload_calls_;
                   // Sum the bytes to prove the handler sees the whole upload, wherever it is.
                   auto body = RequestBody(r, 16 << 20);
                   if (!body.ok()) return body.error();
                   std::uint64_t sum = 0;
                   for (char c : *body) sum += static_cast<unsigned char>(c);
                   return JsonResponse(200, R"({"path":")" + r.upload_path + R"(","size":)" +
                                                std::to_string(body->size()) + R"(,"sum":)" +
                                                std::to_string(sum) + "}");
                 },
                 .upload = true});
    router_.Add({.method = Method::kGet,
                 .path = "/api/v1/boom",
                 .action = "boom",
                 .handler = [](const Request&, Context&) -> Result<Response> {
                   throw std::runtime_error("kaboom: secret detail");
                 }});
    router_.Add({.method = Method::kGet,
                 .path = "/api/v1/conflict",
                 .action = "conflict",
                 .handler = [](const Request&, Context&) -> Result<Response> {
                   return MakeError(ErrorCode::kConflict, "item.stale", "Dữ liệu đã thay đổi.",
                                    "The item changed.", "version 3 != 4");
                 }});
    router_.Add({.method = Method::kGet,
                 .path = "/api/v1/slow",
                 .action = "slow",
                 .handler = [this](const Request&, Context&) -> Result<Response> {
                   entered_.set_value();
                   release_.get_future().wait();
                   return JsonResponse(200, R"({"slow":"done"})");
                 }});
    // Costly anonymous work (a login's password hash, a verification): blocks until released.
    router_.Add({.method = Method::kGet,
                 .path = "/api/v1/costly",
                 .action = "costly",
                 .handler = [this](const Request&, Context&) -> Result<Response> {
                   costly_released_.wait();
                   return JsonResponse(200, R"({"costly":"done"})");
                 },
                 .costly = true});
    // The scheduling priority (nice value) of the thread a handler runs on.
    auto nice_here = [](const Request&, Context&) -> Result<Response> {
      const int nice = getpriority(PRIO_PROCESS, static_cast<id_t>(gettid()));
      return JsonResponse(200, "{\"nice\":" + std::to_string(nice) + "}");
    };
    router_.Add({.method = Method::kGet,
                 .path = "/api/v1/costly-nice",
                 .action = "costly",
                 .handler = nice_here,
                 .costly = true});
    router_.Add(
        {.method = Method::kGet, .path = "/api/v1/nice", .action = "read", .handler = nice_here});
    router_.Add({.method = Method::kGet,
                 .path = "/api/v1/whoami",
                 .action = "whoami",
                 .handler = [](const Request& r, Context&) -> Result<Response> {
                   return JsonResponse(200, R"({"ip":")" + r.client_ip + "\"}");
                 }});
    // Answers from another thread, as the database's would; `mode` picks how.
    router_.Add({.method = Method::kGet,
                 .path = "/api/v1/later/{mode}",
                 .action = "later",
                 .handler = [](const Request&, Context&) -> Result<Response> {
                   return JsonResponse(200, R"({"via":"handler"})");
                 },
                 .async_handler =
                     [this](const Request& r, Context& c, Responder respond) {
                       const std::string mode(c.Param("mode"));
                       if (mode == "throw") throw std::runtime_error("kaboom: secret detail");
                       std::string body = R"({"via":"async","user":)" +
                                          std::to_string(c.actor.user_id) + R"(,"q":")" +
                                          r.Query("q").value_or("") + "\"}";
                       std::lock_guard lock(responders_mu_);
                       responders_.emplace_back([mode, body, respond = std::move(respond)] {
                         if (mode == "drop") return;
                         if (mode == "error") {
                           respond(MakeError(ErrorCode::kConflict, "item.stale",
                                             "Dữ liệu đã thay đổi.", "The item changed."));
                         } else {
                           respond(JsonResponse(200, body));
                         }
                         respond(JsonResponse(299, "{}"));  // a second answer is ignored
                       });
                     }});
    RegisterBuiltinRoutes(router_, {});

    // The static root is work_/web; the secret sits next to it, outside the root.
    work_.Write("web/index.html", "<!doctype html><title>tinhso</title>");
    work_.Write("web/assets/app-1.js", "console.log('tinhso')");
    work_.Write("outside-secret.txt", "TOP SECRET");
    std::filesystem::create_symlink(work_.path() / "outside-secret.txt",
                                    work_.path() / "web/link.txt");
  }

  ServerOptions Options() {
    ServerOptions o;
    o.host = "127.0.0.1";
    o.port = 0;
    o.io_threads = 2;
    o.worker_threads = 2;
    o.upload_dir = (work_.path() / "uploads").string();
    o.static_dir = (work_.path() / "web").string();
    o.access_log_path = (work_.path() / "access.log").string();
    o.handle_signals = false;
    return o;
  }

  void Start(ServerOptions options) {
    server_ = std::make_unique<Server>(router_, guard_, std::move(options));
    auto started = server_->Start();
    ASSERT_TRUE(started.ok()) << started.error().detail;
    port_ = server_->port();
    ASSERT_NE(port_, 0);
    thread_ = std::thread([this] { server_->Run(); });
  }

  void StopAndJoin() {
    if (!server_) return;
    server_->Stop();
    thread_.join();
    server_.reset();  // flushes the access log
  }

  void TearDown() override {
    {
      std::lock_guard lock(responders_mu_);
      for (auto& t : responders_) t.join();
    }
    // A test that failed half-way must not leave the slow handler blocking a worker for ever.
    try {
      release_.set_value();
    } catch (const std::future_error&) {
    }
    try {
      costly_release_.set_value();
    } catch (const std::future_error&) {
    }
    StopAndJoin();
  }

  static boost::json::value Json(const Reply& r) { return boost::json::parse(r.body); }

  // The one error shape, with the request id the response header carries.
  static void ExpectJsonError(const Reply& r, int status, std::string_view code) {
    EXPECT_EQ(r.status, status);
    EXPECT_EQ(r.Header("content-type"), "application/json; charset=utf-8");
    const auto v = Json(r);
    const auto& e = v.at("error").as_object();
    EXPECT_EQ(e.at("code").as_string(), code);
    EXPECT_FALSE(e.at("message").as_string().empty());
    EXPECT_FALSE(e.at("message_en").as_string().empty());
    EXPECT_EQ(e.at("request_id").as_string(), r.Header("x-request-id"));
  }

  test::TempDir work_;
  Router router_;
  StubGuard guard_;
  std::unique_ptr<Server> server_;
  std::thread thread_;
  unsigned short port_ = 0;
  std::atomic<int> upload_calls_{0};
  std::promise<void> entered_;
  std::promise<void> release_;
  std::promise<void> costly_release_;
  std::shared_future<void> costly_released_ = costly_release_.get_future().share();
  std::mutex responders_mu_;
  std::vector<std::thread> responders_;  // guarded by responders_mu_
};

TEST_F(ServerTest, KeepAliveServesTwoRequestsOnOneConnection) {
  Start(Options());
  Client c(port_);
  ASSERT_TRUE(c.connected());
  Reply a = c.Call("GET", "/api/v1/items/7?q=xin%20ch%C3%A0o");
  EXPECT_EQ(a.status, 200);
  EXPECT_EQ(a.body, R"({"id":"7","q":"xin chào","user":0})");
  EXPECT_EQ(a.Header("x-content-type-options"), "nosniff");
  EXPECT_EQ(a.Header("x-frame-options"), "DENY");
  EXPECT_FALSE(a.Header("referrer-policy").empty());
  EXPECT_EQ(a.Header("cache-control"), "no-store") << "API answers are not cached";
  EXPECT_EQ(a.Header("x-request-id").size(), 32u);

  Reply b = c.Call("GET", "/api/v1/items/8?q=a+b", "X-Request-Id: my-trace.42\r\n");
  EXPECT_EQ(b.status, 200);
  EXPECT_EQ(b.body, R"({"id":"8","q":"a b","user":0})");
  EXPECT_EQ(b.Header("x-request-id"), "my-trace.42") << "a sane client id is kept";

  Reply d = c.Call("GET", "/healthz", "X-Request-Id: bad id with spaces\r\n");
  EXPECT_EQ(d.status, 200);
  EXPECT_EQ(d.body, R"({"status":"ok"})");
  EXPECT_NE(d.Header("x-request-id"), "bad id with spaces");
}

TEST_F(ServerTest, PipelinedRequestsAnswerInOrder) {
  Start(Options());
  Client c(port_);
  ASSERT_TRUE(c.Send(RawRequest("GET", "/api/v1/items/1") +
                     RawRequest("POST", "/api/v1/echo", "", "hello") +
                     RawRequest("GET", "/api/v1/items/3")));
  EXPECT_EQ(c.Read().body, R"({"id":"1","q":"","user":0})");
  EXPECT_EQ(c.Read().body, "hello");
  EXPECT_EQ(c.Read().body, R"({"id":"3","q":"","user":0})");
}

TEST_F(ServerTest, NotFoundAndMethodNotAllowedAreJson) {
  Start(Options());
  Client c(port_);
  Reply r = c.Call("GET", "/api/v1/nothing");
  ExpectJsonError(r, 404, "http.not_found");
  r = c.Call("DELETE", "/api/v1/items/1");
  ExpectJsonError(r, 405, "http.method_not_allowed");
  EXPECT_EQ(r.Header("allow"), "GET, HEAD");
  // Static files answer GET and HEAD only.
  ExpectJsonError(c.Call("POST", "/index.html"), 404, "http.not_found");
  const std::size_t get_size = c.Call("GET", "/api/v1/items/5").body.size();
  r = c.Call("HEAD", "/api/v1/items/5");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.Header("content-length"), std::to_string(get_size))
      << "HEAD announces the GET body's length";
  EXPECT_EQ(c.Call("GET", "/healthz").status, 200) << "still in sync after the HEAD";
}

// A method implemented nowhere is 501 on any path, known or not, API or static; 405 is only for
// a known method on a path that has others, and always lists them in Allow.
TEST_F(ServerTest, UnknownMethodsAre501AndEvery405CarriesAllow) {
  Start(Options());
  Client c(port_);
  for (const char* method : {"TRACE", "PROPFIND", "CONNECT", "BREW"}) {
    for (const char* path : {"/api/v1/items/1", "/api/v1/nothing", "/index.html", "/"}) {
      SCOPED_TRACE(std::string(method) + " " + path);
      const Reply r = c.Call(method, path);
      ExpectJsonError(r, 501, "http.not_implemented");
      EXPECT_EQ(r.Header("allow"), "");
    }
  }
  Reply r = c.Call("POST", "/api/v1/items/1");
  ExpectJsonError(r, 405, "http.method_not_allowed");
  EXPECT_EQ(r.Header("allow"), "GET, HEAD");
  r = c.Call("PUT", "/api/v1/echo");
  ExpectJsonError(r, 405, "http.method_not_allowed");
  EXPECT_EQ(r.Header("allow"), "POST");
  ExpectJsonError(c.Call("PUT", "/api/v1/nothing"), 404, "http.not_found");
  EXPECT_EQ(c.Call("GET", "/healthz").status, 200) << "the connection is still usable";
}

TEST_F(ServerTest, HandlerErrorsUseTheTable) {
  Start(Options());
  Client c(port_);
  Reply r = c.Call("GET", "/api/v1/conflict");
  ExpectJsonError(r, 409, "item.stale");
  EXPECT_EQ(r.body.find("version 3"), std::string::npos) << "detail stays in the log";
  r = c.Call("GET", "/api/v1/items/1", "x-test-deny: 1\r\n");
  ExpectJsonError(r, 403, "auth.denied");
}

TEST_F(ServerTest, MalformedRequestIs400) {
  Start(Options());
  Client c(port_);
  ASSERT_TRUE(c.Send("GARBAGE\r\n\r\n"));
  ExpectJsonError(c.Read(), 400, "http.bad_request");
  EXPECT_TRUE(c.ClosedByServer());

  Client d(port_);
  ASSERT_TRUE(d.Send("GET /api/v1/items/1 HTTP/1.1\r\nHost: t\r\nBad Header: x\r\n\r\n"));
  ExpectJsonError(d.Read(), 400, "http.bad_request");
  EXPECT_TRUE(d.ClosedByServer());
}

TEST_F(ServerTest, OversizedHeaderIs431) {
  ServerOptions o = Options();
  o.header_limit = 1024;
  Start(o);
  Client c(port_);
  Reply r = c.Call("GET", "/api/v1/items/1", "Cookie: " + std::string(4000, 'a') + "\r\n");
  ExpectJsonError(r, 431, "http.header_too_large");
  EXPECT_TRUE(c.ClosedByServer());
}

TEST_F(ServerTest, OversizedBodyIs413) {
  ServerOptions o = Options();
  o.body_limit = 1024;
  Start(o);
  {
    // Declared too large: refused from the header alone, before any body byte is read.
    Client c(port_);
    ASSERT_TRUE(c.Send("POST /api/v1/echo HTTP/1.1\r\nHost: t\r\nContent-Length: 5000\r\n\r\n"));
    ExpectJsonError(c.Read(), 413, "http.payload_too_large");
    EXPECT_TRUE(c.ClosedByServer());
  }
  {
    // Chunked, so no length up front: refused when the limit is crossed.
    Client c(port_);
    const std::string chunk(800, 'x');
    std::ostringstream body;
    body << std::hex << chunk.size() << "\r\n"
         << chunk << "\r\n"
         << chunk.size() << "\r\n"
         << chunk << "\r\n0\r\n\r\n";
    ASSERT_TRUE(
        c.Send("POST /api/v1/echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n" +
               body.str()));
    ExpectJsonError(c.Read(), 413, "http.payload_too_large");
  }
  {
    Client c(port_);
    Reply r = c.Call("POST", "/api/v1/echo", "", std::string(1024, 'y'));
    EXPECT_EQ(r.status, 200) << "exactly at the limit is fine";
    EXPECT_EQ(r.body.size(), 1024u);
  }
}

TEST_F(ServerTest, UploadStreamsToATemporaryFile) {
  ServerOptions o = Options();
  o.body_limit = 1 << 20;
  o.upload_limit = 8 << 20;
  Start(o);
  std::string payload(5 << 20, '\0');
  std::uint64_t expected_sum = 0;
  for (std::size_t i = 0; i < payload.size(); ++i) {
    payload[i] = static_cast<char>(i * 31 % 251);
    expected_sum += static_cast<unsigned char>(payload[i]);
  }
  Client c(port_);
  Reply r = c.Call("POST", "/api/v1/files", "Expect: 100-continue\r\n", payload);
  ASSERT_EQ(r.status, 100) << "interim answer to Expect: 100-continue";
  r = c.Read();
  ASSERT_EQ(r.status, 200) << r.body;
  const auto v = Json(r);
  EXPECT_EQ(v.at("size").as_int64(), 5 << 20);
  EXPECT_EQ(v.at("sum").as_int64(), static_cast<std::int64_t>(expected_sum));
  const std::filesystem::path upload(std::string(v.at("path").as_string()));
  EXPECT_EQ(upload.parent_path(), std::filesystem::path(o.upload_dir));

  // The next request on the connection starts after the previous exchange has ended, and with
  // it the temporary file.
  EXPECT_EQ(c.Call("GET", "/healthz").status, 200);
  EXPECT_FALSE(std::filesystem::exists(upload)) << "temporary upload deleted after the handler";

  // Over the upload limit: refused before the handler, no file left behind.
  Client big(port_);
  ASSERT_TRUE(big.Send("POST /api/v1/files HTTP/1.1\r\nHost: t\r\nContent-Length: " +
                       std::to_string(9 << 20) + "\r\n\r\n"));
  ExpectJsonError(big.Read(), 413, "http.payload_too_large");
  EXPECT_EQ(upload_calls_, 1);
  EXPECT_TRUE(std::filesystem::is_empty(o.upload_dir));
}

TEST_F(ServerTest, SmallUploadsStayInMemory) {
  ServerOptions o = Options();
  o.body_limit = 1 << 20;
  Start(o);
  const std::string payload(1000, 'x');
  Client c(port_);
  Reply r = c.Call("POST", "/api/v1/files", "", payload);
  ASSERT_EQ(r.status, 200) << r.body;
  const auto v = Json(r);
  EXPECT_EQ(v.at("path").as_string(), "") << "no temporary file under the body limit";
  EXPECT_EQ(v.at("size").as_int64(), 1000);
  EXPECT_EQ(v.at("sum").as_int64(), 1000 * 'x');
  EXPECT_FALSE(std::filesystem::exists(o.upload_dir) && !std::filesystem::is_empty(o.upload_dir));

  // Chunked, the length is unknown until the end: it goes to a file, whatever its size.
  ASSERT_TRUE(
      c.Send("POST /api/v1/files HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
             "5\r\nhello\r\n0\r\n\r\n"));
  r = c.Read();
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_NE(Json(r).at("path").as_string(), "");
  EXPECT_EQ(Json(r).at("size").as_int64(), 5);
}

TEST_F(ServerTest, GuardRunsBeforeAnUploadIsRead) {
  Start(Options());
  Client c(port_);
  ASSERT_TRUE(
      c.Send("POST /api/v1/files HTTP/1.1\r\nHost: t\r\nx-test-deny: 1\r\n"
             "Content-Length: 1000000\r\n\r\n"));
  ExpectJsonError(c.Read(), 403, "auth.denied");
  EXPECT_EQ(upload_calls_, 0);
}

TEST_F(ServerTest, SlowClientGets408WhileOthersAreServed) {
  ServerOptions o = Options();
  o.read_timeout = std::chrono::seconds(1);
  Start(o);
  Client slow(port_);
  ASSERT_TRUE(slow.Send("GET /api/v1/items/1 HTTP/1.1\r\nHost: t\r\n"));  // half a request
  Client other(port_);
  EXPECT_EQ(other.Call("GET", "/api/v1/items/2").status, 200) << "served meanwhile";
  // Blocks until the server's read_timeout fires.
  ExpectJsonError(slow.Read(), 408, "http.timeout");
  EXPECT_TRUE(slow.ClosedByServer());
  EXPECT_EQ(other.Call("GET", "/api/v1/items/3").status, 200) << "still serving";
}

TEST_F(ServerTest, SigtermStopsTheServerGracefully) {
  ServerOptions o = Options();
  o.handle_signals = true;
  Start(o);
  // A served request proves Run() has installed its signal handler (it does so first).
  Client c(port_);
  ASSERT_EQ(c.Call("GET", "/healthz").status, 200);
  // Without the handler SIGTERM's default action ends this whole test process: a failure no
  // assertion could miss. With it, Run() drains and returns on its own, without Stop().
  ASSERT_EQ(::kill(::getpid(), SIGTERM), 0);
  thread_.join();
  server_.reset();
  Client after(port_);
  EXPECT_FALSE(after.connected() && after.Call("GET", "/healthz").status == 200);
}

TEST_F(ServerTest, IdleKeepAliveConnectionIsClosedQuietly) {
  ServerOptions o = Options();
  o.idle_timeout = std::chrono::seconds(1);
  Start(o);
  Client c(port_);
  EXPECT_EQ(c.Call("GET", "/healthz").status, 200);
  // Blocks until idle_timeout: no 408 for a connection with no request in progress.
  EXPECT_TRUE(c.ClosedByServer());
}

TEST_F(ServerTest, ABusyKeepAliveConnectionOutlivesItsFirstDeadline) {
  // Each request moves the connection's deadline later without touching its timer wait, which
  // then fires at the first deadline and must wait again rather than close the connection.
  ServerOptions o = Options();
  o.idle_timeout = std::chrono::seconds(1);
  o.read_timeout = std::chrono::seconds(1);
  Start(o);
  Client c(port_);
  EXPECT_EQ(c.Call("GET", "/healthz").status, 200);
  for (int i = 0; i < 2; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(600));
    EXPECT_EQ(c.Call("GET", "/healthz").status, 200) << "request " << i + 2;
  }
  EXPECT_TRUE(c.ClosedByServer()) << "and it still closes once idle for idle_timeout";
}

TEST_F(ServerTest, ForwardedForIsBelievedOnlyFromTrustedProxies) {
  ServerOptions o = Options();
  Start(o);
  Client direct(port_);
  EXPECT_EQ(direct.Call("GET", "/api/v1/whoami", "X-Forwarded-For: 203.0.113.9\r\n").body,
            R"({"ip":"127.0.0.1"})")
      << "an untrusted peer cannot choose its IP (and so its rate-limit bucket)";
  StopAndJoin();

  o.trusted_proxies = {"127.0.0.1"};
  Start(o);
  Client proxied(port_);
  EXPECT_EQ(proxied
                .Call("GET", "/api/v1/whoami",
                      "X-Forwarded-For: 198.51.100.1, 203.0.113.9, 127.0.0.1\r\n")
                .body,
            R"({"ip":"203.0.113.9"})")
      << "the nearest hop that is not a trusted proxy";
  EXPECT_EQ(proxied.Call("GET", "/api/v1/whoami", "X-Forwarded-For: garbage\r\n").body,
            R"({"ip":"127.0.0.1"})");
}

TEST_F(ServerTest, RequestSmugglingShapesAreRefused) {
  Start(Options());
  Client c(port_);
  ASSERT_TRUE(
      c.Send("POST /api/v1/echo HTTP/1.1\r\nHost: t\r\nContent-Length: 4\r\n"
             "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n"));
  ExpectJsonError(c.Read(), 400, "http.bad_request");
  Client d(port_);
  ASSERT_TRUE(
      d.Send("POST /api/v1/echo HTTP/1.1\r\nHost: t\r\nContent-Length: 4\r\n"
             "Content-Length: 5\r\n\r\nabcde"));
  ExpectJsonError(d.Read(), 400, "http.bad_request");
}

TEST_F(ServerTest, RateLimitAnswers429WithRetryAfter) {
  ServerOptions o = Options();
  o.rate_per_second = 0.01;
  o.rate_burst = 2;
  Start(o);
  Client c(port_);
  EXPECT_EQ(c.Call("GET", "/healthz").status, 200);
  EXPECT_EQ(c.Call("GET", "/healthz").status, 200);
  Reply r = c.Call("GET", "/healthz");
  ExpectJsonError(r, 429, "http.rate_limited");
  EXPECT_EQ(r.Header("retry-after"), "100");
}

TEST_F(ServerTest, HandlerExceptionIs500AndTheServerGoesOn) {
  Start(Options());
  Client c(port_);
  Reply r = c.Call("GET", "/api/v1/boom", "X-Request-Id: boom-1\r\n");
  ExpectJsonError(r, 500, "internal");
  EXPECT_EQ(Json(r).at("error").at("request_id").as_string(), "boom-1");
  EXPECT_EQ(r.body.find("kaboom"), std::string::npos) << "exception text stays in the log";
  EXPECT_EQ(c.Call("GET", "/api/v1/items/1").status, 200) << "same connection still works";
  Client d(port_);
  EXPECT_EQ(d.Call("GET", "/healthz").status, 200);
}

TEST_F(ServerTest, AsyncHandlersAnswerFromAnotherThread) {
  ServerOptions options = Options();
  options.async_handlers = true;
  Start(std::move(options));
  Client c(port_);
  for (int i = 0; i < 3; ++i) {  // keep-alive: the connection goes on after each answer
    Reply r = c.Call("GET", "/api/v1/later/ok?q=" + std::to_string(i), "X-Test-User: 7\r\n");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.body, R"({"via":"async","user":7,"q":")" + std::to_string(i) + "\"}");
    EXPECT_FALSE(r.Header("x-request-id").empty());
  }
  // With credentials the guard runs on a worker; the answer is the same.
  const int guard_calls = guard_.calls;
  Reply r = c.Call("GET", "/api/v1/later/ok", "Authorization: Bearer x\r\nX-Test-User: 8\r\n");
  EXPECT_EQ(r.body, R"({"via":"async","user":8,"q":""})");
  EXPECT_EQ(guard_.calls, guard_calls + 1);
  ExpectJsonError(c.Call("GET", "/api/v1/later/ok", "X-Test-Deny: 1\r\n"), 403, "auth.denied");
}

TEST_F(ServerTest, AsyncHandlerFailuresBecomeJsonErrors) {
  ServerOptions options = Options();
  options.async_handlers = true;
  Start(std::move(options));
  Client c(port_);
  ExpectJsonError(c.Call("GET", "/api/v1/later/error"), 409, "item.stale");
  Reply thrown = c.Call("GET", "/api/v1/later/throw");
  ExpectJsonError(thrown, 500, "internal");
  EXPECT_EQ(thrown.body.find("kaboom"), std::string::npos);
  // A handler that drops its responder unanswered: a 500, not a connection that hangs.
  ExpectJsonError(c.Call("GET", "/api/v1/later/drop"), 500, "internal");
  EXPECT_EQ(c.Call("GET", "/api/v1/later/ok").status, 200) << "same connection still works";
}

TEST_F(ServerTest, AsyncHandlersAreUsedOnlyWhenTurnedOn) {
  Start(Options());
  Client c(port_);
  EXPECT_EQ(c.Call("GET", "/api/v1/later/ok").body, R"({"via":"handler"})");
}

TEST_F(ServerTest, PathTraversalIsRefused) {
  Start(Options());
  const char* kTargets[] = {
      "/../outside-secret.txt",
      "/%2e%2e/outside-secret.txt",
      "/assets/..%2f..%2foutside-secret.txt",
      "/%2E%2E%5Coutside-secret.txt",
      "/index.html%00.js",
      "/link.txt",
      "/a\\..\\outside-secret.txt",
  };
  for (const char* target : kTargets) {
    Client c(port_);
    Reply r = c.Call("GET", target);
    EXPECT_TRUE(r.status == 400 || r.status == 404) << target << " → " << r.status;
    EXPECT_EQ(r.body.find("TOP SECRET"), std::string::npos) << target;
    EXPECT_NE(r.body.find("\"error\""), std::string::npos) << target;
  }
}

TEST_F(ServerTest, StaticFilesEtag304AndSpaFallback) {
  Start(Options());
  Client c(port_);
  Reply js = c.Call("GET", "/assets/app-1.js");
  EXPECT_EQ(js.status, 200);
  EXPECT_EQ(js.body, "console.log('tinhso')");
  EXPECT_EQ(js.Header("content-type"), "text/javascript; charset=utf-8");
  EXPECT_EQ(js.Header("cache-control"), "public, max-age=31536000, immutable");
  const std::string etag = js.Header("etag");
  ASSERT_FALSE(etag.empty());

  Reply again = c.Call("GET", "/assets/app-1.js", "If-None-Match: " + etag + "\r\n");
  EXPECT_EQ(again.status, 304);
  EXPECT_TRUE(again.body.empty());
  EXPECT_EQ(again.Header("etag"), etag);

  Reply head = c.Call("HEAD", "/assets/app-1.js");
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(head.Header("content-length"), std::to_string(js.body.size()));

  Reply page = c.Call("GET", "/ho-so/tra-cuu");
  EXPECT_EQ(page.status, 200);
  EXPECT_EQ(page.body, "<!doctype html><title>tinhso</title>");
  EXPECT_EQ(page.Header("cache-control"), "no-cache");
  EXPECT_NE(page.Header("content-security-policy").find("default-src 'self'"), std::string::npos);
  EXPECT_EQ(js.Header("content-security-policy"), "") << "CSP is for HTML";

  ExpectJsonError(c.Call("GET", "/api/v1/not-a-page"), 404, "http.not_found");
  EXPECT_EQ(c.Call("GET", "/assets/nope.js").status, 404);
}

// The build's compressed copies go out with Content-Encoding and their own length, on GET and
// HEAD alike.
TEST_F(ServerTest, StaticFilesPrecompressed) {
  work_.Write("web/assets/app-1.js.br", "brotli bytes");
  work_.Write("web/assets/app-1.js.gz", "gzip bytes!!");
  Start(Options());
  Client c(port_);
  Reply br = c.Call("GET", "/assets/app-1.js", "Accept-Encoding: gzip, deflate, br\r\n");
  EXPECT_EQ(br.status, 200);
  EXPECT_EQ(br.body, "brotli bytes");
  EXPECT_EQ(br.Header("content-encoding"), "br");
  EXPECT_EQ(br.Header("content-length"), "12");
  EXPECT_EQ(br.Header("vary"), "Accept-Encoding");
  EXPECT_EQ(br.Header("content-type"), "text/javascript; charset=utf-8");
  EXPECT_EQ(br.Header("cache-control"), "public, max-age=31536000, immutable");

  c.Send(RawRequest("HEAD", "/assets/app-1.js", "Accept-Encoding: gzip\r\n"));
  Reply head = c.Read(/*head=*/true);
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(head.Header("content-encoding"), "gzip");
  EXPECT_EQ(head.Header("content-length"), "12");
  EXPECT_TRUE(head.body.empty());

  Reply plain = c.Call("GET", "/assets/app-1.js", "Accept-Encoding: br;q=0, gzip;q=0\r\n");
  EXPECT_EQ(plain.body, "console.log('tinhso')");
  EXPECT_EQ(plain.Header("content-encoding"), "");
  EXPECT_EQ(plain.Header("vary"), "Accept-Encoding");

  Reply again = c.Call("GET", "/assets/app-1.js",
                       "Accept-Encoding: br\r\nIf-None-Match: " + br.Header("etag") + "\r\n");
  EXPECT_EQ(again.status, 304);
}

TEST_F(ServerTest, MetricsCountTheRoutePattern) {
  Start(Options());
  Client c(port_);
  EXPECT_EQ(c.Call("GET", "/api/v1/items/424242").status, 200);
  Reply m = c.Call("GET", "/metrics");
  EXPECT_EQ(m.status, 200);
  EXPECT_EQ(m.Header("content-type"), "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_NE(m.body.find("tinhso_http_requests_total{method=\"GET\",route=\"/api/v1/items/{id}\","
                        "status=\"200\"}"),
            std::string::npos)
      << m.body;
  EXPECT_NE(m.body.find("tinhso_http_request_duration_seconds_bucket{route=\"/api/v1/items/{id}\""),
            std::string::npos);
  EXPECT_EQ(m.body.find("424242"), std::string::npos) << "raw paths never become labels";
}

TEST_F(ServerTest, OpenApiListsEveryRoute) {
  Start(Options());
  Client c(port_);
  Reply r = c.Call("GET", "/api/openapi.json");
  ASSERT_EQ(r.status, 200);
  const auto doc = Json(r);
  const auto& paths = doc.at("paths").as_object();
  for (const auto& route : router_.routes()) {
    std::string method(MethodName(route->method));
    for (char& ch : method) ch = static_cast<char>(std::tolower(ch));
    ASSERT_TRUE(paths.contains(route->path)) << route->path;
    EXPECT_TRUE(paths.at(route->path).as_object().contains(method)) << route->path;
  }
}

TEST_F(ServerTest, AccessLogHasOneJsonLinePerRequest) {
  Start(Options());
  {
    Client c(port_);
    EXPECT_EQ(c.Call("GET", "/api/v1/items/9?token=secret",
                     "X-Request-Id: log-1\r\n"
                     "x-test-user: 42\r\n")
                  .status,
              200);
    // Invalid UTF-8 and quotes in the path are the handler's business, but the log line must
    // stay valid JSON.
    EXPECT_EQ(c.Call("GET", "/api/v1/items/%FF%22%0A", "X-Request-Id: log-2\r\n").status, 200);
  }
  StopAndJoin();
  std::ifstream in(work_.path() / "access.log");
  std::string line;
  bool found = false;
  bool found_odd_path = false;
  while (std::getline(in, line)) {
    const auto v = boost::json::parse(line);  // every line is JSON
    if (v.at("request_id").as_string() == "log-2") {
      found_odd_path = true;
      EXPECT_EQ(v.at("path").as_string(), "/api/v1/items/\xEF\xBF\xBD\"\n");
    }
    if (v.at("request_id").as_string() != "log-1") continue;
    found = true;
    EXPECT_EQ(v.at("method").as_string(), "GET");
    EXPECT_EQ(v.at("path").as_string(), "/api/v1/items/9") << "no query: it may hold tokens";
    EXPECT_EQ(v.at("route").as_string(), "/api/v1/items/{id}");
    EXPECT_EQ(v.at("status").as_int64(), 200);
    EXPECT_EQ(v.at("ip").as_string(), "127.0.0.1");
    EXPECT_EQ(v.at("user_id").as_int64(), 42);
    EXPECT_GT(v.at("bytes").as_int64(), 0);
    EXPECT_GE(v.at("duration_ms").to_number<double>(), 0.0);
    // UTC with milliseconds, close to now (the date part is cached per second).
    const std::string time(v.at("time").as_string());
    EXPECT_TRUE(std::regex_match(time, std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)")))
        << time;
    std::tm utc{};
    std::istringstream(time) >> std::get_time(&utc, "%Y-%m-%dT%H:%M:%S");
    const auto logged = std::chrono::system_clock::from_time_t(timegm(&utc));
    EXPECT_LT(std::chrono::abs(std::chrono::system_clock::now() - logged), std::chrono::minutes(1))
        << time;
  }
  EXPECT_TRUE(found);
  EXPECT_TRUE(found_odd_path);
}

TEST_F(ServerTest, GracefulStopLetsAnInFlightRequestFinish) {
  Start(Options());
  Client idle(port_);
  EXPECT_EQ(idle.Call("GET", "/healthz").status, 200);  // now idle on keep-alive

  Client busy(port_);
  ASSERT_TRUE(busy.Send(RawRequest("GET", "/api/v1/slow")));
  entered_.get_future().wait();  // the handler is running on a worker
  server_->Stop();
  EXPECT_TRUE(idle.ClosedByServer()) << "idle keep-alive connections close at once";
  release_.set_value();
  Reply r = busy.Read();
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, R"({"slow":"done"})");
  EXPECT_EQ(r.Header("connection"), "close");
  thread_.join();  // Run() returns once drained
  server_.reset();
  Client late(port_);
  EXPECT_FALSE(late.connected()) << "no longer accepting";
}

TEST_F(ServerTest, StartFailsOnABusyPort) {
  Start(Options());
  ServerOptions o = Options();
  o.port = port_;
  Server second(router_, guard_, o);
  auto r = second.Start();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kUnavailable);
}

}  // namespace
}  // namespace tinhso::http

namespace tinhso::http {
namespace {

// A flood of costly anonymous requests (logins, verifications) waits in its own bounded queue:
// beyond it they are answered 503 with Retry-After at once, and everyone else is served
// meanwhile. Before, they shared the officers' workers: 20 logins made a dossier list take 10 s.
TEST_F(ServerTest, CostlyAnonymousWorkIsBoundedAndNeverDelaysOthers) {
  ServerOptions o = Options();
  o.costly = std::make_shared<CostlyAdmission>(/*threads=*/1, /*limit=*/2);
  auto admission = o.costly;
  Start(std::move(o));
  Client first(port_);
  Client second(port_);
  ASSERT_TRUE(first.Send(RawRequest("GET", "/api/v1/costly")));
  ASSERT_TRUE(second.Send(RawRequest("GET", "/api/v1/costly")));
  // Both are in (one running, one queued) once the admission is full.
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (!admission->Saturated() && std::chrono::steady_clock::now() < give_up) {
    std::this_thread::yield();
  }
  ASSERT_TRUE(admission->Saturated());

  Client third(port_);
  const Reply refused = third.Call("GET", "/api/v1/costly");
  ExpectJsonError(refused, 503, "http.busy");
  EXPECT_EQ(refused.Header("retry-after"), "2");
  // An officer's read is served while the costly ones still wait.
  Client officer(port_);
  EXPECT_EQ(officer.Call("GET", "/api/v1/items/7", "x-test-user: 12\r\n").status, 200);

  costly_release_.set_value();
  EXPECT_EQ(first.Read().status, 200);
  EXPECT_EQ(second.Read().status, 200);
  EXPECT_FALSE(admission->Saturated());
  EXPECT_EQ(Client(port_).Call("GET", "/api/v1/costly").status, 200);
}

// On a busy machine the kernel serves everyone else before costly work: its threads run at a
// lower priority, so a flood of password hashes takes CPU from its own queue, not from
// officers' requests (bench: http.officer_read_p99_ms_under_anonymous_flood).
TEST_F(ServerTest, CostlyWorkRunsAtALowerPriorityThanOtherRequests) {
  Start(Options());
  auto nice_of = [&](const char* path) {
    const Reply reply = Client(port_).Call("GET", path, "x-test-user: 12\r\n");
    EXPECT_EQ(reply.status, 200) << reply.body;
    return boost::json::parse(reply.body).at("nice").as_int64();
  };
  const std::int64_t costly = nice_of("/api/v1/costly-nice");
  const std::int64_t other = nice_of("/api/v1/nice");
  EXPECT_GE(costly, other + 10);
}

TEST(CostlyAdmission, AdmitsUpToItsLimit) {
  CostlyAdmission a(1, 3);
  EXPECT_TRUE(a.TryEnter());
  EXPECT_TRUE(a.TryEnter());
  EXPECT_FALSE(a.Saturated());
  EXPECT_TRUE(a.TryEnter());
  EXPECT_TRUE(a.Saturated());
  EXPECT_FALSE(a.TryEnter());
  a.Leave();
  EXPECT_FALSE(a.Saturated());
  EXPECT_TRUE(a.TryEnter());
}

}  // namespace
}  // namespace tinhso::http

namespace tinhso::http {
namespace {

// One address may hold only so many connections: 1,100 idle sockets from one address once made
// the server unreachable for everyone. The next one is answered 503 and closed; a closed one
// frees its place.
TEST_F(ServerTest, ConnectionsPerAddressAreLimited) {
  ServerOptions o = Options();
  o.max_connections_per_ip = 2;
  Start(std::move(o));
  auto first = std::make_unique<Client>(port_);
  Client second(port_);
  ASSERT_EQ(first->Call("GET", "/healthz").status, 200);  // both are in once they are answered
  ASSERT_EQ(second.Call("GET", "/healthz").status, 200);
  Client third(port_);
  const Reply refused = third.Read();
  ExpectJsonError(refused, 503, "http.too_many_connections");
  EXPECT_EQ(refused.Header("retry-after"), "5");
  EXPECT_TRUE(third.ClosedByServer());
  EXPECT_EQ(second.Call("GET", "/healthz").status, 200) << "those already in are served";

  // Once the first one closes (the server notices it soon after), a new one is served.
  first.reset();
  int status = 0;
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (status != 200 && std::chrono::steady_clock::now() < give_up) {
    status = Client(port_).Call("GET", "/healthz").status;
  }
  EXPECT_EQ(status, 200);
}

// A connection that never sends a request is closed after first_request_timeout, long before
// idle_timeout.
TEST_F(ServerTest, ASilentNewConnectionIsClosedSoon) {
  ServerOptions o = Options();
  o.first_request_timeout = std::chrono::seconds(1);
  o.idle_timeout = std::chrono::seconds(600);
  Start(std::move(o));
  Client silent(port_);
  EXPECT_TRUE(silent.ClosedByServer());
}

TEST_F(ServerTest, StartRaisesTheOpenFileLimit) {
  Start(Options());
  rlimit limit{};
  ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &limit), 0);
  EXPECT_EQ(limit.rlim_cur, limit.rlim_max);
}

}  // namespace
}  // namespace tinhso::http
