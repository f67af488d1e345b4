// The audit log on both drivers: events stored with their detail, newest first, in
// pages with a total, filtered by actor, action and time.
#include "auth/accounts/audit_log.hpp"

#include "accounts_fixture.hpp"
#include "core/errors.hpp"

namespace mecapy::auth::accounts {
namespace {

using namespace std::chrono_literals;

class AuditLogTest : public testing::AccountsTest {
 protected:
  AuditEvent event(const std::string& actor, std::string_view action) {
    AuditEvent e;
    e.actor = actor;
    e.action = std::string(action);
    e.target = "target-of-" + actor;
    return e;
  }
};

TEST_P(AuditLogTest, AnEventIsStoredWithEverything) {
  AuditLog log(db());
  auto e = event("alice", audit_action::login_failed);
  e.outcome = "failure";
  e.ip = "192.0.2.7";
  e.request_id = "req-1";
  e.detail = {{"reason", "bad_credentials"}, {"attempt", 3}};
  const auto recorded = log.record(e, now());
  EXPECT_GT(recorded.id, 0);
  EXPECT_EQ(recorded.at, "2030-01-01T00:00:00.000Z");
  const auto page = log.list({});
  ASSERT_EQ(page.items.size(), 1u);
  const auto& stored = page.items[0];
  EXPECT_EQ(stored.id, recorded.id);
  EXPECT_EQ(stored.actor, "alice");
  EXPECT_EQ(stored.action, "login_failed");
  EXPECT_EQ(stored.target, "target-of-alice");
  EXPECT_EQ(stored.outcome, "failure");
  EXPECT_EQ(stored.ip, "192.0.2.7");
  EXPECT_EQ(stored.request_id, "req-1");
  EXPECT_EQ(stored.detail.at("reason").as_string(), "bad_credentials");
  EXPECT_EQ(stored.detail.at("attempt").as_int64(), 3);
}

TEST_P(AuditLogTest, EventsPageNewestFirstWithTheirTotal) {
  AuditLog log(db());
  for (int i = 0; i < 25; ++i) {
    auto e = event("alice", audit_action::token_created);
    e.detail = {{"n", i}};
    log.record(e, now());  // all in the same millisecond: the id orders them
  }
  const auto first = log.list({{1, 10}, "", "", std::nullopt});
  EXPECT_EQ(first.total, 25);
  ASSERT_EQ(first.items.size(), 10u);
  EXPECT_EQ(first.items[0].detail.at("n").as_int64(), 24);
  EXPECT_EQ(first.items[9].detail.at("n").as_int64(), 15);
  const auto last = log.list({{3, 10}, "", "", std::nullopt});
  ASSERT_EQ(last.items.size(), 5u);
  EXPECT_EQ(last.items[4].detail.at("n").as_int64(), 0);
  EXPECT_TRUE(log.list({{4, 10}, "", "", std::nullopt}).items.empty());
  EXPECT_THROW(log.list({{0, 10}, "", "", std::nullopt}), Error);
}

TEST_P(AuditLogTest, FiltersByActorActionAndTime) {
  AuditLog log(db());
  log.record(event("alice", audit_action::login), now());
  advance(1h);
  log.record(event("bob", audit_action::login), now());
  log.record(event("alice", audit_action::logout), now());
  advance(1h);
  log.record(event("system", audit_action::user_created), now());

  const auto alices = log.list({{1, 20}, "alice", "", std::nullopt});
  EXPECT_EQ(alices.total, 2);
  EXPECT_EQ(alices.items[0].action, "logout");
  EXPECT_EQ(log.list({{1, 20}, "", "login", std::nullopt}).total, 2);
  EXPECT_EQ(log.list({{1, 20}, "alice", "login", std::nullopt}).total, 1);
  const auto recent = log.list({{1, 20}, "", "", now() - 1h});
  EXPECT_EQ(recent.total, 3) << "since is inclusive";
  EXPECT_EQ(recent.items.back().actor, "bob");
  EXPECT_EQ(log.list({{1, 20}, "nobody", "", std::nullopt}).total, 0);
}

TEST_P(AuditLogTest, AnEventNeedsAnActorAndAnAction) {
  AuditLog log(db());
  EXPECT_THROW(log.record(event("", audit_action::login), now()), Error);
  EXPECT_THROW(log.record(event("alice", ""), now()), Error);
  EXPECT_EQ(log.list({}).total, 0);
}

MECAPY_ON_BOTH_DRIVERS(AuditLogTest);

}  // namespace
}  // namespace mecapy::auth::accounts
