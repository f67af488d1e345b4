// Browser sessions on both drivers: creation (the id is never stored), absolute and
// idle expiry, the throttled touch, provider tokens, logout, purging.
#include "auth/accounts/session_store.hpp"

#include "accounts_fixture.hpp"
#include "auth/accounts/user_store.hpp"
#include "core/errors.hpp"

namespace mecapy::auth::accounts {
namespace {

using namespace std::chrono_literals;

class SessionStoreTest : public testing::AccountsTest {
 protected:
  void SetUp() override {
    AccountsTest::SetUp();
    create_users({"alice", "bob"});
  }

  NewSession session(const std::string& user, std::chrono::seconds ttl = 8h, std::chrono::seconds idle = 1h) {
    NewSession s;
    s.user_id = user;
    s.provider = "local";
    s.ttl = ttl;
    s.idle_timeout = idle;
    return s;
  }

  std::int64_t stored_sessions() { return db().execute("SELECT COUNT(*) FROM sessions").rows.at(0).int64(0); }
};

TEST_P(SessionStoreTest, ASessionIsFoundByItsIdWhichIsNeverStored) {
  SessionStore sessions(db());
  auto s = session("alice");
  s.provider = "oidc";
  s.tokens = {"refresh-1", "id-token-1", "2030-01-01T00:05:00.000Z"};
  const auto created = sessions.create(s, now());
  EXPECT_EQ(created.id.size(), 43u);
  EXPECT_EQ(created.csrf_token.size(), 43u);
  EXPECT_NE(created.id, created.csrf_token);
  const auto stored = db().execute("SELECT id_hash FROM sessions").rows.at(0).text(0);
  EXPECT_EQ(stored.size(), 64u);
  EXPECT_NE(stored, created.id);

  const auto found = sessions.find(created.id, now() + 1min);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->user_id, "alice");
  EXPECT_EQ(found->provider, "oidc");
  EXPECT_EQ(found->csrf_token, created.csrf_token);
  EXPECT_EQ(found->tokens.refresh_token, "refresh-1");
  EXPECT_EQ(found->tokens.id_token, "id-token-1");
  EXPECT_EQ(found->tokens.access_expires_at, "2030-01-01T00:05:00.000Z");
  EXPECT_EQ(found->expires_at, "2030-01-01T08:00:00.000Z");
  EXPECT_FALSE(sessions.find(stored, now())) << "the stored digest is no session id";
  EXPECT_FALSE(sessions.find(created.csrf_token, now()));
  EXPECT_FALSE(sessions.find("", now()));
}

TEST_P(SessionStoreTest, ASessionEndsAtItsExpiryEvenInUse) {
  SessionStore sessions(db());
  const auto created = sessions.create(session("alice", 2h, 1h), now());
  for (int i = 0; i < 4; ++i) {
    advance(30min);
    EXPECT_EQ(sessions.find(created.id, now()).has_value(), i < 3) << "after " << (i + 1) * 30 << " minutes";
  }
  EXPECT_EQ(stored_sessions(), 0) << "an ended session found is deleted";
}

TEST_P(SessionStoreTest, AnIdleSessionEndsAndUseKeepsItAlive) {
  SessionStore sessions(db());
  const auto kept = sessions.create(session("alice", 8h, 10min), now());
  const auto idle = sessions.create(session("alice", 8h, 10min), now());
  for (int i = 0; i < 5; ++i) {
    advance(5min);
    ASSERT_TRUE(sessions.find(kept.id, now())) << i;
  }
  EXPECT_FALSE(sessions.find(idle.id, now())) << "25 minutes unused";
  advance(9min);
  EXPECT_TRUE(sessions.find(kept.id, now()));
  advance(10min);
  EXPECT_FALSE(sessions.find(kept.id, now()));
}

TEST_P(SessionStoreTest, UseIsNotedAtMostOnceAMinute) {
  SessionStore sessions(db());
  const auto created = sessions.create(session("alice"), now());
  advance(30s);
  EXPECT_EQ(sessions.find(created.id, now())->last_seen_at, "2030-01-01T00:00:00.000Z") << "no write yet";
  advance(30s);
  EXPECT_EQ(sessions.find(created.id, now())->last_seen_at, "2030-01-01T00:01:00.000Z");
  EXPECT_EQ(db().execute("SELECT last_seen_at FROM sessions").rows.at(0).text(0), "2030-01-01T00:01:00.000Z");
}

TEST_P(SessionStoreTest, ProviderTokensAreReplacedAfterARefresh) {
  SessionStore sessions(db());
  auto s = session("alice");
  s.provider = "oidc";
  s.tokens = {"refresh-1", "id-1", "2030-01-01T00:05:00.000Z"};
  const auto created = sessions.create(s, now());
  EXPECT_TRUE(sessions.update_provider_tokens(created.id, {"refresh-2", "id-2", "2030-01-01T00:10:00.000Z"}));
  const auto found = sessions.find(created.id, now());
  EXPECT_EQ(found->tokens.refresh_token, "refresh-2");
  EXPECT_EQ(found->tokens.id_token, "id-2");
  EXPECT_EQ(found->tokens.access_expires_at, "2030-01-01T00:10:00.000Z");
  EXPECT_FALSE(sessions.update_provider_tokens(std::string(43, 'x'), {}));
}

TEST_P(SessionStoreTest, LogoutEndsOneSessionOrAllOfAUser) {
  SessionStore sessions(db());
  const auto a1 = sessions.create(session("alice"), now());
  const auto a2 = sessions.create(session("alice"), now());
  const auto b1 = sessions.create(session("bob"), now());
  EXPECT_TRUE(sessions.destroy(a1.id));
  EXPECT_FALSE(sessions.destroy(a1.id));
  EXPECT_FALSE(sessions.find(a1.id, now()));
  EXPECT_TRUE(sessions.find(a2.id, now()));
  EXPECT_EQ(sessions.destroy_all("alice"), 1u);
  EXPECT_FALSE(sessions.find(a2.id, now()));
  EXPECT_TRUE(sessions.find(b1.id, now())) << "other users keep theirs";
}

TEST_P(SessionStoreTest, PurgingDeletesEndedSessionsOnly) {
  SessionStore sessions(db());
  sessions.create(session("alice", 1h, 1h), now());
  sessions.create(session("alice", 8h, 10min), now());
  const auto live = sessions.create(session("bob", 8h, 2h), now());
  EXPECT_EQ(sessions.purge_expired(now() + 30min), 1u) << "the idle one";
  EXPECT_EQ(sessions.purge_expired(now() + 1h), 1u) << "the expired one";
  EXPECT_EQ(sessions.purge_expired(now() + 1h), 0u);
  EXPECT_TRUE(sessions.find(live.id, now() + 1h));
}

TEST_P(SessionStoreTest, InvalidSessionsAreRefused) {
  SessionStore sessions(db());
  auto s = session("alice");
  s.provider = "saml";
  EXPECT_THROW(sessions.create(s, now()), Error);
  EXPECT_THROW(sessions.create(session("alice", 0s), now()), Error);
  EXPECT_THROW(sessions.create(session("alice", 1h, 0s), now()), Error);
  EXPECT_THROW(sessions.create(session("nobody"), now()), Error) << "a session belongs to a user";
  EXPECT_EQ(stored_sessions(), 0);
}

MECAPY_ON_BOTH_DRIVERS(SessionStoreTest);

}  // namespace
}  // namespace mecapy::auth::accounts
