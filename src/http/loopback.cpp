#include "http/loopback.hpp"

#include <chrono>
#include <filesystem>

namespace tinhso::http {

Result<std::unique_ptr<LoopbackServer>> LoopbackServer::Start(const Router& router,
                                                              const std::string& name,
                                                              const std::string& access_log_path,
                                                              const std::string& upload_dir) {
  return Start(router, name, access_log_path, upload_dir, Options{});
}

Result<std::unique_ptr<LoopbackServer>> LoopbackServer::Start(const Router& router,
                                                              const std::string& name,
                                                              const std::string& access_log_path,
                                                              const std::string& upload_dir,
                                                              Options loopback_options) {
  ServerOptions options;
  options.host = "127.0.0.1";
  options.port = loopback_options.port;
  options.io_threads = 1;
  options.worker_threads = loopback_options.worker_threads;
  options.handle_signals = false;  // the process it lives in has its own
  options.rate_per_second = 0;
  options.shutdown_grace = std::chrono::seconds(2);
  options.access_log_path = access_log_path;
  options.upload_dir = upload_dir.empty()
                           ? (std::filesystem::temp_directory_path() / ("tinhso-" + name)).string()
                           : upload_dir;
  std::unique_ptr<LoopbackServer> loopback(new LoopbackServer());
  loopback->server_ = std::make_unique<Server>(router, loopback->guard_, std::move(options));
  TINHSO_RETURN_IF_ERROR(loopback->server_->Start());
  loopback->base_url_ = "http://127.0.0.1:" + std::to_string(loopback->server_->port());
  Server* server = loopback->server_.get();
  loopback->thread_ = std::thread([server] { server->Run(); });
  return loopback;
}

unsigned short LoopbackServer::port() const { return server_->port(); }

LoopbackServer::~LoopbackServer() {
  if (server_) server_->Stop();
  if (thread_.joinable()) thread_.join();
}

}  // namespace tinhso::http
