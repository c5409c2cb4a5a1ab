// Per-client token buckets for the server's rate limit.
#include <algorithm>
#include <cmath>

#include "http/internal.hpp"

namespace tinhso::http::internal {

RateLimiter::RateLimiter(double rate_per_second, double burst, std::size_t max_keys)
    : rate_(rate_per_second), burst_(std::max(burst, 1.0)), max_keys_(max_keys) {}

bool RateLimiter::Allow(std::string_view key, TimePoint now, int* retry_after_seconds) {
  if (rate_ <= 0) return true;
  std::lock_guard lock(mu_);
  if (now - last_sweep_ > std::chrono::seconds(60) || buckets_.size() >= max_keys_) Sweep(now);

  auto it = buckets_.find(std::string(key));
  if (it == buckets_.end()) {
    it = buckets_.emplace(std::string(key), Bucket{burst_, now}).first;
  }
  Bucket& b = it->second;
  const double elapsed = std::chrono::duration<double>(now - b.last).count();
  if (elapsed > 0) {
    b.tokens = std::min(burst_, b.tokens + elapsed * rate_);
    b.last = now;
  }
  if (b.tokens >= 1.0) {
    b.tokens -= 1.0;
    return true;
  }
  if (retry_after_seconds != nullptr) {
    *retry_after_seconds = std::max(1, static_cast<int>(std::ceil((1.0 - b.tokens) / rate_)));
  }
  return false;
}

void RateLimiter::Sweep(TimePoint now) {
  last_sweep_ = now;
  // A bucket that has refilled completely carries no information: forget it.
  const double full_after = burst_ / rate_;
  std::erase_if(buckets_, [&](const auto& entry) {
    return std::chrono::duration<double>(now - entry.second.last).count() >= full_after;
  });
  if (buckets_.size() >= max_keys_) buckets_.clear();
}

std::size_t RateLimiter::size_for_test() const {
  std::lock_guard lock(mu_);
  return buckets_.size();
}

}  // namespace tinhso::http::internal
