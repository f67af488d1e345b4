// The platform's identity, assembled once per process from the configuration: the
// account stores (accounts/), the OpenID Connect provider when an issuer is
// configured (oidc/), and the policy of browser sessions. The request
// authenticator (request_authenticator.hpp) and the sign-in flows
// (sign_in.hpp) work on it; the API's auth, token, organisation and admin routes
// reach the stores through it.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "auth/accounts/api_tokens.hpp"
#include "auth/accounts/audit_log.hpp"
#include "auth/accounts/local_accounts.hpp"
#include "auth/accounts/login_state_store.hpp"
#include "auth/accounts/organization_store.hpp"
#include "auth/accounts/password_hasher.hpp"
#include "auth/accounts/session_store.hpp"
#include "auth/accounts/user_store.hpp"
#include "auth/oidc/provider.hpp"
#include "core/config.hpp"
#include "db/database.hpp"

namespace mecapy::auth {

struct SessionPolicy {
  std::chrono::seconds ttl{12 * 3'600};
  std::chrono::seconds idle_timeout{2 * 3'600};
  // Served over TLS: cookies get Secure and the __Host- prefix (which binds them to
  // this host and path /, RFC 6265bis section 4.1.3.2).
  bool secure = false;

  std::string session_cookie() const { return secure ? "__Host-mecapy_session" : "mecapy_session"; }
  // Readable by the page (not HttpOnly): the UI sends it back as X-CSRF-Token.
  std::string csrf_cookie() const { return secure ? "__Host-mecapy_csrf" : "mecapy_csrf"; }
};

inline constexpr std::string_view kCsrfHeader = "X-CSRF-Token";

class Identity {
 public:
  Identity(const Config& config, db::Database& database);

  accounts::UserStore& users() { return users_; }
  accounts::ApiTokenStore& tokens() { return tokens_; }
  accounts::SessionStore& sessions() { return sessions_; }
  accounts::LoginStateStore& login_states() { return login_states_; }
  accounts::OrganizationStore& organizations() { return organizations_; }
  accounts::AuditLog& audit() { return audit_; }
  accounts::LocalLogin& local_login() { return local_login_; }
  const accounts::PasswordHasher& hasher() const { return hasher_; }

  // Null when no issuer is configured.
  oidc::OidcProvider* provider() { return provider_.get(); }
  bool local_accounts_enabled() const { return local_accounts_; }
  const SessionPolicy& sessions_policy() const { return session_policy_; }

  // The bootstrap administrator (accounts/admin_bootstrap.hpp): created at the first
  // start when no administrator exists; its generated password, if any, is logged
  // once. Also hands what the single owner created before identity existed (owner
  // "anonymous") to that administrator, so an upgrade loses nothing.
  void bootstrap(const std::string& admin_password);

 private:
  db::Database& database_;
  accounts::PasswordHasher hasher_;
  accounts::UserStore users_;
  accounts::ApiTokenStore tokens_;
  accounts::SessionStore sessions_;
  accounts::LoginStateStore login_states_;
  accounts::OrganizationStore organizations_;
  accounts::AuditLog audit_;
  accounts::LocalLogin local_login_;
  std::unique_ptr<oidc::OidcProvider> provider_;
  bool local_accounts_;
  SessionPolicy session_policy_;
};

// libsodium's limits for the configured password_hash_cost.
accounts::PasswordHashing hashing_for(const std::string& cost);

}  // namespace mecapy::auth
