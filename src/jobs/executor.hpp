// Runs one claimed job: the seam between the queue and the way a function executes.
// The cold executor (cold_executor.hpp) starts a fresh sandboxed interpreter per job;
// warm runtimes (a later issue) implement the same three steps with pre-started ones.
//
//   prepare   a private workspace: in/data.json (the canonical inputs), in/files/<var>.<ext>
//             (input files fetched from the blob store), the package's sources unpacked
//             (fetched from the blob store by their archive key, cached per source checksum)
//   run       the runner's `run` mode in the sandbox with the function's resources;
//             cancellable from another thread
//   collect   out/data.json or out/error.json, out/progress.jsonl, out/files/* stored in
//             the blob store (content addressed), stdout/stderr, the sandbox's figures
// The workspace is removed whatever happens (the destructor of the prepared job).
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "packages/resources.hpp"
#include "sandbox/cancel.hpp"

namespace mecapy::jobs {

// Everything the executor needs about one job (from the job row and the function
// version's spec).
struct ExecutionRequest {
  std::string job_id;
  std::string handler;                  // module:function, or empty for an entrypoint
  std::vector<std::string> entrypoint;  // argv, or empty for a handler
  std::string source_blob_key;          // the package version's archive
  std::string source_sha256;            // its normalised tree checksum (the unpack cache key)
  std::string interpreter;              // exact version wanted ("3.11.2"), empty: the default
  boost::json::object inputs;           // canonical
  struct InputFile {
    std::string var;
    std::string blob_key;
    std::string extension;  // lower case, no dot; may be empty
    std::string sha256;
  };
  std::vector<InputFile> input_files;
  packages::Resources resources;
};

struct OutputFile {
  std::string name;  // relative to out/files, '/'-separated
  std::string blob_key;
  std::uint64_t size = 0;
  std::string sha256;
};

struct ExecutionResult {
  // completed (outputs), failed (error), timeout, cancelled; the job's final status.
  std::string status;
  boost::json::object outputs;
  std::optional<boost::json::object> error;  // {type, message, traceback}
  std::vector<OutputFile> output_files;
  boost::json::array progress;  // the progress lines, in order
  std::string stdout_text;
  std::string stderr_text;
  std::string exit_reason;  // the sandbox's Reason as text
  double duration_ms = 0;
  double cpu_ms = 0;
  double memory_peak_mb = 0;
};

// Sees stdout and stderr while the job runs ("stdout" or "stderr", the bytes as read);
// called on the running thread; must be quick and must not throw.
using OutputObserver = std::function<void(std::string_view kind, std::string_view chunk)>;

class PreparedJob {
 public:
  virtual ~PreparedJob() = default;  // removes the workspace
  // Blocks until the run is over; `cancel` stops it (SIGTERM, grace, SIGKILL).
  virtual void run(const sandbox::CancelSignal* cancel, const OutputObserver& on_output = {}) = 0;
  // The progress lines written since the last call (complete lines that are JSON,
  // in order); may be called from another thread while run() blocks.
  virtual std::vector<boost::json::value> new_progress() = 0;
  // Reads what the run left and stores the output files; call once after run().
  virtual ExecutionResult collect() = 0;
};

class Executor {
 public:
  virtual ~Executor() = default;
  // Throws mecapy::Error when the job cannot be prepared (a blob missing: corrupted;
  // the store down: unavailable).
  virtual std::unique_ptr<PreparedJob> prepare(const ExecutionRequest& request) = 0;
};

}  // namespace mecapy::jobs
