// The JSON shapes of identity: users, API tokens, organisations, audit events.
#pragma once

#include <boost/json/object.hpp>

#include "auth/accounts/api_tokens.hpp"
#include "auth/accounts/audit_log.hpp"
#include "auth/accounts/organization_store.hpp"
#include "auth/accounts/user_store.hpp"

namespace mecapy::api {

boost::json::object user_json(const auth::accounts::UserRecord& user);
boost::json::object token_json(const auth::accounts::ApiToken& token);
boost::json::object organization_json(const auth::accounts::OrganizationRecord& org);
boost::json::object membership_json(const auth::accounts::Membership& m);
boost::json::object audit_json(const auth::accounts::AuditEvent& event);

}  // namespace mecapy::api
