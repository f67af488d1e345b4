// Running jobs in a process: what `mecapyd serve` (its embedded pool) and `mecapyd
// worker` (a standalone one) both build from their Config, so that the two run jobs in
// one way. It lives in main/ because it only wires parts of packages/ and jobs/
// together from the settings; nothing below main/ needs it.
//
//   open_package_runner()  the interpreters of python_interpreters that answer (each
//                          logged with its version), the runner installed under
//                          data_dir/runtime/python, and the sandbox that runs package
//                          code (sandbox_pool, sandbox_uid_range). serve's deploys
//                          use the same one.
//   JobWorkers             the cold executor (workspaces under data_dir/tmp/jobs), the
//                          planner over the package catalogue, the WorkerPool, and the
//                          worker's row in the registry, refreshed every job_lease/3
//                          with its running jobs and removed when it stops. Each job
//                          claimed and each job recorded is logged at info. Idle
//                          slots wake on job.queued and look at the queue every
//                          job_poll besides.
//
// The database, the blob store, the catalogue and the queue are the caller's: serve's
// API uses them as well.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "core/config.hpp"
#include "core/periodic_task.hpp"
#include "events/event_bus.hpp"
#include "jobs/cold_executor.hpp"
#include "jobs/job_log.hpp"
#include "jobs/worker_pool.hpp"
#include "jobs/worker_registry.hpp"
#include "packages/package_catalog.hpp"
#include "packages/sandboxed_runner.hpp"

namespace mecapy {

std::unique_ptr<packages::SandboxedRunner> open_package_runner(const Config& config);

// worker_slots: its value, or one per core when it is auto.
unsigned configured_slots(const Config& config);

// What JobWorkers runs jobs with; each part outlives it.
struct JobWorkerParts {
  storage::BlobStore& blobs;
  packages::SandboxedRunner& runner;
  packages::PackageCatalog& catalog;
  jobs::JobQueue& queue;
  jobs::WorkerRegistry& registry;
  jobs::JobLog& log;         // where running jobs' output goes
  events::EventBus& events;  // job.started/output/finished out, job.queued in
};

class JobWorkers {
 public:
  // `kind`: embedded or standalone, as GET /api/v1/workers shows it. With 0 `slots`
  // nothing ever runs and nothing is registered (an API-only instance).
  // `on_finished` is called after each job this process recorded.
  JobWorkers(const Config& config, const JobWorkerParts& parts, std::string kind, unsigned slots,
             jobs::JobFinished on_finished = {});
  ~JobWorkers();  // stop(0)
  JobWorkers(const JobWorkers&) = delete;
  JobWorkers& operator=(const JobWorkers&) = delete;

  // Starts the slots and the heartbeat (the first announce is immediate).
  void start();
  // Stops claiming; the jobs in flight have `grace` to finish, then those still
  // running go back to the queue; then the worker leaves the registry. Once only.
  void stop(std::chrono::milliseconds grace);

  jobs::WorkerPool& pool() { return pool_; }
  const std::string& id() const { return pool_.options().worker_id; }
  unsigned slots() const { return pool_.options().slots; }

 private:
  void announce();

  std::string kind_;
  jobs::WorkerRegistry& registry_;
  std::chrono::milliseconds heartbeat_period_;
  jobs::JobFinished on_finished_;
  jobs::ColdExecutor executor_;
  jobs::WorkerPool pool_;
  std::unique_ptr<PeriodicTask> heartbeat_;
  bool started_ = false;
};

}  // namespace mecapy
