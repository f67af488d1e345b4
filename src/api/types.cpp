// The type system as clients see it: the catalogue of types and units a form generator
// needs (GET /types/catalog), and unit conversions by the server's own UDUNITS-2 (GET
// /types/conversion), so that a browser checks bounds in any unit with the very factors
// the server converts submitted values with. Both are open: they describe no one's data.
#include <boost/json.hpp>

#include "api/app.hpp"
#include "core/errors.hpp"
#include "packages/port.hpp"
#include "packages/unit_system.hpp"

namespace mecapy::api {
namespace {

using http::Request;
using http::Response;

std::string required_query(const Request& req, const char* name) {
  const auto value = req.query_param(name);
  if (!value || value->empty())
    throw Error(ErrorKind::invalid_input, "invalid-query",
                std::string("Give the ") + name + " unit: ?from=UNIT&to=UNIT (e.g. from=N/mm^2&to=Pa).");
  return *value;
}

// to = from * factor + offset, for every value (UDUNITS-2 conversions are affine).
Response conversion(const Request& req) {
  const std::string from = required_query(req, "from");
  const std::string to = required_query(req, "to");
  const auto& units = packages::UnitSystem::instance();
  for (const std::string* unit : {&from, &to})
    if (!units.is_known(*unit))
      throw Error(ErrorKind::unprocessable, "unknown-unit", "'" + *unit + "' is not a unit this server knows.");
  if (!units.convertible(from, to))
    throw Error(ErrorKind::unprocessable, "incompatible-units",
                "'" + from + "' (" + units.dimension(from).value_or("?") + ") cannot be converted to '" + to + "' (" +
                    units.dimension(to).value_or("?") + ").");
  const double offset = *units.convert(0.0, from, to);
  const double factor = *units.convert(1.0, from, to) - offset;
  Response r = Response::json(
      200,
      boost::json::object{
          {"from", from}, {"to", to}, {"dimension", *units.dimension(from)}, {"factor", factor}, {"offset", offset}});
  r.headers.set("Cache-Control", "public, max-age=3600");
  return r;
}

}  // namespace

void register_types_routes(http::Router& router, AppContext&) {
  router.add(
      "GET", "/api/v1/types/catalog",
      [](Request&) {
        static const auto catalog = packages::type_catalog();
        Response r = Response::json(200, catalog);
        r.headers.set("Cache-Control", "public, max-age=3600");
        return r;
      },
      http::Execution::offloaded, http::Access::open());
  router.add("GET", "/api/v1/types/conversion", conversion, http::Execution::offloaded, http::Access::open());
}

}  // namespace mecapy::api
