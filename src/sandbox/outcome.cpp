// Reason of a run from its facts (see outcome.hpp).
#include "sandbox/outcome.hpp"

#include <signal.h>

#include <cstring>

namespace mecapy::sandbox {

Outcome decide_outcome(const RunFacts& facts) {
  if (facts.setup_error) return {Reason::sandbox_error, *facts.setup_error};
  if (facts.cancelled) return {Reason::killed, "cancelled"};
  if (facts.output_overflow) return {Reason::output_limit, "output exceeded its limit; the sandbox was stopped"};
  if (facts.timed_out)
    return {Reason::timeout, "wall-clock limit of " + std::to_string(facts.wall_time_limit.count()) + " ms reached"};
  if (facts.oom_kills > 0) return {Reason::memory_limit, "memory limit reached: killed by the OOM killer"};
  const double cpu_limit_ms = static_cast<double>(facts.cpu_time_limit.count()) * 1000.0;
  if (facts.signal &&
      (*facts.signal == SIGXCPU || (*facts.signal == SIGKILL && cpu_limit_ms > 0 && facts.cpu_time_ms >= cpu_limit_ms)))
    return {Reason::cpu_limit, "CPU-time limit of " + std::to_string(facts.cpu_time_limit.count()) + " s reached"};
  if (facts.signal) {
    const char* name = sigabbrev_np(*facts.signal);
    return {Reason::killed,
            std::string("killed by signal SIG") + (name ? name : std::to_string(*facts.signal).c_str())};
  }
  if (facts.exit_code && *facts.exit_code == 0) return {Reason::ok, ""};
  return {Reason::exit_nonzero, "exited with status " + std::to_string(facts.exit_code.value_or(-1))};
}

}  // namespace mecapy::sandbox
