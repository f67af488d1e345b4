#include "packages/port_type.hpp"

#include "core/json.hpp"

namespace mecapy::packages {

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
      for (std::size_t i = 0; i < literals.size(); ++i) out += (i ? ", " : "") + serialize_json(literals[i]);
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
