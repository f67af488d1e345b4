// type_catalog of port.hpp: the type catalogue served to clients (GET
// /api/v1/types/catalog), so that a web form generator knows every type a port can
// have, how to ask for a value of it and which units to offer. Its shape is stable:
// keys are only ever added.
//   {
//     "primitives":   [{"name": "Float", "aliases": ["float"], "description", "schema"}],
//     "quantities":   [{"name": "Force", "dimension": "M L T-2", "si_unit": "N",
//                       "suggested_units": ["N", "kN", ...],
//                       "conversions": {"kN": {"factor": 1000, "offset": 0}, ...}, "schema"}],
//     "composites":   [{"name": "Force3", "description", "spelling": "list[Force]",
//                       "size": 3 (fixed-length lists only), "schema"}],
//     "constructors": [{"syntax": "list[T]", "aliases": ["List[T]"], "description",
//                       "example": "list[Length]", "schema": (of the example)}],
//     "value_forms":  [{"name": "number" | "value_with_unit" | "file_id", "applies_to",
//                       "description", "schema"}]
//   }
// Every "schema" is the JSON Schema (draft 7) port_schema() gives a port of that type
// (quantities in their SI unit); "spelling" is the composite's expansion in the type
// grammar. Dimensions are written as UnitSystem writes them (unit_system.hpp).
// "conversions" maps each suggested unit to the SI unit as UDUNITS-2 converts it:
// si = value * factor + offset (offsets for temperatures only), so that a browser
// checks bounds and shows equivalents with the server's own factors, not a copy of
// them. The server still converts every submitted value itself.
#include <cstdint>
#include <string>

#include "packages/named_types.hpp"
#include "packages/port.hpp"
#include "packages/quantity_catalog.hpp"
#include "packages/unit_system.hpp"

namespace mecapy::packages {

namespace {

boost::json::object schema_of(const PortType& type) {
  Port port;
  port.type = type;
  return port_schema(port);
}

boost::json::array strings(const std::vector<std::string>& values) {
  return boost::json::array(values.begin(), values.end());
}

boost::json::object constructor(std::string_view syntax, const std::vector<std::string>& aliases,
                                std::string_view example, std::string_view description) {
  const auto parsed = parse_port_type(example);
  return {{"syntax", syntax},
          {"aliases", strings(aliases)},
          {"description", description},
          {"example", example},
          {"schema", schema_of(std::get<PortType>(parsed))}};
}

boost::json::array value_forms() {
  const boost::json::object with_unit{{"type", "object"},
                                      {"properties", {{"value", {{"type", "number"}}}, {"unit", {{"type", "string"}}}}},
                                      {"required", {"value", "unit"}},
                                      {"additionalProperties", false}};
  return {
      boost::json::object{{"name", "number"},
                          {"applies_to", "Numeric, Integer, Float and every quantity"},
                          {"description", "a plain JSON number; for a quantity, in the port's unit (its x-unit)"},
                          {"schema", {{"type", "number"}}}},
      boost::json::object{{"name", "value_with_unit"},
                          {"applies_to", "every quantity, alone or inside lists, dicts, structs and composites"},
                          {"description",
                           "a number in a unit of the quantity's dimension, such as {\"value\": 12, \"unit\": \"mm\"}; "
                           "converted to the port's unit before the function runs"},
                          {"schema", with_unit}},
      boost::json::object{{"name", "file_id"},
                          {"applies_to", "File"},
                          {"description", "the id of an uploaded file, as a string"},
                          {"schema", {{"type", "string"}}}},
  };
}

}  // namespace

// Each suggested unit's affine map to the quantity's SI unit, from UDUNITS-2.
boost::json::object conversions_of(const Quantity& quantity) {
  const UnitSystem& units = UnitSystem::instance();
  boost::json::object out;
  for (const std::string& unit : quantity.suggested_units) {
    const auto zero = units.convert(0.0, unit, quantity.si_unit);
    const auto one = units.convert(1.0, unit, quantity.si_unit);
    if (!zero || !one) continue;  // the catalogue's tests promise every unit converts
    out[unit] = boost::json::object{{"factor", *one - *zero}, {"offset", *zero}};
  }
  return out;
}

boost::json::object type_catalog() {
  boost::json::array primitives;
  for (const NamedType& named : primitive_types()) {
    primitives.push_back(boost::json::object{{"name", named.name},
                                             {"aliases", strings(named.aliases)},
                                             {"description", named.description},
                                             {"schema", schema_of(named.type)}});
  }
  boost::json::array catalogue_quantities;
  for (const Quantity& quantity : quantities()) {
    catalogue_quantities.push_back(boost::json::object{{"name", quantity.name},
                                                       {"dimension", quantity.dimension},
                                                       {"si_unit", quantity.si_unit},
                                                       {"suggested_units", strings(quantity.suggested_units)},
                                                       {"conversions", conversions_of(quantity)},
                                                       {"schema", schema_of(*quantity_type(quantity.name))}});
  }
  boost::json::array composites;
  for (const NamedType& named : composite_types()) {
    PortType expansion = named.type;
    expansion.name.clear();
    boost::json::object entry{
        {"name", named.name}, {"description", named.description}, {"spelling", expansion.spelling()}};
    if (named.type.fixed_size) entry["size"] = static_cast<std::int64_t>(*named.type.fixed_size);
    entry["schema"] = schema_of(named.type);
    composites.push_back(std::move(entry));
  }
  boost::json::array constructors{
      constructor("list[T]", {"List[T]"}, "list[Length]", "a list of values of type T"),
      constructor("dict[str, T]", {"Dict[str, T]"}, "dict[str, Force]", "named values of type T, the names free"),
      constructor("literal[v1, v2, ...]", {"Literal[v1, v2, ...]"}, "literal[8.8, 10.9, 12.9]",
                  "one of the values listed: numbers, or strings in quotes"),
      constructor("{name: T, ...}", {}, "{F: Force3, M: Moment3}",
                  "a struct: every field required, no other field allowed"),
      constructor("File", {}, "File", "a file of any kind"),
      constructor("File[ext, ...]", {}, "File[csv, step]", "a file with one of the extensions listed (no dots)"),
  };
  return {{"primitives", std::move(primitives)},
          {"quantities", std::move(catalogue_quantities)},
          {"composites", std::move(composites)},
          {"constructors", std::move(constructors)},
          {"value_forms", value_forms()}};
}

}  // namespace mecapy::packages
