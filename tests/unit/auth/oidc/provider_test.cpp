#include "auth/oidc/provider.hpp"

#include <gtest/gtest.h>

#include <map>

#include <boost/json/serialize.hpp>

#include "auth/jwt/token_error.hpp"
#include "core/json.hpp"
#include "loopback_http.hpp"
#include "test_signer.hpp"

namespace mecapy::auth::oidc {
namespace {

using jwt::testing::jwks;
using jwt::testing::sign_token;
using jwt::testing::TestKey;
using std::chrono::seconds;
using testing::http_response;
using testing::LoopbackHttp;
using testing::RecordedRequest;

std::map<std::string, std::string> query_of(const std::string& url) {
  std::map<std::string, std::string> out;
  std::string_view query = std::string_view(url).substr(url.find('?') + 1);
  while (!query.empty()) {
    const std::size_t amp = std::min(query.find('&'), query.size());
    const std::string_view pair = query.substr(0, amp);
    const std::size_t eq = pair.find('=');
    out[std::string(pair.substr(0, eq))] = std::string(pair.substr(eq + 1));
    query.remove_prefix(std::min(amp + 1, query.size()));
  }
  return out;
}

// A provider on loopback that answers like Keycloak's realm endpoints; the setters
// change its answers between calls.
class FakeKeycloak {
 public:
  const std::string discovery_path = "/realms/mecapy/.well-known/openid-configuration";
  const std::string token_path = "/realms/mecapy/protocol/openid-connect/token";
  const std::string logout_path = "/realms/mecapy/protocol/openid-connect/logout";
  const std::string certs_path = "/realms/mecapy/protocol/openid-connect/certs";

  FakeKeycloak() : server_([this](const RecordedRequest& request) { return answer(request); }) {}

  LoopbackHttp& server() { return server_; }
  std::string url(std::string_view path) const { return server_.url(path); }
  std::string issuer() const { return server_.url("/realms/mecapy"); }

  void advertise_issuer(std::string issuer) {
    locked([&] { advertised_issuer_ = std::move(issuer); });
  }
  void without_end_session() {
    locked([&] { with_end_session_ = false; });
  }
  void answer_token(int status, std::string body) {
    locked([&] {
      token_status_ = status;
      token_body_ = std::move(body);
    });
  }
  void answer_logout(int status, std::string body) {
    locked([&] {
      logout_status_ = status;
      logout_body_ = std::move(body);
    });
  }

 private:
  template <class F>
  void locked(F change) {
    const std::lock_guard lock(mutex_);
    change();
  }

  std::optional<std::string> answer(const RecordedRequest& request) {
    const std::lock_guard lock(mutex_);
    const std::string path = request.target.substr(0, request.target.find('?'));
    const std::string realm = issuer();
    if (path == discovery_path) {
      boost::json::object metadata{{"issuer", advertised_issuer_.empty() ? realm : advertised_issuer_},
                                   {"authorization_endpoint", realm + "/protocol/openid-connect/auth"},
                                   {"token_endpoint", realm + "/protocol/openid-connect/token"},
                                   {"jwks_uri", realm + "/protocol/openid-connect/certs"},
                                   {"userinfo_endpoint", realm + "/protocol/openid-connect/userinfo"},
                                   {"code_challenge_methods_supported", boost::json::array{"plain", "S256"}}};
      if (with_end_session_) metadata["end_session_endpoint"] = realm + "/protocol/openid-connect/logout";
      return http_response(200, boost::json::serialize(metadata));
    }
    if (path == "/realms/moved/.well-known/openid-configuration")
      return http_response(301, "", "", "Location: " + url(discovery_path) + "\r\n");
    if (path == certs_path) return http_response(200, jwks({TestKey::rsa().jwk(), TestKey::ec().jwk()}));
    if (path == token_path)
      return http_response(token_status_, token_body_, token_status_ >= 500 ? "text/html" : "application/json");
    if (path == logout_path) return http_response(logout_status_, logout_body_);
    return http_response(404, R"({"error":"not_found"})");
  }

  std::mutex mutex_;
  std::string advertised_issuer_;  // empty: the real issuer
  bool with_end_session_ = true;
  int token_status_ = 200;
  std::string token_body_ =
      R"({"access_token":"at","expires_in":300,"refresh_expires_in":1800,"refresh_token":"rt","token_type":"Bearer",)"
      R"("id_token":"it","scope":"openid profile email"})";
  int logout_status_ = 204;
  std::string logout_body_;
  LoopbackHttp server_;  // last: destroyed first, so no request sees a member gone
};

class OidcProviderTest : public ::testing::Test {
 protected:
  FakeKeycloak keycloak;

  OidcSettings settings(std::string secret = "s3cret") const {
    OidcSettings s;
    s.issuer = keycloak.issuer();
    s.audience = "mecapy-api";
    s.client_id = "mecapy-api";
    s.client_secret = std::move(secret);
    s.redirect_uri = "http://127.0.0.1:3000/auth/callback";
    return s;
  }

  // Settings for a provider whose metadata names another issuer (until the test says
  // otherwise), with the given discovery retry interval.
  OidcSettings misdirected(seconds retry_interval) {
    keycloak.advertise_issuer(keycloak.url("/realms/other"));
    OidcSettings s = settings();
    s.discovery_retry_interval = retry_interval;
    return s;
  }

  RecordedRequest last_request(const std::string& path) {
    const auto requests = keycloak.server().requests();
    for (auto it = requests.rbegin(); it != requests.rend(); ++it)
      if (it->target.substr(0, it->target.find('?')) == path) return *it;
    ADD_FAILURE() << "no request for " << path;
    return {};
  }
};

TEST_F(OidcProviderTest, DiscoversTheEndpointsOnFirstUseOnly) {
  OidcProvider provider(settings());
  EXPECT_EQ(keycloak.server().count(keycloak.discovery_path), 0u) << "nothing at construction";
  const ProviderMetadata& m = provider.metadata();
  EXPECT_EQ(m.issuer, keycloak.issuer());
  EXPECT_EQ(m.token_endpoint, keycloak.issuer() + "/protocol/openid-connect/token");
  EXPECT_EQ(m.jwks_uri, keycloak.issuer() + "/protocol/openid-connect/certs");
  EXPECT_EQ(m.end_session_endpoint, keycloak.issuer() + "/protocol/openid-connect/logout");
  EXPECT_EQ(m.userinfo_endpoint, keycloak.issuer() + "/protocol/openid-connect/userinfo");
  provider.metadata();
  provider.validator();
  EXPECT_EQ(keycloak.server().count(keycloak.discovery_path), 1u);
}

TEST_F(OidcProviderTest, RefusesDiscoveryWithAnotherIssuer) {
  OidcProvider provider(misdirected(seconds(3600)));
  try {
    provider.metadata();
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::unavailable);
    EXPECT_NE(e.cause().find("/realms/other"), std::string::npos) << e.cause();
    EXPECT_NE(e.cause().find("is not the configured issuer"), std::string::npos) << e.cause();
  }
  // A failed discovery is not retried before the interval: the provider is not hammered.
  EXPECT_THROW(provider.validator(), Error);
  EXPECT_THROW(provider.authorization_url("s", "n", "c"), Error);
  EXPECT_EQ(keycloak.server().count(keycloak.discovery_path), 1u);
}

TEST_F(OidcProviderTest, RetriesAFailedDiscoveryAfterTheInterval) {
  OidcProvider provider(misdirected(seconds(0)));
  EXPECT_THROW(provider.metadata(), Error);
  keycloak.advertise_issuer("");
  EXPECT_EQ(provider.metadata().issuer, keycloak.issuer());
  EXPECT_EQ(keycloak.server().count(keycloak.discovery_path), 2u);
}

TEST_F(OidcProviderTest, RefusesMetadataWithoutTheEndpointsItNeeds) {
  EXPECT_THROW(parse_provider_metadata(R"({"issuer":"https://i","token_endpoint":"https://i/t",)"
                                       R"("authorization_endpoint":"https://i/a"})",
                                       "https://i"),
               Error);
  EXPECT_THROW(parse_provider_metadata(R"({"issuer":"https://i","token_endpoint":"https://i/t",)"
                                       R"("authorization_endpoint":"https://i/a","jwks_uri":"file:///etc/keys"})",
                                       "https://i"),
               Error);
  EXPECT_THROW(parse_provider_metadata("<html>", "https://i"), Error);
  EXPECT_EQ(discovery_url("https://sso/realms/mecapy/"), "https://sso/realms/mecapy/.well-known/openid-configuration");
}

TEST_F(OidcProviderTest, FetchesTheJwksAndValidatesAccessTokens) {
  OidcProvider provider(settings());
  const auto now = std::chrono::system_clock::now();
  const auto token = sign_token(TestKey::ec(), jwt::testing::access_claims(now, keycloak.issuer(), "mecapy-api"));
  const auto verified = provider.validator().validate(token, now);
  EXPECT_EQ(verified->subject, "8d1f6e2a-user");
  EXPECT_EQ(keycloak.server().count(keycloak.certs_path), 1u);
  EXPECT_EQ(provider.keys().url(), keycloak.issuer() + "/protocol/openid-connect/certs");
}

TEST_F(OidcProviderTest, WithoutAClientIdItStillValidatesAccessTokens) {
  OidcSettings s = settings("");
  s.client_id.clear();
  OidcProvider provider(s);
  const auto now = std::chrono::system_clock::now();
  const auto token = sign_token(TestKey::rsa(), jwt::testing::access_claims(now, keycloak.issuer(), "mecapy-api"));
  EXPECT_EQ(provider.validator().validate(token, now)->subject, "8d1f6e2a-user");
  EXPECT_THROW(provider.validate_id_token(token, "n", now), std::logic_error);
}

TEST_F(OidcProviderTest, BuildsTheAuthorizationUrlWithPkce) {
  OidcProvider provider(settings());
  const std::string url = provider.authorization_url("st&te", "n0nce", "chal-lenge", "offline_access");
  EXPECT_EQ(url.substr(0, url.find('?')), keycloak.issuer() + "/protocol/openid-connect/auth");
  const auto query = query_of(url);
  EXPECT_EQ(query.at("response_type"), "code");
  EXPECT_EQ(query.at("client_id"), "mecapy-api");
  EXPECT_EQ(query.at("redirect_uri"), "http%3A%2F%2F127.0.0.1%3A3000%2Fauth%2Fcallback");
  EXPECT_EQ(query.at("scope"), "openid%20profile%20email%20offline_access");
  EXPECT_EQ(query.at("state"), "st%26te");
  EXPECT_EQ(query.at("nonce"), "n0nce");
  EXPECT_EQ(query.at("code_challenge"), "chal-lenge");
  EXPECT_EQ(query.at("code_challenge_method"), "S256");
}

TEST_F(OidcProviderTest, ExchangesTheCodeWithBasicClientAuthentication) {
  OidcProvider provider(settings("s3cret"));
  const TokenSet tokens = provider.exchange_code("the-code", "the-verifier");
  EXPECT_EQ(tokens.access_token, "at");
  EXPECT_EQ(tokens.refresh_token, "rt");
  EXPECT_EQ(tokens.id_token, "it");
  EXPECT_EQ(tokens.expires_in, 300);
  EXPECT_EQ(tokens.refresh_expires_in, 1800);
  EXPECT_EQ(tokens.token_type, "Bearer");
  EXPECT_EQ(tokens.scope, "openid profile email");
  const auto request = last_request(keycloak.token_path);
  EXPECT_EQ(request.method, "POST");
  EXPECT_EQ(request.body,
            "grant_type=authorization_code&code=the-code&redirect_uri=http%3A%2F%2F127.0.0.1%3A3000%2Fauth%2Fcallback"
            "&code_verifier=the-verifier");
  EXPECT_EQ(request.header("authorization"), "Basic bWVjYXB5LWFwaTpzM2NyZXQ=");  // mecapy-api:s3cret
}

TEST_F(OidcProviderTest, APublicClientSendsItsIdInTheForm) {
  OidcProvider provider(settings(""));
  provider.exchange_code("c", "v");
  const auto request = last_request(keycloak.token_path);
  EXPECT_EQ(request.header("authorization"), "");
  EXPECT_EQ(request.body,
            "grant_type=authorization_code&code=c&redirect_uri=http%3A%2F%2F127.0.0.1%3A3000%2Fauth%2Fcallback"
            "&code_verifier=v&client_id=mecapy-api");
  EXPECT_THROW(provider.client_credentials(), std::invalid_argument);
}

TEST_F(OidcProviderTest, RefreshesAndAsksForClientCredentials) {
  OidcProvider provider(settings());
  provider.refresh("old-refresh");
  EXPECT_EQ(last_request(keycloak.token_path).body, "grant_type=refresh_token&refresh_token=old-refresh");
  provider.client_credentials();
  EXPECT_EQ(last_request(keycloak.token_path).body, "grant_type=client_credentials");
  provider.client_credentials("mecapy:run");
  EXPECT_EQ(last_request(keycloak.token_path).body, "grant_type=client_credentials&scope=mecapy%3Arun");
}

TEST_F(OidcProviderTest, TheProvidersRefusalBecomesAnOidcError) {
  OidcProvider provider(settings());
  keycloak.answer_token(400, R"({"error":"invalid_grant","error_description":"Code not valid"})");
  try {
    provider.exchange_code("reused-code", "v");
    FAIL();
  } catch (const OidcError& e) {
    EXPECT_EQ(e.status(), 400);
    EXPECT_EQ(e.error(), "invalid_grant");
    EXPECT_EQ(e.description(), "Code not valid");
    EXPECT_EQ(e.kind(), ErrorKind::unauthenticated);
    EXPECT_EQ(e.code(), "identity-provider-refused");
    EXPECT_EQ(e.members().at("provider_error"), "invalid_grant");
    EXPECT_EQ(e.members().at("provider_status"), 400);
    EXPECT_NE(std::string(e.what()).find("invalid_grant (Code not valid)"), std::string::npos) << e.what();
  }
  keycloak.answer_token(401, R"({"error":"invalid_client","error_description":"Invalid client \u0000\n credentials"})");
  try {
    provider.client_credentials();
    FAIL();
  } catch (const OidcError& e) {
    EXPECT_EQ(e.status(), 401);
    EXPECT_EQ(e.description(), "Invalid client  credentials") << "control characters are dropped";
  }
}

TEST_F(OidcProviderTest, AFailingProviderIsUnavailableNotARefusal) {
  OidcProvider provider(settings());
  keycloak.answer_token(502, "<html>Bad gateway</html>");
  try {
    provider.refresh("r");
    FAIL();
  } catch (const OidcError&) {
    FAIL() << "a 502 is no OAuth error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::unavailable);
    EXPECT_NE(e.cause().find("HTTP 502"), std::string::npos) << e.cause();
  }
  keycloak.answer_token(200, R"({"token_type":"Bearer"})");
  EXPECT_THROW(provider.refresh("r"), Error);
}

TEST_F(OidcProviderTest, ValidatesAnIdTokenForTheClientWithItsNonce) {
  OidcProvider provider(settings());
  const auto now = std::chrono::system_clock::now();
  auto claims = jwt::testing::access_claims(now, keycloak.issuer(), "unused");
  claims["aud"] = "mecapy-api";
  claims["azp"] = "mecapy-api";
  claims["nonce"] = "n-123";
  const std::string id_token = sign_token(TestKey::rsa(), claims);
  EXPECT_EQ(provider.validate_id_token(id_token, "n-123", now)->subject, "8d1f6e2a-user");

  const auto failure = [&](const std::string& token, std::string_view nonce) {
    try {
      provider.validate_id_token(token, nonce, now);
    } catch (const jwt::TokenError& e) {
      return e.failure();
    }
    ADD_FAILURE() << "accepted";
    return jwt::TokenFailure::malformed;
  };
  EXPECT_EQ(failure(id_token, "n-124"), jwt::TokenFailure::wrong_nonce);
  EXPECT_EQ(failure(id_token, ""), jwt::TokenFailure::wrong_nonce);
  auto no_nonce = claims;
  no_nonce.erase("nonce");
  EXPECT_EQ(failure(sign_token(TestKey::rsa(), no_nonce), ""), jwt::TokenFailure::wrong_nonce);
  // For another client: azp does not count for an ID token.
  auto other = claims;
  other["aud"] = "mecapy-dashboard";
  EXPECT_EQ(failure(sign_token(TestKey::rsa(), other), "n-123"), jwt::TokenFailure::wrong_audience);
  auto shared = claims;
  shared["aud"] = boost::json::array{"mecapy-api", "mecapy-dashboard"};
  shared["azp"] = "mecapy-dashboard";
  EXPECT_EQ(failure(sign_token(TestKey::rsa(), shared), "n-123"), jwt::TokenFailure::wrong_audience);
  EXPECT_EQ(failure(jwt::testing::hs256_token({{"alg", "HS256"}}, claims, "s3cret"), "n-123"),
            jwt::TokenFailure::unsupported_alg);
}

TEST_F(OidcProviderTest, EndsTheSessionThroughTheEndSessionEndpoint) {
  OidcProvider provider(settings());
  const std::string url = provider.end_session_url("id.token.hint", "http://127.0.0.1:3000/");
  EXPECT_EQ(url.substr(0, url.find('?')), keycloak.issuer() + "/protocol/openid-connect/logout");
  const auto query = query_of(url);
  EXPECT_EQ(query.at("id_token_hint"), "id.token.hint");
  EXPECT_EQ(query.at("post_logout_redirect_uri"), "http%3A%2F%2F127.0.0.1%3A3000%2F");
  EXPECT_EQ(query.at("client_id"), "mecapy-api");

  EXPECT_TRUE(provider.end_session("the-refresh-token"));
  const auto request = last_request(keycloak.logout_path);
  EXPECT_EQ(request.method, "POST");
  EXPECT_EQ(request.body, "refresh_token=the-refresh-token");
  EXPECT_EQ(request.header("authorization"), "Basic bWVjYXB5LWFwaTpzM2NyZXQ=");

  keycloak.answer_logout(400, R"({"error":"invalid_grant","error_description":"Session not active"})");
  EXPECT_THROW(provider.end_session("the-refresh-token"), OidcError);
}

TEST_F(OidcProviderTest, WithoutAnEndSessionEndpointThereIsNothingToCall) {
  keycloak.without_end_session();
  OidcProvider provider(settings());
  EXPECT_EQ(provider.end_session_url("hint", "http://x/"), "");
  EXPECT_FALSE(provider.end_session("r"));
  EXPECT_EQ(keycloak.server().count(keycloak.logout_path), 0u);
}

TEST_F(OidcProviderTest, ARedirectedDiscoveryIsNotFollowed) {
  OidcSettings s = settings();
  s.issuer = keycloak.url("/realms/moved");  // answers 301 to the mecapy realm's metadata
  OidcProvider provider(s);
  try {
    provider.metadata();
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::unavailable);
    EXPECT_NE(e.cause().find("HTTP 301"), std::string::npos) << e.cause();
  }
  EXPECT_EQ(keycloak.server().count(keycloak.discovery_path), 0u);
}

}  // namespace
}  // namespace mecapy::auth::oidc
