// Kept-alive connections for callers that talk to the same systems over and over (the gateway
// toward its upstreams): http::Fetch opens and closes a connection per call, which on a busy
// gateway costs a connect (and for https:// a TLS handshake) per call and fills the port range
// with TIME_WAIT sockets.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>

#include "core/result.hpp"
#include "http/client.hpp"

namespace tinhso::http {

class ClientPool {
 public:
  struct Options {
    /// Idle connections kept per origin (scheme, host, port and TLS settings); more are closed.
    std::size_t max_idle_per_origin = 64;
    /// An idle connection older than this is closed rather than reused: shorter than the
    /// keep-alive timeouts servers commonly use (Node 5 s, Apache 5 s, nginx 75 s), so that a
    /// server rarely closes one just as we send on it.
    std::chrono::milliseconds idle_timeout{4000};
  };
  explicit ClientPool(Options options);
  ClientPool() : ClientPool(Options{}) {}
  ~ClientPool();
  ClientPool(const ClientPool&) = delete;
  ClientPool& operator=(const ClientPool&) = delete;

  /// As http::Fetch, with the same errors, on an idle kept-alive connection to the request's
  /// origin when there is one, else on a new one that is kept afterwards if the server allows.
  /// A connection the peer closed while idle is noticed before use and replaced. If a reused
  /// connection still fails before any byte of the answer arrives, the request is sent once
  /// more on a new connection only when that cannot do its effect twice: an idempotent method
  /// (GET, HEAD, PUT, DELETE, OPTIONS) or a request carrying an Idempotency-Key.
  /// Thread-safe: a connection serves one call at a time.
  Result<ClientResponse> Fetch(const ClientRequest& request);

  /// Idle connections held now (tests).
  std::size_t idle() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tinhso::http
