#include "packages/quantity_catalog.hpp"

#include <algorithm>
#include <cctype>

#include "packages/did_you_mean.hpp"
#include "packages/unit_system.hpp"

namespace mecapy::packages {

const std::vector<Quantity>& quantities() {
  // Units are UDUNITS-2 spellings ("deg", "Nm" and "kWh" are aliases of
  // unit_system.hpp). The SI unit of each quantity is its coherent SI unit.
  static const std::vector<Quantity> catalogue{
      {"Length", "L", "m", {"mm", "m", "cm", "µm", "km", "in", "ft"}},
      {"Area", "L2", "m2", {"mm2", "m2", "cm2", "in2", "ft2"}},
      {"Volume", "L3", "m3", {"mm3", "cm3", "L", "m3", "in3", "ft3"}},
      {"Angle", "A", "rad", {"deg", "rad", "arcmin", "arcsec", "turn"}},
      {"Mass", "M", "kg", {"kg", "g", "t", "lb"}},
      {"Density", "M L-3", "kg/m3", {"kg/m3", "g/cm3", "t/m3", "lb/ft3", "lb/in3"}},
      {"Time", "T", "s", {"s", "ms", "min", "h", "d"}},
      {"Frequency", "T-1", "Hz", {"Hz", "kHz", "rpm", "1/s"}},
      {"Force", "M L T-2", "N", {"N", "kN", "MN", "daN", "lbf", "kip"}},
      {"Moment", "M L2 T-2", "N.m", {"N.m", "N.mm", "kN.m", "lbf.ft", "lbf.in"}},
      {"Pressure", "M L-1 T-2", "Pa", {"bar", "kPa", "MPa", "Pa", "psi", "atm"}},
      {"Stress", "M L-1 T-2", "Pa", {"MPa", "Pa", "kPa", "GPa", "psi", "ksi"}},
      {"Energy", "M L2 T-2", "J", {"J", "kJ", "MJ", "kWh", "ft.lbf", "Btu"}},
      {"Power", "M L2 T-3", "W", {"W", "kW", "MW", "hp"}},
      {"Temperature", "Θ", "K", {"degC", "K", "degF"}},
      {"Velocity", "L T-1", "m/s", {"m/s", "mm/s", "km/h", "ft/s", "mph"}},
      {"Acceleration", "L T-2", "m/s2", {"m/s2", "mm/s2", "ft/s2", "in/s2"}},
      {"Stiffness", "M T-2", "N/m", {"N/mm", "N/m", "kN/mm", "kN/m", "lbf/in"}},
  };
  return catalogue;
}

const Quantity* find_quantity(std::string_view name) {
  const auto& all = quantities();
  const auto found = std::find_if(all.begin(), all.end(), [&](const Quantity& q) { return q.name == name; });
  return found == all.end() ? nullptr : &*found;
}

std::string quantity_word(const Quantity& quantity) {
  std::string lower = quantity.name;
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return lower;
}

std::string quantity_noun(const Quantity& quantity) {
  const std::string word = quantity_word(quantity);
  const bool vowel = std::string_view("aeiou").find(word.front()) != std::string_view::npos;
  return (vowel ? "an " : "a ") + word;
}

std::optional<std::string> unit_kind(std::string_view unit) {
  const std::optional<std::string> dimension = UnitSystem::instance().dimension(unit);
  if (!dimension) return std::nullopt;
  if (*dimension == "1") return "dimensionless";
  std::string nouns;
  for (const Quantity& quantity : quantities()) {
    if (quantity.dimension != *dimension) continue;
    nouns += (nouns.empty() ? "" : " or ") + quantity_noun(quantity);
  }
  return nouns.empty() ? "of dimension " + *dimension : nouns;
}

std::string unit_examples(const Quantity& quantity) {
  std::string out;
  const std::size_t shown = std::min<std::size_t>(quantity.suggested_units.size(), 4);
  for (std::size_t i = 0; i < shown; ++i) out += (i ? ", " : "") + quantity.suggested_units[i];
  return out;
}

std::optional<std::string> closest_unit(std::string_view unit, const Quantity* expected) {
  if (expected) {
    if (std::optional<std::string> close = closest_name(unit, expected->suggested_units)) return close;
  }
  static const std::vector<std::string> every_unit = [] {
    std::vector<std::string> out;
    for (const Quantity& quantity : quantities()) {
      for (const std::string& suggested : quantity.suggested_units) {
        if (std::find(out.begin(), out.end(), suggested) == out.end()) out.push_back(suggested);
      }
    }
    return out;
  }();
  return closest_name(unit, every_unit);
}

}  // namespace mecapy::packages
