// Runs the Python runner (runtime/python, embedded in the binary) inside the sandbox:
// the one way the server executes package code, at deploy time (introspection, the
// source scan, test cases) and, later, for jobs.
//
// Each call gets a fresh host workspace directory, prepared by the caller with
// `in/`, shown read-write at /workspace; the package's sources are a read-only bind
// at /workspace/src and the runner a read-only bind at /opt/mecapy/runner. The
// sandbox has no network, runs as an unprivileged user, and is limited by the
// function's resources. What the runner writes under `out/` is read back by the
// caller once the run is over.
//
// The Sandbox is created on first use (cgroup pool, namespaces), so a server that
// never runs package code never needs the privileges a sandbox needs; when it cannot
// be created, every call throws Error(unavailable, "sandbox-unavailable").
#pragma once

#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "packages/resources.hpp"
#include "sandbox/cancel.hpp"
#include "sandbox/launcher.hpp"

namespace mecapy::packages {

struct PythonInterpreter {
  std::string path;     // absolute, e.g. /usr/bin/python3
  std::string version;  // "3.11.2", found at start-up
};

struct RunnerCall {
  std::string mode;               // run | introspect | scan | testcases
  std::vector<std::string> args;  // after the mode
  std::filesystem::path workspace;
  std::filesystem::path sources;
  const PythonInterpreter* interpreter = nullptr;
  Resources resources;
  // When not empty, this argv runs instead of the runner (an entrypoint function), with
  // the same workspace, binds, environment and limits; `mode` and `args` are unused.
  std::vector<std::string> command{};
  // Sees stdout and stderr as they are read (sandbox::SandboxSpec::on_output).
  std::function<void(sandbox::OutputStream, std::string_view)> on_output{};
};

class SandboxedRunner {
 public:
  // `runner_dir`: where the embedded runner is written (replaced on every start).
  SandboxedRunner(sandbox::SandboxOptions options, std::filesystem::path runner_dir,
                  std::vector<PythonInterpreter> interpreters);
  ~SandboxedRunner();

  // Blocks until the run is over. The result's reason says how it ended; `cancel`,
  // when given, stops the run from another thread (reason killed).
  sandbox::RunResult run(const RunnerCall& call, const sandbox::CancelSignal* cancel = nullptr);

  const std::vector<PythonInterpreter>& interpreters() const { return interpreters_; }
  // The interpreter for a manifest's `runtime.version` ("3.11", "3", or empty: the
  // first configured); nullptr when none matches.
  const PythonInterpreter* interpreter_for(const std::string& wanted) const;
  const PythonInterpreter& default_interpreter() const { return interpreters_.front(); }

 private:
  sandbox::Sandbox& sandbox();

  sandbox::SandboxOptions options_;
  std::filesystem::path runner_dir_;
  std::vector<PythonInterpreter> interpreters_;
  std::mutex mutex_;
  std::unique_ptr<sandbox::Sandbox> sandbox_;
};

// Writes the runner's files (compiled into the binary) into `dir`, replacing what is
// there, readable by everyone (the sandbox user reads them), with their byte code
// for each of `interpreters` (a failure to compile is logged, not fatal).
void install_runner(const std::filesystem::path& dir, const std::vector<PythonInterpreter>& interpreters = {});

// The exact version of the interpreter at `path` ("3.11.2"), found by running it
// once; throws Error(unavailable, "python-unavailable") when it does not run.
std::string probe_python_version(const std::string& path);

}  // namespace mecapy::packages
