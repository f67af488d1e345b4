// Start-up detection of the cgroup support of this host, from the cgroup mounts and
// /proc/self/cgroup: cgroup v2 when its hierarchy offers memory, cpu and pids to our
// cgroup, otherwise cgroup v1 when those three controllers are mounted, otherwise
// none. Pools are created under this process's own cgroup in each hierarchy, so a
// worker started in a delegated cgroup stays inside it.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "sandbox/cgroup.hpp"
#include "sandbox/cgroup_v1.hpp"

namespace mecapy::sandbox {

enum class CgroupMode { automatic, v1, v2, none };

struct CgroupSupport {
  std::string version = "none";             // the one chosen: "v2", "v1" or "none"
  std::string v2_base;                      // our cgroup in the unified hierarchy (empty: none)
  std::vector<std::string> v2_controllers;  // controllers it offers
  bool v1_available = false;                // memory, cpu and pids hierarchies all mounted
  CgroupV1Dirs v1_dirs;                     // our cgroup in each of them
  bool v1_swap_accounting = false;          // memory.memsw.* present
  std::string problem;                      // why the requested mode is unavailable (empty: fine)
};

inline constexpr const char* kSystemMountinfo = "/proc/self/mountinfo";

// Reads the two files (their paths are parameters so tests can use fakes). With the
// system's mountinfo, the usual layout under /sys/fs/cgroup is recognised without
// reading it.
CgroupSupport detect_cgroups(CgroupMode mode, const std::string& mountinfo_path = kSystemMountinfo,
                             const std::string& cgroup_path = "/proc/self/cgroup");

// The driver for the chosen version; nullptr for "none".
std::unique_ptr<CgroupDriver> make_cgroup_driver(const CgroupSupport& support);

}  // namespace mecapy::sandbox
