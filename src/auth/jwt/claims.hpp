// The registered claims of a JWT (RFC 7519 section 4.1) checked against what this
// API accepts. Numeric dates are seconds since the epoch (integers or decimals);
// `now` is a parameter, so the checks are exact under test.
//
// check_claims throws TokenError:
//   missing-claim     no `exp`, or no non-empty string `sub`;
//   malformed         a registered claim of the wrong JSON type;
//   expired           now >= exp + clock_skew;
//   not-yet-valid     now + clock_skew < nbf;
//   issued-in-future  now + clock_skew < iat;
//   wrong-issuer      `iss` is not exactly `issuer`;
//   wrong-audience    `aud` (a string, or an array of strings) does not contain
//                     `audience`, and (when accepted) `azp` is not `audience` either.
//                     Keycloak puts the requesting client in `azp` and, unless an
//                     audience mapper is configured, lists only other clients in
//                     `aud`: accept_azp_as_audience lets its own client's tokens in.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include <boost/json/object.hpp>

namespace mecapy::auth::jwt {

struct ClaimPolicy {
  std::string issuer;    // required, compared byte for byte
  std::string audience;  // required
  std::chrono::seconds clock_skew{60};
  bool accept_azp_as_audience = true;
};

// The registered claims of a payload that passed the policy.
struct CheckedClaims {
  std::string subject;
  std::string issuer;
  std::vector<std::string> audiences;
  std::string azp;  // empty when absent
  std::chrono::system_clock::time_point expires_at;
  std::chrono::system_clock::time_point issued_at;  // the epoch when absent
};

CheckedClaims check_claims(const boost::json::object& payload, const ClaimPolicy& policy,
                           std::chrono::system_clock::time_point now);

// Whether a token expiring at `expires_at` has expired at `now` under `clock_skew`.
bool expired_at(std::chrono::system_clock::time_point expires_at, std::chrono::seconds clock_skew,
                std::chrono::system_clock::time_point now);

}  // namespace mecapy::auth::jwt
