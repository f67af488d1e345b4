#include "core/ids.hpp"

#include <gtest/gtest.h>

#include <regex>
#include <set>

using namespace mecapy;

TEST(Ids, UuidIsVersion4AndUnique) {
  const std::regex shape("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$");
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    const auto id = new_uuid();
    EXPECT_TRUE(std::regex_match(id, shape)) << id;
    seen.insert(id);
  }
  EXPECT_EQ(seen.size(), 1000u);
}

TEST(Ids, RandomHexLength) { EXPECT_EQ(random_hex(16).size(), 32u); }

TEST(Ids, ExternalIdsAreFiltered) {
  EXPECT_TRUE(is_safe_external_id("abc-123_X.y:z"));
  EXPECT_FALSE(is_safe_external_id(""));
  EXPECT_FALSE(is_safe_external_id("a b"));
  EXPECT_FALSE(is_safe_external_id("a\"}{"));
  EXPECT_FALSE(is_safe_external_id("line\nbreak"));
  EXPECT_FALSE(is_safe_external_id(std::string(129, 'a')));
}
