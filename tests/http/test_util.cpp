#include "http/test_util.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <atomic>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <stdexcept>

#include "http/contract.hpp"

namespace tinhso::http::test {

TempDir::TempDir() {
  static std::atomic<int> counter{0};
  path_ = std::filesystem::temp_directory_path() /
          ("tinhso_http_test_" + std::to_string(::getpid()) + "_" + std::to_string(++counter));
  std::filesystem::remove_all(path_);
  std::filesystem::create_directories(path_);
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

void TempDir::Write(const std::string& relative, std::string_view content) const {
  const auto file = path_ / relative;
  std::filesystem::create_directories(file.parent_path());
  std::ofstream out(file, std::ios::binary);
  out.write(content.data(), static_cast<std::streamsize>(content.size()));
}

Client::Client(unsigned short port) {
  fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd_ < 0) return;
  timeval timeout{20, 0};
  ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  ::setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  ::inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
  if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd_);
    fd_ = -1;
  }
}

Client::~Client() {
  if (fd_ >= 0) ::close(fd_);
}

bool Client::Send(std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

bool Client::Fill() {
  char chunk[64 * 1024];
  const ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
  if (n <= 0) return false;
  buffer_.append(chunk, static_cast<std::size_t>(n));
  return true;
}

Reply Client::Read(bool head) {
  Reply reply;
  std::size_t end;
  while ((end = buffer_.find("\r\n\r\n")) == std::string::npos) {
    if (!Fill()) return reply;
  }
  const std::string head_text = buffer_.substr(0, end);
  buffer_.erase(0, end + 4);
  // "HTTP/1.1 200 OK"
  const std::size_t space = head_text.find(' ');
  reply.status = std::atoi(head_text.c_str() + space + 1);
  std::size_t line_start = head_text.find("\r\n");
  while (line_start != std::string::npos) {
    line_start += 2;
    const std::size_t line_end = head_text.find("\r\n", line_start);
    const std::string line = head_text.substr(line_start, line_end - line_start);
    const std::size_t colon = line.find(':');
    if (colon != std::string::npos) {
      std::string name = line.substr(0, colon);
      for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      std::size_t v = colon + 1;
      while (v < line.size() && line[v] == ' ') ++v;
      // Repeated headers (Set-Cookie) are kept, joined by "\n".
      auto [it, fresh] = reply.headers.try_emplace(name, line.substr(v));
      if (!fresh) it->second += "\n" + line.substr(v);
    }
    line_start = line_end;
  }
  if (head || reply.status == 304 || reply.status == 204 || reply.status < 200) return reply;
  const std::size_t length = std::stoul(
      reply.Header("content-length").empty() ? std::string("0") : reply.Header("content-length"));
  while (buffer_.size() < length) {
    if (!Fill()) break;
  }
  reply.body = buffer_.substr(0, length);
  buffer_.erase(0, std::min(length, buffer_.size()));
  return reply;
}

bool Client::ClosedByServer() {
  if (!buffer_.empty()) return false;
  char c;
  const ssize_t n = ::recv(fd_, &c, 1, 0);
  if (n == 0) return true;
  if (n < 0) return errno == ECONNRESET;
  buffer_.push_back(c);
  return false;
}

std::string RawRequest(std::string_view method, std::string_view target,
                       std::string_view extra_headers, std::string_view body) {
  std::string r;
  r += method;
  r += ' ';
  r += target;
  r += " HTTP/1.1\r\nHost: test\r\n";
  r += extra_headers;
  if (!body.empty() || method == "POST" || method == "PUT") {
    r += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  }
  r += "\r\n";
  r += body;
  return r;
}

Reply Client::Call(std::string_view method, std::string_view target, std::string_view extra_headers,
                   std::string_view body) {
  if (!Send(RawRequest(method, target, extra_headers, body))) return {};
  Reply reply = Read(method == "HEAD");
  if (auto contract = CurrentContract()) {
    const std::string problem =
        contract->Check(method, target, reply.status, reply.Header("content-type"), reply.body);
    if (!problem.empty()) ADD_FAILURE() << "the API document does not allow " << problem;
  }
  return reply;
}

}  // namespace tinhso::http::test
