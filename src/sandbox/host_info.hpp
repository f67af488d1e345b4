// What this host offers the sandbox (mecapy-sandbox --info, and /ready of the server):
// kernel, cgroup version and controllers, namespaces, user-namespace availability and
// the seccomp program.
#pragma once

#include <boost/json/object.hpp>

#include "sandbox/cgroup_detect.hpp"

namespace mecapy::sandbox {

boost::json::object host_info(const CgroupSupport& support);

}  // namespace mecapy::sandbox
