// Browser sessions, for local and OIDC logins alike: the cookie carries a random
// session id (32 bytes, base64url) that the database knows only by its SHA-256; a
// CSRF token (32 bytes) goes with it, for the caller to check on state-changing
// requests. A session ends at its absolute expiry (`ttl` after creation) or after
// `idle_timeout` without use, whichever comes first, and is deleted when found ended.
//
// Use is noted (last_seen_at) at most once a minute, so a session in use costs no
// write per request; the idle timeout is therefore kept to within that minute.
//
// The provider's tokens (an OIDC refresh token, the ID token for the end-session
// call) stay here, server-side, never in the browser. They are stored as given: who
// reads the database can use them until the provider expires or revokes them.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "auth/accounts/timestamps.hpp"
#include "db/database.hpp"

namespace mecapy::auth::accounts {

// What the identity provider gave at login or at the last refresh; empty for a local
// login.
struct ProviderTokens {
  std::string refresh_token;
  std::string id_token;
  std::string access_expires_at;  // RFC 3339: when the access token needs a refresh; '' none
};

struct NewSession {
  std::string user_id;
  std::string provider;  // "local" | "oidc"
  ProviderTokens tokens;
  std::chrono::seconds ttl{8 * 3600};
  std::chrono::seconds idle_timeout{3600};
};

struct SessionRecord {
  std::string id_hash;  // the stored key (never the id itself)
  std::string user_id;
  std::string provider;
  std::string csrf_token;
  ProviderTokens tokens;
  std::string created_at;
  std::string expires_at;
  std::string last_seen_at;
};

struct CreatedSession {
  std::string id;          // for the cookie: the only copy
  std::string csrf_token;  // for the page
  SessionRecord record;
};

class SessionStore {
 public:
  explicit SessionStore(db::Database& db) : db_(db) {}

  // Throws Error(invalid_input, "invalid-session") for a provider other than local or
  // oidc, or a ttl or idle timeout that is not positive.
  CreatedSession create(const NewSession& session, TimePoint now = system_now());
  // The live session of `id`; nullopt for an unknown one and for an ended one (which
  // is deleted). The user is not looked at: the caller checks they are still enabled.
  std::optional<SessionRecord> find(std::string_view id, TimePoint now = system_now());
  // After a refresh at the provider; false when the session is gone.
  bool update_provider_tokens(std::string_view id, const ProviderTokens& tokens);
  // Logout; false when there was no such session.
  bool destroy(std::string_view id);
  // Every session of the user (a password change, a disabled account); returns how many.
  std::size_t destroy_all(std::string_view user);
  // Deletes the sessions that ended before `now`; returns how many.
  std::size_t purge_expired(TimePoint now = system_now());

 private:
  db::Database& db_;
};

}  // namespace mecapy::auth::accounts
