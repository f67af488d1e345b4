#include "auth/jwt/claims.hpp"

#include <algorithm>
#include <cmath>
#include <optional>

#include <boost/json/value.hpp>

#include "auth/jwt/token_error.hpp"

namespace mecapy::auth::jwt {
namespace {

using std::chrono::seconds;
using std::chrono::system_clock;

// Numeric dates beyond this (year 2223) are clamped: system_clock counts
// nanoseconds in 64 bits (up to the year 2262), so larger values would overflow,
// and no token is valid for that long anyway.
constexpr std::int64_t kMaxNumericDate = 8'000'000'000;

[[noreturn]] void malformed_claim(std::string_view name, const char* expected) {
  throw TokenError(TokenFailure::malformed, "The token's '" + std::string(name) + "' claim is not " + expected + ".");
}

std::optional<system_clock::time_point> numeric_date(const boost::json::object& payload, std::string_view name) {
  const auto* value = payload.if_contains(name);
  if (!value) return std::nullopt;
  std::int64_t secs = 0;
  if (value->is_int64()) {
    secs = value->get_int64();
  } else if (value->is_uint64()) {
    secs = kMaxNumericDate;
  } else if (value->is_double() && std::isfinite(value->get_double())) {
    secs = static_cast<std::int64_t>(
        std::clamp(std::floor(value->get_double()), -1.0 * kMaxNumericDate, 1.0 * kMaxNumericDate));
  } else {
    malformed_claim(name, "a number of seconds");
  }
  secs = std::clamp<std::int64_t>(secs, -kMaxNumericDate, kMaxNumericDate);
  return system_clock::time_point(seconds(secs));
}

std::optional<std::string> string_claim(const boost::json::object& payload, std::string_view name) {
  const auto* value = payload.if_contains(name);
  if (!value) return std::nullopt;
  if (!value->is_string()) malformed_claim(name, "a string");
  return std::string(value->get_string());
}

std::vector<std::string> audiences(const boost::json::object& payload) {
  std::vector<std::string> out;
  const auto* aud = payload.if_contains("aud");
  if (!aud) return out;
  if (aud->is_string()) {
    out.emplace_back(aud->get_string());
  } else if (aud->is_array()) {
    for (const auto& entry : aud->get_array()) {
      if (!entry.is_string()) malformed_claim("aud", "a string or an array of strings");
      out.emplace_back(entry.get_string());
    }
  } else {
    malformed_claim("aud", "a string or an array of strings");
  }
  return out;
}

}  // namespace

bool expired_at(system_clock::time_point expires_at, seconds clock_skew, system_clock::time_point now) {
  return now >= expires_at + clock_skew;
}

CheckedClaims check_claims(const boost::json::object& payload, const ClaimPolicy& policy,
                           system_clock::time_point now) {
  CheckedClaims claims;
  const auto exp = numeric_date(payload, "exp");
  if (!exp) throw TokenError(TokenFailure::missing_claim, "The token has no expiry ('exp').");
  claims.expires_at = *exp;
  if (expired_at(*exp, policy.clock_skew, now)) throw TokenError(TokenFailure::expired, "The token has expired.");
  if (const auto nbf = numeric_date(payload, "nbf"); nbf && now + policy.clock_skew < *nbf)
    throw TokenError(TokenFailure::not_yet_valid, "The token is not valid yet ('nbf').");
  if (const auto iat = numeric_date(payload, "iat")) {
    if (now + policy.clock_skew < *iat)
      throw TokenError(TokenFailure::issued_in_future, "The token was issued in the future ('iat').");
    claims.issued_at = *iat;
  }

  claims.issuer = string_claim(payload, "iss").value_or("");
  if (claims.issuer != policy.issuer)
    throw TokenError(TokenFailure::wrong_issuer, "The token was not issued by " + policy.issuer + ".");

  claims.audiences = audiences(payload);
  claims.azp = string_claim(payload, "azp").value_or("");
  const bool in_aud =
      std::find(claims.audiences.begin(), claims.audiences.end(), policy.audience) != claims.audiences.end();
  const bool by_azp = policy.accept_azp_as_audience && claims.azp == policy.audience;
  if (!in_aud && !by_azp)
    throw TokenError(TokenFailure::wrong_audience, "The token is not meant for " + policy.audience + ".");

  claims.subject = string_claim(payload, "sub").value_or("");
  if (claims.subject.empty()) throw TokenError(TokenFailure::missing_claim, "The token has no subject ('sub').");
  return claims;
}

}  // namespace mecapy::auth::jwt
