// Organisations on both drivers: one namespace with users, the creator as admin,
// members and roles, and the last admin kept whatever happens (concurrently too).
#include "auth/accounts/organization_store.hpp"

#include <atomic>
#include <thread>

#include "accounts_fixture.hpp"
#include "auth/accounts/handle_registry.hpp"
#include "auth/accounts/user_store.hpp"
#include "core/errors.hpp"

namespace mecapy::auth::accounts {
namespace {

class OrganizationTest : public testing::AccountsTest {
 protected:
  void SetUp() override {
    AccountsTest::SetUp();
    create_users({"alice", "bob", "carol"});
  }
};

TEST_P(OrganizationTest, TheCreatorIsTheFirstAdmin) {
  OrganizationStore orgs(db());
  const auto org = orgs.create("acme", "ACME Engineering", "alice", now());
  EXPECT_EQ(org.id, "acme");
  EXPECT_EQ(org.display_name, "ACME Engineering");
  EXPECT_EQ(org.created_by, "alice");
  EXPECT_EQ(orgs.find("acme")->display_name, "ACME Engineering");
  EXPECT_EQ(orgs.role_of("acme", "alice"), "admin");
  EXPECT_FALSE(orgs.role_of("acme", "bob"));
  EXPECT_FALSE(orgs.role_of("nowhere", "alice"));
  EXPECT_EQ(handle_kind(db(), "acme"), HandleKind::organization);
  EXPECT_EQ(orgs.create("beta", "", "bob", now()).display_name, "beta");
}

TEST_P(OrganizationTest, UsersAndOrganisationsShareOneNamespace) {
  OrganizationStore orgs(db());
  EXPECT_EQ(testing::error_code([&] { orgs.create("bob", "", "alice", now()); }), "handle-taken");
  orgs.create("acme", "", "alice", now());
  NewUser u;
  u.handle = "acme";
  EXPECT_EQ(testing::error_code([&] { UserStore(db()).create_local(u, "", now()); }), "handle-taken");
  EXPECT_EQ(testing::error_code([&] { orgs.create("acme", "", "bob", now()); }), "handle-taken");
  EXPECT_EQ(testing::error_code([&] { orgs.create("Acme", "", "bob", now()); }), "invalid-handle");
  EXPECT_EQ(testing::error_code([&] { orgs.create("system", "", "bob", now()); }), "invalid-handle");
  EXPECT_EQ(testing::error_code([&] { orgs.create("ghost-org", "", "nobody", now()); }), "user-not-found");
  EXPECT_FALSE(handle_kind(db(), "ghost-org")) << "a refused organisation takes no handle";
  OidcIdentity id{"https://idp.example.com", "s1", "acme", "", "", "", {}};
  EXPECT_EQ(UserStore(db()).upsert_from_claims(id, now()).id, "acme-2");
}

TEST_P(OrganizationTest, MembersAreAddedWithARoleAndListed) {
  OrganizationStore orgs(db());
  orgs.create("acme", "", "alice", now());
  const auto bob = orgs.set_member("acme", "bob", "user", now());
  EXPECT_EQ(bob.role, "user");
  EXPECT_EQ(bob.added_at, "2030-01-01T00:00:00.000Z");
  orgs.set_member("acme", "carol", "admin", now());
  EXPECT_EQ(orgs.role_of("acme", "carol"), "admin");
  EXPECT_EQ(orgs.set_member("acme", "bob", "admin", now()).role, "admin") << "a role changes in place";

  const auto page1 = orgs.members("acme", {1, 2});
  EXPECT_EQ(page1.total, 3);
  ASSERT_EQ(page1.items.size(), 2u);
  EXPECT_EQ(page1.items[0].user_id, "alice");
  EXPECT_EQ(page1.items[1].user_id, "bob");
  EXPECT_EQ(orgs.members("acme", {2, 2}).items.at(0).user_id, "carol");

  orgs.create("beta", "", "bob", now());
  const auto of_bob = orgs.organizations_of("bob");
  ASSERT_EQ(of_bob.size(), 2u);
  EXPECT_EQ(of_bob[0].organization_id, "acme");
  EXPECT_EQ(of_bob[1].organization_id, "beta");
  EXPECT_TRUE(orgs.organizations_of("nobody").empty());

  EXPECT_EQ(testing::error_code([&] { orgs.set_member("acme", "bob", "owner", now()); }), "invalid-role");
  EXPECT_EQ(testing::error_code([&] { orgs.set_member("acme", "nobody", "user", now()); }), "user-not-found");
  EXPECT_EQ(testing::error_code([&] { orgs.set_member("nowhere", "bob", "user", now()); }), "organization-not-found");
}

TEST_P(OrganizationTest, TheLastAdminCanBeNeitherDemotedNorRemoved) {
  OrganizationStore orgs(db());
  orgs.create("acme", "", "alice", now());
  orgs.set_member("acme", "bob", "user", now());
  EXPECT_EQ(testing::error_code([&] { orgs.set_member("acme", "alice", "user", now()); }), "last-organization-admin");
  EXPECT_EQ(testing::error_code([&] { orgs.remove_member("acme", "alice"); }), "last-organization-admin");
  EXPECT_EQ(orgs.role_of("acme", "alice"), "admin");
  try {
    orgs.remove_member("acme", "alice");
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::conflict);
    EXPECT_NE(std::string(e.what()).find("at least one admin"), std::string::npos) << e.what();
  }

  orgs.remove_member("acme", "bob");
  EXPECT_FALSE(orgs.role_of("acme", "bob"));
  EXPECT_EQ(testing::error_code([&] { orgs.remove_member("acme", "bob"); }), "member-not-found");
  EXPECT_EQ(testing::error_code([&] { orgs.remove_member("nowhere", "bob"); }), "organization-not-found");

  orgs.set_member("acme", "carol", "admin", now());
  orgs.set_member("acme", "alice", "user", now());  // carol is admin now: allowed
  EXPECT_EQ(orgs.role_of("acme", "alice"), "user");
  EXPECT_EQ(testing::error_code([&] { orgs.remove_member("acme", "carol"); }), "last-organization-admin");
}

TEST_P(OrganizationTest, TwoAdminsDemotingThemselvesAtOnceLeaveOne) {
  OrganizationStore orgs(db());
  std::vector<std::unique_ptr<db::Database>> instances;
  instances.push_back(open_another());
  instances.push_back(open_another());
  for (int round = 0; round < 10; ++round) {
    const std::string org = "org-" + std::to_string(round);
    orgs.create(org, "", "alice", now());
    orgs.set_member(org, "bob", "admin", now());
    std::atomic<int> ready{0};
    auto demote = [&](std::size_t i, const char* user) {
      OrganizationStore store(*instances[i]);
      ++ready;
      while (ready < 2) std::this_thread::yield();
      try {
        store.set_member(org, user, "user", now());
      } catch (const Error& e) {
        EXPECT_EQ(e.code(), "last-organization-admin");
      }
    };
    std::thread a(demote, 0, "alice");
    std::thread b(demote, 1, "bob");
    a.join();
    b.join();
    const auto members = orgs.members(org, {1, 10}).items;
    const auto admins = std::count_if(members.begin(), members.end(), [](const auto& m) { return m.role == "admin"; });
    EXPECT_EQ(admins, 1) << org;
  }
}

MECAPY_ON_BOTH_DRIVERS(OrganizationTest);

}  // namespace
}  // namespace mecapy::auth::accounts
