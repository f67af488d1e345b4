// Naming and JSON form of a run result (the form mecapy-sandbox prints and workers store).
#include "sandbox/result.hpp"

namespace mecapy::sandbox {

std::string_view to_string(Reason reason) {
  switch (reason) {
    case Reason::ok:
      return "ok";
    case Reason::exit_nonzero:
      return "exit_nonzero";
    case Reason::timeout:
      return "timeout";
    case Reason::memory_limit:
      return "memory_limit";
    case Reason::cpu_limit:
      return "cpu_limit";
    case Reason::output_limit:
      return "output_limit";
    case Reason::killed:
      return "killed";
    case Reason::sandbox_error:
      return "sandbox_error";
  }
  return "sandbox_error";
}

namespace {
boost::json::value optional_int(const std::optional<int>& value) {
  if (value) return *value;
  return nullptr;
}
}  // namespace

boost::json::object to_json(const RunResult& result) {
  boost::json::object json;
  json["reason"] = to_string(result.reason);
  json["message"] = result.message;
  json["exit_code"] = optional_int(result.exit_code);
  json["signal"] = optional_int(result.signal);
  json["wall_time_ms"] = result.wall_time_ms;
  json["cpu_time_ms"] = result.cpu_time_ms;
  json["peak_memory_bytes"] = result.peak_memory_bytes;
  json["cpu_throttled_periods"] = result.cpu_throttled_periods;
  json["cgroup"] = result.cgroup_version;
  json["stdout"] = result.stdout_output.text;
  json["stdout_truncated"] = result.stdout_output.truncated;
  json["stderr"] = result.stderr_output.text;
  json["stderr_truncated"] = result.stderr_output.truncated;
  return json;
}

}  // namespace mecapy::sandbox
