// Operations endpoints: liveness, readiness, metrics.
#include <prometheus/counter.h>
#include <prometheus/registry.h>

#include <algorithm>
#include <boost/json.hpp>
#include <chrono>
#include <memory>
#include <mutex>
#include <optional>

#include "api/app.hpp"
#include "core/errors.hpp"
#include "core/log.hpp"
#include "http/problem.hpp"

namespace mecapy::api {
namespace {

using http::Execution;
using http::Request;
using http::Response;

// Readiness of the dependencies, checked at most once per kReadinessTtl whatever the
// poll rate (a remote store costs a round trip; the blob store's probe() writes
// nothing). Callers arriving while a check runs wait for it and share its result.
// A failed check logs its cause (exception text, operator-only cause) with the id of
// the request that ran it; the public answer only names the failing components.
class Readiness {
 public:
  explicit Readiness(AppContext& app)
      : app_(app),
        checks_(prometheus::BuildCounter()
                    .Name("mecapy_readiness_checks_total")
                    .Help("Dependency checks run for GET /ready (answers in between are cached)")
                    .Register(app.metrics.registry())
                    .Add({})) {}

  // Names of the failing components; empty when every one answers.
  std::vector<std::string> failing(const Request& req) {
    std::lock_guard lock(mutex_);
    const auto now = std::chrono::steady_clock::now();
    if (checked_at_ && now - *checked_at_ < kReadinessTtl) return failing_;
    failing_.clear();
    check(req, "database", [this] { app_.database.ping(); });
    check(req, "blob_store", [this] { app_.blobs.probe(); });
    checks_.Increment();
    checked_at_ = std::chrono::steady_clock::now();
    return failing_;
  }

 private:
  static constexpr std::chrono::seconds kReadinessTtl{1};

  template <class Probe>
  void check(const Request& req, const char* component, Probe&& probe) {
    try {
      probe();
    } catch (const std::exception& e) {
      failing_.emplace_back(component);
      const auto* known = dynamic_cast<const Error*>(&e);
      LogContext c;
      c.request_id = req.request_id;
      c.trace_id = req.trace_id;
      c.endpoint = "/ready";
      c.method = req.method;
      log_warning(std::string("readiness: ") + component + " check failed: " + e.what() +
                      (known && !known->cause().empty() ? " (" + known->cause() + ")" : ""),
                  &c);
    }
  }

  AppContext& app_;
  prometheus::Counter& checks_;
  std::mutex mutex_;
  std::optional<std::chrono::steady_clock::time_point> checked_at_;
  std::vector<std::string> failing_;
};

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
      Execution::inline_on_reactor, http::Access::open());

  auto readiness = std::make_shared<Readiness>(app);
  router.add(
      "GET", "/ready",
      [&app, readiness](Request& req) {
        const std::vector<std::string> failing = readiness->failing(req);
        boost::json::object components;
        for (const char* name : {"database", "blob_store"}) {
          const bool down = std::find(failing.begin(), failing.end(), name) != failing.end();
          components[name] = {{"status", down ? "unavailable" : "ok"}};
        }
        components["sandbox"] = sandbox_summary(app.sandbox_host);
        if (failing.empty()) return Response::json(200, {{"status", "ready"}, {"components", components}});
        std::string names;
        for (const auto& f : failing) names += (names.empty() ? "" : ", ") + f;
        http::Problem p(503, "not-ready", "Not ready",
                        "Unavailable: " + names + ". The server log has the cause; retry after Retry-After seconds.");
        p.extra["components"] = components;
        p.extra["failing"] = boost::json::value_from(failing);
        Response r = http::problem_response(p, req.request_id);
        r.headers.set("Retry-After", "5");
        return r;
      },
      Execution::blob_io,  // the blob store check may hang: never on the database routes' pool
      http::Access::open());

  router.add(
      "GET", "/metrics",
      [&app](Request&) {
        return Response::text(200, app.metrics.render(), "text/plain; version=0.0.4; charset=utf-8");
      },
      Execution::inline_on_reactor, http::Access::open());
}

}  // namespace mecapy::api
