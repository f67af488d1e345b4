// Random values for the authorization code flow, from OpenSSL's CSPRNG (RAND_bytes):
// `state`, `nonce` and the PKCE code verifier, and the verifier's S256 challenge
// (RFC 7636).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace mecapy::auth::oidc {

// `bytes` random bytes, base64url without padding (ceil(4 * bytes / 3) characters).
// Throws std::runtime_error when the generator fails (never a weaker fallback).
std::string random_token(std::size_t bytes = 32);

// A fresh code verifier: 32 random bytes, 43 characters of the unreserved set
// (RFC 7636 section 4.1 asks for 43 to 128).
std::string pkce_verifier();

// BASE64URL(SHA256(verifier)) (RFC 7636 section 4.2). Throws std::invalid_argument
// when `verifier` is not 43 to 128 characters of [A-Z a-z 0-9 - . _ ~].
std::string pkce_challenge_s256(std::string_view verifier);

}  // namespace mecapy::auth::oidc
