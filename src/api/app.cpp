#include "api/app.hpp"

namespace mecapy::api {

void register_routes(http::Router& router, AppContext& app) {
  register_operations_routes(router, app);
  register_docs_routes(router, app);
  register_features_routes(router, app);
  register_instance_routes(router, app);
  register_files_routes(router, app);
  register_packages_routes(router, app);
  register_types_routes(router, app);
  register_jobs_routes(router, app);
  register_workers_routes(router, app);
  register_auth_routes(router, app);
  register_tokens_routes(router, app);
  register_organisations_routes(router, app);
  register_admin_routes(router, app);
}

}  // namespace mecapy::api
