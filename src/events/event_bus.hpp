// The internal event bus: what happened to jobs and files, for whoever waits on it (a
// synchronous execute, a server-sent-events stream, an idle worker slot).
//
// publish() delivers to this process's subscribers at once, on the publishing thread,
// then hands the event to the relay (relay.hpp), which carries it to the other
// instances sharing the database (PostgreSQL NOTIFY); events arriving from them come in
// through deliver(), which reaches local subscribers only.
//
// Delivery is a wake-up, not a record: an event may be lost (a relay down, a
// subscriber that joined a moment late), so every subscriber also looks at the state
// itself (the job row, its log) on a slow timer. Handlers must be quick (set a flag,
// post a wake-up), must not throw, and must not subscribe or unsubscribe from inside
// a handler; once a Subscription is destroyed its handler is never called again.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace mecapy::events {

struct Event {
  std::string type;     // job.queued, job.started, job.output, job.finished, file.uploaded
  std::string subject;  // the job's or the file's id
  std::string owner;    // whose it is
};

using EventHandler = std::function<void(const Event&)>;
using EventRelay = std::function<void(const Event&)>;

class EventBus;

// Unsubscribes when destroyed (or reset).
class Subscription {
 public:
  Subscription() = default;
  Subscription(EventBus* bus, std::uint64_t id) : bus_(bus), id_(id) {}
  Subscription(Subscription&& other) noexcept;
  Subscription& operator=(Subscription&& other) noexcept;
  ~Subscription() { reset(); }
  void reset();

 private:
  EventBus* bus_ = nullptr;
  std::uint64_t id_ = 0;
};

class EventBus {
 public:
  void publish(const Event& event) noexcept;
  void deliver(const Event& event) noexcept;
  Subscription subscribe(EventHandler handler);
  // Where published events go besides this process (set once, before publishing starts).
  void set_relay(EventRelay relay) { relay_ = std::move(relay); }

 private:
  friend class Subscription;
  void unsubscribe(std::uint64_t id);

  std::mutex mutex_;
  std::map<std::uint64_t, EventHandler> handlers_;
  std::uint64_t next_id_ = 1;
  EventRelay relay_;
};

}  // namespace mecapy::events
