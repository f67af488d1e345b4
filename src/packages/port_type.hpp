// The type of a function's input or output port: what a value must look like and,
// for physical quantities, the unit its numbers are expressed in.
//
// Types come from a manifest's `type:` (a string such as "Force", "list[Length]",
// "literal[8.8, 10.9]", "File[csv,step]", "{F: Force3, M: Moment3}", or an inline
// struct written as a YAML mapping) or from a Python signature. Named composites of
// the catalogue are expanded when parsed (Vector3 is a list of exactly 3 Floats,
// Force3 of 3 Forces, Torsor a struct {F: Force3, M: Moment3}, Matrix a list of lists
// of Floats) and keep their name for display.
//
// A PortType is plain data: copyable, comparable, and the same on every thread.
#pragma once

#include <boost/json/value.hpp>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mecapy::packages {

enum class TypeKind {
  numeric,       // any JSON number (int or float)
  integer,       // a JSON integer
  float_number,  // any JSON number, read as a double
  boolean,
  string,
  quantity,   // a number in a unit of one physical dimension (see quantity_catalog.hpp)
  list,       // elements[0] is the element type; fixed_size set for Vector3 and the like
  dict,       // string keys; elements[0] is the value type
  literal,    // one of `literals` (numbers or strings)
  structure,  // named fields, in declaration order
  file,       // a file input or output; `extensions` restricts it
};

struct PortType;

struct StructField {
  std::string name;
  std::vector<PortType> type;  // exactly one element (a vector because PortType is incomplete here)

  friend bool operator==(const StructField&, const StructField&) = default;
};

struct PortType {
  TypeKind kind = TypeKind::numeric;
  // The catalogue name the type was written with ("Force", "Vector3", "Torsor",
  // "Float"); empty for constructed types (list[...], inline structs, literal[...]).
  std::string name;
  // quantity only: the catalogue quantity ("Force") and the unit the function's
  // numbers are in: the quantity's SI unit unless the port declares another.
  std::string quantity;
  std::string unit;
  // list and dict: exactly one element, the element (value) type.
  std::vector<PortType> elements;
  std::optional<std::size_t> fixed_size;     // list only: exact length, when fixed
  std::vector<StructField> fields;           // structure only
  std::vector<boost::json::value> literals;  // literal only: numbers or strings
  std::vector<std::string> extensions;       // file only: lower case, no dot; empty = any

  // The canonical text of the type, parseable by parse_port_type: the catalogue name
  // when it has one, else "list[Force]", "dict[str, Float]", "literal[8.8, 10.9]",
  // "{F: Force3, M: Moment3}", "File[csv, step]". Units are not part of it.
  std::string spelling() const;

  friend bool operator==(const PortType&, const PortType&) = default;
};

}  // namespace mecapy::packages
