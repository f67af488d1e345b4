// The first administrator on both drivers: created once, with the given or a
// generated password, and by one of two instances starting at once.
#include "auth/accounts/admin_bootstrap.hpp"

#include <atomic>
#include <thread>

#include "accounts_fixture.hpp"
#include "auth/accounts/local_accounts.hpp"
#include "core/errors.hpp"

namespace mecapy::auth::accounts {
namespace {

class BootstrapTest : public testing::AccountsTest {};

TEST_P(BootstrapTest, WithoutAPasswordOneIsGeneratedAndWorks) {
  AuditLog audit(db());
  const auto r = ensure_bootstrap_admin(db(), hasher(), audit, std::nullopt, now());
  EXPECT_EQ(r.outcome, BootstrapOutcome::created);
  EXPECT_GE(r.generated_password.size(), 20u);
  LocalLogin login(db(), hasher());
  const auto signed_in = login.attempt("admin", r.generated_password, now());
  ASSERT_EQ(signed_in.outcome, LoginOutcome::ok);
  EXPECT_TRUE(signed_in.user->is_admin);
  const auto events = audit.list({});
  ASSERT_EQ(events.total, 1);
  EXPECT_EQ(events.items[0].actor, "system");
  EXPECT_EQ(events.items[0].action, "user_created");
  EXPECT_EQ(events.items[0].target, "admin");
  EXPECT_EQ(events.items[0].detail.at("password").as_string(), "generated");

  const auto again = ensure_bootstrap_admin(db(), hasher(), audit, std::nullopt, now());
  EXPECT_EQ(again.outcome, BootstrapOutcome::admin_exists);
  EXPECT_EQ(again.generated_password, "");
  EXPECT_EQ(audit.list({}).total, 1) << "nothing done twice";
}

TEST_P(BootstrapTest, TheOperatorsPasswordIsUsedAndNotReturned) {
  AuditLog audit(db());
  const auto r = ensure_bootstrap_admin(db(), hasher(), audit, std::string("operator chosen secret"), now());
  EXPECT_EQ(r.outcome, BootstrapOutcome::created);
  EXPECT_EQ(r.generated_password, "");
  EXPECT_EQ(LocalLogin(db(), hasher()).attempt("admin", "operator chosen secret", now()).outcome, LoginOutcome::ok);
}

TEST_P(BootstrapTest, AWeakOperatorPasswordStopsStartUpNamingTheVariable) {
  AuditLog audit(db());
  try {
    ensure_bootstrap_admin(db(), hasher(), audit, std::string("short"), now());
    FAIL() << "a short password was accepted";
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.setting(), "MECAPY_ADMIN_PASSWORD");
    EXPECT_NE(std::string(e.what()).find("too short"), std::string::npos);
  }
  EXPECT_FALSE(UserStore(db()).find("admin"));
}

TEST_P(BootstrapTest, AnExistingAdministratorIsEnough) {
  AuditLog audit(db());
  NewUser root_user;
  root_user.handle = "operator";
  root_user.is_admin = true;
  UserStore(db()).create_local(root_user, "", now());
  EXPECT_EQ(ensure_bootstrap_admin(db(), hasher(), audit, std::nullopt, now()).outcome, BootstrapOutcome::admin_exists);
  EXPECT_FALSE(UserStore(db()).find("admin"));
}

TEST_P(BootstrapTest, OfTwoInstancesStartingAtOnceOneCreatesTheAdministrator) {
  std::vector<std::unique_ptr<db::Database>> instances;
  for (int i = 0; i < 3; ++i) instances.push_back(open_another());
  std::vector<BootstrapResult> results(instances.size());
  std::atomic<bool> go{false};
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < instances.size(); ++i)
    threads.emplace_back([&, i] {
      AuditLog audit(*instances[i]);
      while (!go) std::this_thread::yield();
      results[i] = ensure_bootstrap_admin(*instances[i], hasher(), audit, std::nullopt, now());
    });
  go = true;
  for (auto& t : threads) t.join();
  int created = 0;
  std::string password;
  for (const auto& r : results) {
    if (r.outcome != BootstrapOutcome::created) continue;
    ++created;
    password = r.generated_password;
  }
  EXPECT_EQ(created, 1);
  EXPECT_EQ(LocalLogin(db(), hasher()).attempt("admin", password, now()).outcome, LoginOutcome::ok)
      << "the password reported is the one stored";
  EXPECT_EQ(AuditLog(db()).list({}).total, 1);
}

MECAPY_ON_BOTH_DRIVERS(BootstrapTest);

}  // namespace
}  // namespace mecapy::auth::accounts
