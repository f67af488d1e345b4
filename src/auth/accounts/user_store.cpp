#include "auth/accounts/user_store.hpp"

#include <algorithm>
#include <boost/json/array.hpp>

#include "auth/accounts/handle_registry.hpp"
#include "auth/accounts/handles.hpp"
#include "auth/accounts/row_reader.hpp"
#include "auth/accounts/secrets.hpp"
#include "core/errors.hpp"
#include "core/json.hpp"

namespace mecapy::auth::accounts {
namespace {

constexpr const char* kUserColumns =
    "id, display_name, email, given_name, family_name, is_admin, roles, source, oidc_issuer, oidc_subject,"
    " CASE WHEN password_hash IS NULL THEN 0 ELSE 1 END AS has_password, failed_logins, locked_until, disabled,"
    " created_at, updated_at, last_login_at";

// Handles tried for one new OIDC user before giving up: far more than any name needs.
constexpr int kMaxHandleCandidates = 1000;

std::string roles_json(const std::vector<std::string>& roles) {
  boost::json::array array;
  for (const auto& role : roles) array.emplace_back(role);
  return serialize_json(array);
}

std::vector<std::string> parse_roles(const std::string& text) {
  std::vector<std::string> roles;
  const boost::json::value parsed = parse_json(text);
  for (const auto& role : parsed.as_array()) roles.emplace_back(role.as_string());
  return roles;
}

UserRecord read_user(const db::Result& result, const db::Row& row) {
  const RowReader r(result, row);
  UserRecord u;
  u.id = r.text("id");
  u.display_name = r.text("display_name");
  u.email = r.text("email");
  u.given_name = r.text("given_name");
  u.family_name = r.text("family_name");
  u.is_admin = r.flag("is_admin");
  u.roles = parse_roles(r.text("roles"));
  u.source = r.text("source");
  u.oidc_issuer = r.text("oidc_issuer");
  u.oidc_subject = r.text("oidc_subject");
  u.has_password = r.flag("has_password");
  u.failed_logins = r.int64("failed_logins");
  u.locked_until = r.text("locked_until");
  u.disabled = r.flag("disabled");
  u.created_at = r.text("created_at");
  u.updated_at = r.text("updated_at");
  u.last_login_at = r.text("last_login_at");
  return u;
}

std::optional<UserRecord> first_user(const db::Result& result) {
  if (result.rows.empty()) return std::nullopt;
  return read_user(result, result.rows[0]);
}

std::vector<std::string> normalized_roles(std::vector<std::string> roles) {
  std::sort(roles.begin(), roles.end());
  roles.erase(std::unique(roles.begin(), roles.end()), roles.end());
  return roles;
}

std::string display_name_of(const OidcIdentity& identity, const std::string& handle) {
  std::string name = identity.given_name;
  if (!identity.family_name.empty()) name += (name.empty() ? "" : " ") + identity.family_name;
  if (name.empty()) name = identity.preferred_username;
  return name.empty() ? handle : name;
}

// The handle a new OIDC user starts from (see upsert_from_claims).
std::string base_handle(const OidcIdentity& identity) {
  std::string base = sanitize_handle(identity.preferred_username);
  if (base.empty()) base = sanitize_handle(identity.email.substr(0, identity.email.find('@')));
  if (base.empty()) base = "user-" + secret_digest(identity.subject).substr(0, 8);
  return base;
}

// The n-th handle to try (n >= 1): the base, then base-2, base-3..., the base cut so
// that the whole fits in a handle.
std::string candidate_handle(const std::string& base, int n) {
  if (n == 1) return base;
  const std::string suffix = "-" + std::to_string(n);
  return sanitize_handle(base, kMaxHandleLength - suffix.size()) + suffix;
}

}  // namespace

void throw_user_not_found(std::string_view id) {
  throw Error(ErrorKind::not_found, "user-not-found", "There is no user '" + std::string(id) + "'.");
}

std::optional<UserRecord> UserStore::insert(const UserRecord& u, const std::string& password_hash, bool* handle_taken) {
  *handle_taken = false;
  db_.transaction([&](db::Connection& c) {
    if (!claim_handle(c, u.id, HandleKind::user, u.created_at)) {
      *handle_taken = true;
      return;
    }
    c.execute(
        "INSERT INTO users (id, display_name, email, given_name, family_name, is_admin, roles, source, oidc_issuer,"
        " oidc_subject, password_hash, failed_logins, locked_until, disabled, created_at, updated_at, last_login_at)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 0, '', 0, $12, $12, '')",
        {u.id, u.display_name, u.email, u.given_name, u.family_name, std::int64_t{u.is_admin ? 1 : 0},
         roles_json(u.roles), u.source, null_if_empty(u.oidc_issuer), null_if_empty(u.oidc_subject),
         null_if_empty(password_hash), u.created_at});
  });
  if (*handle_taken) return std::nullopt;
  return require(u.id);
}

UserRecord UserStore::create_local(const NewUser& user, const std::string& password_hash, TimePoint now) {
  check_new_handle(user.handle);
  UserRecord u;
  u.id = user.handle;
  u.display_name = user.display_name.empty() ? user.handle : user.display_name;
  u.email = user.email;
  u.given_name = user.given_name;
  u.family_name = user.family_name;
  u.is_admin = user.is_admin;
  u.source = "local";
  u.created_at = timestamp(now);
  bool taken = false;
  auto created = insert(u, password_hash, &taken);
  if (!created) throw_handle_taken(user.handle);
  return *created;
}

std::optional<UserRecord> UserStore::create_bootstrap_admin(const std::string& password_hash, TimePoint now) {
  UserRecord u;
  u.id = std::string(kBootstrapAdminHandle);
  u.display_name = "Administrator";
  u.is_admin = true;
  u.source = "local";
  u.created_at = timestamp(now);
  bool taken = false;
  return insert(u, password_hash, &taken);
}

UserRecord UserStore::upsert_from_claims(const OidcIdentity& identity, TimePoint now) {
  if (identity.issuer.empty() || identity.subject.empty())
    throw Error(ErrorKind::unauthenticated, "invalid-identity", "The identity provider named no user (iss, sub).");
  const std::vector<std::string> roles = normalized_roles(identity.roles);
  // At most two rounds: a conflict on (issuer, subject) means another instance
  // created the same user meanwhile, and the second round finds it.
  for (int round = 0; round < 2; ++round) {
    if (auto found = find_by_oidc(identity.issuer, identity.subject)) {
      const std::string display_name = display_name_of(identity, found->id);
      if (found->email == identity.email && found->given_name == identity.given_name &&
          found->family_name == identity.family_name && found->display_name == display_name && found->roles == roles)
        return *found;
      db_.execute(
          "UPDATE users SET email = $2, given_name = $3, family_name = $4, display_name = $5, roles = $6,"
          " updated_at = $7 WHERE id = $1",
          {found->id, identity.email, identity.given_name, identity.family_name, display_name, roles_json(roles),
           timestamp(now)});
      return require(found->id);
    }
    UserRecord u;
    u.email = identity.email;
    u.given_name = identity.given_name;
    u.family_name = identity.family_name;
    u.roles = roles;
    u.source = "oidc";
    u.oidc_issuer = identity.issuer;
    u.oidc_subject = identity.subject;
    u.created_at = timestamp(now);
    const std::string base = base_handle(identity);
    try {
      for (int n = 1; n <= kMaxHandleCandidates; ++n) {
        u.id = candidate_handle(base, n);
        if (is_reserved_handle(u.id)) continue;
        u.display_name = display_name_of(identity, u.id);
        bool taken = false;
        if (auto created = insert(u, "", &taken)) return *created;
      }
    } catch (const Error& e) {
      if (e.kind() != ErrorKind::conflict) throw;
      continue;  // the same (issuer, subject) was inserted meanwhile
    }
    throw Error(ErrorKind::conflict, "handle-taken",
                "No free name was found for the new user '" + base + "'; an administrator must create it.");
  }
  throw Error(ErrorKind::unavailable, "user-contended", "The user changed while signing in; retry.");
}

std::optional<UserRecord> UserStore::find(std::string_view id) {
  return first_user(
      db_.execute(std::string("SELECT ") + kUserColumns + " FROM users WHERE id = $1", {std::string(id)}));
}

std::optional<UserRecord> UserStore::find_by_oidc(const std::string& issuer, const std::string& subject) {
  return first_user(
      db_.execute(std::string("SELECT ") + kUserColumns + " FROM users WHERE oidc_issuer = $1 AND oidc_subject = $2",
                  {issuer, subject}));
}

UserRecord UserStore::require(std::string_view id) {
  auto user = find(id);
  if (!user) throw_user_not_found(id);
  return *user;
}

UserPage UserStore::list(const PageRequest& page) {
  const std::string limit = limit_clause(page);
  UserPage out;
  out.total = db_.execute("SELECT COUNT(*) FROM users").rows.at(0).int64(0);
  const auto r = db_.execute(std::string("SELECT ") + kUserColumns + " FROM users ORDER BY id" + limit);
  for (const auto& row : r.rows) out.items.push_back(read_user(r, row));
  return out;
}

bool UserStore::has_admin() {
  return !db_.execute("SELECT 1 FROM users WHERE is_admin = 1 AND disabled = 0 LIMIT 1").rows.empty();
}

UserRecord UserStore::set_admin(std::string_view id, bool is_admin, TimePoint now) {
  const auto r = db_.execute("UPDATE users SET is_admin = $2, updated_at = $3 WHERE id = $1",
                             {std::string(id), std::int64_t{is_admin ? 1 : 0}, timestamp(now)});
  if (r.affected_rows == 0) throw_user_not_found(id);
  return require(id);
}

UserRecord UserStore::set_disabled(std::string_view id, bool disabled, TimePoint now) {
  const auto r = db_.execute("UPDATE users SET disabled = $2, updated_at = $3 WHERE id = $1",
                             {std::string(id), std::int64_t{disabled ? 1 : 0}, timestamp(now)});
  if (r.affected_rows == 0) throw_user_not_found(id);
  return require(id);
}

void UserStore::record_login(std::string_view id, TimePoint now) {
  db_.execute("UPDATE users SET last_login_at = $2 WHERE id = $1", {std::string(id), timestamp(now)});
}

}  // namespace mecapy::auth::accounts
