// Jobs: executing a function (synchronously up to max_sync_wait, or asynchronously),
// the caller's job history, one job, its result, its output files, and cancellation.
#include <boost/json.hpp>

#include "api/app.hpp"
#include "api/blob_download.hpp"
#include "api/execute_multipart.hpp"
#include "api/execute_request.hpp"
#include "api/package_lookup.hpp"
#include "api/query_params.hpp"
#include "core/errors.hpp"
#include "core/json.hpp"

namespace mecapy::api {
namespace {

using http::Request;
using http::Response;
using jobs::JobRecord;

boost::json::value json_or(const std::string& text, boost::json::value fallback) {
  if (text.empty()) return fallback;
  try {
    return parse_json(text);
  } catch (const Error&) {
    return fallback;
  }
}

// The units of the function's outputs, from the job's function version.
boost::json::object output_units(AppContext& app, const JobRecord& job) {
  boost::json::object units;
  const auto function = app.packages.function_version(job.function_version_id);
  if (!function) return units;
  const auto spec = json_or(function->spec, boost::json::object{});
  if (const auto* outputs = spec.as_object().if_contains("outputs"); outputs && outputs->is_array()) {
    for (const auto& port : outputs->get_array()) {
      const auto& type = port.at("type").as_object();
      if (const auto* unit = type.if_contains("unit")) units[port.at("name").as_string()] = *unit;
    }
  }
  return units;
}

// An output file's name as one path segment ("plots/a.png" -> "plots%2Fa.png").
std::string encoded_name(const std::string& name) {
  std::string out;
  for (const char c : name) out += c == '/' ? std::string("%2F") : c == '%' ? std::string("%25") : std::string(1, c);
  return out;
}

boost::json::object job_json(AppContext& app, const JobRecord& j, bool with_units) {
  boost::json::array files;
  const auto stored_files = json_or(j.output_files, boost::json::array{});
  for (const auto& f : stored_files.as_array()) {
    const auto& o = f.as_object();
    files.push_back(
        {{"name", o.at("name")},
         {"size", o.at("size")},
         {"sha256", o.at("sha256")},
         {"url", "/api/v1/jobs/" + j.id + "/files/" + encoded_name(std::string(o.at("name").as_string()))}});
  }
  boost::json::array input_files;
  const auto stored_inputs = json_or(j.input_files, boost::json::array{});
  for (const auto& f : stored_inputs.as_array()) {
    const auto& o = f.as_object();
    input_files.push_back({{"var", o.at("var")}, {"file_id", o.at("file_id")}, {"sha256", o.at("sha256")}});
  }
  boost::json::object out{
      {"job_id", j.id},
      {"status", j.status},
      {"package", j.package_name},
      {"package_id", j.package_id},
      {"version", j.package_version},
      {"function", j.function_name},
      {"function_version_id", j.function_version_id},
      {"inputs", json_or(j.inputs, boost::json::object{})},
      {"input_files", std::move(input_files)},
      {"outputs", json_or(j.outputs, boost::json::object{})},
      {"output_files", std::move(files)},
      {"error", json_or(j.error, nullptr)},
      {"exit_reason", j.exit_reason},
      {"duration_ms", j.duration_ms},
      {"cpu_ms", j.cpu_ms},
      {"memory_peak_mb", j.memory_peak_mb},
      {"cached", !j.cached_from.empty()},
      {"cached_from", j.cached_from.empty() ? boost::json::value(nullptr) : boost::json::value(j.cached_from)},
      {"attempts", j.attempts},
      {"worker_id", j.worker_id},
      {"created_at", j.created_at},
      {"started_at", j.started_at},
      {"finished_at", j.finished_at},
      {"provenance",
       {{"package", j.package_name},
        {"version", j.package_version},
        {"function_checksum", j.function_checksum},
        {"interpreter", j.interpreter},
        {"platform", j.platform_version}}},
  };
  if (with_units) out["units"] = output_units(app, j);
  return out;
}

JobRecord require_job(AppContext& app, const Request& req) {
  auto job = app.jobs.find(owner_of(req), req.param("id"));
  if (!job) throw Error(ErrorKind::not_found, "job-not-found", "You have no job " + req.param("id") + ".");
  return *job;
}

Response answer(AppContext& app, const JobRecord& job) {
  const bool final = jobs::is_final(jobs::parse_status(job.status));
  Response r = Response::json(final ? 200 : 202, job_json(app, job, true));
  if (!final) r.headers.set("Location", "/api/v1/jobs/" + job.id);
  return r;
}

bool is_multipart(const Request& req) {
  const auto type = req.headers.get("Content-Type");
  return type && type->starts_with("multipart/");
}

}  // namespace

jobs::JobRecord submit_execution(AppContext& app, const Request& req, const ChosenFunction& chosen,
                                 const ExecuteRequest& request) {
  jobs::Submission submission{chosen.package, chosen.version, chosen.function, request.inputs, request.files, {}};
  submission.options.no_cache = request.no_cache;
  submission.options.timeout_s = request.timeout_s;
  return app.job_service.submit(owner_of(req), submission);
}

Response execution_answer(AppContext& app, const Request& req, const ExecuteRequest& request, const JobRecord& job) {
  if (request.async) return answer(app, job);
  return answer(app, app.job_service.wait(owner_of(req), job.id, app.config.max_sync_wait));
}

void register_jobs_routes(http::Router& router, AppContext& app) {
  const auto kRun = http::Access::with_scope("jobs:write");
  const auto kRead = http::Access::with_scope("jobs:read");

  // JSON, or multipart/form-data with the file inputs uploaded in the same request.
  router.add_with_streamed(
      "POST", "/api/v1/packages/{id}/functions/{name}/execute",
      [&app](Request& req) {
        const auto request = parse_execute_request(object_body(req));
        const auto chosen = chosen_function(app, req, request.version);
        return execution_answer(app, req, request, submit_execution(app, req, chosen, request));
      },
      http::Execution::offloaded,
      {is_multipart, [&app](Request& req) { return open_multipart_execution(app, req); },
       0 /* the catalog bounds each file, the sink the request part */, http::Execution::blob_io},
      kRun);

  router.add(
      "GET", "/api/v1/jobs",
      [&app](Request& req) {
        jobs::JobQuery q;
        q.page = int_query(req, "page", 1);
        q.per_page = int_query(req, "per_page", 20);
        q.status = req.query_param("status").value_or("");
        q.package = req.query_param("package").value_or("");
        q.function = req.query_param("function").value_or("");
        q.created_after = req.query_param("created_after").value_or("");
        q.created_before = req.query_param("created_before").value_or("");
        const auto page = app.jobs.list(owner_of(req), q);
        boost::json::array items;
        for (const auto& j : page.items) items.push_back(job_json(app, j, false));
        return Response::json(200,
                              {{"items", items}, {"page", q.page}, {"per_page", q.per_page}, {"total", page.total}});
      },
      http::Execution::offloaded, kRead);

  router.add(
      "GET", "/api/v1/jobs/{id}",
      [&app](Request& req) { return Response::json(200, job_json(app, require_job(app, req), true)); },
      http::Execution::offloaded, kRead);

  router.add(
      "GET", "/api/v1/jobs/{id}/result",
      [&app](Request& req) {
        const auto job = require_job(app, req);
        if (!jobs::is_final(jobs::parse_status(job.status))) return answer(app, job);
        auto full = job_json(app, job, true);
        return Response::json(200, {{"job_id", job.id},
                                    {"status", job.status},
                                    {"outputs", full["outputs"]},
                                    {"output_files", full["output_files"]},
                                    {"units", full["units"]},
                                    {"error", full["error"]}});
      },
      http::Execution::offloaded, kRead);

  router.add(
      "POST", "/api/v1/jobs/{id}/cancel",
      [&app](Request& req) {
        const auto job = app.jobs.cancel(owner_of(req), req.param("id"));
        if (!job) throw Error(ErrorKind::not_found, "job-not-found", "You have no job " + req.param("id") + ".");
        return Response::json(202, job_json(app, *job, false));
      },
      http::Execution::offloaded, kRun);

  router.add(
      "GET", "/api/v1/jobs/{id}/files/{name}",
      [&app](Request& req) {
        const auto job = require_job(app, req);
        const auto stored = json_or(job.output_files, boost::json::array{});
        for (const auto& f : stored.as_array()) {
          const auto& o = f.as_object();
          if (o.at("name").as_string() != req.param("name")) continue;
          return serve_blob(app.blobs, req,
                            {std::string(o.at("blob_key").as_string()), o.at("size").to_number<std::uint64_t>(),
                             std::string(o.at("sha256").as_string()), req.param("name"), "application/octet-stream",
                             "output file " + req.param("name") + " of job " + job.id});
        }
        throw Error(ErrorKind::not_found, "output-file-not-found",
                    "Job " + job.id + " has no output file " + req.param("name") + ".");
      },
      http::Execution::blob_io, kRead);
}

}  // namespace mecapy::api
