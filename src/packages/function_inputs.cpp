#include "packages/function_inputs.hpp"

#include "core/json.hpp"
#include "packages/port_json.hpp"
#include "packages/schema_validator.hpp"

namespace mecapy::packages {

CheckedInputs check_inputs(const FunctionVersionRecord& function, const boost::json::object& given) {
  const auto spec = parse_json(function.spec);
  const auto& s = spec.as_object();
  CheckedInputs checked;
  checked.inputs = canonical_inputs(ports_from_json(s.at("inputs")), given, checked.problems);
  // Values whose units could not be converted would only add "must be a number".
  if (checked.problems.empty()) {
    for (auto& v : JsonSchema(s.at("input_schema")).validate(checked.inputs)) {
      checked.problems.push_back({std::move(v.pointer), std::move(v.message)});
    }
  }
  return checked;
}

}  // namespace mecapy::packages
