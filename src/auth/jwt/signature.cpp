#include "auth/jwt/signature.hpp"

#include <openssl/ec.h>
#include <openssl/rsa.h>

#include <string>

#include "auth/jwt/openssl_ptr.hpp"
#include "auth/jwt/token_error.hpp"

namespace mecapy::auth::jwt {
namespace {

constexpr std::size_t kEs256SignatureSize = 64;

const unsigned char* bytes(std::string_view text) { return reinterpret_cast<const unsigned char*>(text.data()); }

// r || s (32 bytes each, big-endian) as the DER ECDSA-Sig-Value OpenSSL verifies;
// empty when the signature does not have the size of a P-256 one.
std::string es256_der(std::string_view signature) {
  if (signature.size() != kEs256SignatureSize) return {};
  const std::size_t half = kEs256SignatureSize / 2;
  BignumPtr r(BN_bin2bn(bytes(signature), static_cast<int>(half), nullptr));
  BignumPtr s(BN_bin2bn(bytes(signature.substr(half)), static_cast<int>(half), nullptr));
  EcdsaSigPtr sig(ECDSA_SIG_new());
  if (!r || !s || !sig || ECDSA_SIG_set0(sig.get(), r.get(), s.get()) != 1) throw std::bad_alloc();
  (void)r.release();  // owned by sig now
  (void)s.release();
  unsigned char* der = nullptr;
  const int size = i2d_ECDSA_SIG(sig.get(), &der);
  if (size <= 0) throw std::bad_alloc();
  std::string out(reinterpret_cast<const char*>(der), static_cast<std::size_t>(size));
  OPENSSL_free(der);
  return out;
}

bool digest_verify(const VerificationKey& key, std::string_view signing_input, std::string_view signature) {
  const MdCtxPtr md(EVP_MD_CTX_new());
  EVP_PKEY_CTX* pctx = nullptr;  // owned by md
  if (!md || EVP_DigestVerifyInit(md.get(), &pctx, sha256_md(), nullptr, key.evp_pkey()) != 1)
    throw std::runtime_error("EVP_DigestVerifyInit failed");
  if (key.alg() == Algorithm::rs256 && EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) != 1)
    throw std::runtime_error("EVP_PKEY_CTX_set_rsa_padding failed");
  return EVP_DigestVerify(md.get(), bytes(signature), signature.size(), bytes(signing_input), signing_input.size()) ==
         1;
}

}  // namespace

Algorithm token_algorithm(const ParsedJwt& token) {
  const auto alg = supported_algorithm(token.alg);
  if (!alg)
    throw TokenError(TokenFailure::unsupported_alg,
                     "The token's algorithm '" + token.alg.substr(0, 32) + "' is not accepted (RS256 and ES256 are).");
  return *alg;
}

bool signature_valid(const VerificationKey& key, std::string_view signing_input, std::string_view signature) {
  if (key.alg() == Algorithm::es256) {
    const std::string der = es256_der(signature);
    return !der.empty() && digest_verify(key, signing_input, der);
  }
  if (signature.size() != static_cast<std::size_t>(EVP_PKEY_get_size(key.evp_pkey()))) return false;
  return digest_verify(key, signing_input, signature);
}

void verify_signature(const ParsedJwt& token, const VerificationKey& key) {
  const Algorithm alg = token_algorithm(token);
  if (alg != key.alg())
    throw TokenError(TokenFailure::alg_mismatch, "The token says " + std::string(algorithm_name(alg)) + " but key '" +
                                                     key.kid() + "' verifies " +
                                                     std::string(algorithm_name(key.alg())) + " only.");
  if (!signature_valid(key, token.signing_input, token.signature))
    throw TokenError(TokenFailure::bad_signature, "The token's signature is not valid.");
}

}  // namespace mecapy::auth::jwt
