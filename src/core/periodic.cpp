#include "core/periodic.hpp"

namespace tinhso::core {

Periodic::Periodic(std::chrono::milliseconds first_after, std::chrono::milliseconds interval,
                   std::function<void()> task)
    : task_(std::move(task)),
      thread_([this, first_after, interval] { Loop(first_after, interval); }) {}

Periodic::~Periodic() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void Periodic::Loop(std::chrono::milliseconds first_after, std::chrono::milliseconds interval) {
  auto next = std::chrono::steady_clock::now() + first_after;
  std::unique_lock lock(mu_);
  for (;;) {
    if (wake_.wait_until(lock, next, [this] { return stopping_; })) return;
    lock.unlock();
    task_();
    lock.lock();
    // From the end of this run: a slow run is never followed by a burst of catch-up runs.
    next = std::chrono::steady_clock::now() + interval;
  }
}

}  // namespace tinhso::core
