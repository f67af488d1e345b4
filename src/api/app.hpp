// The REST API: what the handlers of src/api need, and the one function that puts
// every route on a router. One file per resource registers its routes.
#pragma once

#include <string>

#include "core/config.hpp"
#include "core/feature_flags.hpp"
#include "db/database.hpp"
#include "http/metrics.hpp"
#include "http/router.hpp"
#include "storage/blob_store.hpp"

namespace mecapy::api {

struct AppContext {
  const Config& config;
  db::Database& database;
  storage::BlobStore& blobs;
  const FeatureFlags& features;
  http::Metrics& metrics;
};

void register_routes(http::Router& router, AppContext& app);

// Per-resource registration, called by register_routes().
void register_operations_routes(http::Router& router, AppContext& app);
void register_docs_routes(http::Router& router, AppContext& app);
void register_features_routes(http::Router& router, AppContext& app);
void register_instance_routes(http::Router& router, AppContext& app);

}  // namespace mecapy::api
