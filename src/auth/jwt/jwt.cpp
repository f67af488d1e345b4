#include "auth/jwt/jwt.hpp"

#include <boost/json/value.hpp>

#include "auth/jwt/base64url.hpp"
#include "auth/jwt/token_error.hpp"
#include "core/errors.hpp"
#include "core/json.hpp"

namespace mecapy::auth::jwt {
namespace {

[[noreturn]] void malformed(const std::string& message) { throw TokenError(TokenFailure::malformed, message); }

// The token's size was checked already: a segment is bounded by it.
boost::json::object decode_object(std::string_view segment, const char* what) {
  const auto bytes = base64url_decode(segment, segment.size());
  if (!bytes) malformed(std::string("The token's ") + what + " is not base64url.");
  boost::json::value value;
  try {
    value = parse_json(*bytes);
  } catch (const Error&) {
    malformed(std::string("The token's ") + what + " is not JSON.");
  }
  if (!value.is_object()) malformed(std::string("The token's ") + what + " is not a JSON object.");
  return std::move(value.as_object());
}

// The header member `name` as a string; empty when absent.
std::string optional_string(const boost::json::object& header, std::string_view name) {
  const auto* value = header.if_contains(name);
  if (!value) return {};
  if (!value->is_string()) malformed("The token header's '" + std::string(name) + "' is not a string.");
  return std::string(value->get_string());
}

}  // namespace

void check_token_size(std::string_view token, std::size_t max_size) {
  if (token.size() > max_size)
    throw TokenError(TokenFailure::too_large, "The token is longer than " + std::to_string(max_size) + " bytes.");
}

ParsedJwt parse_jwt(std::string_view token, std::size_t max_size) {
  check_token_size(token, max_size);
  const std::size_t first = token.find('.');
  const std::size_t second = first == std::string_view::npos ? first : token.find('.', first + 1);
  if (second == std::string_view::npos || token.find('.', second + 1) != std::string_view::npos)
    malformed("The token is not a JWT (three base64url segments separated by dots).");
  if (first == 0 || second == first + 1) malformed("The token has an empty header or payload.");

  ParsedJwt jwt;
  jwt.header = decode_object(token.substr(0, first), "header");
  jwt.payload = decode_object(token.substr(first + 1, second - first - 1), "payload");
  const std::string_view signature_text = token.substr(second + 1);
  auto signature = base64url_decode(signature_text, signature_text.size());
  if (!signature) malformed("The token's signature is not base64url.");
  jwt.signature = std::move(*signature);
  jwt.signing_input = token.substr(0, second);

  const auto* alg = jwt.header.if_contains("alg");
  if (!alg || !alg->is_string()) malformed("The token header has no 'alg'.");
  jwt.alg = std::string(alg->get_string());
  jwt.kid = optional_string(jwt.header, "kid");
  jwt.typ = optional_string(jwt.header, "typ");
  if (jwt.header.contains("crit")) malformed("The token header has critical extensions ('crit'), none supported.");
  return jwt;
}

}  // namespace mecapy::auth::jwt
