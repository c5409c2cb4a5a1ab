// The access log: one JSON line per request, written by a background thread in batches.

#include <cerrno>
#include <charconv>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <mutex>
#include <thread>
#include <utility>

#include "http/internal.hpp"

namespace tinhso::http::internal {

namespace {

void AppendNumber(std::string& out, std::int64_t v) {
  char buf[24];
  out.append(buf, std::to_chars(buf, buf + sizeof buf, v).ptr);
}

}  // namespace

void AppendAccessRecord(std::string& out, const AccessRecord& r) {
  using namespace std::chrono;
  const auto ms = time_point_cast<milliseconds>(r.time);
  const auto secs = time_point_cast<seconds>(ms);
  // "YYYY-MM-DDTHH:MM:SS." changes once a second: format it then, not for every request.
  thread_local sys_seconds cached_second{seconds::min()};
  thread_local char cached_text[80];
  if (secs != cached_second) {
    const std::time_t t = system_clock::to_time_t(secs);
    std::tm utc{};
    gmtime_r(&t, &utc);
    std::snprintf(cached_text, sizeof cached_text, "%04d-%02d-%02dT%02d:%02d:%02d.",
                  utc.tm_year + 1900, utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min,
                  utc.tm_sec);
    cached_second = secs;
  }
  const int millis = static_cast<int>((ms - secs).count());
  out += "{\"time\":\"";
  out += cached_text;
  out += static_cast<char>('0' + millis / 100);
  out += static_cast<char>('0' + millis / 10 % 10);
  out += static_cast<char>('0' + millis % 10);
  out += "Z\",\"request_id\":";
  AppendJsonString(out, r.request_id);
  out += ",\"ip\":";
  AppendJsonString(out, r.ip);
  out += ",\"method\":";
  AppendJsonString(out, r.method);
  out += ",\"path\":";
  AppendJsonString(out, r.path);
  out += ",\"route\":";
  AppendJsonString(out, r.route);
  out += ",\"status\":";
  AppendNumber(out, r.status);
  out += ",\"bytes\":";
  AppendNumber(out, static_cast<std::int64_t>(r.bytes));
  out += ",\"duration_ms\":";
  char duration[32];
  out.append(duration, std::to_chars(duration, duration + sizeof duration, r.duration_ms,
                                     std::chars_format::fixed, 3)
                           .ptr);
  if (r.user_id != 0) {
    out += ",\"user_id\":";
    AppendNumber(out, r.user_id);
  }
  out += "}\n";
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
  // Formatted outside the lock into a buffer each thread keeps, so a request allocates nothing.
  thread_local std::string line;
  line.clear();
  AppendAccessRecord(line, record);
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
