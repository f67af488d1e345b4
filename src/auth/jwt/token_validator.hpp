// TokenValidator: a bearer token in, a verified identity out — or a TokenError.
//
// A token is accepted when, in this order: it is at most 16 KiB (too-large), it
// parses (jwt.hpp), its `alg` is RS256 or ES256 (unsupported-alg), the provider's
// key set has the key its `kid` names (key_source.hpp: unknown-kid, alg-mismatch),
// the signature verifies with that key's pinned algorithm (signature.hpp), and its
// claims pass the policy (claims.hpp).
//
// Results are cached: the key is the token's SHA-256, the cache holds at most
// `cache_capacity` tokens (least recently used go first), and an entry serves until
// the token expires — each hit checks `exp` again (a cached token past its expiry
// is refused as expired and dropped). An entry validated under an older key set
// (JwksCache::generation) is validated again in full, so a withdrawn key stops
// working for cached tokens too. Refusals are never cached. Thread-safe.
#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <boost/json/object.hpp>

#include "auth/jwt/claims.hpp"
#include "auth/jwt/key_source.hpp"

namespace mecapy::auth::jwt {

struct VerifiedToken {
  std::string subject;
  std::string issuer;
  std::vector<std::string> audiences;
  std::string azp;    // empty when absent
  std::string scope;  // the space-separated `scope` claim; empty when absent or not a string
  std::chrono::system_clock::time_point expires_at;
  std::chrono::system_clock::time_point issued_at;  // the epoch when absent
  boost::json::object claims;                       // the whole payload
  std::string kid;
  std::string alg;
};

class TokenValidator {
 public:
  // Throws std::invalid_argument when the policy has no issuer or no audience. A
  // capacity of 0 caches nothing.
  TokenValidator(JwksCache& keys, ClaimPolicy policy, std::size_t cache_capacity = 10000);
  TokenValidator(const TokenValidator&) = delete;
  TokenValidator& operator=(const TokenValidator&) = delete;

  // Throws TokenError; Error(unavailable) when the provider's keys cannot be fetched.
  std::shared_ptr<const VerifiedToken> validate(
      std::string_view token, std::chrono::system_clock::time_point now = std::chrono::system_clock::now());

  const ClaimPolicy& policy() const { return policy_; }
  std::size_t cached_tokens() const;

 private:
  using Digest = std::array<unsigned char, 32>;
  struct DigestHash {
    std::size_t operator()(const Digest& digest) const noexcept;
  };
  struct Entry {
    Digest digest;
    std::shared_ptr<const VerifiedToken> token;
    std::uint64_t key_generation;
  };

  // `key_generation` receives the generation of the key set that verified the token.
  std::shared_ptr<const VerifiedToken> verify(std::string_view token, std::chrono::system_clock::time_point now,
                                              std::uint64_t& key_generation);
  std::shared_ptr<const VerifiedToken> cached(const Digest& digest, std::chrono::system_clock::time_point now);
  void remember(const Digest& digest, std::shared_ptr<const VerifiedToken> token, std::uint64_t key_generation);

  JwksCache& keys_;
  const ClaimPolicy policy_;
  const std::size_t capacity_;
  mutable std::mutex cache_mutex_;
  std::list<Entry> lru_;  // most recently used first
  std::unordered_map<Digest, std::list<Entry>::iterator, DigestHash> index_;
};

}  // namespace mecapy::auth::jwt
