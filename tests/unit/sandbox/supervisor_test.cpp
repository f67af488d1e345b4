// The supervisor's own limits, against plain processes (no sandbox): an output source
// that never runs dry, and a poll() that fails. Each case runs in a forked process
// with a watchdog alarm, so that a supervisor that never returns fails the case
// instead of hanging the test binary (the alarm is a hang detector: it says nothing
// about how fast the supervisor is).
#include "sandbox/supervisor.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <functional>

namespace mecapy::sandbox {
namespace {

constexpr unsigned kWatchdogSeconds = 30;

// The exit status of `body` run in a forked process; -SIGNAL when it was killed.
int in_watched_process(const std::function<int()>& body) {
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::alarm(kWatchdogSeconds);
    ::_exit(body());
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
}

// A process that sleeps until it is killed, as the supervised "first process".
SupervisedProcess sleeping_process() {
  SupervisedProcess process;
  process.pid = ::fork();
  if (process.pid == 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);  // the watched process may end first
    for (;;) ::pause();
  }
  process.pidfd = static_cast<int>(::syscall(SYS_pidfd_open, process.pid, 0));
  // Streams whose writers are gone (EOF at once), unless a test replaces them.
  for (auto* end : {&process.stdout_pipe, &process.stderr_pipe, &process.report_pipe}) {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) ::_exit(90);
    ::close(fds[1]);
    end->reset(fds[0]);
  }
  return process;
}

bool killed_by_sigkill(const SupervisionReport& report) {
  return WIFSIGNALED(report.wait_status) && WTERMSIG(report.wait_status) == SIGKILL;
}

TEST(SandboxSupervisor, OutputThatNeverRunsDryIsCutAtTheLimitAndTheProcessKilled) {
  // /dev/zero as stdout: every read returns a full buffer, like the fastest writer.
  const int status = in_watched_process([] {
    SupervisedProcess process = sleeping_process();
    process.stdout_pipe.reset(::open("/dev/zero", O_RDONLY | O_CLOEXEC));
    Limits limits;
    limits.stdout_bytes = 1 << 20;
    limits.wall_time = std::chrono::minutes(5);
    OutputCapture out(limits.stdout_bytes), err(limits.stderr_bytes);
    const SupervisionReport report = supervise(process, limits, nullptr, out, err);
    if (!report.output_overflow) return 1;
    if (!killed_by_sigkill(report)) return 2;
    if (out.take().text.size() != limits.stdout_bytes + OutputCapture::marker(limits.stdout_bytes).size()) return 3;
    return 0;
  });
  EXPECT_EQ(status, 0);
}

TEST(SandboxSupervisor, FailingPollKillsTheProcessBeforeReapingIt) {
  const int status = in_watched_process([] {
    SupervisedProcess process = sleeping_process();
    // poll() refuses more descriptors than RLIMIT_NOFILE allows (EINVAL); those
    // already open stay usable.
    const rlimit few{3, 3};
    if (::setrlimit(RLIMIT_NOFILE, &few) != 0) return 10;
    Limits limits;
    limits.wall_time = std::chrono::minutes(5);
    OutputCapture out(limits.stdout_bytes), err(limits.stderr_bytes);
    const SupervisionReport report = supervise(process, limits, nullptr, out, err);
    if (!killed_by_sigkill(report)) return 1;
    if (report.supervision_error != EINVAL) return 2;
    return 0;
  });
  EXPECT_EQ(status, 0);
}

TEST(SandboxSupervisor, AFarWallClockLimitNeitherWrapsNorTimesOut) {
  const int status = in_watched_process([] {
    SupervisedProcess process = sleeping_process();
    ::kill(process.pid, SIGUSR1);  // ends it (default action) without the supervisor
    Limits limits;
    limits.wall_time = std::chrono::milliseconds::max();
    limits.kill_grace = std::chrono::milliseconds::max();
    OutputCapture out(limits.stdout_bytes), err(limits.stderr_bytes);
    const SupervisionReport report = supervise(process, limits, nullptr, out, err);
    if (report.timed_out) return 1;
    if (!WIFSIGNALED(report.wait_status) || WTERMSIG(report.wait_status) != SIGUSR1) return 2;
    return 0;
  });
  EXPECT_EQ(status, 0);
}

}  // namespace
}  // namespace mecapy::sandbox
