// The SMTP client (email.hpp): the module's one heavy translation unit (Asio and asio::ssl).
//
// Like http::Fetch, a blocking call over asynchronous operations: one coroutine on its own
// io_context, and a timer that closes the socket when the conversation's deadline passes
// (synchronous reads on a silent server would wait for ever).
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <istream>
#include <sstream>

#include "core/crypto.hpp"
#include "notify/email.hpp"

namespace tinhso::notify {
namespace {

namespace net = boost::asio;
namespace ssl = boost::asio::ssl;
using tcp = net::ip::tcp;
constexpr auto kNoThrow = net::as_tuple(net::use_awaitable);

// TINHSO_ASSIGN_OR_RETURN for coroutines, which must co_return.
#define SMTP_ASSIGN_OR_RETURN(lhs, expr) \
  SMTP_ASSIGN_OR_RETURN_IMPL_(TINHSO_CONCAT_(smtp_result_, __COUNTER__), lhs, expr)
#define SMTP_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                                \
  if (!tmp.ok()) co_return std::move(tmp).error();  \
  lhs = std::move(tmp).value()

struct Reply {
  int code = 0;
  std::vector<std::string> lines;  // text after the code, one per line
  std::string Text() const {
    std::string out = std::to_string(code);
    for (const auto& l : lines) out += " " + l;
    return out;
  }
  bool Has(std::string_view keyword) const {  // an EHLO extension, case-insensitive
    for (const auto& l : lines) {
      std::string upper;
      for (char c : l) upper += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      if (upper == keyword || upper.starts_with(std::string(keyword) + " ")) return true;
    }
    return false;
  }
};

Error Unreachable(std::string_view step, const boost::system::error_code& ec) {
  return MakeError(ErrorCode::kUnavailable, "notify.smtp_unreachable",
                   "Không kết nối được máy chủ thư (" + std::string(step) + ").",
                   "Could not talk to the mail server (" + std::string(step) + ").", ec.message());
}

Error Temporary(std::string_view step, const Reply& r) {
  return MakeError(ErrorCode::kUnavailable, "notify.smtp_temporary",
                   "Máy chủ thư tạm thời từ chối (" + std::string(step) + "); sẽ thử lại.",
                   "The mail server refused for now (" + std::string(step) + "); will retry.",
                   r.Text());
}

Error Refused(std::string_view step, const Reply& r) {
  if (r.code >= 400 && r.code < 500) return Temporary(step, r);
  return MakeError(ErrorCode::kInvalidArgument, "notify.smtp_rejected",
                   "Máy chủ thư từ chối thư (" + std::string(step) + ").",
                   "The mail server refused the message (" + std::string(step) + ").", r.Text());
}

bool IsLoopback(const std::string& host) {
  if (host == "localhost") return true;
  boost::system::error_code ec;
  const auto address = net::ip::make_address(host, ec);
  return !ec && address.is_loopback();
}

// Lines beginning with "." get another (RFC 5321 §4.5.2); line ends are CRLF already.
std::string DotStuffed(std::string_view mime) {
  std::string out;
  out.reserve(mime.size() + 16);
  bool line_start = true;
  for (char c : mime) {
    if (line_start && c == '.') out += '.';
    out += c;
    line_start = c == '\n';
  }
  if (!out.ends_with("\r\n")) out += "\r\n";
  out += ".\r\n";
  return out;
}

class Conversation {
 public:
  Conversation(net::io_context& io, ssl::context& tls, const SmtpConfig& config)
      : config_(config), stream_(io, tls) {}

  net::awaitable<Result<std::string>> Run(tcp::resolver::results_type endpoints, std::string data,
                                          std::string to);
  bool timed_out = false;
  void Close() {
    timed_out = true;
    boost::system::error_code ignored;
    stream_.next_layer().close(ignored);
  }

 private:
  net::awaitable<Result<Reply>> ReadReply(std::string_view step) {
    Reply reply;
    for (;;) {
      auto [ec, n] =
          tls_ ? co_await net::async_read_until(stream_, buffer_, "\r\n", kNoThrow)
               : co_await net::async_read_until(stream_.next_layer(), buffer_, "\r\n", kNoThrow);
      if (ec) co_return Unreachable(step, ec);
      std::string line(n, '\0');
      std::istream(&buffer_).read(line.data(), static_cast<std::streamsize>(n));
      line.resize(n - 2);
      if (line.size() < 3 || line.size() > 1000) {
        co_return Unreachable(step, net::error::make_error_code(net::error::invalid_argument));
      }
      reply.code = std::atoi(line.substr(0, 3).c_str());
      reply.lines.push_back(line.size() > 4 ? line.substr(4) : "");
      if (line.size() == 3 || line[3] == ' ') co_return reply;
    }
  }

  net::awaitable<Result<Reply>> Command(std::string line, std::string_view step) {
    line += "\r\n";
    auto [ec, n] =
        tls_ ? co_await net::async_write(stream_, net::buffer(line), kNoThrow)
             : co_await net::async_write(stream_.next_layer(), net::buffer(line), kNoThrow);
    (void)n;
    if (ec) co_return Unreachable(step, ec);
    co_return co_await ReadReply(step);
  }

  const SmtpConfig& config_;
  ssl::stream<tcp::socket> stream_;
  net::streambuf buffer_;
  bool tls_ = false;
};

net::awaitable<Result<std::string>> Conversation::Run(tcp::resolver::results_type endpoints,
                                                      std::string data, std::string to) {
  auto [connect_ec, endpoint] =
      co_await net::async_connect(stream_.next_layer(), endpoints, kNoThrow);
  (void)endpoint;
  if (connect_ec) co_return Unreachable("connect", connect_ec);

  SMTP_ASSIGN_OR_RETURN(Reply greeting, co_await ReadReply("greeting"));
  if (greeting.code != 220) co_return Refused("greeting", greeting);
  SMTP_ASSIGN_OR_RETURN(Reply ehlo, co_await Command("EHLO " + config_.helo_name, "EHLO"));
  if (ehlo.code != 250) co_return Refused("EHLO", ehlo);

  if (config_.starttls) {
    if (!ehlo.Has("STARTTLS")) {
      co_return MakeError(ErrorCode::kUnavailable, "notify.smtp_no_starttls",
                          "Máy chủ thư không hỗ trợ STARTTLS; thư không được gửi không mã hóa.",
                          "The mail server does not offer STARTTLS; mail is not sent in clear.",
                          ehlo.Text());
    }
    SMTP_ASSIGN_OR_RETURN(Reply ready, co_await Command("STARTTLS", "STARTTLS"));
    if (ready.code != 220) co_return Refused("STARTTLS", ready);
    // Bytes the server sent before the handshake would be plaintext injected into the TLS
    // session (CVE-2011-0411 and kin): refuse them.
    if (buffer_.size() != 0) {
      co_return Unreachable("STARTTLS", net::error::make_error_code(net::error::invalid_argument));
    }
    boost::system::error_code not_ip;
    (void)net::ip::make_address(config_.host, not_ip);
    if (not_ip) SSL_set_tlsext_host_name(stream_.native_handle(), config_.host.c_str());  // SNI
    auto [hs_ec] = co_await stream_.async_handshake(ssl::stream_base::client, kNoThrow);
    if (hs_ec) {
      co_return MakeError(ErrorCode::kUnavailable, "notify.smtp_tls",
                          "Không thiết lập được kết nối bảo mật tới máy chủ thư (chứng thư số "
                          "không hợp lệ hoặc không tin cậy).",
                          "Could not secure the connection to the mail server (the certificate "
                          "is invalid or not trusted).",
                          hs_ec.message());
    }
    tls_ = true;
    SMTP_ASSIGN_OR_RETURN(ehlo, co_await Command("EHLO " + config_.helo_name, "EHLO"));
    if (ehlo.code != 250) co_return Refused("EHLO", ehlo);
  }

  if (!config_.username.empty()) {
    Reply auth;
    if (ehlo.Has("AUTH") && [&] {
          for (const auto& l : ehlo.lines) {
            if (l.find("PLAIN") != std::string::npos) return true;
          }
          return false;
        }()) {
      const std::string plain = std::string(1, '\0') + config_.username + '\0' + config_.password;
      SMTP_ASSIGN_OR_RETURN(auth,
                            co_await Command("AUTH PLAIN " + core::Base64Encode(plain), "AUTH"));
    } else {
      SMTP_ASSIGN_OR_RETURN(auth, co_await Command("AUTH LOGIN", "AUTH"));
      if (auth.code == 334) {
        SMTP_ASSIGN_OR_RETURN(auth, co_await Command(core::Base64Encode(config_.username), "AUTH"));
      }
      if (auth.code == 334) {
        SMTP_ASSIGN_OR_RETURN(auth, co_await Command(core::Base64Encode(config_.password), "AUTH"));
      }
    }
    if (auth.code != 235) {
      co_return MakeError(ErrorCode::kUnavailable, "notify.smtp_auth",
                          "Máy chủ thư không chấp nhận tài khoản gửi thư.",
                          "The mail server did not accept the sending account.", auth.Text());
    }
  }

  SMTP_ASSIGN_OR_RETURN(Reply mail,
                        co_await Command("MAIL FROM:<" + config_.from_address + ">", "MAIL"));
  if (mail.code != 250) co_return Refused("MAIL", mail);
  SMTP_ASSIGN_OR_RETURN(Reply rcpt, co_await Command("RCPT TO:<" + to + ">", "RCPT"));
  if (rcpt.code >= 500) {
    co_return MakeError(ErrorCode::kInvalidArgument, "notify.bounced",
                        "Máy chủ thư từ chối địa chỉ người nhận.",
                        "The mail server refused the recipient's address.", rcpt.Text());
  }
  if (rcpt.code != 250 && rcpt.code != 251) co_return Refused("RCPT", rcpt);
  SMTP_ASSIGN_OR_RETURN(Reply go, co_await Command("DATA", "DATA"));
  if (go.code != 354) co_return Refused("DATA", go);
  data = DotStuffed(data);
  auto [ec, n] = tls_
                     ? co_await net::async_write(stream_, net::buffer(data), kNoThrow)
                     : co_await net::async_write(stream_.next_layer(), net::buffer(data), kNoThrow);
  (void)n;
  if (ec) co_return Unreachable("DATA", ec);
  SMTP_ASSIGN_OR_RETURN(Reply queued, co_await ReadReply("DATA"));
  if (queued.code != 250) co_return Refused("DATA", queued);
  // The message is the server's now; a failed QUIT changes nothing.
  (void)co_await Command("QUIT", "QUIT");
  if (tls_) {
    auto [shutdown_ec] = co_await stream_.async_shutdown(kNoThrow);
    (void)shutdown_ec;
  }
  co_return queued.Text();
}

#undef SMTP_ASSIGN_OR_RETURN
#undef SMTP_ASSIGN_OR_RETURN_IMPL_

}  // namespace

Result<std::string> SendMail(const SmtpConfig& config, const MailMessage& message) {
  if (config.insecure_skip_verify && !IsLoopback(config.host)) {
    return MakeError(ErrorCode::kInvalidArgument, "notify.smtp_insecure",
                     "Chỉ được bỏ kiểm tra chứng thư số với máy chủ thư trên máy này (thử nghiệm).",
                     "Certificate checks may be skipped only for a mail server on this machine "
                     "(tests).");
  }
  TINHSO_ASSIGN_OR_RETURN(std::string data, BuildMime(config, message));

  ssl::context tls(ssl::context::tls_client);
  tls.set_options(ssl::context::no_sslv2 | ssl::context::no_sslv3 | ssl::context::no_tlsv1 |
                  ssl::context::no_tlsv1_1);
  boost::system::error_code ec;
  if (config.insecure_skip_verify) {
    tls.set_verify_mode(ssl::verify_none);
  } else {
    if (config.ca_file.empty()) {
      tls.set_default_verify_paths(ec);
    } else {
      tls.load_verify_file(config.ca_file, ec);
    }
    if (ec) {
      return MakeError(ErrorCode::kUnavailable, "notify.smtp_tls",
                       "Không đọc được chứng thư gốc để kiểm tra máy chủ thư.",
                       "The CA certificates for checking the mail server cannot be read.",
                       config.ca_file + ": " + ec.message());
    }
    tls.set_verify_mode(ssl::verify_peer);
    tls.set_verify_callback(ssl::host_name_verification(config.host));
  }

  net::io_context io;
  tcp::resolver resolver(io);
  auto endpoints = resolver.resolve(config.host, std::to_string(config.port), ec);
  if (ec) return Unreachable("resolve", ec);

  Conversation conversation(io, tls, config);
  std::optional<Result<std::string>> outcome;
  net::steady_timer deadline(io, config.timeout);
  deadline.async_wait([&](const boost::system::error_code& e) {
    if (!e) conversation.Close();
  });
  net::co_spawn(
      io,
      [&]() -> net::awaitable<void> {
        outcome = co_await conversation.Run(endpoints, std::move(data), message.to);
      },
      [&](std::exception_ptr failure) {
        deadline.cancel();
        if (failure) outcome = InternalError("SMTP conversation threw");
      });
  io.run();
  if (conversation.timed_out && (!outcome || !outcome->ok())) {
    return MakeError(ErrorCode::kTimeout, "notify.smtp_timeout", "Máy chủ thư không trả lời kịp.",
                     "The mail server did not answer in time.");
  }
  if (!outcome) return InternalError("SMTP conversation did not finish");
  return std::move(*outcome);
}

Result<std::string> SmtpSender::Send(const Message& message) {
  MailMessage mail;
  mail.to = message.address;
  mail.subject = message.subject;
  mail.body = message.body;
  mail.message_id = StableId(message.id) + "@" + config_.message_id_host;
  mail.date = clock_.Now();
  TINHSO_ASSIGN_OR_RETURN(std::string reply, SendMail(config_, mail));
  // The receiver's queue id is in its reply; our stable id is the Message-ID.
  return reply;
}

}  // namespace tinhso::notify
