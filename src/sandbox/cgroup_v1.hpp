// cgroup v1 driver: three hierarchies (memory, cpu, pids), each slot being one
// directory in each. Limits through memory.limit_in_bytes and
// memory.memsw.limit_in_bytes (swap included, when the kernel accounts swap),
// cpu.cfs_quota_us and pids.max; usage from memory.max_usage_in_bytes,
// memory.oom_control (oom_kill) and cpu.stat (nr_throttled).
#pragma once

#include "sandbox/cgroup.hpp"

namespace mecapy::sandbox {

struct CgroupV1Dirs {
  std::string memory;  // base directories, one per hierarchy
  std::string cpu;
  std::string pids;
};

class CgroupV1Driver final : public CgroupDriver {
 public:
  explicit CgroupV1Driver(CgroupV1Dirs dirs);
  std::string_view version() const override { return "v1"; }
  std::vector<std::string> base_dirs() const override { return {dirs_.memory, dirs_.cpu, dirs_.pids}; }
  void prepare_pool_dir(const std::string&) override {}
  std::unique_ptr<CgroupSlot> open_slot(std::vector<std::string> slot_dirs) override;

 private:
  CgroupV1Dirs dirs_;
};

}  // namespace mecapy::sandbox
