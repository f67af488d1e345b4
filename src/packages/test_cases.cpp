#include "packages/test_cases.hpp"

#include <yaml-cpp/yaml.h>

#include <fstream>
#include <sstream>

#include "packages/schema_validator.hpp"
#include "packages/yaml_json.hpp"

namespace mecapy::packages {
namespace {

namespace fs = std::filesystem;
constexpr std::uintmax_t kMaxTestFileBytes = 4u << 20;

const Port* find_port(const std::vector<Port>& ports, std::string_view name) {
  for (const auto& port : ports) {
    if (port.name == name) return &port;
  }
  return nullptr;
}

bool is_quantity_form(const boost::json::value& v) {
  return v.is_object() && v.get_object().size() == 2 && v.get_object().contains("value") &&
         v.get_object().contains("unit");
}

// An expected value in the output's unit: {value, unit} converted, approx kept.
boost::json::value expected_value(const Port* port, const boost::json::value& value,
                                  std::vector<ValueProblem>& problems) {
  if (!port) return value;
  auto convert = [&](const boost::json::value& v) {
    if (!is_quantity_form(v)) return v;
    Port input = *port;
    input.required = true;
    input.default_value.reset();
    auto canonical = canonical_inputs({input}, {{port->name, v}}, problems);
    return canonical[port->name];
  };
  if (value.is_object() && value.get_object().contains("approx")) {
    boost::json::object approx = value.get_object();
    approx["approx"] = convert(approx["approx"]);
    return approx;
  }
  return convert(value);
}

std::string problem_text(const std::vector<ValueProblem>& problems) {
  std::string out;
  for (const auto& p : problems)
    out += (out.empty() ? "" : "; ") + (p.pointer.empty() ? "" : p.pointer + ": ") + p.message;
  return out;
}

}  // namespace

namespace {

void prepare_file(const FunctionSpec& function, const std::string& file, const fs::path& root,
                  const std::string& manifest_name, std::vector<ManifestProblem>& errors, PreparedCases& prepared,
                  std::size_t& index) {
  auto fail = [&](const std::string& message) {
    errors.push_back({manifest_name, function.testcases_at, "testcases of '" + function.name + "': " + message});
  };
  const fs::path path = root / file;
  std::error_code ec;
  if (!fs::is_regular_file(fs::symlink_status(path, ec)) || fs::file_size(path, ec) > kMaxTestFileBytes) {
    fail("'" + file + "' is not a regular file of at most 4 MiB in the archive");
    return;
  }
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  YAML::Node document;
  try {
    document = YAML::Load(text.str());
  } catch (const YAML::Exception& e) {
    errors.push_back({file, {e.mark.line + 1, e.mark.column + 1}, "not valid YAML or JSON: " + e.msg});
    return;
  }
  std::vector<YamlProblem> yaml_problems;
  const auto json = yaml_to_json(document, yaml_problems);
  for (const auto& p : yaml_problems) {
    errors.push_back({file, {p.mark.line + 1, p.mark.column + 1}, p.message});
  }
  const boost::json::array* cases = nullptr;
  if (json.is_array()) {
    cases = &json.get_array();
  } else if (json.is_object() && json.get_object().contains("test_cases") &&
             json.get_object().at("test_cases").is_array()) {
    cases = &json.get_object().at("test_cases").get_array();
  } else {
    fail("'" + file + "' must be a list of {name, inputs, expected} or a mapping {function, test_cases: [...]}");
    return;
  }
  const JsonSchema schema(ports_schema(function.inputs));
  for (const auto& entry : *cases) {
    ++index;
    if (!entry.is_object()) {
      fail("case " + std::to_string(index) + " of '" + file + "' is not a mapping");
      continue;
    }
    const auto& c = entry.get_object();
    boost::json::object prepared_case;
    prepared_case["index"] = index;
    prepared_case["file"] = file;
    prepared_case["name"] = c.contains("name") && c.at("name").is_string()
                                ? c.at("name")
                                : boost::json::value("case " + std::to_string(index));
    prepared_case["function"] = function.name;
    prepared_case["handler"] = function.handler;
    std::vector<ValueProblem> problems;
    boost::json::object inputs;
    if (const auto* given = c.if_contains("inputs"); given && given->is_object()) {
      inputs = canonical_inputs(function.inputs, given->get_object(), problems);
      if (problems.empty()) {
        for (const auto& v : schema.validate(inputs)) problems.push_back({v.pointer, v.message});
      }
    } else if (c.contains("inputs")) {
      problems.push_back({"", "inputs must be a mapping of input names to values"});
    }
    prepared_case["inputs"] = inputs;
    const auto* expected = c.if_contains("expected");
    if (!expected) expected = c.if_contains("expected_outputs");
    if (expected && expected->is_object()) {
      boost::json::object converted;
      for (const auto& [port, value] : expected->get_object()) {
        converted[port] = expected_value(find_port(function.outputs, port), value, problems);
      }
      prepared_case["expected"] = converted;
    }
    if (const auto* exception = c.if_contains("expected_exception"); exception && exception->is_string()) {
      prepared_case["expected_exception"] = *exception;
    }
    if (!prepared_case.contains("expected") && !prepared_case.contains("expected_exception")) {
      problems.push_back({"", "the case has neither expected (expected_outputs) nor expected_exception"});
    }
    if (problems.empty()) {
      prepared.runnable.push_back(std::move(prepared_case));
    } else {
      prepared.invalid.push_back({{"index", index},
                                  {"name", prepared_case["name"]},
                                  {"function", function.name},
                                  {"passed", false},
                                  {"failures", boost::json::array{}},
                                  {"error", {{"type", "InvalidTestCase"}, {"message", problem_text(problems)}}}});
    }
  }
}

}  // namespace

PreparedCases prepare_test_cases(const FunctionSpec& function, const fs::path& root, const std::string& manifest_name,
                                 std::vector<ManifestProblem>& errors) {
  PreparedCases prepared;
  std::size_t index = 0;
  for (const auto& file : function.testcases)
    prepare_file(function, file, root, manifest_name, errors, prepared, index);
  return prepared;
}

boost::json::array results_of(const boost::json::array& runnable, const boost::json::array& runner_results,
                              const boost::json::array& invalid) {
  std::vector<std::pair<std::int64_t, boost::json::value>> ordered;
  for (std::size_t i = 0; i < runnable.size(); ++i) {
    const auto index = runnable[i].at("index").to_number<std::int64_t>();
    boost::json::object result;
    if (i < runner_results.size() && runner_results[i].is_object()) {
      result = runner_results[i].get_object();
    } else {
      result = {{"name", runnable[i].at("name")},
                {"function", runnable[i].at("function")},
                {"passed", false},
                {"error", {{"type", "RunnerError"}, {"message", "the runner reported no result for this case"}}}};
    }
    result["index"] = index;
    ordered.emplace_back(index, std::move(result));
  }
  for (const auto& result : invalid) ordered.emplace_back(result.at("index").to_number<std::int64_t>(), result);
  std::stable_sort(ordered.begin(), ordered.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  boost::json::array out;
  for (auto& entry : ordered) out.push_back(std::move(entry.second));
  return out;
}

}  // namespace mecapy::packages
