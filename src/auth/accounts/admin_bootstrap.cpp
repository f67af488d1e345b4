#include "auth/accounts/admin_bootstrap.hpp"

#include "auth/accounts/handles.hpp"
#include "auth/accounts/local_accounts.hpp"
#include "auth/accounts/secrets.hpp"
#include "auth/accounts/user_store.hpp"
#include "core/errors.hpp"

namespace mecapy::auth::accounts {

BootstrapResult ensure_bootstrap_admin(db::Database& db, const PasswordHasher& hasher, AuditLog& audit,
                                       const std::optional<std::string>& password, TimePoint now) {
  UserStore users(db);
  BootstrapResult result;
  if (users.has_admin()) return result;
  std::string chosen;
  if (password) {
    try {
      check_password_rules(kBootstrapAdminHandle, *password);
    } catch (const Error& e) {
      throw ConfigError("MECAPY_ADMIN_PASSWORD", e.what());
    }
    chosen = *password;
  } else {
    chosen = random_secret(18);  // 24 characters of base64url: 144 bits
  }
  if (!users.create_bootstrap_admin(hasher.hash(chosen), now)) {
    result.outcome = BootstrapOutcome::handle_taken;
    return result;
  }
  AuditEvent event;
  event.actor = std::string(kSystemActor);
  event.action = std::string(audit_action::user_created);
  event.target = std::string(kBootstrapAdminHandle);
  event.detail = {{"is_admin", true}, {"bootstrap", true}, {"password", password ? "given" : "generated"}};
  audit.record(std::move(event), now);
  result.outcome = BootstrapOutcome::created;
  if (!password) result.generated_password = chosen;
  return result;
}

}  // namespace mecapy::auth::accounts
