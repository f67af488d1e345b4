#include "auth/jwt/signature.hpp"

#include <gtest/gtest.h>

#include "auth/jwt/token_error.hpp"
#include "test_signer.hpp"

namespace mecapy::auth::jwt {
namespace {

using testing::assemble_token;
using testing::hs256_token;
using testing::sign_token;
using testing::TestKey;

const boost::json::object kPayload{{"sub", "ada"}, {"exp", 4102444800}};

VerificationKey key_of(const TestKey& key) { return VerificationKey::from_jwk(key.jwk()); }

TokenFailure failure_of(const std::string& token, const VerificationKey& key) {
  try {
    verify_signature(parse_jwt(token), key);
  } catch (const TokenError& e) {
    return e.failure();
  }
  ADD_FAILURE() << "verified: " << token;
  return TokenFailure::malformed;
}

// The token with its payload replaced, the signature kept.
std::string with_payload(const std::string& token, const boost::json::object& payload) {
  const std::size_t first = token.find('.');
  const std::size_t last = token.rfind('.');
  const std::string header = token.substr(0, first);
  const std::string forged = testing::signing_input({}, payload);
  return header + forged.substr(forged.find('.')) + token.substr(last);
}

TEST(Signature, VerifiesRs256AndEs256) {
  EXPECT_NO_THROW(verify_signature(parse_jwt(sign_token(TestKey::rsa(), kPayload)), key_of(TestKey::rsa())));
  EXPECT_NO_THROW(verify_signature(parse_jwt(sign_token(TestKey::ec(), kPayload)), key_of(TestKey::ec())));
}

TEST(Signature, RefusesATamperedPayloadWithTheOldSignature) {
  for (const TestKey* key : {&TestKey::rsa(), &TestKey::ec()}) {
    const std::string token = sign_token(*key, kPayload);
    boost::json::object admin = kPayload;
    admin["sub"] = "root";
    EXPECT_EQ(failure_of(with_payload(token, admin), key_of(*key)), TokenFailure::bad_signature) << key->alg();
  }
}

TEST(Signature, RefusesASignatureFromAnotherKey) {
  // Same kid and algorithm in the header, signed by a key the provider does not have.
  const std::string rsa = sign_token(TestKey::rsa_other(), {{"alg", "RS256"}, {"kid", "rsa-1"}}, kPayload);
  EXPECT_EQ(failure_of(rsa, key_of(TestKey::rsa())), TokenFailure::bad_signature);
  const std::string ec = sign_token(TestKey::ec_other(), {{"alg", "ES256"}, {"kid", "ec-1"}}, kPayload);
  EXPECT_EQ(failure_of(ec, key_of(TestKey::ec())), TokenFailure::bad_signature);
}

TEST(Signature, RefusesSignaturesOfTheWrongLength) {
  const std::string input = testing::signing_input({{"alg", "ES256"}}, kPayload);
  const std::string good = TestKey::ec().sign(input);
  ASSERT_EQ(good.size(), 64u);
  const auto ec = key_of(TestKey::ec());
  EXPECT_TRUE(signature_valid(ec, input, good));
  EXPECT_FALSE(signature_valid(ec, input, good.substr(0, 63)));
  EXPECT_FALSE(signature_valid(ec, input, good + std::string(1, '\0')));
  EXPECT_FALSE(signature_valid(ec, input, ""));
  EXPECT_FALSE(signature_valid(ec, input, std::string(64, '\0')));  // r = s = 0

  const std::string rs = TestKey::rsa().sign(input);
  const auto rsa = key_of(TestKey::rsa());
  EXPECT_TRUE(signature_valid(rsa, input, rs));
  EXPECT_FALSE(signature_valid(rsa, input, rs.substr(0, rs.size() - 1)));
  EXPECT_FALSE(signature_valid(rsa, input, std::string(1, '\0') + rs));
}

TEST(Signature, RefusesAnUnsignedToken) {
  const std::string none = assemble_token({{"alg", "none"}, {"kid", "rsa-1"}}, kPayload, "");
  EXPECT_EQ(failure_of(none, key_of(TestKey::rsa())), TokenFailure::unsupported_alg);
  const std::string none_caps = assemble_token({{"alg", "NONE"}, {"kid", "rsa-1"}}, kPayload, "");
  EXPECT_EQ(failure_of(none_caps, key_of(TestKey::rsa())), TokenFailure::unsupported_alg);
}

TEST(Signature, RefusesHs256KeyedWithTheRsaPublicKey) {
  // The classic confusion: a verifier that picks the algorithm from the header would
  // check this HMAC with the public key's PEM as the secret, and accept it.
  for (const char* alg : {"HS256", "HS384", "HS512"}) {
    const std::string forged = hs256_token({{"alg", alg}, {"kid", "rsa-1"}}, kPayload, TestKey::rsa().public_pem());
    EXPECT_EQ(failure_of(forged, key_of(TestKey::rsa())), TokenFailure::unsupported_alg) << alg;
  }
}

TEST(Signature, RefusesOtherAlgorithmsThanRs256AndEs256) {
  for (const char* alg : {"RS384", "RS512", "PS256", "ES384", "EdDSA", "rs256", ""}) {
    const std::string token = sign_token(TestKey::rsa(), {{"alg", alg}, {"kid", "rsa-1"}}, kPayload);
    EXPECT_EQ(failure_of(token, key_of(TestKey::rsa())), TokenFailure::unsupported_alg) << alg;
  }
}

TEST(Signature, RefusesAHeaderAlgorithmThatIsNotTheKeys) {
  // ES256 in the header of a token whose kid names an RSA key, and the reverse.
  const std::string es_on_rsa = sign_token(TestKey::ec(), {{"alg", "ES256"}, {"kid", "rsa-1"}}, kPayload);
  EXPECT_EQ(failure_of(es_on_rsa, key_of(TestKey::rsa())), TokenFailure::alg_mismatch);
  const std::string rs_on_ec = sign_token(TestKey::rsa(), {{"alg", "RS256"}, {"kid", "ec-1"}}, kPayload);
  EXPECT_EQ(failure_of(rs_on_ec, key_of(TestKey::ec())), TokenFailure::alg_mismatch);
}

}  // namespace
}  // namespace mecapy::auth::jwt
