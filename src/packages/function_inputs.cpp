#include "packages/function_inputs.hpp"

#include <algorithm>

#include "core/json.hpp"
#include "packages/port_json.hpp"
#include "packages/schema_validator.hpp"

namespace mecapy::packages {

CheckedInputs check_inputs(const FunctionVersionRecord& function, const boost::json::object& given) {
  const auto spec = parse_json(function.spec);
  const auto& s = spec.as_object();
  CheckedInputs checked;
  checked.inputs = canonical_inputs(ports_from_json(s.at("inputs")), given, checked.problems);
  // A value whose unit could not be converted is reported once, for its unit: the
  // schema's "must be a number" at the same place would say nothing more.
  const auto converted = checked.problems;
  auto reported = [&](const std::string& pointer) {
    return std::any_of(converted.begin(), converted.end(), [&](const ValueProblem& p) {
      return pointer == p.pointer || pointer.starts_with(p.pointer + "/");
    });
  };
  for (auto& v : JsonSchema(s.at("input_schema")).validate(checked.inputs)) {
    if (!reported(v.pointer)) checked.problems.push_back({std::move(v.pointer), std::move(v.message)});
  }
  return checked;
}

}  // namespace mecapy::packages
