// The sandbox launcher (see launcher.hpp).
#include "sandbox/launcher.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <optional>

#include "core/errors.hpp"
#include "sandbox/child_setup.hpp"
#include "sandbox/file_io.hpp"
#include "sandbox/isolation_namespaces.hpp"
#include "sandbox/mounts.hpp"
#include "sandbox/namespaces.hpp"
#include "sandbox/outcome.hpp"
#include "sandbox/rlimits.hpp"
#include "sandbox/root_image.hpp"
#include "sandbox/seccomp_filter.hpp"
#include "sandbox/supervisor.hpp"

namespace mecapy::sandbox {
namespace {

using Clock = std::chrono::steady_clock;

// The environment: a fixed allowlist plus what the spec adds explicitly.
std::vector<std::string> sandbox_environment(const SandboxSpec& spec) {
  std::vector<std::string> env = {"PATH=/usr/bin:/bin", "HOME=/workspace", "LANG=C.UTF-8", "TMPDIR=/tmp"};
  for (const auto& entry : spec.env) {
    const auto equals = entry.find('=');
    if (equals == 0 || equals == std::string::npos)
      throw Error(ErrorKind::invalid_input, "sandbox_env", "environment entries are NAME=value, got '" + entry + "'");
    const std::string prefix = entry.substr(0, equals + 1);
    std::erase_if(env, [&](const std::string& existing) { return existing.starts_with(prefix); });
    env.push_back(entry);
  }
  return env;
}

std::vector<std::string> exec_candidates(const std::string& command) {
  if (command.find('/') != std::string::npos) return {command};
  return {"/usr/bin/" + command, "/bin/" + command};
}

std::vector<char*> pointers_to(std::vector<std::string>& strings) {
  std::vector<char*> pointers;
  pointers.reserve(strings.size() + 1);
  for (auto& text : strings) pointers.push_back(text.data());
  pointers.push_back(nullptr);
  return pointers;
}

struct Pipe {
  UniqueFd read_end;
  UniqueFd write_end;
};

Pipe make_pipe() {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0)
    throw Error(ErrorKind::unavailable, "sandbox_pipe", "pipe2 failed: " + errno_text(errno));
  return Pipe{UniqueFd(fds[0]), UniqueFd(fds[1])};
}

double milliseconds(Clock::duration duration) { return std::chrono::duration<double, std::milli>(duration).count(); }

double cpu_milliseconds(const rusage& usage) {
  const auto ms = [](const timeval& t) {
    return static_cast<double>(t.tv_sec) * 1e3 + static_cast<double>(t.tv_usec) / 1e3;
  };
  return ms(usage.ru_utime) + ms(usage.ru_stime);
}

RunResult setup_error(std::string message, const std::string& cgroup_version) {
  RunResult result;
  result.reason = Reason::sandbox_error;
  result.message = std::move(message);
  result.cgroup_version = cgroup_version;
  return result;
}

}  // namespace

Sandbox::Sandbox(SandboxOptions options)
    : options_(std::move(options)),
      images_(std::make_unique<RootImages>(options_.pin_dir, options_.staging_dir, options_.max_root_images)) {
  const HostIdRange& ids = options_.host_ids;
  if (ids.first == 0 || ids.count < std::max(options_.max_slots, 1u) ||
      ids.count - 1 > kLastHostId - std::uint64_t{ids.first})
    throw Error(ErrorKind::invalid_input, "sandbox_host_ids",
                "the host id range " + std::to_string(ids.first) + ":" + std::to_string(ids.count) +
                    " must hold at least one id per slot (" + std::to_string(options_.max_slots) +
                    "), none of them 0 or above " + std::to_string(kLastHostId));
  support_ = detect_cgroups(options_.cgroup_mode);
  if (!support_.problem.empty()) throw Error(ErrorKind::unavailable, "sandbox_cgroups", support_.problem);
  if (auto driver = make_cgroup_driver(support_)) {
    pool_ = std::make_unique<CgroupPool>(std::move(driver), options_.pool_name, options_.max_slots);
    namespaces_ = std::make_unique<SlotNamespaces>(options_.pin_dir);
  }
}

Sandbox::~Sandbox() = default;

std::size_t Sandbox::remove_idle_slots() {
  images_->remove_all();
  std::size_t removed = 0;
  if (pool_) removed = pool_->remove_idle_slots([this](const std::string& slot) { namespaces_->remove(slot); });
  if (!options_.pin_dir.empty()) ::rmdir(options_.pin_dir.c_str());
  return removed;
}

std::vector<std::string> Sandbox::quarantined_slots() const {
  return pool_ ? pool_->quarantined_slots() : std::vector<std::string>{};
}

RunResult Sandbox::run(const SandboxSpec& spec, const CancelSignal* cancel) {
  if (spec.argv.empty() || spec.argv[0].empty()) return setup_error("no command to run", support_.version);

  // Everything the child needs is prepared here, before clone.
  std::optional<CgroupPool::Lease> lease;
  std::optional<MountPlan> mounts;
  std::vector<std::string> env;
  IsolationNamespaces namespaces;
  IdMapping ids{spec.uid, spec.gid, 0, 0};
  UniqueFd image;
  try {
    std::vector<ResolvedBind> binds;
    binds.reserve(spec.binds.size());
    for (const auto& bind : spec.binds) binds.push_back(resolve_bind(bind));
    if (pool_) {
      lease.emplace(pool_->acquire());
      lease->slot().prepare(CgroupLimits{spec.limits.memory_bytes, spec.limits.cpus, spec.limits.pids});
      ids.host_uid = ids.host_gid = options_.host_ids.first + lease->index();
      namespaces = namespaces_->open(lease->name(), ids);
    } else {
      // Without a pool (development only), runs take the range's ids in turn.
      ids.host_uid = ids.host_gid = options_.host_ids.first + next_unpooled_id_++ % options_.host_ids.count;
      namespaces = create_isolation_namespaces(ids);
    }
    ImageLayout layout{spec.uid, spec.gid, spec.hostname, {}};
    for (const auto& bind : binds)
      if (mount_point_in_image(bind, binds)) layout.extra_mount_points.push_back(bind);
    image = images_->open(layout);
    mounts.emplace(MountPlan::for_run(spec, binds, image.get(), RunOwner{ids.host_uid, ids.host_gid}));
    env = sandbox_environment(spec);
  } catch (const std::exception& error) {
    return setup_error(error.what(), support_.version);
  }
  const RlimitPlan rlimits = RlimitPlan::from(spec.limits);
  std::vector<std::string> argv_strings = spec.argv;
  auto argv = pointers_to(argv_strings);
  auto envp = pointers_to(env);
  std::vector<std::string> candidates = exec_candidates(spec.argv[0]);
  std::vector<const char*> candidate_ptrs;
  candidate_ptrs.reserve(candidates.size() + 1);
  for (const auto& candidate : candidates) candidate_ptrs.push_back(candidate.c_str());
  candidate_ptrs.push_back(nullptr);
  const std::vector<std::string> task_files = lease ? lease->slot().self_attach_files() : std::vector<std::string>{};
  std::vector<const char*> task_file_ptrs;
  task_file_ptrs.reserve(task_files.size() + 1);
  for (const auto& file : task_files) task_file_ptrs.push_back(file.c_str());
  task_file_ptrs.push_back(nullptr);
  const int cgroup_fd = lease ? lease->slot().directory_fd() : -1;

  const std::string stdin_path = spec.stdin_path.empty() ? "/dev/null" : spec.stdin_path;
  UniqueFd stdin_fd(::open(stdin_path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!stdin_fd) return setup_error("cannot open stdin " + stdin_path + ": " + errno_text(errno), support_.version);
  Pipe out, err, parent_alive, report;
  try {
    out = make_pipe();
    err = make_pipe();
    parent_alive = make_pipe();
    report = make_pipe();
  } catch (const std::exception& error) {
    return setup_error(error.what(), support_.version);
  }

  ChildContext context;
  context.mounts = &*mounts;
  context.rlimits = &rlimits;
  context.seccomp = &SeccompProgram::precompiled();
  context.uid = spec.uid;
  context.gid = spec.gid;
  context.hostname = spec.hostname.c_str();
  context.argv = argv.data();
  context.envp = envp.data();
  context.exec_candidates = candidate_ptrs.data();
  context.cgroup_task_files = task_file_ptrs.data();
  context.stdin_fd = stdin_fd.get();
  context.stdout_fd = out.write_end.get();
  context.stderr_fd = err.write_end.get();
  context.user_ns_fd = namespaces.user.get();
  context.net_ns_fd = namespaces.net.get();
  context.parent_alive_fd = parent_alive.read_end.get();
  context.report_fd = report.write_end.get();

  const auto started = Clock::now();
  int pidfd = -1;
  const pid_t pid =
      spawn_in_new_namespaces([](void* prepared) -> int { run_child(*static_cast<const ChildContext*>(prepared)); },
                              &context, &pidfd, cgroup_fd);
  if (pid < 0) return setup_error("clone into new namespaces failed: " + errno_text(errno), support_.version);
  UniqueFd pidfd_owner(pidfd);

  // The child's ends of the pipes are not ours to keep; parent_alive's write end stays
  // open until the run is over (the child checks it before exec).
  for (auto* fd : {&stdin_fd, &out.write_end, &err.write_end, &parent_alive.read_end, &report.write_end}) fd->reset();
  if (spec.on_started) spec.on_started(pid);

  const auto observer = [&spec](OutputStream stream) -> OutputCapture::Observer {
    if (!spec.on_output) return {};
    return [&spec, stream](std::string_view chunk) { spec.on_output(stream, chunk); };
  };
  OutputCapture stdout_capture(spec.limits.stdout_bytes, observer(OutputStream::stdout_stream));
  OutputCapture stderr_capture(spec.limits.stderr_bytes, observer(OutputStream::stderr_stream));
  SupervisedProcess process{pid,
                            pidfd,
                            std::move(out.read_end),
                            std::move(err.read_end),
                            std::move(report.read_end),
                            lease ? &lease->slot() : nullptr};
  const SupervisionReport report_of_run = supervise(process, spec.limits, cancel, stdout_capture, stderr_capture);

  RunResult result;
  result.cgroup_version = support_.version;
  result.wall_time_ms = milliseconds(report_of_run.ended - started);
  result.cpu_time_ms = cpu_milliseconds(report_of_run.usage);
  RunFacts facts;
  if (report_of_run.setup_failure) facts.setup_error = describe_child_failure(*report_of_run.setup_failure, *mounts);
  if (report_of_run.supervision_error && !facts.setup_error)
    facts.setup_error =
        "supervising the sandbox: poll: " + errno_text(report_of_run.supervision_error) + " (the sandbox was killed)";
  facts.cancelled = report_of_run.cancelled;
  facts.output_overflow = report_of_run.output_overflow;
  facts.timed_out = report_of_run.timed_out;
  if (WIFEXITED(report_of_run.wait_status)) result.exit_code = WEXITSTATUS(report_of_run.wait_status);
  if (WIFSIGNALED(report_of_run.wait_status)) result.signal = WTERMSIG(report_of_run.wait_status);
  if (lease) {
    const CgroupUsage usage = lease->slot().usage();
    result.peak_memory_bytes = usage.peak_memory_bytes;
    result.cpu_throttled_periods = usage.throttled_periods;
    facts.oom_kills = usage.oom_kills;
  }
  facts.exit_code = result.exit_code;
  facts.signal = result.signal;
  facts.cpu_time_ms = result.cpu_time_ms;
  facts.cpu_time_limit = spec.limits.cpu_time;
  facts.wall_time_limit = spec.limits.wall_time;
  const Outcome outcome = decide_outcome(facts);
  result.reason = outcome.reason;
  result.message = outcome.message;
  result.stdout_output = stdout_capture.take();
  result.stderr_output = stderr_capture.take();
  return result;
}

}  // namespace mecapy::sandbox
