// JWS signature verification (RFC 7515, algorithms of RFC 7518 section 3) with
// OpenSSL 3's EVP_DigestVerify, for the two algorithms a key may be pinned to:
//   RS256  RSASSA-PKCS1-v1_5 with SHA-256; the signature is as long as the modulus.
//   ES256  ECDSA on P-256 with SHA-256; the JWS signature is r || s, 32 bytes each
//          (RFC 7518 section 3.4), converted to the DER form OpenSSL verifies.
//
// verify_signature throws TokenError:
//   unsupported-alg  the header's `alg` is neither RS256 nor ES256 ("none", HS256,
//                    PS256, ...): an HMAC "signature" keyed with a public key, or no
//                    signature at all, is never accepted;
//   alg-mismatch     the header's `alg` is not the algorithm the key is pinned to;
//   bad-signature    the signature does not verify, or has the wrong length.
#pragma once

#include <string_view>

#include "auth/jwt/jwk.hpp"
#include "auth/jwt/jwt.hpp"

namespace mecapy::auth::jwt {

// The algorithm the header names, or TokenError(unsupported_alg).
Algorithm token_algorithm(const ParsedJwt& token);

// Whether `signature` is a valid `key.alg()` signature of `signing_input`.
bool signature_valid(const VerificationKey& key, std::string_view signing_input, std::string_view signature);

void verify_signature(const ParsedJwt& token, const VerificationKey& key);

}  // namespace mecapy::auth::jwt
