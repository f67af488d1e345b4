// The per-process limits of a sandbox (setrlimit): CPU time, open files, file size,
// no core dumps. Planned in the parent from Limits, applied by the child before exec
// without allocating.
#pragma once

#include <sys/resource.h>

#include <array>
#include <cstddef>

#include "sandbox/limits.hpp"

namespace mecapy::sandbox {

class RlimitPlan {
 public:
  static RlimitPlan from(const Limits& limits);
  // Applies every entry; returns 0 or the errno of the first failure.
  int apply() const noexcept;

  struct Entry {
    int resource;
    rlimit value;
  };
  const Entry* begin() const { return entries_.data(); }
  const Entry* end() const { return entries_.data() + count_; }

 private:
  void add(int resource, rlim_t soft, rlim_t hard);
  std::array<Entry, 6> entries_{};
  std::size_t count_ = 0;
};

}  // namespace mecapy::sandbox
