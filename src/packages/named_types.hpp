// The names a type expression may use on its own: the primitives (with their Python
// spellings), the catalogue quantities and the named composites. Names are
// case-sensitive; a Python spelling gives the same PortType as its catalogue name
// (int and Integer are equal), so a type has one canonical spelling.
//
// Composites expand to constructed types and keep their name for display:
//   Vector3  list of exactly 3 Floats       Force3   list of exactly 3 Forces
//   Moment3  list of exactly 3 Moments      Torsor   {F: Force3, M: Moment3}
//   Matrix   list of lists of Floats (rows)
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "packages/port_type.hpp"

namespace mecapy::packages {

struct NamedType {
  std::string name;                  // "Float"
  std::vector<std::string> aliases;  // "float"
  std::string description;
  PortType type;
};

const std::vector<NamedType>& primitive_types();  // Numeric, Integer, Float, Boolean, String
const std::vector<NamedType>& composite_types();  // Vector3, Force3, Moment3, Torsor, Matrix

// The type a catalogue name (or Python spelling) stands for: a primitive, a quantity
// (its unit the SI unit) or a composite; nullopt for any other name.
std::optional<PortType> named_type(std::string_view name);

// A quantity's type, in the quantity's SI unit; nullopt when `quantity` is not one of
// the catalogue.
std::optional<PortType> quantity_type(std::string_view quantity);

// Every name named_type() accepts, catalogue names first: candidates for "did you mean".
const std::vector<std::string>& type_names();

}  // namespace mecapy::packages
