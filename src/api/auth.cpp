// Signing in and out, and who the caller is: /api/v1/auth/* (docs/identity.md).
// The browser gets an HttpOnly session cookie and a CSRF token (in the answer and
// in a readable cookie) that it sends back as X-CSRF-Token on every change.
#include <boost/json.hpp>
#include <cctype>

#include "api/app.hpp"
#include "api/auth_json.hpp"
#include "api/package_lookup.hpp"
#include "auth/request_authenticator.hpp"
#include "auth/sign_in.hpp"
#include "core/errors.hpp"
#include "http/cookies.hpp"

namespace mecapy::api {
namespace {

using http::Request;
using http::Response;

std::string string_member(const boost::json::object& body, std::string_view name, std::size_t max_size = 4096) {
  const auto* v = body.if_contains(name);
  if (!v || !v->is_string() || v->get_string().empty() || v->get_string().size() > max_size)
    throw Error(
        ErrorKind::invalid_input, "invalid-body",
        "'" + std::string(name) + "' must be a non-empty string of at most " + std::to_string(max_size) + " bytes.");
  return std::string(v->get_string());
}

auth::Origin origin_of(const Request& req) { return {req.remote_address, req.request_id}; }

// The body of a route that opens a session for whoever sends the right body (a
// sign-in, a callback): JSON only. Another site's page can make a browser post a form
// (urlencoded, multipart or text/plain) without asking, but not application/json,
// which needs a CORS preflight; so it cannot sign the browser in to an account of its
// choosing (login CSRF).
boost::json::object sign_in_body(const Request& req) {
  std::string media(req.headers.get("Content-Type").value_or(""));
  if (const auto semicolon = media.find(';'); semicolon != std::string::npos) media.resize(semicolon);
  while (!media.empty() && (media.back() == ' ' || media.back() == '\t')) media.pop_back();
  for (char& c : media) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (media != "application/json")
    throw Error(ErrorKind::invalid_input, "json-required",
                "Send the sign-in as JSON, with Content-Type: application/json.");
  return object_body(req);
}

void set_session_cookies(Response& res, const auth::SessionPolicy& policy, const std::string& session_id,
                         const std::string& csrf_token) {
  http::set_cookie(res, {policy.session_cookie(), session_id, policy.ttl, true, policy.secure});
  http::set_cookie(res, {policy.csrf_cookie(), csrf_token, policy.ttl, false, policy.secure});
}

void clear_session_cookies(Response& res, const auth::SessionPolicy& policy) {
  http::set_cookie(res, {policy.session_cookie(), "", std::chrono::seconds(0), true, policy.secure});
  http::set_cookie(res, {policy.csrf_cookie(), "", std::chrono::seconds(0), false, policy.secure});
}

Response signed_in_response(AppContext& app, const auth::SignedIn& s) {
  boost::json::object body{
      {"user", user_json(s.user)}, {"csrf_token", s.session.csrf_token}, {"expires_at", s.session.record.expires_at}};
  if (!s.return_to.empty()) body["return_to"] = s.return_to;
  Response res = Response::json(200, body);
  set_session_cookies(res, app.identity.sessions_policy(), s.session.id, s.session.csrf_token);
  res.headers.set("Cache-Control", "no-store");
  return res;
}

std::string_view credential_name(http::Credential c) {
  switch (c) {
    case http::Credential::session:
      return "session";
    case http::Credential::api_token:
      return "api_token";
    case http::Credential::provider_token:
      return "provider_token";
    case http::Credential::none:
      break;
  }
  return "none";
}

// Where the UI may ask to return after an OIDC sign-in: a path on this site only,
// never another origin (an open redirect).
std::string checked_return_to(const boost::json::object& body) {
  const auto* v = body.if_contains("return_to");
  if (!v) return {};
  if (!v->is_string() || v->get_string().size() > 2048)
    throw Error(ErrorKind::invalid_input, "invalid-body", "'return_to' must be a path of at most 2048 bytes.");
  std::string path(v->get_string());
  if (path.empty()) return path;
  if (path.front() != '/' || path.starts_with("//") || path.find('\\') != std::string::npos ||
      path.find_first_of("\r\n\t") != std::string::npos)
    throw Error(ErrorKind::invalid_input, "invalid-return-to",
                "'return_to' must be a path on this site, such as /packages (not another origin).");
  return path;
}

}  // namespace

void register_auth_routes(http::Router& router, AppContext& app) {
  router.add(
      "GET", "/api/v1/auth/config",
      [&app](Request&) {
        auto* provider = app.identity.provider();
        boost::json::object oidc{{"enabled", provider != nullptr}};
        if (provider) {
          oidc["issuer"] = provider->settings().issuer;
          oidc["client_id"] = provider->settings().client_id;
        }
        boost::json::array methods;
        if (app.identity.local_accounts_enabled()) methods.emplace_back("local");
        if (provider) methods.emplace_back("oidc");
        return Response::json(200, {{"methods", methods},
                                    {"local", {{"enabled", app.identity.local_accounts_enabled()}}},
                                    {"oidc", oidc},
                                    {"csrf_header", auth::kCsrfHeader},
                                    {"api_tokens", true}});
      },
      http::Execution::offloaded, http::Access::open());

  router.add(
      "POST", "/api/v1/auth/local/login",
      [&app](Request& req) {
        const auto body = sign_in_body(req);
        const auto username = string_member(body, "username", 256);
        const auto password = string_member(body, "password", 1024);
        auth::SignIn sign_in(app.identity);
        return signed_in_response(app, sign_in.local(username, password, origin_of(req)));
      },
      http::Execution::offloaded, http::Access::open());

  router.add(
      "POST", "/api/v1/auth/login",
      [&app](Request& req) {
        const auto body = req.body.empty() ? boost::json::object{} : object_body(req);
        auth::SignIn sign_in(app.identity);
        const auto start = sign_in.begin_oidc(checked_return_to(body));
        Response res = Response::json(200, {{"authorization_url", start.authorization_url}, {"state", start.state}});
        res.headers.set("Cache-Control", "no-store");
        return res;
      },
      http::Execution::offloaded, http::Access::open());

  router.add(
      "POST", "/api/v1/auth/callback",
      [&app](Request& req) {
        const auto body = sign_in_body(req);
        const auto code = string_member(body, "code");
        const auto state = string_member(body, "state", 256);
        auth::SignIn sign_in(app.identity);
        return signed_in_response(app, sign_in.complete_oidc(code, state, origin_of(req)));
      },
      http::Execution::offloaded, http::Access::open());

  router.add(
      "POST", "/api/v1/auth/logout",
      [&app](Request& req) {
        const auto& policy = app.identity.sessions_policy();
        std::string end_session_url;
        if (req.principal.credential == http::Credential::session) {
          if (const auto id = http::cookie_value(req, policy.session_cookie())) {
            auth::SignIn sign_in(app.identity);
            end_session_url = sign_in.sign_out(*id, req.principal.id, origin_of(req));
          }
        }
        Response res =
            Response::json(200, {{"signed_out", true},
                                 {"end_session_url", end_session_url.empty() ? boost::json::value(nullptr)
                                                                             : boost::json::value(end_session_url)}});
        clear_session_cookies(res, policy);
        return res;
      },
      http::Execution::offloaded, http::Access{});

  router.add(
      "GET", "/api/v1/auth/me",
      [&app](Request& req) {
        const auto& p = req.principal;
        const auto user = app.identity.users().find(p.id);
        if (!user) throw Error(ErrorKind::not_found, "user-not-found", "Your account no longer exists.");
        boost::json::object body = user_json(*user);
        boost::json::array scopes;
        for (const auto& s : p.scopes) scopes.emplace_back(s);
        body["scopes"] = scopes;
        body["credential"] = credential_name(p.credential);
        body["kind"] = p.kind == http::PrincipalKind::service ? "service" : "user";
        boost::json::array organisations;
        for (const auto& m : app.identity.organizations().organizations_of(p.id))
          organisations.push_back(membership_json(m));
        body["organisations"] = organisations;
        if (p.credential == http::Credential::session) {
          const auto id = http::cookie_value(req, app.identity.sessions_policy().session_cookie());
          if (const auto session = id ? app.identity.sessions().find(*id) : std::nullopt) {
            body["csrf_token"] = session->csrf_token;
            body["session_expires_at"] = session->expires_at;
          }
        }
        Response res = Response::json(200, body);
        res.headers.set("Cache-Control", "no-store");
        return res;
      },
      http::Execution::offloaded, http::Access{});

  router.add(
      "POST", "/api/v1/auth/password",
      [&app](Request& req) {
        if (req.principal.credential == http::Credential::api_token)
          throw Error(ErrorKind::forbidden, "permission-denied",
                      "Change your password signed in as yourself (the browser's session), not with an API token.");
        const auto body = object_body(req);
        const auto current = string_member(body, "current_password", 1024);
        const auto wanted = string_member(body, "new_password", 1024);
        app.identity.local_login().change_password(req.principal.id, current, wanted);
        // Every other session and browser of the user ends; this one starts afresh.
        app.identity.sessions().destroy_all(req.principal.id);
        audit(app, req, auth::accounts::audit_action::password_changed, req.principal.id);
        Response res = Response::json(200, {{"password_changed", true}});
        if (req.principal.credential == http::Credential::session) {
          auth::accounts::NewSession s;
          s.user_id = req.principal.id;
          s.provider = "local";
          s.ttl = app.identity.sessions_policy().ttl;
          s.idle_timeout = app.identity.sessions_policy().idle_timeout;
          const auto session = app.identity.sessions().create(s);
          res = Response::json(200, {{"password_changed", true}, {"csrf_token", session.csrf_token}});
          set_session_cookies(res, app.identity.sessions_policy(), session.id, session.csrf_token);
        }
        return res;
      },
      http::Execution::offloaded, http::Access{});
}

}  // namespace mecapy::api
