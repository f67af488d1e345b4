#include "auth/accounts/local_accounts.hpp"

#include "auth/accounts/handles.hpp"
#include "core/errors.hpp"
#include "core/utf8.hpp"

namespace mecapy::auth::accounts {
namespace {

constexpr std::size_t kMinPasswordCharacters = 10;
constexpr std::size_t kMaxPasswordBytes = 1024;
// Longer than any handle: such a name is unknown without a look-up.
constexpr std::size_t kMaxUsernameBytes = 256;

std::string ascii_lower(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

[[noreturn]] void reject_password(const std::string& why) {
  throw Error(ErrorKind::unprocessable, "password-rejected", "The password " + why);
}

}  // namespace

void check_password_rules(std::string_view username, std::string_view password) {
  if (password.size() > kMaxPasswordBytes)
    reject_password("is too long: at most " + std::to_string(kMaxPasswordBytes) + " bytes.");
  if (decode_utf8(password).size() < kMinPasswordCharacters)
    reject_password("is too short: use at least " + std::to_string(kMinPasswordCharacters) + " characters.");
  if (ascii_lower(password) == ascii_lower(username)) reject_password("must not be the username.");
}

LocalLogin::LocalLogin(db::Database& db, const PasswordHasher& hasher, LockoutPolicy policy)
    : db_(db), hasher_(hasher), policy_(policy), users_(db) {}

std::chrono::seconds LocalLogin::lock_duration(std::int64_t failures) const {
  if (failures < policy_.free_failures) return std::chrono::seconds(0);
  std::chrono::seconds lock = policy_.first_lock;
  // Doubling by steps, so that no count of failures overflows.
  for (std::int64_t n = policy_.free_failures; n < failures && lock < policy_.max_lock; ++n) lock *= 2;
  return std::min(lock, policy_.max_lock);
}

LoginResult LocalLogin::fail(const std::string& handle, TimePoint now) {
  LoginResult result;
  const auto counted =
      db_.execute("UPDATE users SET failed_logins = failed_logins + 1 WHERE id = $1 RETURNING failed_logins", {handle});
  if (counted.rows.empty()) return result;
  const auto lock = lock_duration(counted.rows[0].int64(0));
  if (lock.count() == 0) return result;
  // Only ever lengthened: a concurrent failure with a longer lock is not undone.
  const std::string until = timestamp(now + lock);
  db_.execute("UPDATE users SET locked_until = $2 WHERE id = $1 AND locked_until < $2", {handle, until});
  result.lock_started = true;
  result.retry_after = lock;
  return result;
}

LoginResult LocalLogin::check(const std::string& handle, std::string_view password, TimePoint now,
                              std::string* stored_hash) {
  LoginResult result;
  if (password.size() > kMaxPasswordBytes) return result;  // no account has such a password
  const auto r = handle.size() > kMaxUsernameBytes
                     ? db::Result{}
                     : db_.execute("SELECT password_hash, locked_until, disabled FROM users WHERE id = $1", {handle});
  if (r.rows.empty() || r.rows[0].is_null(0)) {
    hasher_.verify_dummy(password);
    return result;
  }
  const db::Row& row = r.rows[0];
  *stored_hash = row.text(0);
  if (const auto until = parse_timestamp(row.text(1)); until && *until > now) {
    result.outcome = LoginOutcome::locked;
    // Rounded up: retrying after retry_after seconds never meets the lock again.
    result.retry_after = std::chrono::ceil<std::chrono::seconds>(*until - now);
    return result;
  }
  if (!hasher_.verify(*stored_hash, password)) return fail(handle, now);
  result.outcome = row.int64(2) != 0 ? LoginOutcome::disabled : LoginOutcome::ok;
  return result;
}

LoginResult LocalLogin::attempt(std::string_view username, std::string_view password, TimePoint now) {
  const std::string handle = ascii_lower(username);
  std::string stored_hash;
  LoginResult result = check(handle, password, now, &stored_hash);
  if (result.outcome != LoginOutcome::ok) return result;
  const bool rehash = hasher_.needs_rehash(stored_hash);
  const std::string hash = rehash ? hasher_.hash(password) : stored_hash;
  db_.execute(
      "UPDATE users SET failed_logins = 0, locked_until = '', last_login_at = $2, password_hash = $3 WHERE id = $1",
      {handle, timestamp(now), hash});
  result.user = users_.find(handle);
  if (!result.user) result.outcome = LoginOutcome::bad_credentials;  // deleted meanwhile
  return result;
}

UserRecord LocalLogin::create_user(const NewUser& user, std::string_view password, TimePoint now) {
  check_new_handle(user.handle);
  check_password_rules(user.handle, password);
  return users_.create_local(user, hasher_.hash(password), now);
}

void LocalLogin::change_password(std::string_view user, std::string_view old_password, std::string_view new_password,
                                 TimePoint now) {
  const std::string handle(user);
  std::string stored_hash;
  const LoginResult checked = check(handle, old_password, now, &stored_hash);
  if (checked.outcome == LoginOutcome::locked)
    throw Error(ErrorKind::forbidden, "account-locked",
                "Too many wrong passwords: retry in " + std::to_string(checked.retry_after.count()) + " seconds.");
  if (checked.outcome != LoginOutcome::ok)
    throw Error(ErrorKind::forbidden, "wrong-password", "The current password is wrong.");
  set_password(user, new_password, now);
}

void LocalLogin::set_password(std::string_view user, std::string_view new_password, TimePoint now) {
  const auto found = users_.find(user);
  if (!found) throw_user_not_found(user);
  if (found->source != "local")
    throw Error(ErrorKind::unprocessable, "not-a-local-user",
                "'" + found->id + "' signs in through an identity provider: change the password there.");
  check_password_rules(found->id, new_password);
  db_.execute(
      "UPDATE users SET password_hash = $2, failed_logins = 0, locked_until = '', updated_at = $3 WHERE id = $1",
      {found->id, hasher_.hash(new_password), timestamp(now)});
}

void LocalLogin::unlock(std::string_view user, TimePoint now) {
  const auto r = db_.execute("UPDATE users SET failed_logins = 0, locked_until = '', updated_at = $2 WHERE id = $1",
                             {std::string(user), timestamp(now)});
  if (r.affected_rows == 0) throw_user_not_found(user);
}

}  // namespace mecapy::auth::accounts
