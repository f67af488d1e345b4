// Turns a request's credentials into its principal (http/principal.hpp), in this
// order:
//   Authorization: Bearer mcp_...  an API token: its user, with the token's scopes;
//   Authorization: Bearer <JWT>    an access token of the OpenID Connect provider:
//                                  the user (created or updated from its claims on
//                                  first sight) or the service account it names;
//   the session cookie             a browser session; on a request that changes
//                                  something (not GET, HEAD or OPTIONS) only with the
//                                  session's CSRF token in X-CSRF-Token;
//   nothing                        anonymous.
// A bad Authorization header throws (401 invalid-token with its reason); a cookie
// that does not count (ended session, missing CSRF token) leaves the caller
// anonymous with the reason noted, so open routes still answer and protected ones
// say what to fix. Every call may read the database or fetch the provider's keys:
// the pipeline runs it on the route's pool.
//
// Scopes: a person (session or provider token) holds read, run and deploy, and
// admin when an administrator (the user's flag, or the provider's `admin` role); an
// API token holds what it was created with, admin only while its user is one.
#pragma once

#include <mutex>
#include <string>
#include <unordered_map>

#include "auth/identity.hpp"
#include "auth/jwt/token_validator.hpp"
#include "http/principal.hpp"

namespace mecapy::auth {

class RequestAuthenticator final : public http::Authenticator {
 public:
  explicit RequestAuthenticator(Identity& identity) : identity_(identity) {}

  http::Principal authenticate(const http::Request& request) const override;

 private:
  http::Principal from_api_token(std::string_view token) const;
  http::Principal from_provider_token(std::string_view token) const;
  http::Principal from_session(const http::Request& request, const std::string& session_id) const;
  // The user of a provider token's claims. The claims are written (created or
  // updated) at most once per distinct claims — a small bounded cache of user ids,
  // which the tokens of one user share — but the user is read afresh on every
  // request, so that an administrator's change (disabled, is_admin) counts at once,
  // on every instance.
  accounts::UserRecord user_of_claims(const accounts::OidcIdentity& identity) const;

  Identity& identity_;
  mutable std::mutex users_mutex_;
  mutable std::unordered_map<std::string, std::string> user_ids_by_claims_;
};

// Who a verified provider token says the person is: issuer, subject, the profile
// claims (preferred_username, email, given_name, family_name) and `roles`.
accounts::OidcIdentity oidc_identity(const jwt::VerifiedToken& token, std::vector<std::string> roles);

// The principal of a signed-in person.
http::Principal person_principal(const accounts::UserRecord& user, http::Credential credential);
// The provider's roles of an access token: realm_access.roles and
// resource_access.<client>.roles of the given clients, sorted, without repeats.
std::vector<std::string> provider_roles(const boost::json::object& claims, const std::vector<std::string>& clients);

}  // namespace mecapy::auth
