// Who the caller is, in the terms the domains use (owner ids, package viewers).
#include "api/app.hpp"

namespace mecapy::api {

std::string owner_of(const http::Request& req) { return req.principal.id; }

packages::Viewer viewer_of(AppContext&, const http::Request& req) {
  if (!req.principal.authenticated()) return {};
  return {req.principal.id, {}};
}

}  // namespace mecapy::api
