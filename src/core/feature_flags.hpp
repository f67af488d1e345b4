// Feature flags declared in configuration. A flag is off, on for everyone, or on for
// a percentage of users: a user is in the rollout when a stable hash (FNV-1a 64 of
// "<flag>:<user id>") modulo 100 is below the percentage, so the same user always
// gets the same answer and raising the percentage only ever adds users.
// Anonymous callers are only in flags rolled out to 100 %.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/config.hpp"

namespace mecapy {

std::uint64_t fnv1a64(std::string_view data);

class FeatureFlags {
 public:
  explicit FeatureFlags(std::vector<FeatureFlagConfig> flags);

  // False for unknown flags.
  bool enabled(std::string_view name, std::string_view user_id) const;
  const std::vector<FeatureFlagConfig>& flags() const { return flags_; }

 private:
  std::vector<FeatureFlagConfig> flags_;
};

}  // namespace mecapy
