// The access log: one JSON line per request, written by a background spdlog thread.
#include <spdlog/async.h>
#include <spdlog/async_logger.h>
#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>

#include <cstdio>
#include <ctime>

#include "http/internal.hpp"

namespace tinhso::http::internal {

std::string FormatAccessRecord(const AccessRecord& r) {
  using namespace std::chrono;
  const auto ms = time_point_cast<milliseconds>(r.time);
  const std::time_t secs = system_clock::to_time_t(time_point_cast<seconds>(ms));
  std::tm utc{};
  gmtime_r(&secs, &utc);
  char time_text[64];
  std::snprintf(time_text, sizeof time_text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
                utc.tm_year + 1900, utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min,
                utc.tm_sec, static_cast<int>(ms.time_since_epoch().count() % 1000));
  char duration[32];
  std::snprintf(duration, sizeof duration, "%.3f", r.duration_ms);

  std::string line;
  line.reserve(256);
  line += "{\"time\":\"";
  line += time_text;
  line += "\",\"request_id\":";
  AppendJsonString(line, r.request_id);
  line += ",\"ip\":";
  AppendJsonString(line, r.ip);
  line += ",\"method\":";
  AppendJsonString(line, r.method);
  line += ",\"path\":";
  AppendJsonString(line, r.path);
  line += ",\"route\":";
  AppendJsonString(line, r.route);
  line += ",\"status\":";
  line += std::to_string(r.status);
  line += ",\"bytes\":";
  line += std::to_string(r.bytes);
  line += ",\"duration_ms\":";
  line += duration;
  if (r.user_id != 0) {
    line += ",\"user_id\":";
    line += std::to_string(r.user_id);
  }
  line += '}';
  return line;
}

struct AccessLog::Impl {
  // The pool is owned here, not spdlog's global one, so that several servers (tests) never
  // fight over global registry names and the queue drains when this log is destroyed.
  std::shared_ptr<spdlog::details::thread_pool> pool;
  std::shared_ptr<spdlog::async_logger> logger;
};

Result<std::unique_ptr<AccessLog>> AccessLog::Open(const std::string& path) {
  auto impl = std::make_unique<Impl>();
  try {
    spdlog::sink_ptr sink;
    if (path.empty()) {
      sink = std::make_shared<spdlog::sinks::stdout_sink_mt>();
    } else {
      sink = std::make_shared<spdlog::sinks::basic_file_sink_mt>(path, /*truncate=*/false);
    }
    impl->pool = std::make_shared<spdlog::details::thread_pool>(8192, 1);
    // overrun_oldest: under a flood the log loses its oldest queued lines instead of making
    // the I/O threads wait for the disk.
    impl->logger =
        std::make_shared<spdlog::async_logger>("tinhso.access", std::move(sink), impl->pool,
                                               spdlog::async_overflow_policy::overrun_oldest);
    impl->logger->set_pattern("%v");
    impl->logger->set_level(spdlog::level::info);
  } catch (const spdlog::spdlog_ex& e) {
    return MakeError(ErrorCode::kUnavailable, "http.access_log",
                     "Không mở được tệp nhật ký truy cập: " + path,
                     "Cannot open the access log: " + path, e.what());
  }
  return std::unique_ptr<AccessLog>(new AccessLog(std::move(impl)));
}

AccessLog::AccessLog(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

AccessLog::~AccessLog() {
  if (!impl_ || !impl_->logger) return;
  impl_->logger->flush();
  // Join the writer thread first (it drains the queue, flush included), so the logger and its
  // sink are released after the last write, on this thread.
  impl_->pool.reset();
  impl_->logger.reset();
}

void AccessLog::Write(const AccessRecord& record) {
  impl_->logger->info("{}", FormatAccessRecord(record));
}

void AccessLog::Flush() { impl_->logger->flush(); }

}  // namespace tinhso::http::internal
