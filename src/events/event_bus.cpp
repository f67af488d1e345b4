#include "events/event_bus.hpp"

#include "core/log.hpp"

namespace mecapy::events {

Subscription::Subscription(Subscription&& other) noexcept : bus_(other.bus_), id_(other.id_) { other.bus_ = nullptr; }

Subscription& Subscription::operator=(Subscription&& other) noexcept {
  if (this != &other) {
    reset();
    bus_ = other.bus_;
    id_ = other.id_;
    other.bus_ = nullptr;
  }
  return *this;
}

void Subscription::reset() {
  if (bus_) bus_->unsubscribe(id_);
  bus_ = nullptr;
}

void EventBus::publish(const Event& event) noexcept {
  deliver(event);
  if (!relay_) return;
  try {
    relay_(event);
  } catch (const std::exception& e) {
    log_warning(std::string("events: cannot relay ") + event.type + ": " + e.what());
  }
}

void EventBus::deliver(const Event& event) noexcept {
  // Handlers run under the lock, so that unsubscribe() returns only once its handler
  // can no longer be running.
  std::lock_guard lock(mutex_);
  for (const auto& [id, handler] : handlers_) {
    try {
      handler(event);
    } catch (...) {
      log_warning("events: a subscriber threw on " + event.type);
    }
  }
}

Subscription EventBus::subscribe(EventHandler handler) {
  std::lock_guard lock(mutex_);
  const auto id = next_id_++;
  handlers_.emplace(id, std::move(handler));
  return Subscription(this, id);
}

void EventBus::unsubscribe(std::uint64_t id) {
  std::lock_guard lock(mutex_);
  handlers_.erase(id);
}

}  // namespace mecapy::events
