// Signalling processes found by pid number without the pid-reuse hazard. A pid read
// from a list (a cgroup's cgroup.procs) may belong to another process by the time it
// is signalled: its process can exit and be reaped, and the number be given to a new
// process anywhere on the host. So a pid is signalled only through a pidfd, and only
// if the list still names it once the pidfd holds it: the pidfd refers to the process
// that had the number when it was opened, and if the list names the number after
// that, that process was in the list (had it been reaped meanwhile, the signal goes
// nowhere: pidfd_send_signal fails with ESRCH). Nothing needs a freezer.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <functional>
#include <optional>
#include <vector>

namespace mecapy::sandbox {

using PidLister = std::function<std::optional<std::vector<pid_t>>()>;

// Sends `signal` to every process `list` names, but `except` (0: none). Returns how
// many were signalled; nullopt when `list` fails (then nothing is signalled).
std::optional<std::size_t> signal_listed_processes(const PidLister& list, int signal, pid_t except = 0);

}  // namespace mecapy::sandbox
