// YAML values as JSON, with the YAML 1.2 core schema's rules for plain scalars and
// exact numbers: `12` is an integer, `0.1` the double nearest to 0.1 (parsed from its
// text, never through a float type of yaml-cpp's), `true`/`false` booleans, `null` and
// `~` null, and quoted scalars always strings. Used for manifest defaults and enums and
// for test-case files.
#pragma once

#include <yaml-cpp/yaml.h>

#include <boost/json/value.hpp>
#include <string>
#include <vector>

namespace mecapy::packages {

struct YamlProblem {
  YAML::Mark mark;
  std::string message;
};

enum class ScalarKind { null_value, boolean, integer, number, string };

// How the core schema reads a scalar node (quoted: always a string).
ScalarKind scalar_kind(const YAML::Node& scalar);

// The JSON form of `node`. Non-finite numbers (.inf, .nan), integers out of the
// 64-bit range, aliases to nothing and non-string mapping keys are problems; the
// value is then null at that place.
boost::json::value yaml_to_json(const YAML::Node& node, std::vector<YamlProblem>& problems);

}  // namespace mecapy::packages
