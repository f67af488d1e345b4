// PostgreSQL LISTEN on one channel, on a connection of its own: a thread waits on the
// connection's socket (no polling of the database) and calls the handler with the
// payload of each notification, in the order the server sends them.
//
// A lost connection is reopened (after 1 s, then backing off up to 10 s); what was
// notified meanwhile is lost, which is why the bus's subscribers keep a slow safety
// poll. The destructor stops the thread within about a second.
#pragma once

#include <atomic>
#include <functional>
#include <string>
#include <string_view>
#include <thread>

namespace mecapy::db {

class NotificationListener {
 public:
  using Handler = std::function<void(std::string_view payload)>;

  // `url`: a postgresql:// URL; `channel`: an identifier (letters, digits, _).
  NotificationListener(std::string url, std::string channel, Handler handler);
  ~NotificationListener();
  NotificationListener(const NotificationListener&) = delete;
  NotificationListener& operator=(const NotificationListener&) = delete;

  // Whether the thread holds a connection that LISTENs now.
  bool listening() const { return listening_.load(); }

 private:
  void loop();

  std::string url_;
  std::string channel_;
  Handler handler_;
  std::atomic<bool> stopping_{false};
  std::atomic<bool> listening_{false};
  std::thread thread_;
};

}  // namespace mecapy::db
