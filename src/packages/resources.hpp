// What a function may use when it runs: CPUs, memory and wall-clock time, from the
// manifest's resource tiers or explicit values, bounded by the server's cap.
//
// The tiers are the hosted service's, so manifests move between the two unchanged:
//   nano 1 CPU / 512 MiB / 60 s    micro 1 / 1024 / 120    small 2 / 2048 / 300 (default)
//   medium 2 / 4096 / 600          large 4 / 8192 / 1800 (the largest)
// A manifest block names a `tier` or gives `cpu` / `memory_mb`, never both; `timeout`
// (seconds) may appear in any block. The package's block applies first, then the
// function's: any value the function gives (a tier gives all three) replaces the
// package's.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mecapy::packages {

struct Resources {
  double cpus = 2;
  std::uint64_t memory_mb = 2048;
  std::uint32_t timeout_s = 300;
  friend bool operator==(const Resources&, const Resources&) = default;
};

struct Tier {
  std::string_view name;
  Resources resources;
};

// The tiers, smallest first.
const std::vector<Tier>& resource_tiers();
const Tier* find_tier(std::string_view name);
inline constexpr std::string_view kDefaultTier = "small";

// One manifest block (`package.resources` or a function's `resources`), as written.
struct ResourceRequest {
  std::optional<std::string> tier;
  std::optional<double> cpus;
  std::optional<std::uint64_t> memory_mb;
  std::optional<std::uint32_t> timeout_s;
};

// The function's resources: the default tier, then the package's block, then the
// function's. Blocks are assumed checked (no tier together with cpu or memory_mb).
Resources resolve_resources(const ResourceRequest& package, const ResourceRequest& function);

// Why `resources` exceeds `cap` ("asks for 8192 MiB of memory; this server allows at
// most 4096 MiB (tier medium)"), or nothing when it fits.
std::optional<std::string> exceeds_cap(const Resources& resources, const Resources& cap);

}  // namespace mecapy::packages
