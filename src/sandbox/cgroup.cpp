// Helpers shared by the cgroup v1 and v2 drivers.
#include "sandbox/cgroup.hpp"

#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>

#include "core/errors.hpp"
#include "sandbox/file_io.hpp"
#include "sandbox/process_signal.hpp"

namespace mecapy::sandbox {

void write_cgroup_file(const std::string& path, std::string_view value) {
  if (const int error = write_small_file(path, value))
    throw Error(ErrorKind::unavailable, "cgroup_write",
                "cannot write '" + std::string(value) + "' to " + path + ": " + errno_text(error));
}

std::optional<std::size_t> CgroupSlot::signal_members(int signal, pid_t except) {
  return signal_listed_processes([this] { return member_pids(); }, signal, except);
}

bool CgroupSlot::kill_members() { return signal_members(SIGKILL).has_value(); }

std::optional<std::vector<pid_t>> read_pid_list(const std::string& path) {
  const auto content = read_small_file(path);
  std::vector<pid_t> pids;
  // No such file: the group was removed (which only an empty group can be).
  if (!content) return ::access(path.c_str(), F_OK) != 0 && errno == ENOENT ? std::optional(pids) : std::nullopt;
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
