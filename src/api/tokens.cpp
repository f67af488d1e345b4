// API tokens of the caller: /api/v1/auth/tokens (docs/identity.md). A token is shown
// once, at creation; its scopes never exceed the creator's; another user's token is
// not found.
#include <boost/json.hpp>

#include "api/app.hpp"
#include "api/auth_json.hpp"
#include "api/package_lookup.hpp"
#include "auth/accounts/timestamps.hpp"
#include "core/errors.hpp"

namespace mecapy::api {
namespace {

using http::Request;
using http::Response;

std::vector<std::string> requested_scopes(const boost::json::object& body, const http::Principal& caller) {
  const auto* v = body.if_contains("scopes");
  if (!v || !v->is_array() || v->get_array().empty())
    throw Error(ErrorKind::invalid_input, "invalid-body",
                "'scopes' must be a non-empty array among read, run, deploy and admin.");
  std::vector<std::string> scopes;
  for (const auto& s : v->get_array()) {
    if (!s.is_string()) throw Error(ErrorKind::invalid_input, "invalid-scope", "Each scope must be a string.");
    scopes.emplace_back(s.get_string());
  }
  scopes = auth::accounts::canonical_scopes(scopes);
  for (const auto& s : scopes)
    if (!caller.has_scope(s))
      throw Error(ErrorKind::forbidden, "permission-denied",
                  "You cannot give a token the scope '" + s + "', which your own credentials lack.");
  return scopes;
}

std::optional<auth::accounts::TimePoint> requested_expiry(const boost::json::object& body) {
  const auto* days = body.if_contains("expires_in_days");
  if (!days || days->is_null()) return std::nullopt;
  if (!days->is_int64() || days->get_int64() < 1 || days->get_int64() > 3650)
    throw Error(ErrorKind::invalid_input, "invalid-expiry",
                "'expires_in_days' must be a whole number of days from 1 to 3650, or null for a token that never "
                "expires.");
  return auth::accounts::system_now() + std::chrono::hours(24) * days->get_int64();
}

}  // namespace

void register_tokens_routes(http::Router& router, AppContext& app) {
  router.add(
      "POST", "/api/v1/auth/tokens",
      [&app](Request& req) {
        const auto body = object_body(req);
        const auto* name = body.if_contains("name");
        if (!name || !name->is_string())
          throw Error(ErrorKind::invalid_input, "invalid-body", "'name' must be a string (what the token is for).");
        const auto scopes = requested_scopes(body, req.principal);
        const auto created = app.identity.tokens().create(req.principal.id, std::string(name->get_string()), scopes,
                                                          requested_expiry(body));
        audit(app, req, auth::accounts::audit_action::token_created, "token:" + created.token.id,
              {{"scopes", token_json(created.token).at("scopes")}, {"name", created.token.name}});
        auto out = token_json(created.token);
        out["token"] = created.plaintext;
        Response res = Response::json(201, out);
        res.headers.set("Location", "/api/v1/auth/tokens/" + created.token.id);
        res.headers.set("Cache-Control", "no-store");
        return res;
      },
      http::Execution::offloaded, http::Access{});

  router.add(
      "GET", "/api/v1/auth/tokens",
      [&app](Request& req) {
        boost::json::array items;
        for (const auto& t : app.identity.tokens().list(req.principal.id)) items.push_back(token_json(t));
        return Response::json(200, {{"items", items}, {"total", items.size()}});
      },
      http::Execution::offloaded, http::Access::with_scope(http::scope::read));

  router.add(
      "DELETE", "/api/v1/auth/tokens/{id}",
      [&app](Request& req) {
        const auto revoked = app.identity.tokens().revoke(req.principal.id, req.param("id"));
        audit(app, req, auth::accounts::audit_action::token_revoked, "token:" + revoked.id);
        return Response::json(200, token_json(revoked));
      },
      http::Execution::offloaded, http::Access{});
}

}  // namespace mecapy::api
