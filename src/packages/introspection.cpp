#include "packages/introspection.hpp"

#include <boost/json/object.hpp>
#include <set>

#include "packages/named_types.hpp"
#include "packages/quantity_catalog.hpp"
#include "packages/schema_validator.hpp"
#include "packages/unit_system.hpp"

namespace mecapy::packages {
namespace {

struct Parameter {
  std::string name;
  std::string kind;
  boost::json::object info;
  bool has_default() const { return info.contains("default"); }
};

std::string text_of(const boost::json::object& o, const char* key) {
  const auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

std::optional<double> number_of(const boost::json::object& o, const char* key) {
  const auto* v = o.if_contains(key);
  if (!v || !v->is_number()) return std::nullopt;
  return v->to_number<double>();
}

// The first paragraph of a docstring.
std::string summary_of(const std::string& doc) {
  const auto end = doc.find("\n\n");
  std::string out = doc.substr(0, end);
  for (auto& c : out) {
    if (c == '\n') c = ' ';
  }
  return out;
}

class SignatureMerger {
 public:
  SignatureMerger(FunctionSpec& function, const std::string& file_name, std::vector<ManifestProblem>& errors)
      : function_(function), file_name_(file_name), errors_(errors) {}

  void merge(const boost::json::object& signature) {
    bool var_keyword = false;
    if (const auto* params = signature.if_contains("params"); params && params->is_array()) {
      for (const auto& p : params->get_array()) {
        if (!p.is_object()) continue;
        const auto& o = p.get_object();
        Parameter parameter{text_of(o, "name"), text_of(o, "kind"), o};
        if (parameter.kind == "var_keyword") var_keyword = true;
        if (parameter.kind == "var_keyword" || parameter.kind == "var_positional") continue;
        parameters_.push_back(parameter);
      }
    }
    if (function_.description.empty()) function_.description = summary_of(text_of(signature, "doc"));
    if (function_.inputs_declared) {
      check_declared(var_keyword);
    } else {
      for (const auto& parameter : parameters_) derive(parameter);
    }
  }

 private:
  void error(const SourcePosition& at, std::string message) { errors_.push_back({file_name_, at, std::move(message)}); }

  std::string where() const { return "function '" + function_.name + "' (handler " + function_.handler + ")"; }

  std::string parameter_names() const {
    std::string out;
    for (const auto& p : parameters_) out += (out.empty() ? "" : ", ") + p.name;
    return out.empty() ? "none" : out;
  }

  void check_declared(bool var_keyword) {
    std::set<std::string> declared;
    for (const auto& port : function_.inputs) {
      declared.insert(port.name);
      const bool found =
          std::any_of(parameters_.begin(), parameters_.end(), [&](const Parameter& p) { return p.name == port.name; });
      if (!found && !var_keyword) {
        error(function_.positions["inputs." + port.name],
              "input '" + port.name + "' is not a parameter of " + where() + "; its parameters: " + parameter_names());
      }
    }
    for (const auto& parameter : parameters_) {
      if (!declared.contains(parameter.name) && !parameter.has_default()) {
        error(function_.at, where() + ": parameter '" + parameter.name +
                                "' has no default and is not declared in inputs; declare it or give it a default");
      }
    }
  }

  void derive(const Parameter& parameter) {
    const auto& info = parameter.info;
    const std::string type_text = text_of(info, "type");
    if (type_text.empty()) {
      error(function_.at, where() + ": parameter '" + parameter.name +
                              "' has no type hint we understand and mecapy.yml declares no inputs; add a type hint "
                              "(float, int, str, bool, list[float], pathlib.Path, ...) or declare the inputs");
      return;
    }
    auto parsed = parse_port_type(type_text);
    if (auto* problem = std::get_if<TypeProblem>(&parsed)) {
      error(function_.at, where() + ": parameter '" + parameter.name + "': " + problem->message);
      return;
    }
    Port port;
    port.name = parameter.name;
    port.type = std::get<PortType>(std::move(parsed));
    port.description = text_of(info, "description");
    if (!as_quantity(port, info, parameter.name)) return;
    if (const auto unit = text_of(info, "unit"); !unit.empty()) {
      if (const auto problem = apply_unit(port.type, unit)) {
        error(function_.at, where() + ": parameter '" + parameter.name + "': " + *problem);
        return;
      }
    }
    port.minimum = number_of(info, "minimum");
    port.maximum = number_of(info, "maximum");
    const auto* optional = info.if_contains("optional");
    port.required = !parameter.has_default() && !(optional && optional->is_bool() && optional->get_bool());
    if (parameter.has_default() && !info.at("default").is_null()) {
      boost::json::object given{{port.name, info.at("default")}};
      std::vector<ValueProblem> problems;
      auto canonical = canonical_inputs({port}, given, problems);
      if (problems.empty()) {
        for (const auto& v : JsonSchema(port_schema(port)).validate(canonical[port.name])) {
          problems.push_back({"", v.message});
        }
      }
      if (!problems.empty()) {
        error(function_.at, where() + ": the default of parameter '" + parameter.name +
                                "' does not fit its type: " + problems.front().message);
        return;
      }
      port.default_value = canonical[port.name];
    }
    function_.inputs.push_back(std::move(port));
  }

  // A float annotated with a unit or a quantity is that quantity: `Annotated[float,
  // {"unit": "mm"}]` is a Length in mm. The unit names the first catalogue quantity
  // of its dimension (N.m: Moment, not Energy; Pa: Pressure); "quantity" says which.
  bool as_quantity(Port& port, const boost::json::object& info, const std::string& name) {
    const auto kind = port.type.kind;
    if (kind != TypeKind::float_number && kind != TypeKind::numeric) return true;
    const std::string quantity = text_of(info, "quantity");
    const std::string unit = text_of(info, "unit");
    if (quantity.empty() && unit.empty()) return true;
    const Quantity* found = quantity.empty() ? nullptr : find_quantity(quantity);
    if (!quantity.empty() && !found) {
      error(function_.at, where() + ": parameter '" + name + "': unknown quantity '" + quantity + "'");
      return false;
    }
    if (!found) {
      const auto& units = UnitSystem::instance();
      for (const auto& q : quantities()) {
        if (units.is_known(unit) && units.convertible(unit, q.si_unit)) {
          found = &q;
          break;
        }
      }
    }
    if (!found) {
      error(function_.at, where() + ": parameter '" + name + "': unit '" + unit +
                              "' is not a unit of any quantity of the catalogue (GET /api/v1/types/catalog)");
      return false;
    }
    port.type = *quantity_type(found->name);
    return true;
  }

  FunctionSpec& function_;
  const std::string& file_name_;
  std::vector<ManifestProblem>& errors_;
  std::vector<Parameter> parameters_;
};

}  // namespace

void merge_signature(FunctionSpec& function, const boost::json::value& signature, const std::string& file_name,
                     std::vector<ManifestProblem>& errors) {
  if (!signature.is_object()) return;
  SignatureMerger(function, file_name, errors).merge(signature.get_object());
}

}  // namespace mecapy::packages
