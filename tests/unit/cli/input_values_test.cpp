// The values of `mecapy run --input NAME=VALUE`: numbers (integers kept, decimals
// correctly rounded), a number with a unit as {value, unit}, JSON, and text.
#include "cli/input_values.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "cli/exit_codes.hpp"

namespace mecapy::cli {
namespace {

boost::json::value quantity(boost::json::value value, const char* unit) {
  return boost::json::object{{"value", std::move(value)}, {"unit", unit}};
}

TEST(InputValue, IntegersStayIntegers) {
  EXPECT_TRUE(input_value("12").is_int64());
  EXPECT_EQ(input_value("12").get_int64(), 12);
  EXPECT_EQ(input_value("-7").get_int64(), -7);
  EXPECT_EQ(input_value("+7").get_int64(), 7);
}

TEST(InputValue, DecimalsAreTheDoubleTheTextMeans) {
  EXPECT_EQ(input_value("0.1").get_double(), 0.1);
  EXPECT_EQ(input_value("1e-3").get_double(), 1e-3);
  EXPECT_EQ(input_value("2.5E+2").get_double(), 250.0);
  EXPECT_EQ(input_value("0.30000000000000004").get_double(), 0.30000000000000004);
  EXPECT_EQ(input_value(".5").get_double(), 0.5);
  // Larger than an int64: read as a double rather than refused.
  EXPECT_EQ(input_value("99999999999999999999").get_double(), 1e20);
}

TEST(InputValue, ANumberWithAUnitIsAQuantity) {
  EXPECT_EQ(input_value("10mm"), quantity(10, "mm"));
  EXPECT_EQ(input_value("1.5 mm"), quantity(1.5, "mm"));
  EXPECT_EQ(input_value("2.5 kN.m"), quantity(2.5, "kN.m"));
  EXPECT_EQ(input_value("20°C"), quantity(20, "°C"));
  EXPECT_EQ(input_value("3 N/mm^2"), quantity(3, "N/mm^2"));
  EXPECT_EQ(input_value("1e3Pa"), quantity(1000.0, "Pa"));
  // An 'e' without digits after it is the start of the unit.
  EXPECT_EQ(input_value("2em"), quantity(2, "em"));
}

TEST(InputValue, JsonAndText) {
  EXPECT_EQ(input_value("true"), boost::json::value(true));
  EXPECT_EQ(input_value("null"), boost::json::value(nullptr));
  EXPECT_EQ(input_value("[1, 2.5]"), boost::json::parse("[1, 2.5]"));
  EXPECT_EQ(input_value("{\"a\": 1}"), boost::json::parse("{\"a\": 1}"));
  EXPECT_EQ(input_value("\"12\""), boost::json::value("12"));
  EXPECT_EQ(input_value("the beam broke"), boost::json::value("the beam broke"));
  EXPECT_EQ(input_value(""), boost::json::value(""));
  EXPECT_EQ(input_value("1.2.3"), boost::json::value("1.2.3"));
  EXPECT_EQ(input_value("12-14"), boost::json::value("12-14"));
}

TEST(InputValue, RefusesBrokenJsonAndNonFiniteNumbers) {
  for (const char* text : {"[1, 2", "{oops}", "1e999"}) {
    try {
      (void)input_value(text);
      ADD_FAILURE() << text << " was accepted";
    } catch (const CliError& e) {
      EXPECT_EQ(e.exit(), Exit::usage) << text;
    }
  }
}

TEST(SplitAssignment, SplitsAtTheFirstEquals) {
  EXPECT_EQ(split_assignment("title=a=b", "--input"), std::make_pair(std::string("title"), std::string("a=b")));
  EXPECT_EQ(split_assignment("x=", "--input"), std::make_pair(std::string("x"), std::string()));
  EXPECT_THROW((void)split_assignment("x", "--input"), CliError);
  EXPECT_THROW((void)split_assignment("=1", "--input"), CliError);
}

}  // namespace
}  // namespace mecapy::cli
