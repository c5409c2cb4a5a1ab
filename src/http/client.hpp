// A small blocking HTTP/1.1 client for talking to national systems (the payment platform first).
// No Beast or Asio here, like http.hpp: callers stay cheap to compile; client.cpp holds Beast.
//
// Only "http://" for now: the tests and the simulator use loopback. TLS (https://, with
// certificate verification against the system store) is a later step; an https URL is refused
// with kInvalidArgument rather than silently sent in clear.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>

#include "core/result.hpp"
#include "http/http.hpp"

namespace tinhso::http {

struct ClientRequest {
  Method method = Method::kGet;
  std::string url;  // "http://host[:port]/path[?query]"
  Headers headers;  // extra headers; Host, Content-Length and User-Agent are set by Fetch
  std::string body;
  // The whole exchange (resolve excluded): connect, send, and read the complete response.
  std::chrono::milliseconds timeout{10'000};
  // A response body above this is refused (a misbehaving peer must not exhaust our memory).
  std::size_t max_response_bytes = 4 << 20;
};

struct ClientResponse {
  int status = 0;
  Headers headers;  // names lower-case, as in Request
  std::string body;

  // The first header with this lower-case name, or "".
  std::string_view Header(std::string_view lower_name) const;
};

// Sends one request on a fresh connection ("Connection: close") and returns the response,
// whatever its status (a 500 from the peer is a response, not an error).
// Errors:
//   kInvalidArgument "http.client_bad_url"            malformed URL, or not http://
//   kUnavailable     "http.client_unreachable"        name not resolved, connection refused or
//                                                     reset, malformed response
//   kTimeout         "http.client_timeout"            no complete response within `timeout`
//   kPayloadTooLarge "http.client_response_too_large" body above max_response_bytes
// Thread-safe: every call has its own connection and I/O context.
Result<ClientResponse> Fetch(const ClientRequest& request);

}  // namespace tinhso::http
