#include "auth/accounts/organization_store.hpp"

#include "auth/accounts/handle_registry.hpp"
#include "auth/accounts/handles.hpp"
#include "auth/accounts/row_reader.hpp"
#include "auth/accounts/user_store.hpp"
#include "core/errors.hpp"

namespace mecapy::auth::accounts {
namespace {

constexpr const char* kMemberColumns = "organization_id, user_id, role, added_at";

Membership read_membership(const db::Result& result, const db::Row& row) {
  const RowReader r(result, row);
  return {r.text("organization_id"), r.text("user_id"), r.text("role"), r.text("added_at")};
}

[[noreturn]] void organization_not_found(std::string_view id) {
  throw Error(ErrorKind::not_found, "organization-not-found", "There is no organisation '" + std::string(id) + "'.");
}

[[noreturn]] void last_admin(std::string_view organization) {
  throw Error(ErrorKind::conflict, "last-organization-admin",
              "'" + std::string(organization) + "' must keep at least one admin: make another member admin first.");
}

void require_user(db::Connection& c, std::string_view user) {
  if (c.execute("SELECT 1 FROM users WHERE id = $1", {std::string(user)}).rows.empty()) throw_user_not_found(user);
}

// The member's current role; '' for a non-member.
std::string current_role(db::Connection& c, const std::string& organization, const std::string& user) {
  const auto r = c.execute("SELECT role FROM organization_members WHERE organization_id = $1 AND user_id = $2",
                           {organization, user});
  return r.rows.empty() ? "" : r.rows[0].text(0);
}

bool has_other_admin(db::Connection& c, const std::string& organization, const std::string& user) {
  return !c.execute(
               "SELECT 1 FROM organization_members WHERE organization_id = $1 AND role = 'admin' AND user_id <> $2"
               " LIMIT 1",
               {organization, user})
              .rows.empty();
}

}  // namespace

OrganizationRecord OrganizationStore::create(std::string_view handle, std::string_view display_name,
                                             std::string_view creator, TimePoint now) {
  check_new_handle(handle);
  OrganizationRecord org{std::string(handle), std::string(display_name.empty() ? handle : display_name),
                         std::string(creator), timestamp(now)};
  db_.transaction([&](db::Connection& c) {
    require_user(c, creator);
    if (!claim_handle(c, org.id, HandleKind::organization, org.created_at)) throw_handle_taken(org.id);
    c.execute("INSERT INTO organizations (id, display_name, created_by, created_at) VALUES ($1, $2, $3, $4)",
              {org.id, org.display_name, org.created_by, org.created_at});
    c.execute(
        "INSERT INTO organization_members (organization_id, user_id, role, added_at) VALUES ($1, $2, 'admin', $3)",
        {org.id, org.created_by, org.created_at});
  });
  return org;
}

std::optional<OrganizationRecord> OrganizationStore::find(std::string_view id) {
  const auto r = db_.execute("SELECT id, display_name, created_by, created_at FROM organizations WHERE id = $1",
                             {std::string(id)});
  if (r.rows.empty()) return std::nullopt;
  const RowReader row(r, r.rows[0]);
  return OrganizationRecord{row.text("id"), row.text("display_name"), row.text("created_by"), row.text("created_at")};
}

void OrganizationStore::locked(std::string_view organization, const std::function<void(db::Connection&)>& work) {
  // FOR UPDATE serialises the members' changes of one organisation on PostgreSQL;
  // SQLite's transactions take the database's write lock at BEGIN already.
  const std::string lock = db_.dialect() == db::Dialect::postgres ? " FOR UPDATE" : "";
  db_.transaction([&](db::Connection& c) {
    if (c.execute("SELECT id FROM organizations WHERE id = $1" + lock, {std::string(organization)}).rows.empty())
      organization_not_found(organization);
    work(c);
  });
}

Membership OrganizationStore::set_member(std::string_view organization, std::string_view user, std::string_view role,
                                         TimePoint now) {
  if (role != "user" && role != "admin")
    throw Error(ErrorKind::invalid_input, "invalid-role",
                "A member's role is 'user' or 'admin', not '" + std::string(role) + "'.");
  const std::string org(organization), member(user), wanted(role);
  locked(organization, [&](db::Connection& c) {
    require_user(c, user);
    const std::string current = current_role(c, org, member);
    if (current == wanted) return;
    if (current == "admin" && !has_other_admin(c, org, member)) last_admin(org);
    if (current.empty())
      c.execute("INSERT INTO organization_members (organization_id, user_id, role, added_at) VALUES ($1, $2, $3, $4)",
                {org, member, wanted, timestamp(now)});
    else
      c.execute("UPDATE organization_members SET role = $3 WHERE organization_id = $1 AND user_id = $2",
                {org, member, wanted});
  });
  const auto r = db_.execute(std::string("SELECT ") + kMemberColumns +
                                 " FROM organization_members WHERE organization_id = $1 AND user_id = $2",
                             {org, member});
  if (r.rows.empty()) throw Error(ErrorKind::conflict, "conflict", "The member was removed meanwhile; retry.");
  return read_membership(r, r.rows[0]);
}

void OrganizationStore::remove_member(std::string_view organization, std::string_view user) {
  const std::string org(organization), member(user);
  locked(organization, [&](db::Connection& c) {
    const std::string current = current_role(c, org, member);
    if (current.empty())
      throw Error(ErrorKind::not_found, "member-not-found", "'" + member + "' is not a member of '" + org + "'.");
    if (current == "admin" && !has_other_admin(c, org, member)) last_admin(org);
    c.execute("DELETE FROM organization_members WHERE organization_id = $1 AND user_id = $2", {org, member});
  });
}

std::optional<std::string> OrganizationStore::role_of(std::string_view organization, std::string_view user) {
  const auto r = db_.execute("SELECT role FROM organization_members WHERE organization_id = $1 AND user_id = $2",
                             {std::string(organization), std::string(user)});
  if (r.rows.empty()) return std::nullopt;
  return r.rows[0].text(0);
}

std::vector<Membership> OrganizationStore::organizations_of(std::string_view user) {
  const auto r = db_.execute(std::string("SELECT ") + kMemberColumns +
                                 " FROM organization_members WHERE user_id = $1 ORDER BY organization_id",
                             {std::string(user)});
  std::vector<Membership> out;
  for (const auto& row : r.rows) out.push_back(read_membership(r, row));
  return out;
}

MemberPage OrganizationStore::members(std::string_view organization, const PageRequest& page) {
  const std::string limit = limit_clause(page);
  const std::vector<db::Value> params{std::string(organization)};
  MemberPage out;
  out.total =
      db_.execute("SELECT COUNT(*) FROM organization_members WHERE organization_id = $1", params).rows.at(0).int64(0);
  const auto r = db_.execute(std::string("SELECT ") + kMemberColumns +
                                 " FROM organization_members WHERE organization_id = $1 ORDER BY user_id" + limit,
                             params);
  for (const auto& row : r.rows) out.items.push_back(read_membership(r, row));
  return out;
}

}  // namespace mecapy::auth::accounts
