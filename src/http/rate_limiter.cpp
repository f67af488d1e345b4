#include "http/rate_limiter.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

namespace mecapy::http {

std::optional<std::chrono::seconds> RateLimiter::take(const std::string& key, const RateLimit& limit,
                                                      Clock::time_point now) {
  if (limit.unlimited()) return std::nullopt;
  const double burst = std::max(1.0, limit.burst);
  std::lock_guard lock(mutex_);
  auto it = buckets_.find(key);
  if (it == buckets_.end()) {
    if (buckets_.size() >= max_keys_) forget_some(now, limit);
    it = buckets_.emplace(key, Bucket{burst, now}).first;
  }
  Bucket& b = it->second;
  const std::chrono::duration<double> elapsed = now - b.updated;
  b.tokens = std::min(burst, b.tokens + std::max(0.0, elapsed.count()) * limit.rate);
  b.updated = now;
  if (b.tokens >= 1.0) {
    b.tokens -= 1.0;
    return std::nullopt;
  }
  const double wait = (1.0 - b.tokens) / limit.rate;
  return std::chrono::seconds(std::max<long long>(1, static_cast<long long>(std::ceil(wait))));
}

std::size_t RateLimiter::size() const {
  std::lock_guard lock(mutex_);
  return buckets_.size();
}

void RateLimiter::forget_some(Clock::time_point now, const RateLimit& limit) {
  const double burst = std::max(1.0, limit.burst);
  const auto full_after = std::chrono::duration<double>(burst / limit.rate);
  std::erase_if(buckets_, [&](const auto& entry) { return now - entry.second.updated >= full_after; });
  if (buckets_.size() < max_keys_) return;
  // Every bucket is in use: forget the least recently used half.
  std::vector<Clock::time_point> times;
  times.reserve(buckets_.size());
  for (const auto& [key, bucket] : buckets_) times.push_back(bucket.updated);
  auto middle = times.begin() + static_cast<std::ptrdiff_t>(times.size() / 2);
  std::nth_element(times.begin(), middle, times.end());
  const auto cutoff = *middle;
  std::erase_if(buckets_, [&](const auto& entry) { return entry.second.updated <= cutoff; });
}

}  // namespace mecapy::http
