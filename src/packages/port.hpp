// A function's input or output port, and what the platform does with ports: parse
// their types, give them units, describe them as JSON Schema (draft 7) and bring a
// caller's values to the form the function receives (numbers in declared units).
//
// The canonical form of a value is what the function gets: plain JSON, every
// quantity a number in the port's declared unit. Callers may also write a quantity
// as {"value": 12, "unit": "mm"}; canonical_inputs() converts those (UDUNITS-2,
// offsets included) and the JSON Schema then checks the canonical result.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "packages/port_type.hpp"

namespace mecapy::packages {

struct Port {
  std::string name;
  PortType type;
  std::string description;
  bool required = true;
  std::optional<boost::json::value> default_value;  // canonical form
  std::optional<double> minimum;                    // in the port's unit
  std::optional<double> maximum;
  std::vector<boost::json::value> enum_values;  // empty: any value of the type
};

// What is wrong with a type expression, and where: `offset` is the byte offset in
// the text. The message says what to write instead ("unknown type 'Forse'; did you
// mean 'Force'?", "list needs one element type: list[Float]").
struct TypeProblem {
  std::string message;
  std::size_t offset = 0;
};

// Parses a type expression (grammar in docs/manifest.md). Catalogue names are
// case-sensitive, with the Python spellings int, float, bool, str and number
// accepted as Integer, Float, Boolean, String and Numeric.
std::variant<PortType, TypeProblem> parse_port_type(std::string_view text);

// The inline struct written as a YAML mapping: fields in the order given.
PortType make_structure(std::vector<StructField> fields);

// Sets `unit` as the unit of every quantity of `type` (a Force, a list[Force], the
// three Forces of a Force3). Returns a problem message, and leaves `type` unchanged,
// when the unit is unknown to UDUNITS-2, when it does not fit a quantity's dimension
// ("'mm' is a Length; a Force takes units such as N, kN, lbf"), or when `type` has
// no quantity or quantities of several dimensions (a Torsor: units go per field).
std::optional<std::string> apply_unit(PortType& type, std::string_view unit);

// JSON Schema (draft 7) of one port's canonical values, bounds and enum included;
// "description", "default" and, for quantities, "x-unit" annotate it.
boost::json::object port_schema(const Port& port);

// The schema of a whole input (or output) object: {"type": "object", "properties":
// {...}, "required": [ports with required && no default], "additionalProperties": false}.
boost::json::object ports_schema(const std::vector<Port>& ports);

// A problem with one input value: the JSON pointer of the value ("/d", "/loads/2")
// and a message a user understands ("unit 'kg' is a Mass; d is a Length in mm").
struct ValueProblem {
  std::string pointer;
  std::string message;
};

// Brings `inputs` to canonical form: quantities written {"value", "unit"} are
// converted to the port's unit (element-wise in lists, dicts, structs and the
// catalogue composites); plain numbers are kept as they are (taken as being in the
// declared unit); missing ports with a default get it. Values of the wrong shape are
// left as they are for the schema to report. Unknown units, wrong dimensions and
// non-finite results are appended to `problems`.
boost::json::object canonical_inputs(const std::vector<Port>& ports, const boost::json::object& inputs,
                                     std::vector<ValueProblem>& problems);

// The public type catalogue served at GET /api/v1/types/catalog: primitives, the SI
// quantities (dimension, SI unit, suggested units), composites, the constructors and
// their JSON Schema fragments.
boost::json::object type_catalog();

}  // namespace mecapy::packages
