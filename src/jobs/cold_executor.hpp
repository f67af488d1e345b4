// The cold executor: a fresh sandboxed interpreter per job (executor.hpp).
//
// Layout under `work_dir`: `sources/` (the SourceCache, shared by jobs) and `run/`, where
// each job gets a workspace of a random name, removed with everything in it when its
// PreparedJob is destroyed, whatever happened.
//
// Promises about what a run leaves in `out/` (the sandbox user may write anything there,
// links included): every file is opened without following links (O_NOFOLLOW) and must be
// a regular file; a link or special file gives a failed job of type "OutputError" and is
// never read. out/data.json, out/error.json and out/_error.json are read up to 16 MiB
// ("OutputTooLarge" past it), out/progress.jsonl up to 1 MiB (bad lines skipped).
//
// Statuses: completed (out/data.json, exit ok); failed (the function's error, or
// "RunnerError" with the stderr tail, "MemoryLimit", "CpuLimit", "OutputLimit",
// "OutputError", "OutputTooLarge"); timeout; cancelled (the cancel signal fired and the
// run did not end ok). A sandbox that cannot run at all is a platform failure, not the
// job's: collect() throws Error(unavailable, "sandbox-unavailable").
//
// Entrypoint functions run their argv with /workspace/src as the working directory
// (through /bin/sh, since the sandbox spec has no working directory); an argv[0] of
// `python` or `python3` is the job's interpreter.
#pragma once

#include <filesystem>
#include <memory>

#include "jobs/executor.hpp"
#include "jobs/source_cache.hpp"
#include "packages/sandboxed_runner.hpp"
#include "storage/blob_store.hpp"

namespace mecapy::jobs {

class ColdExecutor final : public Executor {
 public:
  ColdExecutor(storage::BlobStore& blobs, packages::SandboxedRunner& runner, const std::filesystem::path& work_dir);

  // Throws Error(corrupted, "blob-corrupted") when an input file's content does not
  // have its recorded sha256, Error(invalid_input, "job-request-invalid") for a request
  // that names no handler and no entrypoint or an unsafe input file name,
  // Error(unavailable, "interpreter-unavailable") when the interpreter is not here.
  std::unique_ptr<PreparedJob> prepare(const ExecutionRequest& request) override;

  SourceCache& source_cache() { return sources_; }

 private:
  storage::BlobStore& blobs_;
  packages::SandboxedRunner& runner_;
  std::filesystem::path run_dir_;
  SourceCache sources_;
};

}  // namespace mecapy::jobs
