// The demo's SMTP stand-in (blocking sockets on its own thread: it serves one local client, our
// own SmtpSender) and the demo mailbox page.
#include "notify/mailbox.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <mutex>
#include <thread>

#include "core/clock.hpp"
#include "core/parse.hpp"
#include "core/text.hpp"

namespace tinhso::notify {
namespace {

constexpr int kIdleMs = 30'000;  // a client silent this long is dropped
constexpr std::size_t kMaxMessage = 10u << 20;

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// The address inside "<…>" of "MAIL FROM:<a@b> SIZE=1".
std::string PathOf(std::string_view arg) {
  const auto open = arg.find('<');
  const auto close = arg.find('>', open);
  if (open == std::string_view::npos || close == std::string_view::npos) return "";
  return std::string(arg.substr(open + 1, close - open - 1));
}

}  // namespace

struct DemoSmtpServer::Impl {
  int listener = -1;
  int wake[2] = {-1, -1};
  int port = 0;
  std::thread thread;
  mutable std::mutex mu;
  std::vector<Mail> mails;

  ~Impl() {
    if (thread.joinable()) {
      const char c = 0;
      (void)!::write(wake[1], &c, 1);
      thread.join();
    }
    for (int fd : {listener, wake[0], wake[1]}) {
      if (fd >= 0) ::close(fd);
    }
  }

  // Waits for `fd` to be readable or the stop signal; false on stop, timeout or error.
  bool Wait(int fd, int timeout_ms) const {
    pollfd fds[2] = {{fd, POLLIN, 0}, {wake[0], POLLIN, 0}};
    const int n = ::poll(fds, 2, timeout_ms);
    return n > 0 && (fds[1].revents & POLLIN) == 0 && (fds[0].revents & (POLLIN | POLLHUP)) != 0;
  }

  void Loop() {
    while (Wait(listener, -1)) {
      const int client = ::accept(listener, nullptr, nullptr);
      if (client < 0) continue;
      Serve(client);
      ::close(client);
    }
  }

  void Serve(int fd) {
    std::string in;
    const auto say = [fd](std::string_view line) {
      std::string out = std::string(line) + "\r\n";
      std::size_t sent = 0;
      while (sent < out.size()) {
        const ssize_t n = ::send(fd, out.data() + sent, out.size() - sent, MSG_NOSIGNAL);
        if (n <= 0) return false;
        sent += static_cast<std::size_t>(n);
      }
      return true;
    };
    // The next line without its CRLF; nullopt when the client went away or stayed silent.
    const auto line = [&]() -> std::optional<std::string> {
      for (;;) {
        const auto end = in.find("\r\n");
        if (end != std::string::npos) {
          std::string l = in.substr(0, end);
          in.erase(0, end + 2);
          return l;
        }
        if (in.size() > kMaxMessage || !Wait(fd, kIdleMs)) return std::nullopt;
        char buf[8192];
        const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
        if (n <= 0) return std::nullopt;
        in.append(buf, static_cast<std::size_t>(n));
      }
    };
    if (!say("220 localhost tinhso demo mailbox ESMTP")) return;
    Mail mail;
    bool has_from = false;
    while (auto l = line()) {
      const std::string verb = Lower(l->substr(0, l->find(' ')));
      const std::string_view arg =
          l->size() > verb.size() ? std::string_view(*l).substr(verb.size() + 1) : "";
      bool ok = true;
      if (verb == "ehlo") {
        ok = say("250-localhost") && say("250-8BITMIME") && say("250 SIZE 10485760");
      } else if (verb == "helo") {
        ok = say("250 localhost");
      } else if (verb == "mail") {
        mail = Mail{};
        mail.mail_from = PathOf(arg);
        has_from = true;
        ok = say("250 2.1.0 Ok");
      } else if (verb == "rcpt") {
        const std::string to = PathOf(arg);
        if (!has_from) {
          ok = say("503 5.5.1 MAIL first");
        } else if (Lower(to).ends_with(".invalid")) {
          ok = say("550 5.1.1 <" + to + ">: Recipient address rejected: User unknown");
        } else {
          mail.rcpt_to.push_back(to);
          ok = say("250 2.1.5 Ok");
        }
      } else if (verb == "data") {
        if (mail.rcpt_to.empty()) {
          ok = say("554 5.5.1 No valid recipients");
          continue;
        }
        if (!say("354 End data with <CR><LF>.<CR><LF>")) return;
        std::string data;
        for (;;) {
          auto d = line();
          if (!d) return;
          if (*d == ".") break;
          data += (d->starts_with('.') ? d->substr(1) : *d) + "\r\n";
        }
        mail.raw = std::move(data);
        mail.at = std::chrono::system_clock::now();
        const std::size_t n = [&] {
          std::lock_guard lock(mu);
          mails.push_back(mail);
          return mails.size();
        }();
        has_from = false;
        ok = say("250 2.0.0 Ok: queued as DEMO" + std::to_string(n));
      } else if (verb == "rset") {
        has_from = false;
        ok = say("250 2.0.0 Ok");
      } else if (verb == "noop") {
        ok = say("250 2.0.0 Ok");
      } else if (verb == "quit") {
        say("221 2.0.0 Bye");
        return;
      } else {
        ok = say("502 5.5.2 Command not implemented");
      }
      if (!ok) return;
    }
  }
};

DemoSmtpServer::DemoSmtpServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
DemoSmtpServer::~DemoSmtpServer() = default;

Result<std::unique_ptr<DemoSmtpServer>> DemoSmtpServer::Start() {
  auto impl = std::make_unique<Impl>();
  const auto failed = [](std::string what) {
    return MakeError(ErrorCode::kUnavailable, "notify.demo_smtp",
                     "Không mở được hộp thư giả lập: " + what,
                     "The demo mailbox could not start: " + what);
  };
  if (::pipe(impl->wake) != 0) return failed(std::strerror(errno));
  impl->listener = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (impl->listener < 0) return failed(std::strerror(errno));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t size = sizeof addr;
  if (::bind(impl->listener, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::listen(impl->listener, 16) != 0 ||
      ::getsockname(impl->listener, reinterpret_cast<sockaddr*>(&addr), &size) != 0) {
    return failed(std::strerror(errno));
  }
  impl->port = ntohs(addr.sin_port);
  Impl* self = impl.get();
  impl->thread = std::thread([self] { self->Loop(); });
  return std::unique_ptr<DemoSmtpServer>(new DemoSmtpServer(std::move(impl)));
}

int DemoSmtpServer::port() const { return impl_->port; }

SmtpConfig DemoSmtpServer::Config() const {
  SmtpConfig c;
  c.host = "127.0.0.1";
  c.port = impl_->port;
  c.starttls = false;
  c.from_address = "thongbao@localhost";
  c.timeout = std::chrono::milliseconds(10'000);
  return c;
}

std::vector<DemoSmtpServer::Mail> DemoSmtpServer::Messages() const {
  std::lock_guard lock(impl_->mu);
  return impl_->mails;
}

std::string DemoMailboxPage(std::vector<DemoMailboxItem> items) {
  std::stable_sort(items.begin(), items.end(),
                   [](const DemoMailboxItem& a, const DemoMailboxItem& b) { return a.at > b.at; });
  using core::EscapeHtml;
  std::string html =
      "<!doctype html><html lang=\"vi\"><head><meta charset=\"utf-8\">"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
      "<title>Hộp thư demo / Demo mailbox</title><style>"
      "body{font-family:system-ui,sans-serif;margin:0 auto;max-width:56rem;padding:1rem;"
      "color:#1b1b1b;line-height:1.5}h1{font-size:1.5rem}"
      "article{border:1px solid #8a8a8a;border-radius:6px;padding:.75rem 1rem;margin:0 0 1rem}"
      "h2{font-size:1.1rem;margin:.25rem 0}.meta{color:#454545;font-size:.9rem;margin:0}"
      "pre{white-space:pre-wrap;word-break:break-word;font-family:inherit;margin:.5rem 0 0}"
      ".kind{display:inline-block;font-weight:600;border-radius:4px;padding:0 .4rem;"
      "background:#e7f0fa;color:#0b3d6e}</style></head><body><main>"
      "<h1>Hộp thư demo <span lang=\"en\">/ Demo mailbox</span></h1>"
      "<p>Thư điện tử và tin nhắn SMS mà máy chủ thư và cổng SMS giả lập của bản demo đã nhận, "
      "mới nhất trước. <span lang=\"en\">The e-mails and SMS the demo's stand-in mail server "
      "and SMS gateway received, newest first.</span></p>";
  if (items.empty()) {
    html +=
        "<p data-testid=\"mailbox-empty\">Chưa có thư hay tin nhắn nào. <span lang=\"en\">Nothing "
        "received yet.</span></p>";
  }
  for (const DemoMailboxItem& item : items) {
    const auto at = std::chrono::floor<std::chrono::seconds>(item.at);
    html += "<article data-testid=\"mailbox-item\" data-kind=\"";
    html += item.sms ? "sms" : "email";
    html += "\"><p class=\"meta\"><span class=\"kind\">";
    html += item.sms ? "SMS" : "E-mail";
    html += "</span> " + EscapeHtml(core::FormatVietnamDateTime(at)) +
            " · Đến <span lang=\"en\">/ To</span>: <span data-testid=\"mailbox-to\">" +
            EscapeHtml(item.to) + "</span></p>";
    if (!item.subject.empty()) {
      html += "<h2 data-testid=\"mailbox-subject\">" + EscapeHtml(item.subject) + "</h2>";
    }
    html += "<pre data-testid=\"mailbox-body\">" + EscapeHtml(item.body) + "</pre>";
    if (!item.reference.empty()) {
      html += "<p class=\"meta\">" + EscapeHtml(item.reference) + "</p>";
    }
    html += "</article>";
  }
  html += "</main></body></html>";
  return html;
}

}  // namespace tinhso::notify
