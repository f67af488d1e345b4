// A run's stdout and stderr between the sandbox and the job log. The sandbox's reader
// (the run's thread) adds pieces as it reads them; the worker's heartbeat takes them
// every few hundred milliseconds and appends them to the job log (job_log.hpp).
//
// What take() gives: consecutive pieces of one stream joined into one entry (at most
// kMaxEntry bytes each), every entry valid UTF-8 without NUL — malformed bytes and NUL
// become U+FFFD, since the log is text (PostgreSQL text holds no NUL). A character cut
// between two reads is kept back until its end arrives, unless the take is the last.
// Thread-safe.
#pragma once

#include <cstddef>
#include <mutex>
#include <string_view>
#include <vector>

#include "jobs/job_log.hpp"

namespace mecapy::jobs {

class OutputBuffer {
 public:
  static constexpr std::size_t kMaxEntry = std::size_t{64} << 10;

  void add(std::string_view kind, std::string_view piece);
  std::vector<LogEntry> take(bool last);

 private:
  std::string& held(std::string_view kind) { return kind == "stderr" ? held_stderr_ : held_stdout_; }

  std::mutex mutex_;
  std::vector<LogEntry> pending_;  // raw bytes, in the order read
  std::string held_stdout_;        // a character's first bytes, waiting for the rest
  std::string held_stderr_;
};

}  // namespace mecapy::jobs
