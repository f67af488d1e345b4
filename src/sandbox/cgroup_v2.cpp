// cgroup v2 driver (see cgroup_v2.hpp).
#include "sandbox/cgroup_v2.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

#include "sandbox/file_io.hpp"
#include "sandbox/unique_fd.hpp"

namespace mecapy::sandbox {
namespace {

constexpr std::uint32_t kCpuPeriodUs = 100'000;
constexpr std::string_view kControllers = "+memory +cpu +pids";

class CgroupV2Slot final : public CgroupSlot {
 public:
  explicit CgroupV2Slot(std::string dir) : dir_(std::move(dir)) {}
  ~CgroupV2Slot() override {
    if (peak_fd_ >= 0) ::close(peak_fd_);
    if (dir_fd_ >= 0) ::close(dir_fd_);
  }
  CgroupV2Slot(const CgroupV2Slot&) = delete;
  CgroupV2Slot& operator=(const CgroupV2Slot&) = delete;

  void prepare(const CgroupLimits& limits) override {
    write_cgroup_file(dir_ + "/memory.max", std::to_string(limits.memory_bytes));
    write_cgroup_file(dir_ + "/memory.swap.max", "0");
    write_cgroup_file(dir_ + "/cpu.max",
                      cpu_quota_text(limits.cpus, kCpuPeriodUs) + " " + std::to_string(kCpuPeriodUs));
    write_cgroup_file(dir_ + "/pids.max", std::to_string(limits.pids));
    reset_peak();
    oom_kills_before_ = read_keyed_value(dir_ + "/memory.events", "oom_kill").value_or(0);
    throttled_before_ = read_keyed_value(dir_ + "/cpu.stat", "nr_throttled").value_or(0);
  }

  std::vector<std::string> self_attach_files() const override { return {}; }
  int directory_fd() override {
    if (dir_fd_ < 0) dir_fd_ = ::open(dir_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    return dir_fd_;
  }

  int attach(pid_t pid) override { return write_small_file(dir_ + "/cgroup.procs", std::to_string(pid)); }

  CgroupUsage usage() override {
    CgroupUsage usage;
    usage.peak_memory_bytes = read_peak();
    const auto oom = read_keyed_value(dir_ + "/memory.events", "oom_kill").value_or(0);
    const auto throttled = read_keyed_value(dir_ + "/cpu.stat", "nr_throttled").value_or(0);
    usage.oom_kills = oom >= oom_kills_before_ ? oom - oom_kills_before_ : oom;
    usage.throttled_periods = throttled >= throttled_before_ ? throttled - throttled_before_ : throttled;
    return usage;
  }

  std::optional<std::vector<pid_t>> member_pids() override { return read_pid_list(dir_ + "/cgroup.procs"); }

  bool kill_members() override {
    // Opened without O_CREAT: an older kernel has no such file.
    const UniqueFd kill_file(::open((dir_ + "/cgroup.kill").c_str(), O_WRONLY | O_CLOEXEC));
    if (kill_file && ::write(kill_file.get(), "1", 1) == 1) return true;
    return CgroupSlot::kill_members();
  }

 private:
  // Since Linux 6.12 a write to memory.peak restarts the peak for that open file; on
  // older kernels the peak covers the slot's whole life (an upper bound).
  void reset_peak() {
    if (peak_fd_ < 0) peak_fd_ = ::open((dir_ + "/memory.peak").c_str(), O_RDWR | O_CLOEXEC);
    if (peak_fd_ >= 0) {
      const ssize_t written = ::write(peak_fd_, "reset\n", 6);
      static_cast<void>(written);
    }
  }
  std::uint64_t read_peak() const {
    if (peak_fd_ < 0) return 0;
    char text[32] = {};
    const ssize_t n = ::pread(peak_fd_, text, sizeof text - 1, 0);
    if (n <= 0) return 0;
    return std::strtoull(text, nullptr, 10);
  }

  std::string dir_;
  int peak_fd_ = -1;
  int dir_fd_ = -1;
  std::uint64_t oom_kills_before_ = 0;
  std::uint64_t throttled_before_ = 0;
};

}  // namespace

CgroupV2Driver::CgroupV2Driver(std::string base_dir) : base_dir_(std::move(base_dir)) {}

void CgroupV2Driver::prepare_pool_dir(const std::string& pool_dir) {
  // Children of a v2 group get a controller only when its parent enables it.
  write_cgroup_file(base_dir_ + "/cgroup.subtree_control", kControllers);
  write_cgroup_file(pool_dir + "/cgroup.subtree_control", kControllers);
}

std::unique_ptr<CgroupSlot> CgroupV2Driver::open_slot(std::vector<std::string> slot_dirs) {
  return std::make_unique<CgroupV2Slot>(std::move(slot_dirs.at(0)));
}

}  // namespace mecapy::sandbox
