#include "packages/yaml_json.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <charconv>
#include <regex>

#include "core/numbers.hpp"

namespace mecapy::packages {
namespace {

bool is_one_of(const std::string& text, std::initializer_list<const char*> words) {
  for (const char* word : words) {
    if (text == word) return true;
  }
  return false;
}

}  // namespace

ScalarKind scalar_kind(const YAML::Node& scalar) {
  if (scalar.Tag() != "?") return ScalarKind::string;  // quoted ("!") or explicitly tagged
  const std::string& text = scalar.Scalar();
  if (is_one_of(text, {"", "~", "null", "Null", "NULL"})) return ScalarKind::null_value;
  if (is_one_of(text, {"true", "True", "TRUE", "false", "False", "FALSE"})) return ScalarKind::boolean;
  static const std::regex integer(R"([-+]?[0-9]+)");
  static const std::regex number(
      R"([-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN))");
  if (std::regex_match(text, integer)) return ScalarKind::integer;
  if (std::regex_match(text, number)) return ScalarKind::number;
  return ScalarKind::string;
}

boost::json::value yaml_to_json(const YAML::Node& node, std::vector<YamlProblem>& problems) {
  switch (node.Type()) {
    case YAML::NodeType::Undefined:
    case YAML::NodeType::Null:
      return nullptr;
    case YAML::NodeType::Sequence: {
      boost::json::array array;
      for (const auto& item : node) array.push_back(yaml_to_json(item, problems));
      return array;
    }
    case YAML::NodeType::Map: {
      boost::json::object object;
      for (const auto& entry : node) {
        if (!entry.first.IsScalar() || scalar_kind(entry.first) == ScalarKind::null_value) {
          problems.push_back({entry.first.Mark(), "mapping keys must be strings"});
          continue;
        }
        object[entry.first.Scalar()] = yaml_to_json(entry.second, problems);
      }
      return object;
    }
    case YAML::NodeType::Scalar:
      break;
  }
  const std::string& text = node.Scalar();
  switch (scalar_kind(node)) {
    case ScalarKind::null_value:
      return nullptr;
    case ScalarKind::boolean:
      return text[0] == 't' || text[0] == 'T';
    case ScalarKind::integer: {
      const char* first = text.data() + (text[0] == '+' ? 1 : 0);
      std::int64_t value = 0;
      const auto [end, error] = std::from_chars(first, text.data() + text.size(), value);
      if (error != std::errc() || end != text.data() + text.size()) {
        problems.push_back({node.Mark(), "integer '" + text + "' is out of range (at most 19 digits)"});
        return nullptr;
      }
      return value;
    }
    case ScalarKind::number: {
      const auto value = parse_double(text[0] == '+' ? std::string_view(text).substr(1) : std::string_view(text));
      if (!value) {
        problems.push_back({node.Mark(), "'" + text + "' is not a finite number: write a decimal number"});
        return nullptr;
      }
      return *value;
    }
    case ScalarKind::string:
      break;
  }
  return boost::json::string(text);
}

}  // namespace mecapy::packages
