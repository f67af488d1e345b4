// The namespaces of a sandbox. One clone3(2) creates the PID, IPC and UTS namespaces;
// the mount namespace is a private copy of a prepared root image (root_image.hpp),
// taken by the child; the user and network namespaces come pre-created
// (isolation_namespaces.hpp) and are joined by the child with setns(2) once its
// filesystem is built; the cgroup namespace is entered by the child itself (unshare)
// once it is in its cgroup, so that its cgroup root is its own group.
#pragma once

#include <sys/types.h>

namespace mecapy::sandbox {

// Runs `entry(argument)` in a new process, in new PID, IPC and UTS namespaces,
// the way posix_spawn does: the child borrows the caller's memory on a stack of its
// own (CLONE_VM) and the calling thread is suspended until the child has called
// execve(2) or exited (CLONE_VFORK), so no page table is copied and no page is
// copied on write. The child starts with every signal handler reset to its default
// (CLONE_CLEAR_SIGHAND: no handler of the caller can run in the shared memory); it
// must only make system calls and must never return from `entry` (it execs or
// _exits). Returns the child's pid (and a pidfd in *pidfd), or -1 with errno. With
// `cgroup_fd` >= 0 the child starts in that cgroup v2 directory (CLONE_INTO_CGROUP).
pid_t spawn_in_new_namespaces(int (*entry)(void*), void* argument, int* pidfd, int cgroup_fd = -1) noexcept;

// The sandbox user: its ids inside the user namespace (what the command sees) and the
// host ids they stand for (what the host sees: a slot's own uid and gid).
struct IdMapping {
  uid_t uid = 65534;
  gid_t gid = 65534;
  uid_t host_uid = 65534;
  gid_t host_gid = 65534;
};

// Maps the mapping's uid and gid inside the user namespace of process `child` to its
// host ids (nothing else is mapped, root in particular). Returns 0 or an errno.
int write_id_maps(pid_t child, const IdMapping& ids) noexcept;

}  // namespace mecapy::sandbox
