// Who the caller is, in the terms the domains use (owner ids, package viewers), and
// the audit of what they do.
#include "api/app.hpp"

namespace mecapy::api {

std::string owner_of(const http::Request& req) { return req.principal.id; }

packages::Viewer viewer_of(AppContext& app, const http::Request& req) {
  if (!req.principal.authenticated()) return {};
  packages::Viewer viewer{req.principal.id, {}};
  if (req.principal.kind == http::PrincipalKind::single_user) return viewer;
  for (auto& m : app.identity.organizations().organizations_of(req.principal.id))
    viewer.organisations.push_back(std::move(m.organization_id));
  return viewer;
}

void audit(AppContext& app, const http::Request& req, std::string_view action, std::string target,
           boost::json::object detail, std::string outcome) {
  auth::accounts::AuditEvent event;
  event.actor = req.principal.authenticated() ? req.principal.id : "anonymous";
  event.action = std::string(action);
  event.target = std::move(target);
  event.outcome = std::move(outcome);
  event.ip = req.remote_address;
  event.request_id = req.request_id;
  event.detail = std::move(detail);
  app.identity.audit().record(std::move(event));
}

}  // namespace mecapy::api
