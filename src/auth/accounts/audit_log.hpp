// The audit log: security-relevant events (sign-ins and failed ones, lockouts, tokens
// created and revoked, roles changed, users created, passwords changed, deploys,
// visibility changes), stored in table audit_events, never updated nor deleted here.
// Each event gets an increasing id; lists are newest first by that id.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/accounts/paging.hpp"
#include "auth/accounts/timestamps.hpp"
#include "db/database.hpp"

namespace mecapy::auth::accounts {

// The actions the platform records (others may be added: an action is a short slug).
namespace audit_action {
inline constexpr std::string_view login = "login";
inline constexpr std::string_view login_failed = "login_failed";
inline constexpr std::string_view logout = "logout";
inline constexpr std::string_view lockout = "lockout";
inline constexpr std::string_view unlock = "unlock";
inline constexpr std::string_view token_created = "token_created";
inline constexpr std::string_view token_revoked = "token_revoked";
inline constexpr std::string_view role_changed = "role_changed";
inline constexpr std::string_view user_created = "user_created";
inline constexpr std::string_view password_changed = "password_changed";
inline constexpr std::string_view deploy = "deploy";
inline constexpr std::string_view visibility_changed = "visibility_changed";
}  // namespace audit_action

struct AuditEvent {
  std::int64_t id = 0;              // given by record()
  std::string at;                   // RFC 3339, given by record()
  std::string actor;                // who: a handle, "system" (an operator's command), "anonymous"
  std::string action;               // audit_action::*
  std::string target;               // what: a handle, "token:<id>", "package:<owner>/<name>"...
  std::string outcome = "success";  // "success" | "failure"
  std::string ip;
  std::string request_id;
  boost::json::object detail;  // anything else worth keeping (never a secret)
};

struct AuditQuery {
  PageRequest page;
  std::string actor;               // only this actor ('' : all)
  std::string action;              // only this action ('' : all)
  std::optional<TimePoint> since;  // only events at or after
};

struct AuditPage {
  std::vector<AuditEvent> items;  // newest first
  std::int64_t total = 0;         // events matching the query, all pages
};

class AuditLog {
 public:
  explicit AuditLog(db::Database& db) : db_(db) {}

  // Stores `event` and returns it with its id and time. Throws
  // Error(invalid_input, "invalid-audit-event") without an actor or an action.
  AuditEvent record(AuditEvent event, TimePoint now = system_now());
  AuditPage list(const AuditQuery& query);

 private:
  db::Database& db_;
};

}  // namespace mecapy::auth::accounts
