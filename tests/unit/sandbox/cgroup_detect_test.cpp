// Detection of cgroup v1 / v2 from (fake) /proc/self/mountinfo and /proc/self/cgroup.
#include "sandbox/cgroup_detect.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "sandbox/test_sandbox.hpp"

namespace mecapy::sandbox {
namespace {

using testing::TempDir;

class CgroupDetection : public ::testing::Test {
 protected:
  TempDir dir{"mecapy-detect"};
  std::string mountinfo = dir.path() + "/mountinfo";
  std::string cgroup = dir.path() + "/cgroup";

  // A hybrid host: v1 controllers mounted under ROOT, an empty v2 hierarchy.
  void write_hybrid_host(const std::string& root) {
    std::ofstream(mountinfo) << "31 23 0:28 / " << root << " rw - tmpfs tmpfs rw\n"
                             << "32 31 0:29 / " << root << "/cpu,cpuacct rw - cgroup cgroup rw,cpu,cpuacct\n"
                             << "35 31 0:32 / " << root << "/memory rw - cgroup cgroup rw,memory\n"
                             << "39 31 0:36 / " << root << "/pids rw - cgroup cgroup rw,pids\n"
                             << "41 31 0:38 / " << root << "/unified rw - cgroup2 cgroup2 rw\n";
    std::ofstream(cgroup) << "8:pids:/\n4:memory:/jobs/worker\n1:cpu,cpuacct:/\n0::/\n";
    std::filesystem::create_directories(root + "/unified");
    std::ofstream(root + "/unified/cgroup.controllers") << "hugetlb\n";
    std::filesystem::create_directories(root + "/memory/jobs/worker");
    std::ofstream(root + "/memory/jobs/worker/memory.memsw.limit_in_bytes") << "9223372036854771712\n";
  }
  // A pure v2 host whose cgroup offers the three controllers.
  void write_unified_host(const std::string& root, const std::string& controllers) {
    std::ofstream(mountinfo) << "30 23 0:27 / " << root << " rw - cgroup2 cgroup2 rw,nsdelegate\n";
    std::ofstream(cgroup) << "0::/system.slice/mecapy.service\n";
    std::filesystem::create_directories(root + "/system.slice/mecapy.service");
    std::ofstream(root + "/system.slice/mecapy.service/cgroup.controllers") << controllers << "\n";
  }
};

TEST_F(CgroupDetection, HybridHostUsesV1UnderOurOwnGroups) {
  const std::string root = dir.path() + "/sys";
  write_hybrid_host(root);
  const auto support = detect_cgroups(CgroupMode::automatic, mountinfo, cgroup);
  EXPECT_EQ(support.version, "v1");
  EXPECT_EQ(support.v1_dirs.memory, root + "/memory/jobs/worker");
  EXPECT_EQ(support.v1_dirs.cpu, root + "/cpu,cpuacct");
  EXPECT_EQ(support.v1_dirs.pids, root + "/pids");
  EXPECT_TRUE(support.v1_swap_accounting);
  EXPECT_EQ(support.v2_controllers, std::vector<std::string>{"hugetlb"});
  EXPECT_TRUE(support.problem.empty());
  EXPECT_EQ(make_cgroup_driver(support)->version(), "v1");
}

TEST_F(CgroupDetection, HybridHostCannotBeForcedToV2) {
  write_hybrid_host(dir.path() + "/sys");
  const auto support = detect_cgroups(CgroupMode::v2, mountinfo, cgroup);
  EXPECT_EQ(support.version, "none");
  EXPECT_NE(support.problem.find("cgroup v2"), std::string::npos);
}

TEST_F(CgroupDetection, UnifiedHostWithDelegatedControllersUsesV2) {
  const std::string root = dir.path() + "/cg2";
  write_unified_host(root, "cpuset cpu io memory pids");
  const auto support = detect_cgroups(CgroupMode::automatic, mountinfo, cgroup);
  EXPECT_EQ(support.version, "v2");
  EXPECT_EQ(support.v2_base, root + "/system.slice/mecapy.service");
  EXPECT_FALSE(support.v1_available);
  EXPECT_EQ(make_cgroup_driver(support)->version(), "v2");
}

TEST_F(CgroupDetection, UnifiedHostWithoutPidsControllerHasNoUsableCgroup) {
  write_unified_host(dir.path() + "/cg2", "cpu memory");
  const auto support = detect_cgroups(CgroupMode::automatic, mountinfo, cgroup);
  EXPECT_EQ(support.version, "none");
  EXPECT_FALSE(support.problem.empty());
  EXPECT_EQ(make_cgroup_driver(support), nullptr);
}

TEST_F(CgroupDetection, NoneIsAlwaysAvailableOnRequest) {
  write_unified_host(dir.path() + "/cg2", "cpu memory pids");
  const auto support = detect_cgroups(CgroupMode::none, mountinfo, cgroup);
  EXPECT_EQ(support.version, "none");
  EXPECT_TRUE(support.problem.empty());
}

TEST(CgroupDetectionOnThisHost, FindsTheControllersTheHostMounts) {
  const auto support = detect_cgroups(CgroupMode::automatic);
  ASSERT_TRUE(support.problem.empty()) << support.problem;
  EXPECT_TRUE(support.version == "v1" || support.version == "v2") << support.version;
}

TEST(CgroupDetectionOnThisHost, UsualLayoutShortcutAgreesWithMountinfo) {
  const auto quick = detect_cgroups(CgroupMode::automatic);
  // Another path to the same file: the mounts are then read from mountinfo.
  const auto full = detect_cgroups(CgroupMode::automatic, "/proc/thread-self/mountinfo");
  EXPECT_EQ(quick.version, full.version);
  EXPECT_EQ(quick.v2_base, full.v2_base);
  EXPECT_EQ(quick.v2_controllers, full.v2_controllers);
  EXPECT_EQ(quick.v1_available, full.v1_available);
  EXPECT_EQ(quick.v1_swap_accounting, full.v1_swap_accounting);
  // The shortcut names controllers by their directory; mountinfo may name a
  // co-mounted hierarchy (cpu,cpuacct): both must be the same directory.
  for (const auto& [a, b] :
       {std::pair{quick.v1_dirs.memory, full.v1_dirs.memory}, std::pair{quick.v1_dirs.cpu, full.v1_dirs.cpu},
        std::pair{quick.v1_dirs.pids, full.v1_dirs.pids}})
    EXPECT_TRUE(a == b || std::filesystem::equivalent(a, b)) << a << " vs " << b;
}

}  // namespace
}  // namespace mecapy::sandbox
