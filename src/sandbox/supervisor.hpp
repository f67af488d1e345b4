// Parent-side supervision of a started sandbox: reads stdout and stderr into bounded
// captures, watches the wall clock, the cancel signal and the setup report, stops the
// sandbox (SIGTERM, grace, SIGKILL) when needed and reaps its first process.
// Its own limits: a read takes at most one buffer before the clock is looked at again,
// an overflowing stream is killed at once and read no further, and when watching
// fails (poll errors other than EINTR) the sandbox is killed before the reap, so that
// no flood or error leaves a sandbox running unwatched or past its limits. Processes
// are signalled through pidfds or the cgroup (CgroupSlot), never by a pid number.
#pragma once

#include <sys/resource.h>
#include <sys/types.h>

#include <chrono>
#include <optional>

#include "sandbox/cancel.hpp"
#include "sandbox/cgroup.hpp"
#include "sandbox/child_setup.hpp"
#include "sandbox/limits.hpp"
#include "sandbox/output_capture.hpp"
#include "sandbox/unique_fd.hpp"

namespace mecapy::sandbox {

struct SupervisedProcess {
  pid_t pid = -1;
  int pidfd = -1;
  UniqueFd stdout_pipe;  // read ends, owned by the supervisor
  UniqueFd stderr_pipe;
  UniqueFd report_pipe;
  CgroupSlot* slot = nullptr;  // nullptr without cgroups
};

struct SupervisionReport {
  int wait_status = 0;
  rusage usage{};
  std::optional<ChildFailure> setup_failure;
  bool timed_out = false;
  bool cancelled = false;
  bool output_overflow = false;
  int supervision_error = 0;  // errno of a failed poll: the sandbox was killed
  std::chrono::steady_clock::time_point ended;
};

SupervisionReport supervise(SupervisedProcess& process, const Limits& limits, const CancelSignal* cancel,
                            OutputCapture& out, OutputCapture& err);

}  // namespace mecapy::sandbox
