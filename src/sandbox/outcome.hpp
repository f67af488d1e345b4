// Deciding a run's reason from what was observed, in order of precedence: a setup
// failure, a cancellation, an output overflow, a timeout (the sandbox was stopped for
// these), then the cgroup's OOM kills (memory_limit), SIGXCPU or a SIGKILL after the
// CPU-time limit (cpu_limit), any other signal (killed), and finally the exit status.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "sandbox/result.hpp"

namespace mecapy::sandbox {

struct RunFacts {
  std::optional<std::string> setup_error;
  bool cancelled = false;
  bool output_overflow = false;
  bool timed_out = false;
  std::uint64_t oom_kills = 0;
  std::optional<int> exit_code;
  std::optional<int> signal;
  double cpu_time_ms = 0;
  std::chrono::seconds cpu_time_limit{0};
  std::chrono::milliseconds wall_time_limit{0};
};

struct Outcome {
  Reason reason;
  std::string message;
};

Outcome decide_outcome(const RunFacts& facts);

}  // namespace mecapy::sandbox
