// cgroup v2 driver: one unified hierarchy, limits through memory.max,
// memory.swap.max (0: the memory limit includes swap), cpu.max and pids.max; usage
// from memory.peak, memory.events (oom_kill) and cpu.stat (nr_throttled).
#pragma once

#include "sandbox/cgroup.hpp"

namespace mecapy::sandbox {

class CgroupV2Driver final : public CgroupDriver {
 public:
  // `base_dir`: a cgroup this process may create children in, whose
  // cgroup.controllers lists memory, cpu and pids.
  explicit CgroupV2Driver(std::string base_dir);
  std::string_view version() const override { return "v2"; }
  std::vector<std::string> base_dirs() const override { return {base_dir_}; }
  void prepare_pool_dir(const std::string& pool_dir) override;
  std::unique_ptr<CgroupSlot> open_slot(std::vector<std::string> slot_dirs) override;

 private:
  std::string base_dir_;
};

}  // namespace mecapy::sandbox
