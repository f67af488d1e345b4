// What `mecapy deploy` leaves out of a package directory: the built-in list and the
// directory's .gitignore patterns.
#include "cli/package_archive.hpp"

#include <gtest/gtest.h>

namespace mecapy::cli {
namespace {

TEST(Excluded, BuiltInList) {
  EXPECT_TRUE(excluded(".git", true, {}));
  EXPECT_TRUE(excluded("pkg/__pycache__", true, {}));
  EXPECT_TRUE(excluded("pkg/calc.cpython-311.pyc", false, {}));
  EXPECT_FALSE(excluded("pkg/calc.py", false, {}));
  EXPECT_FALSE(excluded("__pycache__", false, {}));  // a file of that name is a file
}

TEST(Excluded, NamePatternsMatchAtAnyDepth) {
  const std::vector<std::string> patterns{"*.log", "scratch"};
  EXPECT_TRUE(excluded("run.log", false, patterns));
  EXPECT_TRUE(excluded("deep/er/run.log", false, patterns));
  EXPECT_TRUE(excluded("a/scratch", true, patterns));
  EXPECT_TRUE(excluded("a/scratch", false, patterns));
  EXPECT_FALSE(excluded("run.log.py", false, patterns));
}

TEST(Excluded, TrailingSlashMeansDirectoriesOnly) {
  const std::vector<std::string> patterns{"build/"};
  EXPECT_TRUE(excluded("build", true, patterns));
  EXPECT_TRUE(excluded("sub/build", true, patterns));
  EXPECT_FALSE(excluded("build", false, patterns));
}

TEST(Excluded, PatternsWithASlashAreAnchored) {
  const std::vector<std::string> patterns{"/data/*.csv", "docs/draft"};
  EXPECT_TRUE(excluded("data/big.csv", false, patterns));
  EXPECT_FALSE(excluded("pkg/data/big.csv", false, patterns));
  EXPECT_FALSE(excluded("data/sub/big.csv", false, patterns));  // '*' does not cross '/'
  EXPECT_TRUE(excluded("docs/draft", true, patterns));
  EXPECT_FALSE(excluded("pkg/docs/draft", true, patterns));
}

}  // namespace
}  // namespace mecapy::cli
