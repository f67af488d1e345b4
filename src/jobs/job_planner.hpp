// From a job row to what the executor runs: the function version's handler or
// entrypoint and resources, the package version's sources, the inputs and input files.
#pragma once

#include "jobs/executor.hpp"
#include "jobs/job.hpp"
#include "packages/package_catalog.hpp"

namespace mecapy::jobs {

// Throws Error(not_found) when the function version or its package version is gone,
// Error(corrupted) when their stored documents are unreadable.
ExecutionRequest plan_job(const JobRecord& job, packages::PackageCatalog& catalog);

}  // namespace mecapy::jobs
