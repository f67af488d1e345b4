// port_schema and ports_schema of port.hpp: JSON Schema (draft 7) of canonical values.
//
// Per kind:
//   Numeric, Float, quantity  {"type": "number"}; a quantity adds "x-quantity" and
//                             "x-unit" (the port's unit: its numbers are in it)
//   Integer                   {"type": "integer"}
//   Boolean, String           {"type": "boolean"}, {"type": "string"}
//   literal                   {"enum": [...]}
//   list                      {"type": "array", "items": ...}, minItems = maxItems when fixed
//   dict                      {"type": "object", "additionalProperties": ...}
//   structure                 {"type": "object", "properties": ..., every field required,
//                             "additionalProperties": false}
//   File                      {"type": "string", "x-file": true, "x-file-extensions": [...]}
//                             (the canonical value of a file is a file id; [] = any file)
// A port's schema also carries "x-type" (the type's spelling), "description" and
// "default" when set, and its enum. Its minimum and maximum bound the number of the
// port: the port itself when it is a number, else each number reached through lists
// and dicts (list[Length], Vector3, Matrix); a type with no such number has no place
// for bounds and they are left out. When the type is already an enum (literal), the
// port's enum is added under "allOf" so that both hold.
#include <cstdint>
#include <string>

#include "packages/port.hpp"

namespace mecapy::packages {

namespace {

boost::json::object type_schema(const PortType& type) {
  boost::json::object schema;
  switch (type.kind) {
    case TypeKind::numeric:
    case TypeKind::float_number:
      schema["type"] = "number";
      break;
    case TypeKind::integer:
      schema["type"] = "integer";
      break;
    case TypeKind::boolean:
      schema["type"] = "boolean";
      break;
    case TypeKind::string:
      schema["type"] = "string";
      break;
    case TypeKind::quantity:
      schema["type"] = "number";
      schema["x-quantity"] = type.quantity;
      schema["x-unit"] = type.unit;
      break;
    case TypeKind::literal:
      schema["enum"] = boost::json::array(type.literals.begin(), type.literals.end());
      break;
    case TypeKind::list:
      schema["type"] = "array";
      if (!type.elements.empty()) schema["items"] = type_schema(type.elements.front());
      if (type.fixed_size) {  // int64, as a parser reads JSON integers (and valijson wants them)
        schema["minItems"] = static_cast<std::int64_t>(*type.fixed_size);
        schema["maxItems"] = static_cast<std::int64_t>(*type.fixed_size);
      }
      break;
    case TypeKind::dict:
      schema["type"] = "object";
      if (!type.elements.empty()) schema["additionalProperties"] = type_schema(type.elements.front());
      break;
    case TypeKind::structure: {
      boost::json::object properties;
      boost::json::array required;
      for (const StructField& field : type.fields) {
        properties[field.name] = type_schema(field.type.front());
        required.emplace_back(field.name);
      }
      schema["type"] = "object";
      schema["properties"] = std::move(properties);
      schema["required"] = std::move(required);
      schema["additionalProperties"] = false;
      break;
    }
    case TypeKind::file: {
      schema["type"] = "string";
      schema["x-file"] = true;
      schema["x-file-extensions"] = boost::json::array(type.extensions.begin(), type.extensions.end());
      break;
    }
  }
  return schema;
}

bool is_number_type(TypeKind kind) {
  return kind == TypeKind::numeric || kind == TypeKind::integer || kind == TypeKind::float_number ||
         kind == TypeKind::quantity;
}

// Puts the bounds on each number of `schema` (whose type is `type`) reached through lists and dicts.
void bound_numbers(const PortType& type, boost::json::object& schema, const Port& port) {
  if (is_number_type(type.kind)) {
    if (port.minimum) schema["minimum"] = *port.minimum;
    if (port.maximum) schema["maximum"] = *port.maximum;
    return;
  }
  if ((type.kind != TypeKind::list && type.kind != TypeKind::dict) || type.elements.empty()) return;
  const char* const key = type.kind == TypeKind::list ? "items" : "additionalProperties";
  bound_numbers(type.elements.front(), schema[key].as_object(), port);
}

}  // namespace

boost::json::object port_schema(const Port& port) {
  boost::json::object schema = type_schema(port.type);
  bound_numbers(port.type, schema, port);
  if (!port.enum_values.empty()) {
    boost::json::array values(port.enum_values.begin(), port.enum_values.end());
    if (schema.contains("enum")) {
      schema["allOf"] = boost::json::array{boost::json::object{{"enum", std::move(values)}}};
    } else {
      schema["enum"] = std::move(values);
    }
  }
  schema["x-type"] = port.type.spelling();
  if (!port.description.empty()) schema["description"] = port.description;
  if (port.default_value) schema["default"] = *port.default_value;
  return schema;
}

boost::json::object ports_schema(const std::vector<Port>& ports) {
  boost::json::object properties;
  boost::json::array required;
  for (const Port& port : ports) {
    properties[port.name] = port_schema(port);
    if (port.required && !port.default_value) required.emplace_back(port.name);
  }
  return boost::json::object{{"$schema", "http://json-schema.org/draft-07/schema#"},
                             {"type", "object"},
                             {"properties", std::move(properties)},
                             {"required", std::move(required)},
                             {"additionalProperties", false}};
}

}  // namespace mecapy::packages
