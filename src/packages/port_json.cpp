#include "packages/port_json.hpp"

#include <boost/json/array.hpp>

#include "core/errors.hpp"

namespace mecapy::packages {
namespace {

constexpr std::pair<TypeKind, std::string_view> kKindNames[] = {
    {TypeKind::numeric, "numeric"},  {TypeKind::integer, "integer"}, {TypeKind::float_number, "float"},
    {TypeKind::boolean, "boolean"},  {TypeKind::string, "string"},   {TypeKind::quantity, "quantity"},
    {TypeKind::list, "list"},        {TypeKind::dict, "dict"},       {TypeKind::literal, "literal"},
    {TypeKind::structure, "struct"}, {TypeKind::file, "file"},
};

std::string_view kind_name(TypeKind kind) {
  for (const auto& [k, name] : kKindNames) {
    if (k == kind) return name;
  }
  return "numeric";
}

[[noreturn]] void bad(const std::string& what) {
  throw Error(ErrorKind::corrupted, "io-spec-corrupted", "A stored io spec is unreadable; redeploy the package.", what);
}

const boost::json::object& object_of(const boost::json::value& json, const char* what) {
  if (!json.is_object()) bad(std::string(what) + " is not an object");
  return json.get_object();
}

std::string string_of(const boost::json::object& o, const char* key) {
  const auto* v = o.if_contains(key);
  if (!v) return {};
  if (!v->is_string()) bad(std::string(key) + " is not a string");
  return std::string(v->get_string());
}

}  // namespace

boost::json::object port_type_to_json(const PortType& type) {
  boost::json::object o;
  o["kind"] = kind_name(type.kind);
  o["spelling"] = type.spelling();
  if (!type.name.empty()) o["name"] = type.name;
  if (type.kind == TypeKind::quantity) {
    o["quantity"] = type.quantity;
    o["unit"] = type.unit;
  }
  if (!type.elements.empty()) o["element"] = port_type_to_json(type.elements.front());
  if (type.fixed_size) o["size"] = static_cast<std::uint64_t>(*type.fixed_size);
  if (type.kind == TypeKind::structure) {
    boost::json::array fields;
    for (const auto& field : type.fields) {
      fields.push_back({{"name", field.name}, {"type", port_type_to_json(field.type.front())}});
    }
    o["fields"] = std::move(fields);
  }
  if (type.kind == TypeKind::literal) o["values"] = boost::json::array(type.literals.begin(), type.literals.end());
  if (type.kind == TypeKind::file) {
    boost::json::array extensions;
    for (const auto& e : type.extensions) extensions.emplace_back(e);
    o["extensions"] = std::move(extensions);
  }
  return o;
}

PortType port_type_from_json(const boost::json::value& json) {
  const auto& o = object_of(json, "type");
  PortType type;
  const std::string kind = string_of(o, "kind");
  bool known = false;
  for (const auto& [k, name] : kKindNames) {
    if (name == kind) {
      type.kind = k;
      known = true;
    }
  }
  if (!known) bad("unknown kind " + kind);
  type.name = string_of(o, "name");
  type.quantity = string_of(o, "quantity");
  type.unit = string_of(o, "unit");
  if (const auto* element = o.if_contains("element")) type.elements.push_back(port_type_from_json(*element));
  if (const auto* size = o.if_contains("size")) {
    if (!size->is_uint64() && !size->is_int64()) bad("size is not an integer");
    type.fixed_size = static_cast<std::size_t>(size->to_number<std::uint64_t>());
  }
  if (const auto* fields = o.if_contains("fields")) {
    if (!fields->is_array()) bad("fields is not an array");
    for (const auto& field : fields->get_array()) {
      const auto& f = object_of(field, "field");
      const auto* field_type = f.if_contains("type");
      if (!field_type) bad("field without type");
      type.fields.push_back({string_of(f, "name"), {port_type_from_json(*field_type)}});
    }
  }
  if (const auto* values = o.if_contains("values")) {
    if (!values->is_array()) bad("values is not an array");
    type.literals.assign(values->get_array().begin(), values->get_array().end());
  }
  if (const auto* extensions = o.if_contains("extensions")) {
    if (!extensions->is_array()) bad("extensions is not an array");
    for (const auto& e : extensions->get_array()) {
      if (!e.is_string()) bad("extension is not a string");
      type.extensions.emplace_back(e.get_string());
    }
  }
  return type;
}

boost::json::object port_to_json(const Port& port) {
  boost::json::object o;
  o["name"] = port.name;
  o["type"] = port_type_to_json(port.type);
  o["description"] = port.description;
  o["required"] = port.required;
  if (port.default_value) o["default"] = *port.default_value;
  if (port.minimum) o["minimum"] = *port.minimum;
  if (port.maximum) o["maximum"] = *port.maximum;
  if (!port.enum_values.empty()) o["enum"] = boost::json::array(port.enum_values.begin(), port.enum_values.end());
  return o;
}

Port port_from_json(const boost::json::value& json) {
  const auto& o = object_of(json, "port");
  Port port;
  port.name = string_of(o, "name");
  const auto* type = o.if_contains("type");
  if (!type) bad("port without type");
  port.type = port_type_from_json(*type);
  port.description = string_of(o, "description");
  if (const auto* required = o.if_contains("required"); required && required->is_bool()) {
    port.required = required->get_bool();
  }
  if (const auto* value = o.if_contains("default")) port.default_value = *value;
  if (const auto* value = o.if_contains("minimum"); value && value->is_number()) {
    port.minimum = value->to_number<double>();
  }
  if (const auto* value = o.if_contains("maximum"); value && value->is_number()) {
    port.maximum = value->to_number<double>();
  }
  if (const auto* values = o.if_contains("enum"); values && values->is_array()) {
    port.enum_values.assign(values->get_array().begin(), values->get_array().end());
  }
  return port;
}

boost::json::array ports_to_json(const std::vector<Port>& ports) {
  boost::json::array out;
  for (const auto& port : ports) out.push_back(port_to_json(port));
  return out;
}

std::vector<Port> ports_from_json(const boost::json::value& json) {
  if (!json.is_array()) bad("ports is not an array");
  std::vector<Port> ports;
  for (const auto& port : json.get_array()) ports.push_back(port_from_json(port));
  return ports;
}

}  // namespace mecapy::packages
