// Workers: the processes that run jobs, with their slots, running jobs and last
// heartbeat (GET /api/v1/workers). A worker not heard from for three leases is lost.
#include <boost/json.hpp>

#include "api/app.hpp"
#include "core/clock.hpp"

namespace mecapy::api {

void register_workers_routes(http::Router& router, AppContext& app) {
  router.add(
      "GET", "/api/v1/workers",
      [&app](http::Request&) {
        const auto now = std::chrono::system_clock::now();
        const std::string alive_since = format_rfc3339(now - 3 * app.config.job_lease);
        boost::json::array items;
        for (const auto& w : app.workers.list(format_rfc3339(now - std::chrono::hours(24)))) {
          items.push_back({{"id", w.id},
                           {"host", w.host},
                           {"pid", w.pid},
                           {"kind", w.kind},
                           {"slots", w.slots},
                           {"running_jobs", w.running},
                           {"version", w.version},
                           {"started_at", w.started_at},
                           {"last_heartbeat", w.last_heartbeat},
                           {"state", w.last_heartbeat >= alive_since ? "alive" : "lost"}});
        }
        return http::Response::json(200, {{"items", items}, {"total", items.size()}});
      },
      http::Execution::offloaded, http::Access::with_scope(http::scope::read));
}

}  // namespace mecapy::api
