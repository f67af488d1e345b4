// The bus in one process: every subscriber gets each event once, a destroyed
// subscription gets nothing more, a throwing subscriber harms nobody, and published
// events go to the relay while delivered ones do not.
#include "events/event_bus.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace mecapy::events {
namespace {

TEST(EventBus, EverySubscriberGetsEachEventOnce) {
  EventBus bus;
  std::vector<std::string> a, b;
  auto sa = bus.subscribe([&](const Event& e) { a.push_back(e.type + ":" + e.subject + ":" + e.owner); });
  auto sb = bus.subscribe([&](const Event& e) { b.push_back(e.subject); });
  bus.publish({"job.queued", "j1", "alice"});
  bus.publish({"job.finished", "j1", "alice"});
  EXPECT_EQ(a, (std::vector<std::string>{"job.queued:j1:alice", "job.finished:j1:alice"}));
  EXPECT_EQ(b, (std::vector<std::string>{"j1", "j1"}));
}

TEST(EventBus, ADestroyedSubscriptionGetsNothingMore) {
  EventBus bus;
  int calls = 0;
  {
    auto subscription = bus.subscribe([&](const Event&) { ++calls; });
    bus.publish({"job.queued", "j1", "alice"});
    Subscription moved = std::move(subscription);
    bus.publish({"job.queued", "j2", "alice"});
  }
  bus.publish({"job.queued", "j3", "alice"});
  EXPECT_EQ(calls, 2);
}

TEST(EventBus, AThrowingSubscriberDoesNotStopTheOthers) {
  EventBus bus;
  int calls = 0;
  auto bad = bus.subscribe([](const Event&) { throw std::runtime_error("bad subscriber"); });
  auto good = bus.subscribe([&](const Event&) { ++calls; });
  bus.publish({"job.queued", "j1", "alice"});
  EXPECT_EQ(calls, 1);
}

TEST(EventBus, PublishedEventsGoToTheRelayDeliveredOnesDoNot) {
  EventBus bus;
  std::vector<std::string> relayed;
  int local = 0;
  bus.set_relay([&](const Event& e) { relayed.push_back(e.subject); });
  auto subscription = bus.subscribe([&](const Event&) { ++local; });
  bus.publish({"job.queued", "mine", "alice"});
  bus.deliver({"job.queued", "theirs", "bob"});
  EXPECT_EQ(relayed, std::vector<std::string>{"mine"});
  EXPECT_EQ(local, 2);
}

TEST(EventBus, AFailingRelayStillDeliversLocally) {
  EventBus bus;
  int local = 0;
  bus.set_relay([](const Event&) { throw std::runtime_error("database down"); });
  auto subscription = bus.subscribe([&](const Event&) { ++local; });
  bus.publish({"job.queued", "j1", "alice"});
  EXPECT_EQ(local, 1);
}

}  // namespace
}  // namespace mecapy::events
