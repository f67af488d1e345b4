// Supervision of a running sandbox (see supervisor.hpp).
#include "sandbox/supervisor.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include <algorithm>
#include <cerrno>
#include <string>

#include "sandbox/file_io.hpp"

namespace mecapy::sandbox {
namespace {

using Clock = std::chrono::steady_clock;

int send_signal(int pidfd, int signal) {
  return static_cast<int>(::syscall(SYS_pidfd_send_signal, pidfd, signal, nullptr, 0));
}

// Whether `pid` has a handler for SIGTERM (SigCgt in /proc/PID/status).
bool catches_sigterm(pid_t pid) {
  const auto status = read_small_file("/proc/" + std::to_string(pid) + "/status");
  if (!status) return false;
  const auto at = status->find("SigCgt:");
  if (at == std::string::npos) return false;
  const unsigned long long mask = std::strtoull(status->c_str() + at + 7, nullptr, 16);
  return (mask >> (SIGTERM - 1)) & 1u;
}

// poll()'s timeout until `when`; at most an hour (poll() is then called again), so that
// a far deadline never wraps into a negative, endless timeout.
int milliseconds_until(Clock::time_point when) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(when - Clock::now()).count();
  return left <= 0 ? 0 : static_cast<int>(std::min<long long>(left + 1, 3'600'000));
}

// `from` + `wait`, or the clock's last instant when that would overflow.
Clock::time_point after(Clock::time_point from, std::chrono::milliseconds wait) {
  const auto room = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::time_point::max() - from);
  return wait >= room ? Clock::time_point::max() : from + wait;
}

class Stopper {
 public:
  Stopper(SupervisedProcess& process, std::chrono::milliseconds grace) : process_(process), grace_(grace) {}

  // SIGTERM to everything; the first process gets SIGKILL at once when SIGTERM would
  // be ignored by it (PID 1 without a handler).
  void terminate() {
    if (state_ != State::running) return;
    state_ = State::terminating;
    kill_at_ = after(Clock::now(), grace_);
    if (process_.slot) process_.slot->signal_members(SIGTERM, process_.pid);
    send_signal(process_.pidfd, catches_sigterm(process_.pid) ? SIGTERM : SIGKILL);
  }
  // SIGKILL to the first process, which makes the kernel kill the rest of its PID
  // namespace; the group's processes are killed too (they all are in that namespace,
  // but killing them does not depend on it).
  void kill() {
    if (state_ == State::killed) return;
    state_ = State::killed;
    send_signal(process_.pidfd, SIGKILL);
    if (process_.slot) process_.slot->kill_members();
  }
  bool stopping() const { return state_ != State::running; }
  // Milliseconds poll() may sleep: until the wall-clock deadline while running, until
  // the end of the grace period while terminating, for the exit once killed.
  int poll_timeout(Clock::time_point deadline) const {
    if (state_ == State::killed) return -1;
    return milliseconds_until(state_ == State::terminating ? kill_at_ : deadline);
  }
  // Escalates when the current phase's time is up.
  void on_tick(Clock::time_point deadline, bool& timed_out) {
    const auto now = Clock::now();
    if (state_ == State::running && now >= deadline) {
      timed_out = true;
      terminate();
    } else if (state_ == State::terminating && now >= kill_at_) {
      kill();
    }
  }

 private:
  enum class State { running, terminating, killed };
  SupervisedProcess& process_;
  std::chrono::milliseconds grace_;
  State state_ = State::running;
  Clock::time_point kill_at_{};
};

// One read of what is available, at most a buffer: the loop polls again between reads,
// so a writer faster than this reader never keeps the supervisor from the clock, the
// cancel signal or the exit. Once the capture overflows, the pipe is closed (nothing
// more is read, however fast the writer) and the sandbox is stopped by the caller.
// False when the pipe is closed (EOF, error or overflow).
bool read_some(UniqueFd& pipe, OutputCapture& capture, bool& overflow) {
  char buffer[65536];
  ssize_t n = 0;
  do {
    n = ::read(pipe.get(), buffer, sizeof buffer);
  } while (n < 0 && errno == EINTR);
  if (n < 0 && errno == EAGAIN) return true;
  if (n > 0 && capture.append(std::string_view(buffer, static_cast<std::size_t>(n)))) return true;
  if (n > 0) overflow = true;
  pipe.reset();
  return false;
}

// What is left in a pipe once every writer is gone: bounded by the capture's limit.
void read_rest(UniqueFd& pipe, OutputCapture& capture, bool& overflow) {
  while (pipe && read_some(pipe, capture, overflow)) {
    pollfd entry{pipe.get(), POLLIN, 0};
    if (::poll(&entry, 1, 100) <= 0) break;
  }
}

void read_report(UniqueFd& pipe, SupervisionReport& report) {
  ChildFailure failure;
  const ssize_t n = ::read(pipe.get(), &failure, sizeof failure);
  if (n == static_cast<ssize_t>(sizeof failure)) report.setup_failure = failure;
  if (n < 0 && (errno == EINTR || errno == EAGAIN)) return;
  pipe.reset();
}

// Until the first process has exited (or watching failed and it was killed).
void watch(SupervisedProcess& process, const Limits& limits, const CancelSignal* cancel, OutputCapture& out,
           OutputCapture& err, Stopper& stopper, SupervisionReport& report) {
  const auto deadline = after(Clock::now(), limits.wall_time);
  bool exited = false;
  while (!exited) {
    pollfd fds[5] = {{process.pidfd, POLLIN, 0},
                     {process.stdout_pipe.get(), POLLIN, 0},
                     {process.stderr_pipe.get(), POLLIN, 0},
                     {process.report_pipe.get(), POLLIN, 0},
                     {cancel && !report.cancelled ? cancel->fd() : -1, POLLIN, 0}};
    if (::poll(fds, 5, stopper.poll_timeout(deadline)) < 0 && errno != EINTR) {
      // Nothing can be watched any more: the sandbox must not run on unsupervised.
      report.supervision_error = errno;
      stopper.kill();
      return;
    }
    if (fds[1].revents) read_some(process.stdout_pipe, out, report.output_overflow);
    if (report.output_overflow) stopper.kill();
    if (fds[2].revents) read_some(process.stderr_pipe, err, report.output_overflow);
    if (fds[3].revents) read_report(process.report_pipe, report);
    if (report.output_overflow) stopper.kill();
    if (fds[4].revents && !report.cancelled) {
      report.cancelled = true;
      stopper.terminate();
    }
    exited = fds[0].revents != 0;
    if (!exited) stopper.on_tick(deadline, report.timed_out);
  }
}

void reap(const SupervisedProcess& process, SupervisionReport& report) {
  while (::wait4(process.pid, &report.wait_status, 0, &report.usage) < 0 && errno == EINTR) {
  }
  report.ended = Clock::now();
}

}  // namespace

SupervisionReport supervise(SupervisedProcess& process, const Limits& limits, const CancelSignal* cancel,
                            OutputCapture& out, OutputCapture& err) {
  SupervisionReport report;
  Stopper stopper(process, limits.kill_grace);
  for (auto* pipe : {&process.stdout_pipe, &process.stderr_pipe, &process.report_pipe})
    ::fcntl(pipe->get(), F_SETFL, O_NONBLOCK);
  try {
    watch(process, limits, cancel, out, err, stopper, report);
  } catch (...) {
    // Out of memory in a capture, say: the sandbox is killed before anything else.
    stopper.kill();
    reap(process, report);
    throw;
  }
  reap(process, report);
  // Everything in the PID namespace is gone: the pipes' write ends are closed.
  read_rest(process.stdout_pipe, out, report.output_overflow);
  read_rest(process.stderr_pipe, err, report.output_overflow);
  if (process.report_pipe) read_report(process.report_pipe, report);
  return report;
}

}  // namespace mecapy::sandbox
