// The REST API: what the handlers of src/api need, and the one function that puts
// every route on a router. One file per resource registers its routes.
#pragma once

#include <boost/json/object.hpp>
#include <string>

#include "auth/identity.hpp"
#include "core/config.hpp"
#include "core/feature_flags.hpp"
#include "db/database.hpp"
#include "events/event_bus.hpp"
#include "files/file_catalog.hpp"
#include "http/metrics.hpp"
#include "http/router.hpp"
#include "jobs/job_log.hpp"
#include "jobs/job_queue.hpp"
#include "jobs/job_service.hpp"
#include "jobs/worker_registry.hpp"
#include "packages/deployer.hpp"
#include "packages/package_catalog.hpp"
#include "storage/blob_store.hpp"

namespace mecapy::api {

struct AppContext {
  const Config& config;
  db::Database& database;
  storage::BlobStore& blobs;
  files::FileCatalog& files;
  packages::PackageCatalog& packages;
  packages::Deployer& deployer;
  jobs::JobQueue& jobs;
  jobs::JobService& job_service;
  jobs::WorkerRegistry& workers;
  const FeatureFlags& features;
  http::Metrics& metrics;
  // What the sandbox can use on this host (cgroup version, controllers, namespaces),
  // detected at start-up and reported by GET /ready.
  boost::json::object sandbox_host;
  events::EventBus& events;
  jobs::JobLog& job_log;
  auth::Identity& identity;
};

void register_routes(http::Router& router, AppContext& app);

// Per-resource registration, called by register_routes().
void register_operations_routes(http::Router& router, AppContext& app);
void register_docs_routes(http::Router& router, AppContext& app);
void register_features_routes(http::Router& router, AppContext& app);
void register_instance_routes(http::Router& router, AppContext& app);
void register_files_routes(http::Router& router, AppContext& app);
void register_packages_routes(http::Router& router, AppContext& app);
void register_types_routes(http::Router& router, AppContext& app);
void register_jobs_routes(http::Router& router, AppContext& app);
void register_workers_routes(http::Router& router, AppContext& app);
void register_auth_routes(http::Router& router, AppContext& app);
void register_tokens_routes(http::Router& router, AppContext& app);
void register_organisations_routes(http::Router& router, AppContext& app);
void register_admin_routes(http::Router& router, AppContext& app);

// The owner of what the caller creates: the authenticated user, or "anonymous"
// while identity is not configured.
std::string owner_of(const http::Request& req);
// The caller as a viewer of packages: their handle and organisations; anonymous
// callers see public packages only.
packages::Viewer viewer_of(AppContext& app, const http::Request& req);
// Records a security-relevant event done by the caller in the audit log.
void audit(AppContext& app, const http::Request& req, std::string_view action, std::string target,
           boost::json::object detail = {}, std::string outcome = "success");

}  // namespace mecapy::api
