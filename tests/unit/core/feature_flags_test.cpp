#include "core/feature_flags.hpp"

#include <gtest/gtest.h>

using namespace mecapy;

TEST(FeatureFlags, OnOffAndUnknown) {
  FeatureFlags flags({{"on", true, 100}, {"off", false, 100}});
  EXPECT_TRUE(flags.enabled("on", ""));
  EXPECT_FALSE(flags.enabled("off", "alice"));
  EXPECT_FALSE(flags.enabled("missing", "alice"));
}

TEST(FeatureFlags, RolloutIsStableAndProportional) {
  FeatureFlags flags({{"beta", true, 30}});
  int in = 0;
  for (int i = 0; i < 2000; ++i) {
    const std::string user = "user-" + std::to_string(i);
    const bool first = flags.enabled("beta", user);
    EXPECT_EQ(first, flags.enabled("beta", user));  // stable
    in += first ? 1 : 0;
  }
  // 30 % of 2000 = 600; FNV-1a spreads user ids well enough for +-5 points.
  EXPECT_GT(in, 500);
  EXPECT_LT(in, 700);
  EXPECT_FALSE(flags.enabled("beta", ""));  // anonymous callers are not in partial rollouts
}

TEST(FeatureFlags, RaisingThePercentageOnlyAddsUsers) {
  FeatureFlags low({{"beta", true, 10}});
  FeatureFlags high({{"beta", true, 60}});
  for (int i = 0; i < 500; ++i) {
    const std::string user = "u" + std::to_string(i);
    if (low.enabled("beta", user)) {
      EXPECT_TRUE(high.enabled("beta", user)) << user;
    }
  }
}

TEST(FeatureFlags, Fnv1aKnownVectors) {
  // Reference values of the FNV-1a 64-bit hash (offset basis for "", and "a").
  EXPECT_EQ(fnv1a64(""), 0xcbf29ce484222325ull);
  EXPECT_EQ(fnv1a64("a"), 0xaf63dc4c8601ec8cull);
}
