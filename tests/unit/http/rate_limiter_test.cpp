#include "http/rate_limiter.hpp"

#include <gtest/gtest.h>

#include <string>

namespace mecapy::http {
namespace {

using namespace std::chrono_literals;
using Clock = RateLimiter::Clock;

TEST(RateLimiter, ABurstThenTheAverageRate) {
  RateLimiter limiter;
  const RateLimit limit{2, 5};
  const auto t0 = Clock::now();
  for (int i = 0; i < 5; ++i) EXPECT_FALSE(limiter.take("alice", limit, t0)) << "request " << i << " of the burst";
  const auto refused = limiter.take("alice", limit, t0);
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->count(), 1) << "half a second to the next token, rounded up for Retry-After";
  EXPECT_FALSE(limiter.take("bob", limit, t0)) << "each caller has their own bucket";
  EXPECT_FALSE(limiter.take("alice", limit, t0 + 500ms)) << "a token every 1/rate seconds";
  EXPECT_TRUE(limiter.take("alice", limit, t0 + 600ms));
  // An idle bucket refills up to the burst, never beyond it.
  for (int i = 0; i < 5; ++i) EXPECT_FALSE(limiter.take("alice", limit, t0 + 1h));
  EXPECT_TRUE(limiter.take("alice", limit, t0 + 1h));
}

TEST(RateLimiter, ASlowRateAnswersTheWholeWait) {
  RateLimiter limiter;
  const RateLimit limit{0.1, 1};  // one request per ten seconds
  const auto t0 = Clock::now();
  EXPECT_FALSE(limiter.take("k", limit, t0));
  const auto refused = limiter.take("k", limit, t0 + 1s);
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->count(), 9);
}

TEST(RateLimiter, ZeroRateIsNoLimitAndKeepsNoState) {
  RateLimiter limiter;
  for (int i = 0; i < 1000; ++i) EXPECT_FALSE(limiter.take("k" + std::to_string(i), RateLimit{0, 0}));
  EXPECT_EQ(limiter.size(), 0u);
}

TEST(RateLimiter, MemoryStaysBoundedUnderAFloodOfNewKeys) {
  RateLimiter limiter(100);
  const RateLimit limit{1, 3};
  const auto t0 = Clock::now();
  // Every caller stays active (none refills), so the least recently used go first.
  for (int i = 0; i < 10'000; ++i) limiter.take("ip:" + std::to_string(i), limit, t0 + std::chrono::microseconds(i));
  EXPECT_LE(limiter.size(), 100u);
  // The most recent caller's bucket was kept: its next requests still count.
  const std::string last = "ip:9999";
  EXPECT_FALSE(limiter.take(last, limit, t0 + 10ms));
  EXPECT_FALSE(limiter.take(last, limit, t0 + 10ms));
  EXPECT_TRUE(limiter.take(last, limit, t0 + 10ms)) << "three tokens, the first taken during the flood";
}

}  // namespace
}  // namespace mecapy::http
