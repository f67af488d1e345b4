#include "auth/oidc/provider.hpp"

#include <algorithm>
#include <stdexcept>

#include <boost/json/value.hpp>

#include "auth/jwt/token_error.hpp"
#include "core/log.hpp"

namespace mecapy::auth::oidc {

struct OidcProvider::Discovered {
  ProviderMetadata metadata;
  jwt::JwksCache keys;
  jwt::TokenValidator access_tokens;
  std::unique_ptr<jwt::TokenValidator> id_tokens;  // none without a client_id

  Discovered(ProviderMetadata m, const OidcSettings& settings, jwt::JwksFetch fetch)
      : metadata(std::move(m)),
        keys(metadata.jwks_uri, std::move(fetch), settings.jwks),
        access_tokens(keys, jwt::ClaimPolicy{settings.issuer, settings.audience, settings.clock_skew, true},
                      settings.validation_cache_capacity) {
    if (!settings.client_id.empty())
      id_tokens = std::make_unique<jwt::TokenValidator>(
          keys, jwt::ClaimPolicy{settings.issuer, settings.client_id, settings.clock_skew, false}, 0);
  }
};

OidcProvider::OidcProvider(OidcSettings settings)
    : settings_(std::move(settings)), http_(HttpClientOptions{settings_.timeouts, settings_.max_response_size}) {
  if (settings_.issuer.empty()) throw std::invalid_argument("an OIDC provider needs an issuer");
  if (settings_.audience.empty()) throw std::invalid_argument("an OIDC provider needs an audience");
}

OidcProvider::~OidcProvider() = default;

std::string OidcProvider::fetch_jwks(const std::string& url) const {
  const HttpResponse response = http_.get(url);
  if (response.status != 200)
    throw Error(ErrorKind::unavailable, "identity-provider-unavailable",
                "The identity provider's signing keys cannot be fetched; retry later.",
                "GET " + url + ": HTTP " + std::to_string(response.status));
  return response.body;
}

OidcProvider::Discovered& OidcProvider::discovered() {
  if (auto* ready = ready_.load(std::memory_order_acquire)) return *ready;
  const std::lock_guard lock(discovery_mutex_);
  if (discovered_) return *discovered_;
  const auto now = std::chrono::steady_clock::now();
  if (last_failure_ && now - last_attempt_ < settings_.discovery_retry_interval) throw *last_failure_;
  last_attempt_ = now;
  const std::string url = discovery_url(settings_.issuer);
  try {
    const HttpResponse response = http_.get(url);
    if (response.status != 200)
      throw Error(ErrorKind::unavailable, "identity-provider-unavailable",
                  "The identity provider is not usable right now; retry later.",
                  "OIDC discovery: GET " + url + ": HTTP " + std::to_string(response.status));
    auto metadata = parse_provider_metadata(response.body, settings_.issuer);
    discovered_ = std::make_unique<Discovered>(std::move(metadata), settings_,
                                               [this](const std::string& jwks_url) { return fetch_jwks(jwks_url); });
  } catch (const Error& e) {
    last_failure_ = e;
    log_warning("OIDC discovery of " + settings_.issuer + " failed: " + operator_message(e));
    throw;
  }
  last_failure_.reset();
  log_info("OIDC provider " + settings_.issuer + " discovered: JWKS at " + discovered_->metadata.jwks_uri);
  ready_.store(discovered_.get(), std::memory_order_release);
  return *discovered_;
}

const ProviderMetadata& OidcProvider::metadata() { return discovered().metadata; }
jwt::TokenValidator& OidcProvider::validator() { return discovered().access_tokens; }
jwt::JwksCache& OidcProvider::keys() { return discovered().keys; }

namespace {

std::string with_query(const std::string& endpoint, const FormFields& fields) {
  return endpoint + (endpoint.find('?') == std::string::npos ? "?" : "&") + form_encode(fields);
}

}  // namespace

std::string OidcProvider::authorization_url(const std::string& state, const std::string& nonce,
                                            const std::string& code_challenge, const std::string& extra_scope) {
  std::string scope = "openid profile email";
  if (!extra_scope.empty()) scope += " " + extra_scope;
  return with_query(metadata().authorization_endpoint, {{"response_type", "code"},
                                                        {"client_id", settings_.client_id},
                                                        {"redirect_uri", settings_.redirect_uri},
                                                        {"scope", scope},
                                                        {"state", state},
                                                        {"nonce", nonce},
                                                        {"code_challenge", code_challenge},
                                                        {"code_challenge_method", "S256"}});
}

std::optional<BasicAuth> OidcProvider::client_auth(FormFields& fields) const {
  if (!settings_.client_secret.empty()) return BasicAuth{settings_.client_id, settings_.client_secret};
  fields.emplace_back("client_id", settings_.client_id);
  return std::nullopt;
}

TokenSet OidcProvider::token_request(FormFields fields) {
  const std::string& endpoint = metadata().token_endpoint;
  const auto auth = client_auth(fields);
  return parse_token_response(http_.post_form(endpoint, fields, auth), "POST " + endpoint);
}

TokenSet OidcProvider::exchange_code(const std::string& code, const std::string& code_verifier) {
  return token_request({{"grant_type", "authorization_code"},
                        {"code", code},
                        {"redirect_uri", settings_.redirect_uri},
                        {"code_verifier", code_verifier}});
}

TokenSet OidcProvider::refresh(const std::string& refresh_token) {
  return token_request({{"grant_type", "refresh_token"}, {"refresh_token", refresh_token}});
}

TokenSet OidcProvider::client_credentials(const std::string& scope) {
  if (settings_.client_secret.empty()) throw std::invalid_argument("client credentials need a client secret");
  FormFields fields{{"grant_type", "client_credentials"}};
  if (!scope.empty()) fields.emplace_back("scope", scope);
  return token_request(std::move(fields));
}

std::shared_ptr<const jwt::VerifiedToken> OidcProvider::validate_id_token(std::string_view id_token,
                                                                          std::string_view expected_nonce,
                                                                          std::chrono::system_clock::time_point now) {
  auto& id_tokens = discovered().id_tokens;
  if (!id_tokens) throw std::logic_error("ID tokens need a client_id");
  auto verified = id_tokens->validate(id_token, now);
  if (verified->audiences.size() > 1 && !verified->azp.empty() && verified->azp != settings_.client_id)
    throw jwt::TokenError(jwt::TokenFailure::wrong_audience, "The ID token was issued to another client ('azp').");
  const auto* nonce = verified->claims.if_contains("nonce");
  if (expected_nonce.empty() || !nonce || !nonce->is_string() || nonce->get_string() != expected_nonce)
    throw jwt::TokenError(jwt::TokenFailure::wrong_nonce, "The ID token's nonce is not the one of this login.");
  return verified;
}

std::string OidcProvider::end_session_url(const std::string& id_token_hint,
                                          const std::string& post_logout_redirect_uri) {
  const std::string& endpoint = metadata().end_session_endpoint;
  if (endpoint.empty()) return {};
  FormFields fields;
  if (!id_token_hint.empty()) fields.emplace_back("id_token_hint", id_token_hint);
  if (!post_logout_redirect_uri.empty()) fields.emplace_back("post_logout_redirect_uri", post_logout_redirect_uri);
  fields.emplace_back("client_id", settings_.client_id);
  return with_query(endpoint, fields);
}

bool OidcProvider::end_session(const std::string& refresh_token) {
  const std::string& endpoint = metadata().end_session_endpoint;
  if (endpoint.empty()) return false;
  FormFields fields{{"refresh_token", refresh_token}};
  const auto auth = client_auth(fields);
  check_oauth_answer(http_.post_form(endpoint, fields, auth), "POST " + endpoint);
  return true;
}

}  // namespace mecapy::auth::oidc
