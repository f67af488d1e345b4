// Running jobs in a process (see job_runtime.hpp).
#include "main/job_runtime.hpp"

#include <unistd.h>

#include <algorithm>
#include <thread>

#include "core/errors.hpp"
#include "core/log.hpp"
#include "jobs/job_planner.hpp"

namespace mecapy {
namespace {

std::string host_name() {
  char host[256] = {};
  ::gethostname(host, sizeof host - 1);
  return host;
}

// host:pid, unique among the workers sharing a database.
std::string worker_identity() { return host_name() + ":" + std::to_string(::getpid()); }

std::string whole_ms(double ms) { return std::to_string(static_cast<long long>(ms)); }

}  // namespace

std::unique_ptr<packages::SandboxedRunner> open_package_runner(const Config& config) {
  std::vector<packages::PythonInterpreter> interpreters;
  for (const auto& path : config.python_interpreters) {
    try {
      interpreters.push_back({path, packages::probe_python_version(path)});
      log_info("python: " + path + " is Python " + interpreters.back().version);
    } catch (const std::exception& e) {
      log_warning(std::string("python: ") + operator_message(e));
    }
  }
  if (interpreters.empty()) interpreters.push_back({config.python_interpreters.front(), "unknown"});
  const std::string runner_dir = config.data_dir + "/runtime/python";
  packages::install_runner(runner_dir, interpreters);
  sandbox::SandboxOptions sandbox_options;
  sandbox_options.pool_name = config.sandbox_pool;
  sandbox_options.host_ids = {config.sandbox_uid_first, config.sandbox_uid_count};
  sandbox_options.max_slots = std::min<unsigned>(256, config.sandbox_uid_count);
  return std::make_unique<packages::SandboxedRunner>(sandbox_options, runner_dir, std::move(interpreters));
}

unsigned configured_slots(const Config& config) {
  return config.worker_slots.value_or(std::max(1u, std::thread::hardware_concurrency()));
}

JobWorkers::JobWorkers(const Config& config, const JobWorkerParts& parts, std::string kind, unsigned slots,
                       jobs::JobFinished on_finished)
    : kind_(std::move(kind)),
      registry_(parts.registry),
      heartbeat_period_(config.job_lease / 3),
      on_finished_(std::move(on_finished)),
      executor_(parts.blobs, parts.runner, config.data_dir + "/tmp/jobs"),
      pool_(
          parts.queue, executor_,
          [&catalog = parts.catalog](const jobs::JobRecord& job) {
            log_info("job " + job.id + " claimed: " + job.package_name + " " + job.package_version + " " +
                     job.function_name + ", attempt " + std::to_string(job.attempts));
            return jobs::plan_job(job, catalog);
          },
          jobs::WorkerOptions{worker_identity(), slots, config.job_poll},
          [this](const jobs::JobRecord& job) {
            log_info("job " + job.id + " finished: " + job.status + " (" + job.exit_reason + ") in " +
                     whole_ms(job.duration_ms) + " ms");
            if (on_finished_) on_finished_(job);
          }) {
  pool_.set_log(&parts.log);
  pool_.set_events(&parts.events);
}

JobWorkers::~JobWorkers() { stop(std::chrono::milliseconds(0)); }

void JobWorkers::start() {
  if (slots() == 0) {
    log_info("workers: none in this process (worker_slots is 0): standalone workers run its jobs");
    return;
  }
  started_ = true;
  pool_.start();
  log_info(kind_ + " worker " + id() + " started with " + std::to_string(slots()) + " slot(s)");
  heartbeat_ = std::make_unique<PeriodicTask>("worker heartbeat", heartbeat_period_, [this] { announce(); });
}

void JobWorkers::stop(std::chrono::milliseconds grace) {
  if (!started_) return;
  started_ = false;
  pool_.stop_within(grace);  // the heartbeat goes on meanwhile: the jobs still run
  heartbeat_.reset();
  try {
    registry_.remove(id());
  } catch (const std::exception& e) {
    log_warning("worker " + id() + " could not leave the registry (it will be shown lost): " + operator_message(e));
  }
}

void JobWorkers::announce() {
  jobs::WorkerInfo info;
  info.id = id();
  info.host = host_name();
  info.pid = ::getpid();
  info.kind = kind_;
  info.slots = slots();
  info.running = pool_.running();
  info.version = MECAPY_VERSION;
  registry_.announce(info);
}

}  // namespace mecapy
