// JsonSchema: which violations are reported, where and how they read; references
// (local and same-document "$id" ones work, remote ones are refused); numbers
// (exact bounds, integers, decimal multipleOf); attacks on the regex engines;
// concurrent use of one schema; and the cost of one validation.
#include "packages/schema_validator.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <ostream>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "core/errors.hpp"
#include "core/json.hpp"

namespace mecapy::packages {

// How gtest shows a violation (found by argument-dependent lookup).
void PrintTo(const SchemaViolation& v, std::ostream* out) { *out << "{\"" << v.pointer << "\": " << v.message << "}"; }

namespace {

JsonSchema schema_of(std::string_view text) { return JsonSchema(parse_json(text)); }

std::vector<SchemaViolation> check(const JsonSchema& schema, std::string_view instance) {
  return schema.validate(parse_json(instance));
}

SchemaViolation at(std::string pointer, std::string message) { return {std::move(pointer), std::move(message)}; }

using Violations = std::vector<SchemaViolation>;

Violations sorted(Violations v) {
  std::sort(v.begin(), v.end(), [](const auto& a, const auto& b) {
    return std::tie(a.pointer, a.message) < std::tie(b.pointer, b.message);
  });
  return v;
}

// The kind of document ports_schema() produces: inputs with bounds, an enum, a fixed
// list, required inputs and no others.
constexpr std::string_view kBoltInputs = R"({
  "type": "object",
  "properties": {
    "FA": {"type": "number", "minimum": 0},
    "FT": {"type": "number", "maximum": 0.6},
    "mu_p": {"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 1},
    "grade": {"enum": [8.8, 10.9, 12.9]},
    "axis": {"type": "array", "items": {"type": "number"}, "minItems": 3, "maxItems": 3}
  },
  "required": ["FA", "FT"],
  "additionalProperties": false
})";

TEST(JsonSchema, AValidInstanceHasNoViolation) {
  const auto schema = schema_of(kBoltInputs);
  EXPECT_TRUE(check(schema, R"({"FA": 0, "FT": 0.6, "mu_p": 0.5, "grade": 10.9, "axis": [0, 0, 1]})").empty());
}

TEST(JsonSchema, ReportsEveryViolationOnceAtItsPointer) {
  const auto schema = schema_of(kBoltInputs);
  const auto violations = check(schema, R"({"FA": -1, "mu_p": 1, "grade": 9, "axis": [1, 2], "FX": 1, "d": 2})");
  const std::string unknown = "is not allowed (unknown input; expected one of: FA, FT, axis, grade, mu_p)";
  EXPECT_EQ(sorted(violations),
            sorted(Violations{at("/FA", "must be at least 0"), at("/FT", "is required"),
                              at("/mu_p", "must be less than 1"), at("/grade", "must be one of 8.8, 10.9, 12.9"),
                              at("/axis", "must have exactly 3 items"), at("/FX", unknown), at("/d", unknown)}));
}

TEST(JsonSchema, SaysWhatTypeIsExpected) {
  const auto schema = schema_of(kBoltInputs);
  EXPECT_EQ(sorted(check(schema, R"({"FA": "12", "FT": 0, "axis": [0, "x", 1]})")),
            sorted(Violations{at("/FA", "must be a number"), at("/axis/1", "must be a number")}));
  EXPECT_EQ(check(schema_of(R"({"type": ["integer", "string", "null"]})"), "1.5"),
            (Violations{at("", "must be an integer, a string or null")}));
  EXPECT_EQ(check(schema_of(R"({"type": "object"})"), "[]"), (Violations{at("", "must be an object")}));
}

TEST(JsonSchema, BoundsAreQuotedExactly) {
  EXPECT_EQ(check(schema_of(R"({"maximum": 0.30000000000000004})"), "0.3000000000000001"),
            (Violations{at("", "must be at most 0.30000000000000004")}));
  EXPECT_EQ(check(schema_of(R"({"minimum": 1e-9})"), "0"), (Violations{at("", "must be at least 1e-09")}));
  // Of several bounds at one place, the message quotes the one that is broken.
  EXPECT_EQ(check(schema_of(R"({"allOf": [{"minimum": 0}, {"minimum": 5}, {"maximum": 9}, {"maximum": 4}]})"), "3"),
            (Violations{at("", "must be at least 5")}));
  EXPECT_EQ(check(schema_of(R"({"allOf": [{"maximum": 9}, {"maximum": 4}]})"), "7"),
            (Violations{at("", "must be at most 4")}));
  // One ulp above the bound is above it.
  EXPECT_FALSE(check(schema_of(R"({"maximum": 0.3})"), "0.30000000000000004").empty());
  EXPECT_TRUE(check(schema_of(R"({"maximum": 0.3})"), "0.3").empty());
}

TEST(JsonSchema, PointersEscapeTildeAndSlash) {
  const auto schema = schema_of(R"({"properties": {"a/b~c": {"properties": {"": {"minimum": 1}}}}})");
  EXPECT_EQ(check(schema, R"({"a/b~c": {"": 0}})"), (Violations{at("/a~1b~0c/", "must be at least 1")}));
}

TEST(JsonSchema, ViolationsDeepInListsAndObjects) {
  const auto schema = schema_of(R"({
    "properties": {"loads": {"type": "array", "items": {
      "type": "object", "properties": {"F": {"minimum": 0}}, "required": ["F"]}}}})");
  EXPECT_EQ(check(schema, R"({"loads": [{"F": 1}, {"F": -2}, {}]})"),
            (Violations{at("/loads/1/F", "must be at least 0"), at("/loads/2/F", "is required")}));
}

TEST(JsonSchema, UnknownFieldsOfANestedObject) {
  const auto schema = schema_of(R"({"properties": {"T": {"properties": {"F": {}, "M": {}},
                                    "additionalProperties": false}}})");
  EXPECT_EQ(check(schema, R"({"T": {"F": 1, "N": 2}})"),
            (Violations{at("/T/N", "is not allowed (unknown field; expected one of: F, M)")}));
}

TEST(JsonSchema, OtherKeywordsReadAsSentences) {
  EXPECT_EQ(check(schema_of(R"({"minLength": 2})"), R"("a")"),
            (Violations{at("", "must be at least 2 characters long")}));
  EXPECT_EQ(check(schema_of(R"({"maxLength": 1})"), R"("ab")"),
            (Violations{at("", "must be at most 1 character long")}));
  EXPECT_EQ(check(schema_of(R"({"pattern": "^[A-Z]{2}$"})"), R"("abc")"),
            (Violations{at("", R"(must match the pattern "^[A-Z]{2}$")")}));
  EXPECT_EQ(check(schema_of(R"({"const": "N"})"), R"("kN")"), (Violations{at("", R"(must be "N")")}));
  EXPECT_EQ(check(schema_of(R"({"uniqueItems": true})"), "[1, 2, 1.0]"),
            (Violations{at("", "must not repeat items (items 0 and 2 are equal)")}));
  EXPECT_EQ(check(schema_of(R"({"minItems": 2})"), "[1]"), (Violations{at("", "must have at least 2 items")}));
  EXPECT_EQ(check(schema_of(R"({"enum": ["a", "b"]})"), R"("c")"), (Violations{at("", R"(must be one of "a", "b")")}));
  EXPECT_EQ(check(schema_of(R"({"properties": {"x": false}})"), R"({"x": 1})"),
            (Violations{at("/x", "is not allowed")}));
  EXPECT_EQ(check(schema_of("false"), "1"), (Violations{at("", "does not match the schema")}));
}

TEST(JsonSchema, LocalReferencesAreFollowed) {
  const auto schema = schema_of(R"({
    "definitions": {"positive": {"type": "number", "minimum": 0}, "pair": {"items": {"$ref": "#/definitions/positive"}}},
    "properties": {"a": {"$ref": "#/definitions/positive"}, "b": {"$ref": "#/definitions/pair"}}})");
  EXPECT_TRUE(check(schema, R"({"a": 1, "b": [1, 2]})").empty());
  EXPECT_EQ(check(schema, R"({"a": -1, "b": [1, -2]})"),
            (Violations{at("/a", "must be at least 0"), at("/b/1", "must be at least 0")}));
}

TEST(JsonSchema, SubschemasWithAnIdAreFoundInTheSameDocument) {
  const auto schema = schema_of(R"({
    "$id": "https://schemas.example/bolt/root.json",
    "definitions": {"n": {"$id": "nut.json", "minimum": 5}},
    "properties": {"a": {"$ref": "nut.json"}, "b": {"$ref": "https://schemas.example/bolt/nut.json"}}})");
  EXPECT_TRUE(check(schema, R"({"a": 6, "b": 5})").empty());
  EXPECT_EQ(check(schema, R"({"a": 1, "b": 2})"),
            (Violations{at("/a", "must be at least 5"), at("/b", "must be at least 5")}));
}

void expect_invalid_schema(std::string_view text) {
  try {
    schema_of(text);
    ADD_FAILURE() << text << " was accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::invalid_input) << text;
    EXPECT_EQ(e.code(), "invalid-schema") << text;
  }
}

// Attack: a schema must not make the server fetch anything, anywhere.
TEST(JsonSchema, RemoteReferencesAreRefusedNotFetched) {
  expect_invalid_schema(R"({"$ref": "http://127.0.0.1:1/schema.json"})");
  expect_invalid_schema(R"({"properties": {"a": {"$ref": "https://schemas.example/other.json#/definitions/x"}}})");
  expect_invalid_schema(R"({"$ref": "file:///etc/passwd"})");
  expect_invalid_schema(R"({"$id": "https://schemas.example/a.json", "items": {"$ref": "b.json"}})");
  try {
    schema_of(R"({"$ref": "http://127.0.0.1:1/schema.json"})");
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("never fetched"), std::string::npos);
  }
}

// Attack: a schema whose references loop back to the same value would make
// validation recurse until the stack overflows. Loops that go down into the value
// (a tree of nodes) end with the value, and are fine.
TEST(JsonSchema, ReferenceLoopsThatNeverGoIntoTheValueAreRefused) {
  expect_invalid_schema(R"({"anyOf": [{"type": "string"}, {"$ref": "#"}]})");
  expect_invalid_schema(R"({"$ref": "#/definitions/a", "definitions": {"a": {"$ref": "#/definitions/b"},
                            "b": {"allOf": [{"not": {"$ref": "#/definitions/a"}}]}}})");
  expect_invalid_schema(R"({"definitions": {"a": {"if": {"$ref": "#/definitions/a"}}}})");
  const auto tree = schema_of(R"({"properties": {"value": {"type": "number"}, "children": {"items": {"$ref": "#"}}}})");
  EXPECT_TRUE(check(tree, R"({"value": 1, "children": [{"value": 2, "children": [{"value": 3}]}]})").empty());
  EXPECT_EQ(check(tree, R"({"children": [{"children": [{"value": "3"}]}]})"),
            (Violations{at("/children/0/children/0/value", "must be a number")}));
}

TEST(JsonSchema, SchemasValijsonRefusesAreInvalid) {
  expect_invalid_schema(R"({"minimum": "0"})");  // valijson alone reads the string as 0
  expect_invalid_schema(R"({"maxItems": 2.5})");
  expect_invalid_schema(R"({"required": "a"})");
  expect_invalid_schema(R"({"$ref": "#/definitions/missing"})");
  expect_invalid_schema(R"({"pattern": "(unclosed"})");
  expect_invalid_schema(R"({"patternProperties": {"[a-": {}}})");
  expect_invalid_schema(R"({"multipleOf": 0})");
  expect_invalid_schema(R"({"multipleOf": -2})");
  expect_invalid_schema("12");
}

TEST(JsonSchema, IntegersFollowJsonSchemaNotTheAdapter) {
  const auto integer = schema_of(R"({"type": "integer"})");
  EXPECT_TRUE(check(integer, "1.0").empty());  // draft 7: an integral number is an integer
  EXPECT_TRUE(check(integer, "-9007199254740993").empty());
  EXPECT_EQ(check(integer, "1.5"), (Violations{at("", "must be an integer")}));
  EXPECT_EQ(check(integer, "1e19"),
            (Violations{at("",
                           "is too large for an integer: integers lie between -9223372036854775808 and "
                           "9223372036854775807")}));
  // valijson's adapter cannot read an unsigned 64-bit integer (its bound check throws).
  EXPECT_EQ(check(schema_of(R"({"maximum": 100})"), "18446744073709551615"),
            (Violations{at("", "must be at most 100")}));
  EXPECT_EQ(check(schema_of(R"({"maxItems": 2.0})"), "[1, 2, 3]"), (Violations{at("", "must have at most 2 items")}));
}

TEST(JsonSchema, MultipleOfIsDecidedOnDecimalValues) {
  const auto by_two = schema_of(R"({"multipleOf": 2})");
  EXPECT_TRUE(check(by_two, "10").empty());
  EXPECT_TRUE(check(by_two, "-4.0").empty());
  EXPECT_EQ(check(by_two, "4.5"), (Violations{at("", "must be a multiple of 2")}));  // valijson alone: accepted
  const auto by_tenth = schema_of(R"({"multipleOf": 0.1})");
  EXPECT_TRUE(check(by_tenth, "0.3").empty());  // 0.3 / 0.1 is 2.9999999999999996 in binary
  EXPECT_TRUE(check(by_tenth, "12345678.9").empty());
  EXPECT_EQ(check(by_tenth, "0.35"), (Violations{at("", "must be a multiple of 0.1")}));
  EXPECT_FALSE(check(schema_of(R"({"multipleOf": 1e-17})"), "1e-20").empty());  // valijson alone: accepted
  EXPECT_TRUE(check(schema_of(R"({"multipleOf": 1e-17})"), "3e-17").empty());
  EXPECT_TRUE(check(schema_of(R"({"multipleOf": 2.5})"), "1e300").empty());
  EXPECT_FALSE(check(schema_of(R"({"multipleOf": 3})"), "1e300").empty());
  EXPECT_TRUE(check(schema_of(R"({"multipleOf": 0.5})"), R"("not a number")").empty());
}

// Attack: std::regex recurses once per character; a long input against a pattern
// would overflow the stack and kill the server. This input is far past that point.
TEST(JsonSchema, ALongStringAgainstAPatternIsRefusedWithoutCrashing) {
  const auto schema = schema_of(R"({"properties": {"s": {"pattern": "^(a|b)*$"}}})");
  boost::json::object instance;
  instance["s"] = std::string(1'000'000, 'a');
  const auto violations = schema.validate(instance);
  ASSERT_EQ(violations.size(), 1u);
  EXPECT_EQ(violations[0].pointer, "/s");
  EXPECT_TRUE(violations[0].message.starts_with("is too long or too complex to be checked")) << violations[0].message;
  EXPECT_TRUE(check(schema, R"({"s": "abba"})").empty());
}

// Attack: property names still meet valijson's std::regex under patternProperties.
TEST(JsonSchema, ALongPropertyNameUnderPatternPropertiesIsRefused) {
  const auto schema = schema_of(R"({"patternProperties": {"^(a|b)*$": {"type": "number"}}})");
  boost::json::object inner;
  inner[std::string(1'000'000, 'a')] = 1;
  boost::json::object instance;
  instance["x"] = inner;
  const auto violations = schema.validate(instance);
  ASSERT_EQ(violations.size(), 1u);
  EXPECT_EQ(violations[0].pointer, "/x/" + std::string(1'000'000, 'a'));
  EXPECT_EQ(violations[0].message, "has a name longer than 256 bytes");
  EXPECT_EQ(check(schema, R"({"ab": "x"})"), (Violations{at("/ab", "must be a number")}));
}

TEST(JsonSchema, AMovedSchemaStillValidates) {
  auto first = schema_of(R"({"minimum": 1})");
  JsonSchema second = std::move(first);
  EXPECT_EQ(check(second, "0"), (Violations{at("", "must be at least 1")}));
}

// valijson's Schema is read-only once parsed, and validate() keeps all its state
// on its own stack; eight threads share one schema and must all get the answers a
// single thread gets.
TEST(JsonSchema, OneSchemaValidatesFromEightThreadsAtOnce) {
  const auto schema = schema_of(R"({
    "type": "object",
    "properties": {"code": {"type": "string", "pattern": "^[A-Z]{2}[0-9]+$"}, "F": {"minimum": 0, "multipleOf": 0.5},
                   "tags": {"type": "array", "uniqueItems": true}},
    "patternProperties": {"^x-": {"type": "string"}},
    "required": ["code"], "additionalProperties": false})");
  const std::vector<boost::json::value> instances = {
      parse_json(R"({"code": "AB12", "F": 1.5, "tags": ["a", "b"], "x-note": "ok"})"),
      parse_json(R"({"code": "ab", "F": -1.25, "tags": ["a", "a"], "x-note": 3, "other": 1})"),
      parse_json(R"({"F": 2})"),
  };
  std::vector<std::vector<SchemaViolation>> expected;
  expected.reserve(instances.size());
  for (const auto& instance : instances) expected.push_back(schema.validate(instance));
  ASSERT_TRUE(expected[0].empty());
  ASSERT_EQ(expected[1].size(), 6u);
  ASSERT_EQ(expected[2].size(), 1u);

  std::atomic<int> mismatches{0};
  std::vector<std::thread> threads;
  threads.reserve(8);
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 400; ++i) {
        const std::size_t k = static_cast<std::size_t>(i + t) % instances.size();
        if (schema.validate(instances[k]) != expected[k]) ++mismatches;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(mismatches.load(), 0);
}

}  // namespace
}  // namespace mecapy::packages
