// Mount points made at run time, in the run's own filesystems (the /tmp and /workspace
// tmpfs, or a bound workspace directory), for binds whose target lies under them: the
// image cannot hold those (its /tmp and /workspace are covered by the run's mounts).
//
// Those directories may hold what an earlier run of the same job left there, symlinks
// included, so the path is walked one component at a time and no symlink is followed
// on the way (openat2 RESOLVE_NO_SYMLINKS): a bind never lands, and no mount point is
// made, anywhere a symlink points. Child-side: system calls only, no allocation.
#pragma once

#include <sys/types.h>

namespace mecapy::sandbox {

// What owns what a run makes in its filesystems, as the host sees it: the /workspace
// tmpfs and the directories leading to run-time mount points (the sandbox user).
struct RunOwner {
  uid_t uid = 65534;
  gid_t gid = 65534;
};

// Opens `path` (absolute, already checked to hold no "." or ".." component) as an
// O_PATH descriptor, making what is missing: parent directories (mode 0755, owned by
// `owner`) and the mount point itself, a directory or an empty file. Returns the
// descriptor, or -errno (ELOOP: a symlink on the way).
int open_mount_point(const char* path, bool directory, RunOwner owner) noexcept;

}  // namespace mecapy::sandbox
