// Token buckets, one per caller: a caller may make `burst` requests at once and
// `rate` per second on average. Signed-in callers are keyed by principal, anonymous
// ones by address (the pipeline chooses the key).
//
// Memory is bounded: past `max_keys` buckets, those that have refilled (which are
// the same as new ones) are forgotten first, then the least recently used. The
// limiter is per process: with N instances behind a balancer a caller may get up to
// N times the rate, which is the usual trade of a local limiter (no shared state to
// reach on every request).
#pragma once

#include <chrono>
#include <cstddef>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace mecapy::http {

struct RateLimit {
  double rate = 0;   // tokens per second; 0: no limit
  double burst = 0;  // bucket size; at least 1 when rate > 0
  bool unlimited() const { return rate <= 0; }
};

class RateLimiter {
 public:
  using Clock = std::chrono::steady_clock;

  explicit RateLimiter(std::size_t max_keys = 100'000) : max_keys_(max_keys) {}

  // Takes one token from `key`'s bucket. Returns nullopt when the request may go
  // on, else how long until a token is available (at least 1 s, for Retry-After).
  std::optional<std::chrono::seconds> take(const std::string& key, const RateLimit& limit,
                                           Clock::time_point now = Clock::now());

  std::size_t size() const;

 private:
  struct Bucket {
    double tokens = 0;
    Clock::time_point updated;
  };
  void forget_some(Clock::time_point now, const RateLimit& limit);

  mutable std::mutex mutex_;
  std::unordered_map<std::string, Bucket> buckets_;
  std::size_t max_keys_;
};

}  // namespace mecapy::http
