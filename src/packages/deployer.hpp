// Deploying a package: from an uploaded archive to a published, immutable version
// whose functions are ready to run, with a report saying what happened.
//
// The steps, each refusing with a clear problem (and leaving nothing behind) when
// it fails:
//   1. unpack the archive safely into a private directory (archive_unpacker.hpp);
//   2. read mecapy.yml (manifest.hpp): every error at once, with line and column;
//   3. check the version goes up (409 before any code runs);
//   4. in the sandbox, import each handler and read its signature (introspection):
//      ports the manifest does not declare come from it, declared ones are checked
//      against it; an import error fails the deploy with the Python traceback;
//   5. in the sandbox, scan the sources for what cannot work there (warnings, or
//      refusals when the server says so);
//   6. in the sandbox, run the test cases when the manifest asks, and refuse the
//      version on a failure when it says fail_on_error;
//   7. store the archive in the blob store and publish the rows in one transaction.
// The report lists each function as deployed (new), updated (its checksum changed
// since the previous version) or unchanged, with the warnings and test results.
#pragma once

#include <boost/json/object.hpp>
#include <filesystem>
#include <optional>
#include <string>

#include "packages/archive_unpacker.hpp"
#include "packages/manifest.hpp"
#include "packages/package_catalog.hpp"
#include "packages/sandboxed_runner.hpp"
#include "storage/blob_store.hpp"

namespace mecapy::packages {

struct DeployOptions {
  Resources resource_cap = {4, 8192, 1800};
  UnpackLimits archive_limits;
  // Source-scan findings refuse the version (422 unsafe-source) instead of warning.
  bool refuse_scan_findings = false;
  // Private scratch space for unpacked archives and sandbox workspaces.
  std::filesystem::path work_dir;
};

struct DeployRequest {
  std::string owner;                // the handle of the user or organisation publishing
  std::string owner_kind = "user";  // user | organisation
  std::filesystem::path archive;    // the uploaded archive, on local disk
  // Set for POST /packages/{id}/versions: the package the archive must belong to.
  std::optional<PackageRecord> package;
};

class Deployer {
 public:
  Deployer(PackageCatalog& catalog, storage::BlobStore& blobs, storage::BlobReferences& references,
           SandboxedRunner& runner, DeployOptions options);

  // The deploy report (docs/packages.md). Throws mecapy::Error / DetailedError:
  // 413 archive too large, 422 for archive, manifest, introspection, scan and test
  // failures (with the list of problems), 409 for a version that does not go up,
  // 503 when the sandbox or a store is unavailable.
  boost::json::object deploy(const DeployRequest& request);

 private:
  PackageCatalog& catalog_;
  storage::BlobStore& blobs_;
  storage::BlobReferences& references_;
  SandboxedRunner& runner_;
  DeployOptions options_;
};

// The JSON the API shows for each record.
boost::json::object package_json(const PackageRecord& package);
boost::json::object version_json(const PackageVersionRecord& version);
boost::json::object function_version_json(const FunctionVersionRecord& function, bool full);

}  // namespace mecapy::packages
