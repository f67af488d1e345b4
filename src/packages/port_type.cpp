// PortType::spelling(): the canonical text of a type, in the grammar parse_port_type
// reads (type_parser.cpp), so that parsing a spelling gives back an equal PortType
// (the tests check it for every form). Catalogue names stand for themselves.
#include "packages/port_type.hpp"

#include "core/json.hpp"
#include "core/numbers.hpp"

namespace mecapy::packages {

namespace {

// A literal as parse_port_type reads it back: a double keeps a decimal point or an
// exponent (10.0, not 10, which would read as an integer), strings are JSON strings.
std::string literal_text(const boost::json::value& literal) {
  if (!literal.is_double()) return serialize_json(literal);
  std::string text = format_double(literal.as_double());
  if (text.find_first_of(".e") == std::string::npos) text += ".0";  // literals are finite: no "inf" here
  return text;
}

}  // namespace

std::string PortType::spelling() const {
  if (!name.empty()) return name;
  std::string out;
  switch (kind) {
    case TypeKind::list:
      return "list[" + (elements.empty() ? std::string("?") : elements.front().spelling()) + "]";
    case TypeKind::dict:
      return "dict[str, " + (elements.empty() ? std::string("?") : elements.front().spelling()) + "]";
    case TypeKind::literal:
      out = "literal[";
      for (std::size_t i = 0; i < literals.size(); ++i) out += (i ? ", " : "") + literal_text(literals[i]);
      return out + "]";
    case TypeKind::structure:
      out = "{";
      for (std::size_t i = 0; i < fields.size(); ++i) {
        out += (i ? ", " : "") + fields[i].name + ": " + fields[i].type.front().spelling();
      }
      return out + "}";
    case TypeKind::file:
      if (extensions.empty()) return "File";
      out = "File[";
      for (std::size_t i = 0; i < extensions.size(); ++i) out += (i ? ", " : "") + extensions[i];
      return out + "]";
    case TypeKind::quantity:
      return quantity;
    case TypeKind::numeric:
      return "Numeric";
    case TypeKind::integer:
      return "Integer";
    case TypeKind::float_number:
      return "Float";
    case TypeKind::boolean:
      return "Boolean";
    case TypeKind::string:
      return "String";
  }
  return "?";
}

}  // namespace mecapy::packages
