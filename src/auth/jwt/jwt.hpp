// Parsing of a compact JWS (RFC 7515 section 7.1) carrying a JWT (RFC 7519): three
// base64url segments "header.payload.signature". Parsing checks the shape only; it
// trusts nothing it reads — the signature (signature.hpp) and the claims (claims.hpp)
// are checked later, against keys and a policy.
//
// parse_jwt refuses, with a TokenError:
//   too-large  a token longer than max_size, before any byte is decoded;
//   malformed  not exactly three segments, a segment that is not strict base64url
//              (base64url.hpp), a header or payload that is not a JSON object, a
//              header without a string `alg`, a non-string `kid` or `typ`, or a
//              `crit` header (no extension is understood, so RFC 7515 section 4.1.11
//              requires the refusal).
// The algorithm is not judged here: `none` parses, and verification refuses it.
#pragma once

#include <boost/json/object.hpp>
#include <cstddef>
#include <string>
#include <string_view>

namespace mecapy::auth::jwt {

inline constexpr std::size_t kDefaultMaxTokenSize = std::size_t{16} * 1024;

struct ParsedJwt {
  boost::json::object header;
  boost::json::object payload;
  // "header.payload" as it stands in the token: what the signature covers. Points
  // into the parsed token, which must outlive this value.
  std::string_view signing_input;
  std::string signature;  // decoded bytes
  std::string alg;
  std::string kid;  // empty when the header has none
  std::string typ;  // empty when the header has none
};

// Throws TokenError(too_large) when `token` is longer than `max_size`.
void check_token_size(std::string_view token, std::size_t max_size = kDefaultMaxTokenSize);

ParsedJwt parse_jwt(std::string_view token, std::size_t max_size = kDefaultMaxTokenSize);

}  // namespace mecapy::auth::jwt
