// What a token endpoint answers (RFC 6749 section 5): a TokenSet on success, an
// OidcError carrying the provider's own error on refusal.
//
// OidcError is Error(unauthenticated, "identity-provider-refused") with the
// provider's `error` code (invalid_grant, invalid_client, ...), its
// `error_description` and the HTTP status as problem members (provider_error,
// provider_error_description, provider_status). They are safe to show: providers
// write them for clients (a description is cut to 200 characters and kept to
// printable ASCII all the same). An answer that is no OAuth error at all (a 5xx,
// an HTML page) is Error(unavailable, "identity-provider-unavailable") instead.
#pragma once

#include <string>
#include <string_view>

#include "auth/oidc/http_client.hpp"
#include "core/errors.hpp"

namespace mecapy::auth::oidc {

struct TokenSet {
  std::string access_token;
  std::string id_token;         // empty unless the scope had openid
  std::string refresh_token;    // empty when none was issued
  long expires_in = 0;          // seconds; 0 when not said
  long refresh_expires_in = 0;  // Keycloak's lifetime of the refresh token; 0 when not said (or offline)
  std::string token_type;       // "Bearer"
  std::string scope;
};

class OidcError : public DetailedError {
 public:
  OidcError(long status, std::string error, std::string description);
  long status() const noexcept { return status_; }
  const std::string& error() const noexcept { return error_; }
  const std::string& description() const noexcept { return description_; }

 private:
  long status_;
  std::string error_;
  std::string description_;
};

// Throws OidcError for an OAuth error answer (a 4xx with a JSON `error`), otherwise
// Error(unavailable) for any answer that is not a 2xx with a JSON object; `what`
// ("POST <url>") goes into the cause only.
void check_oauth_answer(const HttpResponse& response, const std::string& what);

// A 200 answer of a token endpoint as a TokenSet; throws as check_oauth_answer, and
// Error(unavailable) when the answer has no string access_token.
TokenSet parse_token_response(const HttpResponse& response, const std::string& what);

}  // namespace mecapy::auth::oidc
