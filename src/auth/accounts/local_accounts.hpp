// Built-in accounts: username and password, checked against the user's argon2id hash
// (password_hasher.hpp), with back-off after repeated failures.
//
// Lockout: after `free_failures` consecutive wrong passwords (5) the account is locked
// for `first_lock` (1 minute), doubled at each further failure up to `max_lock` (1
// hour); while locked, attempts are answered `locked` without checking the password
// and without counting. A successful login resets the count. The count and the lock
// live in the users table, so every API instance sees the same lock, and concurrent
// failures each count (the increment is one atomic UPDATE).
//
// An unknown username, a user without a password (an OIDC user) and a wrong password
// give the same answer, bad_credentials, after the same work: the unknown cases verify
// against a dummy hash of the same parameters. A disabled account is reported as such
// only to somebody who knows its password.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "auth/accounts/password_hasher.hpp"
#include "auth/accounts/timestamps.hpp"
#include "auth/accounts/user_store.hpp"
#include "db/database.hpp"

namespace mecapy::auth::accounts {

struct LockoutPolicy {
  std::int64_t free_failures = 5;  // consecutive failures allowed before the first lock
  std::chrono::seconds first_lock{60};
  std::chrono::seconds max_lock{3600};
};

// Password rules: at least 10 characters (code points), at most 1024 bytes, and not
// the username (in any case). Throws Error(unprocessable, "password-rejected") saying
// which rule `password` breaks.
void check_password_rules(std::string_view username, std::string_view password);

enum class LoginOutcome { ok, bad_credentials, locked, disabled };

struct LoginResult {
  LoginOutcome outcome = LoginOutcome::bad_credentials;
  std::optional<UserRecord> user;       // ok: the user, as after the login
  std::chrono::seconds retry_after{0};  // locked (and lock_started): how long the lock lasts
  bool lock_started = false;            // this failure locked the account (audit it as `lockout`)
};

class LocalLogin {
 public:
  LocalLogin(db::Database& db, const PasswordHasher& hasher, LockoutPolicy policy = {});

  // Checks `password` for `username` (a handle; ASCII letters are folded to lowercase).
  // On success: failures reset, last_login_at set, and the hash upgraded when the
  // hashing parameters grew since it was made.
  LoginResult attempt(std::string_view username, std::string_view password, TimePoint now = system_now());

  // A new local user with a password (the rules above). Throws invalid-handle,
  // handle-taken, password-rejected.
  UserRecord create_user(const NewUser& user, std::string_view password, TimePoint now = system_now());
  // The user's own change: `old_password` must be right (a wrong one counts as a
  // failed login; Error(forbidden, "wrong-password"), or "account-locked" while
  // locked). Sessions and tokens are left alone: ending them is the caller's choice.
  void change_password(std::string_view user, std::string_view old_password, std::string_view new_password,
                       TimePoint now = system_now());
  // An administrator's reset: the new password replaces any, the lock is lifted.
  // Throws user-not-found, password-rejected, and Error(unprocessable,
  // "not-a-local-user") for a user of an identity provider.
  void set_password(std::string_view user, std::string_view new_password, TimePoint now = system_now());
  // Lifts a lock and resets the failure count. Throws user-not-found.
  void unlock(std::string_view user, TimePoint now = system_now());

  // How long the `failures`-th consecutive failure locks the account (0: not at all).
  std::chrono::seconds lock_duration(std::int64_t failures) const;

 private:
  // The password check shared by attempt() and change_password(); counts a failure.
  // Leaves the stored hash in `stored_hash` when there is one.
  LoginResult check(const std::string& handle, std::string_view password, TimePoint now, std::string* stored_hash);
  LoginResult fail(const std::string& handle, TimePoint now);

  db::Database& db_;
  const PasswordHasher& hasher_;
  LockoutPolicy policy_;
  UserStore users_;
};

}  // namespace mecapy::auth::accounts
