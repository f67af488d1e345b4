#include "jobs/worker_pool.hpp"

#include <atomic>

#include "core/errors.hpp"
#include "core/json.hpp"
#include "core/log.hpp"
#include "jobs/output_buffer.hpp"

namespace mecapy::jobs {
namespace {

constexpr std::chrono::milliseconds kCancelCheck{250};

boost::json::array files_json(const std::vector<OutputFile>& files) {
  boost::json::array out;
  for (const auto& f : files) {
    out.push_back({{"name", f.name}, {"blob_key", f.blob_key}, {"size", f.size}, {"sha256", f.sha256}});
  }
  return out;
}

JobRecord result_record(const ExecutionResult& r) {
  JobRecord out;
  out.status = r.status;
  out.outputs = serialize_json(r.outputs);
  out.output_files = serialize_json(files_json(r.output_files));
  if (r.error) out.error = serialize_json(*r.error);
  out.exit_reason = r.exit_reason;
  out.duration_ms = r.duration_ms;
  out.cpu_ms = r.cpu_ms;
  out.memory_peak_mb = r.memory_peak_mb;
  return out;
}

JobRecord platform_failure(const std::exception& e) {
  JobRecord out;
  out.status = "failed";
  out.exit_reason = "platform_error";
  out.error =
      serialize_json(boost::json::object{{"type", "PlatformError"},
                                         {"message", std::string("the platform could not run this job: ") + e.what()},
                                         {"traceback", ""}});
  return out;
}

}  // namespace

WorkerPool::WorkerPool(JobQueue& queue, Executor& executor, JobPlanner planner, WorkerOptions options,
                       JobFinished on_finished)
    : queue_(queue),
      executor_(executor),
      planner_(std::move(planner)),
      options_(std::move(options)),
      on_finished_(std::move(on_finished)) {}

WorkerPool::~WorkerPool() {
  queued_.reset();
  stop(false);
}

void WorkerPool::set_events(events::EventBus* bus) {
  bus_ = bus;
  queued_.reset();
  if (bus_)
    queued_ = bus_->subscribe([this](const events::Event& event) {
      if (event.type == "job.queued") wake();
    });
}

void WorkerPool::publish(const char* type, const JobRecord& job) {
  if (bus_) bus_->publish({type, job.id, job.owner_id});
}

void WorkerPool::start() {
  std::lock_guard lock(mutex_);
  stopping_ = false;
  for (unsigned i = 0; i < options_.slots; ++i) threads_.emplace_back([this, i] { slot_loop(i); });
}

void WorkerPool::wake() {
  {
    std::lock_guard lock(mutex_);
    ++wake_generation_;
  }
  wake_.notify_one();
}

void WorkerPool::stop(bool hand_back) {
  {
    std::lock_guard lock(mutex_);
    if (threads_.empty()) return;
    stopping_ = true;
    hand_back_ = hand_back;
  }
  wake_.notify_all();
  for (auto& t : threads_) t.join();
  threads_.clear();
}

void WorkerPool::stop_within(std::chrono::milliseconds grace) {
  {
    std::unique_lock lock(mutex_);
    if (threads_.empty()) return;
    stopping_ = true;
    hand_back_ = false;
    wake_.notify_all();
    idle_.wait_for(lock, grace, [this] { return running_ == 0; });
  }
  stop(true);
}

unsigned WorkerPool::running() const {
  std::lock_guard lock(mutex_);
  return running_;
}

void WorkerPool::slot_loop(unsigned index) {
  while (true) {
    {
      std::lock_guard lock(mutex_);
      if (stopping_) return;
    }
    // A wake-up that comes while the claim runs is not lost: the wait below ends at
    // once when one came after this point, and a burst of them costs one claim.
    std::uint64_t generation = 0;
    {
      std::lock_guard lock(mutex_);
      generation = wake_generation_;
    }
    std::optional<Claim> claim;
    try {
      if (index == 0) queue_.recover_expired();
      claim = queue_.claim(options_.worker_id);
    } catch (const std::exception& e) {
      log_warning(std::string("worker: cannot reach the queue: ") + operator_message(e));
    }
    if (!claim) {
      std::unique_lock lock(mutex_);
      wake_.wait_for(lock, options_.poll, [&] { return stopping_ || wake_generation_ != generation; });
      continue;
    }
    {
      std::lock_guard lock(mutex_);
      ++running_;
    }
    run_one(*claim);
    {
      std::lock_guard lock(mutex_);
      --running_;
    }
    idle_.notify_all();
  }
}

void WorkerPool::run_one(Claim& claim) {
  JobRecord result;
  bool lost = false;
  bool handed_back = false;
  publish("job.started", claim.job);
  OutputBuffer output;
  // Moves what the run wrote so far into the job log. A failed write is logged and the
  // run goes on: the log is an observation, the result is what counts.
  auto flush_log = [&](PreparedJob& prepared, bool last) {
    if (!log_) return;
    try {
      auto entries = output.take(last);
      for (auto& line : prepared.new_progress()) entries.push_back({0, "progress", serialize_json(line)});
      if (entries.empty()) return;
      log_->append(claim.job.id, entries);
      publish("job.output", claim.job);
    } catch (const std::exception& e) {
      log_warning("worker: the log of job " + claim.job.id + " could not be written: " + operator_message(e));
    }
  };
  try {
    const auto request = planner_(claim.job);
    auto prepared = executor_.prepare(request);
    sandbox::CancelSignal cancel;
    std::mutex beat_mutex;
    std::condition_variable beat_done;
    bool done = false;
    // The heartbeat: renews the lease, and stops the run when the job is cancelled,
    // when the lease is lost, or when the pool hands its jobs back.
    std::thread heartbeat([&] {
      auto next_renewal = std::chrono::steady_clock::now() + queue_.options().lease / 3;
      std::unique_lock lock(beat_mutex);
      while (!beat_done.wait_for(lock, kCancelCheck, [&] { return done; })) {
        flush_log(*prepared, false);
        try {
          if (std::chrono::steady_clock::now() >= next_renewal) {
            if (!queue_.renew(claim)) {
              lost = true;
              cancel.cancel();
              return;
            }
            next_renewal = std::chrono::steady_clock::now() + queue_.options().lease / 3;
          }
          bool hand_back = false;
          {
            std::lock_guard pool_lock(mutex_);
            hand_back = stopping_ && hand_back_;
          }
          if (hand_back || queue_.cancel_requested(claim.job.id)) cancel.cancel();
        } catch (const std::exception& e) {
          log_warning(std::string("worker: heartbeat failed: ") + operator_message(e));
        }
      }
    });
    {
      // Stops the heartbeat however the run ends.
      struct StopHeartbeat {
        std::mutex& mutex;
        bool& done;
        std::condition_variable& wake;
        std::thread& thread;
        ~StopHeartbeat() {
          {
            std::lock_guard lock(mutex);
            done = true;
          }
          wake.notify_all();
          thread.join();
        }
      } stop_heartbeat{beat_mutex, done, beat_done, heartbeat};
      prepared->run(&cancel, [&output](std::string_view kind, std::string_view chunk) { output.add(kind, chunk); });
    }
    if (lost) {
      log_warning("worker: lost the lease of job " + claim.job.id +
                  " (this worker was presumed gone); the run was stopped and its result dropped");
      return;
    }
    flush_log(*prepared, true);
    {
      std::lock_guard pool_lock(mutex_);
      handed_back = stopping_ && hand_back_;
    }
    if (handed_back && !queue_.cancel_requested(claim.job.id)) {
      queue_.release(claim);
      return;
    }
    result = result_record(prepared->collect());
  } catch (const std::exception& e) {
    log_warning("worker: job " + claim.job.id + " failed on the platform's side: " + operator_message(e));
    result = platform_failure(e);
  }
  try {
    if (const auto recorded = queue_.finish(claim, result)) {
      publish("job.finished", *recorded);
      if (on_finished_) on_finished_(*recorded);
    }
  } catch (const std::exception& e) {
    log_warning("worker: the result of job " + claim.job.id + " could not be recorded: " + operator_message(e));
  }
}

}  // namespace mecapy::jobs
