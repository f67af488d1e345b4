#include "jobs/job_planner.hpp"

#include <algorithm>

#include "core/errors.hpp"
#include "core/json.hpp"

namespace mecapy::jobs {
namespace {

std::string text(const boost::json::object& o, const char* key) {
  const auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

}  // namespace

ExecutionRequest plan_job(const JobRecord& job, packages::PackageCatalog& catalog) {
  const auto function = catalog.function_version(job.function_version_id);
  if (!function)
    throw Error(ErrorKind::not_found, "function-version-not-found",
                "The function version of this job no longer exists.", job.function_version_id);
  const auto versions = catalog.versions(function->package_id, true);
  const auto version = std::find_if(versions.begin(), versions.end(),
                                    [&](const auto& v) { return v.id == function->package_version_id; });
  if (version == versions.end())
    throw Error(ErrorKind::not_found, "version-not-found", "The package version of this job no longer exists.",
                function->package_version_id);
  const auto spec_value = parse_json(function->spec);
  const auto& spec = spec_value.as_object();

  ExecutionRequest request;
  request.job_id = job.id;
  request.handler = text(spec, "handler");
  if (const auto* argv = spec.if_contains("entrypoint"); argv && argv->is_array()) {
    for (const auto& a : argv->get_array()) request.entrypoint.emplace_back(a.as_string());
  }
  request.source_blob_key = version->source_blob_key;
  request.source_sha256 = version->source_sha256;
  if (const auto* interpreter = spec.if_contains("interpreter"); interpreter && interpreter->is_object()) {
    request.interpreter = text(interpreter->get_object(), "version");
  }
  const auto& resources = spec.at("resources").as_object();
  request.resources.cpus = resources.at("cpu").to_number<double>();
  request.resources.memory_mb = resources.at("memory_mb").to_number<std::uint64_t>();
  request.resources.timeout_s = resources.at("timeout_s").to_number<std::uint32_t>();
  if (job.timeout_s > 0 && job.timeout_s < std::int64_t{request.resources.timeout_s}) {
    request.resources.timeout_s = static_cast<std::uint32_t>(job.timeout_s);
  }
  request.inputs = parse_json(job.inputs).as_object();
  const auto input_files = parse_json(job.input_files);
  for (const auto& f : input_files.as_array()) {
    const auto& o = f.as_object();
    request.input_files.push_back({text(o, "var"), text(o, "blob_key"), text(o, "extension"), text(o, "sha256")});
  }
  return request;
}

}  // namespace mecapy::jobs
