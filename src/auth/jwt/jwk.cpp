#include "auth/jwt/jwk.hpp"

#include <openssl/core_names.h>

#include <algorithm>
#include <boost/json/value.hpp>

#include "auth/jwt/base64url.hpp"
#include "auth/jwt/openssl_ptr.hpp"
#include "core/errors.hpp"
#include "core/json.hpp"

namespace mecapy::auth::jwt {
namespace {

constexpr int kMinRsaBits = 2048;
constexpr int kMaxRsaBits = 8192;
constexpr std::size_t kP256CoordinateSize = 32;
// A JWK member holds at most an 8192-bit number: 1366 base64url characters.
constexpr std::size_t kMaxMemberText = 2048;

std::string member_string(const boost::json::object& jwk, std::string_view name) {
  const auto* value = jwk.if_contains(name);
  if (!value) return {};
  if (!value->is_string()) throw UnusableKey("'" + std::string(name) + "' is not a string");
  return std::string(value->get_string());
}

std::string member_bytes(const boost::json::object& jwk, std::string_view name) {
  const std::string text = member_string(jwk, name);
  if (text.empty()) throw UnusableKey("'" + std::string(name) + "' is missing");
  auto bytes = base64url_decode(text, kMaxMemberText);
  if (!bytes || bytes->empty()) throw UnusableKey("'" + std::string(name) + "' is not base64url");
  return std::move(*bytes);
}

BignumPtr to_bignum(std::string_view bytes) {
  BignumPtr n(BN_bin2bn(reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()), nullptr));
  if (!n) throw std::bad_alloc();
  return n;
}

// Builds the key from `params` and checks it as OpenSSL checks a peer's public key
// (EC: on the curve, not the point at infinity, of the group's order; RSA: odd
// modulus without small factors, not a prime power, a valid public exponent).
PkeyPtr import_public_key(const char* type, OSSL_PARAM* params) {
  const PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr));
  EVP_PKEY* raw = nullptr;
  if (!ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
      EVP_PKEY_fromdata(ctx.get(), &raw, EVP_PKEY_PUBLIC_KEY, params) != 1)
    throw UnusableKey("the key's public numbers are not a valid key");
  PkeyPtr pkey(raw);
  const PkeyCtxPtr check(EVP_PKEY_CTX_new_from_pkey(nullptr, pkey.get(), nullptr));
  if (!check || EVP_PKEY_public_check(check.get()) != 1) throw UnusableKey("the public key fails validation");
  return pkey;
}

struct Imported {
  PkeyPtr pkey;
  int bits = 0;
  std::string numbers;  // the public numbers, for the fingerprint
};

Imported import_rsa(const boost::json::object& jwk) {
  std::string n = member_bytes(jwk, "n");
  const std::string e = member_bytes(jwk, "e");
  // RFC 7518 6.3.1.1 forbids leading zero octets; some encoders add one. Same number.
  n.erase(0, std::min(n.find_first_not_of('\0'), n.size()));
  const BignumPtr modulus = to_bignum(n);
  const BignumPtr exponent = to_bignum(e);
  const int bits = BN_num_bits(modulus.get());
  if (bits < kMinRsaBits)
    throw UnusableKey("an RSA key of " + std::to_string(bits) + " bits is too small (at least 2048)");
  if (bits > kMaxRsaBits)
    throw UnusableKey("an RSA key of " + std::to_string(bits) + " bits is too large (at most 8192)");
  if (e.size() > 8 || !BN_is_odd(exponent.get()) || BN_is_one(exponent.get()))
    throw UnusableKey("the RSA public exponent is not valid");

  const ParamBuildPtr build(OSSL_PARAM_BLD_new());
  if (!build || OSSL_PARAM_BLD_push_BN(build.get(), OSSL_PKEY_PARAM_RSA_N, modulus.get()) != 1 ||
      OSSL_PARAM_BLD_push_BN(build.get(), OSSL_PKEY_PARAM_RSA_E, exponent.get()) != 1)
    throw std::bad_alloc();
  const ParamsPtr params(OSSL_PARAM_BLD_to_param(build.get()));
  if (!params) throw std::bad_alloc();
  return {import_public_key("RSA", params.get()), bits, base64url_encode(n) + "." + base64url_encode(e)};
}

Imported import_p256(const boost::json::object& jwk) {
  const std::string crv = member_string(jwk, "crv");
  if (crv != "P-256") throw UnusableKey("EC curve '" + crv + "' is not supported (only P-256)");
  const std::string x = member_bytes(jwk, "x");
  const std::string y = member_bytes(jwk, "y");
  if (x.size() != kP256CoordinateSize || y.size() != kP256CoordinateSize)
    throw UnusableKey("a P-256 coordinate is not 32 bytes");
  // The uncompressed point encoding (SEC 1 section 2.3.3): 0x04 || x || y.
  std::string point = "\x04" + x + y;
  char group[] = "prime256v1";
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, group, 0),
      OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY, point.data(), point.size()),
      OSSL_PARAM_construct_end(),
  };
  return {import_public_key("EC", params), 256, base64url_encode(x) + "." + base64url_encode(y)};
}

}  // namespace

std::string_view algorithm_name(Algorithm alg) { return alg == Algorithm::rs256 ? "RS256" : "ES256"; }

std::optional<Algorithm> supported_algorithm(std::string_view name) {
  if (name == "RS256") return Algorithm::rs256;
  if (name == "ES256") return Algorithm::es256;
  return std::nullopt;
}

VerificationKey VerificationKey::from_jwk(const boost::json::object& jwk) {
  const std::string kty = member_string(jwk, "kty");
  const std::string use = member_string(jwk, "use");
  const std::string alg = member_string(jwk, "alg");
  if (!use.empty() && use != "sig") throw UnusableKey("the key's use is '" + use + "', not 'sig'");

  auto data = std::make_shared<Data>();
  data->kid = member_string(jwk, "kid");
  Imported imported;
  if (kty == "RSA") {
    data->alg = Algorithm::rs256;
    imported = import_rsa(jwk);
  } else if (kty == "EC") {
    data->alg = Algorithm::es256;
    imported = import_p256(jwk);
  } else {
    throw UnusableKey("key type '" + kty + "' is not supported (RSA and EC P-256 are)");
  }
  if (!alg.empty() && alg != algorithm_name(data->alg))
    throw UnusableKey("algorithm '" + alg + "' is not supported for a " + kty + " key");
  data->pkey = {imported.pkey.release(), EVP_PKEY_free};
  data->bits = imported.bits;
  data->fingerprint = data->kid + "/" + std::string(algorithm_name(data->alg)) + "/" + imported.numbers;
  return VerificationKey(std::move(data));
}

KeySet KeySet::from_jwks(std::string_view document) {
  boost::json::value parsed;
  try {
    parsed = parse_json(document);
  } catch (const Error&) {
    throw UnusableKey("the key set is not JSON");
  }
  const auto* object = parsed.if_object();
  const auto* keys = object ? object->if_contains("keys") : nullptr;
  if (!keys || !keys->is_array()) throw UnusableKey("the key set has no 'keys' array");

  KeySet set;
  std::size_t index = 0;
  for (const auto& entry : keys->get_array()) {
    const auto* jwk = entry.if_object();
    std::string name = "#" + std::to_string(index++);
    try {
      if (!jwk) throw UnusableKey("not a JSON object");
      if (const auto* kid = jwk->if_contains("kid"); kid && kid->is_string())
        name = "'" + std::string(kid->get_string()) + "'";
      VerificationKey key = VerificationKey::from_jwk(*jwk);
      if (!key.kid().empty() && set.find(key.kid(), key.alg()))
        throw UnusableKey("another key has the same kid and algorithm");
      set.keys_.push_back(std::move(key));
    } catch (const UnusableKey& e) {
      set.skipped_.push_back("key " + name + ": " + e.what());
    }
  }
  return set;
}

const VerificationKey* KeySet::find(std::string_view kid, Algorithm alg) const {
  const VerificationKey* found = nullptr;
  for (const auto& key : keys_) {
    if (key.alg() != alg) continue;
    if (!kid.empty()) {
      if (key.kid() == kid) return &key;
    } else {
      if (found) return nullptr;  // several candidates: none is the one
      found = &key;
    }
  }
  return found;
}

bool KeySet::has_kid(std::string_view kid) const {
  return std::any_of(keys_.begin(), keys_.end(), [kid](const VerificationKey& key) { return key.kid() == kid; });
}

std::string KeySet::fingerprint() const {
  std::vector<std::string> prints;
  prints.reserve(keys_.size());
  for (const auto& key : keys_) prints.push_back(key.fingerprint());
  std::sort(prints.begin(), prints.end());
  std::string out;
  for (const auto& print : prints) out += print + "\n";
  return out;
}

}  // namespace mecapy::auth::jwt
