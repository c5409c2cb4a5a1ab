#include "app/progress.hpp"

#include <unistd.h>

#include <cstdio>

namespace tinhso::app {

Progress::Progress(std::string label, std::int64_t total)
    : label_(std::move(label)), total_(total), tty_(isatty(STDERR_FILENO) != 0) {}

void Progress::Update(std::int64_t done) {
  if (done == last_done_) return;
  last_done_ = done;
  if (total_ <= 0) {
    if (tty_) std::fprintf(stderr, "\r%s: %lld", label_.c_str(), static_cast<long long>(done));
    return;
  }
  const int percent = static_cast<int>(done * 100 / total_);
  if (percent == last_percent_ || (!tty_ && percent / 10 == last_percent_ / 10)) return;
  last_percent_ = percent;
  if (tty_) {
    constexpr int kWidth = 30;
    const int filled = percent * kWidth / 100;
    std::fprintf(stderr, "\r%s [%.*s%*s] %3d%% (%lld/%lld)", label_.c_str(), filled,
                 "##############################", kWidth - filled, "", percent,
                 static_cast<long long>(done), static_cast<long long>(total_));
  } else {
    std::fprintf(stderr, "%s: %d%%\n", label_.c_str(), percent);
  }
}

void Progress::Finish() {
  if (tty_) std::fprintf(stderr, "\n");
}

}  // namespace tinhso::app
