// A bounded asynchronous line writer: push() hands a line to one background thread
// and returns at once. When `capacity` lines are already waiting, the line is dropped
// and counted instead, so a caller (a request on the network thread) never waits for
// the log's destination. Lines reach the sink in push order, from the writer thread
// only.
//
// The writer delivers in batches: once woken by a line, it lets more arrive for about
// a millisecond and hands them over together (one write for many lines), and under
// steady load it is never woken per line. flush() waits until every accepted line has
// reached the sink; the destructor flushes, then joins the thread.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace mecapy {

class LogWriter {
 public:
  using BatchSink = std::function<void(const std::vector<std::string>& lines)>;
  using LineSink = std::function<void(std::string_view line)>;

  LogWriter(std::size_t capacity, BatchSink sink);
  // Convenience: the sink receives one line per call.
  LogWriter(std::size_t capacity, const LineSink& sink);
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
  const BatchSink sink_;
  std::mutex mutex_;
  std::condition_variable wake_;  // a line arrived while idle, a flush, or stopping
  std::condition_variable idle_;  // everything accepted was delivered
  std::vector<std::string> queue_;
  bool asleep_ = false;  // waiting for a line with nothing queued
  bool delivering_ = false;
  int flushing_ = 0;
  bool stopping_ = false;
  std::atomic<std::uint64_t> dropped_{0};
  std::thread thread_;  // last: starts once everything above exists
};

}  // namespace mecapy
