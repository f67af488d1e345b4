// Namespace creation: the spawn, the prepared user and network namespaces (their id
// maps, their pinning), and cloning straight into a
// cgroup v2 group (exercised on the real unified hierarchy, whichever controllers it
// offers: placement does not need any).
#include "sandbox/namespaces.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include "sandbox/cgroup_detect.hpp"
#include "sandbox/cgroup_v2.hpp"
#include "sandbox/isolation_namespaces.hpp"
#include "sandbox/unique_fd.hpp"

namespace mecapy::sandbox {
namespace {

std::string read_all(const std::string& path) {
  std::ifstream file(path);
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

// Spawns a child that waits for one byte on `gate` (as its standard input) and then
// exits with status 0. The spawn returns once the child has exec'd.
pid_t start_waiting_child(int* pidfd, int gate, int cgroup_fd = -1) {
  return spawn_in_new_namespaces(
      [](void* gate_fd) -> int {
        if (::dup2(*static_cast<int*>(gate_fd), 0) != 0) ::_exit(126);
        const char* argv[] = {"/bin/sh", "-c", "exec head -c 1 >/dev/null", nullptr};
        ::execv(argv[0], const_cast<char* const*>(argv));
        ::_exit(127);
      },
      &gate, pidfd, cgroup_fd);
}

int finish(pid_t pid, int gate_writer) {
  const ssize_t written = ::write(gate_writer, "x", 1);
  static_cast<void>(written);
  int status = -1;
  ::waitpid(pid, &status, 0);
  return status;
}

std::uint64_t inode_of(const std::string& path) {
  struct stat info {};
  EXPECT_EQ(::stat(path.c_str(), &info), 0) << path;
  return info.st_ino;
}

std::uint64_t inode_of_fd(int fd) {
  struct stat info {};
  EXPECT_EQ(::fstat(fd, &info), 0);
  return info.st_ino;
}

constexpr IdMapping kSlotZero{65534, 65534, 1'000'000'000, 1'000'000'000};

TEST(SandboxNamespaces, SpawnCreatesPidIpcAndUtsNamespaces) {
  int gate[2];
  ASSERT_EQ(::pipe(gate), 0);
  int pidfd = -1;
  const pid_t pid = start_waiting_child(&pidfd, gate[0]);
  ASSERT_GT(pid, 0);
  UniqueFd pidfd_owner(pidfd);
  EXPECT_GE(pidfd, 0);
  const std::string child = "/proc/" + std::to_string(pid) + "/ns/";
  for (const char* ns : {"pid", "ipc", "uts"})
    EXPECT_NE(inode_of(std::string("/proc/self/ns/") + ns), inode_of(child + ns)) << ns;
  // The mount namespace comes from the root image, the user and network namespaces
  // from the prepared pair: all are joined by the child itself.
  for (const char* ns : {"mnt", "user", "net"})
    EXPECT_EQ(inode_of(std::string("/proc/self/ns/") + ns), inode_of(child + ns)) << ns;
  EXPECT_EQ(finish(pid, gate[1]), 0);
  ::close(gate[0]);
  ::close(gate[1]);
}

TEST(SandboxNamespaces, PreparedPairMapsOnlyTheSandboxIds) {
  const auto pair = create_isolation_namespaces(IdMapping{65534, 65533, 1'000'000'007, 1'000'000'009});
  ASSERT_TRUE(pair.user);
  ASSERT_TRUE(pair.net);
  EXPECT_NE(inode_of_fd(pair.user.get()), inode_of("/proc/self/ns/user"));
  EXPECT_NE(inode_of_fd(pair.net.get()), inode_of("/proc/self/ns/net"));
  // Join the user namespace in a child and read the maps from there.
  int report[2];
  ASSERT_EQ(::pipe(report), 0);
  const pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    if (::setns(pair.user.get(), CLONE_NEWUSER) != 0) ::_exit(1);
    const std::string maps = read_all("/proc/self/uid_map") + read_all("/proc/self/gid_map");
    const ssize_t written = ::write(report[1], maps.data(), maps.size());
    ::_exit(written > 0 ? 0 : 2);
  }
  ::close(report[1]);
  char buffer[256] = {};
  const ssize_t got = ::read(report[0], buffer, sizeof buffer - 1);
  ::close(report[0]);
  int status = -1;
  ::waitpid(pid, &status, 0);
  ASSERT_EQ(status, 0);
  std::istringstream maps(std::string(buffer, got > 0 ? static_cast<std::size_t>(got) : 0));
  unsigned uid_inside = 0, uid_outside = 0, uid_count = 0, gid_inside = 0, gid_outside = 0, gid_count = 0;
  maps >> uid_inside >> uid_outside >> uid_count >> gid_inside >> gid_outside >> gid_count;
  EXPECT_EQ(uid_inside, 65534u);
  EXPECT_EQ(uid_outside, 1'000'000'007u);
  EXPECT_EQ(uid_count, 1u);
  EXPECT_EQ(gid_inside, 65533u);
  EXPECT_EQ(gid_outside, 1'000'000'009u);
  EXPECT_EQ(gid_count, 1u);
}

TEST(SandboxNamespaces, PinnedPairIsReusedUntilRemoved) {
  const std::string dir = "/run/mecapy-pin-test-" + std::to_string(::getpid());
  SlotNamespaces pins(dir);
  std::uint64_t first_net = 0;
  {
    const auto first = pins.open("slot-0", kSlotZero);
    first_net = inode_of_fd(first.net.get());
  }
  const auto again = pins.open("slot-0", kSlotZero);
  EXPECT_EQ(inode_of_fd(again.net.get()), first_net);
  const auto other_user = pins.open("slot-0", IdMapping{1000, 1000, 1'000'000'000, 1'000'000'000});
  EXPECT_NE(inode_of_fd(other_user.net.get()), first_net);
  EXPECT_NE(read_all("/proc/self/mountinfo").find(dir + "/slot-0/net-65534-65534-1000000000-1000000000"),
            std::string::npos);
  pins.remove("slot-0");
  EXPECT_EQ(::rmdir(dir.c_str()), 0) << "the pin directory should be empty";
  EXPECT_EQ(read_all("/proc/self/mountinfo").find(dir), std::string::npos);
  EXPECT_NE(::access(dir.c_str(), F_OK), 0);
}

TEST(SandboxNamespaces, KeptPairIsReusedPerSlotAndIdsUntilRemoved) {
  SlotNamespaces kept("");
  const auto first = kept.open("slot-0", kSlotZero);
  const auto again = kept.open("slot-0", kSlotZero);
  const auto other_slot = kept.open("slot-1", IdMapping{65534, 65534, 1'000'000'001, 1'000'000'001});
  EXPECT_EQ(inode_of_fd(again.net.get()), inode_of_fd(first.net.get()));
  EXPECT_NE(first.net.get(), again.net.get());  // each caller owns its descriptors
  EXPECT_NE(inode_of_fd(other_slot.net.get()), inode_of_fd(first.net.get()));
  kept.remove("slot-0");
  EXPECT_NE(inode_of_fd(kept.open("slot-0", kSlotZero).net.get()), inode_of_fd(first.net.get()));
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

TEST(SandboxNamespaces, KillMembersEmptiesARealCgroupV2Group) {
  // The unified hierarchy's cgroup.kill needs no controller: the v2 slot's kill path
  // runs against the real kernel here.
  const auto support = detect_cgroups(CgroupMode::automatic);
  ASSERT_FALSE(support.v2_base.empty()) << "no cgroup v2 hierarchy mounted";
  const std::string group = support.v2_base + "/mecapy-kill-test-" + std::to_string(::getpid());
  ASSERT_EQ(::mkdir(group.c_str(), 0755), 0);
  ASSERT_EQ(::access((group + "/cgroup.kill").c_str(), W_OK), 0) << "this kernel has no cgroup.kill";
  {
    CgroupV2Driver driver(support.v2_base);
    auto slot = driver.open_slot({group});
    int gate[2];
    ASSERT_EQ(::pipe(gate), 0);
    int pidfd = -1;
    const pid_t pid = start_waiting_child(&pidfd, gate[0], slot->directory_fd());
    ASSERT_GT(pid, 0);
    UniqueFd pidfd_owner(pidfd);
    EXPECT_EQ(slot->member_pids(), std::optional(std::vector<pid_t>{pid}));
    EXPECT_TRUE(slot->kill_members());
    pollfd exit{pidfd, POLLIN, 0};
    if (::poll(&exit, 1, 10'000) != 1) {  // not killed: let it end (a hang detector)
      const ssize_t written = ::write(gate[1], "x", 1);
      static_cast<void>(written);
    }
    int status = 0;
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) << status;
    EXPECT_EQ(slot->member_pids(), std::optional(std::vector<pid_t>{}));
    ::close(gate[0]);
    ::close(gate[1]);
  }
  EXPECT_EQ(::rmdir(group.c_str()), 0);
}

}  // namespace
}  // namespace mecapy::sandbox
