// apply_unit of port.hpp: a port's declared unit given to the quantities of its type.
//
// One unit fits a type when every quantity in it (through lists, dicts, struct
// fields and composites) has the unit's dimension; it is then set on all of them. A
// type with quantities of several dimensions (a Torsor: forces and moments) takes its
// units per field, so one unit for all of it is refused rather than guessed. The unit
// is kept as written, without surrounding white space: it is what the schema shows.
#include <algorithm>
#include <string>

#include "packages/port.hpp"
#include "packages/quantity_catalog.hpp"
#include "packages/unit_system.hpp"

namespace mecapy::packages {

namespace {

void collect_quantities(PortType& type, std::vector<PortType*>& out) {
  if (type.kind == TypeKind::quantity) out.push_back(&type);
  for (PortType& element : type.elements) collect_quantities(element, out);
  for (StructField& field : type.fields) collect_quantities(field.type.front(), out);
}

}  // namespace

std::optional<std::string> apply_unit(PortType& type, std::string_view unit) {
  std::vector<PortType*> targets;
  collect_quantities(type, targets);
  if (targets.empty()) {
    return "unit '" + std::string(unit) + "' given to " + type.spelling() +
           ", which has no physical quantity; units apply to quantities such as Length, Force or list[Force]";
  }
  std::vector<const Quantity*> kinds;
  for (const PortType* target : targets) {
    const Quantity* quantity = find_quantity(target->quantity);
    if (!quantity) return "type " + type.spelling() + " has the quantity '" + target->quantity + "', unknown";
    if (std::none_of(kinds.begin(), kinds.end(),
                     [&](const Quantity* q) { return q->dimension == quantity->dimension; }))
      kinds.push_back(quantity);
  }
  if (kinds.size() > 1) {
    std::string names;
    for (const Quantity* kind : kinds) names += (names.empty() ? "" : ", ") + kind->name;
    return type.spelling() + " holds quantities of several dimensions (" + names +
           "): one unit cannot fit them all; give each field its own unit";
  }
  const Quantity& expected = *kinds.front();
  const std::optional<std::string> dimension = UnitSystem::instance().dimension(unit);
  if (!dimension) {
    if (const std::optional<std::string> close = closest_unit(unit, &expected)) {
      return "unknown unit '" + std::string(unit) + "' (did you mean '" + *close + "'?)";
    }
    return "unknown unit '" + std::string(unit) + "'; a " + expected.name + " takes units such as " +
           unit_examples(expected);
  }
  if (*dimension != expected.dimension) {
    return "'" + std::string(unit) + "' is " + unit_kind(unit).value_or("of dimension " + *dimension) + "; a " +
           expected.name + " takes units such as " + unit_examples(expected);
  }
  const std::size_t first = unit.find_first_not_of(" \t\r\n");  // known, so not blank
  const std::string written(unit.substr(first, unit.find_last_not_of(" \t\r\n") - first + 1));
  for (PortType* target : targets) target->unit = written;
  return std::nullopt;
}

}  // namespace mecapy::packages
