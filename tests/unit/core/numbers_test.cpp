// Doubles survive text exactly: formatting, parsing and JSON in both directions.
#include "core/numbers.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <cmath>
#include <cstring>
#include <limits>
#include <random>

#include "core/errors.hpp"
#include "core/json.hpp"

using namespace mecapy;

namespace {

bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

// The values engineers and the review named, plus the edges of the format.
std::vector<double> notable_values() {
  return {1e-7,
          0.1 + 0.2,
          1e300,
          -1e300,
          std::numeric_limits<double>::denorm_min(),  // the smallest subnormal, 4.9e-324
          -std::numeric_limits<double>::denorm_min(),
          -0.0,
          0.0,
          std::numeric_limits<double>::min(),
          std::numeric_limits<double>::max(),
          std::numeric_limits<double>::lowest(),
          std::numeric_limits<double>::epsilon(),
          1.0 / 3.0,
          206000.0,  // E of steel in MPa
          9.80665,
          123456789012345680000.0,
          2.2250738585072009e-308};  // the largest subnormal
}

// Random bit patterns: every exponent, every mantissa, both signs.
std::vector<double> random_finite_values(std::size_t count) {
  std::mt19937_64 rng(20261201);
  std::vector<double> out;
  while (out.size() < count) {
    const std::uint64_t bits = rng();
    double d = 0;
    std::memcpy(&d, &bits, sizeof d);
    if (std::isfinite(d)) out.push_back(d);
  }
  return out;
}

double json_number(const boost::json::value& v) {
  if (v.is_double()) return v.as_double();
  if (v.is_int64()) return static_cast<double>(v.as_int64());
  return static_cast<double>(v.as_uint64());
}

}  // namespace

TEST(Numbers, FormatIsShortestAndParsesBackBitIdentical) {
  EXPECT_EQ(format_double(1e-7), "1e-07");
  EXPECT_EQ(format_double(0.1 + 0.2), "0.30000000000000004");
  EXPECT_EQ(format_double(-0.0), "-0");
  EXPECT_EQ(format_double(std::numeric_limits<double>::denorm_min()), "5e-324");
  for (double d : notable_values()) {
    const auto back = parse_double(format_double(d));
    ASSERT_TRUE(back) << format_double(d);
    EXPECT_TRUE(same_bits(*back, d)) << format_double(d);
  }
  for (double d : random_finite_values(200'000)) {
    const auto back = parse_double(format_double(d));
    ASSERT_TRUE(back && same_bits(*back, d)) << format_double(d);
  }
}

TEST(Numbers, ParseRefusesWhatIsNotANumber) {
  for (const char* bad : {"", "1.5x", " 1", "1 ", "0x10", "--1", "1e", "."}) EXPECT_FALSE(parse_double(bad)) << bad;
  EXPECT_EQ(*parse_double("+2.5"), 2.5);
  EXPECT_EQ(*parse_double("1E3"), 1000.0);
  EXPECT_FALSE(parse_double("1e400"));  // beyond the largest double: not silently infinity
}

TEST(Numbers, NonFiniteValuesAreRefusedWithTheirName) {
  EXPECT_EQ(require_finite(2.5, "x"), 2.5);
  for (double bad : {std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::infinity(),
                     -std::numeric_limits<double>::infinity()}) {
    try {
      require_finite(bad, "the load");
      FAIL() << "accepted " << bad;
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::invalid_input);
      EXPECT_EQ(e.code(), "non-finite-number");
      EXPECT_NE(std::string(e.what()).find("the load"), std::string::npos);
    }
  }
}

// Boost.JSON 1.81's own parser fails this for about a quarter of the values.
TEST(Json, EveryFiniteDoubleSurvivesSerializeAndParse) {
  std::vector<double> values = notable_values();
  const auto random = random_finite_values(200'000);
  values.insert(values.end(), random.begin(), random.end());
  for (double d : values) {
    const std::string text = serialize_json(boost::json::value(d));
    const double back = json_number(parse_json(text));
    ASSERT_TRUE(same_bits(back, d)) << text;
  }
}

TEST(Json, DecimalTextFromOtherWritersIsParsedCorrectlyRounded) {
  // Texts as a client would write them (shortest form, other spellings, numbers
  // split across the parser's internal parts by sheer length).
  for (double d : random_finite_values(50'000)) {
    const std::string shortest = format_double(d);
    ASSERT_TRUE(same_bits(json_number(parse_json("[" + shortest + "]").as_array()[0]), d)) << shortest;
  }
  const std::string long_decimal = "0." + std::string(400, '3') + "e1";
  EXPECT_TRUE(same_bits(parse_json(long_decimal).as_double(), *parse_double(long_decimal)));
  const auto doc = parse_json(R"({"a": {"b": [1, -0.0, 1e-7, "x", true, null]}, "c": 18446744073709551615})");
  const auto& b = doc.at("a").at("b").as_array();
  EXPECT_EQ(b[0].as_int64(), 1);
  EXPECT_TRUE(same_bits(b[1].as_double(), -0.0));
  EXPECT_TRUE(same_bits(b[2].as_double(), 1e-7));
  EXPECT_EQ(doc.at("c").as_uint64(), 18446744073709551615ull);
}

TEST(Json, MalformedTextIsInvalidInputWithAnOffset) {
  for (const char* bad : {"", "{", "[1,]", "{\"a\":1} x", "NaN", "Infinity", "01"}) {
    try {
      parse_json(bad);
      FAIL() << "accepted " << bad;
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), "malformed-json") << bad;
      EXPECT_NE(std::string(e.what()).find("at byte"), std::string::npos);
      EXPECT_EQ(std::string(e.what()).find(".hpp"), std::string::npos) << e.what();  // no library internals
    }
  }
}

TEST(Json, SerializeRefusesNonFiniteNumbersNamingWhere) {
  boost::json::value v = {{"outputs", {{"a/b", boost::json::array{1.0, std::numeric_limits<double>::infinity()}}}}};
  try {
    serialize_json(v);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), "non-finite-number");
    EXPECT_NE(std::string(e.what()).find("/outputs/a~1b/1"), std::string::npos) << e.what();
  }
  EXPECT_EQ(serialize_json(boost::json::value(-0.0)), "-0E0");
}
