// The sandbox attack suite: each case runs a small hostile program (Python or C) in
// the sandbox and asserts the precise outcome — the run's reason and the errno the
// program observed. Runs as root, like CI.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "sandbox/output_capture.hpp"
#include "sandbox/test_sandbox.hpp"

namespace mecapy::sandbox {
namespace {

using testing::host_process_with_argument;
using testing::TempDir;
using testing::test_sandbox;
namespace fs = std::filesystem;

// The attack programs, copied where the sandbox uid can reach them, shown at /attacks.
class Attacks {
 public:
  Attacks() : dir_("mecapy-attacks") {
    fs::permissions(dir_.path(), fs::perms(0755));
    for (const auto& entry : fs::directory_iterator(ATTACK_SCRIPT_DIR))
      if (entry.path().extension() == ".py")
        fs::copy_file(entry.path(), fs::path(dir_.path()) / entry.path().filename());
    for (const char* binary : {"forbidden_syscalls", "print_euid"})
      fs::copy_file(fs::path(ATTACK_BINARY_DIR) / binary, fs::path(dir_.path()) / binary);
    // A setuid-root copy: running it must not make anyone root.
    const std::string suid = dir_.path() + "/print_euid_suid";
    fs::copy_file(dir_.path() + "/print_euid", suid);
    EXPECT_EQ(::chown(suid.c_str(), 0, 0), 0);
    EXPECT_EQ(::chmod(suid.c_str(), 04755), 0);
  }
  const std::string& dir() const { return dir_.path(); }

 private:
  TempDir dir_;
};

const Attacks& attacks() {
  static const Attacks instance;
  return instance;
}

SandboxSpec attack_spec(std::vector<std::string> argv) {
  SandboxSpec spec;
  spec.argv = std::move(argv);
  spec.binds.push_back(BindMount{attacks().dir(), "/attacks", false});
  spec.limits.wall_time = std::chrono::seconds(20);
  spec.limits.kill_grace = std::chrono::milliseconds(500);
  return spec;
}

RunResult python(std::vector<std::string> args, const Limits* limits = nullptr) {
  std::vector<std::string> argv = {"/usr/bin/python3", "/attacks/" + args.at(0)};
  argv.insert(argv.end(), args.begin() + 1, args.end());
  SandboxSpec spec = attack_spec(argv);
  if (limits) spec.limits = *limits;
  return test_sandbox().run(spec);
}

std::string forbidden(const std::string& name) {
  const auto result = test_sandbox().run(attack_spec({"/attacks/forbidden_syscalls", name}));
  EXPECT_EQ(result.reason, Reason::ok) << result.message << result.stderr_output.text;
  return result.stdout_output.text;
}

std::string unique_marker() {
  static int counter = 0;
  return std::to_string(900000 + (::getpid() % 1000) * 100 + counter++);
}

bool eventually_gone(const std::string& marker) {
  for (int i = 0; i < 100 && host_process_with_argument(marker); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  return !host_process_with_argument(marker);
}

// --- network -----------------------------------------------------------------------

TEST(SandboxNetworkAttack, TcpToLoopbackIsRefused) {
  EXPECT_EQ(python({"network.py", "tcp_loopback"}).stdout_output.text, "tcp_loopback errno=EPERM\n");
}
TEST(SandboxNetworkAttack, UdpToLoopbackIsRefused) {
  EXPECT_EQ(python({"network.py", "udp_loopback"}).stdout_output.text, "udp_loopback errno=EPERM\n");
}
TEST(SandboxNetworkAttack, TcpToPublicAddressIsRefused) {
  EXPECT_EQ(python({"network.py", "tcp_public"}).stdout_output.text, "tcp_public errno=EPERM\n");
}
TEST(SandboxNetworkAttack, UdpToPublicAddressIsRefused) {
  EXPECT_EQ(python({"network.py", "udp_public"}).stdout_output.text, "udp_public errno=EPERM\n");
}
TEST(SandboxNetworkAttack, DnsDoesNotResolve) {
  // EAI_AGAIN (-3): the resolver cannot even open a socket to ask a server.
  EXPECT_EQ(python({"network.py", "dns"}).stdout_output.text, "dns gaierror=-3\n");
}
TEST(SandboxNetworkAttack, RawNetlinkSocketIsRefused) {
  EXPECT_EQ(forbidden("socket_netlink"), "socket_netlink errno=EPERM\n");
}

// --- resources ---------------------------------------------------------------------

TEST(SandboxResourceAttack, ForkBombIsStoppedByThePidsLimit) {
  Limits limits;
  limits.pids = 16;
  const auto result = python({"resources.py", "fork_bomb"}, &limits);
  EXPECT_EQ(result.reason, Reason::ok) << result.message;
  EXPECT_NE(result.stdout_output.text.find("errno=EAGAIN"), std::string::npos) << result.stdout_output.text;
  EXPECT_NE(result.stdout_output.text.find("fork_bomb children="), std::string::npos);
  const int children = std::stoi(result.stdout_output.text.substr(result.stdout_output.text.find('=') + 1));
  EXPECT_LT(children, 16);
}

TEST(SandboxResourceAttack, MemoryBombEndsWithMemoryLimit) {
  Limits limits;
  limits.memory_bytes = 64 * kMiB;
  const auto result = python({"resources.py", "memory_bomb"}, &limits);
  EXPECT_EQ(result.reason, Reason::memory_limit) << result.message << result.stderr_output.text;
  EXPECT_EQ(result.signal, SIGKILL);
  EXPECT_EQ(result.stdout_output.text.find("survived"), std::string::npos);
}

TEST(SandboxResourceAttack, DiskFillEndsWithEnospcAtTheWorkspaceLimit) {
  Limits limits;
  limits.workspace_bytes = 8 * kMiB;
  const auto result = python({"resources.py", "disk_fill"}, &limits);
  EXPECT_EQ(result.reason, Reason::ok) << result.message << result.stderr_output.text;
  EXPECT_NE(result.stdout_output.text.find("errno=ENOSPC"), std::string::npos) << result.stdout_output.text;
  const auto written = std::stoull(result.stdout_output.text.substr(result.stdout_output.text.find('=') + 1));
  EXPECT_LE(written, 8 * kMiB);
}

TEST(SandboxResourceAttack, InfiniteLoopEndsWithTimeout) {
  Limits limits;
  limits.wall_time = std::chrono::milliseconds(1000);
  limits.kill_grace = std::chrono::milliseconds(200);
  const auto result = python({"resources.py", "infinite_loop"}, &limits);
  EXPECT_EQ(result.reason, Reason::timeout) << result.message;
  EXPECT_EQ(result.signal, SIGKILL);  // PID 1 without a SIGTERM handler: ended at once
  EXPECT_GE(result.wall_time_ms, 1000.0);
}

TEST(SandboxResourceAttack, BusyLoopIsThrottledByTheCpuQuota) {
  Limits limits;
  limits.cpus = 0.2;
  const auto result = python({"resources.py", "busy_loop", "1.0"}, &limits);
  EXPECT_EQ(result.reason, Reason::ok) << result.message;
  EXPECT_GT(result.cpu_throttled_periods, 0u);
  EXPECT_LT(result.cpu_time_ms, result.wall_time_ms);
}

TEST(SandboxResourceAttack, StdoutFloodIsTruncatedAndStopped) {
  Limits limits;
  limits.stdout_bytes = 64 * 1024;
  const auto result = python({"resources.py", "stdout_flood"}, &limits);
  EXPECT_EQ(result.reason, Reason::output_limit);
  EXPECT_TRUE(result.stdout_output.truncated);
  const std::string marker = OutputCapture::marker(64 * 1024);
  ASSERT_EQ(result.stdout_output.text.size(), 64 * 1024 + marker.size());
  EXPECT_EQ(result.stdout_output.text.substr(64 * 1024), marker);
}

TEST(SandboxResourceAttack, CpuTimeLimitEndsWithCpuLimit) {
  Limits limits;
  limits.cpu_time = std::chrono::seconds(1);
  limits.cpus = 0;
  const auto result = python({"resources.py", "infinite_loop"}, &limits);
  EXPECT_EQ(result.reason, Reason::cpu_limit) << result.message;
  // PID 1 of its namespace has no SIGXCPU handler, so the soft limit's SIGXCPU is
  // ignored and the hard limit's SIGKILL, a second later, ends it.
  EXPECT_EQ(result.signal, SIGKILL);
  EXPECT_GE(result.cpu_time_ms, 1000.0);
}

// --- filesystem --------------------------------------------------------------------

TEST(SandboxFilesystemAttack, HostSecretsAreAbsent) {
  EXPECT_EQ(python({"filesystem.py", "read", "/etc/shadow"}).stdout_output.text, "read /etc/shadow errno=ENOENT\n");
  EXPECT_EQ(python({"filesystem.py", "list", "/root"}).stdout_output.text, "list /root errno=ENOENT\n");
  EXPECT_EQ(python({"filesystem.py", "list", "/home"}).stdout_output.text, "list /home errno=ENOENT\n");
}

TEST(SandboxFilesystemAttack, ProcShowsOnlyTheSandboxAndItsEnvironment) {
  const auto text = python({"filesystem.py", "environ"}).stdout_output.text;
  EXPECT_NE(text.find("PATH=/usr/bin:/bin"), std::string::npos) << text;
  EXPECT_EQ(text.find("HOME=/root"), std::string::npos) << text;
  EXPECT_EQ(text.find("MECAPY"), std::string::npos) << text;
}

TEST(SandboxFilesystemAttack, AnotherJobsWorkspaceIsAbsent) {
  TempDir other_job("mecapy-other-job");
  fs::permissions(other_job.path(), fs::perms(0755));
  std::ofstream(other_job.path() + "/secret.txt") << "other job's data";
  const std::string path = other_job.path() + "/secret.txt";
  EXPECT_EQ(python({"filesystem.py", "read", path}).stdout_output.text, "read " + path + " errno=ENOENT\n");
}

TEST(SandboxFilesystemAttack, WritingToUsrFailsWithErofs) {
  EXPECT_EQ(python({"filesystem.py", "write", "/usr/owned"}).stdout_output.text, "write /usr/owned errno=EROFS\n");
  EXPECT_EQ(python({"filesystem.py", "write", "/owned"}).stdout_output.text, "write /owned errno=EROFS\n");
  EXPECT_EQ(python({"filesystem.py", "write", "/attacks/owned"}).stdout_output.text,
            "write /attacks/owned errno=EROFS\n");
}

// --- forbidden system calls --------------------------------------------------------

class SandboxForbiddenSyscall : public ::testing::TestWithParam<const char*> {};

TEST_P(SandboxForbiddenSyscall, FailsWithEperm) {
  EXPECT_EQ(forbidden(GetParam()), std::string(GetParam()) + " errno=EPERM\n");
}

INSTANTIATE_TEST_SUITE_P(Attacks, SandboxForbiddenSyscall,
                         ::testing::Values("ptrace_traceme", "ptrace_attach", "process_vm_readv", "mount", "umount",
                                           "pivot_root", "chroot", "unshare", "setns", "clone_newnet", "keyctl",
                                           "add_key", "request_key", "bpf", "perf_event_open", "userfaultfd",
                                           "io_uring_setup", "kexec_load", "init_module", "finit_module",
                                           "delete_module", "reboot", "swapon", "swapoff", "personality", "socket_inet",
                                           "tiocsti", "tiocsti_high_bits", "tioclinux", "fs_ioc_getflags",
                                           "mknod_device", "setuid_root"));

TEST(SandboxSyscallPolicy, Clone3FailsWithEnosysSoThatLibcFallsBack) {
  EXPECT_EQ(forbidden("clone3"), "clone3 errno=ENOSYS\n");
}

TEST(SandboxSyscallPolicy, HarmlessIoctlStillReachesTheKernel) {
  EXPECT_EQ(forbidden("tcgets"), "tcgets errno=ENOTTY\n");
  EXPECT_EQ(forbidden("fioclex"), "fioclex allowed\n");
}

// --- privileges --------------------------------------------------------------------

TEST(SandboxPrivilegeAttack, SetuidBinaryGainsNoPrivilege) {
  struct stat info {};
  ASSERT_EQ(::stat((attacks().dir() + "/print_euid_suid").c_str(), &info), 0);
  ASSERT_TRUE(info.st_mode & S_ISUID);
  ASSERT_EQ(info.st_uid, 0u);
  const auto result = test_sandbox().run(attack_spec({"/attacks/print_euid_suid"}));
  EXPECT_EQ(result.reason, Reason::ok) << result.message;
  EXPECT_EQ(result.stdout_output.text, "uid=65534 euid=65534\n");
}

// --- processes ---------------------------------------------------------------------

TEST(SandboxProcessAttack, DoubleForkIgnoringSigtermIsStillKilled) {
  const std::string marker = unique_marker();
  Limits limits;
  limits.wall_time = std::chrono::milliseconds(1500);
  limits.kill_grace = std::chrono::milliseconds(300);
  const auto result = python({"processes.py", "double_fork", marker}, &limits);
  EXPECT_EQ(result.reason, Reason::timeout) << result.message << result.stderr_output.text;
  EXPECT_EQ(result.stdout_output.text, "double_fork started\n");
  EXPECT_TRUE(eventually_gone(marker));
}

TEST(SandboxProcessAttack, ChildLeftSleepingAfterTheMainProcessExitsIsKilled) {
  const std::string marker = unique_marker();
  const auto result = python({"processes.py", "orphan", marker});
  EXPECT_EQ(result.reason, Reason::ok) << result.message;
  EXPECT_EQ(result.stdout_output.text, "orphan left\n");
  EXPECT_TRUE(eventually_gone(marker));
}

TEST(SandboxProcessAttack, TheSandboxLeadsItsOwnSessionWithoutATerminal) {
  const auto result = python({"processes.py", "session"});
  EXPECT_EQ(result.reason, Reason::ok) << result.message << result.stderr_output.text;
  const auto& out = result.stdout_output.text;
  EXPECT_EQ(out.substr(0, out.find('\n')), "session leader");
  EXPECT_NE(out.find("no terminal: "), std::string::npos) << out;
}

// A Ctrl-C in the server's terminal signals the server's process group: it must not
// interrupt the jobs (the server hands them back instead).
TEST(SandboxProcessAttack, ASignalToTheServersProcessGroupDoesNotReachTheSandbox) {
  test_sandbox();
  int pid_pipe[2];
  ASSERT_EQ(::pipe(pid_pipe), 0);
  const pid_t worker = ::fork();
  ASSERT_GE(worker, 0);
  if (worker == 0) {
    ::close(pid_pipe[0]);
    ::setpgid(0, 0);            // the "server" leads a process group, as in a shell
    ::signal(SIGINT, SIG_IGN);  // and survives the Ctrl-C itself
    SandboxSpec spec = attack_spec({"/usr/bin/python3", "/attacks/processes.py", "interruptible", "1.5"});
    spec.on_started = [&](pid_t pid) {
      const ssize_t written = ::write(pid_pipe[1], &pid, sizeof pid);
      static_cast<void>(written);
    };
    const auto result = test_sandbox().run(spec);
    ::_exit(result.reason == Reason::ok && result.stdout_output.text == "waiting\nnot interrupted\n" ? 0 : 3);
  }
  ::close(pid_pipe[1]);
  pid_t sandboxed = 0;
  ASSERT_EQ(::read(pid_pipe[0], &sandboxed, sizeof sandboxed), static_cast<ssize_t>(sizeof sandboxed));
  ::close(pid_pipe[0]);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // let Python start
  ASSERT_EQ(::kill(-worker, SIGINT), 0);
  int status = 0;
  ASSERT_EQ(::waitpid(worker, &status, 0), worker);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0) << "the sandboxed program was interrupted";
}

TEST(SandboxProcessAttack, KillingTheParentWorkerKillsTheSandbox) {
  const std::string marker = unique_marker();
  test_sandbox();  // the pool belongs to this process, which cleans it up at exit
  int pid_pipe[2];
  ASSERT_EQ(::pipe(pid_pipe), 0);
  const pid_t worker = ::fork();
  ASSERT_GE(worker, 0);
  if (worker == 0) {
    ::close(pid_pipe[0]);
    SandboxSpec spec = attack_spec({"/usr/bin/python3", "/attacks/processes.py", "sleep", marker});
    spec.on_started = [&](pid_t pid) {
      const ssize_t written = ::write(pid_pipe[1], &pid, sizeof pid);
      static_cast<void>(written);
    };
    test_sandbox().run(spec);
    ::_exit(0);
  }
  ::close(pid_pipe[1]);
  pid_t sandboxed = 0;
  ASSERT_EQ(::read(pid_pipe[0], &sandboxed, sizeof sandboxed), static_cast<ssize_t>(sizeof sandboxed));
  ::close(pid_pipe[0]);
  // Seen once is enough (looking twice raced with a loaded machine's scheduling).
  bool seen = false;
  for (int i = 0; i < 500 && !(seen = host_process_with_argument(marker)); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  ASSERT_TRUE(seen);
  ASSERT_EQ(::kill(worker, SIGKILL), 0);
  int status = 0;
  ASSERT_EQ(::waitpid(worker, &status, 0), worker);
  EXPECT_TRUE(eventually_gone(marker));
}

}  // namespace
}  // namespace mecapy::sandbox
