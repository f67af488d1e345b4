#include "auth/sign_in.hpp"

#include "auth/accounts/timestamps.hpp"
#include "auth/oidc/pkce.hpp"
#include "auth/request_authenticator.hpp"
#include "core/errors.hpp"
#include "core/log.hpp"

namespace mecapy::auth {
void SignIn::audit(const std::string& actor, std::string_view action, const std::string& outcome, const Origin& origin,
                   boost::json::object detail) {
  accounts::AuditEvent event;
  event.actor = actor.empty() ? "anonymous" : actor;
  event.action = std::string(action);
  event.target = event.actor;
  event.outcome = outcome;
  event.ip = origin.ip;
  event.request_id = origin.request_id;
  event.detail = std::move(detail);
  try {
    identity_.audit().record(std::move(event));
  } catch (const std::exception& e) {
    log_error(std::string("audit log: could not record a sign-in event: ") + e.what());
    throw;
  }
}

accounts::CreatedSession SignIn::open_session(const accounts::UserRecord& user, const std::string& provider,
                                              const accounts::ProviderTokens& tokens) {
  accounts::NewSession s;
  s.user_id = user.id;
  s.provider = provider;
  s.tokens = tokens;
  s.ttl = identity_.sessions_policy().ttl;
  s.idle_timeout = identity_.sessions_policy().idle_timeout;
  return identity_.sessions().create(s);
}

SignedIn SignIn::local(const std::string& username, const std::string& password, const Origin& origin) {
  if (!identity_.local_accounts_enabled())
    throw Error(ErrorKind::forbidden, "local-accounts-disabled",
                "Built-in accounts are turned off on this server; sign in through the identity provider.");
  const auto result = identity_.local_login().attempt(username, password);
  switch (result.outcome) {
    case accounts::LoginOutcome::ok:
      break;
    case accounts::LoginOutcome::locked: {
      if (result.lock_started) audit(username, accounts::audit_action::lockout, "failure", origin);
      audit(username, accounts::audit_action::login_failed, "failure", origin, {{"reason", "locked"}});
      throw DetailedError(ErrorKind::too_many_requests, "account-locked",
                          "Too many wrong passwords: this account is locked for a while. Retry after Retry-After "
                          "seconds, or ask an administrator to unlock it.",
                          {{"retry_after_s", static_cast<std::int64_t>(result.retry_after.count())}});
    }
    case accounts::LoginOutcome::disabled:
      audit(username, accounts::audit_action::login_failed, "failure", origin, {{"reason", "disabled"}});
      throw Error(ErrorKind::forbidden, "account-disabled", "This account is disabled; ask an administrator.");
    case accounts::LoginOutcome::bad_credentials:
      if (result.lock_started) audit(username, accounts::audit_action::lockout, "failure", origin);
      audit(username, accounts::audit_action::login_failed, "failure", origin, {{"reason", "bad-credentials"}});
      throw Error(ErrorKind::unauthenticated, "invalid-credentials", "Wrong username or password.");
  }
  const auto& user = *result.user;
  auto session = open_session(user, "local", {});
  audit(user.id, accounts::audit_action::login, "success", origin, {{"method", "local"}});
  return {user, std::move(session), {}};
}

OidcStart SignIn::begin_oidc(const std::string& return_to) {
  auto* provider = identity_.provider();
  if (!provider)
    throw Error(ErrorKind::forbidden, "oidc-not-configured",
                "No OpenID Connect provider is configured on this server; use a built-in account.");
  const auto verifier = oidc::pkce_verifier();
  const auto nonce = oidc::random_token();
  const auto state = identity_.login_states().put(verifier, nonce, return_to, kLoginStateTtl);
  return {provider->authorization_url(state, nonce, oidc::pkce_challenge_s256(verifier)), state};
}

SignedIn SignIn::complete_oidc(const std::string& code, const std::string& state, const Origin& origin) {
  auto* provider = identity_.provider();
  if (!provider)
    throw Error(ErrorKind::forbidden, "oidc-not-configured",
                "No OpenID Connect provider is configured on this server.");
  const auto login = identity_.login_states().take(state);
  if (!login) {
    audit("", accounts::audit_action::login_failed, "failure", origin, {{"reason", "invalid-login-state"}});
    throw Error(ErrorKind::unauthenticated, "invalid-login-state",
                "This sign-in is unknown, already used or expired; start it again.");
  }
  oidc::TokenSet tokens;
  std::shared_ptr<const jwt::VerifiedToken> id_token;
  try {
    tokens = provider->exchange_code(code, login->code_verifier);
    if (tokens.id_token.empty())
      throw Error(ErrorKind::unavailable, "identity-provider-unavailable",
                  "The identity provider answered without an ID token.");
    id_token = provider->validate_id_token(tokens.id_token, login->nonce);
  } catch (const Error& e) {
    audit("", accounts::audit_action::login_failed, "failure", origin, {{"reason", e.code()}, {"method", "oidc"}});
    throw;
  }
  // The person is who the ID token says; the roles come from the access token,
  // where Keycloak puts them.
  std::vector<std::string> roles;
  try {
    const auto access = provider->validator().validate(tokens.access_token);
    const auto& settings = provider->settings();
    roles = provider_roles(access->claims, {settings.audience, settings.client_id});
  } catch (const Error& e) {
    log_warning(std::string("OIDC sign-in: the access token did not validate, roles left empty: ") + e.what());
  }
  const auto who = oidc_identity(*id_token, std::move(roles));
  const auto user = identity_.users().upsert_from_claims(who);
  if (user.disabled) {
    audit(user.id, accounts::audit_action::login_failed, "failure", origin, {{"reason", "disabled"}});
    throw Error(ErrorKind::forbidden, "account-disabled", "This account is disabled on this server.");
  }
  identity_.users().record_login(user.id);
  accounts::ProviderTokens kept;
  kept.refresh_token = tokens.refresh_token;
  kept.id_token = tokens.id_token;
  kept.access_expires_at =
      accounts::timestamp(accounts::system_now() + std::chrono::seconds(std::max(30L, tokens.expires_in)));
  auto session = open_session(user, "oidc", kept);
  audit(user.id, accounts::audit_action::login, "success", origin, {{"method", "oidc"}});
  return {user, std::move(session), login->return_to};
}

std::string SignIn::sign_out(const std::string& session_id, const std::string& user, const Origin& origin) {
  auto& sessions = identity_.sessions();
  const auto session = sessions.find(session_id);
  sessions.destroy(session_id);
  std::string end_session_url;
  if (session && session->provider == "oidc" && identity_.provider()) {
    auto* provider = identity_.provider();
    try {
      if (!session->tokens.refresh_token.empty()) provider->end_session(session->tokens.refresh_token);
    } catch (const std::exception& e) {
      log_warning(std::string("sign-out: the provider's session was not ended from the server: ") + e.what());
    }
    try {
      end_session_url = provider->end_session_url(session->tokens.id_token, "");
    } catch (const std::exception& e) {
      log_warning(std::string("sign-out: no end-session URL: ") + e.what());
    }
  }
  audit(user, accounts::audit_action::logout, "success", origin);
  return end_session_url;
}

}  // namespace mecapy::auth
