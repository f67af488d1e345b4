// The handle rules: the characters, the length, the reserved names, and how a
// provider's username becomes a handle.
#include "auth/accounts/handles.hpp"

#include <gtest/gtest.h>

#include "core/errors.hpp"

namespace mecapy::auth::accounts {
namespace {

std::string refusal(std::string_view handle, bool allow_admin = false) {
  try {
    check_new_handle(handle, allow_admin);
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::invalid_input);
    EXPECT_EQ(e.code(), "invalid-handle");
    return e.what();
  }
  return "";
}

TEST(Handles, WellFormedHandlesAreLowercaseLettersDigitsAndSeparators) {
  for (const char* ok : {"a", "alice", "bob-smith", "j.doe", "x_1", "0day"})
    EXPECT_TRUE(is_well_formed_handle(ok)) << ok;
  EXPECT_TRUE(is_well_formed_handle(std::string(39, 'a')));
  for (const char* bad : {"", "Alice", "-alice", ".alice", "_x", "a b", "a/b", "caf\xc3\xa9", "a@b"})
    EXPECT_FALSE(is_well_formed_handle(bad)) << bad;
  EXPECT_FALSE(is_well_formed_handle(std::string(40, 'a'))) << "at most 39 characters";
}

TEST(Handles, NewHandlesAreRefusedWithTheRuleTheyBreak) {
  EXPECT_EQ(refusal("alice"), "");
  EXPECT_NE(refusal("").find("empty"), std::string::npos);
  EXPECT_NE(refusal(std::string(40, 'a')).find("too long"), std::string::npos);
  EXPECT_NE(refusal("Alice").find("lowercase"), std::string::npos) << "uppercase is refused, not folded";
  EXPECT_NE(refusal("a/b").find("lowercase letters"), std::string::npos);
}

TEST(Handles, ReservedNamesAreRefusedAndAdminOnlyForTheBootstrap) {
  for (const char* reserved : {"anonymous", "api", "auth", "system", "me", "root", "admin"}) {
    EXPECT_TRUE(is_reserved_handle(reserved)) << reserved;
    EXPECT_NE(refusal(reserved).find("reserved"), std::string::npos) << reserved;
  }
  EXPECT_EQ(refusal("admin", true), "") << "the bootstrap administrator may be `admin`";
  EXPECT_NE(refusal("root", true), "") << "and nothing else reserved";
  EXPECT_FALSE(is_reserved_handle("administrator"));
}

TEST(Handles, SanitizingMakesAWellFormedHandleOrNothing) {
  EXPECT_EQ(sanitize_handle("Alice"), "alice");
  EXPECT_EQ(sanitize_handle("John Smith"), "john-smith");
  EXPECT_EQ(sanitize_handle("  --John@@Smith!!  "), "john-smith") << "runs fold, ends are trimmed";
  EXPECT_EQ(sanitize_handle("j.doe_2"), "j.doe_2");
  EXPECT_EQ(sanitize_handle("Ren\xc3\xa9"), "ren") << "non-ASCII is dropped";
  EXPECT_EQ(sanitize_handle("@@@"), "");
  EXPECT_EQ(sanitize_handle("\xe5\xbc\xa0\xe4\xbc\x9f"), "");
  const std::string cut = sanitize_handle(std::string(30, 'a') + "-" + std::string(30, 'b'));
  EXPECT_EQ(cut.size(), kMaxHandleLength);
  EXPECT_TRUE(is_well_formed_handle(cut));
  EXPECT_EQ(sanitize_handle(std::string(38, 'a') + ".b"), std::string(38, 'a')) << "no trailing separator after a cut";
  EXPECT_EQ(sanitize_handle("abcdef", 3), "abc");
}

}  // namespace
}  // namespace mecapy::auth::accounts
