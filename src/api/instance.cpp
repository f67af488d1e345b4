// GET /api/v1/instance: which installation and version answers (one database read).
#include <boost/json.hpp>

#include "api/app.hpp"
#include "core/errors.hpp"
#include "db/instance_store.hpp"

namespace mecapy::api {

void register_instance_routes(http::Router& router, AppContext& app) {
  router.add("GET", "/api/v1/instance", [&app](http::Request&) {
    const auto info = db::find_instance(app.database);
    if (!info)
      throw Error(ErrorKind::unavailable, "not-initialised",
                  "The database has no instance row yet: run `mecapyd migrate up` or start `mecapyd serve`.");
    return http::Response::json(200, {{"id", info->id},
                                      {"name", info->name},
                                      {"created_at", info->created_at},
                                      {"version", MECAPY_VERSION},
                                      {"api_version", 1}});
  });
}

}  // namespace mecapy::api
