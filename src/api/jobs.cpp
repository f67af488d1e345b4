// Jobs: executing a function (synchronously up to max_sync_wait, or asynchronously),
// the caller's job history, one job, its result, its log, its events, its output files,
// and cancellation.
#include <boost/json.hpp>

#include "api/app.hpp"
#include "api/blob_download.hpp"
#include "api/execute_multipart.hpp"
#include "api/execute_request.hpp"
#include "api/job_json.hpp"
#include "api/job_streams.hpp"
#include "api/package_lookup.hpp"
#include "api/query_params.hpp"
#include "core/errors.hpp"
#include "core/json.hpp"

namespace mecapy::api {
namespace {

using http::Request;
using http::Response;
using jobs::JobRecord;

JobRecord require_job(AppContext& app, const Request& req) {
  auto job = app.jobs.find(owner_of(req), req.param("id"));
  if (!job) throw Error(ErrorKind::not_found, "job-not-found", "You have no job " + req.param("id") + ".");
  return *job;
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
  return answer_when_final(app, owner_of(req), job.id, std::chrono::steady_clock::now() + app.config.max_sync_wait);
}

void register_jobs_routes(http::Router& router, AppContext& app) {
  const auto kRun = http::Access::with_scope(http::scope::run);
  const auto kRead = http::Access::with_scope(http::scope::read);

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

  router.add(
      "GET", "/api/v1/jobs/{id}/logs",
      [&app](Request& req) {
        const auto job = require_job(app, req);  // read before the log: final means complete
        const std::int64_t since = int_query(req, "since", 0);
        const std::int64_t limit = int_query(req, "limit", 1000);
        if (since < 0 || limit < 1 || limit > 5000)
          throw Error(ErrorKind::invalid_input, "invalid-query", "since must be at least 0 and limit from 1 to 5000.");
        const auto entries = app.job_log.read(job.id, since, static_cast<std::size_t>(limit));
        boost::json::array out;
        for (const auto& e : entries)
          if (e.kind != "progress") out.push_back({{"index", e.index}, {"kind", e.kind}, {"chunk", e.text}});
        const bool complete = static_cast<std::int64_t>(entries.size()) < limit;
        return Response::json(200, {{"entries", std::move(out)},
                                    {"next_index", entries.empty() ? since : entries.back().index + 1},
                                    {"done", complete && jobs::is_final(jobs::parse_status(job.status))}});
      },
      http::Execution::offloaded, kRead);

  router.add(
      "GET", "/api/v1/jobs/{id}/events",
      [&app](Request& req) {
        std::int64_t since = int_query(req, "since", 0);
        if (const auto last = req.headers.get("Last-Event-ID")) {
          try {
            std::size_t used = 0;
            since = std::stoll(std::string(*last), &used);
            if (used != last->size() || since < 0) throw std::invalid_argument("negative");
          } catch (const std::exception&) {
            throw Error(ErrorKind::invalid_input, "invalid-header",
                        "Last-Event-ID must be an event id this stream sent (a whole number).");
          }
        }
        return job_event_stream(app, owner_of(req), req.param("id"), since);
      },
      http::Execution::offloaded, kRead);
}

}  // namespace mecapy::api
