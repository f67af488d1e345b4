// closest_name: Damerau–Levenshtein distance, ASCII case ignored, a third of the length.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "packages/did_you_mean.hpp"

namespace mecapy::packages {
namespace {

TEST(EditDistance, CountsInsertionsDeletionsSubstitutionsAndTranspositions) {
  EXPECT_EQ(edit_distance("", ""), 0u);
  EXPECT_EQ(edit_distance("abc", ""), 3u);
  EXPECT_EQ(edit_distance("", "ab"), 2u);
  EXPECT_EQ(edit_distance("Force", "Forse"), 1u);    // substitution
  EXPECT_EQ(edit_distance("Lenght", "Length"), 1u);  // transposition
  EXPECT_EQ(edit_distance("mmm", "mm"), 1u);         // deletion
  EXPECT_EQ(edit_distance("kitten", "sitting"), 3u);
  EXPECT_EQ(edit_distance("FORCE", "force"), 0u);
  EXPECT_EQ(edit_distance("ca", "abc"), 3u);  // optimal string alignment: no edit of a transposed pair
}

TEST(ClosestName, FindsTheNearestCandidateWithinAThirdOfTheLength) {
  const std::vector<std::string> names{"Length", "Force", "Float", "Frequency", "Moment"};
  EXPECT_EQ(closest_name("Forse", names), "Force");
  EXPECT_EQ(closest_name("force", names), "Force");
  EXPECT_EQ(closest_name("Lenght", names), "Length");
  EXPECT_EQ(closest_name("Flot", names), "Float");
  EXPECT_EQ(closest_name("Frequncy", names), "Frequency");
  EXPECT_EQ(closest_name("Stress", names), std::nullopt);
  EXPECT_EQ(closest_name("Fxxxx", names), std::nullopt);
  EXPECT_EQ(closest_name("", names), std::nullopt);
  EXPECT_EQ(closest_name("Force", {}), std::nullopt);
}

TEST(ClosestName, ShortNamesMatchOnlyByCase) {
  const std::vector<std::string> units{"mm", "N", "kN", "Pa"};
  EXPECT_EQ(closest_name("n", units), "N");
  EXPECT_EQ(closest_name("KN", units), "kN");
  EXPECT_EQ(closest_name("x", units), std::nullopt);
  EXPECT_EQ(closest_name("mmm", units), "mm");
}

TEST(ClosestName, TiesGoToTheEarlierCandidate) {
  EXPECT_EQ(closest_name("Mass", {"Masss", "Maso"}), "Masss");
  EXPECT_EQ(closest_name("Mass", {"Maso", "Masss"}), "Maso");
}

TEST(ClosestName, VeryLongInputIsNotCompared) {
  EXPECT_EQ(closest_name(std::string(100000, 'a'), {std::string(100000, 'a')}), std::nullopt);
}

}  // namespace
}  // namespace mecapy::packages
