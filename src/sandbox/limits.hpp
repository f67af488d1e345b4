// The resource limits of one sandboxed run, with the platform's defaults. A limit of
// zero means "no limit" for the optional ones (documented per field); the mandatory
// ones (memory, pids, wall time, output) are always enforced.
#pragma once

#include <chrono>
#include <cstdint>

namespace mecapy::sandbox {

inline constexpr std::uint64_t kMiB = 1ull << 20;

struct Limits {
  std::uint64_t memory_bytes = 256 * kMiB;  // RAM + swap, through the cgroup
  double cpus = 0.5;                        // CPU quota in cores; 0 = no quota
  std::uint32_t pids = 64;                  // processes and threads, through the cgroup
  std::chrono::milliseconds wall_time{30'000};
  std::chrono::seconds cpu_time{60};          // RLIMIT_CPU; 0 = none
  std::uint32_t open_files = 256;             // RLIMIT_NOFILE
  std::uint64_t file_size_bytes = 64 * kMiB;  // RLIMIT_FSIZE
  std::uint64_t workspace_bytes = 64 * kMiB;  // size of the /workspace tmpfs
  std::uint64_t tmp_bytes = 64 * kMiB;        // size of the /tmp tmpfs
  std::uint64_t stdout_bytes = 1 * kMiB;      // captured; more stops the run (output_limit)
  std::uint64_t stderr_bytes = 1 * kMiB;
  std::chrono::milliseconds kill_grace{5'000};  // between SIGTERM and SIGKILL
};

}  // namespace mecapy::sandbox
