// The cgroup side of a sandbox: limits written to a group, processes attached to it,
// and the usage read back after the run. Two drivers implement it, cgroup v2 and
// cgroup v1 (memory, cpu and pids hierarchies); the pool (cgroup_pool.hpp) hands out
// pre-created groups so that a run never pays for mkdir/rmdir of a cgroup.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mecapy::sandbox {

struct CgroupLimits {
  std::uint64_t memory_bytes = 0;  // RAM + swap
  double cpus = 0;                 // 0: no quota
  std::uint32_t pids = 0;
};

// What happened in a group since CgroupSlot::prepare().
struct CgroupUsage {
  std::uint64_t peak_memory_bytes = 0;
  std::uint64_t oom_kills = 0;
  std::uint64_t throttled_periods = 0;
};

// One group, possibly spread over several v1 hierarchies. Not thread-safe: a slot is
// used by one run at a time (the pool's lease guarantees it).
class CgroupSlot {
 public:
  virtual ~CgroupSlot() = default;
  // Writes the limits and starts accounting (peak and counters restart from here).
  // Throws mecapy::Error when the kernel refuses a value.
  virtual void prepare(const CgroupLimits& limits) = 0;
  // Moving another process into a group (writing its pid to cgroup.procs) takes a
  // global lock that waits for an RCU grace period: milliseconds. So the sandbox's
  // first process joins its group without that: with cgroup v1 it writes "0" to these
  // `tasks` files itself (a thread moving itself skips the lock); with cgroup v2 it is
  // cloned straight into the group (clone3 CLONE_INTO_CGROUP with this directory fd).
  virtual std::vector<std::string> self_attach_files() const = 0;
  virtual int directory_fd() = 0;  // -1 when not applicable
  // Moves `pid` into the group the slow way. Returns 0 or an errno.
  virtual int attach(pid_t pid) = 0;
  virtual CgroupUsage usage() = 0;
  // Host pids of the processes in the group right now; nullopt when the list cannot be
  // read (then nothing can be said of the group: the pool quarantines such a slot).
  virtual std::optional<std::vector<pid_t>> member_pids() = 0;
  // Sends `signal` to every process of the group but `except`, never to a recycled
  // pid (process_signal.hpp). Returns how many were signalled; nullopt when the list
  // cannot be read.
  std::optional<std::size_t> signal_members(int signal, pid_t except = 0);
  // SIGKILL to every process of the group: cgroup v2 writes cgroup.kill when the
  // kernel has it (Linux 5.14), which also catches processes forked meanwhile;
  // otherwise signal_members. False when the group's processes cannot be read.
  virtual bool kill_members();
};

// A cgroup hierarchy layout: where slot directories live and how to use them.
class CgroupDriver {
 public:
  virtual ~CgroupDriver() = default;
  virtual std::string_view version() const = 0;  // "v1" or "v2"
  // The directories under which pools are created: one per hierarchy, the first is
  // the one whose slot directories are locked by the pool.
  virtual std::vector<std::string> base_dirs() const = 0;
  // Called once for a pool directory (one per base dir) after it was created, before
  // any slot is made in it (cgroup v2 enables the controllers for the children).
  virtual void prepare_pool_dir(const std::string& pool_dir) = 0;
  // A slot over its directories (same order as base_dirs()).
  virtual std::unique_ptr<CgroupSlot> open_slot(std::vector<std::string> slot_dirs) = 0;
};

// Helpers shared by both drivers.
// Writes one value to a cgroup interface file; throws mecapy::Error naming file and errno.
void write_cgroup_file(const std::string& path, std::string_view value);
// The pids listed in a cgroup.procs file; nullopt when it cannot be read (a missing
// file means a removed group: none).
std::optional<std::vector<pid_t>> read_pid_list(const std::string& path);
std::string cpu_quota_text(double cpus, std::uint32_t period_us);  // "50000" or "max"

}  // namespace mecapy::sandbox
