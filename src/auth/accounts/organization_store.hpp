// Organisations: owners that are groups of users. An organisation has a handle from
// the same namespace as users (handles.hpp) and members, each with the role `user` or
// `admin`. Its creator is its first admin, and it always keeps one: removing or
// demoting the last admin is refused with Error(conflict, "last-organization-admin").
// Changes to one organisation's members are serialised (a row lock on PostgreSQL,
// the single writer on SQLite), so two admins demoting each other at once cannot
// leave it without any.
//
// Who may change an organisation is the caller's rule (an organisation admin, a
// platform admin); this store keeps the data and its invariant.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/accounts/paging.hpp"
#include "auth/accounts/timestamps.hpp"
#include "db/database.hpp"

namespace mecapy::auth::accounts {

struct OrganizationRecord {
  std::string id;  // the handle
  std::string display_name;
  std::string created_by;
  std::string created_at;
};

struct Membership {
  std::string organization_id;
  std::string user_id;
  std::string role;  // "user" | "admin"
  std::string added_at;
};

struct MemberPage {
  std::vector<Membership> items;  // by user handle
  std::int64_t total = 0;
};

class OrganizationStore {
 public:
  explicit OrganizationStore(db::Database& db) : db_(db) {}

  // Creates the organisation with `creator` as its admin. Throws invalid-handle,
  // handle-taken, user-not-found (for the creator).
  OrganizationRecord create(std::string_view handle, std::string_view display_name, std::string_view creator,
                            TimePoint now = system_now());
  std::optional<OrganizationRecord> find(std::string_view id);

  // Adds `user` with `role`, or changes the role of a member. Throws
  // Error(invalid_input, "invalid-role"), organization-not-found, user-not-found,
  // last-organization-admin (demoting the last admin).
  Membership set_member(std::string_view organization, std::string_view user, std::string_view role,
                        TimePoint now = system_now());
  // Throws organization-not-found, Error(not_found, "member-not-found"),
  // last-organization-admin.
  void remove_member(std::string_view organization, std::string_view user);

  // The role of `user` in `organization`; nullopt for a non-member (or no such organisation).
  std::optional<std::string> role_of(std::string_view organization, std::string_view user);
  // The user's memberships, by organisation handle.
  std::vector<Membership> organizations_of(std::string_view user);
  MemberPage members(std::string_view organization, const PageRequest& page);

 private:
  // Runs `work` in a transaction holding the organisation's lock; throws
  // organization-not-found when there is no such organisation.
  void locked(std::string_view organization, const std::function<void(db::Connection&)>& work);

  db::Database& db_;
};

}  // namespace mecapy::auth::accounts
