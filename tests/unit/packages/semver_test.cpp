// Semver: the grammar of semver.org (its lists of valid and invalid versions), the
// precedence rules with the specification's own example chain, the messages that say
// what to write instead, the 64-bit limit, and the round trip through to_string().
#include "packages/semver.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace mecapy::packages {
namespace {

Semver v(std::string_view text) {
  auto parsed = Semver::parse(text);
  EXPECT_TRUE(parsed.has_value()) << text << ": " << Semver::problem(text);
  return parsed.value_or(Semver{});
}

TEST(Semver, ReadsTheParts) {
  const Semver s = v("1.20.300-rc.1.x-y+build.007.sha-5");
  EXPECT_EQ(s.major, 1u);
  EXPECT_EQ(s.minor, 20u);
  EXPECT_EQ(s.patch, 300u);
  EXPECT_EQ(s.prerelease, (std::vector<std::string>{"rc", "1", "x-y"}));
  EXPECT_EQ(s.build, (std::vector<std::string>{"build", "007", "sha-5"}));
}

// The valid examples published with semver.org's grammar (its regular expression
// test list), except the one whose numbers exceed 64 bits (see TooLargeNumbers).
TEST(Semver, AcceptsTheValidExamplesOfSemverOrg) {
  for (const char* text : {"0.0.4",
                           "1.2.3",
                           "10.20.30",
                           "1.1.2-prerelease+meta",
                           "1.1.2+meta",
                           "1.1.2+meta-valid",
                           "1.0.0-alpha",
                           "1.0.0-beta",
                           "1.0.0-alpha.beta",
                           "1.0.0-alpha.beta.1",
                           "1.0.0-alpha.1",
                           "1.0.0-alpha0.valid",
                           "1.0.0-alpha.0valid",
                           "1.0.0-alpha-a.b-c-somethinglong+build.1-aef.1-its-okay",
                           "1.0.0-rc.1+build.1",
                           "2.0.0-rc.1+build.123",
                           "1.2.3-beta",
                           "10.2.3-DEV-SNAPSHOT",
                           "1.2.3-SNAPSHOT-123",
                           "1.0.0",
                           "2.0.0",
                           "1.1.7",
                           "2.0.0+build.1848",
                           "2.0.1-alpha.1227",
                           "1.0.0-alpha+beta",
                           "1.2.3----RC-SNAPSHOT.12.9.1--.12+788",
                           "1.2.3----R-S.12.9.1--.12+meta",
                           "1.2.3----RC-SNAPSHOT.12.9.1--.12",
                           "1.0.0+0.build.1-rc.10000aaa-kk-0.1",
                           "1.0.0-0A.is.legal"}) {
    EXPECT_TRUE(Semver::parse(text).has_value()) << text << ": " << Semver::problem(text);
    EXPECT_EQ(Semver::problem(text), "") << text;
  }
}

TEST(Semver, RefusesTheInvalidExamplesOfSemverOrg) {
  for (const std::string& text : std::vector<std::string>{
           "1",
           "1.2",
           "1.2.3-0123",
           "1.2.3-0123.0123",
           "1.1.2+.123",
           "+invalid",
           "-invalid",
           "-invalid+invalid",
           "-invalid.01",
           "alpha",
           "alpha.beta",
           "alpha.beta.1",
           "alpha.1",
           "alpha+beta",
           "alpha_beta",
           "alpha.",
           "alpha..",
           "beta",
           "1.0.0-alpha_beta",
           "-alpha.",
           "1.0.0-alpha..",
           "1.0.0-alpha..1",
           "1.0.0-alpha...1",
           "1.0.0-alpha....1",
           "1.0.0-alpha.....1",
           "1.0.0-alpha......1",
           "1.0.0-alpha.......1",
           "01.1.1",
           "1.01.1",
           "1.1.01",
           "1.2.3.DEV",
           "1.2-SNAPSHOT",
           "1.2.31.2.3----RC-SNAPSHOT.12.09.1--..12+788",
           "1.2-RC-SNAPSHOT",
           "-1.0.3-gamma+b7718",
           "+justmeta",
           "9.8.7+meta+meta",
           "9.8.7-whatever+meta+meta",
           std::string("99999999999999999999999.999999999999999999.99999999999999999----RC-SNAPSHOT.12.09.1") +
               std::string(32, '-') + "..12"}) {
    EXPECT_FALSE(Semver::parse(text).has_value()) << text;
    EXPECT_NE(Semver::problem(text), "") << text;
  }
  for (const char* text : {"", " 1.0.0", "1.0.0 ", "v1.0.0", "1.0.0-", "1.0.0+", "1.0.0-a+", "1..0", "1.0.x"}) {
    EXPECT_FALSE(Semver::parse(text).has_value()) << "'" << text << "'";
  }
}

TEST(Semver, ProblemsSayWhatToWriteInstead) {
  EXPECT_EQ(Semver::problem("1.2"), "'1.2' is not a semantic version: write MAJOR.MINOR.PATCH, e.g. 1.2.0");
  EXPECT_EQ(Semver::problem("3"), "'3' is not a semantic version: write MAJOR.MINOR.PATCH, e.g. 3.0.0");
  EXPECT_EQ(Semver::problem("v1.2.0"), "'v1.2.0': drop the 'v' (write 1.2.0)");
  EXPECT_EQ(Semver::problem("1.02.0"), "'1.02.0': the minor version has a leading zero; write 1.2.0");
  EXPECT_EQ(Semver::problem("00.1.0-rc+b"), "'00.1.0-rc+b': the major version has a leading zero; write 0.1.0-rc+b");
  EXPECT_EQ(Semver::problem("1.0.0-alpha..1"),
            "'1.0.0-alpha..1': an empty pre-release identifier; identifiers are separated by single dots and none "
            "is empty, e.g. alpha.1");
  EXPECT_EQ(Semver::problem("1.0.0-rc.01+b.01"),
            "'1.0.0-rc.01+b.01': the pre-release identifier '01' has a leading zero; write 1.0.0-rc.1+b.01");
  EXPECT_EQ(Semver::problem(std::string(100, 'x')),
            "'" + std::string(64, 'x') + "...' is not a semantic version: write MAJOR.MINOR.PATCH, e.g. 1.0.0");
  EXPECT_EQ(Semver::problem("1.0.0-alpha_beta"),
            "'1.0.0-alpha_beta': '_' is not allowed in a pre-release identifier; use letters, digits and '-'");
  EXPECT_EQ(Semver::problem("1.0.0+"),
            "'1.0.0+': the build after '+' is empty; remove the '+' or write an identifier, e.g. 1.0.0+build.5");
  EXPECT_EQ(Semver::problem("1.x.0"), "'1.x.0': the minor version 'x' must be a number");
  EXPECT_EQ(Semver::problem("1.2.3.4"),
            "'1.2.3.4' has more than three numbers: write MAJOR.MINOR.PATCH (e.g. 1.2.3), with anything more after "
            "'-' (pre-release, e.g. 1.2.3-rc.1) or '+' (build, e.g. 1.2.3+build.4)");
  EXPECT_EQ(Semver::problem(" 1.0.0"), "' 1.0.0': remove the spaces around the version");
}

TEST(Semver, TooLargeNumbersAreRefusedNotWrapped) {
  EXPECT_EQ(v("18446744073709551615.0.0").major, 18446744073709551615u);
  EXPECT_EQ(Semver::problem("18446744073709551616.0.0"),
            "'18446744073709551616.0.0': the major version is too large (at most 18446744073709551615)");
  EXPECT_FALSE(Semver::parse("1.99999999999999999999.0").has_value());
  EXPECT_FALSE(Semver::parse("99999999999999999999999.999999999999999999.99999999999999999").has_value());
  // Pre-release numbers have no size limit: they compare by their digits.
  EXPECT_LT(v("1.0.0-99999999999999999999999"), v("1.0.0-100000000000000000000000"));
}

// semver.org, item 11: the example chain, each version below the next.
TEST(Semver, PrecedenceFollowsTheSpecificationsChain) {
  const std::vector<std::string> chain = {"1.0.0-alpha",  "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta",
                                          "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1",       "1.0.0"};
  for (std::size_t i = 0; i < chain.size(); ++i) {
    for (std::size_t j = 0; j < chain.size(); ++j) {
      const auto order = v(chain[i]) <=> v(chain[j]);
      EXPECT_EQ(order, i < j   ? std::strong_ordering::less
                       : i > j ? std::strong_ordering::greater
                               : std::strong_ordering::equal)
          << chain[i] << " vs " << chain[j];
    }
  }
}

TEST(Semver, NumbersCompareNumerically) {
  EXPECT_LT(v("1.9.0"), v("1.10.0"));
  EXPECT_LT(v("1.10.0"), v("1.11.0"));
  EXPECT_LT(v("2.0.0"), v("10.0.0"));
  EXPECT_LT(v("1.0.9"), v("1.0.10"));
  EXPECT_LT(v("1.0.0-alpha.2"), v("1.0.0-alpha.10"));
  EXPECT_LT(v("1.0.0-2"), v("1.0.0-10"));
  EXPECT_LT(v("1.0.0-999"), v("1.0.0-a"));   // numeric identifiers before alphanumeric ones
  EXPECT_LT(v("1.0.0-Z"), v("1.0.0-a"));     // alphanumeric ones in ASCII order
  EXPECT_LT(v("1.0.0-10a"), v("1.0.0-9a"));  // "10a" is alphanumeric: compared as text
  EXPECT_GT(v("2.0.0-alpha"), v("1.99.99"));
}

TEST(Semver, BuildMetadataTakesNoPartInPrecedence) {
  EXPECT_EQ(v("1.0.0+a") <=> v("1.0.0+b"), std::strong_ordering::equal);
  EXPECT_EQ(v("1.0.0+a"), v("1.0.0"));  // hence a duplicate of 1.0.0 in a catalogue
  EXPECT_LT(v("1.0.0-rc.1+zzz"), v("1.0.0+aaa"));
  EXPECT_NE(v("1.0.0-rc.1+a"), v("1.0.0-rc.2+a"));
}

TEST(Semver, RoundTripsThroughText) {
  for (const char* text : {"0.0.0", "1.2.3", "1.0.0-alpha.beta.1", "1.0.0+0.build.1-rc.10000aaa-kk-0.1",
                           "1.2.3----RC-SNAPSHOT.12.9.1--.12+788", "18446744073709551615.18446744073709551615.0"}) {
    const Semver parsed = v(text);
    EXPECT_EQ(parsed.to_string(), text);
    const Semver again = v(parsed.to_string());
    EXPECT_EQ(again.prerelease, parsed.prerelease);
    EXPECT_EQ(again.build, parsed.build);
    EXPECT_EQ(again, parsed);
  }
}

}  // namespace
}  // namespace mecapy::packages
