#include "auth/jwt/jwk.hpp"

#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>

#include "auth/jwt/base64url.hpp"
#include "test_signer.hpp"

namespace mecapy::auth::jwt {
namespace {

using testing::jwks;
using testing::TestKey;

std::string unusable_reason(const boost::json::object& jwk) {
  try {
    VerificationKey::from_jwk(jwk);
  } catch (const UnusableKey& e) {
    return e.what();
  }
  ADD_FAILURE() << "accepted: " << boost::json::serialize(jwk);
  return {};
}

// The JWK with one member replaced (or removed when `value` is null).
boost::json::object with(boost::json::object jwk, std::string_view name, boost::json::value value) {
  if (value.is_null())
    jwk.erase(name);
  else
    jwk[name] = std::move(value);
  return jwk;
}

TEST(Jwk, AnRsaKeyVerifiesRs256Only) {
  const auto key = VerificationKey::from_jwk(TestKey::rsa().jwk());
  EXPECT_EQ(key.kid(), "rsa-1");
  EXPECT_EQ(key.alg(), Algorithm::rs256);
  EXPECT_EQ(key.bits(), 2048);
  EXPECT_NE(key.evp_pkey(), nullptr);
}

TEST(Jwk, AnEcP256KeyVerifiesEs256Only) {
  const auto key = VerificationKey::from_jwk(TestKey::ec().jwk());
  EXPECT_EQ(key.kid(), "ec-1");
  EXPECT_EQ(key.alg(), Algorithm::es256);
  EXPECT_EQ(key.bits(), 256);
}

TEST(Jwk, WithoutAlgTheKeyTypeDecides) {
  EXPECT_EQ(VerificationKey::from_jwk(with(TestKey::rsa().jwk(), "alg", nullptr)).alg(), Algorithm::rs256);
  EXPECT_EQ(VerificationKey::from_jwk(with(TestKey::ec().jwk(), "alg", nullptr)).alg(), Algorithm::es256);
  EXPECT_EQ(VerificationKey::from_jwk(with(TestKey::ec().jwk(), "use", nullptr)).alg(), Algorithm::es256);
}

TEST(Jwk, RefusesAnRsaKeyUnder2048Bits) {
  EXPECT_NE(unusable_reason(TestKey::rsa_small().jwk()).find("1024 bits is too small"), std::string::npos);
}

TEST(Jwk, RefusesAnEcPointOffTheCurve) {
  auto jwk = TestKey::ec().jwk();
  std::string y = *base64url_decode(std::string(jwk.at("y").as_string()));
  y.back() = static_cast<char>(y.back() ^ 1);
  jwk["y"] = base64url_encode(y);
  EXPECT_FALSE(unusable_reason(jwk).empty());
}

TEST(Jwk, RefusesCoordinatesOfTheWrongSize) {
  auto jwk = TestKey::ec().jwk();
  const std::string x = *base64url_decode(std::string(jwk.at("x").as_string()));
  EXPECT_NE(unusable_reason(with(jwk, "x", boost::json::string(base64url_encode(x.substr(1))))).find("32 bytes"),
            std::string::npos);
  EXPECT_NE(
      unusable_reason(with(jwk, "x", boost::json::string(base64url_encode(std::string(1, '\0') + x)))).find("32 bytes"),
      std::string::npos);
}

TEST(Jwk, RefusesAnAlgThatIsNotTheKeyTypes) {
  EXPECT_NE(unusable_reason(with(TestKey::rsa().jwk(), "alg", "ES256")).find("'ES256'"), std::string::npos);
  EXPECT_NE(unusable_reason(with(TestKey::rsa().jwk(), "alg", "PS256")).find("'PS256'"), std::string::npos);
  EXPECT_NE(unusable_reason(with(TestKey::rsa().jwk(), "alg", "HS256")).find("'HS256'"), std::string::npos);
  EXPECT_NE(unusable_reason(with(TestKey::ec().jwk(), "alg", "RS256")).find("'RS256'"), std::string::npos);
}

TEST(Jwk, RefusesEncryptionSymmetricAndOtherKeys) {
  EXPECT_NE(unusable_reason(with(TestKey::rsa().jwk(), "use", "enc")).find("'enc'"), std::string::npos);
  EXPECT_NE(unusable_reason({{"kty", "oct"}, {"k", "c2VjcmV0"}}).find("'oct'"), std::string::npos);
  EXPECT_NE(unusable_reason(with(TestKey::ec().jwk(), "crv", "P-384")).find("P-384"), std::string::npos);
  EXPECT_NE(unusable_reason({{"kty", "OKP"}, {"crv", "Ed25519"}, {"x", "AAAA"}}).find("'OKP'"), std::string::npos);
}

TEST(Jwk, RefusesMissingOrMalformedNumbers) {
  EXPECT_NE(unusable_reason(with(TestKey::rsa().jwk(), "n", nullptr)).find("'n' is missing"), std::string::npos);
  EXPECT_NE(unusable_reason(with(TestKey::rsa().jwk(), "e", "AQAB=")).find("'e'"), std::string::npos);
  EXPECT_NE(unusable_reason(with(TestKey::rsa().jwk(), "e", 65537)).find("'e' is not a string"), std::string::npos);
  EXPECT_FALSE(unusable_reason(with(TestKey::rsa().jwk(), "e",
                                    boost::json::string(base64url_encode(std::string("\x01\x00\x00", 3)))))
                   .empty());  // even
}

TEST(Jwk, AcceptsAModulusWithALeadingZeroAsTheSameKey) {
  auto jwk = TestKey::rsa().jwk();
  const std::string n = *base64url_decode(std::string(jwk.at("n").as_string()));
  jwk["n"] = base64url_encode(std::string(1, '\0') + n);
  const auto padded = VerificationKey::from_jwk(jwk);
  EXPECT_EQ(padded.bits(), 2048);
  EXPECT_EQ(padded.fingerprint(), VerificationKey::from_jwk(TestKey::rsa().jwk()).fingerprint());
}

TEST(KeySet, KeepsTheUsableKeysAndSaysWhyOthersWereSkipped) {
  const auto set = KeySet::from_jwks(jwks({TestKey::rsa().jwk(),
                                           with(TestKey::rsa_other().jwk(), "use", "enc"),
                                           TestKey::rsa_small().jwk(),
                                           TestKey::ec().jwk(),
                                           {{"kty", "oct"}, {"kid", "hmac"}, {"k", "c2VjcmV0"}}}));
  ASSERT_EQ(set.keys().size(), 2u);
  EXPECT_EQ(set.keys()[0].kid(), "rsa-1");
  EXPECT_EQ(set.keys()[1].kid(), "ec-1");
  ASSERT_EQ(set.skipped().size(), 3u);
  EXPECT_NE(set.skipped()[0].find("key 'rsa-2'"), std::string::npos) << set.skipped()[0];
  EXPECT_NE(set.skipped()[1].find("key 'rsa-small'"), std::string::npos) << set.skipped()[1];
  EXPECT_NE(set.skipped()[2].find("key 'hmac'"), std::string::npos) << set.skipped()[2];
}

TEST(KeySet, FindsAKeyByKidAndAlgorithm) {
  const auto set = KeySet::from_jwks(jwks({TestKey::rsa().jwk(), TestKey::ec().jwk()}));
  ASSERT_NE(set.find("rsa-1", Algorithm::rs256), nullptr);
  EXPECT_EQ(set.find("rsa-1", Algorithm::rs256)->kid(), "rsa-1");
  EXPECT_EQ(set.find("rsa-1", Algorithm::es256), nullptr);
  EXPECT_TRUE(set.has_kid("rsa-1"));
  EXPECT_EQ(set.find("ec-1", Algorithm::es256)->kid(), "ec-1");
  EXPECT_EQ(set.find("nope", Algorithm::rs256), nullptr);
  EXPECT_FALSE(set.has_kid("nope"));
}

TEST(KeySet, AKidlessTokenMatchesOnlyTheSingleCandidate) {
  const auto one = KeySet::from_jwks(jwks({TestKey::rsa().jwk_with_kid(""), TestKey::ec().jwk()}));
  ASSERT_NE(one.find("", Algorithm::rs256), nullptr);
  EXPECT_EQ(one.find("", Algorithm::rs256)->kid(), "");
  ASSERT_NE(one.find("", Algorithm::es256), nullptr);       // the one ES256 key, although it has a kid
  EXPECT_EQ(one.find("rsa-1", Algorithm::rs256), nullptr);  // a kidless key never matches a kid

  const auto two = KeySet::from_jwks(jwks({TestKey::rsa().jwk_with_kid(""), TestKey::rsa_other().jwk()}));
  EXPECT_EQ(two.find("", Algorithm::rs256), nullptr);
  EXPECT_NE(two.find("rsa-2", Algorithm::rs256), nullptr);
}

TEST(KeySet, SkipsASecondKeyWithTheSameKidAndAlgorithm) {
  const auto set = KeySet::from_jwks(jwks({TestKey::rsa().jwk(), TestKey::rsa_other().jwk_with_kid("rsa-1")}));
  ASSERT_EQ(set.keys().size(), 1u);
  EXPECT_EQ(set.find("rsa-1", Algorithm::rs256)->fingerprint(),
            VerificationKey::from_jwk(TestKey::rsa().jwk()).fingerprint());
  EXPECT_EQ(set.skipped().size(), 1u);
}

TEST(KeySet, RefusesADocumentThatIsNotAKeySet) {
  EXPECT_THROW(KeySet::from_jwks("not json"), UnusableKey);
  EXPECT_THROW(KeySet::from_jwks(R"({"keys": {}})"), UnusableKey);
  EXPECT_THROW(KeySet::from_jwks(R"([])"), UnusableKey);
  EXPECT_EQ(KeySet::from_jwks(R"({"keys": [42]})").skipped().size(), 1u);
}

TEST(KeySet, FingerprintsAreEqualForTheSameKeysInAnyOrder) {
  const auto ab = KeySet::from_jwks(jwks({TestKey::rsa().jwk(), TestKey::ec().jwk()}));
  const auto ba = KeySet::from_jwks(jwks({TestKey::ec().jwk(), TestKey::rsa().jwk()}));
  const auto ac = KeySet::from_jwks(jwks({TestKey::rsa().jwk(), TestKey::ec_other().jwk()}));
  const auto renamed = KeySet::from_jwks(jwks({TestKey::rsa().jwk_with_kid("rsa-9"), TestKey::ec().jwk()}));
  EXPECT_EQ(ab.fingerprint(), ba.fingerprint());
  EXPECT_NE(ab.fingerprint(), ac.fingerprint());
  EXPECT_NE(ab.fingerprint(), renamed.fingerprint());
}

}  // namespace
}  // namespace mecapy::auth::jwt
