// ClientPool against a raw server on 127.0.0.1 that counts its connections and the requests it
// read, and answers each as the test says: kept alive, then closed while idle; closed without an
// answer (the race a kept-alive client must survive); or "Connection: close".
#include "http/client_pool.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace tinhso::http {
namespace {

enum class Answer {
  kKeep,             // 200, kept alive
  kThenClose,        // 200 saying keep-alive, then the connection is closed (idle timeout)
  kNoAnswer,         // the request is read, the connection closed without an answer
  kConnectionClose,  // 200 with "Connection: close"
};

class RawServer {
 public:
  explicit RawServer(std::function<Answer(int request_index)> answer) : answer_(std::move(answer)) {
    listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(::bind(listener_, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    socklen_t len = sizeof addr;
    ::getsockname(listener_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    EXPECT_EQ(::listen(listener_, 16), 0);
    acceptor_ = std::thread([this] { Accept(); });
  }
  ~RawServer() {
    stopping_ = true;
    ::shutdown(listener_, SHUT_RDWR);
    ::close(listener_);
    acceptor_.join();
    {
      // Connections a client still keeps alive: their workers wait in recv() until shut down.
      std::lock_guard lock(mu_);
      for (int fd : open_) ::shutdown(fd, SHUT_RDWR);
    }
    for (auto& t : workers_) t.join();  // no new ones: the acceptor is gone
  }
  std::string url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }
  int connections() const { return connections_; }
  int requests() const { return requests_; }
  // Blocks until the server has closed `n` connections (so the client sees the close).
  void WaitClosed(int n) {
    std::unique_lock lock(mu_);
    closed_cv_.wait(lock, [&] { return closed_ >= n; });
  }

 private:
  void Accept() {
    for (;;) {
      const int fd = ::accept(listener_, nullptr, nullptr);
      if (fd < 0) return;
      ++connections_;
      std::lock_guard lock(mu_);
      open_.insert(fd);
      workers_.emplace_back([this, fd] { Serve(fd); });
    }
  }
  void Serve(int fd) {
    std::string buffer;
    char chunk[4096];
    for (;;) {
      // One request: the head, then Content-Length bytes.
      std::size_t head_end;
      while ((head_end = buffer.find("\r\n\r\n")) == std::string::npos) {
        const ssize_t got = ::recv(fd, chunk, sizeof chunk, 0);
        if (got <= 0) return Closed(fd);
        buffer.append(chunk, static_cast<std::size_t>(got));
      }
      std::size_t length = 0;
      if (auto at = buffer.find("Content-Length: "); at != std::string::npos && at < head_end) {
        length = std::stoul(buffer.substr(at + 16));
      }
      while (buffer.size() < head_end + 4 + length) {
        const ssize_t got = ::recv(fd, chunk, sizeof chunk, 0);
        if (got <= 0) return Closed(fd);
        buffer.append(chunk, static_cast<std::size_t>(got));
      }
      const std::string body = buffer.substr(head_end + 4, length);
      buffer.erase(0, head_end + 4 + length);
      const Answer answer = answer_(requests_++);
      if (answer == Answer::kNoAnswer) return Closed(fd);
      const std::string reply = "echo:" + body;
      const std::string out = "HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(reply.size()) +
                              (answer == Answer::kConnectionClose ? "\r\nConnection: close" : "") +
                              "\r\n\r\n" + reply;
      ::send(fd, out.data(), out.size(), MSG_NOSIGNAL);
      if (answer != Answer::kKeep) return Closed(fd);
    }
  }
  void Closed(int fd) {
    std::lock_guard lock(mu_);
    open_.erase(fd);
    ::close(fd);
    ++closed_;
    closed_cv_.notify_all();
  }

  std::function<Answer(int)> answer_;
  int listener_ = -1;
  unsigned short port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<int> connections_{0};
  std::atomic<int> requests_{0};
  std::thread acceptor_;
  std::mutex mu_;
  std::condition_variable closed_cv_;
  int closed_ = 0;
  std::vector<std::thread> workers_;
  std::set<int> open_;
};

ClientRequest Post(const std::string& url, const std::string& body, bool idempotency_key) {
  ClientRequest r;
  r.method = Method::kPost;
  r.url = url;
  r.body = body;
  if (idempotency_key) r.headers.emplace_back("Idempotency-Key", "hoso-" + body);
  return r;
}

TEST(ClientPoolTest, OneConnectionCarriesManyCalls) {
  RawServer server([](int) { return Answer::kKeep; });
  ClientPool pool;
  for (int i = 0; i < 20; ++i) {
    auto answer = pool.Fetch(Post(server.url("/receive"), std::to_string(i), false));
    ASSERT_TRUE(answer.ok()) << answer.error().message_en << " " << answer.error().detail;
    EXPECT_EQ(answer->status, 200);
    EXPECT_EQ(answer->body, "echo:" + std::to_string(i));
  }
  EXPECT_EQ(server.connections(), 1);
  EXPECT_EQ(server.requests(), 20);
  EXPECT_EQ(pool.idle(), 1u);
}

TEST(ClientPoolTest, AConnectionClosedWhileIdleIsReplacedBeforeUse) {
  RawServer server([](int) { return Answer::kThenClose; });
  ClientPool pool;
  ASSERT_TRUE(pool.Fetch(Post(server.url("/a"), "1", false)).ok());
  server.WaitClosed(1);
  // A POST without an idempotency key: it must not be lost to the closed connection.
  auto second = pool.Fetch(Post(server.url("/a"), "2", false));
  ASSERT_TRUE(second.ok()) << second.error().detail;
  EXPECT_EQ(second->body, "echo:2");
  EXPECT_EQ(server.connections(), 2);
  EXPECT_EQ(server.requests(), 2) << "each request arrived once";
}

TEST(ClientPoolTest, ARequestLostOnAReusedConnectionIsSentAgainOnlyWhenThatIsSafe) {
  // The second request on the connection is read and the connection dropped, unanswered.
  RawServer server([](int i) { return i == 1 ? Answer::kNoAnswer : Answer::kKeep; });
  ClientPool pool;
  ASSERT_TRUE(pool.Fetch(Post(server.url("/a"), "1", false)).ok());
  auto lost = pool.Fetch(Post(server.url("/a"), "2", false));
  ASSERT_FALSE(lost.ok()) << "a POST without an idempotency key may have had its effect";
  EXPECT_EQ(lost.error().reason, "http.client_unreachable");
  EXPECT_EQ(server.requests(), 2);

  RawServer keyed([](int i) { return i == 1 ? Answer::kNoAnswer : Answer::kKeep; });
  ASSERT_TRUE(pool.Fetch(Post(keyed.url("/a"), "1", true)).ok());
  auto again = pool.Fetch(Post(keyed.url("/a"), "2", true));
  ASSERT_TRUE(again.ok()) << "with an Idempotency-Key it is sent once more, on a new connection";
  EXPECT_EQ(again->body, "echo:2");
  EXPECT_EQ(keyed.requests(), 3);
  EXPECT_EQ(keyed.connections(), 2);

  RawServer gets([](int i) { return i == 1 ? Answer::kNoAnswer : Answer::kKeep; });
  ClientRequest get;
  get.url = gets.url("/citizen");
  ASSERT_TRUE(pool.Fetch(get).ok());
  EXPECT_TRUE(pool.Fetch(get).ok()) << "GET is idempotent";
  EXPECT_EQ(gets.connections(), 2);
}

TEST(ClientPoolTest, ConnectionCloseAndTheIdleTimeoutAreHonoured) {
  RawServer server([](int) { return Answer::kConnectionClose; });
  ClientPool pool;
  ASSERT_TRUE(pool.Fetch(Post(server.url("/a"), "1", false)).ok());
  EXPECT_EQ(pool.idle(), 0u);
  ASSERT_TRUE(pool.Fetch(Post(server.url("/a"), "2", false)).ok());
  EXPECT_EQ(server.connections(), 2);

  RawServer kept([](int) { return Answer::kKeep; });
  ClientPool no_reuse({.max_idle_per_origin = 4, .idle_timeout = std::chrono::milliseconds(0)});
  ASSERT_TRUE(no_reuse.Fetch(Post(kept.url("/a"), "1", false)).ok());
  ASSERT_TRUE(no_reuse.Fetch(Post(kept.url("/a"), "2", false)).ok());
  EXPECT_EQ(kept.connections(), 2) << "an idle connection past its timeout is not reused";
}

TEST(ClientPoolTest, ErrorsAreThoseOfFetch) {
  ClientPool pool;
  ClientRequest bad;
  bad.url = "ftp://127.0.0.1/";
  auto refused = pool.Fetch(bad);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().reason, "http.client_bad_url");
  ClientRequest nobody;
  nobody.url = "http://127.0.0.1:1/";
  auto unreachable = pool.Fetch(nobody);
  ASSERT_FALSE(unreachable.ok());
  EXPECT_EQ(unreachable.error().reason, "http.client_unreachable");
}

}  // namespace
}  // namespace tinhso::http
