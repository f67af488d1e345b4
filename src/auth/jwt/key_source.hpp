// JwksCache: the identity provider's current signing keys, fetched from its JWKS URL
// and kept in memory, shared by every request thread.
//
// Contract:
//   - A key of the current set is returned at once, without a lock held across any
//     I/O: readers copy a shared pointer to the immutable KeySet under a short mutex.
//   - An unknown kid fetches the set again — at most once per min_refresh_interval,
//     whatever the number of requests: a flood of made-up kids costs the provider one
//     fetch per interval. Callers that arrive while a fetch runs wait for it and use
//     its result instead of fetching again.
//   - A set older than max_age is fetched again on the next lookup, by one thread
//     (the others keep using the old set meanwhile), so a rotation or a withdrawn key
//     is seen within max_age even when no unknown kid shows up.
//   - A failed fetch (network, HTTP, a document that is not a JWKS) keeps the
//     previous keys, and counts as an attempt for the rate limit. A valid document
//     replaces the set, even when it has fewer keys: the provider decides.
// `fetch` returns the document's body or throws; `clock` is monotonic and injected
// so tests can move time.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "auth/jwt/jwk.hpp"

namespace mecapy::auth::jwt {

struct JwksCacheOptions {
  // Short enough that a token signed with a key rotated in moments after the last
  // fetch is accepted within seconds; long enough that a flood of made-up kids costs
  // the provider one request every few seconds.
  std::chrono::seconds min_refresh_interval{5};
  std::chrono::seconds max_age{600};
};

using JwksFetch = std::function<std::string(const std::string& url)>;
using MonotonicClock = std::function<std::chrono::steady_clock::time_point()>;

class JwksCache {
 public:
  // An empty `clock` is std::chrono::steady_clock::now.
  JwksCache(std::string url, JwksFetch fetch, JwksCacheOptions options = {}, MonotonicClock clock = {});
  JwksCache(const JwksCache&) = delete;
  JwksCache& operator=(const JwksCache&) = delete;

  // The key for a token whose header says `kid` (maybe empty) and `alg`
  // (KeySet::find). Throws TokenError(unknown_kid) when the set, refreshed as above,
  // has no such key; TokenError(alg_mismatch) when the kid names a key of another
  // algorithm; Error(unavailable, "identity-provider-unavailable") when no set could
  // be fetched yet. `generation`, when given, receives the generation of the set
  // the key came from.
  VerificationKey find(std::string_view kid, Algorithm alg, std::uint64_t* generation = nullptr);

  // The set in use; null before the first successful fetch. Does not fetch.
  std::shared_ptr<const KeySet> current() const;
  // Goes up by one each time a fetch brings a set with other keys than before (not
  // when the same keys are fetched again): what validated under an older
  // generation must be checked again.
  std::uint64_t generation() const;
  // Fetch attempts so far, failed ones included.
  std::uint64_t fetch_attempts() const;
  const std::string& url() const { return url_; }

 private:
  struct Snapshot {
    std::shared_ptr<const KeySet> keys;
    std::chrono::steady_clock::time_point fetched_at;
    std::uint64_t attempts = 0;
    std::uint64_t generation = 0;
  };
  Snapshot snapshot() const;
  bool may_fetch(std::chrono::steady_clock::time_point now) const;  // state_mutex_ held
  // Fetches once, unless another thread attempted since `seen_attempts` or the rate
  // limit forbids it. Takes fetch_mutex_ (blocking when `wait`, else giving up).
  void refresh(std::uint64_t seen_attempts, bool wait);
  void fetch_now();  // fetch_mutex_ held

  const std::string url_;
  const JwksFetch fetch_;
  const JwksCacheOptions options_;
  const MonotonicClock clock_;

  std::mutex fetch_mutex_;  // one fetch at a time; never taken by readers of known kids
  mutable std::mutex state_mutex_;
  std::shared_ptr<const KeySet> keys_;
  std::chrono::steady_clock::time_point fetched_at_;
  std::chrono::steady_clock::time_point last_attempt_;
  std::uint64_t attempts_ = 0;
  std::uint64_t generation_ = 0;
  std::string last_failure_;  // for operators: why the last fetch failed
};

}  // namespace mecapy::auth::jwt
