// The namespaces of a sandbox, created by one clone(2): user, PID, network, mount,
// IPC and UTS. The new network namespace has only a loopback interface, left down, and
// no route. The cgroup namespace is entered by the child itself (unshare) once the
// parent has moved it into its cgroup, so that its cgroup root is its own group.
#pragma once

#include <sys/types.h>

namespace mecapy::sandbox {

// Fork-like: returns 0 in the child, the child's pid in the parent (and a pidfd in
// *pidfd), -1 with errno on failure. The child starts with every capability inside its
// new user namespace and nothing outside it; it must only make async-signal-safe calls.
// With `cgroup_fd` >= 0 the child starts in that cgroup v2 directory (clone3
// CLONE_INTO_CGROUP).
pid_t clone_into_new_namespaces(int* pidfd, int cgroup_fd = -1) noexcept;

// Parent side: maps `uid`/`gid` inside the child's user namespace to the same ids
// outside (nothing else is mapped, root in particular). Returns 0 or an errno.
int write_id_maps(pid_t child, uid_t uid, gid_t gid) noexcept;

}  // namespace mecapy::sandbox
