// The access log: one JSON line per request, written by a background thread in batches.

#include <cerrno>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <mutex>
#include <thread>
#include <utility>

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

// Lines are appended to a buffer under a short lock and written by one background thread every
// 200 ms, or sooner once 64 KiB are waiting. An asynchronous spdlog logger woke its writer
// thread for every line (a futex call per request, the largest cost left on /healthz after the
// socket calls); here a request wakes nobody unless the buffer is full.
struct AccessLog::Impl {
  static constexpr std::size_t kWakeAt = 64 * 1024;
  // Past this, lines are dropped (and counted) rather than letting a stuck disk take memory.
  static constexpr std::size_t kMaxBuffered = 8 * 1024 * 1024;
  static constexpr std::chrono::milliseconds kInterval{200};

  std::FILE* file = nullptr;
  bool owns_file = false;
  std::mutex mu;
  std::condition_variable wake;
  std::string buffer;
  std::uint64_t dropped = 0;
  bool stopping = false;
  std::thread writer;

  // Writes what is buffered. Only the writer thread and Flush() call it; `io_mu` keeps their
  // writes from interleaving.
  std::mutex io_mu;
  void Drain() {
    std::string out;
    std::uint64_t lost = 0;
    {
      std::lock_guard lock(mu);
      out.swap(buffer);
      lost = std::exchange(dropped, 0);
    }
    std::lock_guard io(io_mu);
    if (lost > 0) {
      std::fprintf(file, "{\"access_log_dropped\":%llu}\n", static_cast<unsigned long long>(lost));
    }
    if (!out.empty()) std::fwrite(out.data(), 1, out.size(), file);
    std::fflush(file);
  }

  void Loop() {
    std::unique_lock lock(mu);
    while (!stopping) {
      wake.wait_for(lock, kInterval, [this] { return stopping || buffer.size() >= kWakeAt; });
      lock.unlock();
      Drain();
      lock.lock();
    }
  }
};

Result<std::unique_ptr<AccessLog>> AccessLog::Open(const std::string& path) {
  auto impl = std::make_unique<Impl>();
  if (path.empty()) {
    impl->file = stdout;
  } else {
    impl->file = std::fopen(path.c_str(), "a");
    if (impl->file == nullptr) {
      return MakeError(ErrorCode::kUnavailable, "http.access_log",
                       "Không mở được tệp nhật ký truy cập: " + path,
                       "Cannot open the access log: " + path, std::strerror(errno));
    }
    impl->owns_file = true;
  }
  impl->writer = std::thread([raw = impl.get()] { raw->Loop(); });
  return std::unique_ptr<AccessLog>(new AccessLog(std::move(impl)));
}

AccessLog::AccessLog(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

AccessLog::~AccessLog() {
  if (!impl_) return;
  {
    std::lock_guard lock(impl_->mu);
    impl_->stopping = true;
  }
  impl_->wake.notify_one();
  impl_->writer.join();
  impl_->Drain();
  if (impl_->owns_file) std::fclose(impl_->file);
}

void AccessLog::Write(const AccessRecord& record) {
  std::string line = FormatAccessRecord(record);
  line += '\n';
  bool wake = false;
  {
    std::lock_guard lock(impl_->mu);
    if (impl_->buffer.size() + line.size() > Impl::kMaxBuffered) {
      ++impl_->dropped;
      return;
    }
    impl_->buffer += line;
    wake = impl_->buffer.size() >= Impl::kWakeAt;
  }
  if (wake) impl_->wake.notify_one();
}

void AccessLog::Flush() { impl_->Drain(); }

}  // namespace tinhso::http::internal
