// A pool of pre-created cgroups reused across runs. Creating and removing a cgroup
// per run costs a lot more than writing a few limit files into an existing one, and
// it makes the tail latency spiky; so slots ("<base>/<pool>/slot-N") are created on
// first need and then kept. A slot is leased under an exclusive flock(2) on its
// directory: leases exclude each other across threads and processes, and a crashed
// owner's lock goes away with it. A slot still holding processes (its owner died
// mid-run) is emptied with SIGKILL before it is leased again (CgroupSlot::kill_members:
// cgroup.kill or pidfds, never a pid number that may have been recycled).
// A slot whose process list cannot be read is quarantined: nothing can be said of what
// runs in it, so it is never leased (nor its prepared namespaces reused) or removed by
// this pool again; quarantined_slots() reports it. Another process finds it the same
// way (the check is made at every lease).
// remove_idle_slots() deletes every slot nobody holds (mecapy-sandbox --cleanup).
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "sandbox/cgroup.hpp"

namespace mecapy::sandbox {

class CgroupPool {
 public:
  // At most `max_slots` slots exist, hence at most that many concurrent runs.
  CgroupPool(std::unique_ptr<CgroupDriver> driver, const std::string& pool_name, unsigned max_slots = 256);

  class Lease {
   public:
    Lease(int lock_fd, std::string name, std::unique_ptr<CgroupSlot> slot, unsigned index);
    Lease(Lease&& other) noexcept;
    Lease& operator=(Lease&&) = delete;
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    ~Lease();
    CgroupSlot& slot() { return *slot_; }
    const std::string& name() const { return name_; }
    unsigned index() const { return index_; }  // N of "slot-N", below max_slots

   private:
    int lock_fd_;
    std::string name_;
    std::unique_ptr<CgroupSlot> slot_;
    unsigned index_;
  };

  // A free, empty slot. Throws mecapy::Error(unavailable) when all are busy or the
  // hierarchy refuses new groups.
  Lease acquire();

  // Removes every slot not leased by anyone (calling `on_removed` with its name while
  // still holding its lock), then the pool directories if they are empty. Returns the
  // number of slots removed.
  std::size_t remove_idle_slots(const std::function<void(const std::string&)>& on_removed = {});

  // Names of the slot directories that exist now.
  std::vector<std::string> slot_names() const;

  // The slots found with an unreadable process list, sorted.
  std::vector<std::string> quarantined_slots() const;

  std::string_view version() const { return driver_->version(); }
  const std::vector<std::string>& pool_dirs() const { return pool_dirs_; }

 private:
  void ensure_pool_dirs();
  std::vector<std::string> slot_dirs(const std::string& name) const;
  void quarantine(const std::string& name);
  bool is_quarantined(const std::string& name) const;

  std::unique_ptr<CgroupDriver> driver_;
  std::vector<std::string> pool_dirs_;
  unsigned max_slots_;
  std::once_flag pool_dirs_ready_;
  mutable std::mutex quarantine_mutex_;
  std::set<std::string> quarantined_;
};

}  // namespace mecapy::sandbox
