// Who the sandboxed process is: an unprivileged uid/gid without supplementary groups,
// without any capability (effective, permitted, inheritable, ambient, bounding), and
// unable to gain privileges again (no_new_privs: setuid bits and file capabilities are
// ignored by execve). Child-side, async-signal-safe; each returns 0 or an errno.
#pragma once

#include <sys/types.h>

namespace mecapy::sandbox {

// setgroups({}), setresgid, setresuid, for the calling thread only.
int become_user(uid_t uid, gid_t gid) noexcept;

int drop_all_capabilities() noexcept;

int forbid_new_privileges() noexcept;

}  // namespace mecapy::sandbox
