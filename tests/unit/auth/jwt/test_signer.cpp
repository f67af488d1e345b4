#include "test_signer.hpp"

#include <openssl/core_names.h>
#include <openssl/hmac.h>
#include <openssl/pem.h>

#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>
#include <stdexcept>

#include "auth/jwt/base64url.hpp"

namespace mecapy::auth::jwt::testing {
namespace {

void check(bool ok, const char* what) {
  if (!ok) throw std::runtime_error(std::string("OpenSSL: ") + what + " failed");
}

std::string bignum_bytes(EVP_PKEY* pkey, const char* name, int pad_to = 0) {
  BIGNUM* raw = nullptr;
  check(EVP_PKEY_get_bn_param(pkey, name, &raw) == 1, "EVP_PKEY_get_bn_param");
  const BignumPtr bn(raw);
  const int size = pad_to > 0 ? pad_to : BN_num_bytes(bn.get());
  std::string out(static_cast<std::size_t>(size), '\0');
  check(BN_bn2binpad(bn.get(), reinterpret_cast<unsigned char*>(out.data()), size) == size, "BN_bn2binpad");
  return out;
}

std::string ecdsa_der_to_jws(const std::string& der) {
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  const EcdsaSigPtr sig(d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der.size())));
  check(sig != nullptr, "d2i_ECDSA_SIG");
  std::string out(64, '\0');
  auto* bytes = reinterpret_cast<unsigned char*>(out.data());
  check(BN_bn2binpad(ECDSA_SIG_get0_r(sig.get()), bytes, 32) == 32, "r");
  check(BN_bn2binpad(ECDSA_SIG_get0_s(sig.get()), bytes + 32, 32) == 32, "s");
  return out;
}

std::string encode_json(const boost::json::object& object) { return base64url_encode(boost::json::serialize(object)); }

}  // namespace

TestKey TestKey::generate_rsa(int bits, std::string kid) {
  TestKey key;
  EVP_PKEY* raw = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<size_t>(bits));
  check(raw != nullptr, "RSA keygen");
  key.pkey_.reset(raw, EVP_PKEY_free);
  key.kid_ = std::move(kid);
  key.alg_ = "RS256";
  return key;
}

TestKey TestKey::generate_ec(std::string kid) {
  TestKey key;
  EVP_PKEY* raw = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
  check(raw != nullptr, "EC keygen");
  key.pkey_.reset(raw, EVP_PKEY_free);
  key.kid_ = std::move(kid);
  key.alg_ = "ES256";
  return key;
}

const TestKey& TestKey::rsa() {
  static const TestKey key = generate_rsa(2048, "rsa-1");
  return key;
}
const TestKey& TestKey::rsa_other() {
  static const TestKey key = generate_rsa(2048, "rsa-2");
  return key;
}
const TestKey& TestKey::rsa_small() {
  static const TestKey key = generate_rsa(1024, "rsa-small");
  return key;
}
const TestKey& TestKey::ec() {
  static const TestKey key = generate_ec("ec-1");
  return key;
}
const TestKey& TestKey::ec_other() {
  static const TestKey key = generate_ec("ec-2");
  return key;
}

boost::json::object TestKey::jwk() const { return jwk_with_kid(kid_); }

boost::json::object TestKey::jwk_with_kid(const std::string& kid) const {
  boost::json::object jwk;
  if (!kid.empty()) jwk["kid"] = kid;
  jwk["use"] = "sig";
  jwk["alg"] = alg_;
  if (alg_ == "RS256") {
    jwk["kty"] = "RSA";
    jwk["n"] = base64url_encode(bignum_bytes(pkey_.get(), OSSL_PKEY_PARAM_RSA_N));
    jwk["e"] = base64url_encode(bignum_bytes(pkey_.get(), OSSL_PKEY_PARAM_RSA_E));
  } else {
    jwk["kty"] = "EC";
    jwk["crv"] = "P-256";
    jwk["x"] = base64url_encode(bignum_bytes(pkey_.get(), OSSL_PKEY_PARAM_EC_PUB_X, 32));
    jwk["y"] = base64url_encode(bignum_bytes(pkey_.get(), OSSL_PKEY_PARAM_EC_PUB_Y, 32));
  }
  return jwk;
}

std::string TestKey::sign(std::string_view input) const {
  const MdCtxPtr md(EVP_MD_CTX_new());
  check(md && EVP_DigestSignInit(md.get(), nullptr, EVP_sha256(), nullptr, pkey_.get()) == 1, "DigestSignInit");
  const auto* data = reinterpret_cast<const unsigned char*>(input.data());
  std::size_t size = 0;
  check(EVP_DigestSign(md.get(), nullptr, &size, data, input.size()) == 1, "DigestSign size");
  std::string signature(size, '\0');
  check(EVP_DigestSign(md.get(), reinterpret_cast<unsigned char*>(signature.data()), &size, data, input.size()) == 1,
        "DigestSign");
  signature.resize(size);
  return alg_ == "ES256" ? ecdsa_der_to_jws(signature) : signature;
}

std::string TestKey::public_pem() const {
  const std::unique_ptr<BIO, OpenSslFree<BIO_free>> bio(BIO_new(BIO_s_mem()));
  check(bio && PEM_write_bio_PUBKEY(bio.get(), pkey_.get()) == 1, "PEM_write_bio_PUBKEY");
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(size));
}

std::string jwks(const std::vector<boost::json::object>& keys) {
  boost::json::array array;
  for (const auto& key : keys) array.push_back(key);
  return boost::json::serialize(boost::json::object{{"keys", array}});
}

std::string signing_input(const boost::json::object& header, const boost::json::object& payload) {
  return encode_json(header) + "." + encode_json(payload);
}

std::string sign_token(const TestKey& key, const boost::json::object& payload) {
  return sign_token(key, {{"alg", key.alg()}, {"typ", "JWT"}, {"kid", key.kid()}}, payload);
}

std::string sign_token(const TestKey& key, const boost::json::object& header, const boost::json::object& payload) {
  const std::string input = signing_input(header, payload);
  return input + "." + base64url_encode(key.sign(input));
}

std::string assemble_token(const boost::json::object& header, const boost::json::object& payload,
                           std::string_view signature) {
  return signing_input(header, payload) + "." + base64url_encode(signature);
}

std::string hs256_token(const boost::json::object& header, const boost::json::object& payload,
                        std::string_view secret) {
  const std::string input = signing_input(header, payload);
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  check(HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
             reinterpret_cast<const unsigned char*>(input.data()), input.size(), mac, &size) != nullptr,
        "HMAC");
  return input + "." + base64url_encode(std::string_view(reinterpret_cast<const char*>(mac), size));
}

std::int64_t epoch_seconds(std::chrono::system_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

boost::json::object access_claims(std::chrono::system_clock::time_point now, const std::string& issuer,
                                  const std::string& audience) {
  return {{"iss", issuer},
          {"aud", boost::json::array{audience, "account"}},
          {"sub", "8d1f6e2a-user"},
          {"azp", "mecapy-dashboard"},
          {"scope", "openid profile email"},
          {"iat", epoch_seconds(now)},
          {"exp", epoch_seconds(now) + 300},
          {"preferred_username", "ada"}};
}

}  // namespace mecapy::auth::jwt::testing
