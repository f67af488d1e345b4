// What the sandbox's first process does between clone(2) and execve(2), in order:
// join its cgroup v1 groups, take its private copy of the root image and mount its
// own /proc, /tmp, /workspace and binds (mounts.hpp), set the hostname while still
// privileged, join the prepared user and network namespaces, enter a new
// cgroup namespace, become the unprivileged user, set rlimits, wire
// stdin/stdout/stderr, drop every capability, set no_new_privs and the parent-death
// signal, close every other descriptor, install the seccomp program and exec.
// Everything it needs was prepared by the parent: the child only makes system calls.
// On failure it reports {stage, step, errno} on the report pipe and exits with 127.
// A warm runtime can reuse the same steps before forking workers.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>

namespace mecapy::sandbox {

class MountPlan;
class RlimitPlan;
class SeccompProgram;

enum class ChildStage : std::int32_t {
  join_cgroup = 1,
  mounts,
  hostname,
  user_namespace,
  network_namespace,
  cgroup_namespace,
  credentials,
  rlimits,
  standard_streams,
  capabilities,
  no_new_privileges,
  parent_death_signal,
  close_descriptors,
  seccomp,
  exec,
  new_session,
};

struct ChildFailure {
  std::int32_t stage = 0;
  std::int32_t step = -1;  // mount step for ChildStage::mounts
  std::int32_t error = 0;
};

struct ChildContext {
  const MountPlan* mounts = nullptr;
  const RlimitPlan* rlimits = nullptr;
  const SeccompProgram* seccomp = nullptr;
  uid_t uid = 65534;
  gid_t gid = 65534;
  const char* hostname = "sandbox";
  char* const* argv = nullptr;
  char* const* envp = nullptr;
  const char* const* exec_candidates = nullptr;    // absolute paths to try, null-terminated
  const char* const* cgroup_task_files = nullptr;  // cgroup v1 `tasks` files to join, null-terminated
  int stdin_fd = -1;
  int stdout_fd = -1;
  int stderr_fd = -1;
  int user_ns_fd = -1;
  int net_ns_fd = -1;
  int parent_alive_fd = -1;  // read end of a pipe the parent keeps open: POLLHUP means it is gone
  int report_fd = -1;        // write end, close-on-exec: EOF without data means exec succeeded
};

[[noreturn]] void run_child(const ChildContext& context) noexcept;

// "mount /proc/self/fd/7 on /usr: EACCES: Permission denied" and the like.
std::string describe_child_failure(const ChildFailure& failure, const MountPlan& mounts);

}  // namespace mecapy::sandbox
