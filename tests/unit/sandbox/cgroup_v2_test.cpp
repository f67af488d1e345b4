// The cgroup v2 driver and the slot pool, against a fake cgroup tree in a temp dir
// (this host's controllers are on cgroup v1). The kernel's side is played by the test:
// it provides the files the kernel would and checks what the driver wrote.
#include "sandbox/cgroup_v2.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/errors.hpp"
#include "sandbox/cgroup_pool.hpp"
#include "sandbox/test_sandbox.hpp"

namespace mecapy::sandbox {
namespace {

namespace fs = std::filesystem;
using testing::TempDir;

std::string content(const std::string& path) {
  std::ifstream file(path);
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

void put(const std::string& path, const std::string& text) { std::ofstream(path) << text; }

class FakeCgroupV2 : public ::testing::Test {
 protected:
  TempDir root{"mecapy-fake-cgroup"};
  std::unique_ptr<CgroupPool> pool(unsigned slots = 4) {
    return std::make_unique<CgroupPool>(std::make_unique<CgroupV2Driver>(root.path()), "pool", slots);
  }
  std::string slot_dir(const std::string& name) { return root.path() + "/pool/" + name; }
};

TEST_F(FakeCgroupV2, PoolEnablesTheControllersForItsChildren) {
  auto lease = pool()->acquire();
  EXPECT_EQ(content(root.path() + "/cgroup.subtree_control"), "+memory +cpu +pids");
  EXPECT_EQ(content(root.path() + "/pool/cgroup.subtree_control"), "+memory +cpu +pids");
  EXPECT_EQ(lease.name(), "slot-0");
  EXPECT_TRUE(fs::is_directory(slot_dir("slot-0")));
}

TEST_F(FakeCgroupV2, PrepareWritesEveryLimit) {
  auto lease = pool()->acquire();
  lease.slot().prepare(CgroupLimits{256 * kMiB, 0.5, 64});
  const std::string dir = slot_dir(lease.name());
  EXPECT_EQ(content(dir + "/memory.max"), "268435456");
  EXPECT_EQ(content(dir + "/memory.swap.max"), "0");
  EXPECT_EQ(content(dir + "/cpu.max"), "50000 100000");
  EXPECT_EQ(content(dir + "/pids.max"), "64");
}

TEST_F(FakeCgroupV2, NoCpuQuotaIsMax) {
  auto lease = pool()->acquire();
  lease.slot().prepare(CgroupLimits{kMiB, 0, 1});
  EXPECT_EQ(content(slot_dir(lease.name()) + "/cpu.max"), "max 100000");
}

TEST_F(FakeCgroupV2, UsageCountsOnlyWhatHappenedSincePrepare) {
  auto lease = pool()->acquire();
  const std::string dir = slot_dir(lease.name());
  put(dir + "/memory.events", "low 0\nhigh 0\nmax 3\noom 2\noom_kill 2\n");
  put(dir + "/cpu.stat", "usage_usec 10\nnr_periods 9\nnr_throttled 5\n");
  put(dir + "/memory.peak", "4096\n");
  lease.slot().prepare(CgroupLimits{kMiB, 1, 8});
  put(dir + "/memory.events", "low 0\nhigh 0\nmax 4\noom 3\noom_kill 3\n");
  put(dir + "/cpu.stat", "usage_usec 90\nnr_periods 19\nnr_throttled 12\n");
  put(dir + "/memory.peak", "1048576\n");
  const auto usage = lease.slot().usage();
  EXPECT_EQ(usage.oom_kills, 1u);
  EXPECT_EQ(usage.throttled_periods, 7u);
  EXPECT_EQ(usage.peak_memory_bytes, 1048576u);
}

TEST_F(FakeCgroupV2, AttachAndMembersGoThroughCgroupProcs) {
  auto lease = pool()->acquire();
  EXPECT_EQ(lease.slot().attach(4242), 0);
  EXPECT_EQ(content(slot_dir(lease.name()) + "/cgroup.procs"), "4242");
  put(slot_dir(lease.name()) + "/cgroup.procs", "12\n345\n");
  EXPECT_EQ(lease.slot().member_pids(), (std::vector<pid_t>{12, 345}));
  EXPECT_TRUE(lease.slot().self_attach_files().empty());
  EXPECT_GE(lease.slot().directory_fd(), 0);
}

TEST_F(FakeCgroupV2, ConcurrentLeasesGetDistinctSlotsAndReleasedOnesAreReused) {
  auto shared = pool(2);
  {
    auto first = shared->acquire();
    auto second = shared->acquire();
    EXPECT_NE(first.name(), second.name());
    EXPECT_THROW(shared->acquire(), Error);
  }
  auto again = shared->acquire();
  EXPECT_EQ(again.name(), "slot-0");
  EXPECT_EQ(shared->slot_names().size(), 2u);
}

TEST_F(FakeCgroupV2, LeasesExcludeEachOtherAcrossPoolObjects) {
  auto one = pool();
  auto other = pool();
  auto first = one->acquire();
  auto second = other->acquire();
  EXPECT_EQ(first.name(), "slot-0");
  EXPECT_EQ(second.name(), "slot-1");
}

TEST_F(FakeCgroupV2, UnwritableHierarchyIsReportedAsUnavailable) {
  CgroupPool broken(std::make_unique<CgroupV2Driver>(root.path() + "/missing/deeper"), "pool", 2);
  try {
    broken.acquire();
    FAIL() << "expected an error";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::unavailable);
    EXPECT_NE(std::string(error.what()).find("ENOENT"), std::string::npos) << error.what();
  }
}

}  // namespace
}  // namespace mecapy::sandbox
