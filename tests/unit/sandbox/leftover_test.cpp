// Nothing survives a run: after 1,000 sandboxes there is no leftover process, mount,
// temp dir, descriptor or cgroup (the pool's slot and its prepared namespaces are
// reused, never multiplied, and removed on request).
#include <gtest/gtest.h>
#include <sys/types.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "sandbox/test_sandbox.hpp"

namespace mecapy::sandbox {
namespace {

namespace fs = std::filesystem;

std::string read_all(const std::string& path) {
  std::ifstream file(path);
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

std::set<std::string> entries(const std::string& dir, const std::string& containing = "") {
  std::set<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    if (name.find(containing) != std::string::npos) names.insert(name);
  }
  return names;
}

std::size_t count_children_of(pid_t parent) {
  std::size_t children = 0;
  for (const auto& entry : fs::directory_iterator("/proc")) {
    const std::string stat = read_all((entry.path() / "stat").string());
    const auto close = stat.rfind(')');
    if (close == std::string::npos) continue;
    std::istringstream fields(stat.substr(close + 2));
    char state = 0;
    pid_t ppid = 0;
    fields >> state >> ppid;
    if (ppid == parent) ++children;
  }
  return children;
}

std::string pool_name() { return "mecapy-test-" + std::to_string(::getpid()); }

// Host processes whose cgroup path (in any hierarchy) contains `name`.
std::size_t processes_in_cgroups_named(const std::string& name) {
  std::size_t found = 0;
  for (const auto& entry : fs::directory_iterator("/proc"))
    if (read_all((entry.path() / "cgroup").string()).find(name) != std::string::npos) ++found;
  return found;
}

// The host's mounts, leaving out the namespace pins of mecapy-sandbox commands that
// other tests run meanwhile (a library Sandbox like this one pins nothing).
std::string own_mounts() {
  std::istringstream lines(read_all("/proc/self/mountinfo"));
  std::string kept, line;
  while (std::getline(lines, line))
    if (line.find(" - nsfs ") == std::string::npos) kept += line + "\n";
  return kept;
}

TEST(SandboxLeftovers, ThousandRunsLeaveNothingBehind) {
  auto& sandbox = testing::test_sandbox();
  ASSERT_NE(sandbox.cgroup_pool(), nullptr);
  SandboxSpec warmup;
  warmup.argv = {"/bin/true"};
  ASSERT_EQ(sandbox.run(warmup).reason, Reason::ok);

  const std::string mounts_before = own_mounts();
  // The temp dir (the staging point of the new roots) is shared with the rest of the
  // machine and other tests: only what the sandbox itself would create counts.
  const auto oldroots_before = entries(fs::temp_directory_path().string(), "oldroot");
  const auto fds_before = entries("/proc/self/fd");
  std::set<pid_t> started;

  SandboxSpec spec;
  spec.argv = {"/bin/sh", "-c", "sleep 5 & exit 0"};  // leaves a child behind on purpose
  spec.on_started = [&](pid_t pid) { started.insert(pid); };
  for (int i = 0; i < 1000; ++i) {
    spec.argv[0] = i % 10 == 0 ? "/bin/sh" : "/bin/true";
    const auto result = sandbox.run(spec);
    ASSERT_EQ(result.reason, Reason::ok) << "run " << i << ": " << result.message;
  }

  EXPECT_EQ(started.size(), 1000u);
  EXPECT_EQ(processes_in_cgroups_named(pool_name()), 0u);
  EXPECT_EQ(count_children_of(::getpid()), 0u);
  EXPECT_EQ(own_mounts(), mounts_before);
  EXPECT_EQ(read_all("/proc/self/mountinfo").find(pool_name()), std::string::npos);
  EXPECT_EQ(entries(fs::temp_directory_path().string(), "oldroot"), oldroots_before);
  EXPECT_EQ(entries("/proc/self/fd"), fds_before);

  // One slot served every sequential run, and it is empty.
  auto* pool = sandbox.cgroup_pool();
  EXPECT_EQ(pool->slot_names(), std::vector<std::string>{"slot-0"});
  EXPECT_EQ(sandbox.remove_idle_slots(), 1u);
  for (const auto& dir : pool->pool_dirs()) EXPECT_FALSE(fs::exists(dir)) << dir;
}

}  // namespace
}  // namespace mecapy::sandbox
