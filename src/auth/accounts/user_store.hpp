// Users: local accounts and the people an OpenID Connect provider vouches for, in
// table users. A user's id is their handle (handles.hpp), the owner id of everything
// they own.
//
// An OIDC user is found by (issuer, subject), the pair the provider promises never to
// reuse, and created on first sight with a handle derived from preferred_username
// (upsert_from_claims). Their profile and roles follow the provider's claims; the
// handle never changes, even when preferred_username does.
//
// Password hashes, failed logins and locks are the business of local_accounts.hpp;
// this store only reports them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/accounts/paging.hpp"
#include "auth/accounts/timestamps.hpp"
#include "db/database.hpp"

namespace mecapy::auth::accounts {

struct UserRecord {
  std::string id;  // the handle
  std::string display_name;
  std::string email;
  std::string given_name;
  std::string family_name;
  bool is_admin = false;           // a platform administrator (set here, not by the provider)
  std::vector<std::string> roles;  // the provider's roles as last seen: sorted, no repeats
  std::string source;              // "local" | "oidc"
  std::string oidc_issuer;         // '' for local users
  std::string oidc_subject;        // '' for local users
  bool has_password = false;
  std::int64_t failed_logins = 0;  // consecutive, since the last successful login
  std::string locked_until;        // RFC 3339; '' when never locked
  bool disabled = false;           // a disabled user can neither log in nor use a token
  std::string created_at;
  std::string updated_at;
  std::string last_login_at;  // '' before the first login
};

struct NewUser {
  std::string handle;
  std::string display_name;  // '' : the handle
  std::string email;
  std::string given_name;
  std::string family_name;
  bool is_admin = false;
};

// What a provider says of a user (ID token or access token claims).
struct OidcIdentity {
  std::string issuer;
  std::string subject;
  std::string preferred_username;
  std::string email;
  std::string given_name;
  std::string family_name;
  std::vector<std::string> roles;
};

struct UserPage {
  std::vector<UserRecord> items;
  std::int64_t total = 0;
};

class UserStore {
 public:
  explicit UserStore(db::Database& db) : db_(db) {}

  // Creates a local user; `password_hash` is an argon2id string, '' for none (no
  // password login until one is set). Throws Error(invalid_input, "invalid-handle")
  // and Error(conflict, "handle-taken").
  UserRecord create_local(const NewUser& user, const std::string& password_hash, TimePoint now = system_now());
  // The bootstrap administrator `admin` (the one user who may have that handle);
  // nullopt, writing nothing, when the handle is taken already.
  std::optional<UserRecord> create_bootstrap_admin(const std::string& password_hash, TimePoint now = system_now());

  // The user for the provider's (issuer, subject): found, or created with a fresh
  // handle (sanitised preferred_username; else the email's local part; else
  // "user-" and 8 hex digits of the subject's SHA-256; "-2", "-3"... appended while
  // the name is taken or reserved). A found user's email, names, display name and
  // roles are updated when they changed, and nothing is written when none did, so
  // calling this on every token first seen costs one read. Safe when two instances
  // see a new user at once: both get the same user.
  UserRecord upsert_from_claims(const OidcIdentity& identity, TimePoint now = system_now());

  std::optional<UserRecord> find(std::string_view id);
  std::optional<UserRecord> find_by_oidc(const std::string& issuer, const std::string& subject);
  // Every user, by handle.
  UserPage list(const PageRequest& page);
  // True when some enabled user is an administrator.
  bool has_admin();

  // Each throws Error(not_found, "user-not-found") for an unknown user.
  UserRecord set_admin(std::string_view id, bool is_admin, TimePoint now = system_now());
  UserRecord set_disabled(std::string_view id, bool disabled, TimePoint now = system_now());
  // Notes a successful sign-in (a session or a token issued to the user).
  void record_login(std::string_view id, TimePoint now = system_now());

 private:
  // Inserts a new user row with a handle claimed in the same transaction.
  std::optional<UserRecord> insert(const UserRecord& user, const std::string& password_hash, bool* handle_taken);
  UserRecord require(std::string_view id);

  db::Database& db_;
};

// [[noreturn]] Error(not_found, "user-not-found") for `id`.
[[noreturn]] void throw_user_not_found(std::string_view id);

}  // namespace mecapy::auth::accounts
