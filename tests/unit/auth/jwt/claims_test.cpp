#include "auth/jwt/claims.hpp"

#include <gtest/gtest.h>

#include <boost/json/array.hpp>

#include "auth/jwt/token_error.hpp"
#include "test_signer.hpp"

namespace mecapy::auth::jwt {
namespace {

using std::chrono::seconds;
using std::chrono::system_clock;
using testing::epoch_seconds;

const system_clock::time_point kNow = system_clock::time_point(seconds(1'750'000'000));
const ClaimPolicy kPolicy{"https://sso.example.com/realms/mecapy", "mecapy-api", seconds(60), true};

boost::json::object claims() { return testing::access_claims(kNow, kPolicy.issuer, kPolicy.audience); }

boost::json::object with(boost::json::object payload, std::string_view name, boost::json::value value) {
  if (value.is_null())
    payload.erase(name);
  else
    payload[name] = std::move(value);
  return payload;
}

TokenFailure failure_of(const boost::json::object& payload, const ClaimPolicy& policy = kPolicy) {
  try {
    check_claims(payload, policy, kNow);
  } catch (const TokenError& e) {
    return e.failure();
  }
  ADD_FAILURE() << "accepted";
  return TokenFailure::malformed;
}

TEST(Claims, AcceptsAKeycloakAccessTokenAndReturnsItsRegisteredClaims) {
  const CheckedClaims checked = check_claims(claims(), kPolicy, kNow);
  EXPECT_EQ(checked.subject, "8d1f6e2a-user");
  EXPECT_EQ(checked.issuer, kPolicy.issuer);
  EXPECT_EQ(checked.audiences, (std::vector<std::string>{"mecapy-api", "account"}));
  EXPECT_EQ(checked.azp, "mecapy-dashboard");
  EXPECT_EQ(checked.expires_at, kNow + seconds(300));
  EXPECT_EQ(checked.issued_at, kNow);
}

TEST(Claims, ExpiryIsRequiredAndHonouredWithTheClockSkew) {
  const auto now = epoch_seconds(kNow);
  EXPECT_EQ(failure_of(with(claims(), "exp", nullptr)), TokenFailure::missing_claim);
  EXPECT_EQ(failure_of(with(claims(), "exp", now - 60)), TokenFailure::expired);
  EXPECT_EQ(failure_of(with(claims(), "exp", now - 3600)), TokenFailure::expired);
  EXPECT_NO_THROW(check_claims(with(claims(), "exp", now - 59), kPolicy, kNow));
  EXPECT_NO_THROW(check_claims(with(claims(), "exp", now - 58.5), kPolicy, kNow));
  ClaimPolicy strict = kPolicy;
  strict.clock_skew = seconds(0);
  EXPECT_EQ(failure_of(with(claims(), "exp", now), strict), TokenFailure::expired);
  EXPECT_NO_THROW(check_claims(with(claims(), "exp", now + 1), strict, kNow));
}

TEST(Claims, NotBeforeAndIssuedAtMayNotBeInTheFuture) {
  const auto now = epoch_seconds(kNow);
  EXPECT_EQ(failure_of(with(claims(), "nbf", now + 61)), TokenFailure::not_yet_valid);
  EXPECT_NO_THROW(check_claims(with(claims(), "nbf", now + 60), kPolicy, kNow));
  EXPECT_EQ(failure_of(with(claims(), "iat", now + 61)), TokenFailure::issued_in_future);
  EXPECT_NO_THROW(check_claims(with(claims(), "iat", now + 60), kPolicy, kNow));
  EXPECT_EQ(check_claims(with(claims(), "iat", nullptr), kPolicy, kNow).issued_at, system_clock::time_point{});
}

TEST(Claims, TheIssuerMustMatchExactly) {
  EXPECT_EQ(failure_of(with(claims(), "iss", "https://evil.example.com/realms/mecapy")), TokenFailure::wrong_issuer);
  EXPECT_EQ(failure_of(with(claims(), "iss", boost::json::string(kPolicy.issuer + "/"))), TokenFailure::wrong_issuer);
  EXPECT_EQ(failure_of(with(claims(), "iss", "HTTPS://sso.example.com/realms/mecapy")), TokenFailure::wrong_issuer);
  EXPECT_EQ(failure_of(with(claims(), "iss", nullptr)), TokenFailure::wrong_issuer);
}

TEST(Claims, TheAudienceIsInAudOrInAzp) {
  EXPECT_NO_THROW(check_claims(with(claims(), "aud", "mecapy-api"), kPolicy, kNow));
  EXPECT_EQ(failure_of(with(claims(), "aud", "account")), TokenFailure::wrong_audience);
  EXPECT_EQ(failure_of(with(claims(), "aud", boost::json::array{"account", "other"})), TokenFailure::wrong_audience);
  EXPECT_EQ(failure_of(with(claims(), "aud", nullptr)), TokenFailure::wrong_audience);
  // Keycloak: a token the API's own client requested names it in azp.
  auto own = with(with(claims(), "aud", "account"), "azp", "mecapy-api");
  EXPECT_NO_THROW(check_claims(own, kPolicy, kNow));
  ClaimPolicy aud_only = kPolicy;
  aud_only.accept_azp_as_audience = false;
  EXPECT_EQ(failure_of(own, aud_only), TokenFailure::wrong_audience);
}

TEST(Claims, ASubjectIsRequired) {
  EXPECT_EQ(failure_of(with(claims(), "sub", nullptr)), TokenFailure::missing_claim);
  EXPECT_EQ(failure_of(with(claims(), "sub", "")), TokenFailure::missing_claim);
}

TEST(Claims, RegisteredClaimsOfTheWrongTypeAreMalformed) {
  EXPECT_EQ(failure_of(with(claims(), "exp", "4102444800")), TokenFailure::malformed);
  EXPECT_EQ(failure_of(with(claims(), "nbf", boost::json::array{1})), TokenFailure::malformed);
  EXPECT_EQ(failure_of(with(claims(), "iss", 7)), TokenFailure::malformed);
  EXPECT_EQ(failure_of(with(claims(), "aud", boost::json::array{"mecapy-api", 7})), TokenFailure::malformed);
  EXPECT_EQ(failure_of(with(claims(), "sub", true)), TokenFailure::malformed);
}

TEST(Claims, HugeNumericDatesDoNotOverflow) {
  EXPECT_NO_THROW(check_claims(with(claims(), "exp", std::uint64_t{18446744073709551615u}), kPolicy, kNow));
  EXPECT_NO_THROW(check_claims(with(claims(), "exp", 1e300), kPolicy, kNow));
  EXPECT_EQ(failure_of(with(claims(), "exp", -1e300)), TokenFailure::expired);
  EXPECT_EQ(failure_of(with(claims(), "nbf", std::int64_t{9'000'000'000'000'000'000})), TokenFailure::not_yet_valid);
}

}  // namespace
}  // namespace mecapy::auth::jwt
