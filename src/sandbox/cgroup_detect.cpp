// Detection of cgroup v2 / v1 support (see cgroup_detect.hpp).
#include "sandbox/cgroup_detect.hpp"

#include <linux/magic.h>
#include <sys/statfs.h>
#include <unistd.h>

#include <algorithm>
#include <map>
#include <optional>
#include <sstream>

#include "sandbox/cgroup_v2.hpp"
#include "sandbox/file_io.hpp"

namespace mecapy::sandbox {
namespace {

std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  std::string part;
  std::istringstream stream(text);
  while (std::getline(stream, part, separator))
    if (!part.empty()) parts.push_back(part);
  return parts;
}

bool contains(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

struct Mounts {
  std::string v2_mount;
  std::map<std::string, std::string> v1_mount_of;  // controller -> mount point
};

// mountinfo: "id parent major:minor root mountpoint options [optional...] - fstype source superoptions"
Mounts read_cgroup_mounts(const std::string& mountinfo_path) {
  Mounts mounts;
  std::istringstream lines(read_small_file(mountinfo_path).value_or(""));
  std::string line;
  while (std::getline(lines, line)) {
    const auto fields = split(line, ' ');
    const auto dash = std::find(fields.begin(), fields.end(), "-");
    if (fields.size() < 5 || std::distance(dash, fields.end()) < 4) continue;
    const std::string& mount_point = fields[4];
    const std::string& fstype = *(dash + 1);
    if (fstype == "cgroup2" && mounts.v2_mount.empty()) mounts.v2_mount = mount_point;
    if (fstype == "cgroup")
      for (const auto& option : split(*(dash + 3), ','))
        if (!mounts.v1_mount_of.contains(option)) mounts.v1_mount_of[option] = mount_point;
  }
  return mounts;
}

// The usual layouts, recognised with a few statfs calls instead of mountinfo (which
// the kernel generates line by line, about 70 µs here, more with every mount):
// /sys/fs/cgroup is either the unified hierarchy, or a tmpfs holding one directory
// per v1 hierarchy, named after its controller, and "unified". Empty when the layout
// is something else, or lacks what the sandbox needs.
std::optional<Mounts> conventional_cgroup_mounts() {
  constexpr const char* kRoot = "/sys/fs/cgroup";
  auto filesystem_of = [](const std::string& path) -> long {
    struct statfs info {};
    return ::statfs(path.c_str(), &info) == 0 ? static_cast<long>(info.f_type) : 0;
  };
  Mounts mounts;
  const long root_type = filesystem_of(kRoot);
  if (root_type == CGROUP2_SUPER_MAGIC) {
    mounts.v2_mount = kRoot;
    return mounts;
  }
  if (root_type != TMPFS_MAGIC) return std::nullopt;
  if (filesystem_of(std::string(kRoot) + "/unified") == CGROUP2_SUPER_MAGIC)
    mounts.v2_mount = std::string(kRoot) + "/unified";
  for (const char* controller : {"memory", "cpu", "pids"}) {
    const std::string dir = std::string(kRoot) + "/" + controller;
    if (filesystem_of(dir) != CGROUP_SUPER_MAGIC) return std::nullopt;
    mounts.v1_mount_of[controller] = dir;
  }
  return mounts;
}

struct Membership {
  std::string v2_path;
  std::map<std::string, std::string> v1_path_of;  // controller -> our cgroup path
};

// /proc/self/cgroup: "id:controller,list:/path" (v2: "0::/path").
Membership read_membership(const std::string& cgroup_path) {
  Membership membership;
  std::istringstream lines(read_small_file(cgroup_path).value_or(""));
  std::string line;
  while (std::getline(lines, line)) {
    const auto first = line.find(':');
    const auto second = line.find(':', first + 1);
    if (first == std::string::npos || second == std::string::npos) continue;
    const std::string controllers = line.substr(first + 1, second - first - 1);
    const std::string path = line.substr(second + 1);
    if (line.substr(0, first) == "0" && controllers.empty()) membership.v2_path = path;
    for (const auto& controller : split(controllers, ',')) membership.v1_path_of[controller] = path;
  }
  return membership;
}

std::string join_path(const std::string& mount, const std::string& path) {
  if (path.empty() || path == "/") return mount;
  return mount + path;
}

}  // namespace

CgroupSupport detect_cgroups(CgroupMode mode, const std::string& mountinfo_path, const std::string& cgroup_path) {
  CgroupSupport support;
  std::optional<Mounts> found;
  if (mountinfo_path == kSystemMountinfo) found = conventional_cgroup_mounts();
  const Mounts mounts = found ? *found : read_cgroup_mounts(mountinfo_path);
  const Membership membership = read_membership(cgroup_path);

  if (!mounts.v2_mount.empty()) {
    support.v2_base = join_path(mounts.v2_mount, membership.v2_path);
    support.v2_controllers = split(read_small_file(support.v2_base + "/cgroup.controllers").value_or(""), ' ');
    for (auto& controller : support.v2_controllers)
      controller.erase(std::remove(controller.begin(), controller.end(), '\n'), controller.end());
  }
  const bool v2_usable = !support.v2_base.empty() && contains(support.v2_controllers, "memory") &&
                         contains(support.v2_controllers, "cpu") && contains(support.v2_controllers, "pids");

  auto v1_dir = [&](const std::string& controller) -> std::string {
    const auto mount = mounts.v1_mount_of.find(controller);
    const auto path = membership.v1_path_of.find(controller);
    if (mount == mounts.v1_mount_of.end()) return {};
    return join_path(mount->second, path == membership.v1_path_of.end() ? "/" : path->second);
  };
  support.v1_dirs = CgroupV1Dirs{v1_dir("memory"), v1_dir("cpu"), v1_dir("pids")};
  support.v1_available =
      !support.v1_dirs.memory.empty() && !support.v1_dirs.cpu.empty() && !support.v1_dirs.pids.empty();
  support.v1_swap_accounting =
      support.v1_available && ::access((support.v1_dirs.memory + "/memory.memsw.limit_in_bytes").c_str(), F_OK) == 0;

  const bool want_v2 = mode == CgroupMode::v2 || mode == CgroupMode::automatic;
  const bool want_v1 = mode == CgroupMode::v1 || (mode == CgroupMode::automatic && !v2_usable);
  if (mode == CgroupMode::none) {
    support.version = "none";
  } else if (want_v2 && v2_usable) {
    support.version = "v2";
  } else if (want_v1 && support.v1_available) {
    support.version = "v1";
  } else {
    support.version = "none";
    support.problem = mode == CgroupMode::v2 ? "cgroup v2 does not offer memory, cpu and pids to this process"
                      : mode == CgroupMode::v1
                          ? "cgroup v1 memory, cpu and pids hierarchies are not all mounted"
                          : "neither cgroup v2 (memory, cpu, pids delegated) nor cgroup v1 controllers are available";
  }
  return support;
}

std::unique_ptr<CgroupDriver> make_cgroup_driver(const CgroupSupport& support) {
  if (support.version == "v2") return std::make_unique<CgroupV2Driver>(support.v2_base);
  if (support.version == "v1") return std::make_unique<CgroupV1Driver>(support.v1_dirs);
  return nullptr;
}

}  // namespace mecapy::sandbox
