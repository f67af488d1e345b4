// The relay over a real PostgreSQL: what one process publishes reaches another's
// subscribers once, never comes back to its own twice, survives a server restart
// (the listener reconnects), and payloads that are not ours are ignored.
#include "events/postgres_relay.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

#include "core/ids.hpp"
#include "support/postgres_peer.hpp"

namespace mecapy::events {
namespace {

using namespace std::chrono_literals;

// Collects the subjects a bus delivers.
class Inbox {
 public:
  explicit Inbox(EventBus& bus)
      : subscription_(bus.subscribe([this](const Event& e) {
          std::lock_guard lock(mutex_);
          subjects_.push_back(e.subject);
          arrived_.notify_all();
        })) {}
  bool wait_for(const std::string& subject, std::chrono::milliseconds timeout = 10s) {
    std::unique_lock lock(mutex_);
    return arrived_.wait_for(lock, timeout,
                             [&] { return std::find(subjects_.begin(), subjects_.end(), subject) != subjects_.end(); });
  }
  std::size_t count(const std::string& subject) {
    std::lock_guard lock(mutex_);
    return static_cast<std::size_t>(std::count(subjects_.begin(), subjects_.end(), subject));
  }

 private:
  std::mutex mutex_;
  std::condition_variable arrived_;
  std::vector<std::string> subjects_;
  Subscription subscription_;
};

bool eventually_listening(const PostgresRelay& relay) {
  for (int i = 0; i < 200 && !relay.listening(); ++i) std::this_thread::sleep_for(50ms);
  return relay.listening();
}

class RelayTest : public ::testing::Test {
 protected:
  void SetUp() override {
    url_ = test_peers::PostgresPeer::instance().create_database("events_" + random_hex(4));
    database_ = db::open_database(url_, 4);
  }
  std::string url_;
  std::unique_ptr<db::Database> database_;
};

TEST_F(RelayTest, AnEventPublishedInOneProcessReachesTheOtherOnce) {
  EventBus bus_a, bus_b;
  PostgresRelay relay_a(bus_a, *database_, url_);
  PostgresRelay relay_b(bus_b, *database_, url_);
  ASSERT_TRUE(eventually_listening(relay_a) && eventually_listening(relay_b));
  Inbox inbox_a(bus_a), inbox_b(bus_b);
  bus_a.publish({"job.queued", "j1", "alice"});
  ASSERT_TRUE(inbox_b.wait_for("j1"));
  // A marker sent after it, once seen by A, proves A had time to see its own again.
  bus_b.publish({"job.queued", "marker", "alice"});
  ASSERT_TRUE(inbox_a.wait_for("marker"));
  EXPECT_EQ(inbox_a.count("j1"), 1u) << "its own notification is not delivered twice";
  EXPECT_EQ(inbox_b.count("j1"), 1u);
}

TEST_F(RelayTest, TheListenerReconnectsAfterTheServerRestarts) {
  EventBus bus_a, bus_b;
  PostgresRelay relay_a(bus_a, *database_, url_);
  PostgresRelay relay_b(bus_b, *database_, url_);
  ASSERT_TRUE(eventually_listening(relay_b));
  Inbox inbox_b(bus_b);
  test_peers::PostgresPeer::instance().restart();
  // Publishing fails while the server is away; keep publishing until one arrives.
  bool arrived = false;
  for (int i = 0; i < 60 && !arrived; ++i) {
    bus_a.publish({"job.queued", "after-restart", "alice"});
    arrived = inbox_b.wait_for("after-restart", 500ms);
  }
  EXPECT_TRUE(arrived);
}

TEST(RelayPayload, RoundTripsAndRefusesWhatIsNotOurs) {
  std::string origin;
  Event event;
  ASSERT_TRUE(PostgresRelay::decode(PostgresRelay::encode("o1", {"job.output", "j\"1", "al\nice"}), origin, event));
  EXPECT_EQ(origin, "o1");
  EXPECT_EQ(event.type, "job.output");
  EXPECT_EQ(event.subject, "j\"1");
  EXPECT_EQ(event.owner, "al\nice");
  EXPECT_FALSE(PostgresRelay::decode("not json", origin, event));
  EXPECT_FALSE(PostgresRelay::decode(R"({"o":"x","t":1,"s":"a","u":"b"})", origin, event));
  EXPECT_FALSE(PostgresRelay::decode(R"(["o"])", origin, event));
}

}  // namespace
}  // namespace mecapy::events
