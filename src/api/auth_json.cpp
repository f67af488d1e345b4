#include "api/auth_json.hpp"

#include <boost/json.hpp>

namespace mecapy::api {
namespace {

boost::json::value or_null(const std::string& s) {
  return s.empty() ? boost::json::value(nullptr) : boost::json::value(s);
}

boost::json::array strings(const std::vector<std::string>& items) {
  boost::json::array a;
  for (const auto& s : items) a.emplace_back(s);
  return a;
}

}  // namespace

boost::json::object user_json(const auth::accounts::UserRecord& u) {
  return {{"id", u.id},
          {"username", u.id},
          {"display_name", u.display_name},
          {"email", or_null(u.email)},
          {"given_name", or_null(u.given_name)},
          {"family_name", or_null(u.family_name)},
          {"is_admin", u.is_admin},
          {"roles", strings(u.roles)},
          {"source", u.source},
          {"disabled", u.disabled},
          {"locked_until", or_null(u.locked_until)},
          {"created_at", u.created_at},
          {"last_login_at", or_null(u.last_login_at)}};
}

boost::json::object token_json(const auth::accounts::ApiToken& t) {
  return {{"id", t.id},
          {"name", t.name},
          {"prefix", t.prefix},
          {"scopes", strings(t.scopes)},
          {"created_at", t.created_at},
          {"expires_at", or_null(t.expires_at)},
          {"last_used_at", or_null(t.last_used_at)},
          {"revoked_at", or_null(t.revoked_at)}};
}

boost::json::object organization_json(const auth::accounts::OrganizationRecord& o) {
  return {{"id", o.id}, {"display_name", o.display_name}, {"created_by", o.created_by}, {"created_at", o.created_at}};
}

boost::json::object membership_json(const auth::accounts::Membership& m) {
  return {{"organisation", m.organization_id}, {"user", m.user_id}, {"role", m.role}, {"added_at", m.added_at}};
}

boost::json::object audit_json(const auth::accounts::AuditEvent& e) {
  return {{"id", e.id},         {"at", e.at},           {"actor", e.actor},    {"action", e.action},
          {"target", e.target}, {"outcome", e.outcome}, {"ip", or_null(e.ip)}, {"request_id", or_null(e.request_id)},
          {"detail", e.detail}};
}

}  // namespace mecapy::api
