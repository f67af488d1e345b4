// canonical_inputs of port.hpp: a caller's inputs brought to what the function gets.
//
// A quantity may be written {"value": x, "unit": "u"} (exactly those two keys, x a
// number, u a string); it becomes x converted from u to the port's unit (UnitSystem,
// so offsets such as degC apply, and a unit equal to the port's returns x untouched,
// integers included). A plain number is kept as it is: it is taken to be in the
// port's unit already. Conversion goes element-wise through lists, dicts, struct
// fields and the composites. Everything else is copied unchanged: a value of the
// wrong shape is the schema's to report, with the canonical result in hand.
//
// Problems name the value by its JSON pointer (RFC 6901: "~" written "~0", "/" written
// "~1") and, in the message, by a path a reader recognises ("loads[2]", "torsor.F[0]"):
//   d: unit 'kg' is a mass; d is a Length, give it in mm or another length unit
//   d: unknown unit 'mmm' (did you mean 'mm'?)
//   n: a unit was given, but n is an Integer, which takes no unit: write the value alone
//   d: 1e+300 km is not a finite number once converted to mm
#include <cmath>
#include <string>

#include "core/json.hpp"
#include "core/numbers.hpp"
#include "packages/port.hpp"
#include "packages/quantity_catalog.hpp"
#include "packages/unit_system.hpp"

namespace mecapy::packages {

namespace {

std::string pointer_token(std::string_view key) {
  std::string escaped;
  for (char c : key) {
    if (c == '~') {
      escaped += "~0";
    } else if (c == '/') {
      escaped += "~1";
    } else {
      escaped += c;
    }
  }
  return escaped;
}

// Where a value is: its JSON pointer and its name in messages.
struct Place {
  std::string pointer;
  std::string label;

  static Place port(std::string_view name) { return {"/" + pointer_token(name), std::string(name)}; }
  Place index(std::size_t i) const {
    return {pointer + "/" + std::to_string(i), label + "[" + std::to_string(i) + "]"};
  }
  Place field(std::string_view name) const {
    return {pointer + "/" + pointer_token(name), label + "." + std::string(name)};
  }
  Place key(std::string_view key) const {
    return {pointer + "/" + pointer_token(key), label + "[" + serialize_json(boost::json::string(key)) + "]"};
  }
};

// The {"value": number, "unit": string} form, or null.
const boost::json::object* unit_form(const boost::json::value& value) {
  const boost::json::object* object = value.if_object();
  if (!object || object->size() != 2) return nullptr;
  const boost::json::value* number = object->if_contains("value");
  const boost::json::value* unit = object->if_contains("unit");
  if (!number || !unit || !number->is_number() || !unit->is_string()) return nullptr;
  return object;
}

std::string number_text(const boost::json::value& number) {
  return number.is_double() ? format_double(number.as_double()) : serialize_json(number);
}

std::string article(std::string_view noun) {
  return std::string_view("AEIOUaeiou").find(noun.front()) != std::string_view::npos ? "an " : "a ";
}

// The canonical form of a number where the function expects a real one (a Float, a
// quantity): an integer becomes the double of the same value when that is exact
// (|n| <= 2^53), so that 10 and 10.0, or 10 mm and 1 cm, are the same canonical input
// (one cache key, one stored form). Larger integers are left as given.
boost::json::value as_real(const boost::json::value& value) {
  constexpr std::int64_t kExact = std::int64_t{1} << 53;
  if (value.is_int64() && value.get_int64() >= -kExact && value.get_int64() <= kExact) {
    return static_cast<double>(value.get_int64());
  }
  if (value.is_uint64() && value.get_uint64() <= static_cast<std::uint64_t>(kExact)) {
    return static_cast<double>(value.get_uint64());
  }
  return value;
}

class Canonicaliser {
 public:
  explicit Canonicaliser(std::vector<ValueProblem>& problems) : problems_(problems) {}

  boost::json::value canonical(const boost::json::value& value, const PortType& type, const Place& place) {
    switch (type.kind) {
      case TypeKind::quantity:
        return quantity(value, type, place);
      case TypeKind::list:
        if (unit_form(value)) {
          const std::string shown = type.spelling();
          add(place, "a unit was given, but " + place.label + " is " + article(shown) + shown +
                         ": give a list of values, each with its unit");
        }
        if (const boost::json::array* array = value.if_array(); array && !type.elements.empty()) {
          boost::json::array out;
          out.reserve(array->size());
          for (std::size_t i = 0; i < array->size(); ++i) {
            out.push_back(canonical((*array)[i], type.elements.front(), place.index(i)));
          }
          return out;
        }
        break;
      case TypeKind::dict:
        if (const boost::json::object* object = value.if_object(); object && !type.elements.empty()) {
          boost::json::object out;
          for (const auto& member : *object) {
            out[member.key()] = canonical(member.value(), type.elements.front(), place.key(member.key()));
          }
          return out;
        }
        break;
      case TypeKind::structure:
        if (const boost::json::object* object = value.if_object()) {
          boost::json::object out = *object;
          for (const StructField& field : type.fields) {
            if (const boost::json::value* given = object->if_contains(field.name)) {
              out[field.name] = canonical(*given, field.type.front(), place.field(field.name));
            }
          }
          return out;
        }
        break;
      default:
        if (unit_form(value)) {
          const std::string shown = type.spelling();
          add(place, "a unit was given, but " + place.label + " is " + article(shown) + shown +
                         ", which takes no unit: write the value alone");
        } else if (type.kind == TypeKind::float_number) {
          return as_real(value);
        }
        break;
    }
    return value;
  }

 private:
  void add(const Place& place, const std::string& message) {
    problems_.push_back({place.pointer, place.label + ": " + message});
  }

  boost::json::value quantity(const boost::json::value& value, const PortType& type, const Place& place) {
    const boost::json::object* form = unit_form(value);
    if (!form) return as_real(value);
    const boost::json::value& number = form->at("value");
    const std::string unit(form->at("unit").as_string());
    const Quantity* expected = find_quantity(type.quantity);
    const std::string in_units =
        "give it in " + type.unit + (expected ? " or another " + quantity_word(*expected) + " unit" : std::string());
    const UnitSystem& units = UnitSystem::instance();
    const std::optional<std::string> dimension = units.dimension(unit);
    if (!dimension) {
      const std::optional<std::string> close = closest_unit(unit, expected);
      add(place, "unknown unit '" + unit + "'" + (close ? " (did you mean '" + *close + "'?)" : "; " + in_units));
      return value;
    }
    if (units.same_unit(unit, type.unit)) return as_real(number);  // as given, no arithmetic
    const std::optional<double> converted = units.convert(number.to_number<double>(), unit, type.unit);
    if (!converted) {
      const std::string kind = unit_kind(unit).value_or("of dimension " + *dimension);
      const std::string expected_name = expected ? expected->name : type.unit;
      add(place, "unit '" + unit + "' is " + kind + "; " + place.label + " is " + article(expected_name) +
                     expected_name + ", " + in_units);
      return value;
    }
    if (!std::isfinite(*converted)) {
      add(place, number_text(number) + " " + unit + " is not a finite number once converted to " + type.unit);
      return value;
    }
    return *converted;
  }

  std::vector<ValueProblem>& problems_;
};

}  // namespace

boost::json::object canonical_inputs(const std::vector<Port>& ports, const boost::json::object& inputs,
                                     std::vector<ValueProblem>& problems) {
  boost::json::object out = inputs;
  Canonicaliser canonicaliser(problems);
  for (const Port& port : ports) {
    if (const boost::json::value* given = inputs.if_contains(port.name)) {
      out[port.name] = canonicaliser.canonical(*given, port.type, Place::port(port.name));
    } else if (port.default_value) {
      out[port.name] = *port.default_value;
    }
  }
  return out;
}

}  // namespace mecapy::packages
