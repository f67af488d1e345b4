// The sandbox: runs one command isolated (namespaces, root image, seccomp), limited
// (cgroup, rlimits, wall clock, output size) and supervised, and reports a RunResult.
//
// A Sandbox is created once per process (cgroup detection, the cgroup pool and the
// root images live in it) and then runs any number of specs, from any number of
// threads. Each run: leases a pre-created cgroup and writes its limits, opens the
// slot's pre-created user and network namespaces and the root image of its layout,
// plans its mounts, spawns one process into new PID, IPC and UTS namespaces, lets it
// take a private copy of the image, set itself up, join the prepared namespaces and
// exec, then supervises it: captures stdout/stderr, enforces the wall clock and the
// output limits, honours cancellation. To stop a sandbox it sends
// SIGTERM to every process in it, waits the grace period, then SIGKILLs its first
// process, which makes the kernel kill everything else in its PID namespace. The
// first process is PID 1 of that namespace, and PID 1 ignores signals it has no
// handler for: when it has no SIGTERM handler, SIGTERM's default action (ending it) is
// applied at once with SIGKILL. When the first process exits, every other process
// in the sandbox is killed too; nothing outlives a run, and a killed parent takes its
// sandboxes with it (parent-death signal).
#pragma once

#include <sys/types.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "sandbox/cancel.hpp"
#include "sandbox/cgroup_detect.hpp"
#include "sandbox/cgroup_pool.hpp"
#include "sandbox/isolation_namespaces.hpp"
#include "sandbox/result.hpp"
#include "sandbox/root_image.hpp"
#include "sandbox/spec.hpp"

namespace mecapy::sandbox {

// A block of host ids, one per pool slot: slot N runs as host uid and gid first + N.
struct HostIdRange {
  uid_t first = 0;
  std::uint32_t count = 0;
};

// The default block: well above the ids of users and system services (and of systemd's
// dynamic users, 61184-65519), 65536 ids wide.
inline constexpr HostIdRange kDefaultHostIds{1'000'000'000, 65536};
inline constexpr std::uint64_t kLastHostId = 4'294'967'294;  // (uid_t)-1 means "no id"

struct SandboxOptions {
  CgroupMode cgroup_mode = CgroupMode::automatic;
  std::string pool_name = "mecapy-sandbox";  // the cgroup pool's directory name
  unsigned max_slots = 256;                  // concurrent runs at most
  // The host ids the slots' sandbox users map to (one each, so that no two concurrent
  // runs share a host uid): at least max_slots of them, none of them 0 or past
  // 4294967294. What the command sees is the spec's uid and gid. Pools of other names
  // on the same host need ranges of their own.
  HostIdRange host_ids = kDefaultHostIds;
  // Root images kept (or pinned) at most, one per layout; past that the least
  // recently used is dropped (runs using it keep it until they end).
  std::size_t max_root_images = 16;
  // Host directory a root image's tmpfs is mounted over while it is built (in the
  // builder's mount namespace only: the host sees nothing).
  std::string staging_dir = "/tmp";
  // Where the slots' prepared namespaces are pinned so that they outlive this process
  // (mecapy-sandbox uses /run/mecapy-sandbox/<pool>); empty: this process keeps them.
  std::string pin_dir;
};

class Sandbox {
 public:
  // Detects the cgroup support; throws mecapy::Error(unavailable) when the requested
  // mode (automatic: v2, else v1) is not available. CgroupMode::none runs without
  // cgroup limits (memory, cpu, pids): for development hosts only.
  explicit Sandbox(SandboxOptions options = {});
  ~Sandbox();
  Sandbox(const Sandbox&) = delete;
  Sandbox& operator=(const Sandbox&) = delete;

  // Blocks until the run is over. Never throws for problems of the spec or the host:
  // those give a sandbox_error result.
  RunResult run(const SandboxSpec& spec, const CancelSignal* cancel = nullptr);

  // Removes the pool's idle slots (their cgroups and namespaces) and the root images.
  // Returns how many slots were removed.
  std::size_t remove_idle_slots();

  // Slots found with an unreadable process list: never leased again (cgroup_pool.hpp).
  std::vector<std::string> quarantined_slots() const;

  const CgroupSupport& cgroup_support() const { return support_; }
  CgroupPool* cgroup_pool() { return pool_.get(); }
  SlotNamespaces* slot_namespaces() { return namespaces_.get(); }

 private:
  SandboxOptions options_;
  CgroupSupport support_;
  std::unique_ptr<CgroupPool> pool_;
  std::unique_ptr<SlotNamespaces> namespaces_;
  std::unique_ptr<RootImages> images_;
  std::atomic<std::uint32_t> next_unpooled_id_{0};
};

}  // namespace mecapy::sandbox
