// A progress bar on standard error for long CLI work (demo load, backup, restore, verify).
// On a terminal it redraws one line; otherwise it prints a line every 10 %.
#pragma once

#include <cstdint>
#include <string>

namespace tinhso::app {

class Progress {
 public:
  // `total` 0 means unknown: a counter instead of a bar.
  Progress(std::string label, std::int64_t total);
  void Update(std::int64_t done);
  void Finish();

 private:
  std::string label_;
  std::int64_t total_;
  bool tty_;
  int last_percent_ = -1;
  std::int64_t last_done_ = -1;
};

}  // namespace tinhso::app
