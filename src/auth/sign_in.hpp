// Signing in and out of the browser session: with a built-in account, or through
// the OpenID Connect provider (authorization code + PKCE S256), and the end of a
// session. Each success and failure goes to the audit log.
//
// The OIDC flow keeps its secrets server-side: begin_oidc() makes the PKCE verifier
// and the nonce, stores them under a fresh `state` (single use, short-lived:
// accounts/login_state_store.hpp) and returns the provider's authorization URL;
// complete_oidc() takes the state back (a replayed or expired state is refused),
// exchanges the code with the verifier, checks the ID token and its nonce, creates
// or updates the user from the ID token's claims, and opens a session that keeps
// the refresh token and the ID token (for the end-session call).
#pragma once

#include <string>

#include "auth/identity.hpp"

namespace mecapy::auth {

// Where a request came from, for the audit log.
struct Origin {
  std::string ip;
  std::string request_id;
};

struct SignedIn {
  accounts::UserRecord user;
  accounts::CreatedSession session;
  std::string return_to;  // OIDC: where the UI asked to go after the login
};

struct OidcStart {
  std::string authorization_url;
  std::string state;
};

class SignIn {
 public:
  explicit SignIn(Identity& identity) : identity_(identity) {}

  // Throws Error(unauthenticated, "invalid-credentials") for a wrong username or
  // password (the same for both), Error(too_many_requests, "account-locked") with
  // retry_after_s, Error(forbidden, "account-disabled"), and Error(forbidden,
  // "local-accounts-disabled") when built-in accounts are off.
  SignedIn local(const std::string& username, const std::string& password, const Origin& origin);

  // Throws Error(forbidden, "oidc-not-configured") without a provider.
  OidcStart begin_oidc(const std::string& return_to);
  // Throws Error(unauthenticated, "invalid-login-state") for an unknown, used or
  // expired state, the provider's refusal (OidcError, e.g. a wrong verifier), and
  // TokenError for an ID token that does not verify or carries another nonce.
  SignedIn complete_oidc(const std::string& code, const std::string& state, const Origin& origin);

  // Ends the session `session_id` of `user`. For an OIDC session, also ends the
  // provider's session from the server when it can, and returns the provider's
  // end-session URL for the browser (empty when there is none).
  std::string sign_out(const std::string& session_id, const std::string& user, const Origin& origin);

 private:
  accounts::CreatedSession open_session(const accounts::UserRecord& user, const std::string& provider,
                                        const accounts::ProviderTokens& tokens);
  void audit(const std::string& actor, std::string_view action, const std::string& outcome, const Origin& origin,
             boost::json::object detail = {});

  Identity& identity_;
};

// The login states live this long: the time a person has to sign in at the provider.
inline constexpr std::chrono::minutes kLoginStateTtl{10};

}  // namespace mecapy::auth
