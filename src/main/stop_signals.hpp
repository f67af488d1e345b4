// Waiting for SIGTERM or SIGINT in a process that serves no HTTP (`mecapyd worker`;
// the HTTP server has its own). Signal handlers rather than a blocked mask: a mask is
// inherited by every thread and child process, a handler is reset at exec, and it
// catches a signal whichever thread the kernel delivers it to. One instance per
// process; the previous handlers are restored when it is destroyed.
#pragma once

#include <csignal>

namespace mecapy {

class StopSignals {
 public:
  StopSignals();   // from here on, SIGTERM and SIGINT no longer end the process
  ~StopSignals();  // the previous handlers again
  StopSignals(const StopSignals&) = delete;
  StopSignals& operator=(const StopSignals&) = delete;

  // Blocks until SIGTERM or SIGINT arrives (returns at once for one that arrived
  // since construction); returns the signal's number.
  int wait();

 private:
  struct sigaction previous_term_ {};
  struct sigaction previous_int_ {};
};

}  // namespace mecapy
