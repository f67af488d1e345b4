// Finding the package, version and function a request names, for the packages and
// jobs routes: by id or owner/name, visible to the caller, the version given or the
// latest that is not yanked. Each throws Error(not_found) (or forbidden) that says what.
#pragma once

#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <utility>

#include "api/app.hpp"

namespace mecapy::api {

packages::PackageRecord require_package(AppContext& app, const http::Request& req);
packages::PackageRecord require_own_package(AppContext& app, const http::Request& req);
packages::PackageVersionRecord chosen_version(AppContext& app, const packages::PackageRecord& package,
                                              const std::optional<std::string>& wanted);
// The package of path parameter {id}, its version (`wanted` or the latest) and the
// function of path parameter {name} in it.
struct ChosenFunction {
  packages::PackageRecord package;
  packages::PackageVersionRecord version;
  packages::FunctionVersionRecord function;
};
ChosenFunction chosen_function(AppContext& app, const http::Request& req, const std::optional<std::string>& wanted);

// The request body as a JSON object (400 invalid-body otherwise).
boost::json::object object_body(const http::Request& req);

}  // namespace mecapy::api
