// GET /openapi.json, /docs and /docs/problems. Pages are rendered once at start-up.
#include <boost/json.hpp>

#include "api/app.hpp"
#include "api/docs_pages.hpp"

namespace mecapy::api {
namespace {

http::Response html(const std::string& body) {
  auto r = http::Response::text(200, body, "text/html; charset=utf-8");
  r.headers.set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'");
  r.headers.set("Cache-Control", "public, max-age=300");
  return r;
}

}  // namespace

void register_docs_routes(http::Router& router, AppContext&) {
  const auto spec = std::make_shared<const std::string>(boost::json::serialize(openapi_document()));
  const auto reference = std::make_shared<const std::string>(render_reference_page(openapi_document()));
  const auto problems = std::make_shared<const std::string>(render_problem_types_page(openapi_document()));
  router.add(
      "GET", "/openapi.json", [spec](http::Request&) { return http::Response::text(200, *spec, "application/json"); },
      http::Execution::inline_on_reactor, http::Access::open());
  router.add(
      "GET", "/docs", [reference](http::Request&) { return html(*reference); }, http::Execution::inline_on_reactor,
      http::Access::open());
  router.add(
      "GET", "/docs/problems", [problems](http::Request&) { return html(*problems); },
      http::Execution::inline_on_reactor, http::Access::open());
}

}  // namespace mecapy::api
