#include "packages/named_types.hpp"

#include <algorithm>

#include "packages/quantity_catalog.hpp"

namespace mecapy::packages {

namespace {

PortType primitive(TypeKind kind, std::string name) {
  PortType type;
  type.kind = kind;
  type.name = std::move(name);
  return type;
}

PortType fixed_list(std::string name, PortType element, std::size_t size) {
  PortType type;
  type.kind = TypeKind::list;
  type.name = std::move(name);
  type.elements.push_back(std::move(element));
  type.fixed_size = size;
  return type;
}

PortType list_of(PortType element) {
  PortType type;
  type.kind = TypeKind::list;
  type.elements.push_back(std::move(element));
  return type;
}

}  // namespace

const std::vector<NamedType>& primitive_types() {
  static const std::vector<NamedType> primitives{
      {"Numeric", {"number"}, "any number, integer or not", primitive(TypeKind::numeric, "Numeric")},
      {"Integer", {"int"}, "a whole number", primitive(TypeKind::integer, "Integer")},
      {"Float", {"float"}, "a number, read as a double", primitive(TypeKind::float_number, "Float")},
      {"Boolean", {"bool"}, "true or false", primitive(TypeKind::boolean, "Boolean")},
      {"String", {"str"}, "a text", primitive(TypeKind::string, "String")},
  };
  return primitives;
}

std::optional<PortType> quantity_type(std::string_view quantity) {
  const Quantity* found = find_quantity(quantity);
  if (!found) return std::nullopt;
  PortType type;
  type.kind = TypeKind::quantity;
  type.name = found->name;
  type.quantity = found->name;
  type.unit = found->si_unit;
  return type;
}

const std::vector<NamedType>& composite_types() {
  static const std::vector<NamedType> composites = [] {
    const PortType force3 = fixed_list("Force3", *quantity_type("Force"), 3);
    const PortType moment3 = fixed_list("Moment3", *quantity_type("Moment"), 3);
    PortType torsor;
    torsor.kind = TypeKind::structure;
    torsor.name = "Torsor";
    torsor.fields = {{"F", {force3}}, {"M", {moment3}}};
    PortType matrix = list_of(list_of(primitive(TypeKind::float_number, "Float")));
    matrix.name = "Matrix";
    return std::vector<NamedType>{
        {"Vector3",
         {},
         "three components x, y, z",
         fixed_list("Vector3", primitive(TypeKind::float_number, "Float"), 3)},
        {"Force3", {}, "a force vector: three Forces x, y, z", force3},
        {"Moment3", {}, "a moment vector: three Moments x, y, z", moment3},
        {"Torsor", {}, "a force F and a moment M at one point (a wrench)", torsor},
        {"Matrix", {}, "a matrix of Floats, as a list of rows", matrix},
    };
  }();
  return composites;
}

std::optional<PortType> named_type(std::string_view name) {
  for (const NamedType& named : primitive_types()) {
    if (named.name == name || std::find(named.aliases.begin(), named.aliases.end(), name) != named.aliases.end()) {
      return named.type;
    }
  }
  if (std::optional<PortType> quantity = quantity_type(name)) return quantity;
  for (const NamedType& named : composite_types()) {
    if (named.name == name) return named.type;
  }
  return std::nullopt;
}

const std::vector<std::string>& type_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> out;
    for (const NamedType& named : primitive_types()) out.push_back(named.name);
    for (const Quantity& quantity : quantities()) out.push_back(quantity.name);
    for (const NamedType& named : composite_types()) out.push_back(named.name);
    for (const NamedType& named : primitive_types()) out.insert(out.end(), named.aliases.begin(), named.aliases.end());
    return out;
  }();
  return names;
}

}  // namespace mecapy::packages
