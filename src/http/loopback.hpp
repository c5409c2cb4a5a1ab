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
  // Serves `router`, which must outlive the server. Uploads spool to `upload_dir`, or when it is
  // empty to <temp dir>/tinhso-<name>. Errors: those of Server::Start.
  static Result<std::unique_ptr<LoopbackServer>> Start(const Router& router,
                                                       const std::string& name,
                                                       const std::string& access_log_path,
                                                       const std::string& upload_dir);
  ~LoopbackServer();  // stops the server and joins its thread
  LoopbackServer(const LoopbackServer&) = delete;
  LoopbackServer& operator=(const LoopbackServer&) = delete;

  // "http://127.0.0.1:<port>"
  const std::string& base_url() const { return base_url_; }

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
