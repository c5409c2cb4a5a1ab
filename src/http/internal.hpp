// Pieces of the HTTP layer shared by its own .cpp files and its tests; not for other modules.
// No Beast or Asio here either.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/result.hpp"
#include "http/http.hpp"

namespace tinhso::http::internal {

// "GET" → Method::kGet. Methods outside the enum (TRACE, PROPFIND…) → nullopt.
std::optional<Method> ParseMethod(std::string_view name);

// A client-supplied X-Request-Id is kept when it is 1..64 characters of [A-Za-z0-9._-] and is
// not only dots: anything else might smuggle text into logs or file names.
bool IsSaneRequestId(std::string_view id);

// `s` without the spaces and tabs (HTTP's optional white space) around it.
std::string_view TrimOws(std::string_view s);
// 32 random hex characters. Not a secret: it only correlates log lines.
std::string NewRequestId();

// Appends `s` as a JSON string literal (with the quotes). Bytes that are not valid UTF-8 become
// U+FFFD, so a hostile path can never break a log line.
void AppendJsonString(std::string& out, std::string_view s);

// A JSON error produced by the server itself, in the one error shape. `status` overrides the
// table for the few answers that have no ErrorCode of their own (431).
Response ServerError(ErrorCode code, std::string_view reason, std::string_view message_vi,
                     std::string_view message_en, std::string_view request_id, int status = 0);

// ---- Static files (static_files.cpp) --------------------------------------------------------

// Serves a directory for GET and HEAD, as a single-page app: paths without a file and without
// an extension get index.html. Thread-safe (no state after construction).
class StaticFiles {
 public:
  // `dir` must be an existing directory. `renderer` (may be empty) gives the pages rendered on
  // the server that index.html carries. Errors: kInvalidArgument.
  static Result<StaticFiles> Open(const std::string& dir, PageRenderer renderer = {});

  // Always returns a response: the file (Response::file_path set, body empty, ETag and
  // Cache-Control headers), index.html with a rendered page in its body, 304 when
  // If-None-Match matches, or a JSON error (400 for a path that tries to escape the root, 404).
  Response Serve(const Request& request) const;

  const std::filesystem::path& root() const { return root_; }

 private:
  // index.html with one rendered page in it, as sent and gzipped, for one version of index.html.
  struct Assembled {
    std::string index_version;
    std::string identity;
    std::string gzip;  // empty when it would not be smaller
    std::string etag;  // of identity; gzip's adds "-gz"
  };
  struct PageCache {
    std::mutex mu;
    std::unordered_map<std::string, std::shared_ptr<const Assembled>> by_key;
  };

  StaticFiles(std::filesystem::path root, PageRenderer renderer)
      : root_(std::move(root)),
        renderer_(std::move(renderer)),
        pages_(std::make_shared<PageCache>()) {}
  Response File(const std::filesystem::path& file, bool is_fallback, const Request& request) const;
  // index.html with `page` in it; nullopt when index.html has no empty <div id="root">.
  std::optional<Response> Rendered(const std::filesystem::path& index, const RenderedPage& page,
                                   const Request& request) const;
  std::filesystem::path root_;  // canonical
  PageRenderer renderer_;
  std::shared_ptr<PageCache> pages_;
};

// The Content-Type for a file name, by extension; application/octet-stream when unknown.
std::string_view ContentTypeFor(std::string_view file_name);

// ---- Rate limit (rate_limiter.cpp) ----------------------------------------------------------

// A token bucket per key (client IP): `rate` tokens per second, up to `burst`. Thread-safe.
// Memory stays bounded: buckets that have refilled are swept, and if a flood of distinct keys
// still exceeds the cap, the table is cleared (failing open beats running out of memory).
class RateLimiter {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;
  RateLimiter(double rate_per_second, double burst, std::size_t max_keys = 100000);

  // True when the request may proceed. Otherwise false, and *retry_after_seconds (>= 1) says
  // when one token will be back. Always true when rate <= 0.
  bool Allow(std::string_view key, TimePoint now, int* retry_after_seconds);

  std::size_t size_for_test() const;

 private:
  struct Bucket {
    double tokens;
    TimePoint last;
  };
  void Sweep(TimePoint now);  // mu_ held

  const double rate_;
  const double burst_;
  const std::size_t max_keys_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, Bucket> buckets_;
  TimePoint last_sweep_{};
};

// ---- Access log (access_log.cpp) ------------------------------------------------------------

struct AccessRecord {
  std::chrono::system_clock::time_point time;
  std::string_view request_id;
  std::string_view ip;
  std::string_view method;
  std::string_view path;
  std::string_view route;
  int status = 0;
  std::uint64_t bytes = 0;
  double duration_ms = 0;
  std::int64_t user_id = 0;  // 0: anonymous or not admitted
};

// Appends one JSON line per request, newline included:
// {"time":"2026-01-02T03:04:05.678Z","request_id",…}.
void AppendAccessRecord(std::string& out, const AccessRecord& record);

// Buffers access-log lines for a background writer thread, so I/O threads never wait on the
// disk or a slow stdout reader. Thread-safe.
class AccessLog {
 public:
  // `path` empty = stdout. Errors: kUnavailable when the file cannot be opened.
  static Result<std::unique_ptr<AccessLog>> Open(const std::string& path);
  ~AccessLog();
  void Write(const AccessRecord& record);
  void Flush();

 private:
  struct Impl;
  explicit AccessLog(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace tinhso::http::internal
