// Namespace creation: the single clone, the id maps, and cloning straight into a
// cgroup v2 group (exercised on the real unified hierarchy, whichever controllers it
// offers: placement does not need any).
#include "sandbox/namespaces.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include "sandbox/cgroup_detect.hpp"
#include "sandbox/unique_fd.hpp"

namespace mecapy::sandbox {
namespace {

std::string read_all(const std::string& path) {
  std::ifstream file(path);
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

// Clones a child that waits for one byte on `gate` and then exits with status 0.
pid_t start_waiting_child(int* pidfd, int gate, int cgroup_fd = -1) {
  const pid_t pid = clone_into_new_namespaces(pidfd, cgroup_fd);
  if (pid == 0) {
    char byte = 0;
    ::_exit(::read(gate, &byte, 1) == 1 ? 0 : 1);
  }
  return pid;
}

int finish(pid_t pid, int gate_writer) {
  const ssize_t written = ::write(gate_writer, "x", 1);
  static_cast<void>(written);
  int status = -1;
  ::waitpid(pid, &status, 0);
  return status;
}

TEST(SandboxNamespaces, ChildGetsEveryNewNamespaceAndTheMappedIds) {
  int gate[2];
  ASSERT_EQ(::pipe(gate), 0);
  int pidfd = -1;
  const pid_t pid = start_waiting_child(&pidfd, gate[0]);
  ASSERT_GT(pid, 0);
  UniqueFd pidfd_owner(pidfd);
  EXPECT_GE(pidfd, 0);
  EXPECT_EQ(write_id_maps(pid, 65534, 65534), 0);
  std::istringstream uid_map(read_all("/proc/" + std::to_string(pid) + "/uid_map"));
  unsigned inside = 0, outside = 0, count = 0;
  uid_map >> inside >> outside >> count;
  EXPECT_EQ(inside, 65534u);
  EXPECT_EQ(outside, 65534u);
  EXPECT_EQ(count, 1u);
  for (const char* ns : {"user", "pid", "net", "mnt", "ipc", "uts"}) {
    struct stat ours {};
    struct stat child {};
    ASSERT_EQ(::stat((std::string("/proc/self/ns/") + ns).c_str(), &ours), 0);
    ASSERT_EQ(::stat(("/proc/" + std::to_string(pid) + "/ns/" + ns).c_str(), &child), 0);
    EXPECT_NE(ours.st_ino, child.st_ino) << ns;
  }
  EXPECT_EQ(finish(pid, gate[1]), 0);
  ::close(gate[0]);
  ::close(gate[1]);
}

TEST(SandboxNamespaces, CloneIntoCgroupV2PlacesTheChildInTheGroup) {
  const auto support = detect_cgroups(CgroupMode::automatic);
  ASSERT_FALSE(support.v2_base.empty()) << "no cgroup v2 hierarchy mounted";
  const std::string group = support.v2_base + "/mecapy-clone-test-" + std::to_string(::getpid());
  ASSERT_EQ(::mkdir(group.c_str(), 0755), 0);
  {
    UniqueFd group_fd(::open(group.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    int gate[2];
    ASSERT_EQ(::pipe(gate), 0);
    int pidfd = -1;
    const pid_t pid = start_waiting_child(&pidfd, gate[0], group_fd.get());
    ASSERT_GT(pid, 0);
    UniqueFd pidfd_owner(pidfd);
    EXPECT_EQ(read_all(group + "/cgroup.procs"), std::to_string(pid) + "\n");
    EXPECT_EQ(finish(pid, gate[1]), 0);
    ::close(gate[0]);
    ::close(gate[1]);
  }
  EXPECT_EQ(::rmdir(group.c_str()), 0);
}

}  // namespace
}  // namespace mecapy::sandbox
