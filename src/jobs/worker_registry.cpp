#include "jobs/worker_registry.hpp"

#include "core/clock.hpp"
#include "db/record_map.hpp"

namespace mecapy::jobs {
namespace {

const db::RecordMap<WorkerInfo>& worker_map() {
  static const auto map = db::RecordMap<WorkerInfo>()
                              .text("id", &WorkerInfo::id)
                              .text("host", &WorkerInfo::host)
                              .int64("pid", &WorkerInfo::pid)
                              .text("kind", &WorkerInfo::kind)
                              .int64("slots", &WorkerInfo::slots)
                              .int64("running", &WorkerInfo::running)
                              .text("version", &WorkerInfo::version)
                              .text("started_at", &WorkerInfo::started_at)
                              .text("last_heartbeat", &WorkerInfo::last_heartbeat);
  return map;
}

}  // namespace

void WorkerRegistry::announce(WorkerInfo worker) {
  worker.last_heartbeat = now_rfc3339();
  if (worker.started_at.empty()) worker.started_at = worker.last_heartbeat;
  db_.execute("INSERT INTO workers (" + worker_map().columns() + ") VALUES (" + worker_map().placeholders() +
                  ") ON CONFLICT (id) DO UPDATE SET slots = excluded.slots, running = excluded.running,"
                  " last_heartbeat = excluded.last_heartbeat",
              worker_map().values(worker));
}

void WorkerRegistry::remove(const std::string& id) { db_.execute("DELETE FROM workers WHERE id = $1", {id}); }

std::vector<WorkerInfo> WorkerRegistry::list(const std::string& since) {
  return worker_map().read_all(db_.execute(
      "SELECT " + worker_map().columns() + " FROM workers WHERE last_heartbeat >= $1 ORDER BY last_heartbeat DESC",
      {since}));
}

}  // namespace mecapy::jobs
