// The physical quantities a port can be typed with: their dimension, their SI unit
// (the unit a port's numbers are in unless it declares another) and the units a form
// offers for them, engineering ones first.
//
// Promises, checked by the tests: every unit listed parses in UDUNITS-2 (with the
// aliases of unit_system.hpp), converts to the quantity's SI unit, and has the
// dimension listed. Moment and Energy share a dimension, as do Stress and Pressure:
// a unit of one is accepted for the other.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mecapy::packages {

struct Quantity {
  std::string name;                          // "Force": the type name a manifest writes
  std::string dimension;                     // "M L T-2", as UnitSystem::dimension writes it
  std::string si_unit;                       // "N", a UDUNITS-2 spelling
  std::vector<std::string> suggested_units;  // "N", "kN", "MN", "lbf": the first is the usual one
};

// In the order of the catalogue served to clients.
const std::vector<Quantity>& quantities();

// Case-sensitive; nullptr when `name` is not a catalogue quantity.
const Quantity* find_quantity(std::string_view name);

// What `unit` measures, for messages: "a mass", "a moment or an energy" (the
// catalogue quantities of its dimension), "dimensionless", or "of dimension N" when
// no quantity has it; nullopt when the unit is unknown.
std::optional<std::string> unit_kind(std::string_view unit);

// "length", "area": the quantity's name in lower case, as prose writes it.
std::string quantity_word(const Quantity& quantity);

// "a length", "an area": the same with its article.
std::string quantity_noun(const Quantity& quantity);

// Up to four suggested units of `quantity`, for messages: "N, kN, MN, daN".
std::string unit_examples(const Quantity& quantity);

// The unit a user probably meant by the unknown `unit`: the nearest (did_you_mean.hpp)
// suggested unit of `expected` (may be null), else of any quantity; nullopt if none is near.
std::optional<std::string> closest_unit(std::string_view unit, const Quantity* expected);

}  // namespace mecapy::packages
