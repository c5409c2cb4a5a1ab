// The blocking HTTP/1.1 client (see client.hpp). Beast over Asio, like server.cpp.
//
// Why asynchronous operations behind a blocking call: beast::tcp_stream's timeout only applies
// to asynchronous operations (a synchronous read on it would wait for ever on a silent peer).
// So each Fetch runs one coroutine on its own io_context and blocks in io_context::run() until
// the exchange is over; expires_after() set once before connecting is a deadline for the whole
// exchange. Name resolution is synchronous and outside the deadline: configured gateway URLs
// name fixed hosts, and the tests use 127.0.0.1.
#include "http/client.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/url/parse.hpp>
#include <exception>

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

struct Target {
  std::string host;         // for the resolver: no brackets around an IPv6 address
  std::string port;         // "80" when the URL has none
  std::string host_header;  // as written in the URL, with the port when given
  std::string path;         // origin form: "/path?query"
};

Result<Target> ParseUrl(std::string_view url) {
  auto parsed = boost::urls::parse_uri(url);
  if (!parsed) return BadUrl(url, "sai cú pháp.", "malformed.");
  const boost::urls::url_view& u = *parsed;
  if (u.scheme_id() == boost::urls::scheme::https) {
    return BadUrl(url, "chưa hỗ trợ https (TLS sẽ được bổ sung sau).",
                  "https is not supported yet (TLS is a later step).");
  }
  if (u.scheme_id() != boost::urls::scheme::http) {
    return BadUrl(url, "chỉ hỗ trợ http://.", "only http:// is supported.");
  }
  if (u.has_userinfo()) {
    return BadUrl(url, "không được chứa tên đăng nhập hoặc mật khẩu.",
                  "must not carry a user name or password.");
  }
  Target t;
  t.host = u.host_address();
  if (t.host.empty()) return BadUrl(url, "thiếu tên máy chủ.", "the host is missing.");
  t.port = u.has_port() ? std::string(u.port()) : "80";
  if (t.port.empty()) return BadUrl(url, "cổng trống.", "the port is empty.");
  t.host_header = std::string(u.encoded_host_and_port());
  t.path = std::string(u.encoded_target());
  if (t.path.empty() || t.path.front() != '/') t.path.insert(0, "/");
  return t;
}

// The outcome of one exchange, filled in by the coroutine.
struct Exchange {
  beast::error_code ec;
  const char* step = "";  // which step failed: "connect", "write", "read"
  ClientResponse response;
};

net::awaitable<void> Run(const ClientRequest& request, const Target& target,
                         const tcp::resolver::results_type& endpoints, Exchange& out) {
  beast::tcp_stream stream(co_await net::this_coro::executor);
  stream.expires_after(request.timeout);

  auto [connect_ec, endpoint] = co_await stream.async_connect(endpoints, kNoThrow);
  if (connect_ec) {
    out.ec = connect_ec;
    out.step = "connect";
    co_return;
  }

  bhttp::request<bhttp::string_body> req{VerbFor(request.method), target.path, 11};
  req.set(bhttp::field::host, target.host_header);
  req.set(bhttp::field::user_agent, "tinhso");
  for (const auto& [name, value] : request.headers) req.set(name, value);
  req.keep_alive(false);
  req.body() = request.body;
  req.prepare_payload();
  auto [write_ec, written] = co_await bhttp::async_write(stream, req, kNoThrow);
  if (write_ec) {
    out.ec = write_ec;
    out.step = "write";
    co_return;
  }

  beast::flat_buffer buffer;
  bhttp::response_parser<bhttp::string_body> parser;
  parser.body_limit(request.max_response_bytes);
  parser.skip(request.method == Method::kHead);
  auto [read_ec, read] = co_await bhttp::async_read(stream, buffer, parser, kNoThrow);
  if (read_ec) {
    out.ec = read_ec;
    out.step = "read";
    co_return;
  }
  auto& res = parser.get();
  out.response.status = static_cast<int>(res.result_int());
  for (const auto& field : res) {
    std::string name(field.name_string());
    for (char& c : name) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    out.response.headers.emplace_back(std::move(name), std::string(field.value()));
  }
  out.response.body = std::move(res.body());
  beast::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
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
  const std::string where = target.host_header;
  net::io_context ioc;
  beast::error_code resolve_ec;
  tcp::resolver resolver(ioc);
  auto endpoints = resolver.resolve(target.host, target.port, resolve_ec);
  if (resolve_ec) return Unreachable(where, resolve_ec);

  Exchange out;
  std::exception_ptr failure;
  net::co_spawn(ioc, Run(request, target, endpoints, out),
                [&failure](std::exception_ptr e) { failure = e; });
  ioc.run();
  if (failure) {
    try {
      std::rethrow_exception(failure);
    } catch (const std::exception& e) {
      return InternalError(std::string("http client: ") + e.what());
    } catch (...) {
      return InternalError("http client: a non-standard exception");
    }
  }
  if (out.ec == beast::error::timeout) return TimedOut(where, request.timeout);
  if (out.ec == bhttp::error::body_limit) {
    return MakeError(ErrorCode::kPayloadTooLarge, "http.client_response_too_large",
                     "Hệ thống bên ngoài (" + where + ") trả về dữ liệu quá lớn.",
                     "The remote system (" + where + ") sent a response that is too large.");
  }
  if (out.ec) {
    Error e = Unreachable(where, out.ec);
    e.detail = std::string(out.step) + ": " + out.ec.message();
    return e;
  }
  return std::move(out.response);
}

}  // namespace tinhso::http
