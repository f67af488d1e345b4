#include "auth/oidc/provider_metadata.hpp"

#include <boost/json/value.hpp>

#include "core/errors.hpp"
#include "core/json.hpp"

namespace mecapy::auth::oidc {
namespace {

[[noreturn]] void unusable(const std::string& cause) {
  throw Error(ErrorKind::unavailable, "identity-provider-unavailable",
              "The identity provider is not usable right now; retry later.", "OIDC discovery: " + cause);
}

std::string endpoint(const boost::json::object& document, std::string_view name, bool required) {
  const auto* value = document.if_contains(name);
  if (!value) {
    if (required) unusable("the provider's metadata has no " + std::string(name));
    return {};
  }
  if (!value->is_string()) unusable(std::string(name) + " is not a string");
  std::string url(value->get_string());
  if (!url.starts_with("https://") && !url.starts_with("http://"))
    unusable(std::string(name) + " is not an http(s) URL: " + url);
  return url;
}

}  // namespace

std::string discovery_url(std::string_view issuer) {
  if (issuer.ends_with('/')) issuer.remove_suffix(1);
  return std::string(issuer) + "/.well-known/openid-configuration";
}

ProviderMetadata parse_provider_metadata(std::string_view document, std::string_view expected_issuer) {
  boost::json::value parsed;
  try {
    parsed = parse_json(document);
  } catch (const Error&) {
    unusable("the provider's metadata is not JSON");
  }
  const auto* object = parsed.if_object();
  if (!object) unusable("the provider's metadata is not a JSON object");
  const auto* issuer = object->if_contains("issuer");
  if (!issuer || !issuer->is_string() || issuer->get_string() != expected_issuer)
    unusable("the provider's issuer " + (issuer ? serialize_json(*issuer) : std::string("(none)")) +
             " is not the configured issuer \"" + std::string(expected_issuer) + "\"");
  ProviderMetadata metadata;
  metadata.issuer = std::string(expected_issuer);
  metadata.jwks_uri = endpoint(*object, "jwks_uri", true);
  metadata.authorization_endpoint = endpoint(*object, "authorization_endpoint", true);
  metadata.token_endpoint = endpoint(*object, "token_endpoint", true);
  metadata.end_session_endpoint = endpoint(*object, "end_session_endpoint", false);
  metadata.userinfo_endpoint = endpoint(*object, "userinfo_endpoint", false);
  return metadata;
}

}  // namespace mecapy::auth::oidc
