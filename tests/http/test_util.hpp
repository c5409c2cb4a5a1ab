// Helpers for the http tests: a scratch directory and a tiny blocking HTTP/1.1 client over raw
// sockets (no Beast, so the tests compile fast and can send deliberately broken requests).
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <string_view>

namespace tinhso::http::test {

// A fresh directory under the system temp dir, removed with everything in it on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  // Writes `content` to path()/relative, creating parent directories.
  void Write(const std::string& relative, std::string_view content) const;

 private:
  std::filesystem::path path_;
};

struct Reply {
  int status = 0;                              // 0: no response (connection closed first)
  std::map<std::string, std::string> headers;  // lower-case names; repeats joined by "\n"
  std::string body;
  std::string Header(const std::string& lower_name) const {
    auto it = headers.find(lower_name);
    return it == headers.end() ? std::string() : it->second;
  }
};

// One TCP connection to 127.0.0.1:port. Every read has a 20 s safety timeout so a server bug
// fails the test instead of hanging it; tests never rely on it for timing.
class Client {
 public:
  explicit Client(unsigned short port);
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  bool connected() const { return fd_ >= 0; }
  // Sends raw bytes; false when the server has closed the connection.
  bool Send(std::string_view bytes);
  // Reads one response (Content-Length framing, as the server always uses). `head`: a response
  // to HEAD, whose Content-Length announces no body.
  Reply Read(bool head = false);
  // True when the server closes the connection (read returns 0) before sending anything else.
  bool ClosedByServer();

  // Sends "METHOD target HTTP/1.1" with Host, the extra header lines and the body, then reads.
  Reply Call(std::string_view method, std::string_view target, std::string_view extra_headers = {},
             std::string_view body = {});

 private:
  bool Fill();  // reads more into buffer_; false on EOF or error
  int fd_ = -1;
  std::string buffer_;
};

// A request for Client::Send: "METHOD target HTTP/1.1\r\nHost: t\r\n<extra>Content-Length…".
std::string RawRequest(std::string_view method, std::string_view target,
                       std::string_view extra_headers = {}, std::string_view body = {});

}  // namespace tinhso::http::test
