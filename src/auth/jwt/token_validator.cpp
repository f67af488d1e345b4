#include "auth/jwt/token_validator.hpp"

#include <openssl/evp.h>

#include <cstring>
#include <stdexcept>

#include <boost/json/value.hpp>

#include "auth/jwt/jwt.hpp"
#include "auth/jwt/openssl_ptr.hpp"
#include "auth/jwt/signature.hpp"
#include "auth/jwt/token_error.hpp"

namespace mecapy::auth::jwt {

TokenValidator::TokenValidator(JwksCache& keys, ClaimPolicy policy, std::size_t cache_capacity)
    : keys_(keys), policy_(std::move(policy)), capacity_(cache_capacity) {
  if (policy_.issuer.empty()) throw std::invalid_argument("a token policy needs an issuer");
  if (policy_.audience.empty()) throw std::invalid_argument("a token policy needs an audience");
}

std::size_t TokenValidator::DigestHash::operator()(const Digest& digest) const noexcept {
  std::size_t hash = 0;
  std::memcpy(&hash, digest.data(), sizeof hash);  // a SHA-256 is uniform already
  return hash;
}

std::size_t TokenValidator::cached_tokens() const {
  const std::lock_guard lock(cache_mutex_);
  return lru_.size();
}

std::shared_ptr<const VerifiedToken> TokenValidator::validate(std::string_view token,
                                                              std::chrono::system_clock::time_point now) {
  check_token_size(token);
  std::uint64_t generation = 0;
  if (capacity_ == 0) return verify(token, now, generation);
  Digest digest{};
  unsigned int size = 0;
  if (EVP_Digest(token.data(), token.size(), digest.data(), &size, sha256_md(), nullptr) != 1 || size != digest.size())
    throw std::runtime_error("SHA-256 failed");
  if (auto hit = cached(digest, now)) return hit;
  auto verified = verify(token, now, generation);
  remember(digest, verified, generation);
  return verified;
}

std::shared_ptr<const VerifiedToken> TokenValidator::cached(const Digest& digest,
                                                            std::chrono::system_clock::time_point now) {
  const std::uint64_t generation = keys_.generation();
  const std::lock_guard lock(cache_mutex_);
  const auto found = index_.find(digest);
  if (found == index_.end()) return nullptr;
  const auto entry = found->second;
  if (entry->key_generation != generation) {
    index_.erase(found);
    lru_.erase(entry);
    return nullptr;
  }
  if (expired_at(entry->token->expires_at, policy_.clock_skew, now)) {
    index_.erase(found);
    lru_.erase(entry);
    throw TokenError(TokenFailure::expired, "The token has expired.");
  }
  lru_.splice(lru_.begin(), lru_, entry);
  return entry->token;
}

// `key_generation` is that of the set the token's key came from: once the set
// changes, the entry is stale and the next use verifies the token again.
void TokenValidator::remember(const Digest& digest, std::shared_ptr<const VerifiedToken> token,
                              std::uint64_t key_generation) {
  const std::lock_guard lock(cache_mutex_);
  if (const auto found = index_.find(digest); found != index_.end()) {
    found->second->token = std::move(token);
    found->second->key_generation = key_generation;
    lru_.splice(lru_.begin(), lru_, found->second);
    return;
  }
  lru_.push_front(Entry{digest, std::move(token), key_generation});
  index_.emplace(digest, lru_.begin());
  while (lru_.size() > capacity_) {
    index_.erase(lru_.back().digest);
    lru_.pop_back();
  }
}

std::shared_ptr<const VerifiedToken> TokenValidator::verify(std::string_view token,
                                                            std::chrono::system_clock::time_point now,
                                                            std::uint64_t& key_generation) {
  ParsedJwt parsed = parse_jwt(token);
  const Algorithm alg = token_algorithm(parsed);
  const VerificationKey key = keys_.find(parsed.kid, alg, &key_generation);
  verify_signature(parsed, key);
  CheckedClaims claims = check_claims(parsed.payload, policy_, now);

  auto verified = std::make_shared<VerifiedToken>();
  verified->subject = std::move(claims.subject);
  verified->issuer = std::move(claims.issuer);
  verified->audiences = std::move(claims.audiences);
  verified->azp = std::move(claims.azp);
  if (const auto* scope = parsed.payload.if_contains("scope"); scope && scope->is_string())
    verified->scope = std::string(scope->get_string());
  verified->expires_at = claims.expires_at;
  verified->issued_at = claims.issued_at;
  verified->claims = std::move(parsed.payload);
  verified->kid = std::move(parsed.kid);
  verified->alg = std::move(parsed.alg);
  return verified;
}

}  // namespace mecapy::auth::jwt
