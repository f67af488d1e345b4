// Helpers shared by the cgroup v1 and v2 drivers.
#include "sandbox/cgroup.hpp"

#include <cmath>

#include "core/errors.hpp"
#include "sandbox/file_io.hpp"

namespace mecapy::sandbox {

void write_cgroup_file(const std::string& path, std::string_view value) {
  if (const int error = write_small_file(path, value))
    throw Error(ErrorKind::unavailable, "cgroup_write",
                "cannot write '" + std::string(value) + "' to " + path + ": " + errno_text(error));
}

std::vector<pid_t> read_pid_list(const std::string& path) {
  std::vector<pid_t> pids;
  const auto content = read_small_file(path);
  if (!content) return pids;
  pid_t current = 0;
  bool in_number = false;
  for (const char ch : *content) {
    if (ch >= '0' && ch <= '9') {
      current = current * 10 + (ch - '0');
      in_number = true;
    } else if (in_number) {
      pids.push_back(current);
      current = 0;
      in_number = false;
    }
  }
  if (in_number) pids.push_back(current);
  return pids;
}

std::string cpu_quota_text(double cpus, std::uint32_t period_us) {
  if (cpus <= 0) return "max";
  const auto quota = static_cast<long long>(std::llround(cpus * period_us));
  return std::to_string(quota < 1000 ? 1000 : quota);  // the kernel's minimum is 1 ms
}

}  // namespace mecapy::sandbox
