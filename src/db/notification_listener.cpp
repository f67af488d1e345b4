#include "db/notification_listener.hpp"

#include <libpq-fe.h>
#include <poll.h>

#include <chrono>

#include "core/errors.hpp"
#include "core/log.hpp"

namespace mecapy::db {
namespace {

// Sleeps `total`, waking early when stopping.
void pause(const std::atomic<bool>& stopping, std::chrono::milliseconds total) {
  for (auto slept = std::chrono::milliseconds(0); slept < total && !stopping.load();
       slept += std::chrono::milliseconds(100))
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
}

PGconn* open_listening(const std::string& url, const std::string& channel) {
  const char* keys[] = {"connect_timeout", "keepalives", "keepalives_idle", "dbname", nullptr};
  const char* values[] = {"5", "1", "30", url.c_str(), nullptr};
  PGconn* conn = PQconnectdbParams(keys, values, 1);
  if (PQstatus(conn) != CONNECTION_OK) {
    PQfinish(conn);
    return nullptr;
  }
  PQsetNoticeProcessor(
      conn, [](void*, const char*) {}, nullptr);
  PGresult* result = PQexec(conn, ("LISTEN " + channel).c_str());
  const bool ok = PQresultStatus(result) == PGRES_COMMAND_OK;
  PQclear(result);
  if (!ok) {
    PQfinish(conn);
    return nullptr;
  }
  return conn;
}

}  // namespace

NotificationListener::NotificationListener(std::string url, std::string channel, Handler handler)
    : url_(std::move(url)), channel_(std::move(channel)), handler_(std::move(handler)) {
  for (char c : channel_)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_'))
      throw Error(ErrorKind::internal, "invalid-channel", "a notification channel is an identifier", channel_);
  thread_ = std::thread([this] { loop(); });
}

NotificationListener::~NotificationListener() {
  stopping_.store(true);
  thread_.join();
}

void NotificationListener::loop() {
  auto backoff = std::chrono::milliseconds(1'000);
  while (!stopping_.load()) {
    PGconn* conn = open_listening(url_, channel_);
    if (!conn) {
      log_warning("events: cannot LISTEN on the database; retrying in " + std::to_string(backoff.count()) + " ms");
      pause(stopping_, backoff);
      backoff = std::min(backoff * 2, std::chrono::milliseconds(10'000));
      continue;
    }
    backoff = std::chrono::milliseconds(1'000);
    listening_.store(true);
    bool lost = false;
    while (!stopping_.load() && !lost) {
      pollfd p{PQsocket(conn), POLLIN, 0};
      const int ready = ::poll(&p, 1, 500);  // the timeout only bounds how long a stop waits
      if (ready < 0 && errno != EINTR) lost = true;
      if (ready <= 0) continue;
      if (PQconsumeInput(conn) == 0) {
        lost = true;
        break;
      }
      while (PGnotify* notification = PQnotifies(conn)) {
        try {
          handler_(notification->extra ? notification->extra : "");
        } catch (...) {
          log_warning("events: a notification handler threw");
        }
        PQfreemem(notification);
      }
      if (PQstatus(conn) != CONNECTION_OK) lost = true;
    }
    listening_.store(false);
    PQfinish(conn);
    if (lost && !stopping_.load()) {
      log_warning("events: the LISTEN connection was lost; reconnecting");
      pause(stopping_, backoff);
    }
  }
}

}  // namespace mecapy::db
