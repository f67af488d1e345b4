// Workers: slots that claim jobs from the queue and run them through an Executor.
// The embedded pool of `mecapyd serve` and the standalone `mecapyd worker` are both
// a WorkerPool.
//
// Each slot loops: claim a job (or wait to be woken, at most `poll`), plan it, prepare
// it, run it while a heartbeat renews the lease (every lease/3) and watches for a
// cancel request, collect, finish. A job whose lease the slot lost is never finished
// by it. One slot also recovers the leases other workers lost, at each poll.
// stop() finishes the jobs in flight unless told to hand them back (release: they
// go back to pending without counting the attempt); stop_within() lets them finish
// for a bounded time, then hands back those still running.
//
// While a job runs, its stdout, stderr and progress lines go to the job log (when one
// is set) every heartbeat tick (250 ms) and once more before the result is recorded,
// so the log is complete when the job is final. With an event bus, the pool publishes
// job.started, job.output (the log grew) and job.finished, and a job.queued event
// wakes an idle slot (from any instance, through the bus's relay).
//
// Jobs that cannot be planned or prepared (a missing function version, a blob
// gone) fail with the error's message; a bug in a slot never takes the process down.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "events/event_bus.hpp"
#include "jobs/executor.hpp"
#include "jobs/job_log.hpp"
#include "jobs/job_queue.hpp"

namespace mecapy::jobs {

struct WorkerOptions {
  std::string worker_id;  // unique per process, e.g. host:pid
  unsigned slots = 1;
  std::chrono::milliseconds poll{1'000};
};

// Turns a claimed job into what the executor needs (reads the function version).
using JobPlanner = std::function<ExecutionRequest(const JobRecord&)>;
// Called with each job as this pool recorded it (no read again); must not throw.
using JobFinished = std::function<void(const JobRecord&)>;

class WorkerPool {
 public:
  WorkerPool(JobQueue& queue, Executor& executor, JobPlanner planner, WorkerOptions options,
             JobFinished on_finished = {});
  ~WorkerPool();  // stop(false)
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Set before start(); both outlive the pool.
  void set_log(JobLog* log) { log_ = log; }
  void set_events(events::EventBus* bus);

  void start();
  // A job was queued: wake one idle slot now rather than at its next poll.
  void wake();
  // Stops every slot; with `hand_back`, running jobs are cancelled and released.
  void stop(bool hand_back);
  // Stops claiming at once; the jobs in flight have `grace` to finish, then the ones
  // still running are handed back as by stop(true).
  void stop_within(std::chrono::milliseconds grace);

  const WorkerOptions& options() const { return options_; }
  unsigned running() const;

 private:
  void slot_loop(unsigned index);
  void run_one(Claim& claim);
  void publish(const char* type, const JobRecord& job);

  JobQueue& queue_;
  Executor& executor_;
  JobPlanner planner_;
  WorkerOptions options_;
  JobFinished on_finished_;
  JobLog* log_ = nullptr;
  events::EventBus* bus_ = nullptr;
  events::Subscription queued_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable idle_;  // running_ went down
  bool stopping_ = false;
  bool hand_back_ = false;
  std::uint64_t wake_generation_ = 0;  // counts wake() calls
  unsigned running_ = 0;
  std::vector<std::thread> threads_;
};

}  // namespace mecapy::jobs
