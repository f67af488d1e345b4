// The first administrator. On an installation without any (enabled) administrator,
// ensure_bootstrap_admin() creates the local user `admin` with the password given by
// the operator (MECAPY_ADMIN_PASSWORD), or else a generated one that the caller shows
// once (the server logs it at start-up). Every later call finds an administrator and
// does nothing. Two instances starting at once on one database both try; the handle's
// primary key lets one create the user, and the other does nothing.
#pragma once

#include <optional>
#include <string>

#include "auth/accounts/audit_log.hpp"
#include "auth/accounts/password_hasher.hpp"
#include "auth/accounts/timestamps.hpp"
#include "db/database.hpp"

namespace mecapy::auth::accounts {

enum class BootstrapOutcome {
  admin_exists,  // nothing to do
  created,       // `admin` was created now
  handle_taken,  // no administrator, but `admin` exists (not one, or disabled), or another instance created it
};

struct BootstrapResult {
  BootstrapOutcome outcome = BootstrapOutcome::admin_exists;
  // created without a password given: the generated one, to show once. Else ''.
  std::string generated_password;
};

// Throws ConfigError("MECAPY_ADMIN_PASSWORD") when the given password breaks the
// password rules (local_accounts.hpp). Records `user_created` (actor `system`) when
// it creates the administrator.
BootstrapResult ensure_bootstrap_admin(db::Database& db, const PasswordHasher& hasher, AuditLog& audit,
                                       const std::optional<std::string>& password, TimePoint now = system_now());

}  // namespace mecapy::auth::accounts
