// GET /api/v1/features: the feature flags, evaluated for the caller.
#include <boost/json.hpp>

#include "api/app.hpp"

namespace mecapy::api {

void register_features_routes(http::Router& router, AppContext& app) {
  router.add(
      "GET", "/api/v1/features",
      [&app](http::Request& req) {
        boost::json::array items;
        for (const auto& f : app.features.flags()) {
          items.push_back({{"name", f.name},
                           {"enabled", app.features.enabled(f.name, req.principal.user_id())},
                           {"rollout_percent", f.enabled ? f.rollout_percent : 0}});
        }
        return http::Response::json(200, {{"features", items}});
      },
      // Off the network thread: the flags are evaluated for the caller, who must be
      // authenticated first (routes on the reactor see everyone as anonymous).
      http::Execution::offloaded, http::Access::open());
}

}  // namespace mecapy::api
