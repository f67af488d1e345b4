// The seccomp allowlist (see seccomp_filter.hpp).
#include "sandbox/seccomp_filter.hpp"

#include <linux/seccomp.h>
#include <sched.h>
#include <seccomp.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <memory>

#include "core/errors.hpp"

namespace mecapy::sandbox {
namespace {

// What a Python/numpy/scipy process does: memory, files, time, threads, signals,
// local pipes and sockets, process control inside its own PID namespace.
const std::vector<std::string> kAllowed = {
    // memory
    "brk",
    "mmap",
    "munmap",
    "mremap",
    "mprotect",
    "madvise",
    "mincore",
    "msync",
    "mlock",
    "munlock",
    "membarrier",
    "get_mempolicy",
    "mbind",
    "set_mempolicy",
    // files and directories
    "read",
    "write",
    "readv",
    "writev",
    "pread64",
    "pwrite64",
    "preadv",
    "pwritev",
    "preadv2",
    "pwritev2",
    "open",
    "openat",
    "openat2",
    "creat",
    "close",
    "close_range",
    "lseek",
    "stat",
    "fstat",
    "lstat",
    "newfstatat",
    "statx",
    "statfs",
    "fstatfs",
    "access",
    "faccessat",
    "faccessat2",
    "getdents",
    "getdents64",
    "getcwd",
    "chdir",
    "fchdir",
    "mkdir",
    "mkdirat",
    "rmdir",
    "rename",
    "renameat",
    "renameat2",
    "unlink",
    "unlinkat",
    "link",
    "linkat",
    "symlink",
    "symlinkat",
    "readlink",
    "readlinkat",
    "chmod",
    "fchmod",
    "fchmodat",
    "chown",
    "fchown",
    "fchownat",
    "lchown",
    "umask",
    "truncate",
    "ftruncate",
    "fallocate",
    "fsync",
    "fdatasync",
    "sync_file_range",
    "flock",
    "fcntl",
    "dup",
    "dup2",
    "dup3",
    "pipe",
    "pipe2",
    "utime",
    "utimes",
    "utimensat",
    "futimesat",
    "fadvise64",
    "readahead",
    "sendfile",
    "copy_file_range",
    "splice",
    "tee",
    "memfd_create",
    "getxattr",
    "lgetxattr",
    "fgetxattr",
    "listxattr",
    "llistxattr",
    "flistxattr",
    "inotify_init",
    "inotify_init1",
    "inotify_add_watch",
    "inotify_rm_watch",
    // polling and events
    "select",
    "pselect6",
    "poll",
    "ppoll",
    "epoll_create",
    "epoll_create1",
    "epoll_ctl",
    "epoll_wait",
    "epoll_pwait",
    "epoll_pwait2",
    "eventfd",
    "eventfd2",
    "timerfd_create",
    "timerfd_settime",
    "timerfd_gettime",
    "signalfd",
    "signalfd4",
    // local sockets (socket and socketpair themselves are argument-checked)
    "connect",
    "accept",
    "accept4",
    "bind",
    "listen",
    "shutdown",
    "getsockname",
    "getpeername",
    "setsockopt",
    "getsockopt",
    "sendto",
    "recvfrom",
    "sendmsg",
    "recvmsg",
    "sendmmsg",
    "recvmmsg",
    // processes, threads, signals
    "fork",
    "vfork",
    "execve",
    "execveat",
    "exit",
    "exit_group",
    "wait4",
    "waitid",
    "kill",
    "tkill",
    "tgkill",
    "getpid",
    "getppid",
    "gettid",
    "getpgid",
    "setpgid",
    "getpgrp",
    "getsid",
    "setsid",
    "set_tid_address",
    "set_robust_list",
    "get_robust_list",
    "futex",
    "futex_waitv",
    "rseq",
    "arch_prctl",
    "sched_yield",
    "sched_getaffinity",
    "sched_setaffinity",
    "sched_getparam",
    "sched_getscheduler",
    "sched_get_priority_max",
    "sched_get_priority_min",
    "sched_rr_get_interval",
    "getpriority",
    "setpriority",
    "rt_sigaction",
    "rt_sigprocmask",
    "rt_sigreturn",
    "rt_sigpending",
    "rt_sigtimedwait",
    "rt_sigsuspend",
    "rt_sigqueueinfo",
    "rt_tgsigqueueinfo",
    "sigaltstack",
    "pause",
    "restart_syscall",
    "pidfd_open",
    "pidfd_send_signal",
    "pidfd_getfd",
    // identity (read-only) and limits
    "getuid",
    "geteuid",
    "getgid",
    "getegid",
    "getresuid",
    "getresgid",
    "getgroups",
    "getrlimit",
    "getrusage",
    "capget",
    // time and system information
    "clock_gettime",
    "clock_getres",
    "clock_nanosleep",
    "nanosleep",
    "gettimeofday",
    "time",
    "times",
    "alarm",
    "getitimer",
    "setitimer",
    "timer_create",
    "timer_settime",
    "timer_gettime",
    "timer_getoverrun",
    "timer_delete",
    "uname",
    "sysinfo",
    "getrandom",
    "getcpu",
    // System V IPC: private to the sandbox's IPC namespace
    "shmget",
    "shmat",
    "shmdt",
    "shmctl",
    "semget",
    "semop",
    "semtimedop",
    "semctl",
    "msgget",
    "msgsnd",
    "msgrcv",
    "msgctl",
};

constexpr scmp_datum_t kNamespaceFlags =
    CLONE_NEWNS | CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS | CLONE_NEWCGROUP;

constexpr int kAllowedPrctlOptions[] = {PR_SET_NAME,         PR_GET_NAME,       PR_GET_DUMPABLE, PR_SET_PDEATHSIG,
                                        PR_GET_PDEATHSIG,    PR_CAPBSET_READ,   PR_GET_SECCOMP,  PR_GET_NO_NEW_PRIVS,
                                        PR_SET_NO_NEW_PRIVS, PR_GET_TIMERSLACK, PR_GET_KEEPCAPS, PR_SET_VMA,
                                        PR_GET_THP_DISABLE,  PR_SET_THP_DISABLE};

// isatty() and termios queries, terminal size, pending bytes, non-blocking and async
// modes, close-on-exec (Python's os.set_inheritable), the terminal's process group.
constexpr unsigned long kAllowedIoctlRequests[] = {TCGETS,  TIOCGWINSZ, TIOCGPGRP, FIONREAD,
                                                   FIONBIO, FIOASYNC,   FIOCLEX,   FIONCLEX};

using Context = std::unique_ptr<void, decltype(&seccomp_release)>;

void check(int rc, const std::string& what) {
  if (rc < 0)
    throw Error(ErrorKind::internal, "seccomp", "libseccomp: " + what + " failed (" + std::to_string(-rc) + ")");
}

void add_argument_rules(scmp_filter_ctx ctx) {
  check(seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(clone), 1, SCMP_A0(SCMP_CMP_MASKED_EQ, kNamespaceFlags, 0)),
        "clone rule");
  check(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3), 0), "clone3 rule");
  for (const int syscall : {SCMP_SYS(socket), SCMP_SYS(socketpair)})
    check(seccomp_rule_add(ctx, SCMP_ACT_ALLOW, syscall, 1, SCMP_A0(SCMP_CMP_EQ, AF_UNIX)), "socket rule");
  for (const int option : kAllowedPrctlOptions)
    check(seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(prctl), 1,
                           SCMP_A0(SCMP_CMP_EQ, static_cast<scmp_datum_t>(option))),
          "prctl rule");
  check(seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(personality), 1, SCMP_A0(SCMP_CMP_EQ, 0xffffffffu)),
        "personality rule");
  check(seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(prlimit64), 1, SCMP_A0(SCMP_CMP_EQ, 0)), "prlimit64 rule");
  // ioctl: only the requests the C library and Python make on pipes, files and
  // terminals. The kernel reads the request as 32 bits: only those are compared.
  for (const unsigned long request : kAllowedIoctlRequests)
    check(seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(ioctl), 1,
                           SCMP_A1(SCMP_CMP_MASKED_EQ, scmp_datum_t{0xffffffff}, scmp_datum_t{request})),
          "ioctl rule");
}

std::vector<sock_filter> export_program(scmp_filter_ctx ctx) {
  const int fd = ::memfd_create("mecapy-seccomp", MFD_CLOEXEC);
  if (fd < 0) throw Error(ErrorKind::internal, "seccomp", "memfd_create failed");
  const int rc = seccomp_export_bpf(ctx, fd);
  std::vector<sock_filter> program;
  const off_t size = ::lseek(fd, 0, SEEK_END);
  if (rc == 0 && size > 0 && size % static_cast<off_t>(sizeof(sock_filter)) == 0) {
    program.resize(static_cast<std::size_t>(size) / sizeof(sock_filter));
    if (::pread(fd, program.data(), static_cast<std::size_t>(size), 0) != size) program.clear();
  }
  ::close(fd);
  if (program.empty()) throw Error(ErrorKind::internal, "seccomp", "could not export the seccomp program");
  return program;
}

}  // namespace

const std::vector<std::string>& allowed_syscall_names() { return kAllowed; }

SeccompProgram SeccompProgram::compile_allowlist() {
  Context ctx(seccomp_init(SCMP_ACT_ERRNO(EPERM)), &seccomp_release);
  if (!ctx) throw Error(ErrorKind::internal, "seccomp", "seccomp_init failed");
  check(seccomp_attr_set(ctx.get(), SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS), "bad-arch action");
  check(seccomp_attr_set(ctx.get(), SCMP_FLTATR_CTL_NNP, 0), "no_new_privs attribute");
  // A binary search over system call numbers instead of a linear scan: every system
  // call of the sandboxed process runs this program.
  check(seccomp_attr_set(ctx.get(), SCMP_FLTATR_CTL_OPTIMIZE, 2), "binary-tree optimization");
  std::size_t allowed = 0;
  for (const auto& name : kAllowed) {
    const int number = seccomp_syscall_resolve_name(name.c_str());
    if (number == __NR_SCMP_ERROR) continue;  // not on this architecture
    check(seccomp_rule_add(ctx.get(), SCMP_ACT_ALLOW, number, 0), "rule for " + name);
    ++allowed;
  }
  add_argument_rules(ctx.get());
  return SeccompProgram(export_program(ctx.get()), allowed);
}

}  // namespace mecapy::sandbox
