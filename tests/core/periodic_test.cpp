#include "core/periodic.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <mutex>

namespace tinhso::core {
namespace {

using std::chrono::milliseconds;

TEST(PeriodicTest, RunsAgainAndAgainUntilDestroyed) {
  std::mutex mu;
  std::condition_variable ran;
  int runs = 0;
  {
    Periodic periodic(milliseconds(0), milliseconds(1), [&] {
      std::lock_guard lock(mu);
      ++runs;
      ran.notify_all();
    });
    std::unique_lock lock(mu);
    // Waits for events, not for time: the bound only keeps a broken build from hanging.
    ASSERT_TRUE(ran.wait_for(lock, std::chrono::seconds(30), [&] { return runs >= 3; }));
  }
  const int at_stop = runs;
  EXPECT_GE(at_stop, 3);
  EXPECT_EQ(runs, at_stop) << "no run after the destructor returned";
}

TEST(PeriodicTest, DestroyingBeforeTheFirstRunRunsNothing) {
  std::atomic<int> runs{0};
  {
    Periodic periodic(std::chrono::hours(1), std::chrono::hours(1), [&] { ++runs; });
  }
  EXPECT_EQ(runs, 0) << "the destructor wakes the thread instead of waiting an hour";
}

}  // namespace
}  // namespace tinhso::core
