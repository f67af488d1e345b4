// OIDC login states on both drivers: stored hashed, taken once (also by two threads
// at once, on two connection pools), never after their expiry.
#include "auth/accounts/login_state_store.hpp"

#include <atomic>
#include <thread>

#include "accounts_fixture.hpp"
#include "core/errors.hpp"

namespace mecapy::auth::accounts {
namespace {

using namespace std::chrono_literals;

class LoginStateTest : public testing::AccountsTest {};

TEST_P(LoginStateTest, AStateGivesItsLoginBackOnce) {
  LoginStateStore states(db());
  const std::string state = states.put("verifier-1", "nonce-1", "/jobs", 10min, now());
  EXPECT_EQ(state.size(), 43u);
  EXPECT_NE(db().execute("SELECT state_hash FROM login_states").rows.at(0).text(0), state) << "stored hashed";
  const auto taken = states.take(state, now() + 1min);
  ASSERT_TRUE(taken);
  EXPECT_EQ(taken->code_verifier, "verifier-1");
  EXPECT_EQ(taken->nonce, "nonce-1");
  EXPECT_EQ(taken->return_to, "/jobs");
  EXPECT_FALSE(states.take(state, now() + 1min)) << "a replayed state gets nothing";
  EXPECT_FALSE(states.take("unknown", now()));
  EXPECT_FALSE(states.take(std::string(43, 'a'), now()));
}

TEST_P(LoginStateTest, AnExpiredStateGivesNothingAndIsGone) {
  LoginStateStore states(db());
  const std::string state = states.put("v", "n", "", 10min, now());
  EXPECT_FALSE(states.take(state, now() + 10min));
  EXPECT_EQ(db().execute("SELECT COUNT(*) FROM login_states").rows.at(0).int64(0), 0);
}

TEST_P(LoginStateTest, PurgingRemovesAbandonedLogins) {
  LoginStateStore states(db());
  states.put("v1", "n1", "", 5min, now());
  const std::string live = states.put("v2", "n2", "", 20min, now());
  EXPECT_EQ(states.purge_expired(now() + 10min), 1u);
  EXPECT_TRUE(states.take(live, now() + 10min));
}

TEST_P(LoginStateTest, InvalidLoginsAreRefused) {
  LoginStateStore states(db());
  EXPECT_THROW(states.put("", "n", "", 10min, now()), Error);
  EXPECT_THROW(states.put("v", "", "", 10min, now()), Error);
  EXPECT_THROW(states.put("v", "n", "", 0s, now()), Error);
}

TEST_P(LoginStateTest, OfTwoConcurrentTakesOneGetsTheLogin) {
  const auto other = open_another();
  LoginStateStore first(db()), second(*other);
  for (int round = 0; round < 20; ++round) {
    const std::string state = first.put("v" + std::to_string(round), "n", "", 10min, now());
    std::atomic<int> ready{0};
    std::atomic<int> winners{0};
    auto take = [&](LoginStateStore& store) {
      ++ready;
      while (ready < 2) std::this_thread::yield();
      if (store.take(state, now())) ++winners;
    };
    std::thread a(take, std::ref(first));
    std::thread b(take, std::ref(second));
    a.join();
    b.join();
    EXPECT_EQ(winners, 1) << "round " << round;
  }
}

MECAPY_ON_BOTH_DRIVERS(LoginStateTest);

}  // namespace
}  // namespace mecapy::auth::accounts
