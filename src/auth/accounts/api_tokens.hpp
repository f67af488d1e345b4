// API tokens for the CLI, the SDK and CI: `Authorization: Bearer mcp_...`.
//
// A token is "mcp_" and 32 random bytes in base64url (47 characters), shown once, at
// creation; the database keeps its SHA-256 (secrets.hpp says why a fast hash is right
// here) and, for display, its first 10 characters ("mcp_" and 6 more). A token
// carries scopes, a subset of read, run, deploy and admin, that the caller checks
// route by route; it may expire, and it may be revoked (kept, marked, refused).
//
// authenticate() costs one indexed read; last_used_at is written at most once a
// minute per token, not once a request.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/accounts/timestamps.hpp"
#include "auth/accounts/user_store.hpp"
#include "db/database.hpp"

namespace mecapy::auth::accounts {

inline constexpr std::string_view kApiTokenPrefix = "mcp_";

struct ApiToken {
  std::string id;
  std::string user_id;
  std::string name;
  std::vector<std::string> scopes;  // in the order read, run, deploy, admin
  std::string prefix;               // "mcp_" and the next 6 characters, to recognise it
  std::string created_at;
  std::string expires_at;    // '' : never
  std::string last_used_at;  // '' : never used (precise to a minute)
  std::string revoked_at;    // '' : not revoked

  bool has_scope(std::string_view scope) const;
};

struct CreatedToken {
  ApiToken token;
  std::string plaintext;  // the only copy: show it once
};

enum class TokenFailure { none, unknown, revoked, expired, user_disabled };

struct TokenAuthentication {
  TokenFailure failure = TokenFailure::unknown;
  std::optional<ApiToken> token;  // when failure is none
  std::optional<UserRecord> user;
};

// The scopes a token may carry, in their canonical order.
const std::vector<std::string>& known_scopes();
// `scopes` checked (each known, at least one) and put in canonical order without
// repeats. Throws Error(invalid_input, "invalid-scope") naming an unknown scope.
std::vector<std::string> canonical_scopes(const std::vector<std::string>& scopes);

class ApiTokenStore {
 public:
  explicit ApiTokenStore(db::Database& db) : db_(db), users_(db) {}

  // A new token for `user` (who must exist). `name` is 1 to 100 characters without
  // control characters; `expires_at` must be after `now`. Throws invalid-scope,
  // Error(invalid_input, "invalid-token-name" | "invalid-expiry"), user-not-found.
  CreatedToken create(std::string_view user, std::string_view name, const std::vector<std::string>& scopes,
                      std::optional<TimePoint> expires_at, TimePoint now = system_now());

  // The token and its user for a presented `plaintext`; failure says why not:
  // unknown (never issued, malformed), revoked, expired (at or past expires_at), or
  // its user disabled.
  TokenAuthentication authenticate(std::string_view plaintext, TimePoint now = system_now());

  // The user's tokens, newest first, revoked and expired ones included.
  std::vector<ApiToken> list(std::string_view user);
  // Revokes the user's token `id` (again: no change). Throws
  // Error(not_found, "token-not-found") when the user has no such token, whoever else has.
  ApiToken revoke(std::string_view user, std::string_view id, TimePoint now = system_now());
  // Revokes every token of the user not revoked yet; returns how many.
  std::size_t revoke_all(std::string_view user, TimePoint now = system_now());

 private:
  db::Database& db_;
  UserStore users_;
};

}  // namespace mecapy::auth::accounts
