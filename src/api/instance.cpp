// GET /api/v1/instance: which installation and version answers (one database read).
#include <boost/json.hpp>
#include <optional>

#include "api/app.hpp"
#include "core/errors.hpp"
#include "db/instance_store.hpp"
#include "db/migrations.hpp"

namespace mecapy::api {

void register_instance_routes(http::Router& router, AppContext& app) {
  router.add(
      "GET", "/api/v1/instance",
      [&app](http::Request&) {
        std::optional<db::InstanceInfo> info;
        try {
          info = db::find_instance(app.database);
        } catch (const Error& e) {
          // A query failing on a schema older than this binary is the operator's to fix.
          if (e.kind() != ErrorKind::internal || !db::has_pending_migrations(app.database)) throw;
        }
        if (!info)
          throw Error(ErrorKind::unavailable, "not-initialised",
                      "The database schema is not initialised: run `mecapyd migrate up` (or start `mecapyd serve` "
                      "without --no-migrate).");
        return http::Response::json(200, {{"id", info->id},
                                          {"name", info->name},
                                          {"created_at", info->created_at},
                                          {"version", MECAPY_VERSION},
                                          {"api_version", 1}});
      },
      http::Execution::offloaded, http::Access::open());
}

}  // namespace mecapy::api
