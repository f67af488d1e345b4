// Why a bearer token was refused. Every refusal of a token is a TokenError: an
// Error(unauthenticated, "invalid-token") whose problem document carries `reason`,
// one of the short machine slugs below, so the API answers 401 problem+json
// `invalid-token` with the reason and the message without translating anything.
// Messages are safe to show to the caller: they name claims, algorithms and key
// ids (which the caller sent), never key material, secrets or the expected values
// of a private configuration beyond the issuer and audience.
#pragma once

#include <string>
#include <string_view>

#include "core/errors.hpp"

namespace mecapy::auth::jwt {

enum class TokenFailure {
  malformed,         // not a compact JWS with JSON header and payload, or a claim of the wrong type
  too_large,         // longer than the size cap: refused before anything is decoded
  unsupported_alg,   // `none`, HMAC, or any algorithm other than RS256 and ES256
  alg_mismatch,      // the key named by `kid` verifies another algorithm than the header's
  unknown_kid,       // no key of the provider's current set matches the token
  bad_signature,     // the signature does not verify with the key
  expired,           // `exp` is past (beyond the clock skew)
  not_yet_valid,     // `nbf` is in the future (beyond the clock skew)
  issued_in_future,  // `iat` is in the future (beyond the clock skew)
  wrong_issuer,      // `iss` is not the configured issuer
  wrong_audience,    // neither `aud` nor `azp` names the expected audience
  missing_claim,     // a required claim (`exp`, `sub`) is absent
  wrong_nonce,       // an ID token's `nonce` is not the one sent with the login
};

// "malformed", "too-large", "unsupported-alg", ... (stable: clients may match on it).
std::string_view reason_slug(TokenFailure failure);

class TokenError : public DetailedError {
 public:
  TokenError(TokenFailure failure, const std::string& message);
  TokenFailure failure() const noexcept { return failure_; }
  std::string_view reason() const noexcept { return reason_slug(failure_); }

 private:
  TokenFailure failure_;
};

}  // namespace mecapy::auth::jwt
