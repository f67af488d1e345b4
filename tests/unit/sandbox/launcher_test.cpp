// End-to-end runs of the real sandbox: what the command sees and what comes back.
#include "sandbox/launcher.hpp"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <future>
#include <set>
#include <sstream>
#include <thread>

#include "core/errors.hpp"
#include "sandbox/mounts.hpp"
#include "sandbox/test_sandbox.hpp"

namespace mecapy::sandbox {
namespace {

using testing::TempDir;
using testing::test_sandbox;

RunResult run(std::vector<std::string> argv, SandboxSpec spec = {}) {
  spec.argv = std::move(argv);
  return test_sandbox().run(spec);
}

RunResult shell(const std::string& script, SandboxSpec spec = {}) {
  return run({"/bin/sh", "-c", script}, std::move(spec));
}

std::string first_line(const std::string& path) {
  std::ifstream file(path);
  std::string line;
  std::getline(file, line);
  return line;
}

TEST(SandboxRun, TrueIsOkWithCgroupAccounting) {
  const auto result = run({"/bin/true"});
  EXPECT_EQ(result.reason, Reason::ok) << result.message;
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(result.signal, std::nullopt);
  EXPECT_EQ(result.cgroup_version, test_sandbox().cgroup_support().version);
  EXPECT_GT(result.peak_memory_bytes, 0u);
  EXPECT_GT(result.wall_time_ms, 0.0);
}

TEST(SandboxRun, ExitStatusAndBothStreamsComeBack) {
  const auto result = shell("echo out; echo err >&2; exit 7");
  EXPECT_EQ(result.reason, Reason::exit_nonzero);
  EXPECT_EQ(result.exit_code, 7);
  EXPECT_EQ(result.stdout_output.text, "out\n");
  EXPECT_EQ(result.stderr_output.text, "err\n");
}

// Live output: the observer sees the first line while the command still runs. The
// command waits for a file that only the observer creates on seeing that line, so an
// observer called at the end only would leave it waiting until its wall-time limit.
TEST(SandboxRun, OutputIsObservedWhileTheCommandRuns) {
  TempDir workspace;
  std::filesystem::permissions(workspace.path(), std::filesystem::perms(0755));
  SandboxSpec spec;
  spec.workspace_dir = workspace.path();
  spec.limits.wall_time = std::chrono::seconds(20);
  std::string seen_out;
  std::string seen_err;
  spec.on_output = [&](OutputStream stream, std::string_view chunk) {
    (stream == OutputStream::stdout_stream ? seen_out : seen_err).append(chunk);
    if (seen_out.find("first\n") != std::string::npos) std::ofstream(workspace.path() + "/go").put('1');
  };
  const auto result = shell("echo first; while [ ! -e /workspace/go ]; do sleep 0.01; done; echo second >&2", spec);
  EXPECT_EQ(result.reason, Reason::ok) << result.message;
  EXPECT_EQ(seen_out, "first\n");
  EXPECT_EQ(seen_err, "second\n");
  EXPECT_EQ(result.stdout_output.text, seen_out);
}

TEST(SandboxRun, ObservedOutputStopsAtTheLimitWithTheMarker) {
  SandboxSpec spec;
  spec.limits.stdout_bytes = 10;
  std::string seen;
  spec.on_output = [&](OutputStream, std::string_view chunk) { seen.append(chunk); };
  const auto result = shell("head -c 100000 /dev/zero | tr '\\0' x", spec);
  EXPECT_TRUE(result.stdout_output.truncated);
  EXPECT_EQ(seen, result.stdout_output.text);
  EXPECT_EQ(seen.substr(0, 10), std::string(10, 'x'));
}

TEST(SandboxRun, CommandNamesAreLookedUpInUsrBin) {
  const auto result = run({"echo", "found"});
  EXPECT_EQ(result.reason, Reason::ok) << result.message;
  EXPECT_EQ(result.stdout_output.text, "found\n");
}

TEST(SandboxRun, MissingCommandIsASandboxErrorNamingExec) {
  const auto result = run({"/usr/bin/no-such-command"});
  EXPECT_EQ(result.reason, Reason::sandbox_error);
  EXPECT_EQ(result.message, "executing the command: ENOENT: No such file or directory");
}

TEST(SandboxRun, EmptyCommandIsASandboxError) {
  const auto result = run({});
  EXPECT_EQ(result.reason, Reason::sandbox_error);
  EXPECT_EQ(result.message, "no command to run");
}

TEST(SandboxRun, RunsAsTheUnprivilegedUserWithoutCapabilities) {
  const auto result =
      shell("id -u; id -g; id -G; grep -E '^(CapEff|CapPrm|CapBnd|NoNewPrivs|Seccomp):' /proc/self/status");
  EXPECT_EQ(result.reason, Reason::ok) << result.message << result.stderr_output.text;
  EXPECT_EQ(result.stdout_output.text,
            "65534\n65534\n65534\nCapPrm:\t0000000000000000\nCapEff:\t0000000000000000\n"
            "CapBnd:\t0000000000000000\nNoNewPrivs:\t1\nSeccomp:\t2\n");
}

// Sets the disposition of `signal_number` with the raw system call (the C library
// refuses to touch the two signals it reserves) and returns the previous handler.
using Handler = void (*)(int);
Handler set_disposition(int signal_number, Handler handler) {
  struct KernelSigaction {
    Handler handler;
    unsigned long flags;
    void (*restorer)();
    std::uint64_t mask;
  };
  const KernelSigaction action{handler, 0, nullptr, 0};
  KernelSigaction previous{};
  EXPECT_EQ(::syscall(SYS_rt_sigaction, signal_number, &action, &previous, sizeof action.mask), 0);
  return previous.handler;
}

TEST(SandboxRun, CommandStartsWithDefaultSignalDispositionsAndNothingBlocked) {
  // What the caller ignores or blocks must not leak into the command, including the
  // C library's reserved signals (32, 33), which a parent process may have ignored.
  const Handler pipe_before = set_disposition(SIGPIPE, SIG_IGN);
  const Handler reserved_before = set_disposition(33, SIG_IGN);
  sigset_t blocked, previous_mask;
  sigemptyset(&blocked);
  sigaddset(&blocked, SIGUSR1);
  ASSERT_EQ(::pthread_sigmask(SIG_BLOCK, &blocked, &previous_mask), 0);
  const auto result = run({"/usr/bin/grep", "-E", "^Sig(Blk|Ign):", "/proc/self/status"});
  ::pthread_sigmask(SIG_SETMASK, &previous_mask, nullptr);
  set_disposition(33, reserved_before);
  set_disposition(SIGPIPE, pipe_before);
  EXPECT_EQ(result.reason, Reason::ok) << result.message;
  EXPECT_EQ(result.stdout_output.text, "SigBlk:\t0000000000000000\nSigIgn:\t0000000000000000\n");
}

TEST(SandboxRun, EnvironmentIsTheAllowlistPlusExplicitEntries) {
  ::setenv("MECAPY_LEAK_CHECK", "secret", 1);
  SandboxSpec spec;
  spec.env = {"ANSWER=42", "LANG=en_US.UTF-8"};
  const auto result = run({"/usr/bin/env"}, spec);
  ::unsetenv("MECAPY_LEAK_CHECK");
  EXPECT_EQ(result.stdout_output.text,
            "PATH=/usr/bin:/bin\nHOME=/workspace\nTMPDIR=/tmp\nANSWER=42\nLANG=en_US.UTF-8\n");
}

TEST(SandboxRun, MalformedEnvironmentEntryIsASandboxError) {
  SandboxSpec spec;
  spec.env = {"NO_EQUALS_SIGN"};
  EXPECT_EQ(run({"/bin/true"}, spec).reason, Reason::sandbox_error);
}

TEST(SandboxRun, RootFilesystemShowsOnlyWhatTheRuntimeNeeds) {
  const auto result = shell("ls / | tr '\\n' ' '; hostname; cat /etc/passwd | tail -1; ls /dev | tr '\\n' ' '");
  EXPECT_EQ(result.reason, Reason::ok) << result.stderr_output.text;
  EXPECT_NE(result.stdout_output.text.find("bin dev etc lib"), std::string::npos) << result.stdout_output.text;
  EXPECT_EQ(result.stdout_output.text.find("root"), result.stdout_output.text.find("root:x"));
  EXPECT_NE(result.stdout_output.text.find("sandbox\n"), std::string::npos);
  EXPECT_NE(result.stdout_output.text.find("sandbox:x:65534:65534"), std::string::npos);
  EXPECT_NE(result.stdout_output.text.find("fd null random stderr stdin stdout urandom zero"), std::string::npos);
}

TEST(SandboxRun, DevicesWorkAndOnlyTheRunsMountsExist) {
  const auto result = shell(
      "echo x > /dev/null && head -c 3 /dev/zero | wc -c && head -c 3 /dev/urandom | wc -c && "
      "cut -d' ' -f5 /proc/self/mountinfo");
  ASSERT_EQ(result.reason, Reason::ok) << result.stderr_output.text;
  std::istringstream lines(result.stdout_output.text);
  std::string line;
  std::getline(lines, line);
  EXPECT_EQ(line, "3");
  std::getline(lines, line);
  EXPECT_EQ(line, "3");
  // The image's root and system directories, then the run's own mounts: nothing of the
  // host's mount tree.
  const std::set<std::string> allowed = {"/",      "/usr",    "/bin",  "/sbin", "/lib",      "/lib32",
                                         "/lib64", "/libx32", "/proc", "/tmp",  "/workspace"};
  std::set<std::string> seen;
  while (std::getline(lines, line)) {
    EXPECT_TRUE(allowed.contains(line)) << line;
    seen.insert(line);
  }
  for (const char* required : {"/", "/usr", "/proc", "/tmp", "/workspace"}) EXPECT_TRUE(seen.contains(required));
}

TEST(SandboxRun, NetworkNamespaceHasOnlyLoopbackAndNoRoute) {
  const auto result = shell("cat /proc/net/dev | tail -n +3 | cut -d: -f1 | tr -d ' '; cat /proc/net/route | wc -l");
  EXPECT_EQ(result.stdout_output.text, "lo\n0\n");
}

TEST(SandboxRun, PidNamespaceMakesTheCommandPidOne) {
  const auto result = shell("echo $$; ls /proc | grep -c '^[0-9]'");
  EXPECT_EQ(result.stdout_output.text.substr(0, 2), "1\n");
}

TEST(SandboxRun, NumpyWorksWithDebiansPython) {
  const auto result = run({"/usr/bin/python3", "-c", "import numpy; print(int(numpy.arange(10).sum()))"});
  EXPECT_EQ(result.reason, Reason::ok) << result.stderr_output.text;
  EXPECT_EQ(result.stdout_output.text, "45\n");
}

TEST(SandboxRun, ScipyWorkloadRunsUnderTheAllowlist) {
  // SciPy from its wheel (scripts/test-data), bound read-only next to Debian's numpy.
  const std::string scipy = std::string(MECAPY_TEST_DATA_DIR) + "/scipy";
  ASSERT_TRUE(std::filesystem::exists(scipy + "/.complete")) << "run scripts/test-data first (make test does)";
  SandboxSpec spec;
  spec.binds = {{scipy, "/opt/scipy", false},
                {std::string(MECAPY_SANDBOX_TEST_DIR) + "/scipy_workload.py", "/opt/work.py", false}};
  spec.env = {"PYTHONPATH=/opt/scipy"};
  spec.limits.cpus = 1;
  const auto result = run({"/usr/bin/python3", "/opt/work.py"}, spec);
  EXPECT_EQ(result.reason, Reason::ok) << result.message << result.stderr_output.text;
  EXPECT_EQ(result.stdout_output.text,
            "0.090909 [1.0, -2.0] 2.0 [1.0, 0.5, 0.3333333333333333] 2.5 0.975 8.0 52.0 24.0\n");
}

TEST(SandboxRun, WorkspaceDirectoryIsBoundReadWrite) {
  TempDir workspace;
  ASSERT_EQ(::chown(workspace.path().c_str(), 65534, 65534), 0);
  std::ofstream(workspace.path() + "/in.txt") << "input";
  SandboxSpec spec;
  spec.workspace_dir = workspace.path();
  const auto result = shell("cat /workspace/in.txt; pwd; echo output > /workspace/out.txt", spec);
  EXPECT_EQ(result.reason, Reason::ok) << result.message << result.stderr_output.text;
  EXPECT_EQ(result.stdout_output.text, "input/workspace\n");
  EXPECT_EQ(first_line(workspace.path() + "/out.txt"), "output");
}

TEST(SandboxRun, ReadOnlyBindIsVisibleButNotWritable) {
  TempDir data;
  std::filesystem::permissions(data.path(), std::filesystem::perms(0755));
  std::ofstream(data.path() + "/table.csv") << "a,b\n";
  SandboxSpec spec;
  spec.binds.push_back(BindMount{data.path(), "/data/tables", false});
  const auto result = shell("cat /data/tables/table.csv; touch /data/tables/x 2>&1 | grep -c 'Read-only'", spec);
  EXPECT_EQ(result.stdout_output.text, "a,b\n1\n");
}

TEST(SandboxRun, MissingBindSourceIsASandboxErrorNamingIt) {
  SandboxSpec spec;
  spec.binds.push_back(BindMount{"/no/such/dir", "/data", false});
  const auto result = run({"/bin/true"}, spec);
  EXPECT_EQ(result.reason, Reason::sandbox_error);
  EXPECT_NE(result.message.find("/no/such/dir"), std::string::npos) << result.message;
}

TEST(SandboxRun, RelativeBindTargetIsRefused) {
  SandboxSpec spec;
  spec.binds.push_back(BindMount{"/usr", "data", false});
  const auto result = run({"/bin/true"}, spec);
  EXPECT_EQ(result.reason, Reason::sandbox_error);
  EXPECT_NE(result.message.find("absolute"), std::string::npos) << result.message;
}

// Job inputs and packages bound under /workspace and /tmp: their mount points are made
// in the run's own filesystems, with whatever parents they need.
class BindsUnderRunMounts : public ::testing::Test {
 protected:
  BindsUnderRunMounts() {
    std::filesystem::permissions(inputs.path(), std::filesystem::perms(0755));
    std::ofstream(inputs.path() + "/mesh.step") << "ISO-10303-21;";
    // Writable by anyone: only the read-only bind keeps the job from writing it.
    std::filesystem::permissions(inputs.path() + "/mesh.step", std::filesystem::perms(0666));
    std::filesystem::permissions(package.path(), std::filesystem::perms(0777));
    std::ofstream(package.path() + "/module.py") << "VALUE = 42\n";
    spec.binds = {{inputs.path() + "/mesh.step", "/workspace/in/files/mesh.step", false},
                  {package.path(), "/workspace/pkg", true},
                  {inputs.path(), "/tmp/deep/inputs", false}};
  }
  static constexpr const char* kScript =
      "cat /workspace/in/files/mesh.step; echo; cat /workspace/pkg/module.py; echo made > /workspace/pkg/out.txt; "
      "ls /tmp/deep/inputs; touch /workspace/in/files/mesh.step 2>&1 | grep -c Read-only; echo new > /workspace/mine";
  TempDir inputs, package;
  SandboxSpec spec;

  void expect_binds_work(const RunResult& result) {
    EXPECT_EQ(result.reason, Reason::ok) << result.message << result.stderr_output.text;
    EXPECT_EQ(result.stdout_output.text, "ISO-10303-21;\nVALUE = 42\nmesh.step\n1\n");
    EXPECT_EQ(first_line(package.path() + "/out.txt"), "made");
  }
};

TEST_F(BindsUnderRunMounts, FileAndDirectoryBindsWorkInTheWorkspaceTmpfsAndTmp) {
  expect_binds_work(shell(kScript, spec));
}

TEST_F(BindsUnderRunMounts, BindsWorkInsideABoundWorkspaceDirectory) {
  TempDir workspace;
  ASSERT_EQ(::chown(workspace.path().c_str(), 65534, 65534), 0);
  spec.workspace_dir = workspace.path();
  expect_binds_work(shell(kScript, spec));
  EXPECT_TRUE(std::filesystem::exists(workspace.path() + "/mine"));
}

TEST(SandboxRun, BindInsideAnotherBindIsMountedAfterItWhateverTheOrder) {
  // The outer bind (writable) has no "sub": the inner one's mount point is made in it.
  TempDir outer, inner;
  std::filesystem::permissions(outer.path(), std::filesystem::perms(0755));
  std::filesystem::permissions(inner.path(), std::filesystem::perms(0755));
  std::ofstream(inner.path() + "/note.txt") << "inner";
  SandboxSpec spec;
  spec.binds = {{inner.path(), "/data/sub", false}, {outer.path(), "/data", true}};
  const auto result = shell("cat /data/sub/note.txt", spec);
  EXPECT_EQ(result.reason, Reason::ok) << result.message;
  EXPECT_EQ(result.stdout_output.text, "inner");
  EXPECT_TRUE(std::filesystem::is_directory(outer.path() + "/sub"));
}

TEST(SandboxRun, BindTargetsThatCouldEscapeAreRefused) {
  const std::pair<const char*, const char*> refused[] = {
      {"/workspace/../etc/passwd", "'.' or '..'"}, {"/workspace/./x", "'.' or '..'"},  {"/proc", "under /proc"},
      {"/proc/sys/kernel/x", "under /proc"},       {"/workspace//x", "absolute path"}, {"/", "absolute path"}};
  for (const auto& [target, message] : refused) {
    SandboxSpec spec;
    spec.binds.push_back(BindMount{"/etc/hostname", target, false});
    const auto result = run({"/bin/true"}, spec);
    EXPECT_EQ(result.reason, Reason::sandbox_error) << target;
    EXPECT_NE(result.message.find(message), std::string::npos) << target << ": " << result.message;
  }
}

TEST(SandboxRun, BindTargetThroughASymlinkInTheWorkspaceIsRefused) {
  // A previous run of the job could have left a symlink in its workspace directory:
  // no mount point is looked up, or made, through it.
  TempDir workspace;
  ASSERT_EQ(::chown(workspace.path().c_str(), 65534, 65534), 0);
  std::filesystem::create_directory_symlink("/usr", workspace.path() + "/link");
  SandboxSpec spec;
  spec.workspace_dir = workspace.path();
  spec.binds.push_back(BindMount{"/etc/hostname", "/workspace/link/hostname", false});
  const auto result = run({"/bin/true"}, spec);
  EXPECT_EQ(result.reason, Reason::sandbox_error);
  EXPECT_EQ(result.message, "bind /etc/hostname on /workspace/link/hostname: ELOOP: Too many levels of symbolic links");
  EXPECT_FALSE(std::filesystem::exists("/usr/hostname"));
}

TEST(SandboxRun, StdinComesFromTheGivenFile) {
  TempDir dir;
  std::ofstream(dir.path() + "/stdin.txt") << "piped";
  SandboxSpec spec;
  spec.stdin_path = dir.path() + "/stdin.txt";
  EXPECT_EQ(run({"/bin/cat"}, spec).stdout_output.text, "piped");
}

TEST(SandboxRun, SigtermHandlerGetsTheGracePeriod) {
  SandboxSpec spec;
  spec.limits.wall_time = std::chrono::milliseconds(300);
  spec.limits.kill_grace = std::chrono::seconds(5);
  const auto result = shell("trap 'echo terminated; exit 3' TERM; while :; do sleep 0.05; done", spec);
  EXPECT_EQ(result.reason, Reason::timeout);
  EXPECT_EQ(result.exit_code, 3);
  EXPECT_EQ(result.stdout_output.text, "terminated\n");
}

TEST(SandboxRun, CancelStopsTheRunAsKilled) {
  CancelSignal cancel;
  SandboxSpec spec;
  spec.argv = {"/bin/sleep", "30"};
  spec.on_started = [&](pid_t) { cancel.cancel(); };
  const auto result = test_sandbox().run(spec, &cancel);
  EXPECT_TRUE(cancel.cancelled());
  EXPECT_EQ(result.reason, Reason::killed);
  EXPECT_EQ(result.message, "cancelled");
}

// The real uid of a host process, as the host sees it.
uid_t host_uid_of(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line))
    if (line.starts_with("Uid:")) return static_cast<uid_t>(std::stoul(line.substr(4)));
  return static_cast<uid_t>(-1);
}

TEST(SandboxRun, ConcurrentRunsAreDistinctHostUsersButTheSameUserInside) {
  // The first run holds its slot until cancelled: the second one runs meanwhile.
  CancelSignal cancel;
  std::promise<uid_t> first_started;
  SandboxSpec held;
  held.argv = {"/bin/sleep", "30"};
  held.on_started = [&](pid_t pid) { first_started.set_value(host_uid_of(pid)); };
  std::thread first([&] { test_sandbox().run(held, &cancel); });
  const uid_t first_uid = first_started.get_future().get();
  uid_t second_uid = 0;
  SandboxSpec spec;
  spec.on_started = [&](pid_t pid) { second_uid = host_uid_of(pid); };
  const auto second = shell("id -u; id -g", spec);
  cancel.cancel();
  first.join();
  EXPECT_EQ(second.stdout_output.text, "65534\n65534\n");
  EXPECT_NE(first_uid, second_uid);
  const SandboxOptions defaults;
  for (const uid_t uid : {first_uid, second_uid}) {
    EXPECT_GE(uid, defaults.host_ids.first);
    EXPECT_LT(uid, defaults.host_ids.first + defaults.host_ids.count);
  }
}

TEST(SandboxRun, HostIdRangeSmallerThanThePoolIsRefused) {
  SandboxOptions options;
  options.pool_name = "mecapy-test-range-" + std::to_string(::getpid());
  options.max_slots = 8;
  options.host_ids = {2'000'000'000, 4};
  EXPECT_THROW(Sandbox{options}, Error);
  options.host_ids = {0, 65536};  // root
  EXPECT_THROW(Sandbox{options}, Error);
  options.host_ids = {4'294'967'000, 65536};  // past the last uid
  EXPECT_THROW(Sandbox{options}, Error);
}

TEST(SandboxRun, ConcurrentRunsUseSeparateSlots) {
  std::vector<std::thread> threads;
  std::vector<RunResult> results(3);
  for (std::size_t i = 0; i < results.size(); ++i)
    threads.emplace_back([&, i] { results[i] = shell("sleep 0.2; echo " + std::to_string(i)); });
  for (auto& thread : threads) thread.join();
  for (std::size_t i = 0; i < results.size(); ++i) {
    EXPECT_EQ(results[i].reason, Reason::ok) << results[i].message << results[i].stderr_output.text;
    EXPECT_EQ(results[i].stdout_output.text, std::to_string(i) + "\n");
  }
  EXPECT_GE(test_sandbox().cgroup_pool()->slot_names().size(), 3u);
}

TEST(SandboxMountPlan, DescribesItsSteps) {
  const auto image = MountPlan::for_image(ImageLayout{});
  ASSERT_GT(image.step_count(), 10u);
  EXPECT_EQ(image.describe(0), "mount (none) on /");
  EXPECT_EQ(image.describe(-1), "mount setup");
  SandboxSpec spec;
  const auto run = MountPlan::for_run(spec, {}, -1, RunOwner{});
  EXPECT_EQ(run.describe(0), "enter the root image");
  EXPECT_EQ(run.describe(2), "mount proc on /proc");
}

}  // namespace
}  // namespace mecapy::sandbox
