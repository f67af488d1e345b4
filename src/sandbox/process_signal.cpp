// Signals through pidfds (see process_signal.hpp).
#include "sandbox/process_signal.hpp"

#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>

#include "sandbox/unique_fd.hpp"

namespace mecapy::sandbox {

std::optional<std::size_t> signal_listed_processes(const PidLister& list, int signal, pid_t except) {
  const auto listed = list();
  if (!listed) return std::nullopt;
  struct Held {
    pid_t pid;
    UniqueFd pidfd;
  };
  std::vector<Held> held;
  held.reserve(listed->size());
  for (const pid_t pid : *listed) {
    if (pid == except || pid <= 0) continue;
    UniqueFd pidfd(static_cast<int>(::syscall(SYS_pidfd_open, pid, 0)));
    if (pidfd) held.push_back(Held{pid, std::move(pidfd)});  // else: already gone
  }
  if (held.empty()) return 0;
  const auto confirmed = list();
  if (!confirmed) return std::nullopt;
  std::size_t signalled = 0;
  for (const auto& process : held) {
    if (std::find(confirmed->begin(), confirmed->end(), process.pid) == confirmed->end()) continue;
    if (::syscall(SYS_pidfd_send_signal, process.pidfd.get(), signal, nullptr, 0) == 0) ++signalled;
  }
  return signalled;
}

}  // namespace mecapy::sandbox
