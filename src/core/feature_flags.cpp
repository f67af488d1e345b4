#include "core/feature_flags.hpp"

#include <algorithm>

namespace mecapy {

std::uint64_t fnv1a64(std::string_view data) {
  std::uint64_t h = 0xcbf29ce484222325ull;
  for (unsigned char c : data) {
    h ^= c;
    h *= 0x100000001b3ull;
  }
  return h;
}

FeatureFlags::FeatureFlags(std::vector<FeatureFlagConfig> flags) : flags_(std::move(flags)) {
  std::sort(flags_.begin(), flags_.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
}

bool FeatureFlags::enabled(std::string_view name, std::string_view user_id) const {
  for (const auto& f : flags_) {
    if (f.name != name) continue;
    if (!f.enabled || f.rollout_percent <= 0) return false;
    if (f.rollout_percent >= 100) return true;
    if (user_id.empty()) return false;
    std::string key(name);
    key.push_back(':');
    key.append(user_id);
    return static_cast<int>(fnv1a64(key) % 100) < f.rollout_percent;
  }
  return false;
}

}  // namespace mecapy
