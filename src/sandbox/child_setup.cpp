// The sandbox's first process, from clone to exec (see child_setup.hpp).
#include "sandbox/child_setup.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>

#include "sandbox/credentials.hpp"
#include "sandbox/file_io.hpp"
#include "sandbox/mounts.hpp"
#include "sandbox/rlimits.hpp"
#include "sandbox/seccomp_filter.hpp"

namespace mecapy::sandbox {
namespace {

constexpr int kReportFd = 3;
constexpr int kFirstSpareFd = 10;

[[noreturn]] void fail(const ChildContext& context, ChildStage stage, int error, int step = -1) noexcept {
  const ChildFailure failure{static_cast<std::int32_t>(stage), step, error};
  const ssize_t written = ::write(context.report_fd, &failure, sizeof failure);
  static_cast<void>(written);
  ::_exit(127);
}

// Duplicates the three stream descriptors out of the way first so that none of them
// is overwritten before it is used, whatever numbers the parent had.
int wire_standard_streams(const ChildContext& context) noexcept {
  const int sources[3] = {context.stdin_fd, context.stdout_fd, context.stderr_fd};
  int spare[3];
  for (int i = 0; i < 3; ++i) {
    spare[i] = ::fcntl(sources[i], F_DUPFD_CLOEXEC, kFirstSpareFd);
    if (spare[i] < 0) return errno;
  }
  for (int i = 0; i < 3; ++i)
    if (::dup2(spare[i], i) < 0) return errno;
  return 0;
}

int keep_only_report_descriptor(ChildContext& context) noexcept {
  if (context.report_fd != kReportFd) {
    if (::dup3(context.report_fd, kReportFd, O_CLOEXEC) < 0) return errno;
    context.report_fd = kReportFd;
  } else if (::fcntl(kReportFd, F_SETFD, FD_CLOEXEC) != 0) {
    return errno;
  }
  return ::syscall(SYS_close_range, kReportFd + 1, ~0U, 0) == 0 ? 0 : errno;
}

// Moves the calling process (a single thread) into the cgroup owning `tasks_file`.
int join_cgroup(const char* tasks_file) noexcept {
  const int fd = ::open(tasks_file, O_WRONLY | O_CLOEXEC);
  if (fd < 0) return errno;
  const int error = ::write(fd, "0", 1) == 1 ? 0 : errno;
  ::close(fd);
  return error;
}

bool parent_is_gone(int parent_alive_fd) noexcept {
  pollfd entry{parent_alive_fd, POLLIN, 0};
  return ::poll(&entry, 1, 0) == 1 && (entry.revents & (POLLHUP | POLLERR)) != 0;
}

// The kernel's struct sigaction (the C library's differs, and its sigaction() refuses
// the two signals it reserves for itself, which a caller may still have ignored).
struct KernelSigaction {
  void (*handler)(int);
  unsigned long flags;
  void (*restorer)();
  std::uint64_t mask;
};

void reset_signal_dispositions() noexcept {
  const KernelSigaction default_action{SIG_DFL, 0, nullptr, 0};
  for (int signal_number = 1; signal_number <= 64; ++signal_number)
    if (signal_number != SIGKILL && signal_number != SIGSTOP)
      ::syscall(SYS_rt_sigaction, signal_number, &default_action, nullptr, sizeof default_action.mask);
}

}  // namespace

void run_child(const ChildContext& original) noexcept {
  ChildContext context = original;
  // Handlers were reset by the clone; ignored signals would stay ignored across exec.
  reset_signal_dispositions();
  // A session of its own, without a controlling terminal: the keyboard's signals (a
  // Ctrl-C meant for the server) never reach a job, and the sandbox cannot push input
  // into the server's terminal with TIOCSTI (the attack behind CVE-2017-5226).
  if (::setsid() < 0) fail(context, ChildStage::new_session, errno);
  // Still root of the host's user namespace here: the filesystem is built with full
  // privileges (bind sources are reachable whatever their parents' modes).
  for (const char* const* file = context.cgroup_task_files; file && *file; ++file)
    if (const int e = join_cgroup(*file)) fail(context, ChildStage::join_cgroup, e);
  int mount_error = 0;
  if (const int step = context.mounts->apply(&mount_error); step >= 0)
    fail(context, ChildStage::mounts, mount_error, step);
  if (::sethostname(context.hostname, std::strlen(context.hostname)) != 0) fail(context, ChildStage::hostname, errno);
  if (::setns(context.user_ns_fd, CLONE_NEWUSER) != 0) fail(context, ChildStage::user_namespace, errno);
  if (::setns(context.net_ns_fd, CLONE_NEWNET) != 0) fail(context, ChildStage::network_namespace, errno);
  if (::unshare(CLONE_NEWCGROUP) != 0) fail(context, ChildStage::cgroup_namespace, errno);
  if (const int e = become_user(context.uid, context.gid)) fail(context, ChildStage::credentials, e);
  if (const int e = context.rlimits->apply()) fail(context, ChildStage::rlimits, e);
  if (const int e = wire_standard_streams(context)) fail(context, ChildStage::standard_streams, e);
  if (const int e = drop_all_capabilities()) fail(context, ChildStage::capabilities, e);
  if (const int e = forbid_new_privileges()) fail(context, ChildStage::no_new_privileges, e);
  // After the last credential change (which clears it), and checked against the race
  // where the parent died just before.
  if (::prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) != 0) fail(context, ChildStage::parent_death_signal, errno);
  if (parent_is_gone(context.parent_alive_fd)) ::_exit(127);
  if (const int e = keep_only_report_descriptor(context)) fail(context, ChildStage::close_descriptors, e);
  if (const int e = context.seccomp->install()) fail(context, ChildStage::seccomp, e);

  sigset_t none;
  ::sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
  int exec_error = ENOENT;
  for (const char* const* candidate = context.exec_candidates; *candidate; ++candidate) {
    ::execve(*candidate, context.argv, context.envp);
    if (errno != ENOENT || exec_error == ENOENT) exec_error = errno;
  }
  fail(context, ChildStage::exec, exec_error);
}

std::string describe_child_failure(const ChildFailure& failure, const MountPlan& mounts) {
  static constexpr const char* kStageNames[] = {"",
                                                "joining the cgroup",
                                                "",
                                                "setting the hostname",
                                                "joining the user namespace",
                                                "joining the network namespace",
                                                "entering the cgroup namespace",
                                                "switching to the sandbox user",
                                                "setting rlimits",
                                                "wiring standard streams",
                                                "dropping capabilities",
                                                "setting no_new_privs",
                                                "setting the parent-death signal",
                                                "closing descriptors",
                                                "installing the seccomp filter",
                                                "executing the command",
                                                "starting a new session"};
  const auto stage = static_cast<ChildStage>(failure.stage);
  std::string what;
  if (stage == ChildStage::mounts)
    what = mounts.describe(failure.step);
  else if (failure.stage > 0 && failure.stage <= static_cast<std::int32_t>(ChildStage::new_session))
    what = kStageNames[failure.stage];
  else
    what = "sandbox setup";
  return what + ": " + errno_text(failure.error);
}

}  // namespace mecapy::sandbox
