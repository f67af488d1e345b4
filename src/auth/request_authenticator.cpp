#include "auth/request_authenticator.hpp"

#include <algorithm>

#include "auth/accounts/secrets.hpp"
#include "auth/accounts/timestamps.hpp"
#include "auth/oidc/token_response.hpp"
#include "core/errors.hpp"
#include "core/log.hpp"
#include "http/cookies.hpp"

namespace mecapy::auth {
namespace {

constexpr std::size_t kMaxCachedUsers = 10'000;

bool changes_state(std::string_view method) { return method != "GET" && method != "HEAD" && method != "OPTIONS"; }

bool starts_with_ignoring_case(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i)
    if ((text[i] | 0x20) != (prefix[i] | 0x20)) return false;
  return true;
}

[[noreturn]] void refuse(const std::string& reason, const std::string& message) {
  throw DetailedError(ErrorKind::unauthenticated, "invalid-token", message, {{"reason", reason}});
}

std::string string_claim(const boost::json::object& claims, std::string_view name) {
  const auto* v = claims.if_contains(name);
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

void add_roles(const boost::json::value* holder, std::vector<std::string>& out) {
  if (!holder || !holder->is_object()) return;
  const auto* roles = holder->get_object().if_contains("roles");
  if (!roles || !roles->is_array()) return;
  for (const auto& r : roles->get_array())
    if (r.is_string()) out.emplace_back(r.get_string());
}

http::Principal ignored(std::string type, std::string detail) {
  http::Principal p;
  p.ignored = http::IgnoredCredentials{std::move(type), std::move(detail)};
  return p;
}

}  // namespace

std::vector<std::string> provider_roles(const boost::json::object& claims, const std::vector<std::string>& clients) {
  std::vector<std::string> roles;
  add_roles(claims.if_contains("realm_access"), roles);
  if (const auto* resource = claims.if_contains("resource_access"); resource && resource->is_object())
    for (const auto& client : clients) add_roles(resource->get_object().if_contains(client), roles);
  std::sort(roles.begin(), roles.end());
  roles.erase(std::unique(roles.begin(), roles.end()), roles.end());
  return roles;
}

accounts::OidcIdentity oidc_identity(const jwt::VerifiedToken& token, std::vector<std::string> roles) {
  accounts::OidcIdentity who;
  who.issuer = token.issuer;
  who.subject = token.subject;
  who.preferred_username = string_claim(token.claims, "preferred_username");
  who.email = string_claim(token.claims, "email");
  who.given_name = string_claim(token.claims, "given_name");
  who.family_name = string_claim(token.claims, "family_name");
  who.roles = std::move(roles);
  return who;
}

http::Principal person_principal(const accounts::UserRecord& user, http::Credential credential) {
  http::Principal p;
  p.id = user.id;
  p.kind = http::PrincipalKind::user;
  p.credential = credential;
  p.roles = user.roles;
  p.scopes = {std::string(http::scope::read), std::string(http::scope::run), std::string(http::scope::deploy)};
  const bool admin = user.is_admin || std::find(user.roles.begin(), user.roles.end(), "admin") != user.roles.end();
  if (admin) p.scopes.emplace_back(http::scope::admin);
  return p;
}

http::Principal RequestAuthenticator::authenticate(const http::Request& request) const {
  if (const auto authorization = request.headers.get("Authorization")) {
    if (!starts_with_ignoring_case(*authorization, "Bearer "))
      refuse("malformed", "Send the token as 'Authorization: Bearer <token>'.");
    std::string_view token = authorization->substr(7);
    while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
    if (token.empty()) refuse("malformed", "The Authorization header carries no token after 'Bearer'.");
    if (token.starts_with(accounts::kApiTokenPrefix)) return from_api_token(token);
    return from_provider_token(token);
  }
  const auto& policy = identity_.sessions_policy();
  if (auto session = http::cookie_value(request, policy.session_cookie())) return from_session(request, *session);
  return {};
}

http::Principal RequestAuthenticator::from_api_token(std::string_view token) const {
  const auto result = identity_.tokens().authenticate(token);
  switch (result.failure) {
    case accounts::TokenFailure::none:
      break;
    case accounts::TokenFailure::revoked:
      refuse("revoked", "This API token was revoked; create a new one.");
    case accounts::TokenFailure::expired:
      refuse("expired", "This API token has expired; create a new one.");
    case accounts::TokenFailure::user_disabled:
      refuse("user-disabled", "The account of this API token is disabled.");
    case accounts::TokenFailure::unknown:
      refuse("unknown-token", "This API token is not known here (mistyped, or from another installation).");
  }
  const auto& user = *result.user;
  const auto& token_record = *result.token;
  http::Principal p;
  p.id = user.id;
  p.kind = http::PrincipalKind::user;
  p.credential = http::Credential::api_token;
  p.credential_id = token_record.id;
  p.roles = user.roles;
  for (const auto& s : token_record.scopes)
    if (s != http::scope::admin || user.is_admin) p.scopes.push_back(s);
  return p;
}

http::Principal RequestAuthenticator::from_provider_token(std::string_view token) const {
  auto* provider = identity_.provider();
  if (!provider)
    refuse("no-identity-provider",
           "This server accepts API tokens (mcp_...) and its own sessions only: no OpenID Connect provider is "
           "configured.");
  const auto verified = provider->validator().validate(token);
  const auto& claims = verified->claims;
  // Keycloak types its tokens; an ID or refresh token is not a credential for the API
  // even when its audience would pass.
  if (const auto typ = string_claim(claims, "typ"); !typ.empty() && typ != "Bearer")
    refuse("wrong-token-type", "This is a provider token of type '" + typ + "'; send an access token.");
  const auto& settings = provider->settings();
  const auto who =
      oidc_identity(*verified, provider_roles(claims, {settings.audience, settings.client_id, verified->azp}));
  const auto user = user_of_claims(who);
  if (user.disabled) refuse("user-disabled", "This account is disabled on this server.");
  http::Principal p = person_principal(user, http::Credential::provider_token);
  // A client-credentials token names a client, not a person (Keycloak puts the client
  // in client_id and calls its user service-account-<client>).
  if (claims.contains("client_id") || who.preferred_username.starts_with("service-account-"))
    p.kind = http::PrincipalKind::service;
  return p;
}

accounts::UserRecord RequestAuthenticator::user_of_claims(const accounts::OidcIdentity& who) const {
  std::string key = who.issuer + '\n' + who.subject + '\n' + who.preferred_username + '\n' + who.email + '\n' +
                    who.given_name + '\n' + who.family_name;
  for (const auto& r : who.roles) key += '\n' + r;
  std::string known_id;
  {
    std::lock_guard lock(users_mutex_);
    if (auto it = user_ids_by_claims_.find(key); it != user_ids_by_claims_.end()) known_id = it->second;
  }
  if (!known_id.empty())
    if (auto user = identity_.users().find(known_id)) return *user;
  auto user = identity_.users().upsert_from_claims(who);
  std::lock_guard lock(users_mutex_);
  if (user_ids_by_claims_.size() >= kMaxCachedUsers) user_ids_by_claims_.clear();
  user_ids_by_claims_[key] = user.id;
  return user;
}

http::Principal RequestAuthenticator::from_session(const http::Request& request, const std::string& session_id) const {
  auto& sessions = identity_.sessions();
  auto session = sessions.find(session_id);
  if (!session) return ignored("session-ended", "Your session has ended; sign in again.");
  if (changes_state(request.method)) {
    const auto sent = request.headers.get(kCsrfHeader);
    if (!sent || !accounts::constant_time_equal(*sent, session->csrf_token))
      return ignored("csrf-token-invalid",
                     "A request that changes something needs the session's CSRF token in the X-CSRF-Token header "
                     "(from the sign-in answer, GET /api/v1/auth/me or the mecapy_csrf cookie).");
  }
  const auto user = identity_.users().find(session->user_id);
  if (!user || user->disabled) {
    sessions.destroy(session_id);
    return ignored("session-ended", "This account is disabled; the session has ended.");
  }
  // An OIDC session lives as long as the provider's: past the access token's expiry
  // the refresh token renews it, and a refusal ends the session.
  if (session->provider == "oidc" && identity_.provider()) {
    const auto due = accounts::parse_timestamp(session->tokens.access_expires_at);
    if (due && *due <= accounts::system_now() && !session->tokens.refresh_token.empty()) {
      try {
        const auto renewed = identity_.provider()->refresh(session->tokens.refresh_token);
        accounts::ProviderTokens tokens = session->tokens;
        if (!renewed.refresh_token.empty()) tokens.refresh_token = renewed.refresh_token;
        if (!renewed.id_token.empty()) tokens.id_token = renewed.id_token;
        tokens.access_expires_at =
            accounts::timestamp(accounts::system_now() + std::chrono::seconds(std::max(30L, renewed.expires_in)));
        sessions.update_provider_tokens(session_id, tokens);
      } catch (const oidc::OidcError& e) {
        sessions.destroy(session_id);
        return ignored("session-ended", "The identity provider ended your session (" + e.error() + "); sign in again.");
      } catch (const Error& e) {
        // The provider is unreachable: keep the session rather than sign everybody
        // out during an outage; the next request tries again.
        log_warning(std::string("session refresh skipped: ") + e.what());
      }
    }
  }
  return person_principal(*user, http::Credential::session);
}

}  // namespace mecapy::auth
