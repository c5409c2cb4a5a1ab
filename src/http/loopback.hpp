// The HTTP server a stand-in for an outside system stands on (the national payment platform's
// simulator, the SMS gateway's): 127.0.0.1 at a port the kernel picks, every request admitted
// (the stand-in checks its own protocol), run on a thread of its own until destroyed.
#pragma once

#include <memory>
#include <string>
#include <thread>

#include "core/result.hpp"
#include "http/http.hpp"

namespace tinhso::http {

class LoopbackServer {
 public:
  struct Options {
    // 0: a port the kernel picks. A stand-in that goes down and comes back (an outage) listens
    // again on the port it had, where its clients still look for it.
    unsigned short port = 0;
    // 0: handlers run on the one I/O thread. A stand-in whose handlers wait (a slow or held
    // answer) needs threads of their own, or one waiting answer would hold every other.
    int worker_threads = 0;
  };
  // Serves `router`, which must outlive the server. Uploads spool to `upload_dir`, or when it is
  // empty to <temp dir>/tinhso-<name>. Errors: those of Server::Start (kUnavailable when the
  // port is taken).
  static Result<std::unique_ptr<LoopbackServer>> Start(const Router& router,
                                                       const std::string& name,
                                                       const std::string& access_log_path,
                                                       const std::string& upload_dir);
  static Result<std::unique_ptr<LoopbackServer>> Start(const Router& router,
                                                       const std::string& name,
                                                       const std::string& access_log_path,
                                                       const std::string& upload_dir,
                                                       Options options);
  ~LoopbackServer();  // stops the server and joins its thread
  LoopbackServer(const LoopbackServer&) = delete;
  LoopbackServer& operator=(const LoopbackServer&) = delete;

  // "http://127.0.0.1:<port>"
  const std::string& base_url() const { return base_url_; }
  unsigned short port() const;

 private:
  class AdmitAll final : public Guard {
   public:
    Result<core::Actor> Admit(const Request&, const Route&) override { return core::Actor{}; }
  };
  LoopbackServer() = default;

  AdmitAll guard_;
  std::unique_ptr<Server> server_;
  std::thread thread_;
  std::string base_url_;
};

}  // namespace tinhso::http
