// Runs a housekeeping task on its own thread, once at `first_after` and then every `interval`,
// until the object is destroyed. The destructor wakes the thread and waits for a run in
// progress to finish, so a task never outlives the services it uses.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace tinhso::core {

class Periodic {
 public:
  Periodic(std::chrono::milliseconds first_after, std::chrono::milliseconds interval,
           std::function<void()> task);
  ~Periodic();
  Periodic(const Periodic&) = delete;
  Periodic& operator=(const Periodic&) = delete;

 private:
  void Loop(std::chrono::milliseconds first_after, std::chrono::milliseconds interval);

  std::function<void()> task_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;  // last: starts after everything it reads is built
};

}  // namespace tinhso::core
