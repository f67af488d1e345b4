// Verification keys from JSON Web Keys (RFC 7517, RFC 7518 section 6), built with
// OpenSSL 3's EVP_PKEY_fromdata and checked with EVP_PKEY_public_check.
//
// A key verifies exactly one algorithm — this pinning is what defeats algorithm
// confusion: a token is checked with the algorithm of the key its `kid` names, and
// only when its header says that same algorithm (token_validator.hpp).
//   RSA  kty "RSA", n, e: at least 2048 and at most 8192 bits; verifies RS256.
//   EC   kty "EC", crv "P-256", x, y (32 bytes each, the point on the curve);
//        verifies ES256.
// A JWK `alg` must be the one its key type allows (RS256 for RSA, ES256 for P-256);
// any other (PS256, RSA-OAEP, ...) makes the key unusable here. Keys with `use`
// "enc", symmetric keys (kty "oct": their secret would be the provider's, never
// published) and every other key type or curve are unusable too.
#pragma once

#include <openssl/types.h>

#include <boost/json/object.hpp>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mecapy::auth::jwt {

enum class Algorithm { rs256, es256 };

std::string_view algorithm_name(Algorithm alg);
// RS256 or ES256; nullopt for every other name ("none", "HS256", "PS256", ...).
std::optional<Algorithm> supported_algorithm(std::string_view name);

// Why a JWK cannot be used: the message names the problem, never key material.
class UnusableKey : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// An immutable public key, cheap to copy (one shared pointer), safe to use from
// several threads at once.
class VerificationKey {
 public:
  // Throws UnusableKey.
  static VerificationKey from_jwk(const boost::json::object& jwk);

  const std::string& kid() const { return data_->kid; }  // empty when the JWK has none
  Algorithm alg() const { return data_->alg; }
  int bits() const { return data_->bits; }
  EVP_PKEY* evp_pkey() const { return data_->pkey.get(); }
  // The key's identity: kid, algorithm and public numbers. Equal fingerprints are
  // the same key.
  const std::string& fingerprint() const { return data_->fingerprint; }

 private:
  struct Data {
    std::unique_ptr<EVP_PKEY, void (*)(EVP_PKEY*)> pkey{nullptr, nullptr};
    std::string kid;
    Algorithm alg = Algorithm::rs256;
    int bits = 0;
    std::string fingerprint;
  };
  explicit VerificationKey(std::shared_ptr<const Data> data) : data_(std::move(data)) {}
  std::shared_ptr<const Data> data_;
};

// The usable keys of a JWKS document (RFC 7517 section 5).
class KeySet {
 public:
  KeySet() = default;
  // Throws UnusableKey when the document is not a JSON object with a "keys" array.
  // Unusable keys are skipped and listed in skipped(); a second key with the kid and
  // algorithm of an earlier one is skipped as well.
  static KeySet from_jwks(std::string_view document);

  // The key for a token whose header says `kid` and `alg`:
  //   a kid: the key with that kid and that algorithm, else none;
  //   no kid: the one key of the set for `alg` (with or without a kid of its own),
  //           none when the set holds zero or several such keys.
  const VerificationKey* find(std::string_view kid, Algorithm alg) const;
  // Whether any key has this kid (whatever its algorithm).
  bool has_kid(std::string_view kid) const;

  const std::vector<VerificationKey>& keys() const { return keys_; }
  // One line per skipped key: "key 'kid' (or #index): reason", for operators' logs.
  const std::vector<std::string>& skipped() const { return skipped_; }
  // The fingerprints of every key, sorted: equal for sets of the same keys in any order.
  std::string fingerprint() const;

 private:
  std::vector<VerificationKey> keys_;
  std::vector<std::string> skipped_;
};

}  // namespace mecapy::auth::jwt
