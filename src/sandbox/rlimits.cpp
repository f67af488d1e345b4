// rlimits of sandboxed processes (see rlimits.hpp).
#include "sandbox/rlimits.hpp"

#include <cerrno>

namespace mecapy::sandbox {

void RlimitPlan::add(int resource, rlim_t soft, rlim_t hard) {
  entries_.at(count_++) = Entry{resource, rlimit{soft, hard}};
}

RlimitPlan RlimitPlan::from(const Limits& limits) {
  RlimitPlan plan;
  if (limits.cpu_time.count() > 0) {
    // SIGXCPU at the limit, SIGKILL one second later if it is ignored.
    const auto seconds = static_cast<rlim_t>(limits.cpu_time.count());
    plan.add(RLIMIT_CPU, seconds, seconds + 1);
  }
  plan.add(RLIMIT_NOFILE, limits.open_files, limits.open_files);
  plan.add(RLIMIT_FSIZE, limits.file_size_bytes, limits.file_size_bytes);
  plan.add(RLIMIT_CORE, 0, 0);
  constexpr rlim_t kLockedMemoryBytes = rlim_t{64} * 1024;
  plan.add(RLIMIT_MEMLOCK, kLockedMemoryBytes, kLockedMemoryBytes);
  return plan;
}

int RlimitPlan::apply() const noexcept {
  for (const auto& entry : *this)
    if (::setrlimit(static_cast<__rlimit_resource>(entry.resource), &entry.value) != 0) return errno;
  return 0;
}

}  // namespace mecapy::sandbox
