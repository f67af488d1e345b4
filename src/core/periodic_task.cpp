#include "core/periodic_task.hpp"

#include "core/errors.hpp"
#include "core/log.hpp"

namespace mecapy {

PeriodicTask::PeriodicTask(std::string name, std::chrono::milliseconds period, std::function<void()> work)
    : name_(std::move(name)), period_(period), work_(std::move(work)), thread_([this] { loop(); }) {}

PeriodicTask::~PeriodicTask() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void PeriodicTask::loop() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    lock.unlock();
    try {
      work_();
    } catch (const std::exception& e) {
      log_warning(name_ + " failed: " + operator_message(e));
    }
    lock.lock();
    wake_.wait_for(lock, period_, [this] { return stopping_; });
  }
}

}  // namespace mecapy
