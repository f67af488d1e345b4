// OpenID Provider metadata (OpenID Connect Discovery 1.0), read from
// {issuer}/.well-known/openid-configuration.
//
// The document is accepted only when its `issuer` is byte for byte the configured
// issuer (Discovery section 4.3: otherwise another provider's keys could be
// trusted), and it names the endpoints the platform uses: jwks_uri,
// authorization_endpoint and token_endpoint, each an http(s) URL.
// end_session_endpoint (RP-Initiated Logout) and userinfo_endpoint are optional.
#pragma once

#include <string>
#include <string_view>

namespace mecapy::auth::oidc {

struct ProviderMetadata {
  std::string issuer;
  std::string authorization_endpoint;
  std::string token_endpoint;
  std::string jwks_uri;
  std::string end_session_endpoint;  // empty when the provider has none
  std::string userinfo_endpoint;     // empty when the provider has none
};

// "{issuer}/.well-known/openid-configuration" (a trailing '/' of the issuer is not
// doubled, per Discovery section 4).
std::string discovery_url(std::string_view issuer);

// Throws Error(unavailable, "identity-provider-unavailable") naming the problem in
// its cause (for operators): not JSON, wrong issuer, a missing or non-http(s)
// endpoint.
ProviderMetadata parse_provider_metadata(std::string_view document, std::string_view expected_issuer);

}  // namespace mecapy::auth::oidc
