#include "auth/oidc/pkce.hpp"

#include <gtest/gtest.h>

#include <set>

namespace mecapy::auth::oidc {
namespace {

TEST(Pkce, MatchesTheRfc7636Example) {
  // RFC 7636 appendix B.
  EXPECT_EQ(pkce_challenge_s256("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
}

TEST(Pkce, AVerifierIs43UnreservedCharactersAndFresh) {
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    const std::string verifier = pkce_verifier();
    EXPECT_EQ(verifier.size(), 43u);
    EXPECT_EQ(verifier.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~"),
              std::string::npos);
    EXPECT_NO_THROW(pkce_challenge_s256(verifier));
    seen.insert(verifier);
  }
  EXPECT_EQ(seen.size(), 100u);
}

TEST(Pkce, RandomTokensHaveTheAskedEntropy) {
  EXPECT_EQ(random_token(16).size(), 22u);
  EXPECT_EQ(random_token(32).size(), 43u);
  EXPECT_NE(random_token(), random_token());
}

TEST(Pkce, RefusesVerifiersOutsideTheRfc) {
  EXPECT_THROW(pkce_challenge_s256(std::string(42, 'a')), std::invalid_argument);
  EXPECT_THROW(pkce_challenge_s256(std::string(129, 'a')), std::invalid_argument);
  EXPECT_THROW(pkce_challenge_s256(std::string(42, 'a') + "+"), std::invalid_argument);
  EXPECT_NO_THROW(pkce_challenge_s256(std::string(128, '~')));
}

}  // namespace
}  // namespace mecapy::auth::oidc
