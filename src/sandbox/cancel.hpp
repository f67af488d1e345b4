// A cancellation request for a running sandbox, safe to trigger from any thread (or a
// signal handler): the run stops the sandbox like a timeout and reports `killed`.
#pragma once

namespace mecapy::sandbox {

class CancelSignal {
 public:
  CancelSignal();
  ~CancelSignal();
  CancelSignal(const CancelSignal&) = delete;
  CancelSignal& operator=(const CancelSignal&) = delete;

  void cancel() noexcept;
  bool cancelled() const noexcept;
  int fd() const noexcept { return fd_; }  // readable once cancelled (for poll)

 private:
  int fd_;
};

}  // namespace mecapy::sandbox
