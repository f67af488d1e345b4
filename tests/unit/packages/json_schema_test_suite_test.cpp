// The official JSON-Schema-Test-Suite (draft 7), run through JsonSchema: every case of
// the keyword files the platform relies on must give the suite's answer (valid or
// not). The suite's files are parsed with mecapy::parse_json, so the numbers are the
// exact values of their text. A missing suite is a failure, not a skip.
//
// One rule removes case groups, and they are counted and printed: a group whose
// schema refers to another document ("$ref" to an http(s) URI that no "$id" of the
// same schema defines) is not applicable, since JsonSchema never fetches; what it
// must do instead (refuse the schema) is asserted for each such group.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "core/errors.hpp"
#include "core/json.hpp"
#include "packages/schema_validator.hpp"

namespace mecapy::packages {
namespace {

namespace json = boost::json;

const char* const kKeywordFiles[] = {
    "type",       "enum",      "const",     "minimum",     "maximum",  "exclusiveMinimum", "exclusiveMaximum",
    "multipleOf", "minLength", "maxLength", "pattern",     "required", "properties",       "additionalProperties",
    "items",      "minItems",  "maxItems",  "uniqueItems", "ref",
};

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return {};
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void collect(const json::value& v, const char* key, std::set<std::string>& out) {
  if (v.is_object()) {
    for (const auto& m : v.get_object()) {
      if (m.key() == key && m.value().is_string()) out.insert(std::string(m.value().get_string()));
      collect(m.value(), key, out);
    }
  } else if (v.is_array()) {
    for (const auto& e : v.get_array()) collect(e, key, out);
  }
}

std::string without_fragment(const std::string& uri) { return uri.substr(0, uri.find('#')); }

// The rule of the header: an absolute http(s) $ref that no $id of the schema defines.
bool needs_remote_document(const json::value& schema) {
  std::set<std::string> refs;
  std::set<std::string> ids;
  collect(schema, "$ref", refs);
  collect(schema, "$id", ids);
  std::set<std::string> defined;
  for (const auto& id : ids) defined.insert(without_fragment(id));
  for (const auto& ref : refs) {
    const bool absolute = ref.starts_with("http://") || ref.starts_with("https://");
    if (absolute && !defined.contains(without_fragment(ref))) return true;
  }
  return false;
}

struct FileTally {
  std::string name;
  int cases = 0;
  int passed = 0;
  int not_applicable = 0;
};

TEST(JsonSchemaTestSuite, Draft7KeywordFilesPassThroughOurWrapper) {
  const std::string dir = std::string(MECAPY_JSON_SCHEMA_TEST_SUITE_DIR) + "/tests/draft7/";
  std::vector<FileTally> tallies;
  std::vector<std::string> not_applicable;
  for (const char* keyword : kKeywordFiles) {
    FileTally tally{keyword};
    const std::string text = read_file(dir + keyword + ".json");
    ASSERT_FALSE(text.empty()) << "the JSON-Schema-Test-Suite file " << dir << keyword
                               << ".json is missing or empty (Debian package json-schema-test-suite)";
    const json::value groups = parse_json(text);
    for (const auto& group_value : groups.as_array()) {
      const auto& group = group_value.as_object();
      const std::string description(group.at("description").as_string());
      const json::value& schema = group.at("schema");
      const auto& tests = group.at("tests").as_array();
      if (needs_remote_document(schema)) {
        tally.not_applicable += static_cast<int>(tests.size());
        not_applicable.push_back(std::string(keyword) + ": " + description);
        EXPECT_THROW(JsonSchema{schema}, Error) << keyword << ": " << description << " must be refused";
        continue;
      }
      std::optional<JsonSchema> compiled;
      try {
        compiled.emplace(schema);
      } catch (const Error& e) {
        ADD_FAILURE() << keyword << ": " << description << ": schema refused: " << e.what() << " (" << e.cause() << ")";
        tally.cases += static_cast<int>(tests.size());
        continue;
      }
      for (const auto& test_value : tests) {
        const auto& test = test_value.as_object();
        ++tally.cases;
        const bool expected_valid = test.at("valid").as_bool();
        const auto violations = compiled->validate(test.at("data"));
        if (violations.empty() == expected_valid) {
          ++tally.passed;
          continue;
        }
        std::string reported;
        for (const auto& v : violations) reported += " [" + v.pointer + ": " + v.message + "]";
        ADD_FAILURE() << keyword << ": " << description << ": " << test.at("description").as_string() << ": expected "
                      << (expected_valid ? "valid" : "invalid") << ", got" << (reported.empty() ? " valid" : reported);
      }
    }
    EXPECT_GT(tally.cases, 0) << keyword << ".json has no case";
    tallies.push_back(tally);
  }

  std::printf("%-26s %6s %7s %15s\n", "keyword file", "cases", "passed", "not applicable");
  int cases = 0;
  int passed = 0;
  int skipped = 0;
  for (const auto& t : tallies) {
    std::printf("%-26s %6d %7d %15d\n", (t.name + ".json").c_str(), t.cases, t.passed, t.not_applicable);
    cases += t.cases;
    passed += t.passed;
    skipped += t.not_applicable;
  }
  std::printf("%-26s %6d %7d %15d\n", "total", cases, passed, skipped);
  std::printf("not applicable (remote $ref): %d cases in %zu groups\n", skipped, not_applicable.size());
  for (const auto& g : not_applicable) std::printf("  not applicable (remote $ref): %s\n", g.c_str());
  EXPECT_EQ(passed, cases);
}

}  // namespace
}  // namespace mecapy::packages
