#include "auth/jwt/token_error.hpp"

namespace mecapy::auth::jwt {

std::string_view reason_slug(TokenFailure failure) {
  switch (failure) {
    case TokenFailure::malformed:
      return "malformed";
    case TokenFailure::too_large:
      return "too-large";
    case TokenFailure::unsupported_alg:
      return "unsupported-alg";
    case TokenFailure::alg_mismatch:
      return "alg-mismatch";
    case TokenFailure::unknown_kid:
      return "unknown-kid";
    case TokenFailure::bad_signature:
      return "bad-signature";
    case TokenFailure::expired:
      return "expired";
    case TokenFailure::not_yet_valid:
      return "not-yet-valid";
    case TokenFailure::issued_in_future:
      return "issued-in-future";
    case TokenFailure::wrong_issuer:
      return "wrong-issuer";
    case TokenFailure::wrong_audience:
      return "wrong-audience";
    case TokenFailure::missing_claim:
      return "missing-claim";
    case TokenFailure::wrong_nonce:
      return "wrong-nonce";
  }
  return "invalid";
}

TokenError::TokenError(TokenFailure failure, const std::string& message)
    : DetailedError(ErrorKind::unauthenticated, "invalid-token", message,
                    boost::json::object{{"reason", reason_slug(failure)}}),
      failure_(failure) {}

}  // namespace mecapy::auth::jwt
