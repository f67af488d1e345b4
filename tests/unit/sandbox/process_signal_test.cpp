// Signals by pid number through pidfds: only processes the list still names once a
// pidfd holds them are signalled (a recycled pid is never signalled).
#include "sandbox/process_signal.hpp"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

namespace mecapy::sandbox {
namespace {

pid_t sleeping_child() {
  const pid_t pid = ::fork();
  if (pid == 0)
    for (;;) ::pause();
  return pid;
}

// The signal that ended `pid` (reaped), or 0 when it is still alive (then killed).
int end_signal(pid_t pid) {
  int status = 0;
  if (::waitpid(pid, &status, WNOHANG) == 0) {
    ::kill(pid, SIGKILL);
    ::waitpid(pid, &status, 0);
    return 0;
  }
  return WIFSIGNALED(status) ? WTERMSIG(status) : -1;
}

int wait_signal(pid_t pid) {
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFSIGNALED(status) ? WTERMSIG(status) : -1;
}

TEST(SandboxProcessSignal, ListedProcessesAreSignalledButTheExceptedOne) {
  const pid_t first = sleeping_child();
  const pid_t second = sleeping_child();
  const auto signalled = signal_listed_processes(
      [&] {
        return std::optional(std::vector<pid_t>{first, second});
      },
      SIGTERM, second);
  EXPECT_EQ(signalled, 1u);
  EXPECT_EQ(wait_signal(first), SIGTERM);
  EXPECT_EQ(end_signal(second), 0);
}

TEST(SandboxProcessSignal, APidTheListNoLongerNamesIsNotSignalled) {
  // The list named the pid, then not any more: its process left (and the number may
  // now be another process's). The process behind the number must be left alone.
  const pid_t child = sleeping_child();
  int reads = 0;
  const auto signalled = signal_listed_processes(
      [&] { return std::optional(++reads == 1 ? std::vector<pid_t>{child} : std::vector<pid_t>{}); }, SIGKILL);
  EXPECT_EQ(signalled, 0u);
  EXPECT_EQ(end_signal(child), 0);
}

TEST(SandboxProcessSignal, UnreadableListSignalsNothing) {
  const auto signalled = signal_listed_processes([] { return std::optional<std::vector<pid_t>>(); }, SIGKILL);
  EXPECT_EQ(signalled, std::nullopt);
}

}  // namespace
}  // namespace mecapy::sandbox
