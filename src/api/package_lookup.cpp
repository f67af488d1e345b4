#include "api/package_lookup.hpp"

#include "core/errors.hpp"
#include "core/json.hpp"

namespace mecapy::api {

packages::PackageRecord require_package(AppContext& app, const http::Request& req) {
  auto package = app.packages.find(viewer_of(app, req), req.param("id"));
  if (!package)
    throw Error(ErrorKind::not_found, "package-not-found",
                "No package " + req.param("id") + " that you may see (give its id or owner/name).");
  return *package;
}

packages::PackageRecord require_own_package(AppContext& app, const http::Request& req) {
  auto package = require_package(app, req);
  if (!viewer_of(app, req).acts_for(package.owner_id))
    throw Error(ErrorKind::forbidden, "permission-denied",
                "You may see " + package.owner_id + "/" + package.name + " but not change it: only " +
                    package.owner_id + (package.owner_kind == "organisation" ? "'s members" : "") + " may.");
  return package;
}

packages::PackageVersionRecord chosen_version(AppContext& app, const packages::PackageRecord& package,
                                              const std::optional<std::string>& wanted) {
  if (wanted) {
    auto v = app.packages.version(package.id, *wanted);
    if (!v) throw Error(ErrorKind::not_found, "version-not-found", package.name + " has no version " + *wanted + ".");
    return *v;
  }
  const auto versions = app.packages.versions(package.id, false);
  if (versions.empty())
    throw Error(ErrorKind::not_found, "version-not-found",
                package.name + " has no version that is not yanked; name one with ?version=.");
  return versions.front();
}

ChosenFunction chosen_function(AppContext& app, const http::Request& req, const std::optional<std::string>& wanted) {
  auto package = require_package(app, req);
  auto version = chosen_version(app, package, wanted);
  for (auto& f : app.packages.functions_of(version.id)) {
    if (f.name == req.param("name")) return {std::move(package), std::move(version), std::move(f)};
  }
  throw Error(ErrorKind::not_found, "function-not-found",
              package.name + " " + version.version + " has no function " + req.param("name") + ".");
}

boost::json::object object_body(const http::Request& req) {
  const auto body = parse_json(req.body);
  if (!body.is_object()) throw Error(ErrorKind::invalid_input, "invalid-body", "The body must be a JSON object.");
  return body.get_object();
}

}  // namespace mecapy::api
