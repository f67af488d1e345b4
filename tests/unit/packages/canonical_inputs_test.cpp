// canonical_inputs: {"value", "unit"} quantities converted to the port's unit through
// every kind of container, plain numbers kept bit-identical, defaults filled, and the
// problems (JSON pointers, messages) for unknown units, wrong dimensions, units given
// to what takes none, and conversions that overflow.
#include <gtest/gtest.h>
#include <valijson/adapters/boost_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validator.hpp>

#include <bit>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "concurrently.hpp"
#include "core/json.hpp"
#include "packages/port.hpp"

namespace mecapy::packages {
namespace {

Port port(std::string name, std::string_view type, std::string_view unit = {}) {
  Port p;
  p.name = std::move(name);
  p.type = std::get<PortType>(parse_port_type(type));
  if (!unit.empty()) {
    const std::optional<std::string> problem = apply_unit(p.type, unit);
    EXPECT_FALSE(problem) << *problem;
  }
  return p;
}

struct Result {
  boost::json::object values;
  std::vector<ValueProblem> problems;
};

Result canonical(const std::vector<Port>& ports, std::string_view inputs) {
  Result result;
  result.values = canonical_inputs(ports, parse_json(inputs).as_object(), result.problems);
  return result;
}

double number_at(const boost::json::value& value) { return value.to_number<double>(); }

void expect_close(double expected, double actual, double relative = 1e-14) {
  EXPECT_LE(std::abs(actual - expected), relative * std::abs(expected)) << expected << " vs " << actual;
}

TEST(CanonicalInputs, QuantitiesWithAUnitAreConvertedToThePortsUnit) {
  const Result r = canonical({port("d", "Length", "mm"), port("F", "Force"), port("T", "Temperature", "degC")},
                             R"({"d": {"value": 1, "unit": "in"}, "F": {"value": 2, "unit": "kN"},
                                 "T": {"value": 212, "unit": "degF"}})");
  EXPECT_TRUE(r.problems.empty());
  expect_close(25.4, number_at(r.values.at("d")));
  EXPECT_EQ(number_at(r.values.at("F")), 2000.0);
  expect_close(100, number_at(r.values.at("T")));
}

TEST(CanonicalInputs, PlainNumbersAndSameUnitValuesAreKeptBitIdentical) {
  const Result r = canonical({port("a", "Length", "mm"), port("b", "Length", "mm"), port("c", "Moment"),
                              port("n", "Integer"), port("x", "Float")},
                             R"({"a": 0.1, "b": {"value": 0.1, "unit": "mm"}, "c": {"value": 7, "unit": "J"},
                                 "n": 3, "x": 0.30000000000000004})");
  EXPECT_TRUE(r.problems.empty());
  EXPECT_EQ(std::bit_cast<std::uint64_t>(r.values.at("a").as_double()), std::bit_cast<std::uint64_t>(0.1));
  EXPECT_EQ(std::bit_cast<std::uint64_t>(r.values.at("b").as_double()), std::bit_cast<std::uint64_t>(0.1));
  // J is N.m: no arithmetic; an integer where a real is expected becomes the same double.
  ASSERT_TRUE(r.values.at("c").is_double());
  EXPECT_EQ(r.values.at("c").as_double(), 7.0);
  EXPECT_EQ(r.values.at("n").as_int64(), 3);
  EXPECT_EQ(std::bit_cast<std::uint64_t>(r.values.at("x").as_double()),
            std::bit_cast<std::uint64_t>(0.30000000000000004));
}

TEST(CanonicalInputs, ElementWiseThroughListsDictsStructsAndComposites) {
  const Result r = canonical({port("loads", "list[Force]", "kN"), port("table", "dict[str, Stress]", "MPa"),
                              port("f", "Force3"), port("joint", "Torsor"), port("bolt", "{d: Length, n: int}")},
                             R"({"loads": [1, {"value": 500, "unit": "N"}, {"value": 1, "unit": "lbf"}],
          "table": {"steel": {"value": 235e6, "unit": "Pa"}, "alu": 70},
          "f": [{"value": 1, "unit": "kN"}, {"value": -2.5, "unit": "kN"}, 0],
          "joint": {"F": [{"value": 1, "unit": "kN"}, 0, 0], "M": [0, {"value": 1, "unit": "lbf.ft"}, {"value": 2, "unit": "kN.m"}]},
          "bolt": {"d": {"value": 12, "unit": "mm"}, "n": 4}})");
  ASSERT_TRUE(r.problems.empty()) << r.problems[0].message;
  const boost::json::array& loads = r.values.at("loads").as_array();
  EXPECT_EQ(loads[0], 1.0);
  EXPECT_EQ(number_at(loads[1]), 0.5);
  expect_close(4.4482216152605e-3, number_at(loads[2]));
  EXPECT_EQ(number_at(r.values.at("table").at("steel")), 235.0);
  EXPECT_EQ(r.values.at("table").at("alu"), 70.0);
  const boost::json::array& f = r.values.at("f").as_array();
  EXPECT_EQ(number_at(f[0]), 1000.0);
  EXPECT_EQ(number_at(f[1]), -2500.0);
  EXPECT_EQ(f[2], 0.0);
  const boost::json::value& joint = r.values.at("joint");
  EXPECT_EQ(number_at(joint.at("F").at(0)), 1000.0);
  expect_close(1.3558179483314, number_at(joint.at("M").at(1)));
  EXPECT_EQ(number_at(joint.at("M").at(2)), 2000.0);
  expect_close(0.012, number_at(r.values.at("bolt").at("d")));
  EXPECT_EQ(r.values.at("bolt").at("n"), 4);
}

TEST(CanonicalInputs, DefaultsAreFilledAndOtherValuesLeftForTheSchema) {
  Port n = port("n", "Integer");
  n.default_value = 6;
  Port d = port("d", "Length", "mm");
  const Result r = canonical({n, d, port("e", "Length")}, R"({"d": "twelve", "extra": {"value": 1, "unit": "mm"}})");
  EXPECT_TRUE(r.problems.empty());
  EXPECT_EQ(r.values.at("n"), 6);
  EXPECT_EQ(r.values.at("d"), "twelve");
  EXPECT_EQ(r.values.at("extra"), parse_json(R"({"value": 1, "unit": "mm"})"));
  EXPECT_FALSE(r.values.contains("e"));

  // Not exactly {"value": number, "unit": string}: not a quantity form, left as is.
  const Result odd = canonical({d}, R"({"d": {"value": 1, "unit": "mm", "note": "x"}})");
  EXPECT_TRUE(odd.problems.empty());
  EXPECT_EQ(odd.values.at("d").as_object().size(), 3u);
  const Result text = canonical({d}, R"({"d": {"value": "1", "unit": "mm"}})");
  EXPECT_TRUE(text.problems.empty());
  EXPECT_EQ(text.values.at("d").at("value"), "1");
}

TEST(CanonicalInputs, WrongDimensionNamesTheInputTheUnitAndTheDimension) {
  const Result r = canonical({port("d", "Length", "mm")}, R"({"d": {"value": 3, "unit": "kg"}})");
  ASSERT_EQ(r.problems.size(), 1u);
  EXPECT_EQ(r.problems[0].pointer, "/d");
  EXPECT_EQ(r.problems[0].message, "d: unit 'kg' is a mass; d is a Length, give it in mm or another length unit");
  EXPECT_EQ(r.values.at("d"), parse_json(R"({"value": 3, "unit": "kg"})"));

  const Result angle = canonical({port("w", "Frequency")}, R"({"w": {"value": 3, "unit": "rad/s"}})");
  ASSERT_EQ(angle.problems.size(), 1u);
  EXPECT_EQ(angle.problems[0].message,
            "w: unit 'rad/s' is of dimension T-1 A; w is a Frequency, give it in Hz or another frequency unit");
}

TEST(CanonicalInputs, UnknownUnitsGetADidYouMean) {
  const Result r = canonical({port("d", "Length", "mm"), port("F", "Force")},
                             R"({"d": {"value": 3, "unit": "mmm"}, "F": {"value": 1, "unit": "qqqq"}})");
  ASSERT_EQ(r.problems.size(), 2u);
  EXPECT_EQ(r.problems[0].pointer, "/d");
  EXPECT_EQ(r.problems[0].message, "d: unknown unit 'mmm' (did you mean 'mm'?)");
  EXPECT_EQ(r.problems[1].pointer, "/F");
  EXPECT_EQ(r.problems[1].message, "F: unknown unit 'qqqq'; give it in N or another force unit");
}

TEST(CanonicalInputs, PointersAreEscapedAndPathsNamed) {
  const Result r = canonical({port("loads", "list[Force]"), port("m", "dict[str, Length]"), port("j", "Torsor")},
                             R"({"loads": [0, 1, {"value": 1, "unit": "kg"}],
                                 "m": {"a/b~c": {"value": 1, "unit": "s"}},
                                 "j": {"F": [0, 0, {"value": 1, "unit": "N.m"}], "M": [0, 0, 0]}})");
  ASSERT_EQ(r.problems.size(), 3u);
  EXPECT_EQ(r.problems[0].pointer, "/loads/2");
  EXPECT_EQ(r.problems[0].message.rfind("loads[2]: unit 'kg' is a mass; loads[2] is a Force", 0), 0u)
      << r.problems[0].message;
  EXPECT_EQ(r.problems[1].pointer, "/m/a~1b~0c");
  EXPECT_EQ(r.problems[1].message.rfind(R"(m["a/b~c"]: unit 's' is a time)", 0), 0u) << r.problems[1].message;
  EXPECT_EQ(r.problems[2].pointer, "/j/F/2");
  EXPECT_EQ(r.problems[2].message.rfind("j.F[2]: unit 'N.m' is a moment or an energy; j.F[2] is a Force", 0), 0u)
      << r.problems[2].message;

  const Result top = canonical({port("a/b", "Length")}, R"({"a/b": {"value": 1, "unit": "kg"}})");
  ASSERT_EQ(top.problems.size(), 1u);
  EXPECT_EQ(top.problems[0].pointer, "/a~1b");
}

TEST(CanonicalInputs, IntegersWhereRealsAreExpectedBecomeTheSameDoubles) {
  const Result r =
      canonical({port("d", "Length", "mm"), port("x", "Float"), port("n", "Integer"), port("big", "Float")},
                R"({"d": 10, "x": 3, "n": 3, "big": 9007199254740993})");
  ASSERT_TRUE(r.problems.empty());
  EXPECT_TRUE(r.values.at("d").is_double());
  EXPECT_EQ(r.values.at("d").as_double(), 10.0);
  EXPECT_TRUE(r.values.at("x").is_double());
  EXPECT_TRUE(r.values.at("n").is_int64()) << "an Integer stays an integer";
  // 2^53 + 1 has no exact double: it is left as given rather than rounded.
  EXPECT_TRUE(r.values.at("big").is_int64());
  const Result same = canonical({port("d", "Length", "mm")}, R"({"d": {"value": 1, "unit": "cm"}})");
  EXPECT_EQ(same.values.at("d"), r.values.at("d")) << "10 mm and 1 cm are one canonical input";
}

TEST(CanonicalInputs, AUnitGivenWhereNoneIsTakenIsAProblem) {
  const Result r = canonical({port("n", "Integer"), port("x", "Float"), port("g", "literal[8.8, 10.9]"),
                              port("f", "File"), port("v", "Vector3")},
                             R"({"n": {"value": 3, "unit": "mm"}, "x": {"value": 3, "unit": "1"},
                                 "g": {"value": 8.8, "unit": "MPa"}, "f": {"value": 1, "unit": "mm"},
                                 "v": [{"value": 1, "unit": "m"}, 0, 0]})");
  ASSERT_EQ(r.problems.size(), 5u);
  EXPECT_EQ(r.problems[0].pointer, "/n");
  EXPECT_EQ(r.problems[0].message,
            "n: a unit was given, but n is an Integer, which takes no unit: write the value alone");
  EXPECT_EQ(r.problems[1].pointer, "/x");
  EXPECT_EQ(r.problems[2].pointer, "/g");
  EXPECT_EQ(r.problems[3].pointer, "/f");
  EXPECT_EQ(r.problems[4].pointer, "/v/0");
  EXPECT_EQ(r.values.at("n"), parse_json(R"({"value": 3, "unit": "mm"})"));

  const Result list = canonical({port("f", "Force3")}, R"({"f": {"value": 1, "unit": "kN"}})");
  ASSERT_EQ(list.problems.size(), 1u);
  EXPECT_EQ(list.problems[0].message,
            "f: a unit was given, but f is a Force3: give a list of values, each with its unit");
}

TEST(CanonicalInputs, NonFiniteResultsAreProblems) {
  const Result r = canonical({port("d", "Length", "mm")}, R"({"d": {"value": 1e306, "unit": "km"}})");
  ASSERT_EQ(r.problems.size(), 1u);
  EXPECT_EQ(r.problems[0].pointer, "/d");
  EXPECT_EQ(r.problems[0].message, "d: 1e+306 km is not a finite number once converted to mm");
  EXPECT_NO_THROW(serialize_json(r.values));  // nothing infinite was stored
}

TEST(CanonicalInputs, TheCanonicalResultPassesTheSchemaTheRawInputFails) {
  const std::vector<Port> ports{port("d", "Length", "mm"), port("j", "Torsor")};
  const std::string_view raw =
      R"({"d": {"value": 0.5, "unit": "in"}, "j": {"F": [{"value": 1, "unit": "kN"}, 0, 0], "M": [0, 0, 0]}})";
  const Result r = canonical(ports, raw);
  ASSERT_TRUE(r.problems.empty());
  const boost::json::value schema_json(ports_schema(ports));
  valijson::Schema schema;
  valijson::SchemaParser parser;
  valijson::adapters::BoostJsonAdapter schema_adapter(schema_json);
  parser.populateSchema(schema_adapter, schema);
  valijson::Validator validator;
  const boost::json::value canonical_value(r.values);
  EXPECT_TRUE(validator.validate(schema, valijson::adapters::BoostJsonAdapter(canonical_value), nullptr));
  const boost::json::value raw_value = parse_json(raw);
  EXPECT_FALSE(validator.validate(schema, valijson::adapters::BoostJsonAdapter(raw_value), nullptr));
}

TEST(CanonicalInputs, ConcurrentParsingAndConversionGiveTheSameResults) {
  const std::string_view inputs =
      R"({"d": {"value": 0.75, "unit": "in"}, "j": {"F": [{"value": 1, "unit": "kip"}, 0, 0],
      "M": [{"value": 3, "unit": "lbf.in"}, 0, 0]}, "t": {"value": 70, "unit": "degF"}, "p": {"value": 1, "unit": "qq"}})";
  const auto ports = [] {
    return std::vector<Port>{port("d", "Length", "mm"), port("j", "Torsor"), port("t", "Temperature", "degC"),
                             port("p", "Pressure", "bar")};
  };
  const Result expected = canonical(ports(), inputs);
  const std::string expected_text = serialize_json(expected.values);
  ASSERT_EQ(expected.problems.size(), 1u);
  const std::vector<int> mismatches = mismatches_in_threads(8, [&](int) {
    int wrong = 0;
    for (int round = 0; round < 100; ++round) {
      const Result r = canonical(ports(), inputs);  // parses the types and the units again
      if (serialize_json(r.values) != expected_text || r.problems.size() != 1 ||
          r.problems[0].message != expected.problems[0].message) {
        ++wrong;
      }
    }
    return wrong;
  });
  for (std::size_t t = 0; t < mismatches.size(); ++t) EXPECT_EQ(mismatches[t], 0) << "thread " << t;
}

}  // namespace
}  // namespace mecapy::packages
