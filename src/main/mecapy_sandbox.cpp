// mecapy-sandbox: runs one command in the MecaPy sandbox and prints the RunResult as
// one JSON object on stdout (the command's own stdout and stderr are in it).
//
//   mecapy-sandbox [--memory 256M --cpus 0.5 --pids 64 --time 30s ...] -- CMD ARGS
//   mecapy-sandbox --info      what this host offers (cgroup version, controllers, ...)
//   mecapy-sandbox --cleanup   removes the idle pre-created cgroups of the pool
//
// Exit status: 0 when the command succeeded (reason ok), 1 when it ran but did not
// succeed (any other reason), 2 for a usage error, 3 when the sandbox could not run it.
#include <CLI/CLI.hpp>
#include <boost/json/serialize.hpp>

#include <cctype>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

#include "core/errors.hpp"
#include "sandbox/host_info.hpp"
#include "sandbox/launcher.hpp"

namespace {

using mecapy::sandbox::BindMount;

constexpr int kExitFailed = 1;
constexpr int kExitUsage = 2;
constexpr int kExitSandboxError = 3;

// Sizes ("256M", "1GiB") and durations ("500ms", "30s", "5m"), spelled as in the
// server's configuration. Parsed here rather than with core/config so that this
// binary does not load the TOML library at every start: its start-up time is part of
// every sandboxed run.
struct Unit {
  std::string_view suffix;
  std::uint64_t factor;
};
constexpr Unit kSizeUnits[] = {{"", 1},
                               {"b", 1},
                               {"k", 1ull << 10},
                               {"kb", 1ull << 10},
                               {"kib", 1ull << 10},
                               {"m", 1ull << 20},
                               {"mb", 1ull << 20},
                               {"mib", 1ull << 20},
                               {"g", 1ull << 30},
                               {"gb", 1ull << 30},
                               {"gib", 1ull << 30}};
constexpr Unit kDurationUnits[] = {{"ms", 1}, {"", 1000}, {"s", 1000}, {"m", 60'000}, {"h", 3'600'000}};

template <std::size_t N>
std::uint64_t parse_scaled(const std::string& text, const std::string& flag, const Unit (&units)[N],
                           const char* example) {
  std::size_t digits = 0;
  while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') ++digits;
  std::string suffix = text.substr(digits);
  for (auto& ch : suffix) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  if (digits > 0 && digits <= 12)
    for (const auto& unit : units)
      if (unit.suffix == suffix) return std::stoull(text.substr(0, digits)) * unit.factor;
  throw mecapy::ConfigError(flag, std::string("expected ") + example + ", got '" + text + "'");
}

std::uint64_t parse_size(const std::string& text, const std::string& flag) {
  return parse_scaled(text, flag, kSizeUnits, "a size such as 512K, 256M or 1GiB");
}

std::chrono::milliseconds parse_duration(const std::string& text, const std::string& flag) {
  return std::chrono::milliseconds(parse_scaled(text, flag, kDurationUnits, "a duration such as 500ms, 30s or 5m"));
}

BindMount parse_bind(const std::string& text, bool writable, const std::string& flag) {
  const auto colon = text.find(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == text.size())
    throw mecapy::ConfigError(flag, "expected SOURCE:TARGET, got '" + text + "'");
  return BindMount{text.substr(0, colon), text.substr(colon + 1), writable};
}

mecapy::sandbox::CgroupMode parse_cgroup_mode(const std::string& text) {
  using mecapy::sandbox::CgroupMode;
  if (text == "auto") return CgroupMode::automatic;
  if (text == "v1") return CgroupMode::v1;
  if (text == "v2") return CgroupMode::v2;
  if (text == "none") return CgroupMode::none;
  throw mecapy::ConfigError("--cgroup", "expected auto, v1, v2 or none, got '" + text + "'");
}

void print_json(const boost::json::object& object) { std::cout << boost::json::serialize(object) << '\n'; }

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Runs a command in the MecaPy sandbox and prints the result as JSON."};
  std::string memory = "256M", cpus = "0.5", time = "30s", cpu_time = "60s", file_size = "64M";
  std::string workspace_size = "64M", tmp_size = "64M", output_limit = "1M", grace = "5s";
  std::uint32_t pids = 64, open_files = 256;
  std::string workspace, stdin_path, cgroup = "auto", pool = "mecapy-sandbox";
  std::vector<std::string> ro_binds, rw_binds, env, command;
  bool info = false, cleanup = false;
  app.add_option("--memory", memory, "Memory limit, swap included (e.g. 256M, 1G)")->capture_default_str();
  app.add_option("--cpus", cpus, "CPU quota in cores (0: none)")->capture_default_str();
  app.add_option("--pids", pids, "Maximum number of processes and threads")->capture_default_str();
  app.add_option("--time", time, "Wall-clock limit (e.g. 500ms, 30s, 5m)")->capture_default_str();
  app.add_option("--cpu-time", cpu_time, "CPU-time limit (0: none)")->capture_default_str();
  app.add_option("--open-files", open_files, "Maximum open file descriptors")->capture_default_str();
  app.add_option("--file-size", file_size, "Largest file the command may write")->capture_default_str();
  app.add_option("--workspace-size", workspace_size, "Size of the /workspace tmpfs")->capture_default_str();
  app.add_option("--tmp-size", tmp_size, "Size of the /tmp tmpfs")->capture_default_str();
  app.add_option("--output-limit", output_limit, "Bytes kept of stdout and of stderr")->capture_default_str();
  app.add_option("--grace", grace, "Time between SIGTERM and SIGKILL when stopping")->capture_default_str();
  app.add_option("--workspace", workspace, "Host directory shown read-write at /workspace");
  app.add_option("--ro-bind", ro_binds, "SRC:DST host path shown read-only at DST (repeatable)")
      ->allow_extra_args(false);
  app.add_option("--bind", rw_binds, "SRC:DST host path shown read-write at DST (repeatable)")->allow_extra_args(false);
  app.add_option("--env", env, "NAME=value added to the environment (repeatable)")->allow_extra_args(false);
  app.add_option("--stdin", stdin_path, "File given as standard input (default: /dev/null)");
  app.add_option("--cgroup", cgroup, "auto, v1, v2 or none")->capture_default_str();
  app.add_option("--pool", pool, "Name of the cgroup pool directory")->capture_default_str();
  app.add_flag("--info", info, "Print what this host offers the sandbox and exit");
  app.add_flag("--cleanup", cleanup, "Remove the pool's idle cgroups and exit");
  app.add_option("command", command, "The command and its arguments, after --");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    return app.exit(error) == 0 ? 0 : kExitUsage;
  }

  try {
    mecapy::sandbox::SandboxOptions options;
    options.cgroup_mode = parse_cgroup_mode(cgroup);
    options.pool_name = pool;
    // Each invocation is a new process: the prepared namespaces are pinned to be reused.
    options.pin_dir = "/run/mecapy-sandbox/" + pool;
    if (info) {
      print_json(mecapy::sandbox::host_info(mecapy::sandbox::detect_cgroups(options.cgroup_mode)));
      return 0;
    }
    mecapy::sandbox::SandboxSpec spec;
    auto& limits = spec.limits;
    limits.memory_bytes = parse_size(memory, "--memory");
    try {
      std::size_t used = 0;
      limits.cpus = std::stod(cpus, &used);
      if (used != cpus.size() || limits.cpus < 0) throw std::invalid_argument(cpus);
    } catch (const std::exception&) {
      throw mecapy::ConfigError("--cpus", "expected a number of cores such as 0.5 or 2, got '" + cpus + "'");
    }
    limits.pids = pids;
    limits.wall_time = parse_duration(time, "--time");
    limits.cpu_time = std::chrono::duration_cast<std::chrono::seconds>(parse_duration(cpu_time, "--cpu-time"));
    limits.open_files = open_files;
    limits.file_size_bytes = parse_size(file_size, "--file-size");
    limits.workspace_bytes = parse_size(workspace_size, "--workspace-size");
    limits.tmp_bytes = parse_size(tmp_size, "--tmp-size");
    limits.stdout_bytes = limits.stderr_bytes = parse_size(output_limit, "--output-limit");
    limits.kill_grace = parse_duration(grace, "--grace");
    for (const auto& bind : ro_binds) spec.binds.push_back(parse_bind(bind, false, "--ro-bind"));
    for (const auto& bind : rw_binds) spec.binds.push_back(parse_bind(bind, true, "--bind"));
    spec.env = env;
    spec.workspace_dir = workspace;
    spec.stdin_path = stdin_path;
    spec.argv = command;

    mecapy::sandbox::Sandbox sandbox(options);
    if (cleanup) {
      const std::size_t removed = sandbox.remove_idle_slots();
      print_json({{"removed_slots", removed}});
      return 0;
    }
    if (command.empty()) throw mecapy::ConfigError("command", "give the command to run after --");
    const auto result = sandbox.run(spec);
    print_json(mecapy::sandbox::to_json(result));
    if (result.reason == mecapy::sandbox::Reason::ok) return 0;
    return result.reason == mecapy::sandbox::Reason::sandbox_error ? kExitSandboxError : kExitFailed;
  } catch (const mecapy::ConfigError& error) {
    std::fprintf(stderr, "mecapy-sandbox: %s\n", error.what());
    return kExitUsage;
  } catch (const std::exception& error) {
    std::fprintf(stderr, "mecapy-sandbox: %s\n", error.what());
    return kExitSandboxError;
  }
}
