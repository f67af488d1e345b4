// The cgroup v2 driver and the slot pool, against a fake cgroup tree in a temp dir
// (this host's controllers are on cgroup v1). The kernel's side is played by the test:
// it provides the files the kernel would and checks what the driver wrote.
#include "sandbox/cgroup_v2.hpp"

#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/errors.hpp"
#include "sandbox/cgroup_pool.hpp"
#include "sandbox/test_sandbox.hpp"
#include "sandbox/unique_fd.hpp"

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
  EXPECT_EQ(lease.slot().member_pids(), std::optional(std::vector<pid_t>{12, 345}));
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

TEST_F(FakeCgroupV2, SlotWithAnUnreadableProcessListIsQuarantinedNotLeased) {
  auto shared = pool();
  fs::create_directories(slot_dir("slot-0") + "/cgroup.procs");  // a directory: reads fail
  {
    auto lease = shared->acquire();
    EXPECT_EQ(lease.name(), "slot-1");
  }
  EXPECT_EQ(shared->quarantined_slots(), std::vector<std::string>{"slot-0"});
  EXPECT_EQ(shared->acquire().name(), "slot-1");  // released, and still not slot-0
  EXPECT_EQ(shared->remove_idle_slots(), 1u);     // slot-1 only
  EXPECT_TRUE(fs::is_directory(slot_dir("slot-0")));
}

// A leftover process listed in a slot's fake cgroup.procs (the fake kernel never
// empties it: the slot stays busy and the next one is leased).
class LeftoverProcess {
 public:
  LeftoverProcess() : pid_(::fork()) {
    if (pid_ == 0)
      for (;;) ::pause();
  }
  ~LeftoverProcess() {
    ::kill(pid_, SIGKILL);
    reap();
  }
  LeftoverProcess(const LeftoverProcess&) = delete;
  LeftoverProcess& operator=(const LeftoverProcess&) = delete;
  pid_t pid() const { return pid_; }
  // The signal that ended it, 0 while it runs. With `expect_end`, first gives it
  // time to die (a hang detector, not a timing claim).
  int end_signal(bool expect_end = false) {
    if (expect_end) {
      const UniqueFd pidfd(static_cast<int>(::syscall(SYS_pidfd_open, pid_, 0)));
      pollfd exit{pidfd.get(), POLLIN, 0};
      ::poll(&exit, 1, 10'000);
    }
    if (status_ == 0 && ::waitpid(pid_, &status_, WNOHANG) == 0) return 0;
    return WIFSIGNALED(status_) ? WTERMSIG(status_) : -1;
  }

 private:
  void reap() {
    if (status_ == 0) ::waitpid(pid_, &status_, 0);
  }
  pid_t pid_;
  int status_ = 0;
};

TEST_F(FakeCgroupV2, LeftoversAreKilledThroughCgroupKillWhenTheKernelHasIt) {
  LeftoverProcess leftover;
  fs::create_directories(slot_dir("slot-0"));
  put(slot_dir("slot-0") + "/cgroup.procs", std::to_string(leftover.pid()) + "\n");
  put(slot_dir("slot-0") + "/cgroup.kill", "");
  EXPECT_EQ(pool()->acquire().name(), "slot-1");
  EXPECT_EQ(content(slot_dir("slot-0") + "/cgroup.kill"), "1");
  EXPECT_EQ(leftover.end_signal(), 0) << "signalled by its pid number";
}

TEST_F(FakeCgroupV2, WithoutCgroupKillLeftoversAreKilledThroughPidfds) {
  LeftoverProcess leftover;
  fs::create_directories(slot_dir("slot-0"));
  put(slot_dir("slot-0") + "/cgroup.procs", std::to_string(leftover.pid()) + "\n");
  EXPECT_EQ(pool()->acquire().name(), "slot-1");
  EXPECT_FALSE(fs::exists(slot_dir("slot-0") + "/cgroup.kill"));
  EXPECT_EQ(leftover.end_signal(true), SIGKILL);
}

}  // namespace
}  // namespace mecapy::sandbox
