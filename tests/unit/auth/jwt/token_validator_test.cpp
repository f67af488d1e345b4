#include "auth/jwt/token_validator.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include <boost/json/serialize.hpp>

#include "auth/jwt/base64url.hpp"
#include "auth/jwt/token_error.hpp"
#include "test_signer.hpp"

namespace mecapy::auth::jwt {
namespace {

using std::chrono::seconds;
using std::chrono::system_clock;
using testing::assemble_token;
using testing::epoch_seconds;
using testing::jwks;
using testing::sign_token;
using testing::TestKey;

const std::string kIssuer = "https://sso.example.com/realms/mecapy";
const system_clock::time_point kNow = system_clock::time_point(seconds(1'750'000'000));

// An off-curve P-256 key (y changed by one bit), published under kid "ec-bad".
boost::json::object off_curve_jwk() {
  auto jwk = TestKey::ec().jwk_with_kid("ec-bad");
  std::string y = *base64url_decode(std::string(jwk.at("y").as_string()));
  y.back() = static_cast<char>(y.back() ^ 1);
  jwk["y"] = base64url_encode(y);
  return jwk;
}

class TokenValidatorTest : public ::testing::Test {
 protected:
  std::string document = jwks({TestKey::rsa().jwk(), TestKey::ec().jwk(), TestKey::rsa_small().jwk(), off_curve_jwk()});
  std::atomic<int> fetches{0};
  std::atomic<std::int64_t> monotonic_s{0};
  std::mutex document_mutex;
  JwksCache keys{"https://sso.example.com/certs",
                 [this](const std::string&) {
                   ++fetches;
                   const std::lock_guard lock(document_mutex);
                   return document;
                 },
                 JwksCacheOptions{seconds(30), seconds(600)},
                 [this] { return std::chrono::steady_clock::time_point(seconds(monotonic_s.load())); }};
  TokenValidator validator{keys, ClaimPolicy{kIssuer, "mecapy-api"}};

  static boost::json::object claims() { return testing::access_claims(kNow, kIssuer, "mecapy-api"); }

  void publish(std::string next) {
    const std::lock_guard lock(document_mutex);
    document = std::move(next);
  }

  TokenError refusal(std::string_view token, system_clock::time_point now = kNow) {
    try {
      validator.validate(token, now);
    } catch (const TokenError& e) {
      return e;
    }
    ADD_FAILURE() << "accepted: " << token;
    return TokenError(TokenFailure::malformed, "");
  }
  TokenFailure failure_of(std::string_view token, system_clock::time_point now = kNow) {
    return refusal(token, now).failure();
  }
};

TEST_F(TokenValidatorTest, AcceptsRs256AndEs256TokensAndSaysWhoTheyAre) {
  for (const TestKey* key : {&TestKey::rsa(), &TestKey::ec()}) {
    const auto verified = validator.validate(sign_token(*key, claims()), kNow);
    EXPECT_EQ(verified->subject, "8d1f6e2a-user");
    EXPECT_EQ(verified->issuer, kIssuer);
    EXPECT_EQ(verified->audiences, (std::vector<std::string>{"mecapy-api", "account"}));
    EXPECT_EQ(verified->azp, "mecapy-dashboard");
    EXPECT_EQ(verified->scope, "openid profile email");
    EXPECT_EQ(verified->expires_at, kNow + seconds(300));
    EXPECT_EQ(verified->issued_at, kNow);
    EXPECT_EQ(verified->claims.at("preferred_username"), "ada");
    EXPECT_EQ(verified->kid, key->kid());
    EXPECT_EQ(verified->alg, key->alg());
  }
}

// The attack cases of the issue that live at this layer; each is an invalid-token
// refusal with its reason.
TEST_F(TokenValidatorTest, RefusesMissingAndMalformedTokens) {
  EXPECT_EQ(failure_of(""), TokenFailure::malformed);
  EXPECT_EQ(failure_of("not-a-token"), TokenFailure::malformed);
  EXPECT_EQ(failure_of("a.b.c"), TokenFailure::malformed);
  EXPECT_EQ(failure_of("Bearer " + sign_token(TestKey::rsa(), claims())), TokenFailure::malformed);
}

TEST_F(TokenValidatorTest, RefusesAlgNone) {
  EXPECT_EQ(failure_of(assemble_token({{"alg", "none"}, {"typ", "JWT"}}, claims(), "")), TokenFailure::unsupported_alg);
  EXPECT_EQ(failure_of(assemble_token({{"alg", "none"}, {"kid", "rsa-1"}}, claims(), "")),
            TokenFailure::unsupported_alg);
}

TEST_F(TokenValidatorTest, RefusesHs256SignedWithTheRsaPublicKeyAsSecret) {
  const std::string forged =
      testing::hs256_token({{"alg", "HS256"}, {"kid", "rsa-1"}}, claims(), TestKey::rsa().public_pem());
  const TokenError e = refusal(forged);
  EXPECT_EQ(e.failure(), TokenFailure::unsupported_alg);
  EXPECT_EQ(e.members().at("reason"), "unsupported-alg");
  EXPECT_EQ(fetches, 0) << "refused before any key is looked up";
}

TEST_F(TokenValidatorTest, RefusesExpiredAndNotYetValidTokens) {
  auto expired = claims();
  expired["exp"] = epoch_seconds(kNow) - 120;
  EXPECT_EQ(failure_of(sign_token(TestKey::rsa(), expired)), TokenFailure::expired);
  auto early = claims();
  early["nbf"] = epoch_seconds(kNow) + 3600;
  EXPECT_EQ(failure_of(sign_token(TestKey::rsa(), early)), TokenFailure::not_yet_valid);
}

TEST_F(TokenValidatorTest, RefusesTheWrongIssuerAndAudience) {
  auto other_issuer = claims();
  other_issuer["iss"] = "https://sso.example.com/realms/other";
  EXPECT_EQ(failure_of(sign_token(TestKey::rsa(), other_issuer)), TokenFailure::wrong_issuer);
  auto other_audience = claims();
  other_audience["aud"] = "another-api";
  EXPECT_EQ(failure_of(sign_token(TestKey::ec(), other_audience)), TokenFailure::wrong_audience);
}

TEST_F(TokenValidatorTest, RefusesAnUnknownKid) {
  const std::string token = sign_token(TestKey::rsa_other(), claims());  // kid rsa-2: not published
  EXPECT_EQ(failure_of(token), TokenFailure::unknown_kid);
}

TEST_F(TokenValidatorTest, RefusesATamperedPayloadWithTheOldSignature) {
  const std::string token = sign_token(TestKey::rsa(), claims());
  auto admin = claims();
  admin["sub"] = "admin";
  const std::string forged_input = testing::signing_input({}, admin);
  const std::string tampered =
      token.substr(0, token.find('.')) + forged_input.substr(forged_input.find('.')) + token.substr(token.rfind('.'));
  EXPECT_EQ(failure_of(tampered), TokenFailure::bad_signature);
}

TEST_F(TokenValidatorTest, RefusesASignatureFromAnotherKey) {
  EXPECT_EQ(failure_of(sign_token(TestKey::rsa_other(), {{"alg", "RS256"}, {"kid", "rsa-1"}}, claims())),
            TokenFailure::bad_signature);
  EXPECT_EQ(failure_of(sign_token(TestKey::ec_other(), {{"alg", "ES256"}, {"kid", "ec-1"}}, claims())),
            TokenFailure::bad_signature);
}

TEST_F(TokenValidatorTest, RefusesTruncatedTokens) {
  const std::string token = sign_token(TestKey::rsa(), claims());
  // Four characters off the signature: shorter than the modulus, or (when the cut
  // leaves non-zero unused bits) not canonical base64url.
  const TokenFailure cut = failure_of(token.substr(0, token.size() - 4));
  EXPECT_TRUE(cut == TokenFailure::bad_signature || cut == TokenFailure::malformed) << reason_slug(cut);
  EXPECT_EQ(failure_of(token.substr(0, token.rfind('.') + 1)), TokenFailure::bad_signature);  // signature cut off
  EXPECT_EQ(failure_of(token.substr(0, token.rfind('.'))), TokenFailure::malformed);
  EXPECT_EQ(failure_of(token.substr(0, token.size() / 2)), TokenFailure::malformed);
}

TEST_F(TokenValidatorTest, RefusesA64KiBToken) {
  auto padded = claims();
  padded["pad"] = std::string(std::size_t{64} * 1024, 'x');
  EXPECT_EQ(failure_of(sign_token(TestKey::rsa(), padded)), TokenFailure::too_large);
  EXPECT_EQ(fetches, 0);
}

TEST_F(TokenValidatorTest, RefusesAnEs256HeaderOnAnRsaKid) {
  EXPECT_EQ(failure_of(sign_token(TestKey::ec(), {{"alg", "ES256"}, {"kid", "rsa-1"}}, claims())),
            TokenFailure::alg_mismatch);
  EXPECT_EQ(failure_of(sign_token(TestKey::rsa(), {{"alg", "RS256"}, {"kid", "ec-1"}}, claims())),
            TokenFailure::alg_mismatch);
}

TEST_F(TokenValidatorTest, RefusesTokensOfKeysTheSetCouldNotUse) {
  // Both are published, correctly signed for, and skipped: a 1024-bit RSA key and an
  // EC point off the curve never become verification keys.
  EXPECT_EQ(failure_of(sign_token(TestKey::rsa_small(), claims())), TokenFailure::unknown_kid);
  EXPECT_EQ(failure_of(sign_token(TestKey::ec(), {{"alg", "ES256"}, {"kid", "ec-bad"}}, claims())),
            TokenFailure::unknown_kid);
}

TEST_F(TokenValidatorTest, ACacheHitReturnsTheSameResult) {
  const std::string token = sign_token(TestKey::ec(), claims());
  const auto first = validator.validate(token, kNow);
  const auto second = validator.validate(token, kNow + seconds(10));
  EXPECT_EQ(first.get(), second.get()) << "the cached result itself, not a new verification";
  EXPECT_EQ(validator.cached_tokens(), 1u);
  EXPECT_EQ(fetches, 1);
}

TEST_F(TokenValidatorTest, AnExpiredCachedTokenIsRefusedAndDropped) {
  const std::string token = sign_token(TestKey::rsa(), claims());  // exp = now + 300
  validator.validate(token, kNow);
  ASSERT_EQ(validator.cached_tokens(), 1u);
  EXPECT_NO_THROW(validator.validate(token, kNow + seconds(359)));  // within the 60 s skew
  EXPECT_EQ(failure_of(token, kNow + seconds(360)), TokenFailure::expired);
  EXPECT_EQ(validator.cached_tokens(), 0u);
}

TEST_F(TokenValidatorTest, TheCacheIsBounded) {
  TokenValidator small(keys, ClaimPolicy{kIssuer, "mecapy-api"}, 3);
  std::vector<std::string> tokens;
  std::vector<std::shared_ptr<const VerifiedToken>> results;
  for (int i = 0; i < 5; ++i) {
    auto c = claims();
    c["jti"] = "token-" + std::to_string(i);
    tokens.push_back(sign_token(TestKey::rsa(), c));
    results.push_back(small.validate(tokens.back(), kNow));
  }
  EXPECT_EQ(small.cached_tokens(), 3u);
  EXPECT_EQ(small.validate(tokens[4], kNow).get(), results[4].get()) << "recent: still cached";
  EXPECT_NE(small.validate(tokens[0], kNow).get(), results[0].get()) << "oldest: evicted, verified again";
  EXPECT_EQ(small.cached_tokens(), 3u);
}

TEST_F(TokenValidatorTest, ACapacityOfZeroCachesNothing) {
  TokenValidator uncached(keys, ClaimPolicy{kIssuer, "mecapy-api"}, 0);
  const std::string token = sign_token(TestKey::rsa(), claims());
  EXPECT_NE(uncached.validate(token, kNow).get(), uncached.validate(token, kNow).get());
  EXPECT_EQ(uncached.cached_tokens(), 0u);
}

TEST_F(TokenValidatorTest, RefusalsAreNotCached) {
  // Signed by a key the provider publishes only later: refused, then accepted.
  const std::string token = sign_token(TestKey::rsa_other(), claims());
  EXPECT_EQ(failure_of(token), TokenFailure::unknown_kid);
  EXPECT_EQ(validator.cached_tokens(), 0u);
  publish(jwks({TestKey::rsa().jwk(), TestKey::rsa_other().jwk()}));
  monotonic_s += 30;
  EXPECT_EQ(validator.validate(token, kNow)->kid, "rsa-2");
}

TEST_F(TokenValidatorTest, ACachedTokenOfAWithdrawnKeyIsRefused) {
  const std::string token = sign_token(TestKey::rsa(), claims());
  validator.validate(token, kNow);
  publish(jwks({TestKey::ec().jwk()}));  // rsa-1 withdrawn
  monotonic_s += 600;                    // the set is refreshed after max_age
  validator.validate(sign_token(TestKey::ec(), claims()), kNow);
  EXPECT_EQ(failure_of(token), TokenFailure::unknown_kid);
}

TEST_F(TokenValidatorTest, ManyThreadsValidateAtOnce) {
  std::vector<std::string> tokens;
  for (int i = 0; i < 16; ++i) {
    auto c = claims();
    c["jti"] = std::to_string(i);
    tokens.push_back(sign_token(i % 2 ? TestKey::ec() : TestKey::rsa(), c));
  }
  TokenValidator shared(keys, ClaimPolicy{kIssuer, "mecapy-api"}, 8);  // smaller than the set: evictions too
  std::atomic<int> accepted{0};
  std::vector<std::thread> threads;
  threads.reserve(4);
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 64; ++i)
        if (shared.validate(tokens[(i * 7 + t) % tokens.size()], kNow)->subject == "8d1f6e2a-user") ++accepted;
    });
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(accepted, 256);
  EXPECT_LE(shared.cached_tokens(), 8u);
}

TEST_F(TokenValidatorTest, APolicyNeedsAnIssuerAndAnAudience) {
  EXPECT_THROW(TokenValidator(keys, ClaimPolicy{"", "mecapy-api"}), std::invalid_argument);
  EXPECT_THROW(TokenValidator(keys, ClaimPolicy{kIssuer, ""}), std::invalid_argument);
}

}  // namespace
}  // namespace mecapy::auth::jwt
