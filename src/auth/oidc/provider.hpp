// OidcProvider: the platform's client of one OpenID Connect provider (Keycloak in
// production): discovery, the JWKS and the validators built on it, and the calls of
// the authorization code flow with PKCE, refresh, client credentials and logout.
//
// Nothing touches the network at construction. The provider's metadata is
// discovered on first use (metadata(), validator(), every call below); a failed
// discovery is retried on a later call, but not sooner than
// discovery_retry_interval after the last attempt — calls in between fail at once
// with the same error, so a down provider is not hammered. Once discovered, the
// metadata is kept for the life of the object. Callers that arrive during a
// discovery wait for it (at most the HTTP timeouts). Thread-safe.
//
// Client authentication at the token and logout endpoints: client_secret_basic when
// a secret is configured (a confidential client such as mecapy-api), else the
// client_id in the form (a public client such as mecapy-dashboard, which PKCE
// protects). Provider refusals throw OidcError (token_response.hpp); an unreachable
// or misbehaving provider throws Error(unavailable).
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "auth/jwt/key_source.hpp"
#include "auth/jwt/token_validator.hpp"
#include "auth/oidc/http_client.hpp"
#include "auth/oidc/provider_metadata.hpp"
#include "auth/oidc/token_response.hpp"

namespace mecapy::auth::oidc {

struct OidcSettings {
  std::string issuer;                   // MECAPY_OIDC_ISSUER, e.g. https://sso.example.com/realms/mecapy
  std::string audience = "mecapy-api";  // MECAPY_OIDC_AUDIENCE: what access tokens must be for
  std::string client_id;                // MECAPY_OIDC_CLIENT_ID: this platform's client at the provider
  std::string client_secret;            // MECAPY_OIDC_CLIENT_SECRET; empty for a public client
  std::string redirect_uri;             // MECAPY_OIDC_REDIRECT_URI: the UI's login callback
  std::chrono::seconds clock_skew{60};
  HttpTimeouts timeouts;
  std::size_t max_response_size = 1 << 20;
  jwt::JwksCacheOptions jwks;
  std::chrono::seconds discovery_retry_interval{5};
  std::size_t validation_cache_capacity = 10000;
};

class OidcProvider {
 public:
  // Throws std::invalid_argument when issuer or audience is empty. client_id may be
  // empty where the provider only validates access tokens (no login, no token call).
  explicit OidcProvider(OidcSettings settings);
  ~OidcProvider();
  OidcProvider(const OidcProvider&) = delete;
  OidcProvider& operator=(const OidcProvider&) = delete;

  const OidcSettings& settings() const { return settings_; }
  const ProviderMetadata& metadata();

  // Access tokens: issuer, audience (or azp) = settings.audience, clock skew, and the
  // result cache (token_validator.hpp).
  jwt::TokenValidator& validator();
  jwt::JwksCache& keys();

  // The URL to send the browser to: response_type=code, client_id, redirect_uri,
  // scope "openid profile email" plus `extra_scope` (space-separated), state, nonce,
  // code_challenge with code_challenge_method=S256.
  std::string authorization_url(const std::string& state, const std::string& nonce, const std::string& code_challenge,
                                const std::string& extra_scope = {});

  // grant_type=authorization_code with the PKCE verifier and the redirect_uri.
  TokenSet exchange_code(const std::string& code, const std::string& code_verifier);
  TokenSet refresh(const std::string& refresh_token);
  // grant_type=client_credentials; needs a client secret (throws
  // std::invalid_argument without one).
  TokenSet client_credentials(const std::string& scope = {});

  // An ID token (OpenID Connect Core section 3.1.3.7): the access-token checks with
  // the client_id as the audience (in `aud`; `azp`, when present with several
  // audiences, must be the client_id), then `nonce` must be exactly
  // `expected_nonce` (TokenError wrong-nonce). Nothing is cached. Throws
  // std::logic_error without a client_id.
  std::shared_ptr<const jwt::VerifiedToken> validate_id_token(
      std::string_view id_token, std::string_view expected_nonce,
      std::chrono::system_clock::time_point now = std::chrono::system_clock::now());

  // RP-Initiated Logout 1.0: end_session_endpoint?id_token_hint=..
  // &post_logout_redirect_uri=..&client_id=.. (empty parameters left out); an empty
  // string when the provider has no end_session_endpoint.
  std::string end_session_url(const std::string& id_token_hint, const std::string& post_logout_redirect_uri);

  // Ends the provider's session from the server, without the browser: a POST of the
  // refresh token to the end_session_endpoint with client authentication. This is
  // Keycloak's own logout call (its LogoutEndpoint accepts "Legacy Logout endpoint
  // with refresh_token as an argument and client authentication needed" beside the
  // RP-initiated POST — Keycloak 26 javadoc of
  // org.keycloak.protocol.oidc.endpoints.LogoutEndpoint#logout, answered 204); a
  // generic OIDC provider offers no standard equivalent. Returns false when the
  // provider has no end_session_endpoint; throws OidcError when it refuses
  // (invalid_grant once the session has ended already).
  bool end_session(const std::string& refresh_token);

 private:
  struct Discovered;
  Discovered& discovered();
  TokenSet token_request(FormFields fields);
  std::optional<BasicAuth> client_auth(FormFields& fields) const;
  std::string fetch_jwks(const std::string& url) const;

  const OidcSettings settings_;
  const HttpClient http_;
  std::mutex discovery_mutex_;
  std::unique_ptr<Discovered> discovered_;
  std::atomic<Discovered*> ready_{nullptr};
  std::optional<Error> last_failure_;
  std::chrono::steady_clock::time_point last_attempt_;
};

}  // namespace mecapy::auth::oidc
