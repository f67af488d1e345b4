// Built-in accounts on both drivers: password rules, the lockout timeline (driven by
// the test's clock), the same answer for unknown users, disabled accounts, rehashing
// when the parameters grow, password changes and resets; and argon2id itself.
#include "auth/accounts/local_accounts.hpp"

#include "accounts_fixture.hpp"
#include "core/errors.hpp"

namespace mecapy::auth::accounts {
namespace {

using namespace std::chrono_literals;

constexpr const char* kPassword = "correct horse battery";

class LocalLoginTest : public testing::AccountsTest {
 protected:
  void SetUp() override {
    AccountsTest::SetUp();
    login_ = std::make_unique<LocalLogin>(db(), hasher());
    NewUser alice;
    alice.handle = "alice";
    login_->create_user(alice, kPassword, now());
  }

  LocalLogin& login() { return *login_; }

  std::string stored_hash(const std::string& user) {
    return db().execute("SELECT password_hash FROM users WHERE id = $1", {user}).rows.at(0).text(0);
  }

 private:
  std::unique_ptr<LocalLogin> login_;
};

TEST(PasswordRules, LengthAndUsernameAreChecked) {
  auto code = [](std::string_view user, std::string_view password) -> std::string {
    try {
      check_password_rules(user, password);
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::unprocessable);
      return e.what();
    }
    return "";
  };
  EXPECT_EQ(code("alice", "0123456789"), "");
  EXPECT_NE(code("alice", "012345678").find("too short"), std::string::npos);
  EXPECT_EQ(code("alice", "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"), "")
      << "ten characters, twenty bytes";
  EXPECT_NE(code("alice", "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9").find("too short"), std::string::npos)
      << "characters are counted, not bytes";
  EXPECT_EQ(code("alice", std::string(1024, 'x')), "");
  EXPECT_NE(code("alice", std::string(1025, 'x')).find("too long"), std::string::npos);
  EXPECT_NE(code("longusername", "LongUserName").find("username"), std::string::npos);
}

TEST_P(LocalLoginTest, TheRightPasswordLogsInAndRecordsTheLogin) {
  advance(10s);
  const auto r = login().attempt("alice", kPassword, now());
  ASSERT_EQ(r.outcome, LoginOutcome::ok);
  ASSERT_TRUE(r.user);
  EXPECT_EQ(r.user->id, "alice");
  EXPECT_EQ(r.user->last_login_at, "2030-01-01T00:00:10.000Z");
  EXPECT_EQ(login().attempt("Alice", kPassword, now()).outcome, LoginOutcome::ok) << "usernames fold to lowercase";
  EXPECT_EQ(login().attempt("alice", "correct horse battery!", now()).outcome, LoginOutcome::bad_credentials);
}

TEST_P(LocalLoginTest, AnUnknownUserGetsTheSameAnswerAsAWrongPassword) {
  const auto unknown = login().attempt("nobody", kPassword, now());
  const auto wrong = login().attempt("alice", "wrong password here", now());
  EXPECT_EQ(unknown.outcome, LoginOutcome::bad_credentials);
  EXPECT_EQ(wrong.outcome, LoginOutcome::bad_credentials);
  EXPECT_EQ(unknown.user.has_value(), wrong.user.has_value());
  EXPECT_EQ(unknown.retry_after, wrong.retry_after);
  EXPECT_EQ(unknown.lock_started, wrong.lock_started);
  EXPECT_EQ(login().attempt(std::string(300, 'a'), kPassword, now()).outcome, LoginOutcome::bad_credentials);
  EXPECT_EQ(login().attempt("alice", std::string(2000, 'x'), now()).outcome, LoginOutcome::bad_credentials);
}

TEST_P(LocalLoginTest, AUserWithoutPasswordCannotLogInLocally) {
  UserStore users(db());
  OidcIdentity id{"https://idp.example.com", "sub-1", "oscar", "", "", "", {}};
  users.upsert_from_claims(id, now());
  EXPECT_EQ(login().attempt("oscar", kPassword, now()).outcome, LoginOutcome::bad_credentials);
  EXPECT_EQ(login().attempt("oscar", "", now()).outcome, LoginOutcome::bad_credentials);
  EXPECT_EQ(testing::error_code([&] { login().set_password("oscar", "a new password"); }), "not-a-local-user");
}

TEST_P(LocalLoginTest, FiveFailuresLockForAMinuteThenTheLockDoubles) {
  for (int i = 1; i <= 4; ++i) {
    const auto r = login().attempt("alice", "wrong password " + std::to_string(i), now());
    EXPECT_EQ(r.outcome, LoginOutcome::bad_credentials) << i;
    EXPECT_FALSE(r.lock_started) << i;
  }
  const auto fifth = login().attempt("alice", "wrong password 5", now());
  EXPECT_EQ(fifth.outcome, LoginOutcome::bad_credentials);
  EXPECT_TRUE(fifth.lock_started);
  EXPECT_EQ(fifth.retry_after, 60s);

  advance(30s);
  auto locked = login().attempt("alice", kPassword, now());
  EXPECT_EQ(locked.outcome, LoginOutcome::locked) << "even the right password waits";
  EXPECT_EQ(locked.retry_after, 30s);
  EXPECT_FALSE(locked.user);
  EXPECT_EQ(login().attempt("alice", "wrong", now()).outcome, LoginOutcome::locked);
  EXPECT_EQ(UserStore(db()).find("alice")->failed_logins, 5) << "attempts while locked do not count";

  advance(30s);  // the lock is over; one more failure locks for twice as long
  const auto sixth = login().attempt("alice", "wrong password 6", now());
  EXPECT_TRUE(sixth.lock_started);
  EXPECT_EQ(sixth.retry_after, 120s);
  advance(119s);
  EXPECT_EQ(login().attempt("alice", kPassword, now()).outcome, LoginOutcome::locked);
  advance(1s);
  EXPECT_EQ(login().attempt("alice", "wrong password 7", now()).retry_after, 240s);
  advance(240s);

  const auto ok = login().attempt("alice", kPassword, now());
  ASSERT_EQ(ok.outcome, LoginOutcome::ok);
  EXPECT_EQ(ok.user->failed_logins, 0) << "success resets the count";
  EXPECT_EQ(ok.user->locked_until, "");
  EXPECT_FALSE(login().attempt("alice", "wrong again", now()).lock_started) << "counting starts over";
}

TEST_P(LocalLoginTest, TheLockIsInTheDatabaseForEveryInstance) {
  const auto other_db = open_another();
  LocalLogin other(*other_db, hasher());
  for (int i = 0; i < 5; ++i) login().attempt("alice", "wrong password", now());
  EXPECT_EQ(other.attempt("alice", kPassword, now()).outcome, LoginOutcome::locked);
  other.unlock("alice", now());
  EXPECT_EQ(login().attempt("alice", kPassword, now()).outcome, LoginOutcome::ok);
  EXPECT_EQ(testing::error_code([&] { login().unlock("nobody", now()); }), "user-not-found");
}

TEST_P(LocalLoginTest, LockDurationsDoubleAndStopAtTheMaximum) {
  EXPECT_EQ(login().lock_duration(4), 0s);
  EXPECT_EQ(login().lock_duration(5), 60s);
  EXPECT_EQ(login().lock_duration(6), 120s);
  EXPECT_EQ(login().lock_duration(10), 1920s);
  EXPECT_EQ(login().lock_duration(11), 3600s);
  EXPECT_EQ(login().lock_duration(1'000'000), 3600s);
  LocalLogin strict(db(), hasher(), {2, 10s, 25s});
  EXPECT_EQ(strict.lock_duration(2), 10s);
  EXPECT_EQ(strict.lock_duration(3), 20s);
  EXPECT_EQ(strict.lock_duration(4), 25s);
}

TEST_P(LocalLoginTest, ADisabledAccountIsReportedOnlyWithItsPassword) {
  UserStore(db()).set_disabled("alice", true, now());
  EXPECT_EQ(login().attempt("alice", kPassword, now()).outcome, LoginOutcome::disabled);
  EXPECT_EQ(login().attempt("alice", "wrong password", now()).outcome, LoginOutcome::bad_credentials);
}

TEST_P(LocalLoginTest, AHashOfWeakerParametersIsUpgradedAtLogin) {
  const std::string old_hash = stored_hash("alice");
  EXPECT_FALSE(hasher().needs_rehash(old_hash));
  PasswordHasher stronger({hasher().parameters().opslimit + 1, hasher().parameters().memlimit * 2});
  EXPECT_TRUE(stronger.needs_rehash(old_hash));
  LocalLogin upgraded(db(), stronger);
  ASSERT_EQ(upgraded.attempt("alice", kPassword, now()).outcome, LoginOutcome::ok);
  const std::string new_hash = stored_hash("alice");
  EXPECT_NE(new_hash, old_hash);
  EXPECT_FALSE(stronger.needs_rehash(new_hash));
  EXPECT_FALSE(hasher().needs_rehash(new_hash)) << "a stronger hash is kept by weaker settings";
  EXPECT_EQ(login().attempt("alice", kPassword, now()).outcome, LoginOutcome::ok);
  EXPECT_EQ(stored_hash("alice"), new_hash) << "and not downgraded";
}

TEST_P(LocalLoginTest, ChangingThePasswordNeedsTheOldOne) {
  EXPECT_EQ(
      testing::error_code([&] { login().change_password("alice", "wrong password", "a brand new password", now()); }),
      "wrong-password");
  EXPECT_EQ(UserStore(db()).find("alice")->failed_logins, 1) << "a wrong old password counts as a failure";
  EXPECT_EQ(testing::error_code([&] { login().change_password("alice", kPassword, "short", now()); }),
            "password-rejected");
  EXPECT_EQ(testing::error_code([&] { login().change_password("alice", kPassword, "a brand new password", now()); }),
            "");
  EXPECT_EQ(login().attempt("alice", kPassword, now()).outcome, LoginOutcome::bad_credentials);
  EXPECT_EQ(login().attempt("alice", "a brand new password", now()).outcome, LoginOutcome::ok);
  for (int i = 0; i < 5; ++i) login().attempt("alice", "wrong password", now());
  EXPECT_EQ(
      testing::error_code([&] { login().change_password("alice", "a brand new password", "another password", now()); }),
      "account-locked");
}

TEST_P(LocalLoginTest, AnAdministratorsResetReplacesThePasswordAndLiftsTheLock) {
  for (int i = 0; i < 5; ++i) login().attempt("alice", "wrong password", now());
  login().set_password("alice", "reset by an admin", now());
  EXPECT_EQ(login().attempt("alice", "reset by an admin", now()).outcome, LoginOutcome::ok);
  EXPECT_EQ(testing::error_code([&] { login().set_password("nobody", "reset by an admin", now()); }), "user-not-found");
  EXPECT_EQ(testing::error_code([&] { login().set_password("alice", "alice", now()); }), "password-rejected");
}

TEST_P(LocalLoginTest, CreatingAUserChecksTheHandleBeforeThePassword) {
  NewUser u;
  u.handle = "Bad Name";
  EXPECT_EQ(testing::error_code([&] { login().create_user(u, "x", now()); }), "invalid-handle");
  u.handle = "bob";
  EXPECT_EQ(testing::error_code([&] { login().create_user(u, "bob", now()); }), "password-rejected");
  EXPECT_FALSE(UserStore(db()).find("bob")) << "nothing is kept of a refused user";
  u.handle = "alice";
  EXPECT_EQ(testing::error_code([&] { login().create_user(u, "a fine password", now()); }), "handle-taken");
}

TEST(PasswordHasher, DefaultParametersHashAndVerify) {
  const PasswordHasher hasher;  // libsodium's INTERACTIVE: the one test that pays for it
  EXPECT_EQ(hasher.parameters().opslimit, PasswordHashing::interactive().opslimit);
  EXPECT_EQ(hasher.parameters().memlimit, PasswordHashing::interactive().memlimit);
  const std::string hash = hasher.hash("a real password");
  EXPECT_EQ(hash.rfind("$argon2id$", 0), 0u) << hash;
  EXPECT_NE(hash.find("m=65536,t=2"), std::string::npos) << hash;
  EXPECT_TRUE(hasher.verify(hash, "a real password"));
  EXPECT_FALSE(hasher.verify(hash, "a real password."));
  EXPECT_NE(hasher.hash("a real password"), hash) << "a fresh salt each time";
  EXPECT_FALSE(hasher.needs_rehash(hash));
  EXPECT_TRUE(hasher.needs_rehash(PasswordHasher(PasswordHashing::minimum()).hash("x")));
}

TEST(PasswordHasher, AnythingButAnArgon2idHashNeverVerifies) {
  const PasswordHasher hasher(PasswordHashing::minimum());
  EXPECT_FALSE(hasher.verify("", ""));
  EXPECT_FALSE(hasher.verify("plaintext", "plaintext"));
  EXPECT_TRUE(hasher.needs_rehash("$argon2i$v=19$m=32768,t=4,p=1$c2FsdHNhbHQ$aGFzaGhhc2g"));
  EXPECT_THROW(PasswordHasher({0, 1}), Error);
}

MECAPY_ON_BOTH_DRIVERS(LocalLoginTest);

}  // namespace
}  // namespace mecapy::auth::accounts
