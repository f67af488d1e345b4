#include "auth/identity.hpp"

#include "auth/accounts/admin_bootstrap.hpp"
#include "core/errors.hpp"
#include "core/log.hpp"

namespace mecapy::auth {

accounts::PasswordHashing hashing_for(const std::string& cost) {
  if (cost == "min") return accounts::PasswordHashing::minimum();
  if (cost == "moderate") {
    accounts::PasswordHashing moderate;
    moderate.opslimit = 3;           // crypto_pwhash_OPSLIMIT_MODERATE
    moderate.memlimit = 256u << 20;  // crypto_pwhash_MEMLIMIT_MODERATE
    return moderate;
  }
  return accounts::PasswordHashing::interactive();
}

namespace {

std::unique_ptr<oidc::OidcProvider> provider_for(const Config& config) {
  if (config.oidc_issuer.empty()) return nullptr;
  oidc::OidcSettings settings;
  settings.issuer = config.oidc_issuer;
  settings.audience = config.oidc_audience;
  settings.client_id = config.oidc_client_id;
  settings.client_secret = config.oidc_client_secret;
  settings.redirect_uri = config.oidc_redirect_uri;
  settings.clock_skew = config.oidc_clock_skew;
  return std::make_unique<oidc::OidcProvider>(std::move(settings));
}

}  // namespace

Identity::Identity(const Config& config, db::Database& database)
    : database_(database),
      hasher_(hashing_for(config.password_hash_cost)),
      users_(database),
      tokens_(database),
      sessions_(database),
      login_states_(database),
      organizations_(database),
      audit_(database),
      local_login_(database, hasher_),
      provider_(provider_for(config)),
      local_accounts_(config.local_accounts),
      session_policy_{config.session_ttl, config.session_idle_timeout, config.tls_proxy} {}

void Identity::bootstrap(const std::string& admin_password) {
  const auto result = accounts::ensure_bootstrap_admin(
      database_, hasher_, audit_, admin_password.empty() ? std::nullopt : std::optional<std::string>(admin_password));
  if (result.outcome != accounts::BootstrapOutcome::created) return;
  if (!result.generated_password.empty())
    log_warning("created the administrator 'admin' with the generated password " + result.generated_password +
                " — it is shown only this once: sign in and change it (or set admin_password before the first "
                "start)");
  else
    log_info("created the administrator 'admin' with the configured admin_password");
  // What the single owner created before identity existed now belongs to the admin.
  database_.transaction([](db::Connection& c) {
    for (const char* table : {"files", "storage_usage", "packages", "package_versions", "function_versions", "jobs"})
      c.execute(std::string("UPDATE ") + table + " SET owner_id = 'admin' WHERE owner_id = 'anonymous'", {});
  });
}

}  // namespace mecapy::auth
