// PreparedSchema: two walks over the schema's subschemas, one to find the "$id"s,
// one to rewrite (see schema_document.hpp for what and why).
#include "packages/schema_document.hpp"

#include <boost/json.hpp>
#include <boost/url.hpp>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <regex>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/errors.hpp"
#include "core/json.hpp"

namespace mecapy::packages {

namespace json = boost::json;

void throw_invalid_schema(const std::string& detail, const std::string& cause) {
  throw Error(ErrorKind::invalid_input, "invalid-schema", "invalid JSON Schema: " + detail, cause);
}

constexpr double kTwoPow63 = 9223372036854775808.0;

bool fits_int64(double d) { return std::isfinite(d) && d == std::trunc(d) && d >= -kTwoPow63 && d < kTwoPow63; }

bool needs_number_form(const json::value& v) {
  switch (v.kind()) {
    case json::kind::uint64:
      return true;
    case json::kind::double_:
      return fits_int64(v.get_double());
    case json::kind::array:
      for (const auto& e : v.get_array())
        if (needs_number_form(e)) return true;
      return false;
    case json::kind::object:
      for (const auto& m : v.get_object())
        if (needs_number_form(m.value())) return true;
      return false;
    default:
      return false;
  }
}

void to_number_form(json::value& v) {
  switch (v.kind()) {
    case json::kind::uint64: {
      const std::uint64_t u = v.get_uint64();
      if (u <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
        v = static_cast<std::int64_t>(u);
      } else {
        v = static_cast<double>(u);
      }
      return;
    }
    case json::kind::double_:
      if (fits_int64(v.get_double())) v = static_cast<std::int64_t>(v.get_double());
      return;
    case json::kind::array:
      for (auto& e : v.get_array()) to_number_form(e);
      return;
    case json::kind::object:
      for (auto& m : v.get_object()) to_number_form(m.value());
      return;
    default:
      return;
  }
}

void append_pointer_token(std::string& pointer, std::string_view token) {
  pointer += '/';
  for (const char c : token) {
    if (c == '~') {
      pointer += "~0";
    } else if (c == '/') {
      pointer += "~1";
    } else {
      pointer += c;
    }
  }
}

const json::value* find_child(const json::value* v, const std::string& token) {
  if (!v) return nullptr;
  if (v->is_object()) return v->get_object().if_contains(token);
  if (v->is_array()) {
    std::size_t index = 0;
    const auto [end, ec] = std::from_chars(token.data(), token.data() + token.size(), index);
    if (ec != std::errc() || end != token.data() + token.size() || index >= v->get_array().size()) return nullptr;
    return &v->get_array()[index];
  }
  return nullptr;
}

// Resolves a local "$ref" ("#", "#/definitions/a%25b/x~1y"); nullptr for anything else.
const json::value* resolve_local_ref(const json::value& root, std::string_view ref) {
  if (ref.empty() || ref[0] != '#') return nullptr;
  ref.remove_prefix(1);
  const json::value* at = &root;
  while (!ref.empty() && at) {
    if (ref[0] != '/') return nullptr;
    ref.remove_prefix(1);
    const std::size_t end = std::min(ref.find('/'), ref.size());
    std::string token;
    for (std::size_t i = 0; i < end; ++i) {
      if (ref[i] == '~' && i + 1 < end) {
        token += ref[i + 1] == '1' ? '/' : '~';
        ++i;
      } else if (unsigned byte = 0;
                 ref[i] == '%' && i + 2 < end &&
                 std::from_chars(ref.data() + i + 1, ref.data() + i + 3, byte, 16).ptr == ref.data() + i + 3) {
        token += static_cast<char>(byte);  // a URI fragment is percent-encoded
        i += 2;
      } else {
        token += ref[i];
      }
    }
    at = find_child(at, token);
    ref.remove_prefix(end);
  }
  return at;
}

namespace {

// Placeholder base URI of a schema without an absolute "$id": relative "$id"s and
// "$ref"s resolve against it, so one resolution serves both.
constexpr std::string_view kDefaultBase = "urn:mecapy:schema";

// RFC 3986 reference resolution (Boost.URL): the absolute URI without its fragment,
// and the fragment (still percent-encoded); nullopt if a text is not a URI.
std::optional<std::pair<std::string, std::string>> resolve_uri(std::string_view base, std::string_view reference) {
  const auto base_uri = boost::urls::parse_uri(base);
  const auto ref = boost::urls::parse_uri_reference(reference);
  if (!base_uri || !ref) return std::nullopt;
  boost::urls::url out;
  if (!boost::urls::resolve(*base_uri, *ref, out)) return std::nullopt;
  std::string fragment(out.encoded_fragment());
  out.remove_fragment();
  return std::pair{std::string(out.buffer()), std::move(fragment)};
}

bool is_names_map(std::string_view keyword) {
  return keyword == "properties" || keyword == "patternProperties" || keyword == "definitions" ||
         keyword == "dependencies";
}

bool is_plain_data(std::string_view keyword) {
  return keyword == "const" || keyword == "enum" || keyword == "default" || keyword == "examples";
}

// Calls visit(object, base, pointer) on every schema object of `node`, parents
// first, with the base URI in force there ("$id" applied) and the object's JSON
// pointer. Goes down every value that may hold a schema, unknown keywords included
// (a "$ref" may point into them); not into const, enum, default and examples.
template <typename Visit>
void walk_schemas(json::value& node, const std::string& base, std::string& pointer, const Visit& visit) {
  const auto down = [&](json::value& child, std::string_view token, const std::string& child_base) {
    const std::size_t mark = pointer.size();
    append_pointer_token(pointer, token);
    walk_schemas(child, child_base, pointer, visit);
    pointer.resize(mark);
  };
  if (node.is_array()) {
    for (std::size_t i = 0; i < node.get_array().size(); ++i) down(node.get_array()[i], std::to_string(i), base);
    return;
  }
  if (!node.is_object()) return;
  json::object& schema = node.get_object();
  std::string scope = base;
  if (const auto* id = schema.if_contains("$id"); id && id->is_string() && !id->get_string().starts_with("#")) {
    const auto resolved = resolve_uri(base, id->get_string());
    if (!resolved) throw_invalid_schema("\"$id\" " + serialize_json(*id) + " is not a valid URI reference");
    scope = resolved->first;
  }
  visit(schema, scope, pointer);
  for (auto& member : schema) {
    const std::string_view key = member.key();
    if (is_plain_data(key)) continue;
    if (is_names_map(key) && member.value().is_object()) {
      const std::size_t mark = pointer.size();
      append_pointer_token(pointer, key);
      for (auto& named : member.value().get_object()) down(named.value(), named.key(), scope);
      pointer.resize(mark);
      continue;
    }
    down(member.value(), key, scope);
  }
}

// valijson reads a bound written as a string ("0") as a number; draft 7 wants numbers,
// and non-negative integers for lengths and counts.
void check_numeric_keywords(const json::object& schema) {
  for (const char* keyword : {"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"}) {
    if (const auto* v = schema.if_contains(keyword); v && !v->is_number())
      throw_invalid_schema("\"" + std::string(keyword) + "\" must be a number");
  }
  for (const char* keyword : {"minLength", "maxLength", "minItems", "maxItems", "minProperties", "maxProperties"}) {
    const auto* v = schema.if_contains(keyword);
    if (!v) continue;
    const bool count = (v->is_int64() && v->get_int64() >= 0) || v->is_uint64() ||
                       (v->is_double() && v->get_double() >= 0 && fits_int64(v->get_double()));
    if (!count) throw_invalid_schema("\"" + std::string(keyword) + "\" must be a non-negative integer");
  }
}

// The second walk's work on one subschema; `ids` maps absolute "$id"s to pointers.
void rewrite(json::object& schema, const std::string& scope, const std::unordered_map<std::string, std::string>& ids,
             bool& has_pattern_properties) {
  schema.erase("id");  // not a draft 7 keyword; valijson would take it for a scope
  check_numeric_keywords(schema);
  if (auto* ref = schema.if_contains("$ref"); ref && ref->is_string()) {
    const auto resolved = resolve_uri(scope, ref->get_string());
    if (!resolved) throw_invalid_schema("\"$ref\" " + serialize_json(*ref) + " is not a valid URI reference");
    if (const auto found = ids.find(resolved->first); found != ids.end()) {
      std::string local = "#";
      for (const char c : found->second) local += c == '%' ? std::string("%25") : std::string(1, c);
      *ref = local + resolved->second;
    }
  }
  for (const char* keyword : {"multipleOf", "pattern"}) {
    if (auto* value = schema.if_contains(keyword)) {
      json::value moved = std::move(*value);
      schema.erase(keyword);
      schema[keyword == std::string_view("pattern") ? kPatternKeyword : kMultipleOfKeyword] = std::move(moved);
    }
  }
  if (const auto* patterns = schema.if_contains("patternProperties"); patterns && patterns->is_object()) {
    has_pattern_properties = true;
    for (const auto& named : patterns->get_object()) {
      try {
        const std::regex checked(std::string(named.key()), std::regex::ECMAScript);
      } catch (const std::regex_error& e) {
        throw_invalid_schema("the patternProperties key " + serialize_json(json::string(named.key())) +
                                 " is not a valid regular expression",
                             e.what());
      }
    }
  }
}

// The subschemas that apply to the same value as `schema` (valijson follows a
// "$ref" alone, ignoring its siblings, as draft 7 says).
std::vector<const json::value*> in_place(const json::object& schema, const json::value& root) {
  std::vector<const json::value*> out;
  if (const auto* ref = schema.if_contains("$ref"); ref && ref->is_string()) {
    if (const auto* target = resolve_local_ref(root, ref->get_string())) out.push_back(target);
    return out;
  }
  for (const char* keyword : {"allOf", "anyOf", "oneOf"}) {
    if (const auto* list = schema.if_contains(keyword); list && list->is_array())
      for (const auto& sub : list->get_array()) out.push_back(&sub);
  }
  for (const char* keyword : {"not", "if", "then", "else"}) {
    if (const auto* sub = schema.if_contains(keyword)) out.push_back(sub);
  }
  if (const auto* dependencies = schema.if_contains("dependencies"); dependencies && dependencies->is_object()) {
    for (const auto& d : dependencies->get_object())
      if (d.value().is_object()) out.push_back(&d.value());
  }
  return out;
}

// Whether following in-place subschemas from `node` comes back to a schema still
// being followed: validation would then recurse without end on any value.
bool loops(const json::value& node, const json::value& root, std::unordered_map<const json::value*, bool>& done) {
  if (!node.is_object()) return false;
  const auto [it, fresh] = done.try_emplace(&node, false);
  if (!fresh) return !it->second;  // on the current path: a loop; finished: none through here
  for (const auto* next : in_place(node.get_object(), root))
    if (loops(*next, root, done)) return true;
  done[&node] = true;
  return false;
}

}  // namespace

PreparedSchema::PreparedSchema(const json::value& schema) : document(schema) {
  std::unordered_map<std::string, std::string> ids;  // absolute "$id" -> JSON pointer; parents first
  std::string pointer;
  walk_schemas(document, std::string(kDefaultBase), pointer,
               [&ids](json::object&, const std::string& scope, const std::string& at) { ids.emplace(scope, at); });
  walk_schemas(document, std::string(kDefaultBase), pointer,
               [&](json::object& subschema, const std::string& scope, const std::string&) {
                 rewrite(subschema, scope, ids, has_pattern_properties);
               });
  if (needs_number_form(document)) to_number_form(document);
  std::unordered_map<const json::value*, bool> done;  // subschema -> finished
  std::vector<const json::value*> subschemas;
  walk_schemas(document, std::string(kDefaultBase), pointer,
               [&](json::object&, const std::string&, const std::string& at) {
                 boost::system::error_code ec;
                 if (const auto* node = document.find_pointer(at, ec)) subschemas.push_back(node);
               });
  for (const auto* node : subschemas) {
    if (loops(*node, document, done))
      throw_invalid_schema(
          "its references loop back to the same value without going into it (as \"anyOf\": "
          "[{\"$ref\": \"#\"}] does), so no value could ever be checked against it");
  }
}

}  // namespace mecapy::packages
