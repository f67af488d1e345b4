// A bounded asynchronous line writer: push() hands a line to one background thread
// and returns at once. When `capacity` lines are already waiting, the line is dropped
// and counted instead, so a caller (a request on the network thread) never waits for
// the log's destination. Lines reach the sink in push order, from the writer thread
// only. flush() waits until every accepted line has reached the sink; the destructor
// flushes, then joins the thread.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

namespace mecapy {

class LogWriter {
 public:
  LogWriter(std::size_t capacity, std::function<void(std::string_view)> sink);
  ~LogWriter();
  LogWriter(const LogWriter&) = delete;
  LogWriter& operator=(const LogWriter&) = delete;

  // False when the queue was full: the line is dropped and counted.
  bool push(std::string line);
  void flush();
  std::uint64_t dropped() const { return dropped_.load(std::memory_order_relaxed); }

 private:
  void run();

  const std::size_t capacity_;
  const std::function<void(std::string_view)> sink_;
  std::mutex mutex_;
  std::condition_variable wake_;  // lines arrived, or stopping
  std::condition_variable idle_;  // everything accepted was delivered
  std::deque<std::string> queue_;
  bool delivering_ = false;
  bool stopping_ = false;
  std::atomic<std::uint64_t> dropped_{0};
  std::thread thread_;  // last: starts once everything above exists
};

}  // namespace mecapy
