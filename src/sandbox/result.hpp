// The outcome of one sandboxed run. Every run yields a result, including runs the
// sandbox could not start (reason sandbox_error, with a message saying why).
#pragma once

#include <boost/json/object.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mecapy::sandbox {

enum class Reason {
  ok,             // exited with status 0
  exit_nonzero,   // exited with another status
  timeout,        // wall-clock limit reached; the sandbox was stopped
  memory_limit,   // the cgroup's OOM killer ended a process
  cpu_limit,      // CPU-time limit (RLIMIT_CPU) reached
  output_limit,   // stdout or stderr exceeded its limit; the sandbox was stopped
  killed,         // ended by a signal for another reason, or cancelled
  sandbox_error,  // the sandbox could not be set up; nothing ran
};

std::string_view to_string(Reason reason);

struct CapturedOutput {
  std::string text;  // at most the limit, then a truncation marker when truncated
  bool truncated = false;
};

struct RunResult {
  Reason reason = Reason::sandbox_error;
  std::string message;           // why, in words (empty for ok)
  std::optional<int> exit_code;  // set when the main process exited
  std::optional<int> signal;     // set when the main process was killed by a signal
  double wall_time_ms = 0;
  double cpu_time_ms = 0;                   // user + system of the main process and its reaped children
  std::uint64_t peak_memory_bytes = 0;      // from the cgroup; 0 without cgroup
  std::uint64_t cpu_throttled_periods = 0;  // quota periods in which the sandbox was throttled
  std::string cgroup_version;               // "v1", "v2" or "none"
  CapturedOutput stdout_output;
  CapturedOutput stderr_output;
};

boost::json::object to_json(const RunResult& result);

}  // namespace mecapy::sandbox
