#include "auth/oidc/pkce.hpp"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <algorithm>
#include <array>
#include <stdexcept>

#include "auth/jwt/base64url.hpp"

namespace mecapy::auth::oidc {

std::string random_token(std::size_t bytes) {
  std::string raw(bytes, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(raw.data()), static_cast<int>(raw.size())) != 1)
    throw std::runtime_error("the random number generator failed");
  return jwt::base64url_encode(raw);
}

std::string pkce_verifier() { return random_token(32); }

std::string pkce_challenge_s256(std::string_view verifier) {
  const bool unreserved = std::all_of(verifier.begin(), verifier.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
           c == '_' || c == '~';
  });
  if (verifier.size() < 43 || verifier.size() > 128 || !unreserved)
    throw std::invalid_argument("a PKCE code verifier is 43 to 128 unreserved characters");
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int size = 0;
  if (EVP_Digest(verifier.data(), verifier.size(), digest.data(), &size, EVP_sha256(), nullptr) != 1)
    throw std::runtime_error("SHA-256 failed");
  return jwt::base64url_encode(std::string_view(reinterpret_cast<const char*>(digest.data()), size));
}

}  // namespace mecapy::auth::oidc
