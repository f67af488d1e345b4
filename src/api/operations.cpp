// Operations endpoints: liveness, readiness, metrics.
#include <boost/json.hpp>

#include "api/app.hpp"
#include "core/errors.hpp"
#include "http/problem.hpp"

namespace mecapy::api {
namespace {

using http::Execution;
using http::Request;
using http::Response;

// Runs one readiness probe; returns its JSON status and whether it passed.
template <class Probe>
bool probe(boost::json::object& components, const char* name, const std::string& location, Probe&& check) {
  boost::json::object c;
  c["location"] = location;
  try {
    check();
    c["status"] = "ok";
    components[name] = std::move(c);
    return true;
  } catch (const std::exception& e) {
    c["status"] = "unavailable";
    c["detail"] = e.what();
    components[name] = std::move(c);
    return false;
  }
}

// The part of the sandbox host report that is safe to publish (no host paths).
boost::json::object sandbox_summary(const boost::json::object& host) {
  boost::json::object out{{"status", "ok"}};
  if (const auto* cg = host.if_contains("cgroup"); cg && cg->is_object()) {
    boost::json::object cgroup;
    for (const char* key : {"version", "controllers"})
      if (const auto* v = cg->as_object().if_contains(key)) cgroup[key] = *v;
    out["cgroup"] = std::move(cgroup);
  }
  if (const auto* ns = host.if_contains("namespaces")) out["namespaces"] = *ns;
  return out;
}

}  // namespace

void register_operations_routes(http::Router& router, AppContext& app) {
  router.add(
      "GET", "/health",
      [](Request&) {
        return Response::json(200, {{"status", "ok"}});
      },
      Execution::inline_on_reactor);

  router.add("GET", "/ready", [&app](Request& req) {
    boost::json::object components;
    std::vector<std::string> failing;
    if (!probe(components, "database", app.database.describe(), [&] { app.database.ping(); }))
      failing.emplace_back("database");
    if (!probe(components, "blob_store", app.blobs.describe(), [&] { app.blobs.check(); }))
      failing.emplace_back("blob_store");
    components["sandbox"] = sandbox_summary(app.sandbox_host);
    if (failing.empty()) return Response::json(200, {{"status", "ready"}, {"components", components}});
    std::string names;
    for (const auto& f : failing) names += (names.empty() ? "" : ", ") + f;
    http::Problem p(503, "not-ready", "Not ready", "Unavailable: " + names + ". See components for details.");
    p.extra["components"] = components;
    p.extra["failing"] = boost::json::value_from(failing);
    Response r = http::problem_response(p, req.request_id);
    r.headers.set("Retry-After", "5");
    return r;
  });

  router.add(
      "GET", "/metrics",
      [&app](Request&) {
        return Response::text(200, app.metrics.render(), "text/plain; version=0.0.4; charset=utf-8");
      },
      Execution::inline_on_reactor);
}

}  // namespace mecapy::api
