// http::Fetch against a real http::Server on loopback, a closed port and a silent listener.
// (It lives with the payment tests, its first user.)
#include "http/client.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <thread>

namespace tinhso::http {
namespace {

class AdmitAll final : public Guard {
 public:
  Result<core::Actor> Admit(const Request&, const Route&) override { return core::Actor{}; }
};

// A listening TCP socket on 127.0.0.1 that never accepts: connections complete in the kernel's
// backlog, and nothing is ever answered.
class SilentListener {
 public:
  SilentListener() {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    ::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    ::listen(fd_, 8);
    socklen_t len = sizeof addr;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
  }
  ~SilentListener() { Close(); }
  void Close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }
  unsigned short port() const { return port_; }

 private:
  int fd_ = -1;
  unsigned short port_ = 0;
};

class PaymentHttpClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    router_.Add({.method = Method::kPost,
                 .path = "/echo",
                 .action = "test",
                 .handler = [](const Request& r, Context&) -> Result<Response> {
                   Response res = JsonResponse(201, r.body);
                   res.headers.emplace_back("X-Seen-Content-Type",
                                            std::string(r.Header("content-type")));
                   return res;
                 }});
    router_.Add({.method = Method::kGet,
                 .path = "/big",
                 .action = "test",
                 .handler = [](const Request&, Context&) -> Result<Response> {
                   return JsonResponse(200, "\"" + std::string(5000, 'x') + "\"");
                 }});
    ServerOptions o;
    o.port = 0;
    o.io_threads = 1;
    o.worker_threads = 0;
    o.handle_signals = false;
    o.access_log_path = "/dev/null";
    o.upload_dir = (std::filesystem::temp_directory_path() / "tinhso-client-test").string();
    server_ = std::make_unique<Server>(router_, guard_, o);
    auto started = server_->Start();
    ASSERT_TRUE(started.ok()) << started.error().detail;
    thread_ = std::thread([this] { server_->Run(); });
  }
  void TearDown() override {
    server_->Stop();
    if (thread_.joinable()) thread_.join();
  }
  std::string Url(std::string_view path) const {
    return "http://127.0.0.1:" + std::to_string(server_->port()) + std::string(path);
  }

  Router router_;
  AdmitAll guard_;
  std::unique_ptr<Server> server_;
  std::thread thread_;
};

TEST_F(PaymentHttpClientTest, PostsAndReadsTheAnswer) {
  ClientRequest req;
  req.method = Method::kPost;
  req.url = Url("/echo");
  req.headers = {{"content-type", "application/json"}};
  req.body = R"({"MaLoi":"00","TenDonVi":"Ủy ban nhân dân xã Chợ Đồn"})";
  auto res = Fetch(req);
  ASSERT_TRUE(res.ok()) << res.error().message_en << " " << res.error().detail;
  EXPECT_EQ(res->status, 201);
  EXPECT_EQ(res->body, req.body);
  EXPECT_EQ(res->Header("x-seen-content-type"), "application/json");
  EXPECT_EQ(res->Header("content-type"), "application/json; charset=utf-8");
}

TEST_F(PaymentHttpClientTest, AnErrorStatusIsAResponseNotAnError) {
  auto res = Fetch({.method = Method::kGet, .url = Url("/api/v1/nothing-here")});
  ASSERT_TRUE(res.ok());
  EXPECT_EQ(res->status, 404);
}

TEST_F(PaymentHttpClientTest, RefusesAnOversizedBody) {
  auto res = Fetch({.method = Method::kGet, .url = Url("/big"), .max_response_bytes = 1000});
  ASSERT_FALSE(res.ok());
  EXPECT_EQ(res.error().code, ErrorCode::kPayloadTooLarge);
  EXPECT_EQ(res.error().reason, "http.client_response_too_large");
  EXPECT_TRUE(Fetch({.method = Method::kGet, .url = Url("/big")}).ok());
}

TEST(PaymentHttpClient, BadUrls) {
  for (const char* url : {"not a url", "ftp://127.0.0.1/x", "https://user:pw@127.0.0.1/x",
                          "http://user:secret@127.0.0.1/x", "http:///x"}) {
    auto res = Fetch({.url = url});
    ASSERT_FALSE(res.ok()) << url;
    EXPECT_EQ(res.error().code, ErrorCode::kInvalidArgument) << url;
    EXPECT_EQ(res.error().reason, "http.client_bad_url") << url;
  }
}

TEST(PaymentHttpClient, ClosedPortIsUnreachable) {
  SilentListener listener;
  const unsigned short port = listener.port();
  listener.Close();  // nothing listens there any more: the connection is refused
  auto res = Fetch({.url = "http://127.0.0.1:" + std::to_string(port) + "/"});
  ASSERT_FALSE(res.ok());
  EXPECT_EQ(res.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(res.error().reason, "http.client_unreachable");
}

TEST(PaymentHttpClient, SilentPeerTimesOut) {
  SilentListener listener;
  // The wait below is the behaviour under test (the deadline), not a sleep.
  auto res = Fetch({.url = "http://127.0.0.1:" + std::to_string(listener.port()) + "/",
                    .timeout = std::chrono::milliseconds(200)});
  ASSERT_FALSE(res.ok());
  EXPECT_EQ(res.error().code, ErrorCode::kTimeout);
  EXPECT_EQ(res.error().reason, "http.client_timeout");
}

}  // namespace
}  // namespace tinhso::http
