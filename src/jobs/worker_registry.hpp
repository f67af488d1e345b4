// Who runs jobs: each worker process (the embedded pool of `serve`, or a standalone
// `mecapyd worker`) announces itself in table `workers` at every heartbeat, and says
// goodbye when it stops. A worker not heard from for three leases is reported as lost.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "db/database.hpp"

namespace mecapy::jobs {

struct WorkerInfo {
  std::string id;  // host:pid
  std::string host;
  std::int64_t pid = 0;
  std::string kind;  // embedded | standalone
  std::int64_t slots = 0;
  std::int64_t running = 0;
  std::string version;
  std::string started_at;
  std::string last_heartbeat;
};

class WorkerRegistry {
 public:
  explicit WorkerRegistry(db::Database& db) : db_(db) {}
  // Inserts or refreshes the row of `worker` (last_heartbeat: now).
  void announce(WorkerInfo worker);
  void remove(const std::string& id);
  // Every worker heard from since `since` (RFC 3339), most recently heard first.
  std::vector<WorkerInfo> list(const std::string& since);

 private:
  db::Database& db_;
};

}  // namespace mecapy::jobs
