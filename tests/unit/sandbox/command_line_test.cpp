// mecapy-sandbox's option values: what fits is converted exactly, what does not is
// refused with a message naming the option (never wrapped or truncated).
#include "main/command_line.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>

#include "core/errors.hpp"

namespace mecapy::command_line {
namespace {

std::string refusal(void (*parse)(const std::string&), const std::string& text) {
  try {
    parse(text);
  } catch (const ConfigError& error) {
    return error.what();
  }
  return "accepted";
}

void size(const std::string& text) { parse_size(text, "--memory"); }
void duration(const std::string& text) { parse_duration(text, "--time"); }
void count(const std::string& text) { parse_count(text, "--pids"); }
void cores(const std::string& text) { parse_cores(text, "--cpus"); }

TEST(SandboxCommandLineValues, SizesAndDurationsScaleExactly) {
  EXPECT_EQ(parse_size("512K", "--memory"), 512u << 10);
  EXPECT_EQ(parse_size("1GiB", "--memory"), 1ull << 30);
  EXPECT_EQ(parse_size("16777215G", "--memory"), 16777215ull << 30);
  EXPECT_EQ(parse_size("18446744073709551615", "--memory"), std::numeric_limits<std::uint64_t>::max());
  EXPECT_EQ(parse_duration("500ms", "--time").count(), 500);
  EXPECT_EQ(parse_duration("5m", "--time").count(), 300'000);
  EXPECT_EQ(parse_duration("30", "--time").count(), 30'000);
}

TEST(SandboxCommandLineValues, OverflowingSizesAndDurationsAreRefused) {
  EXPECT_EQ(refusal(size, "17179869184G"), "--memory: '17179869184G' is too large (at most 17179869183 G)");
  EXPECT_EQ(refusal(size, "99999999999999999999G"),
            "--memory: '99999999999999999999G' is too large (at most 18446744073709551615)");
  EXPECT_EQ(refusal(size, "18446744073709551616"),
            "--memory: '18446744073709551616' is too large (at most 18446744073709551615)");
  EXPECT_EQ(refusal(duration, "999999999999999h"), "--time: '999999999999999h' is too large (at most 876000 h)");
  // A deadline past 64-bit nanoseconds would wrap: at most 100 years.
  EXPECT_EQ(parse_duration("876000h", "--time").count(), 876'000ll * 3'600'000);
  EXPECT_EQ(refusal(duration, "876001h"), "--time: '876001h' is too large (at most 876000 h)");
  EXPECT_EQ(refusal(duration, "9223372036854775807ms").find("--time: '9223372036854775807ms' is too large"), 0u);
}

TEST(SandboxCommandLineValues, CountsMustFitIn32Bits) {
  EXPECT_EQ(parse_count("4294967295", "--pids"), 4294967295u);
  EXPECT_EQ(refusal(count, "4294967296"), "--pids: '4294967296' is too large (at most 4294967295)");
  EXPECT_EQ(refusal(count, "000000000000000000000000064"), "accepted");
}

TEST(SandboxCommandLineValues, SignsGarbageAndEmptyValuesAreRefused) {
  EXPECT_EQ(refusal(size, "-1M"), "--memory: expected a size such as 512K, 256M or 1GiB, got '-1M'");
  EXPECT_EQ(refusal(size, "12Mx"), "--memory: expected a size such as 512K, 256M or 1GiB, got '12Mx'");
  EXPECT_EQ(refusal(size, ""), "--memory: expected a size such as 512K, 256M or 1GiB, got ''");
  EXPECT_EQ(refusal(duration, "+5s"), "--time: expected a duration such as 500ms, 30s or 5m, got '+5s'");
  EXPECT_EQ(refusal(count, "-1"), "--pids: expected a whole number, got '-1'");
  EXPECT_EQ(refusal(count, "12 "), "--pids: expected a whole number, got '12 '");
}

TEST(SandboxCommandLineValues, CoresAreFiniteAndBounded) {
  EXPECT_EQ(parse_cores("0.5", "--cpus"), 0.5);
  EXPECT_EQ(parse_cores("2", "--cpus"), 2.0);
  for (const char* bad : {"nan", "inf", "-0.5", "1e300", "2cores", ""})
    EXPECT_EQ(refusal(cores, bad).find("--cpus: expected a number of cores"), 0u) << bad;
}

}  // namespace
}  // namespace mecapy::command_line
