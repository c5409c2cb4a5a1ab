#include <gtest/gtest.h>

#include "http/internal.hpp"

namespace tinhso::http::internal {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

TEST(RateLimiter, BurstThenRate) {
  RateLimiter limiter(/*rate_per_second=*/2, /*burst=*/3);
  const RateLimiter::TimePoint t0{};
  int retry = 0;
  EXPECT_TRUE(limiter.Allow("1.2.3.4", t0, &retry));
  EXPECT_TRUE(limiter.Allow("1.2.3.4", t0, &retry));
  EXPECT_TRUE(limiter.Allow("1.2.3.4", t0, &retry));
  EXPECT_FALSE(limiter.Allow("1.2.3.4", t0, &retry)) << "burst of 3 used up";
  EXPECT_EQ(retry, 1) << "one token comes back in 0.5 s, rounded up to whole seconds";
  EXPECT_TRUE(limiter.Allow("5.6.7.8", t0, &retry)) << "buckets are per key";
  EXPECT_TRUE(limiter.Allow("1.2.3.4", t0 + milliseconds(500), &retry)) << "refilled one";
  EXPECT_FALSE(limiter.Allow("1.2.3.4", t0 + milliseconds(500), &retry));
  EXPECT_TRUE(limiter.Allow("1.2.3.4", t0 + seconds(100), &retry));
  EXPECT_TRUE(limiter.Allow("1.2.3.4", t0 + seconds(100), &retry));
  EXPECT_TRUE(limiter.Allow("1.2.3.4", t0 + seconds(100), &retry));
  EXPECT_FALSE(limiter.Allow("1.2.3.4", t0 + seconds(100), &retry)) << "capped at the burst";
}

TEST(RateLimiter, RetryAfterForSlowRates) {
  RateLimiter limiter(0.1, 1);
  int retry = 0;
  EXPECT_TRUE(limiter.Allow("k", {}, &retry));
  EXPECT_FALSE(limiter.Allow("k", {}, &retry));
  EXPECT_EQ(retry, 10);
}

TEST(RateLimiter, OffWhenRateIsZero) {
  RateLimiter limiter(0, 1);
  for (int i = 0; i < 1000; ++i) EXPECT_TRUE(limiter.Allow("k", {}, nullptr));
}

TEST(RateLimiter, MemoryStaysBounded) {
  RateLimiter limiter(1, 1, /*max_keys=*/100);
  const RateLimiter::TimePoint t0{};
  for (int i = 0; i < 1000; ++i) limiter.Allow("ip" + std::to_string(i), t0, nullptr);
  EXPECT_LE(limiter.size_for_test(), 100u);
  // Much later every bucket has refilled: the next sweep forgets them all.
  limiter.Allow("late", t0 + seconds(3600), nullptr);
  EXPECT_EQ(limiter.size_for_test(), 1u);
}

}  // namespace
}  // namespace tinhso::http::internal
