// A small blocking HTTP/1.1 client for talking to national systems (the payment platform first).
// No Beast or Asio here, like http.hpp: callers stay cheap to compile; client.cpp holds Beast.
//
// "http://" and "https://". Over TLS (1.2 or later) the peer's certificate must chain to the
// trust anchors (the system's store, or the request's ca_file) and name the host of the URL (its
// DNS name, or its IP address); there is no switch to skip those checks.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>

#include "core/result.hpp"
#include "http/http.hpp"

namespace tinhso::http {

struct ClientRequest {
  Method method = Method::kGet;
  std::string url;  // "http[s]://host[:port]/path[?query]"
  Headers headers;  // extra headers; Host, Content-Length and User-Agent are set by Fetch
  std::string body;
  // The whole exchange (resolve excluded): connect, send, and read the complete response.
  std::chrono::milliseconds timeout{10'000};
  // A response body above this is refused (a misbehaving peer must not exhaust our memory).
  std::size_t max_response_bytes = 4 << 20;
  // For https://: a PEM file of the CA certificates to trust instead of the system's store
  // (/etc/ssl/certs), e.g. a national gateway's own CA, or a test's.
  std::string ca_file;
  // For https://: the certificate (and its CA chain) this side presents when the server asks
  // for one (mutual TLS: the data-integration gateway and its members' systems), and its
  // private key, both PEM (the key unencrypted); the key may sit in the certificate's file,
  // which is read for it when client_key_file is empty. Empty: no client certificate.
  std::string client_cert_file;
  std::string client_key_file;
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
//   kInvalidArgument "http.client_bad_url"            malformed URL, or neither http:// nor
//                                                     https://
//   kInvalidArgument "http.client_bad_ca_file"        ca_file cannot be read as PEM certificates
//   kInvalidArgument "http.client_bad_certificate"    client_cert_file or client_key_file cannot
//                                                     be read, or they do not match
//   kUnavailable     "http.client_untrusted_peer"     TLS: the certificate is not trusted, has
//                                                     expired, or names another host; or the
//                                                     handshake failed
//   kUnavailable     "http.client_certificate_refused" TLS: the server refused this side's
//                                                     certificate (or wanted one and got none)
//   kUnavailable     "http.client_unreachable"        name not resolved, connection refused or
//                                                     reset, malformed response
//   kTimeout         "http.client_timeout"            no complete response within `timeout`
//   kPayloadTooLarge "http.client_response_too_large" body above max_response_bytes
// Thread-safe: every call has its own connection and I/O context.
Result<ClientResponse> Fetch(const ClientRequest& request);

}  // namespace tinhso::http
