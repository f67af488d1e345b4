#include "core/periodic_task.hpp"

#include <gtest/gtest.h>

#include <atomic>

using namespace mecapy;
using namespace std::chrono_literals;

TEST(PeriodicTask, RunsAtOnceAndRepeatedlyThenStops) {
  std::atomic<int> runs{0};
  {
    PeriodicTask task("test", 5ms, [&] {
      if (++runs == 2) throw std::runtime_error("a failing run does not stop the task");
    });
    while (runs < 4) std::this_thread::sleep_for(1ms);
  }
  const int after_stop = runs;
  std::this_thread::sleep_for(30ms);
  EXPECT_EQ(runs, after_stop);  // nothing runs once destroyed
}

TEST(PeriodicTask, DestructionDoesNotWaitForThePeriod) {
  std::atomic<int> runs{0};
  const auto start = std::chrono::steady_clock::now();
  {
    PeriodicTask task("slow", 1h, [&] { ++runs; });
    while (runs == 0) std::this_thread::sleep_for(1ms);
  }
  EXPECT_LT(std::chrono::steady_clock::now() - start, 30s);  // generous: only proves it is not the hour
}
