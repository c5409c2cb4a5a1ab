// The blocking HTTP/1.1 client (see client.hpp). Beast over Asio, like server.cpp.
//
// Why asynchronous operations behind a blocking call: beast::tcp_stream's timeout only applies
// to asynchronous operations (a synchronous read on it would wait for ever on a silent peer).
// So connecting, and every exchange over TLS, runs a coroutine on the connection's own
// io_context and blocks in io_context::run() until it is over; expires_after() set before
// connecting is a deadline for the whole exchange (a kept-alive connection of ClientPool gets a
// new one for each request). A plain exchange instead runs on the socket with blocking calls
// that poll() until the same deadline (DeadlineSocket): far cheaper per call. Name resolution is
// synchronous and outside the deadline: configured gateway URLs name fixed hosts, and the tests
// use 127.0.0.1.
//
// https:// runs the same exchange over beast::ssl_stream. The request says "Connection: close"
// and the response is read to its end, so the TLS close_notify is neither sent nor awaited: a
// peer that closes without one cannot cut a response short unnoticed, because the parser knows
// where the body ends (Content-Length or chunking) and reports anything less.
#include "http/client.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <boost/system/system_error.hpp>
#include <boost/url/parse.hpp>
#include <cerrno>
#include <exception>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include "http/client_pool.hpp"

namespace tinhso::http {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = net::ip::tcp;

// Completion token: results as a tuple (error_code first), never an exception.
constexpr auto kNoThrow = net::as_tuple(net::use_awaitable);

bhttp::verb VerbFor(Method m) {
  switch (m) {
    case Method::kGet:
      return bhttp::verb::get;
    case Method::kHead:
      return bhttp::verb::head;
    case Method::kPost:
      return bhttp::verb::post;
    case Method::kPut:
      return bhttp::verb::put;
    case Method::kPatch:
      return bhttp::verb::patch;
    case Method::kDelete:
      return bhttp::verb::delete_;
    case Method::kOptions:
      return bhttp::verb::options;
  }
  return bhttp::verb::get;
}

Error BadUrl(std::string_view url, std::string_view why_vi, std::string_view why_en) {
  return MakeError(
      ErrorCode::kInvalidArgument, "http.client_bad_url",
      "Địa chỉ \"" + std::string(url) + "\" không dùng được: " + std::string(why_vi),
      "The address \"" + std::string(url) + "\" cannot be used: " + std::string(why_en));
}

Error Unreachable(std::string_view where, const beast::error_code& ec) {
  return MakeError(
      ErrorCode::kUnavailable, "http.client_unreachable",
      "Không kết nối được tới hệ thống bên ngoài (" + std::string(where) +
          "). Vui lòng thử lại sau.",
      "Could not reach the remote system (" + std::string(where) + "). Please try again later.",
      ec.message());
}

Error TimedOut(std::string_view where, std::chrono::milliseconds timeout) {
  return MakeError(ErrorCode::kTimeout, "http.client_timeout",
                   "Hệ thống bên ngoài (" + std::string(where) + ") không trả lời trong " +
                       std::to_string(timeout.count()) + " ms.",
                   "The remote system (" + std::string(where) + ") did not answer within " +
                       std::to_string(timeout.count()) + " ms.");
}

Error Untrusted(std::string_view where, const beast::error_code& ec) {
  return MakeError(
      ErrorCode::kUnavailable, "http.client_untrusted_peer",
      "Không thiết lập được kết nối an toàn (TLS) tới hệ thống bên ngoài (" + std::string(where) +
          "): chứng thư số của máy chủ không tin cậy, đã hết hạn hoặc không đúng tên máy chủ.",
      "Could not set up a secure (TLS) connection to the remote system (" + std::string(where) +
          "): its certificate is not trusted, has expired, or names another host.",
      ec.message());
}

// The server refused our certificate: it answered the handshake with one of these alerts (TLS
// 1.3 sends them after the client has finished its side, so they may come with the response).
Error CertificateRefused(std::string_view where, const beast::error_code& ec) {
  return MakeError(ErrorCode::kUnavailable, "http.client_certificate_refused",
                   "Hệ thống bên ngoài (" + std::string(where) +
                       ") không chấp nhận chứng thư số của hệ thống này (không tin cậy, đã hết "
                       "hạn, bị thu hồi hoặc thiếu).",
                   "The remote system (" + std::string(where) +
                       ") refused this system's certificate (not trusted, expired, revoked or "
                       "missing).",
                   ec.message());
}

bool IsCertificateAlert(const beast::error_code& ec) {
  if (ec.category() != net::error::get_ssl_category()) return false;
  const auto code = static_cast<unsigned long>(ec.value());
  if (ERR_GET_LIB(code) != ERR_LIB_SSL) return false;
  switch (ERR_GET_REASON(code)) {
    case SSL_R_SSLV3_ALERT_BAD_CERTIFICATE:
    case SSL_R_SSLV3_ALERT_UNSUPPORTED_CERTIFICATE:
    case SSL_R_SSLV3_ALERT_CERTIFICATE_REVOKED:
    case SSL_R_SSLV3_ALERT_CERTIFICATE_EXPIRED:
    case SSL_R_SSLV3_ALERT_CERTIFICATE_UNKNOWN:
    case SSL_R_TLSV1_ALERT_UNKNOWN_CA:
    case SSL_R_TLSV1_ALERT_ACCESS_DENIED:
    case SSL_R_TLSV13_ALERT_CERTIFICATE_REQUIRED:
      return true;
    default:
      return false;
  }
}

struct Target {
  bool tls = false;
  std::string host;         // for the resolver: no brackets around an IPv6 address
  std::string port;         // "80" or "443" when the URL has none
  std::string host_header;  // as written in the URL, with the port when given
  std::string path;         // origin form: "/path?query"
};

Result<Target> ParseUrl(std::string_view url) {
  auto parsed = boost::urls::parse_uri(url);
  if (!parsed) return BadUrl(url, "sai cú pháp.", "malformed.");
  const boost::urls::url_view& u = *parsed;
  if (u.scheme_id() != boost::urls::scheme::http && u.scheme_id() != boost::urls::scheme::https) {
    return BadUrl(url, "chỉ hỗ trợ http:// và https://.",
                  "only http:// and https:// are supported.");
  }
  if (u.has_userinfo()) {
    return BadUrl(url, "không được chứa tên đăng nhập hoặc mật khẩu.",
                  "must not carry a user name or password.");
  }
  Target t;
  t.tls = u.scheme_id() == boost::urls::scheme::https;
  t.host = u.host_address();
  if (t.host.empty()) return BadUrl(url, "thiếu tên máy chủ.", "the host is missing.");
  t.port = u.has_port() ? std::string(u.port()) : t.tls ? "443" : "80";
  if (t.port.empty()) return BadUrl(url, "cổng trống.", "the port is empty.");
  t.host_header = std::string(u.encoded_host_and_port());
  t.path = std::string(u.encoded_target());
  if (t.path.empty() || t.path.front() != '/') t.path.insert(0, "/");
  return t;
}

// The outcome of one step (connect, exchange), filled in by the coroutine.
struct Outcome {
  beast::error_code ec;
  const char* step = "";  // which step failed: "resolve", "connect", "handshake", "write", "read"
  bool tls_failure = false;  // the TLS handshake failed (certificate, name, protocol)
  bool answered = false;     // some of the answer arrived
  bool keep = false;         // the connection may carry another request
  ClientResponse response;
};

// One connection: its own io_context (each blocking call runs it until its coroutine is over),
// the TCP stream and, for https://, the TLS stream over it.
struct Connection {
  net::io_context ioc;
  std::shared_ptr<net::ssl::context> tls;  // outlives the stream that uses it
  std::optional<beast::tcp_stream> plain;
  std::optional<beast::ssl_stream<beast::tcp_stream>> secure;
  std::chrono::steady_clock::time_point idle_since;
  std::chrono::steady_clock::time_point deadline;  // of the call now using the connection

  beast::tcp_stream& lowest() { return secure ? beast::get_lowest_layer(*secure) : *plain; }
  void Close() {
    beast::error_code ignored;
    lowest().socket().shutdown(tcp::socket::shutdown_both, ignored);
    lowest().socket().close(ignored);
  }
  // Whether the peer closed while idle, or wrote unasked (no HTTP/1.1 server does; over TLS
  // the bytes may be a session ticket or close_notify, which only the next send will tell).
  bool Dropped() {
    char byte;
    const ssize_t got =
        ::recv(lowest().socket().native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
    if (got < 0) return errno != EAGAIN && errno != EWOULDBLOCK;
    return got == 0 || !secure;
  }
};

bhttp::request<bhttp::string_body> RequestFor(const ClientRequest& request, const Target& target,
                                              bool keep_alive) {
  bhttp::request<bhttp::string_body> req{VerbFor(request.method), target.path, 11};
  req.set(bhttp::field::host, target.host_header);
  req.set(bhttp::field::user_agent, "tinhso");
  for (const auto& [name, value] : request.headers) req.set(name, value);
  req.keep_alive(keep_alive);
  req.body() = request.body;
  req.prepare_payload();
  return req;
}

// The answer, once read in full, into `out`.
void TakeResponse(bhttp::response_parser<bhttp::string_body>& parser,
                  const beast::flat_buffer& buffer, bool keep_alive, Outcome& out) {
  auto& res = parser.get();
  // Bytes after the answer would be read as the next answer: such a connection is not reused.
  out.keep = keep_alive && res.keep_alive() && parser.is_done() && buffer.size() == 0;
  out.response.status = static_cast<int>(res.result_int());
  for (const auto& field : res) {
    std::string name(field.name_string());
    for (char& c : name) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    out.response.headers.emplace_back(std::move(name), std::string(field.value()));
  }
  out.response.body = std::move(res.body());
}

// Writes the request and reads the response on a connected (and, for TLS, handshaken) stream.
template <class Stream>
net::awaitable<void> Exchange(Stream& stream, const ClientRequest& request, const Target& target,
                              bool keep_alive, Outcome& out) {
  auto req = RequestFor(request, target, keep_alive);
  auto [write_ec, written] = co_await bhttp::async_write(stream, req, kNoThrow);
  if (write_ec) {
    out.ec = write_ec;
    out.step = "write";
    out.tls_failure = write_ec.category() == net::error::get_ssl_category();
    co_return;
  }

  beast::flat_buffer buffer;
  bhttp::response_parser<bhttp::string_body> parser;
  parser.body_limit(request.max_response_bytes);
  parser.skip(request.method == Method::kHead);
  auto [read_ec, read] = co_await bhttp::async_read(stream, buffer, parser, kNoThrow);
  out.answered = parser.got_some();
  // A TLS peer that closes without close_notify after a body delimited by the end of the
  // connection (HTTP/1.0 style) reports stream_truncated; the parser still sees the end.
  if (read_ec == net::ssl::error::stream_truncated && parser.is_done()) read_ec = {};
  if (read_ec) {
    out.ec = read_ec;
    out.step = "read";
    // TLS 1.3: a server that refuses the client's certificate says so after the handshake.
    out.tls_failure = read_ec.category() == net::error::get_ssl_category();
    co_return;
  }
  TakeResponse(parser, buffer, keep_alive, out);
}

// A plain connection's socket driven by blocking calls (Beast's SyncReadStream and
// SyncWriteStream): each read or write waits in poll() until the call's deadline at most, so a
// silent peer still cannot hold it longer. For a plain call this replaces the coroutine on the
// connection's io_context, whose timer, reactor and hand-offs cost more than the exchange
// itself when a gateway relays thousands of calls a second over kept-alive connections.
class DeadlineSocket {
 public:
  DeadlineSocket(int fd, std::chrono::steady_clock::time_point deadline)
      : fd_(fd), deadline_(deadline) {}

  template <class MutableBuffers>
  std::size_t read_some(const MutableBuffers& buffers, beast::error_code& ec) {
    ec = {};
    for (auto it = net::buffer_sequence_begin(buffers); it != net::buffer_sequence_end(buffers);
         ++it) {
      const net::mutable_buffer b(*it);
      if (b.size() == 0) continue;
      while (true) {
        const ssize_t n = ::recv(fd_, b.data(), b.size(), MSG_DONTWAIT);
        if (n > 0) return static_cast<std::size_t>(n);
        if (n == 0) {
          ec = net::error::eof;
          return 0;
        }
        if (!Wait(POLLIN, ec)) return 0;
      }
    }
    return 0;
  }
  template <class ConstBuffers>
  std::size_t write_some(const ConstBuffers& buffers, beast::error_code& ec) {
    ec = {};
    iovec parts[16];
    std::size_t count = 0;
    for (auto it = net::buffer_sequence_begin(buffers);
         it != net::buffer_sequence_end(buffers) && count < std::size(parts); ++it) {
      const net::const_buffer b(*it);
      if (b.size() == 0) continue;
      parts[count++] = {const_cast<void*>(b.data()), b.size()};
    }
    if (count == 0) return 0;
    msghdr message{};
    message.msg_iov = parts;
    message.msg_iovlen = count;
    while (true) {
      const ssize_t n = ::sendmsg(fd_, &message, MSG_DONTWAIT | MSG_NOSIGNAL);
      if (n >= 0) return static_cast<std::size_t>(n);
      if (!Wait(POLLOUT, ec)) return 0;
    }
  }
  // The throwing forms Beast's stream concepts also ask for.
  template <class MutableBuffers>
  std::size_t read_some(const MutableBuffers& buffers) {
    beast::error_code ec;
    const std::size_t n = read_some(buffers, ec);
    if (ec) throw boost::system::system_error(ec);
    return n;
  }
  template <class ConstBuffers>
  std::size_t write_some(const ConstBuffers& buffers) {
    beast::error_code ec;
    const std::size_t n = write_some(buffers, ec);
    if (ec) throw boost::system::system_error(ec);
    return n;
  }

 private:
  // After a call that failed with errno: true to try again (the socket may be ready now), false
  // with `ec` set on a real error or once the deadline has passed.
  bool Wait(short events, beast::error_code& ec) {
    if (errno == EINTR) return true;
    if (errno != EAGAIN && errno != EWOULDBLOCK) {
      ec = beast::error_code(errno, boost::system::system_category());
      return false;
    }
    const auto left =
        std::chrono::ceil<std::chrono::milliseconds>(deadline_ - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      ec = beast::error::timeout;
      return false;
    }
    pollfd ready{.fd = fd_, .events = events, .revents = 0};
    if (::poll(&ready, 1, static_cast<int>(std::min<std::int64_t>(left.count(), 1 << 30))) < 0 &&
        errno != EINTR) {
      ec = beast::error_code(errno, boost::system::system_category());
      return false;
    }
    return true;
  }

  int fd_;
  std::chrono::steady_clock::time_point deadline_;
};

void ExchangeBlocking(DeadlineSocket& stream, const ClientRequest& request, const Target& target,
                      bool keep_alive, Outcome& out) {
  auto req = RequestFor(request, target, keep_alive);
  beast::error_code ec;
  bhttp::write(stream, req, ec);
  if (ec) {
    out.ec = ec;
    out.step = "write";
    return;
  }
  beast::flat_buffer buffer;
  bhttp::response_parser<bhttp::string_body> parser;
  parser.body_limit(request.max_response_bytes);
  parser.skip(request.method == Method::kHead);
  bhttp::read(stream, buffer, parser, ec);
  out.answered = parser.got_some();
  if (ec) {
    out.ec = ec;
    out.step = "read";
    return;
  }
  TakeResponse(parser, buffer, keep_alive, out);
}

net::awaitable<void> Connect(Connection& c, const Target& target,
                             const tcp::resolver::results_type& endpoints, Outcome& out) {
  auto [connect_ec, endpoint] = co_await c.plain->async_connect(endpoints, kNoThrow);
  if (connect_ec) {
    out.ec = connect_ec;
    out.step = "connect";
    co_return;
  }
  if (!c.tls) co_return;

  c.secure.emplace(std::move(*c.plain), *c.tls);
  c.plain.reset();
  auto& stream = *c.secure;
  // Server Name Indication for a DNS name (not sent for an IP address, as RFC 6066 says), and
  // the certificate must name the host we asked for.
  beast::error_code not_an_address;
  net::ip::make_address(target.host, not_an_address);
  if (not_an_address &&
      SSL_set_tlsext_host_name(stream.native_handle(), target.host.c_str()) != 1) {
    out.ec = beast::error_code(static_cast<int>(::ERR_get_error()), net::error::get_ssl_category());
    out.step = "handshake";
    out.tls_failure = true;
    co_return;
  }
  stream.set_verify_callback(net::ssl::host_name_verification(target.host));
  auto [handshake_ec] = co_await stream.async_handshake(net::ssl::stream_base::client, kNoThrow);
  if (handshake_ec) {
    out.ec = handshake_ec;
    out.step = "handshake";
    // A timeout or a reset during the handshake is the network's doing, not the certificate's.
    out.tls_failure = handshake_ec.category() == net::error::get_ssl_category() ||
                      handshake_ec == net::ssl::error::stream_truncated;
  }
}

// Runs `coroutine` on the connection's io_context until it is over; an exception escaping it
// (none is expected: every operation reports through Outcome) becomes kInternal.
Result<void> RunOn(Connection& c, net::awaitable<void> coroutine) {
  std::exception_ptr failure;
  net::co_spawn(c.ioc, std::move(coroutine), [&failure](std::exception_ptr e) { failure = e; });
  c.ioc.restart();
  c.ioc.run();
  if (!failure) return Ok();
  try {
    std::rethrow_exception(failure);
  } catch (const std::exception& e) {
    return InternalError(std::string("http client: ") + e.what());
  } catch (...) {
    return InternalError("http client: a non-standard exception");
  }
}

// A new connection to `target`, connected (and handshaken), or the outcome saying why not.
Result<std::unique_ptr<Connection>> Open(const ClientRequest& request, const Target& target,
                                         std::shared_ptr<net::ssl::context> tls, Outcome& out) {
  auto c = std::make_unique<Connection>();
  c->tls = std::move(tls);
  beast::error_code resolve_ec;
  tcp::resolver resolver(c->ioc);
  auto endpoints = resolver.resolve(target.host, target.port, resolve_ec);
  if (resolve_ec) {
    out.ec = resolve_ec;
    out.step = "resolve";
    return c;
  }
  c->plain.emplace(c->ioc);
  c->deadline = std::chrono::steady_clock::now() + request.timeout;
  c->plain->expires_after(request.timeout);
  TINHSO_RETURN_IF_ERROR(RunOn(*c, Connect(*c, target, endpoints, out)));
  return c;
}

// One request and its answer on an open connection. A new connection keeps the deadline its
// connect began (the timeout covers the whole call); a reused one gets the whole timeout.
Result<void> Send(Connection& c, const ClientRequest& request, const Target& target,
                  bool keep_alive, bool reused, Outcome& out) {
  if (!c.secure) {
    c.plain->expires_never();  // the connect's timer: this exchange keeps its own deadline
    DeadlineSocket socket(c.plain->socket().native_handle(),
                          reused ? std::chrono::steady_clock::now() + request.timeout : c.deadline);
    ExchangeBlocking(socket, request, target, keep_alive, out);
    return Ok();
  }
  if (reused) c.lowest().expires_after(request.timeout);
  Result<void> ran = RunOn(c, Exchange(*c.secure, request, target, keep_alive, out));
  c.lowest().expires_never();
  return ran;
}

// The outcome of a whole call as Fetch reports it.
Result<ClientResponse> Report(const ClientRequest& request, std::string_view where, Outcome& out) {
  if (out.ec == beast::error::timeout) return TimedOut(where, request.timeout);
  if (out.ec == bhttp::error::body_limit) {
    return MakeError(
        ErrorCode::kPayloadTooLarge, "http.client_response_too_large",
        "Hệ thống bên ngoài (" + std::string(where) + ") trả về dữ liệu quá lớn.",
        "The remote system (" + std::string(where) + ") sent a response that is too large.");
  }
  if (out.tls_failure && IsCertificateAlert(out.ec)) return CertificateRefused(where, out.ec);
  if (out.tls_failure) return Untrusted(where, out.ec);
  if (out.ec) {
    Error e = Unreachable(where, out.ec);
    e.detail = std::string(out.step) + ": " + out.ec.message();
    return e;
  }
  return std::move(out.response);
}

bool SafeToSendAgain(const ClientRequest& request) {
  switch (request.method) {
    case Method::kGet:
    case Method::kHead:
    case Method::kPut:
    case Method::kDelete:
    case Method::kOptions:
      return true;
    case Method::kPost:
    case Method::kPatch:
      break;
  }
  for (const auto& [name, value] : request.headers) {
    if (boost::beast::iequals(name, "idempotency-key")) return true;
  }
  return false;
}

// The TLS settings of one https:// call: TLS 1.2 or later, the peer verified against the
// system's trust store or the request's CA file, and this side's certificate if it has one.
Result<std::shared_ptr<net::ssl::context>> TlsContext(const ClientRequest& request) {
  auto context = std::make_shared<net::ssl::context>(net::ssl::context::tls_client);
  context->set_options(net::ssl::context::default_workarounds | net::ssl::context::no_sslv2 |
                       net::ssl::context::no_sslv3 | net::ssl::context::no_tlsv1 |
                       net::ssl::context::no_tlsv1_1);
  context->set_verify_mode(net::ssl::verify_peer);
  beast::error_code ec;
  if (request.ca_file.empty()) {
    context->set_default_verify_paths(ec);
  } else {
    context->load_verify_file(request.ca_file, ec);
  }
  if (ec) {
    return MakeError(ErrorCode::kInvalidArgument, "http.client_bad_ca_file",
                     "Không đọc được tệp chứng thư CA \"" + request.ca_file + "\".",
                     "Cannot read the CA certificate file \"" + request.ca_file + "\".",
                     ec.message());
  }
  if (!request.client_cert_file.empty() || !request.client_key_file.empty()) {
    const std::string& key_file =
        request.client_key_file.empty() ? request.client_cert_file : request.client_key_file;
    context->use_certificate_chain_file(request.client_cert_file, ec);
    if (!ec) context->use_private_key_file(key_file, net::ssl::context::pem, ec);
    if (ec || SSL_CTX_check_private_key(context->native_handle()) != 1) {
      return MakeError(ErrorCode::kInvalidArgument, "http.client_bad_certificate",
                       "Không dùng được chứng thư số \"" + request.client_cert_file +
                           "\" và khóa bí mật \"" + key_file + "\" của hệ thống này.",
                       "Cannot use this system's certificate \"" + request.client_cert_file +
                           "\" and private key \"" + key_file + "\".",
                       ec ? ec.message() : "the key does not match the certificate");
    }
  }
  return context;
}

}  // namespace

std::string_view ClientResponse::Header(std::string_view lower_name) const {
  for (const auto& [name, value] : headers) {
    if (name == lower_name) return value;
  }
  return {};
}

Result<ClientResponse> Fetch(const ClientRequest& request) {
  TINHSO_ASSIGN_OR_RETURN(Target target, ParseUrl(request.url));
  std::shared_ptr<net::ssl::context> tls;
  if (target.tls) {
    TINHSO_ASSIGN_OR_RETURN(tls, TlsContext(request));
  }
  Outcome out;
  TINHSO_ASSIGN_OR_RETURN(std::unique_ptr<Connection> c, Open(request, target, tls, out));
  if (!out.ec) {
    TINHSO_RETURN_IF_ERROR(Send(*c, request, target, /*keep_alive=*/false, /*reused=*/false, out));
    c->Close();
  }
  return Report(request, target.host_header, out);
}

// ---- ClientPool -----------------------------------------------------------------------------

struct ClientPool::Impl {
  Options options;
  mutable std::mutex mu;
  // Per origin: the idle connections, the most recently used last (reused first: the warmest),
  // and the TLS settings made once (reading a CA file per call is not free).
  std::map<std::string, std::vector<std::unique_ptr<Connection>>, std::less<>> idle;
  std::map<std::string, std::shared_ptr<net::ssl::context>, std::less<>> tls;

  // The newest idle connection to `origin` that is fresh and open; stale ones are closed.
  std::unique_ptr<Connection> Take(const std::string& origin) {
    std::vector<std::unique_ptr<Connection>> stale;
    std::unique_ptr<Connection> found;
    {
      std::lock_guard lock(mu);
      auto it = idle.find(origin);
      if (it == idle.end()) return nullptr;
      auto& list = it->second;
      const auto now = std::chrono::steady_clock::now();
      while (!list.empty() && !found) {
        std::unique_ptr<Connection> c = std::move(list.back());
        list.pop_back();
        if (now - c->idle_since >= options.idle_timeout) {
          stale.push_back(std::move(c));
        } else {
          found = std::move(c);
        }
      }
      // The rest are older still: drop the expired ones at the front too.
      while (!list.empty() && now - list.front()->idle_since >= options.idle_timeout) {
        stale.push_back(std::move(list.front()));
        list.erase(list.begin());
      }
    }
    for (auto& c : stale) c->Close();
    if (found && found->Dropped()) {
      found->Close();
      return Take(origin);
    }
    return found;
  }

  void Give(const std::string& origin, std::unique_ptr<Connection> c) {
    c->idle_since = std::chrono::steady_clock::now();
    {
      std::lock_guard lock(mu);
      auto& list = idle[origin];
      if (list.size() < options.max_idle_per_origin) {
        list.push_back(std::move(c));
        return;
      }
    }
    c->Close();
  }
};

ClientPool::ClientPool(Options options) : impl_(std::make_unique<Impl>()) {
  impl_->options = options;
}

ClientPool::~ClientPool() {
  for (auto& [origin, list] : impl_->idle) {
    for (auto& c : list) c->Close();
  }
}

std::size_t ClientPool::idle() const {
  std::lock_guard lock(impl_->mu);
  std::size_t n = 0;
  for (const auto& [origin, list] : impl_->idle) n += list.size();
  return n;
}

Result<ClientResponse> ClientPool::Fetch(const ClientRequest& request) {
  TINHSO_ASSIGN_OR_RETURN(Target target, ParseUrl(request.url));
  std::string origin = (target.tls ? "https://" : "http://") + target.host + ":" + target.port;
  std::shared_ptr<net::ssl::context> tls;
  if (target.tls) {
    origin +=
        "\n" + request.ca_file + "\n" + request.client_cert_file + "\n" + request.client_key_file;
    {
      std::lock_guard lock(impl_->mu);
      if (auto it = impl_->tls.find(origin); it != impl_->tls.end()) tls = it->second;
    }
    if (!tls) {
      TINHSO_ASSIGN_OR_RETURN(tls, TlsContext(request));
      std::lock_guard lock(impl_->mu);
      impl_->tls.emplace(origin, tls);
    }
  }
  if (std::unique_ptr<Connection> reused = impl_->Take(origin)) {
    Outcome out;
    TINHSO_RETURN_IF_ERROR(
        Send(*reused, request, target, /*keep_alive=*/true, /*reused=*/true, out));
    const bool lost = out.ec && !out.answered && out.ec != beast::error::timeout;
    if (!lost || !SafeToSendAgain(request)) {
      if (out.keep) {
        impl_->Give(origin, std::move(reused));
      } else {
        reused->Close();
      }
      return Report(request, target.host_header, out);
    }
    // The peer closed it as we sent: once more, on a new connection.
    reused->Close();
  }
  Outcome out;
  TINHSO_ASSIGN_OR_RETURN(std::unique_ptr<Connection> c, Open(request, target, tls, out));
  if (!out.ec) {
    TINHSO_RETURN_IF_ERROR(Send(*c, request, target, /*keep_alive=*/true, /*reused=*/false, out));
    if (out.keep) {
      impl_->Give(origin, std::move(c));
    } else {
      c->Close();
    }
  }
  return Report(request, target.host_header, out);
}

}  // namespace tinhso::http
