// Test-only token issuer: generates RSA and EC P-256 keys with OpenSSL, publishes
// them as JWKs, and signs JWTs with them the way a provider does — plus the forged
// tokens the attack tests need (unsigned, HMAC with a public key as the secret).
// Never linked into the platform.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>

#include "auth/jwt/openssl_ptr.hpp"

namespace mecapy::auth::jwt::testing {

class TestKey {
 public:
  // Key generation is slow (RSA): the tests share keys through these.
  static const TestKey& rsa();        // 2048 bits, kid "rsa-1"
  static const TestKey& rsa_other();  // 2048 bits, kid "rsa-2"
  static const TestKey& rsa_small();  // 1024 bits, kid "rsa-small"
  static const TestKey& ec();         // P-256, kid "ec-1"
  static const TestKey& ec_other();   // P-256, kid "ec-2"

  static TestKey generate_rsa(int bits, std::string kid);
  static TestKey generate_ec(std::string kid);

  const std::string& kid() const { return kid_; }
  const std::string& alg() const { return alg_; }  // "RS256" or "ES256"
  // The public JWK: kty, kid, use "sig", alg, and n/e or crv/x/y.
  boost::json::object jwk() const;
  // The same with another kid (empty: no kid member).
  boost::json::object jwk_with_kid(const std::string& kid) const;
  // The JWS signature of `signing_input` (RS256: PKCS#1 v1.5; ES256: r || s).
  std::string sign(std::string_view signing_input) const;
  // The SubjectPublicKeyInfo PEM, as a provider publishes it.
  std::string public_pem() const;

 private:
  std::shared_ptr<EVP_PKEY> pkey_;
  std::string kid_;
  std::string alg_;
};

// {"keys": [...]} of the given JWKs.
std::string jwks(const std::vector<boost::json::object>& keys);

// base64url(header) "." base64url(payload) (serialized as given).
std::string signing_input(const boost::json::object& header, const boost::json::object& payload);
// A token signed by `key`, header {"alg": key.alg(), "typ": "JWT", "kid": key.kid()}.
std::string sign_token(const TestKey& key, const boost::json::object& payload);
// A token with the given header, signed by `key` whatever the header says.
std::string sign_token(const TestKey& key, const boost::json::object& header, const boost::json::object& payload);
// header.payload.base64url(signature), nothing checked.
std::string assemble_token(const boost::json::object& header, const boost::json::object& payload,
                           std::string_view signature);
// HS256 over the signing input with `secret` as the HMAC key.
std::string hs256_token(const boost::json::object& header, const boost::json::object& payload, std::string_view secret);

// Seconds since the epoch.
std::int64_t epoch_seconds(std::chrono::system_clock::time_point t);

// iss, aud, sub, iat = now, exp = now + 5 min, azp, scope: what Keycloak puts in an access token.
boost::json::object access_claims(std::chrono::system_clock::time_point now, const std::string& issuer,
                                  const std::string& audience);

}  // namespace mecapy::auth::jwt::testing
