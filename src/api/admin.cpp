// Administration: users of the built-in accounts and of the provider, and the audit
// log (/api/v1/admin/*; scope admin). docs/identity.md.
#include <boost/json.hpp>

#include "api/app.hpp"
#include "api/auth_json.hpp"
#include "api/package_lookup.hpp"
#include "api/query_params.hpp"
#include "auth/accounts/secrets.hpp"
#include "auth/accounts/timestamps.hpp"
#include "core/errors.hpp"

namespace mecapy::api {
namespace {

using http::Request;
using http::Response;

const http::Access kAdmin = http::Access::with_scope(http::scope::admin);

std::string optional_string(const boost::json::object& body, std::string_view name) {
  const auto* v = body.if_contains(name);
  if (!v || v->is_null()) return {};
  if (!v->is_string() || v->get_string().size() > 320)
    throw Error(ErrorKind::invalid_input, "invalid-body", "'" + std::string(name) + "' must be a short string.");
  return std::string(v->get_string());
}

std::optional<bool> optional_bool(const boost::json::object& body, std::string_view name) {
  const auto* v = body.if_contains(name);
  if (!v) return std::nullopt;
  if (!v->is_bool())
    throw Error(ErrorKind::invalid_input, "invalid-body", "'" + std::string(name) + "' must be true or false.");
  return v->get_bool();
}

}  // namespace

void register_admin_routes(http::Router& router, AppContext& app) {
  router.add(
      "GET", "/api/v1/admin/users",
      [&app](Request& req) {
        auth::accounts::PageRequest page{int_query(req, "page", 1), int_query(req, "per_page", 20)};
        const auto users = app.identity.users().list(page);
        boost::json::array items;
        for (const auto& u : users.items) items.push_back(user_json(u));
        return Response::json(
            200, {{"items", items}, {"total", users.total}, {"page", page.page}, {"per_page", page.per_page}});
      },
      http::Execution::offloaded, kAdmin);

  router.add(
      "POST", "/api/v1/admin/users",
      [&app](Request& req) {
        const auto body = object_body(req);
        auth::accounts::NewUser user;
        user.handle = optional_string(body, "username");
        user.email = optional_string(body, "email");
        user.display_name = optional_string(body, "display_name");
        user.is_admin = optional_bool(body, "is_admin").value_or(false);
        std::string password = optional_string(body, "password");
        const bool generated = password.empty();
        if (generated) password = auth::accounts::random_secret(15);
        const auto created = app.identity.local_login().create_user(user, password);
        audit(app, req, auth::accounts::audit_action::user_created, created.id, {{"is_admin", created.is_admin}});
        auto out = user_json(created);
        if (generated) out["password"] = password;  // shown once
        Response res = Response::json(201, out);
        res.headers.set("Location", "/api/v1/admin/users/" + created.id);
        res.headers.set("Cache-Control", "no-store");
        return res;
      },
      http::Execution::offloaded, kAdmin);

  router.add(
      "GET", "/api/v1/admin/users/{id}",
      [&app](Request& req) {
        const auto user = app.identity.users().find(req.param("id"));
        if (!user) auth::accounts::throw_user_not_found(req.param("id"));
        return Response::json(200, user_json(*user));
      },
      http::Execution::offloaded, kAdmin);

  router.add(
      "PATCH", "/api/v1/admin/users/{id}",
      [&app](Request& req) {
        const auto body = object_body(req);
        const auto& id = req.param("id");
        for (const auto& [key, value] : body)
          if (key != "is_admin" && key != "disabled" && key != "password" && key != "unlock")
            throw Error(
                ErrorKind::unprocessable, "invalid-body",
                "Unknown member '" + std::string(key) + "': you may change is_admin, disabled, password, unlock.");
        auto& users = app.identity.users();
        if (!users.find(id)) auth::accounts::throw_user_not_found(id);
        if (const auto admin = optional_bool(body, "is_admin")) {
          if (!*admin && id == req.principal.id)
            throw Error(ErrorKind::conflict, "cannot-demote-yourself",
                        "You cannot remove your own administrator role; ask another administrator.");
          users.set_admin(id, *admin);
          audit(app, req, auth::accounts::audit_action::role_changed, id, {{"is_admin", *admin}});
        }
        if (const auto disabled = optional_bool(body, "disabled")) {
          if (*disabled && id == req.principal.id)
            throw Error(ErrorKind::conflict, "cannot-disable-yourself", "You cannot disable your own account.");
          users.set_disabled(id, *disabled);
          if (*disabled) {
            app.identity.sessions().destroy_all(id);
          }
          audit(app, req, auth::accounts::audit_action::role_changed, id, {{"disabled", *disabled}});
        }
        if (const auto password = optional_string(body, "password"); !password.empty()) {
          app.identity.local_login().set_password(id, password);
          app.identity.sessions().destroy_all(id);
          audit(app, req, auth::accounts::audit_action::password_changed, id, {{"by_admin", true}});
        }
        if (optional_bool(body, "unlock").value_or(false)) {
          app.identity.local_login().unlock(id);
          audit(app, req, auth::accounts::audit_action::unlock, id);
        }
        return Response::json(200, user_json(*users.find(id)));
      },
      http::Execution::offloaded, kAdmin);

  router.add(
      "GET", "/api/v1/admin/audit",
      [&app](Request& req) {
        auth::accounts::AuditQuery q;
        q.page = {int_query(req, "page", 1), int_query(req, "per_page", 50)};
        q.actor = req.query_param("actor").value_or("");
        q.action = req.query_param("action").value_or("");
        if (const auto since = req.query_param("since")) {
          q.since = auth::accounts::parse_timestamp(*since);
          if (!q.since)
            throw Error(ErrorKind::invalid_input, "invalid-query",
                        "since must be an RFC 3339 time such as 2026-01-31T12:00:00.000Z.");
        }
        const auto page = app.identity.audit().list(q);
        boost::json::array items;
        for (const auto& e : page.items) items.push_back(audit_json(e));
        return Response::json(
            200, {{"items", items}, {"total", page.total}, {"page", q.page.page}, {"per_page", q.page.per_page}});
      },
      http::Execution::offloaded, kAdmin);
}

}  // namespace mecapy::api
