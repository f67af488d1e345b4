#include "core/log_writer.hpp"

#include <chrono>

namespace mecapy {
namespace {

constexpr auto kBatchWindow = std::chrono::milliseconds(1);

}  // namespace

LogWriter::LogWriter(std::size_t capacity, BatchSink sink)
    : capacity_(capacity), sink_(std::move(sink)), thread_([this] { run(); }) {}

LogWriter::LogWriter(std::size_t capacity, const LineSink& sink)
    : LogWriter(capacity, BatchSink([sink](const std::vector<std::string>& lines) {
                  for (const auto& line : lines) sink(line);
                })) {}

LogWriter::~LogWriter() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  thread_.join();  // run() drains the queue before it returns
}

bool LogWriter::push(std::string line) {
  bool wake = false;
  {
    std::lock_guard lock(mutex_);
    if (queue_.size() >= capacity_) {
      dropped_.fetch_add(1, std::memory_order_relaxed);
      return false;
    }
    queue_.push_back(std::move(line));
    wake = asleep_;
    asleep_ = false;  // one wake-up per idle period, not one per line
  }
  if (wake) wake_.notify_one();
  return true;
}

void LogWriter::flush() {
  std::unique_lock lock(mutex_);
  ++flushing_;
  wake_.notify_one();
  idle_.wait(lock, [this] { return queue_.empty() && !delivering_; });
  --flushing_;
}

void LogWriter::run() {
  std::unique_lock lock(mutex_);
  std::vector<std::string> batch;
  for (;;) {
    if (queue_.empty()) {
      if (stopping_) return;  // everything was delivered
      asleep_ = true;
      wake_.wait(lock, [this] { return !queue_.empty() || stopping_; });
      asleep_ = false;
      continue;
    }
    // Let a burst gather, unless someone waits for the log.
    wake_.wait_for(lock, kBatchWindow, [this] { return stopping_ || flushing_ > 0; });
    batch.clear();
    batch.swap(queue_);  // deliver without the lock: push() stays a few instructions
    delivering_ = true;
    lock.unlock();
    try {
      sink_(batch);
    } catch (...) {  // a failing destination loses the lines, not the writer
    }
    lock.lock();
    delivering_ = false;
    if (queue_.empty()) idle_.notify_all();
  }
}

}  // namespace mecapy
