// What a worker pays per sandbox: one long-lived process runs the same command many
// times through the sandbox library (Sandbox::run, default limits but a CPU quota as
// large as the machine) and bare (posix_spawn + wait, same process, same command), in
// alternating rounds. Prints one line per variant: "<name> <median ms> <p99 ms>".
//
//   run_loop RUNS ROUNDS COMMAND [ARGS...]
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "sandbox/launcher.hpp"

namespace {

using Clock = std::chrono::steady_clock;

double milliseconds_since(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

bool run_bare(const std::vector<std::string>& command) {
  std::vector<char*> argv;
  for (const auto& argument : command) argv.push_back(const_cast<char*>(argument.c_str()));
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  pid_t pid = -1;
  char* empty_environment[] = {nullptr};
  const int rc = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), empty_environment);
  posix_spawn_file_actions_destroy(&actions);
  int status = -1;
  return rc == 0 && ::waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

void print(const char* name, std::vector<double> times) {
  std::sort(times.begin(), times.end());
  const std::size_t p99 =
      std::min(times.size() - 1, static_cast<std::size_t>(0.99 * static_cast<double>(times.size() - 1) + 0.5));
  std::printf("%s %.3f %.3f\n", name, times[times.size() / 2], times[p99]);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: run_loop RUNS ROUNDS COMMAND [ARGS...]\n");
    return 2;
  }
  const int runs = std::atoi(argv[1]);
  const int rounds = std::max(1, std::atoi(argv[2]));
  const std::vector<std::string> command(argv + 3, argv + argc);
  try {
    mecapy::sandbox::SandboxOptions options;
    options.pool_name = "mecapy-bench-loop";
    mecapy::sandbox::Sandbox sandbox(options);
    mecapy::sandbox::SandboxSpec spec;
    spec.argv = command;
    spec.limits.cpus = std::thread::hardware_concurrency();
    // The first run builds the root image and the slot: not what a run costs.
    if (sandbox.run(spec).reason != mecapy::sandbox::Reason::ok || !run_bare(command)) {
      std::fprintf(stderr, "run_loop: the command fails\n");
      return 1;
    }
    std::vector<double> bare, sandboxed;
    for (int round = 0; round < rounds; ++round) {
      for (int i = 0; i < runs / rounds; ++i) {
        const auto start = Clock::now();
        if (!run_bare(command)) return 1;
        bare.push_back(milliseconds_since(start));
      }
      for (int i = 0; i < runs / rounds; ++i) {
        const auto start = Clock::now();
        if (sandbox.run(spec).reason != mecapy::sandbox::Reason::ok) return 1;
        sandboxed.push_back(milliseconds_since(start));
      }
    }
    sandbox.remove_idle_slots();
    print("bare", bare);
    print("library", sandboxed);
    return 0;
  } catch (const std::exception& error) {
    std::fprintf(stderr, "run_loop: %s\n", error.what());
    return 1;
  }
}
