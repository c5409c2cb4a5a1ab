// Time source, injected so that tests never depend on the real clock.
#pragma once

#include <atomic>
#include <chrono>

namespace tinhso::core {

using Seconds = std::chrono::sys_seconds;

// Thread-safe.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual Seconds Now() const = 0;
};

class SystemClock final : public Clock {
 public:
  Seconds Now() const override {
    return std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
  }
};

// A clock tests set by hand.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(Seconds start) : now_(start.time_since_epoch().count()) {}
  Seconds Now() const override { return Seconds(std::chrono::seconds(now_.load())); }
  void Set(Seconds t) { now_ = t.time_since_epoch().count(); }
  void Advance(std::chrono::seconds d) { now_ += d.count(); }

 private:
  std::atomic<long long> now_;
};

// Vietnam is UTC+7 all year (no daylight saving).
inline constexpr std::chrono::seconds kVietnamOffset{7 * 3600};

}  // namespace tinhso::core
