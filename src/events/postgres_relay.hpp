// Carries the bus's events between instances sharing one PostgreSQL database: each
// published event is sent with NOTIFY on channel `mecapy_events` (through the shared
// pool, after the change it announces has been committed), and a NotificationListener
// delivers what the other instances send. An instance ignores its own notifications
// (they reached its subscribers at publish time already): each payload names its
// origin.
//
// Payload: {"o": origin, "t": type, "s": subject, "u": owner}, well under PostgreSQL's
// 8000-byte limit (ids and types are short).
#pragma once

#include <memory>
#include <string>

#include "db/database.hpp"
#include "db/notification_listener.hpp"
#include "events/event_bus.hpp"

namespace mecapy::events {

class PostgresRelay {
 public:
  // Attaches itself as `bus`'s relay; `url` opens the listening connection.
  PostgresRelay(EventBus& bus, db::Database& database, const std::string& url);
  ~PostgresRelay();
  PostgresRelay(const PostgresRelay&) = delete;
  PostgresRelay& operator=(const PostgresRelay&) = delete;

  bool listening() const { return listener_ && listener_->listening(); }

  static std::string encode(const std::string& origin, const Event& event);
  // False when the payload is not one of ours (then `event` is unspecified).
  static bool decode(std::string_view payload, std::string& origin, Event& event);

 private:
  EventBus& bus_;
  db::Database& database_;
  std::string origin_;
  std::unique_ptr<db::NotificationListener> listener_;
};

}  // namespace mecapy::events
