#include "packages/sandboxed_runner.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmath>
#include <fstream>

#include "core/embedded.hpp"
#include "core/errors.hpp"
#include "core/log.hpp"
#include "core/numbers.hpp"

extern char** environ;

namespace mecapy {
const std::vector<EmbeddedFile>& embedded_runner_files();
}

namespace mecapy::packages {

namespace fs = std::filesystem;

SandboxedRunner::SandboxedRunner(sandbox::SandboxOptions options, fs::path runner_dir,
                                 std::vector<PythonInterpreter> interpreters)
    : options_(std::move(options)), runner_dir_(std::move(runner_dir)), interpreters_(std::move(interpreters)) {
  if (interpreters_.empty())
    throw Error(ErrorKind::invalid_input, "no-interpreter", "at least one Python interpreter must be configured");
}

SandboxedRunner::~SandboxedRunner() {
  if (sandbox_) sandbox_->remove_idle_slots();
}

namespace {

std::unique_ptr<sandbox::Sandbox> create_sandbox(const sandbox::SandboxOptions& options) {
  try {
    return std::make_unique<sandbox::Sandbox>(options);
  } catch (const std::exception& e) {
    throw Error(ErrorKind::unavailable, "sandbox-unavailable",
                "The sandbox that runs package code cannot start on this server; an operator must check its "
                "privileges and cgroups (see /ready).",
                operator_message(e));
  }
}

}  // namespace

sandbox::Sandbox& SandboxedRunner::sandbox() {
  std::lock_guard lock(mutex_);
  if (!sandbox_) sandbox_ = create_sandbox(options_);
  return *sandbox_;
}

const PythonInterpreter* SandboxedRunner::interpreter_for(const std::string& wanted) const {
  if (wanted.empty()) return &interpreters_.front();
  for (const auto& interpreter : interpreters_) {
    const auto& v = interpreter.version;
    if (v == wanted || (v.starts_with(wanted) && v.size() > wanted.size() && v[wanted.size()] == '.')) {
      return &interpreter;
    }
  }
  return nullptr;
}

sandbox::RunResult SandboxedRunner::run(const RunnerCall& call, const sandbox::CancelSignal* cancel) {
  const PythonInterpreter& python = call.interpreter ? *call.interpreter : interpreters_.front();
  sandbox::SandboxSpec spec;
  spec.argv = {python.path, "-I", "-B", "/opt/mecapy/runner/mecapy_runner.py", call.mode};
  spec.argv.insert(spec.argv.end(), call.args.begin(), call.args.end());
  if (!call.command.empty()) spec.argv = call.command;
  const auto threads = std::to_string(std::max(1, static_cast<int>(std::ceil(call.resources.cpus))));
  spec.env = {"MECAPY_CPU_LIMIT=" + format_double(call.resources.cpus),
              "MECAPY_MEM_LIMIT_MB=" + std::to_string(call.resources.memory_mb),
              "MECAPY_SCRATCH=/tmp",
              "MECAPY_OUTPUT_DIR=/workspace/out/files",
              "OPENBLAS_NUM_THREADS=" + threads,
              "OMP_NUM_THREADS=" + threads,
              "PYTHONHASHSEED=random"};
  spec.workspace_dir = call.workspace.string();
  spec.binds = {{call.sources.string(), "/workspace/src", false}, {runner_dir_.string(), "/opt/mecapy/runner", false}};
  spec.limits.memory_bytes = call.resources.memory_mb * sandbox::kMiB;
  spec.limits.cpus = call.resources.cpus;
  spec.limits.wall_time = std::chrono::seconds(call.resources.timeout_s);
  spec.limits.cpu_time = std::chrono::seconds(
      static_cast<std::int64_t>(call.resources.timeout_s * std::max(1.0, std::ceil(call.resources.cpus))) + 1);
  spec.limits.pids = 128;
  spec.on_output = call.on_output;
  return sandbox().run(spec, cancel);
}

namespace {

// Runs argv (argv[0] an absolute path) with no input or output; its exit status, or -1.
int run_silently(const std::vector<std::string>& argv) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
  std::vector<char*> args;
  args.reserve(argv.size() + 1);
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = 0;
  const int spawned = ::posix_spawn(&pid, argv.front().c_str(), &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) return -1;
  int status = 0;
  if (::waitpid(pid, &status, 0) != pid || !WIFEXITED(status)) return -1;
  return WEXITSTATUS(status);
}

}  // namespace

void install_runner(const fs::path& dir, const std::vector<PythonInterpreter>& interpreters) {
  const fs::path staging = dir.string() + ".new";
  fs::remove_all(staging);
  for (const auto& file : embedded_runner_files()) {
    const fs::path target = staging / std::string(file.name);
    fs::create_directories(target.parent_path());
    std::ofstream out(target, std::ios::binary | std::ios::trunc);
    out.write(file.content.data(), static_cast<std::streamsize>(file.content.size()));
    if (!out.flush())
      throw Error(ErrorKind::unavailable, "runner-install", "cannot write the Python runner", target.string());
  }
  fs::create_directories(staging);
  // Byte code for each interpreter: the sandbox runs with -B (it writes none), so
  // without it every job would compile the runner again (tens of milliseconds).
  for (const auto& python : interpreters) {
    if (run_silently({python.path, "-I", "-m", "compileall", "-q", staging.string()}) != 0)
      log_warning("python: cannot compile the runner with " + python.path + "; jobs will compile it on each run");
  }
  for (const auto& entry : fs::recursive_directory_iterator(staging)) {
    fs::permissions(entry.path(), entry.is_directory() ? fs::perms(0755) : fs::perms(0644));
  }
  fs::permissions(staging, fs::perms(0755));
  fs::remove_all(dir);
  fs::create_directories(dir.parent_path());
  fs::rename(staging, dir);
}

std::string probe_python_version(const std::string& path) {
  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) != 0)
    throw Error(ErrorKind::unavailable, "python-unavailable", "cannot start " + path);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDOUT_FILENO);
  const char* argv[] = {path.c_str(), "-I", "-c", "import sys; print('%d.%d.%d' % sys.version_info[:3])", nullptr};
  pid_t pid = 0;
  const int spawned = ::posix_spawn(&pid, path.c_str(), &actions, nullptr, const_cast<char* const*>(argv), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(pipe_fds[1]);
  std::string output;
  if (spawned == 0) {
    char buffer[256];
    for (ssize_t n; (n = ::read(pipe_fds[0], buffer, sizeof buffer)) > 0;) output.append(buffer, n);
  }
  ::close(pipe_fds[0]);
  int status = 0;
  if (spawned == 0) ::waitpid(pid, &status, 0);
  while (!output.empty() && (output.back() == '\n' || output.back() == '\r')) output.pop_back();
  if (spawned != 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0 || output.empty())
    throw Error(ErrorKind::unavailable, "python-unavailable",
                "the Python interpreter " + path + " does not run; set python_interpreters to one that does");
  return output;
}

}  // namespace mecapy::packages
