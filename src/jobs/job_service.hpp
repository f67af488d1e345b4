// Submitting jobs and waiting for them: what the execute route does. Inputs are
// converted and validated first (422 with every problem); file inputs are the
// caller's own files, checked against the port's extensions; an identical earlier
// request (same function checksum, canonical inputs and input file hashes) reuses
// its result unless the function or the request turns the cache off — the hit is
// recorded as a job of the caller, final at once, linking the original.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>

#include "files/file_catalog.hpp"
#include "jobs/job_queue.hpp"
#include "jobs/worker_pool.hpp"
#include "packages/package_catalog.hpp"

namespace mecapy::jobs {

struct SubmitOptions {
  bool no_cache = false;
  std::int64_t timeout_s = 0;  // 0: the function's own
  std::int64_t priority = 0;
};

struct Submission {
  const packages::PackageRecord& package;
  const packages::PackageVersionRecord& version;
  const packages::FunctionVersionRecord& function;
  boost::json::object inputs;
  boost::json::object files;  // {var: file_id}
  SubmitOptions options;
};

class JobService {
 public:
  JobService(JobQueue& queue, files::FileCatalog& files);

  // The pool of this process, woken when a job is queued (none: other workers poll).
  void attach_pool(WorkerPool* pool) { pool_ = pool; }

  JobRecord submit(const std::string& owner, const Submission& submission);

  // The job once it is final, or as it is when `timeout` passes.
  JobRecord wait(const std::string& owner, const std::string& id, std::chrono::milliseconds timeout);

  // Called by the local pool when a job is recorded (wakes the waiters at once;
  // jobs finished by other instances are seen by polling).
  void job_finished(const JobRecord& job);

  // The key of identical requests: the function's checksum, the canonical inputs
  // and the content (SHA-256) of each input file — not which upload of it was given.
  static std::string cache_key(const std::string& checksum, const boost::json::object& inputs,
                               const boost::json::array& input_files);

  // Refuses files given for `vars` (422 invalid-inputs, every problem at /VAR) when
  // the function has no such input or the input is not a file. submit() checks the
  // same; this lets a caller refuse before storing uploads meant for those inputs.
  static void check_file_vars(const packages::FunctionVersionRecord& function, const std::vector<std::string>& vars);

 private:
  JobQueue& queue_;
  files::FileCatalog& files_;
  WorkerPool* pool_ = nullptr;
  std::mutex mutex_;
  std::condition_variable finished_;
  std::uint64_t generation_ = 0;
};

}  // namespace mecapy::jobs
