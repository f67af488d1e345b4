// cgroup v1 driver (see cgroup_v1.hpp).
#include "sandbox/cgroup_v1.hpp"

#include <unistd.h>

#include "sandbox/file_io.hpp"

namespace mecapy::sandbox {
namespace {

constexpr std::uint32_t kCpuPeriodUs = 100'000;

class CgroupV1Slot final : public CgroupSlot {
 public:
  CgroupV1Slot(std::string memory, std::string cpu, std::string pids)
      : memory_(std::move(memory)), cpu_(std::move(cpu)), pids_(std::move(pids)) {}

  void prepare(const CgroupLimits& limits) override {
    write_memory_limit(limits.memory_bytes);
    write_cgroup_file(memory_ + "/memory.max_usage_in_bytes", "0");
    write_cgroup_file(cpu_ + "/cpu.cfs_period_us", std::to_string(kCpuPeriodUs));
    const std::string quota = cpu_quota_text(limits.cpus, kCpuPeriodUs);
    write_cgroup_file(cpu_ + "/cpu.cfs_quota_us", quota == "max" ? "-1" : quota);
    write_cgroup_file(pids_ + "/pids.max", std::to_string(limits.pids));
    oom_kills_before_ = read_keyed_value(memory_ + "/memory.oom_control", "oom_kill").value_or(0);
    throttled_before_ = read_keyed_value(cpu_ + "/cpu.stat", "nr_throttled").value_or(0);
  }

  std::vector<std::string> self_attach_files() const override {
    return {memory_ + "/tasks", cpu_ + "/tasks", pids_ + "/tasks"};
  }
  int directory_fd() override { return -1; }

  int attach(pid_t pid) override {
    const std::string text = std::to_string(pid);
    for (const auto* dir : {&memory_, &cpu_, &pids_})
      if (const int error = write_small_file(*dir + "/cgroup.procs", text)) return error;
    return 0;
  }

  CgroupUsage usage() override {
    CgroupUsage usage;
    usage.peak_memory_bytes = read_number_file(memory_ + "/memory.max_usage_in_bytes").value_or(0);
    const auto oom = read_keyed_value(memory_ + "/memory.oom_control", "oom_kill").value_or(0);
    const auto throttled = read_keyed_value(cpu_ + "/cpu.stat", "nr_throttled").value_or(0);
    usage.oom_kills = oom >= oom_kills_before_ ? oom - oom_kills_before_ : oom;
    usage.throttled_periods = throttled >= throttled_before_ ? throttled - throttled_before_ : throttled;
    return usage;
  }

  std::optional<std::vector<pid_t>> member_pids() override { return read_pid_list(memory_ + "/cgroup.procs"); }

 private:
  // memsw (memory + swap) must never be below the memory limit, so the order of the
  // two writes depends on whether the limit goes up or down; without swap accounting
  // (no memsw file) the memory limit alone is written.
  void write_memory_limit(std::uint64_t bytes) {
    const std::string value = std::to_string(bytes);
    const std::string memsw = memory_ + "/memory.memsw.limit_in_bytes";
    const bool has_memsw = ::access(memsw.c_str(), F_OK) == 0;
    const bool memsw_first = has_memsw && write_small_file(memsw, value) == 0;
    write_cgroup_file(memory_ + "/memory.limit_in_bytes", value);
    if (has_memsw && !memsw_first) write_cgroup_file(memsw, value);
  }

  std::string memory_, cpu_, pids_;
  std::uint64_t oom_kills_before_ = 0;
  std::uint64_t throttled_before_ = 0;
};

}  // namespace

CgroupV1Driver::CgroupV1Driver(CgroupV1Dirs dirs) : dirs_(std::move(dirs)) {}

std::unique_ptr<CgroupSlot> CgroupV1Driver::open_slot(std::vector<std::string> slot_dirs) {
  return std::make_unique<CgroupV1Slot>(std::move(slot_dirs.at(0)), std::move(slot_dirs.at(1)),
                                        std::move(slot_dirs.at(2)));
}

}  // namespace mecapy::sandbox
