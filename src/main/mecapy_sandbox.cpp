// mecapy-sandbox: runs one command in the MecaPy sandbox and prints the RunResult as
// one JSON object on stdout (the command's own stdout and stderr are in it).
//
//   mecapy-sandbox [--memory 256M --cpus 0.5 --pids 64 --time 30s ...] -- CMD ARGS
//   mecapy-sandbox --info      what this host offers (cgroup version, controllers, ...)
//   mecapy-sandbox --cleanup   removes the pool's idle cgroups, namespaces and images
//
// Exit status: 0 when the command succeeded (reason ok), 1 when it ran but did not
// succeed (any other reason), 2 for a usage error, 3 when the sandbox could not run it.
#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "core/errors.hpp"
#include "main/command_line.hpp"
#include "sandbox/host_info.hpp"
#include "sandbox/launcher.hpp"

namespace {

using mecapy::command_line::parse_cores;
using mecapy::command_line::parse_count;
using mecapy::command_line::parse_duration;
using mecapy::command_line::parse_size;
using mecapy::sandbox::BindMount;

constexpr int kExitFailed = 1;
constexpr int kExitUsage = 2;
constexpr int kExitSandboxError = 3;

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

mecapy::sandbox::HostIdRange parse_host_ids(const std::string& text) {
  const auto colon = text.find(':');
  if (colon == std::string::npos) throw mecapy::ConfigError("--uid-range", "expected FIRST:COUNT, got '" + text + "'");
  return {parse_count(text.substr(0, colon), "--uid-range"), parse_count(text.substr(colon + 1), "--uid-range")};
}

void print_json(const boost::json::object& object) {
  std::string text = boost::json::serialize(object);
  text += '\n';
  std::fwrite(text.data(), 1, text.size(), stdout);
}

}  // namespace

int main(int argc, char** argv) {
  mecapy::command_line::Parser parser("Runs a command in the MecaPy sandbox and prints the result as JSON.");
  std::string memory = "256M", cpus = "0.5", pids = "64", time = "30s", cpu_time = "60s", open_files = "256";
  std::string file_size = "64M", workspace_size = "64M", tmp_size = "64M", output_limit = "1M", grace = "5s";
  std::string workspace, stdin_path, cgroup = "auto", pool = "mecapy-sandbox";
  std::string host_ids = std::to_string(mecapy::sandbox::kDefaultHostIds.first) + ":" +
                         std::to_string(mecapy::sandbox::kDefaultHostIds.count);
  std::vector<std::string> ro_binds, rw_binds, env, command;
  bool info = false, cleanup = false;
  parser.option("--memory", "SIZE", "Memory limit, swap included (e.g. 256M, 1G)", &memory);
  parser.option("--cpus", "N", "CPU quota in cores (0: none)", &cpus);
  parser.option("--pids", "N", "Maximum number of processes and threads", &pids);
  parser.option("--time", "DURATION", "Wall-clock limit (e.g. 500ms, 30s, 5m)", &time);
  parser.option("--cpu-time", "DURATION", "CPU-time limit (0: none)", &cpu_time);
  parser.option("--open-files", "N", "Maximum open file descriptors", &open_files);
  parser.option("--file-size", "SIZE", "Largest file the command may write", &file_size);
  parser.option("--workspace-size", "SIZE", "Size of the /workspace tmpfs", &workspace_size);
  parser.option("--tmp-size", "SIZE", "Size of the /tmp tmpfs", &tmp_size);
  parser.option("--output-limit", "SIZE", "Bytes kept of stdout and of stderr", &output_limit);
  parser.option("--grace", "DURATION", "Time between SIGTERM and SIGKILL when stopping", &grace);
  parser.option("--workspace", "DIR", "Host directory shown read-write at /workspace", &workspace);
  parser.repeatable("--ro-bind", "SRC:DST", "Host path shown read-only at DST", &ro_binds);
  parser.repeatable("--bind", "SRC:DST", "Host path shown read-write at DST", &rw_binds);
  parser.repeatable("--env", "NAME=VALUE", "Added to the environment", &env);
  parser.option("--stdin", "FILE", "File given as standard input (default: /dev/null)", &stdin_path);
  parser.option("--cgroup", "MODE", "auto, v1, v2 or none", &cgroup);
  parser.option("--pool", "NAME", "Name of the cgroup pool directory", &pool);
  parser.option("--uid-range", "FIRST:COUNT", "Host uids and gids of the slots' sandbox users (one per slot)",
                &host_ids);
  parser.flag("--info", "Print what this host offers the sandbox and exit", &info);
  parser.flag("--cleanup", "Remove the pool's idle cgroups, namespaces and images, and exit", &cleanup);
  try {
    if (!parser.parse(argc, argv, &command)) {
      const std::string help = parser.help("mecapy-sandbox");
      std::fwrite(help.data(), 1, help.size(), stdout);
      return 0;
    }
  } catch (const mecapy::ConfigError& error) {
    std::fprintf(stderr, "mecapy-sandbox: %s\n", error.what());
    return kExitUsage;
  }

  try {
    mecapy::sandbox::SandboxOptions options;
    options.cgroup_mode = parse_cgroup_mode(cgroup);
    options.pool_name = pool;
    options.host_ids = parse_host_ids(host_ids);
    // Each invocation is a new process: the prepared namespaces are pinned to be reused.
    options.pin_dir = "/run/mecapy-sandbox/" + pool;
    if (info) {
      print_json(mecapy::sandbox::host_info(mecapy::sandbox::detect_cgroups(options.cgroup_mode)));
      return 0;
    }
    mecapy::sandbox::SandboxSpec spec;
    auto& limits = spec.limits;
    limits.memory_bytes = parse_size(memory, "--memory");
    limits.cpus = parse_cores(cpus, "--cpus");
    limits.pids = parse_count(pids, "--pids");
    limits.wall_time = parse_duration(time, "--time");
    limits.cpu_time = std::chrono::duration_cast<std::chrono::seconds>(parse_duration(cpu_time, "--cpu-time"));
    limits.open_files = parse_count(open_files, "--open-files");
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
      boost::json::array quarantined;
      for (const auto& slot : sandbox.quarantined_slots()) quarantined.emplace_back(slot);
      print_json({{"removed_slots", removed}, {"quarantined_slots", std::move(quarantined)}});
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
  } catch (const mecapy::Error& error) {
    std::fprintf(stderr, "mecapy-sandbox: %s\n", error.what());
    return error.kind() == mecapy::ErrorKind::invalid_input ? kExitUsage : kExitSandboxError;
  } catch (const std::exception& error) {
    std::fprintf(stderr, "mecapy-sandbox: %s\n", error.what());
    return kExitSandboxError;
  }
}
