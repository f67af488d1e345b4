// A bounded pool of connections of any driver. lease() hands out an idle connection
// or opens a new one while fewer than `capacity` exist, and otherwise waits at most
// `wait_limit`, then throws Error(unavailable, "database-busy"): a burst beyond the
// pool answers 503 instead of piling up threads that wait forever. A lease
// returns its connection when destroyed, unless it was marked broken: broken
// connections are closed, so the next lease opens a fresh one. That is how the
// PostgreSQL driver recovers after a server restart.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "core/errors.hpp"

namespace mecapy::db {

template <class Conn>
class ConnectionPool {
 public:
  using Factory = std::function<std::unique_ptr<Conn>()>;

  class Lease {
   public:
    Lease(ConnectionPool* pool, std::unique_ptr<Conn> conn) : pool_(pool), conn_(std::move(conn)) {}
    Lease(Lease&& other) noexcept
        : pool_(std::exchange(other.pool_, nullptr)), conn_(std::move(other.conn_)), broken_(other.broken_) {}
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    Lease& operator=(Lease&&) = delete;
    ~Lease() {
      if (pool_) pool_->give_back(std::move(conn_), broken_);
    }
    Conn& operator*() { return *conn_; }
    Conn* operator->() { return conn_.get(); }
    void mark_broken() { broken_ = true; }

   private:
    ConnectionPool* pool_;
    std::unique_ptr<Conn> conn_;
    bool broken_ = false;
  };

  ConnectionPool(int capacity, std::chrono::milliseconds wait_limit, Factory factory)
      : capacity_(capacity), wait_limit_(wait_limit), factory_(std::move(factory)) {}

  Lease lease() {
    std::unique_lock lock(mutex_);
    if (!available_.wait_for(lock, wait_limit_, [&] { return !idle_.empty() || open_ < capacity_; }))
      throw Error(ErrorKind::unavailable, "database-busy",
                  "The server is busy: every database connection stayed in use. Retry in a moment.",
                  "no pooled connection became free within " + std::to_string(wait_limit_.count()) + " ms (" +
                      std::to_string(capacity_) + " connections)");
    if (!idle_.empty()) {
      auto conn = std::move(idle_.back());
      idle_.pop_back();
      return Lease(this, std::move(conn));
    }
    ++open_;
    lock.unlock();
    try {
      return Lease(this, factory_());
    } catch (...) {
      lock.lock();
      --open_;
      available_.notify_one();
      throw;
    }
  }

 private:
  void give_back(std::unique_ptr<Conn> conn, bool broken) {
    std::lock_guard lock(mutex_);
    if (broken || !conn)
      --open_;
    else
      idle_.push_back(std::move(conn));
    available_.notify_one();
  }

  const int capacity_;
  const std::chrono::milliseconds wait_limit_;
  Factory factory_;
  std::mutex mutex_;
  std::condition_variable available_;
  std::vector<std::unique_ptr<Conn>> idle_;
  int open_ = 0;
};

}  // namespace mecapy::db
