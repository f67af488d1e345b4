// Organisations and their members (/api/v1/organisations; docs/identity.md). A
// non-member learns nothing of an organisation (404); a member who is not one of its
// admins may look but not change (403 permission-denied). Platform administrators
// may do everything an organisation admin may.
#include <boost/json.hpp>

#include "api/app.hpp"
#include "api/auth_json.hpp"
#include "api/package_lookup.hpp"
#include "api/query_params.hpp"
#include "core/errors.hpp"

namespace mecapy::api {
namespace {

using http::Request;
using http::Response;

enum class OrgRole { none, member, admin };

OrgRole role_in(AppContext& app, const Request& req, const std::string& org) {
  if (req.principal.has_scope(http::scope::admin) && app.identity.organizations().find(org)) return OrgRole::admin;
  const auto role = app.identity.organizations().role_of(org, req.principal.id);
  if (!role) return OrgRole::none;
  return *role == "admin" ? OrgRole::admin : OrgRole::member;
}

[[noreturn]] void not_found(const std::string& org) {
  throw Error(ErrorKind::not_found, "organisation-not-found", "No organisation " + org + " that you belong to.");
}

OrgRole require_member(AppContext& app, const Request& req, const std::string& org) {
  const auto role = role_in(app, req, org);
  if (role == OrgRole::none) not_found(org);
  return role;
}

void require_org_admin(AppContext& app, const Request& req, const std::string& org) {
  if (require_member(app, req, org) != OrgRole::admin)
    throw Error(ErrorKind::forbidden, "permission-denied",
                "Only an admin of " + org + " may change its members; ask one of them.");
}

}  // namespace

void register_organisations_routes(http::Router& router, AppContext& app) {
  // Organisations are namespaces of packages: changing them is publishing business.
  const auto kManage = http::Access::with_scope(http::scope::deploy);
  router.add(
      "POST", "/api/v1/organisations",
      [&app](Request& req) {
        const auto body = object_body(req);
        const auto* id = body.if_contains("id");
        if (!id || !id->is_string())
          throw Error(ErrorKind::invalid_input, "invalid-body", "'id' must be the organisation's handle.");
        const auto* name = body.if_contains("display_name");
        if (name && !name->is_string())
          throw Error(ErrorKind::invalid_input, "invalid-body", "'display_name' must be a string.");
        const auto org = app.identity.organizations().create(
            std::string(id->get_string()), name ? std::string(name->get_string()) : std::string(), req.principal.id);
        audit(app, req, "organisation_created", org.id);
        Response res = Response::json(201, organization_json(org));
        res.headers.set("Location", "/api/v1/organisations/" + org.id);
        return res;
      },
      http::Execution::offloaded, kManage);

  router.add(
      "GET", "/api/v1/organisations",
      [&app](Request& req) {
        boost::json::array items;
        for (const auto& m : app.identity.organizations().organizations_of(req.principal.id)) {
          auto item = membership_json(m);
          if (const auto org = app.identity.organizations().find(m.organization_id))
            item["display_name"] = org->display_name;
          items.push_back(std::move(item));
        }
        return Response::json(200, {{"items", items}, {"total", items.size()}});
      },
      http::Execution::offloaded, http::Access::with_scope(http::scope::read));

  router.add(
      "GET", "/api/v1/organisations/{id}",
      [&app](Request& req) {
        const auto& id = req.param("id");
        const auto role = require_member(app, req, id);
        auto out = organization_json(*app.identity.organizations().find(id));
        out["your_role"] = role == OrgRole::admin ? "admin" : "user";
        return Response::json(200, out);
      },
      http::Execution::offloaded, http::Access::with_scope(http::scope::read));

  router.add(
      "GET", "/api/v1/organisations/{id}/members",
      [&app](Request& req) {
        const auto& id = req.param("id");
        require_member(app, req, id);
        auth::accounts::PageRequest page{int_query(req, "page", 1), int_query(req, "per_page", 20)};
        const auto members = app.identity.organizations().members(id, page);
        boost::json::array items;
        for (const auto& m : members.items) items.push_back(membership_json(m));
        return Response::json(200, {{"items", items}, {"total", members.total}});
      },
      http::Execution::offloaded, http::Access::with_scope(http::scope::read));

  router.add(
      "PUT", "/api/v1/organisations/{id}/members/{user}",
      [&app](Request& req) {
        const auto& id = req.param("id");
        require_org_admin(app, req, id);
        const auto body = object_body(req);
        const auto* role = body.if_contains("role");
        if (!role || !role->is_string())
          throw Error(ErrorKind::invalid_input, "invalid-role", "'role' must be \"user\" or \"admin\".");
        const auto m = app.identity.organizations().set_member(id, req.param("user"), std::string(role->get_string()));
        audit(app, req, "role_changed", id + ":" + m.user_id, {{"role", m.role}});
        return Response::json(200, membership_json(m));
      },
      http::Execution::offloaded, kManage);

  router.add(
      "DELETE", "/api/v1/organisations/{id}/members/{user}",
      [&app](Request& req) {
        const auto& id = req.param("id");
        const auto& user = req.param("user");
        if (user == req.principal.id)
          require_member(app, req, id);  // leaving: any member may
        else
          require_org_admin(app, req, id);
        app.identity.organizations().remove_member(id, user);
        audit(app, req, "role_changed", id + ":" + user, {{"role", nullptr}});
        return Response::empty(204);
      },
      http::Execution::offloaded, kManage);
}

}  // namespace mecapy::api
