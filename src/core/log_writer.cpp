#include "core/log_writer.hpp"

namespace mecapy {

LogWriter::LogWriter(std::size_t capacity, std::function<void(std::string_view)> sink)
    : capacity_(capacity), sink_(std::move(sink)), thread_([this] { run(); }) {}

LogWriter::~LogWriter() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  thread_.join();  // run() drains the queue before it returns
}

bool LogWriter::push(std::string line) {
  {
    std::lock_guard lock(mutex_);
    if (queue_.size() >= capacity_) {
      dropped_.fetch_add(1, std::memory_order_relaxed);
      return false;
    }
    queue_.push_back(std::move(line));
  }
  wake_.notify_one();
  return true;
}

void LogWriter::flush() {
  std::unique_lock lock(mutex_);
  idle_.wait(lock, [this] { return queue_.empty() && !delivering_; });
}

void LogWriter::run() {
  std::unique_lock lock(mutex_);
  for (;;) {
    wake_.wait(lock, [this] { return !queue_.empty() || stopping_; });
    if (queue_.empty()) return;  // stopping, and everything was delivered
    std::deque<std::string> batch;
    batch.swap(queue_);  // deliver without the lock: push() stays a few instructions
    delivering_ = true;
    lock.unlock();
    for (const auto& line : batch) {
      try {
        sink_(line);
      } catch (...) {  // a failing destination loses the line, not the writer
      }
    }
    lock.lock();
    delivering_ = false;
    if (queue_.empty()) idle_.notify_all();
  }
}

}  // namespace mecapy
