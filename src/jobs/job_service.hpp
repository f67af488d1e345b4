// Submitting jobs: what the execute route does. Inputs are
// converted and validated first (422 with every problem); file inputs are the
// caller's own files, checked against the port's extensions; an identical earlier
// request (same function checksum, canonical inputs and input file hashes) reuses
// its result unless the function or the request turns the cache off — the hit is
// recorded as a job of the caller, final at once, linking the original.
// A queued job is announced on the event bus (job.queued: idle workers of every
// instance wake up); a cache hit as job.finished.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <string>

#include "events/event_bus.hpp"
#include "files/file_catalog.hpp"
#include "jobs/job_queue.hpp"
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

  // Where queued and cached jobs are announced (none: workers find them at their poll).
  void set_events(events::EventBus* bus) { bus_ = bus; }

  JobRecord submit(const std::string& owner, const Submission& submission);

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
  events::EventBus* bus_ = nullptr;
};

}  // namespace mecapy::jobs
