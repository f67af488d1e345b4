// The CLI's text output: values with exact numbers, aligned tables.
#include "cli/output.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace mecapy::cli {
namespace {

TEST(ValueText, NumbersAreTheirShortestRoundTripForm) {
  EXPECT_EQ(value_text(boost::json::value(0.1 + 0.2)), "0.30000000000000004");
  EXPECT_EQ(value_text(boost::json::value(27330.070798960784)), "27330.070798960784");
  EXPECT_EQ(value_text(boost::json::value(576.0)), "576");
  EXPECT_EQ(value_text(boost::json::value(1e-7)), "1e-07");
  EXPECT_EQ(value_text(boost::json::value(-0.0)), "-0");
  EXPECT_EQ(value_text(boost::json::value(42)), "42");
}

TEST(ValueText, OtherKinds) {
  EXPECT_EQ(value_text(boost::json::value("text")), "text");
  EXPECT_EQ(value_text(boost::json::value(true)), "true");
  EXPECT_EQ(value_text(boost::json::value(nullptr)), "null");
  EXPECT_EQ(value_text(boost::json::parse(R"([0.1, 2, {"a": 1e-7, "b": "x"}])")), R"([0.1,2,{"a":1e-07,"b":"x"}])");
  EXPECT_EQ(value_text(nullptr), "");
}

TEST(Table, PadsColumnsToTheWidestCellCountingCodePoints) {
  Table table({"name", "unit"});
  table.add({"sigma", "MPa"});
  table.add({"µ", "°C"});
  EXPECT_EQ(table.render(), "name   unit\nsigma  MPa\nµ      °C\n");
}

}  // namespace
}  // namespace mecapy::cli
