// The server-side half of an OIDC authorization-code login with PKCE: the code
// verifier and the nonce stay here, bound to the random `state` the browser carries
// to the provider and back (32 bytes, base64url; stored as its SHA-256).
//
// A state is good once: take() deletes it and returns it in one statement (DELETE ...
// RETURNING), so of two callbacks with the same state, concurrent or not, on any
// instance, one gets the login and the other nothing. An expired state gives
// nothing either.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "auth/accounts/timestamps.hpp"
#include "db/database.hpp"

namespace mecapy::auth::accounts {

struct LoginState {
  std::string code_verifier;
  std::string nonce;
  std::string return_to;  // where the UI goes after the login ('' : home)
  std::string expires_at;
};

class LoginStateStore {
 public:
  explicit LoginStateStore(db::Database& db) : db_(db) {}

  // Stores a login in progress for `ttl`; returns its state (the only copy). Throws
  // Error(invalid_input, "invalid-login-state") for an empty verifier or nonce, or a
  // ttl that is not positive.
  std::string put(const std::string& code_verifier, const std::string& nonce, const std::string& return_to,
                  std::chrono::seconds ttl, TimePoint now = system_now());
  // The login of `state`, once; nullopt for an unknown, used or expired state.
  std::optional<LoginState> take(std::string_view state, TimePoint now = system_now());
  // Deletes the logins that expired before `now` (abandoned ones); returns how many.
  std::size_t purge_expired(TimePoint now = system_now());

 private:
  db::Database& db_;
};

}  // namespace mecapy::auth::accounts
