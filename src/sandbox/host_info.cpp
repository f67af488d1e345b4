// Host capability report (see host_info.hpp).
#include "sandbox/host_info.hpp"

#include <sys/utsname.h>

#include <boost/json/array.hpp>

#include "sandbox/file_io.hpp"
#include "sandbox/seccomp_filter.hpp"

namespace mecapy::sandbox {
namespace {

boost::json::array to_array(const std::vector<std::string>& items) {
  boost::json::array array;
  for (const auto& item : items) array.emplace_back(item);
  return array;
}

}  // namespace

boost::json::object host_info(const CgroupSupport& support) {
  boost::json::object info;
  utsname name{};
  if (::uname(&name) == 0) info["kernel"] = std::string(name.release);

  boost::json::object cgroup;
  cgroup["version"] = support.version;
  if (support.version == "v2") {
    cgroup["controllers"] = to_array({"memory", "cpu", "pids"});
    cgroup["base"] = support.v2_base;
  } else if (support.version == "v1") {
    cgroup["controllers"] = to_array({"memory", "cpu", "pids"});
    cgroup["memory_dir"] = support.v1_dirs.memory;
    cgroup["cpu_dir"] = support.v1_dirs.cpu;
    cgroup["pids_dir"] = support.v1_dirs.pids;
    cgroup["swap_accounting"] = support.v1_swap_accounting;
  } else {
    cgroup["controllers"] = boost::json::array{};
  }
  cgroup["v2_controllers_offered"] = to_array(support.v2_controllers);
  cgroup["v1_available"] = support.v1_available;
  info["cgroup"] = std::move(cgroup);

  info["namespaces"] = to_array({"user", "pid", "net", "mount", "ipc", "uts", "cgroup"});
  info["max_user_namespaces"] = read_number_file("/proc/sys/user/max_user_namespaces").value_or(0);

  const auto& program = SeccompProgram::precompiled();
  boost::json::object seccomp;
  seccomp["default_action"] = "EPERM";
  seccomp["allowed_syscalls"] = program.allowed_syscall_count();
  seccomp["argument_checked"] =
      to_array({"clone", "clone3", "socket", "socketpair", "prctl", "personality", "prlimit64", "ioctl"});
  seccomp["bpf_instructions"] = program.instruction_count();
  info["seccomp"] = std::move(seccomp);
  return info;
}

}  // namespace mecapy::sandbox
