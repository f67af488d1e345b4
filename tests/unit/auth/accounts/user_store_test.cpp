// Users on both drivers: local creation, the handle rules at the store, and OIDC
// users created and updated from claims (handles derived and de-duplicated, nothing
// written when nothing changed, two instances seeing a new user at once).
#include "auth/accounts/user_store.hpp"

#include <atomic>
#include <thread>

#include "accounts_fixture.hpp"
#include "auth/accounts/handle_registry.hpp"
#include "core/errors.hpp"

namespace mecapy::auth::accounts {
namespace {

using namespace std::chrono_literals;

class UserStoreTest : public testing::AccountsTest {
 protected:
  OidcIdentity identity(const std::string& subject, const std::string& username) {
    OidcIdentity id;
    id.issuer = "https://idp.example.com/realms/mecapy";
    id.subject = subject;
    id.preferred_username = username;
    id.email = username + "@example.com";
    id.given_name = "Given";
    id.family_name = "Family";
    id.roles = {"user"};
    return id;
  }
};

TEST_P(UserStoreTest, ALocalUserIsCreatedAndFound) {
  UserStore users(db());
  NewUser alice;
  alice.handle = "alice";
  alice.email = "alice@example.com";
  const auto created = users.create_local(alice, "", now());
  EXPECT_EQ(created.id, "alice");
  EXPECT_EQ(created.display_name, "alice") << "the handle when no display name is given";
  EXPECT_EQ(created.source, "local");
  EXPECT_FALSE(created.has_password);
  EXPECT_FALSE(created.is_admin);
  EXPECT_EQ(created.created_at, "2030-01-01T00:00:00.000Z");
  EXPECT_EQ(created.updated_at, created.created_at);
  EXPECT_EQ(created.last_login_at, "");
  const auto found = users.find("alice");
  ASSERT_TRUE(found);
  EXPECT_EQ(found->email, "alice@example.com");
  EXPECT_EQ(handle_kind(db(), "alice"), HandleKind::user);
  EXPECT_FALSE(users.find("bob"));
}

TEST_P(UserStoreTest, HandlesAreCheckedAndTakenOnce) {
  UserStore users(db());
  NewUser u;
  u.handle = "bob";
  users.create_local(u, "", now());
  EXPECT_EQ(testing::error_code([&] { users.create_local(u, "", now()); }), "handle-taken");
  for (const char* bad : {"Bob", "admin", "me", "-x", ""}) {
    u.handle = bad;
    EXPECT_EQ(testing::error_code([&] { users.create_local(u, "", now()); }), "invalid-handle") << bad;
  }
  EXPECT_EQ(users.list({1, 100}).total, 1);
}

TEST_P(UserStoreTest, OnlyTheBootstrapMayTakeAdminAndOnlyOnce) {
  UserStore users(db());
  EXPECT_FALSE(users.has_admin());
  const auto admin = users.create_bootstrap_admin("", now());
  ASSERT_TRUE(admin);
  EXPECT_EQ(admin->id, "admin");
  EXPECT_TRUE(admin->is_admin);
  EXPECT_TRUE(users.has_admin());
  EXPECT_FALSE(users.create_bootstrap_admin("", now())) << "the handle is taken now";
  users.set_disabled("admin", true, now());
  EXPECT_FALSE(users.has_admin()) << "a disabled administrator does not count";
}

TEST_P(UserStoreTest, AnOidcUserIsCreatedOnFirstSightFromTheClaims) {
  UserStore users(db());
  auto id = identity("f81d4fae-7dec-11d0-a765-00a0c91e6bf6", "Jane.Doe");
  id.roles = {"user", "admin", "user"};
  const auto u = users.upsert_from_claims(id, now());
  EXPECT_EQ(u.id, "jane.doe") << "the sanitised preferred_username";
  EXPECT_EQ(u.source, "oidc");
  EXPECT_EQ(u.oidc_issuer, id.issuer);
  EXPECT_EQ(u.oidc_subject, id.subject);
  EXPECT_EQ(u.display_name, "Given Family");
  EXPECT_EQ(u.email, "Jane.Doe@example.com");
  EXPECT_EQ(u.roles, (std::vector<std::string>{"admin", "user"})) << "sorted, without repeats";
  EXPECT_FALSE(u.is_admin) << "provider roles do not make a platform administrator";
  EXPECT_FALSE(u.has_password);
  EXPECT_EQ(users.find_by_oidc(id.issuer, id.subject)->id, "jane.doe");
  EXPECT_FALSE(users.find_by_oidc("https://other.example.com", id.subject)) << "the pair identifies the user";
}

TEST_P(UserStoreTest, UnchangedClaimsWriteNothingAndChangedOnesUpdateTheProfile) {
  UserStore users(db());
  auto id = identity("sub-1", "carol");
  const auto first = users.upsert_from_claims(id, now());
  advance(1h);
  id.roles = {"user"};  // the same claims, seen an hour later
  const auto again = users.upsert_from_claims(id, now());
  EXPECT_EQ(again.updated_at, first.updated_at) << "nothing changed: nothing written";
  id.roles = {"user", "user"};
  EXPECT_EQ(users.upsert_from_claims(id, now()).updated_at, first.updated_at) << "roles compare as sets";

  advance(1h);
  id.email = "carol@new.example.com";
  id.family_name = "Newname";
  id.roles = {"admin", "user"};
  id.preferred_username = "carol-renamed";
  const auto updated = users.upsert_from_claims(id, now());
  EXPECT_EQ(updated.id, "carol") << "the handle never changes";
  EXPECT_EQ(updated.email, "carol@new.example.com");
  EXPECT_EQ(updated.display_name, "Given Newname");
  EXPECT_EQ(updated.roles, (std::vector<std::string>{"admin", "user"}));
  EXPECT_EQ(updated.updated_at, "2030-01-01T02:00:00.000Z");
  EXPECT_EQ(users.list({1, 100}).total, 1);
}

TEST_P(UserStoreTest, ATakenOrReservedHandleGetsANumberedSuffix) {
  UserStore users(db());
  NewUser local;
  local.handle = "dave";
  users.create_local(local, "", now());
  EXPECT_EQ(users.upsert_from_claims(identity("s1", "dave"), now()).id, "dave-2");
  EXPECT_EQ(users.upsert_from_claims(identity("s2", "Dave"), now()).id, "dave-3");
  EXPECT_EQ(users.upsert_from_claims(identity("s3", "admin"), now()).id, "admin-2") << "reserved";
  EXPECT_EQ(users.upsert_from_claims(identity("s4", "root"), now()).id, "root-2");
  const std::string long_name(39, 'x');
  EXPECT_EQ(users.upsert_from_claims(identity("s5", long_name), now()).id, long_name);
  const auto cut = users.upsert_from_claims(identity("s6", long_name), now()).id;
  EXPECT_EQ(cut, std::string(37, 'x') + "-2") << "cut so that the suffix fits";
}

TEST_P(UserStoreTest, WithoutAUsableUsernameTheHandleComesFromTheEmailOrTheSubject) {
  UserStore users(db());
  auto id = identity("s1", "");
  id.email = "Eve.Adams+mecapy@example.com";
  EXPECT_EQ(users.upsert_from_claims(id, now()).id, "eve.adams-mecapy");
  auto nameless = identity("f81d4fae", "\xe5\xbc\xa0\xe4\xbc\x9f");
  nameless.email = "";
  const auto u = users.upsert_from_claims(nameless, now());
  EXPECT_EQ(u.id.rfind("user-", 0), 0u) << u.id;
  EXPECT_EQ(u.id.size(), 13u) << "user- and 8 hex digits";
  EXPECT_EQ(users.upsert_from_claims(nameless, now()).id, u.id) << "and found again by its subject";
}

TEST_P(UserStoreTest, AnIdentityWithoutIssuerOrSubjectIsRefused) {
  UserStore users(db());
  auto id = identity("", "frank");
  EXPECT_EQ(testing::error_code([&] { users.upsert_from_claims(id, now()); }), "invalid-identity");
  EXPECT_EQ(users.list({1, 100}).total, 0);
}

TEST_P(UserStoreTest, TwoInstancesSeeingANewUserAtOnceGetTheSameUser) {
  const auto id = identity("sub-race", "grace");
  for (int round = 0; round < 5; ++round) {
    auto subject = id;
    subject.subject += std::to_string(round);
    std::vector<std::unique_ptr<db::Database>> instances;
    for (int i = 0; i < 4; ++i) instances.push_back(open_another());
    std::vector<std::string> handles(instances.size());
    std::atomic<bool> go{false};
    std::vector<std::thread> threads;
    for (std::size_t i = 0; i < instances.size(); ++i)
      threads.emplace_back([&, i] {
        while (!go) std::this_thread::yield();
        handles[i] = UserStore(*instances[i]).upsert_from_claims(subject, now()).id;
      });
    go = true;
    for (auto& t : threads) t.join();
    for (const auto& h : handles) EXPECT_EQ(h, handles.front()) << "round " << round;
  }
  EXPECT_EQ(UserStore(db()).list({1, 100}).total, 5) << "one user per subject";
}

TEST_P(UserStoreTest, FlagsAndLoginsAreRecordedAndUnknownUsersReported) {
  UserStore users(db());
  NewUser u;
  u.handle = "heidi";
  users.create_local(u, "", now());
  advance(5s);
  EXPECT_TRUE(users.set_admin("heidi", true, now()).is_admin);
  EXPECT_TRUE(users.set_disabled("heidi", true, now()).disabled);
  users.record_login("heidi", now());
  const auto found = users.find("heidi");
  EXPECT_EQ(found->last_login_at, "2030-01-01T00:00:05.000Z");
  EXPECT_EQ(found->updated_at, "2030-01-01T00:00:05.000Z");
  EXPECT_EQ(testing::error_code([&] { users.set_admin("nobody", true, now()); }), "user-not-found");
  EXPECT_EQ(testing::error_code([&] { users.set_disabled("nobody", true, now()); }), "user-not-found");
}

TEST_P(UserStoreTest, TheListPagesByHandle) {
  create_users({"mallory", "ivan", "judy"});
  UserStore users(db());
  const auto first = users.list({1, 2});
  EXPECT_EQ(first.total, 3);
  ASSERT_EQ(first.items.size(), 2u);
  EXPECT_EQ(first.items[0].id, "ivan");
  EXPECT_EQ(first.items[1].id, "judy");
  const auto second = users.list({2, 2});
  ASSERT_EQ(second.items.size(), 1u);
  EXPECT_EQ(second.items[0].id, "mallory");
  EXPECT_EQ(testing::error_code([&] { users.list({0, 2}); }), "invalid-query");
  EXPECT_EQ(testing::error_code([&] { users.list({1, 101}); }), "invalid-query");
}

MECAPY_ON_BOTH_DRIVERS(UserStoreTest);

}  // namespace
}  // namespace mecapy::auth::accounts
