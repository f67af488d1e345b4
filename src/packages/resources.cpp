#include "packages/resources.hpp"

#include "core/numbers.hpp"

namespace mecapy::packages {

const std::vector<Tier>& resource_tiers() {
  static const std::vector<Tier> tiers = {
      {"nano", {1, 512, 60}},     {"micro", {1, 1024, 120}},  {"small", {2, 2048, 300}},
      {"medium", {2, 4096, 600}}, {"large", {4, 8192, 1800}},
  };
  return tiers;
}

const Tier* find_tier(std::string_view name) {
  for (const auto& tier : resource_tiers()) {
    if (tier.name == name) return &tier;
  }
  return nullptr;
}

namespace {

void apply(Resources& resources, const ResourceRequest& block) {
  if (block.tier) {
    if (const auto* tier = find_tier(*block.tier)) resources = tier->resources;
  }
  if (block.cpus) resources.cpus = *block.cpus;
  if (block.memory_mb) resources.memory_mb = *block.memory_mb;
  if (block.timeout_s) resources.timeout_s = *block.timeout_s;
}

}  // namespace

Resources resolve_resources(const ResourceRequest& package, const ResourceRequest& function) {
  Resources resources = find_tier(kDefaultTier)->resources;
  apply(resources, package);
  apply(resources, function);
  return resources;
}

std::optional<std::string> exceeds_cap(const Resources& resources, const Resources& cap) {
  if (resources.cpus > cap.cpus) {
    return "asks for " + format_double(resources.cpus) + " CPUs; this server allows at most " + format_double(cap.cpus);
  }
  if (resources.memory_mb > cap.memory_mb) {
    return "asks for " + std::to_string(resources.memory_mb) + " MiB of memory; this server allows at most " +
           std::to_string(cap.memory_mb) + " MiB";
  }
  if (resources.timeout_s > cap.timeout_s) {
    return "asks for a timeout of " + std::to_string(resources.timeout_s) + " s; this server allows at most " +
           std::to_string(cap.timeout_s) + " s";
  }
  return std::nullopt;
}

}  // namespace mecapy::packages
