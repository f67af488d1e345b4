// The namespaces of a sandbox. One clone(2) creates the PID, mount, IPC and UTS
// namespaces; the user and network namespaces come pre-created
// (isolation_namespaces.hpp) and are joined by the child with setns(2) once its
// filesystem is built; the cgroup namespace is entered by the child itself (unshare)
// once it is in its cgroup, so that its cgroup root is its own group.
#pragma once

#include <sys/types.h>

namespace mecapy::sandbox {

// Fork-like: returns 0 in the child, the child's pid in the parent (and a pidfd in
// *pidfd), -1 with errno on failure. The child must only make async-signal-safe calls.
// With `cgroup_fd` >= 0 the child starts in that cgroup v2 directory (clone3
// CLONE_INTO_CGROUP).
pid_t clone_into_new_namespaces(int* pidfd, int cgroup_fd = -1) noexcept;

// Maps `uid`/`gid` inside the user namespace of process `child` to the same ids
// outside (nothing else is mapped, root in particular). Returns 0 or an errno.
int write_id_maps(pid_t child, uid_t uid, gid_t gid) noexcept;

}  // namespace mecapy::sandbox
