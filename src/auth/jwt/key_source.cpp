#include "auth/jwt/key_source.hpp"

#include "auth/jwt/token_error.hpp"
#include "core/errors.hpp"
#include "core/log.hpp"

namespace mecapy::auth::jwt {

using std::chrono::steady_clock;

JwksCache::JwksCache(std::string url, JwksFetch fetch, JwksCacheOptions options, MonotonicClock clock)
    : url_(std::move(url)),
      fetch_(std::move(fetch)),
      options_(options),
      clock_(clock ? std::move(clock) : MonotonicClock([] { return steady_clock::now(); })) {}

JwksCache::Snapshot JwksCache::snapshot() const {
  const std::lock_guard lock(state_mutex_);
  return {keys_, fetched_at_, attempts_, generation_};
}

std::shared_ptr<const KeySet> JwksCache::current() const { return snapshot().keys; }

std::uint64_t JwksCache::generation() const {
  const std::lock_guard lock(state_mutex_);
  return generation_;
}

std::uint64_t JwksCache::fetch_attempts() const {
  const std::lock_guard lock(state_mutex_);
  return attempts_;
}

bool JwksCache::may_fetch(steady_clock::time_point now) const {
  return attempts_ == 0 || now - last_attempt_ >= options_.min_refresh_interval;
}

void JwksCache::fetch_now() {
  std::shared_ptr<const KeySet> fetched;
  std::string failure;
  try {
    fetched = std::make_shared<const KeySet>(KeySet::from_jwks(fetch_(url_)));
  } catch (const std::exception& e) {
    failure = operator_message(e);
  }
  const auto now = clock_();
  bool changed = false;
  {
    const std::lock_guard lock(state_mutex_);
    ++attempts_;
    last_attempt_ = now;
    if (fetched) {
      changed = !keys_ || keys_->fingerprint() != fetched->fingerprint();
      if (changed) ++generation_;
      keys_ = fetched;
      fetched_at_ = now;
      last_failure_.clear();
    } else {
      last_failure_ = failure;
    }
  }
  if (!fetched) {
    log_warning("JWKS fetch from " + url_ + " failed, keeping the previous keys: " + failure);
  } else if (changed) {
    std::string kids;
    for (const auto& key : fetched->keys())
      kids += (kids.empty() ? "" : ", ") + key.kid() + " (" + std::string(algorithm_name(key.alg())) + ")";
    log_info("JWKS from " + url_ + ": " + std::to_string(fetched->keys().size()) + " usable keys: " + kids);
    for (const auto& skipped : fetched->skipped()) log_debug("JWKS from " + url_ + ": skipped " + skipped);
  }
}

void JwksCache::refresh(std::uint64_t seen_attempts, bool wait) {
  std::unique_lock fetching(fetch_mutex_, std::defer_lock);
  if (wait) {
    fetching.lock();
  } else if (!fetching.try_lock()) {
    return;
  }
  {
    const std::lock_guard lock(state_mutex_);
    // Another thread fetched while this one waited: its result is as fresh.
    if (attempts_ != seen_attempts || !may_fetch(clock_())) return;
  }
  fetch_now();
}

namespace {

[[noreturn]] void throw_alg_mismatch(std::string_view kid, Algorithm alg) {
  throw TokenError(TokenFailure::alg_mismatch,
                   "Key '" + std::string(kid) + "' does not verify " + std::string(algorithm_name(alg)) + ".");
}

}  // namespace

VerificationKey JwksCache::find(std::string_view kid, Algorithm alg, std::uint64_t* generation) {
  const Snapshot seen = snapshot();
  const VerificationKey* key = seen.keys ? seen.keys->find(kid, alg) : nullptr;
  if (key && clock_() - seen.fetched_at < options_.max_age) {
    if (generation) *generation = seen.generation;
    return *key;
  }
  if (!key && seen.keys && !kid.empty() && seen.keys->has_kid(kid)) throw_alg_mismatch(kid, alg);
  // A stale hit is refreshed by one caller while the others go on with the key they
  // have (a stale key is still the provider's last word); a miss waits for the fetch,
  // or for the one already running.
  refresh(seen.attempts, /*wait=*/key == nullptr);

  const Snapshot after = snapshot();
  if (!after.keys) {
    std::string cause;
    {
      const std::lock_guard lock(state_mutex_);
      cause = last_failure_;
    }
    throw Error(ErrorKind::unavailable, "identity-provider-unavailable",
                "The identity provider's signing keys cannot be fetched; retry later.", "JWKS " + url_ + ": " + cause);
  }
  if (const auto* found = after.keys->find(kid, alg)) {
    if (generation) *generation = after.generation;
    return *found;
  }
  if (!kid.empty() && after.keys->has_kid(kid)) throw_alg_mismatch(kid, alg);
  if (kid.empty())
    throw TokenError(TokenFailure::unknown_kid,
                     "The token names no key ('kid') and the provider has no single key for its algorithm.");
  throw TokenError(TokenFailure::unknown_kid,
                   "The token's key '" + std::string(kid) + "' is not one of the provider's keys.");
}

}  // namespace mecapy::auth::jwt
