// The OpenAPI document describes exactly the routes the server registers.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <set>

#include "api/app.hpp"
#include "api/docs_pages.hpp"
#include "auth/identity.hpp"
#include "storage/local_blob_store.hpp"

using namespace mecapy;

TEST(OpenApi, DocumentAndRouterAgree) {
  Config config;
  auto database = db::open_database("sqlite::memory:", 1);
  storage::LocalBlobStore blobs("/tmp");
  FeatureFlags features({});
  http::Metrics metrics;
  storage::BlobReferences references(*database, blobs, std::chrono::hours(1));
  files::FileCatalog files(*database, blobs, references, {});
  packages::SandboxedRunner runner({}, "/tmp/unused-runner", {{"/usr/bin/python3", "3"}});
  packages::PackageCatalog catalog(*database, references);
  packages::Deployer deployer(catalog, blobs, references, runner, {});
  jobs::JobQueue queue(*database);
  jobs::JobService job_service(queue, files);
  jobs::WorkerRegistry registry(*database);
  events::EventBus bus;
  jobs::JobLog job_log(*database);
  auth::Identity identity(config, *database);
  api::AppContext app{config,   *database, blobs,   files, catalog, deployer, queue,   job_service,
                      registry, features,  metrics, {},    bus,     job_log,  identity};
  http::Router router;
  api::register_routes(router, app);

  std::set<std::string> registered, documented;
  for (const auto& r : router.routes()) registered.insert(r.method + " " + r.path_template);
  const auto& doc = api::openapi_document().as_object();
  EXPECT_EQ(doc.at("openapi").as_string(), "3.1.0");
  for (const auto& [path, item] : doc.at("paths").as_object())
    for (const auto& [method, op] : item.as_object()) {
      std::string upper(method);
      for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      documented.insert(upper + " " + std::string(path));
      EXPECT_TRUE(op.as_object().contains("responses")) << path;
      EXPECT_TRUE(op.as_object().contains("operationId")) << path;
    }
  EXPECT_EQ(registered, documented);
}

TEST(OpenApi, PagesRenderEveryOperationAndProblemType) {
  const auto& doc = api::openapi_document();
  const std::string reference = api::render_reference_page(doc);
  for (const auto& [path, item] : doc.as_object().at("paths").as_object())
    EXPECT_NE(reference.find("<code>" + std::string(path) + "</code>"), std::string::npos) << path;
  const std::string problems = api::render_problem_types_page(doc);
  for (const char* slug : {"not-found", "method-not-allowed", "unsupported-api-version", "body-too-large",
                           "header-too-large", "malformed-request", "not-ready", "internal-error"})
    EXPECT_NE(problems.find(std::string("id=\"") + slug + "\""), std::string::npos) << slug;
  EXPECT_EQ(reference.find("<script"), std::string::npos);
}
