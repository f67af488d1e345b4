// JsonSchema: valijson does the validation; this file prepares what valijson reads
// and turns its reports into SchemaViolations.
//
// Where valijson 1.0 and JSON Schema draft 7 disagree, the fix is made at the point
// of disagreement, and valijson still walks the schema:
//  - Numbers reach valijson in the form it handles: valijson's Boost.JSON adapter
//    takes only int64 as integers and cannot read uint64 at all (a bound check on
//    18446744073709551615 throws). Both documents are therefore handed over with
//    integral doubles that fit in int64 as int64 (draft 7: 1.0 is an integer) and
//    uint64 beyond int64 as double. The caller's values are never changed; a copy
//    is made only when such a number is present.
//  - "multipleOf" is checked by DecimalMultipleOf below: valijson truncates a
//    non-integral value before dividing by an integer divisor (4.5 would be a
//    multiple of 2) and compares decimal remainders with an absolute epsilon (1e-20
//    would be a multiple of 1e-17). JSON numbers are decimal, so the check is made
//    exactly on the shortest decimal forms of the two numbers.
//  - "pattern" is matched by Boost.Regex (ECMAScript syntax), compiled once with the
//    schema: valijson uses std::regex, whose matcher recurses once per character and
//    overflows the stack on a long string (a 20,000-character input crashes the
//    process). Boost.Regex does not recurse and reports an exhausted budget instead.
//    Property names matched by "patternProperties" still go through valijson's
//    std::regex, so when a schema has patternProperties, instances with property
//    names longer than kMaxPatternPropertyName bytes are refused before valijson runs.
// The two keywords are renamed in the copy valijson parses, so that only our
// constraints (registered with valijson's ConstraintBuilder hook) handle them.
//
// Thread safety: validate() builds its own visitor, results and context; the
// valijson Schema and the Boost.Regex objects are only read (both libraries document
// compiled schemas and regexes as shareable between threads); no std::regex cache is
// shared (valijson's Validator keeps one, which is why it is not used here).
//
// Messages: valijson reports a context path ("<root>", "[d]", "[2]"), a terse text
// and one extra error per enclosing level. Only the errors that say what is wrong
// are kept; their wording is rewritten from the schema found at the same place
// (SchemaLocator), whose numbers are printed exactly (valijson prints 6 decimals).
#define VALIJSON_USE_EXCEPTIONS 1  // before any valijson header: otherwise it aborts on a bad schema

#include "packages/schema_validator.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <boost/regex.hpp>
#include <boost/url.hpp>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <regex>
#include <span>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <valijson/adapters/boost_json_adapter.hpp>
#include <valijson/constraint_builder.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validation_visitor.hpp>

#include "core/errors.hpp"
#include "core/json.hpp"
#include "core/numbers.hpp"

namespace mecapy::packages {
namespace {

namespace json = boost::json;
using valijson::adapters::Adapter;
using valijson::adapters::BoostJsonAdapter;

// Names the renamed keywords have in the copy valijson parses.
constexpr std::string_view kMultipleOfKeyword = "$mecapy:multipleOf";
constexpr std::string_view kPatternKeyword = "$mecapy:pattern";
constexpr std::size_t kMaxPatternPropertyName = 256;
constexpr std::size_t kMaxListedNames = 20;  // in "expected one of: ..." and "must be one of ..."

[[noreturn]] void throw_invalid_schema(const std::string& detail, const std::string& cause = {}) {
  throw Error(ErrorKind::invalid_input, "invalid-schema", "invalid JSON Schema: " + detail, cause);
}

// ---- Numbers, as valijson can read them ----

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

// ---- multipleOf on decimal values ----

// |value| = mantissa * 10^exponent, mantissa without trailing zeros (0 for zero).
struct Decimal {
  std::uint64_t mantissa = 0;
  int exponent = 0;
};

Decimal normalize(Decimal d) {
  while (d.mantissa != 0 && d.mantissa % 10 == 0) {
    d.mantissa /= 10;
    ++d.exponent;
  }
  if (d.mantissa == 0) d.exponent = 0;
  return d;
}

Decimal decimal_of(std::int64_t i) {
  const std::uint64_t magnitude = i < 0 ? 0 - static_cast<std::uint64_t>(i) : static_cast<std::uint64_t>(i);
  return normalize({magnitude, 0});
}

// From the shortest round-trip text of `d` ("0.0001", "1.5e-07", "123456789012345680000"):
// at most 17 significant digits, so the mantissa fits once zeros are moved out.
Decimal decimal_of(double d) {
  const std::string text = format_double(d);
  Decimal out;
  int fraction_digits = 0;
  bool in_fraction = false;
  std::size_t i = text[0] == '-' ? 1 : 0;
  int pending_zeros = 0;  // trailing zeros not yet known to be followed by a digit
  for (; i < text.size() && text[i] != 'e'; ++i) {
    if (text[i] == '.') {
      in_fraction = true;
      continue;
    }
    const int digit = text[i] - '0';
    if (in_fraction) ++fraction_digits;
    if (digit == 0) {
      ++pending_zeros;
      continue;
    }
    for (; pending_zeros > 0; --pending_zeros)
      if (out.mantissa != 0) out.mantissa *= 10;
    out.mantissa = out.mantissa * 10 + static_cast<std::uint64_t>(digit);
  }
  out.exponent = pending_zeros - fraction_digits;
  if (i < text.size()) out.exponent += std::stoi(text.substr(i + 1));
  return normalize(out);
}

std::uint64_t pow10_mod(int k, std::uint64_t m) {
  unsigned __int128 result = 1 % m;
  unsigned __int128 base = 10 % m;
  for (auto e = static_cast<unsigned>(k); e != 0; e >>= 1) {
    if (e & 1U) result = result * base % m;
    base = base * base % m;
  }
  return static_cast<std::uint64_t>(result);
}

// Whether value / divisor is an integer, exactly (divisor non-zero).
bool is_multiple(Decimal value, Decimal divisor) {
  if (value.mantissa == 0) return true;
  const int k = value.exponent - divisor.exponent;
  if (k >= 0) {
    const unsigned __int128 r = static_cast<unsigned __int128>(value.mantissa % divisor.mantissa) *
                                pow10_mod(k, divisor.mantissa) % divisor.mantissa;
    return r == 0;
  }
  // divisor.mantissa * 10^-k must divide value.mantissa, so must not exceed it.
  unsigned __int128 scaled = divisor.mantissa;
  for (int e = 0; e < -k; ++e) {
    scaled *= 10;
    if (scaled > value.mantissa) return false;
  }
  return value.mantissa % static_cast<std::uint64_t>(scaled) == 0;
}

std::string number_text(const json::value& v) {
  if (v.is_int64()) return std::to_string(v.get_int64());
  if (v.is_uint64()) return std::to_string(v.get_uint64());
  if (v.is_double()) return format_double(v.get_double());
  return serialize_json(v);
}

class DecimalMultipleOf : public valijson::constraints::PolyConstraint {
 public:
  DecimalMultipleOf(Decimal divisor, std::string text) : divisor_(divisor), text_(std::move(text)) {}

  bool validate(const Adapter& target, const std::vector<std::string>& context,
                valijson::ValidationResults* results) const override {
    Decimal value;
    if (target.isInteger()) {
      value = decimal_of(target.asInteger());
    } else if (target.isDouble()) {
      const double d = target.asDouble();
      if (!std::isfinite(d)) return true;  // not a JSON number; never produced by parse_json
      value = decimal_of(d);
    } else {
      return true;  // multipleOf says nothing about non-numbers
    }
    if (is_multiple(value, divisor_)) return true;
    if (results) results->pushError(context, "must be a multiple of " + text_);
    return false;
  }

 private:
  Constraint* cloneInto(void* memory) const override { return new (memory) DecimalMultipleOf(*this); }
  std::size_t sizeOf() const override { return sizeof(DecimalMultipleOf); }

  Decimal divisor_;
  std::string text_;
};

class DecimalMultipleOfBuilder : public valijson::ConstraintBuilder {
 public:
  valijson::constraints::Constraint* make(const Adapter& node) const override {
    Decimal divisor;
    std::string text;
    if (node.isInteger() && node.asInteger() > 0) {
      divisor = decimal_of(node.asInteger());
      text = std::to_string(node.asInteger());
    } else if (node.isDouble() && node.asDouble() > 0 && std::isfinite(node.asDouble())) {
      divisor = decimal_of(node.asDouble());
      text = format_double(node.asDouble());
    } else {
      throw_invalid_schema("\"multipleOf\" must be a number greater than 0");
    }
    return new DecimalMultipleOf(divisor, std::move(text));
  }
};

// ---- pattern with Boost.Regex ----

class BoostPattern : public valijson::constraints::PolyConstraint {
 public:
  BoostPattern(boost::regex regex, std::string text) : regex_(std::move(regex)), text_(std::move(text)) {}

  bool validate(const Adapter& target, const std::vector<std::string>& context,
                valijson::ValidationResults* results) const override {
    if (!target.isString()) return true;
    const std::string subject = target.asString();
    std::string failure;
    try {
      if (boost::regex_search(subject, regex_)) return true;
      failure = "must match the pattern " + text_;
    } catch (const std::runtime_error&) {  // Boost.Regex's stack or complexity budget is spent
      failure = "is too long or too complex to be checked against the pattern " + text_;
    }
    if (results) results->pushError(context, failure);
    return false;
  }

 private:
  Constraint* cloneInto(void* memory) const override { return new (memory) BoostPattern(*this); }
  std::size_t sizeOf() const override { return sizeof(BoostPattern); }

  boost::regex regex_;
  std::string text_;
};

class BoostPatternBuilder : public valijson::ConstraintBuilder {
 public:
  valijson::constraints::Constraint* make(const Adapter& node) const override {
    if (!node.isString()) throw_invalid_schema("\"pattern\" must be a string");
    const std::string text = node.asString();
    try {
      return new BoostPattern(boost::regex(text, boost::regex::ECMAScript), serialize_json(json::string(text)));
    } catch (const boost::regex_error& e) {
      throw_invalid_schema("\"pattern\" " + serialize_json(json::string(text)) + " is not a valid regular expression",
                           e.what());
    }
  }
};

// ---- Pointers ----

void append_token(std::string& pointer, std::string_view token) {
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

// ---- The copy of the schema that valijson parses ----

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
    append_token(pointer, token);
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
      append_token(pointer, key);
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

// The copy of the schema valijson parses, and that messages read.
//  - "multipleOf" and "pattern" are renamed for our constraints.
//  - Every "$ref" that resolves (RFC 3986, against the "$id"s in force) to this
//    document or to one of its subschemas with an "$id" becomes a local JSON pointer
//    reference: valijson 1.0 reads scopes from "id" (the draft 4 spelling), resolves
//    a relative reference by appending it to the scope, and files a fetched
//    document's schemas under the caller's scope. Other "$ref"s stay as they are and
//    make valijson fail, since it is given no way to fetch.
//  - The regexes of patternProperties, which valijson compiles with std::regex at
//    validation time, are compiled once here so that a bad one is a bad schema.
struct Prepared {
  json::value document;
  bool has_pattern_properties = false;

  explicit Prepared(const json::value& schema) : document(schema) {
    std::unordered_map<std::string, std::string> ids;  // absolute "$id" -> JSON pointer
    std::string pointer;
    walk_schemas(document, std::string(kDefaultBase), pointer,
                 [&ids](json::object&, const std::string& scope, const std::string& at) { ids.emplace(scope, at); });
    walk_schemas(
        document, std::string(kDefaultBase), pointer,
        [&](json::object& schema, const std::string& scope, const std::string&) { rewrite(schema, scope, ids); });
    if (needs_number_form(document)) to_number_form(document);
  }

 private:
  void rewrite(json::object& schema, const std::string& scope,
               const std::unordered_map<std::string, std::string>& ids) {
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
};

const json::value* child_of(const json::value* v, const std::string& token) {
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
    at = child_of(at, token);
    ref.remove_prefix(end);
  }
  return at;
}

// ---- Finding the schema at an instance location, for messages ----

// Every schema object that applies to the instance value at `tokens` and can explain
// a violation there: reached from the root through properties, patternProperties,
// additionalProperties, items and additionalItems, and in place through local $refs,
// allOf, anyOf, oneOf, if, then and else ("not" holds no explanation). This is a
// reading aid for messages, never a judgement of validity.
class SchemaLocator {
 public:
  explicit SchemaLocator(const json::value& root) : root_(root) {}

  std::vector<const json::object*> at(const json::value& instance, std::span<const std::string> tokens) const {
    std::vector<const json::object*> out;
    collect(root_, &instance, tokens, out, 0);
    return out;
  }

 private:
  void collect(const json::value& schema, const json::value* instance, std::span<const std::string> tokens,
               std::vector<const json::object*>& out, int depth) const {
    if (depth > 64 || !schema.is_object()) return;  // depth: $ref cycles
    const json::object& s = schema.get_object();
    if (const auto* ref = s.if_contains("$ref"); ref && ref->is_string()) {
      if (const auto* target = resolve_local_ref(root_, ref->get_string())) {
        collect(*target, instance, tokens, out, depth + 1);
      }
      return;  // draft 7: the siblings of $ref are ignored
    }
    for (const char* keyword : {"allOf", "anyOf", "oneOf"}) {
      if (const auto* list = s.if_contains(keyword); list && list->is_array())
        for (const auto& sub : list->get_array()) collect(sub, instance, tokens, out, depth + 1);
    }
    for (const char* keyword : {"if", "then", "else"}) {
      if (const auto* sub = s.if_contains(keyword)) collect(*sub, instance, tokens, out, depth + 1);
    }
    if (tokens.empty()) {
      out.push_back(&s);
      return;
    }
    const std::string& token = tokens.front();
    const json::value* child = child_of(instance, token);
    const auto rest = tokens.subspan(1);
    if (instance && instance->is_array()) {
      collect_item(s, child, token, rest, out, depth);
      return;
    }
    bool matched = false;
    if (const auto* props = s.if_contains("properties"); props && props->is_object()) {
      if (const auto* sub = props->get_object().if_contains(token)) {
        matched = true;
        collect(*sub, child, rest, out, depth + 1);
      }
    }
    if (const auto* patterns = s.if_contains("patternProperties"); patterns && patterns->is_object()) {
      for (const auto& p : patterns->get_object()) {
        if (std::regex_search(token, std::regex(std::string(p.key()), std::regex::ECMAScript))) {
          matched = true;
          collect(p.value(), child, rest, out, depth + 1);
        }
      }
    }
    if (const auto* extra = s.if_contains("additionalProperties"); extra && !matched) {
      collect(*extra, child, rest, out, depth + 1);
    }
  }

  void collect_item(const json::object& s, const json::value* child, const std::string& token,
                    std::span<const std::string> rest, std::vector<const json::object*>& out, int depth) const {
    const auto* items = s.if_contains("items");
    if (!items) return;
    if (!items->is_array()) {
      collect(*items, child, rest, out, depth + 1);
      return;
    }
    const std::size_t index = std::stoul(token);
    if (index < items->get_array().size()) {
      collect(items->get_array()[index], child, rest, out, depth + 1);
    } else if (const auto* extra = s.if_contains("additionalItems")) {
      collect(*extra, child, rest, out, depth + 1);
    }
  }

  const json::value& root_;
};

// ---- Messages ----

std::string display(const json::value& v) {
  if (v.is_number()) return number_text(v);
  std::string text = serialize_json(v);
  if (text.size() > 80) text = text.substr(0, 77) + "...";
  return text;
}

std::string plural(std::uint64_t n, const char* word) { return std::to_string(n) + " " + word + (n == 1 ? "" : "s"); }

std::string properties_count(std::uint64_t n) { return std::to_string(n) + (n == 1 ? " property" : " properties"); }

std::optional<double> number_of(const json::value* v) {
  if (!v || !v->is_number()) return std::nullopt;
  return v->to_number<double>();
}

// The first `keyword` among the schemas, preferring one whose number the value
// breaks (several apply when allOf combines bounds).
const json::value* bound(const std::vector<const json::object*>& schemas, const char* keyword, const json::value* value,
                         bool lower) {
  const json::value* first = nullptr;
  const auto x = number_of(value);
  for (const auto* s : schemas) {
    const auto* b = s->if_contains(keyword);
    if (!b || !b->is_number()) continue;
    if (!first) first = b;
    const double limit = b->to_number<double>();
    if (x && (lower ? *x <= limit : *x >= limit)) return b;
  }
  return first;
}

bool has_type(const json::value& v, std::string_view type) {
  if (type == "integer") return v.is_int64() || v.is_uint64() || (v.is_double() && fits_int64(v.get_double()));
  if (type == "number") return v.is_number();
  if (type == "string") return v.is_string();
  if (type == "boolean") return v.is_bool();
  if (type == "object") return v.is_object();
  if (type == "array") return v.is_array();
  if (type == "null") return v.is_null();
  return false;
}

std::string type_phrase(std::string_view type) {
  if (type == "integer") return "an integer";
  if (type == "number") return "a number";
  if (type == "string") return "a string";
  if (type == "boolean") return "true or false";
  if (type == "object") return "an object";
  if (type == "array") return "a list";
  if (type == "null") return "null";
  return std::string(type);
}

std::string type_message(const std::vector<const json::object*>& schemas, const json::value* value) {
  if (value && value->is_number() && !value->is_int64()) {
    const double d = value->to_number<double>();
    const bool integral = std::isfinite(d) && d == std::trunc(d);
    for (const auto* s : schemas) {
      const auto* t = s->if_contains("type");
      const bool wants_integer = t && ((t->is_string() && t->get_string() == "integer") ||
                                       (t->is_array() && std::find(t->get_array().begin(), t->get_array().end(),
                                                                   json::value("integer")) != t->get_array().end()));
      if (wants_integer && integral && !fits_int64(d))
        return "is too large for an integer: integers lie between -9223372036854775808 and 9223372036854775807";
    }
  }
  for (const auto* s : schemas) {
    const auto* t = s->if_contains("type");
    if (!t) continue;
    std::vector<std::string_view> types;
    if (t->is_string()) types.emplace_back(t->get_string());
    if (t->is_array())
      for (const auto& e : t->get_array())
        if (e.is_string()) types.emplace_back(e.get_string());
    if (value && std::any_of(types.begin(), types.end(), [&](auto type) { return has_type(*value, type); })) continue;
    std::string message = "must be ";
    for (std::size_t i = 0; i < types.size(); ++i) {
      message += (i == 0 ? "" : i + 1 == types.size() ? " or " : ", ") + type_phrase(types[i]);
    }
    return message;
  }
  return "has a type the schema does not allow";
}

std::string enum_message(const std::vector<const json::object*>& schemas) {
  for (const auto* s : schemas) {
    const auto* e = s->if_contains("enum");
    if (!e || !e->is_array()) continue;
    const auto& values = e->get_array();
    if (values.size() == 1) return "must be " + display(values[0]);
    std::string message = "must be one of ";
    for (std::size_t i = 0; i < values.size() && i < kMaxListedNames; ++i)
      message += (i ? ", " : "") + display(values[i]);
    if (values.size() > kMaxListedNames) message += ", ...";
    return message;
  }
  return "must be one of the allowed values";
}

std::string const_message(const std::vector<const json::object*>& schemas) {
  for (const auto* s : schemas)
    if (const auto* c = s->if_contains("const")) return "must be " + display(*c);
  return "must be the value the schema fixes";
}

// Text between `prefix` and `suffix` of `description`, if it has both.
std::optional<std::string> between(std::string_view description, std::string_view prefix, std::string_view suffix) {
  if (!description.starts_with(prefix) || !description.ends_with(suffix) ||
      description.size() < prefix.size() + suffix.size())
    return std::nullopt;
  return std::string(description.substr(prefix.size(), description.size() - prefix.size() - suffix.size()));
}

std::optional<std::uint64_t> trailing_count(std::string_view description, std::string_view prefix,
                                            std::string_view suffix) {
  const auto text = between(description, prefix, suffix);
  if (!text) return std::nullopt;
  std::uint64_t n = 0;
  const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), n);
  if (ec != std::errc() || end != text->data() + text->size()) return std::nullopt;
  return n;
}

bool exact_count(const std::vector<const json::object*>& schemas, const char* min_keyword, const char* max_keyword,
                 std::uint64_t n) {
  const json::value expected(static_cast<std::int64_t>(n));
  for (const auto* s : schemas) {
    const auto* lo = s->if_contains(min_keyword);
    const auto* hi = s->if_contains(max_keyword);
    if (lo && hi && lo->is_number() && hi->is_number() && lo->to_number<double>() == static_cast<double>(n) &&
        hi->to_number<double>() == static_cast<double>(n))
      return true;
  }
  return false;
}

// One error of valijson's, read: either a violation (pointer, message) or an
// enclosing report whose `scope` holds the violations it sums up.
struct Reading {
  bool enclosing = false;
  std::string pointer;  // violation: where; enclosing: its scope
  std::string message;
};

class Reader {
 public:
  Reader(const json::value& schema, const json::value& instance) : locator_(schema), instance_(instance) {}

  // Appends the readings of one valijson error.
  void read(const valijson::ValidationResults::Error& error, std::vector<Reading>& out) const {
    std::vector<std::string> tokens;
    std::string pointer;
    for (std::size_t i = 1; i < error.context.size(); ++i) {  // [0] is "<root>"
      const std::string& element = error.context[i];
      tokens.push_back(element.size() >= 2 ? element.substr(1, element.size() - 2) : element);
      append_token(pointer, tokens.back());
    }
    const std::string_view d = error.description;
    const json::value* value = &instance_;
    for (const auto& t : tokens) value = child_of(value, t);
    const auto schemas = [&] { return locator_.at(instance_, tokens); };
    const auto violation = [&](std::string message) { out.push_back({false, pointer, std::move(message)}); };
    const auto enclosing = [&](std::string scope) { out.push_back({true, std::move(scope), {}}); };

    if (d.starts_with("must ") || d.starts_with("is too long or too complex")) return violation(std::string(d));
    if (d == "Value type not permitted by 'type' constraint.") return violation(type_message(schemas(), value));
    if (d == "Failed to match against any enum values.") return violation(enum_message(schemas()));
    if (d == "Failed to match expected value set by 'const' constraint.") return violation(const_message(schemas()));
    if (d.starts_with("Expected number greater than or equal to ")) {
      const auto* b = bound(schemas(), "minimum", value, false);
      return violation(b ? "must be at least " + number_text(*b) : "is too small");
    }
    if (d.starts_with("Expected number greater than ")) {
      const auto* b = bound(schemas(), "exclusiveMinimum", value, false);
      return violation(b ? "must be greater than " + number_text(*b) : "is too small");
    }
    if (d.starts_with("Expected number less than or equal to ")) {
      const auto* b = bound(schemas(), "maximum", value, true);
      return violation(b ? "must be at most " + number_text(*b) : "is too large");
    }
    if (d.starts_with("Expected number less than ")) {
      const auto* b = bound(schemas(), "exclusiveMaximum", value, true);
      return violation(b ? "must be less than " + number_text(*b) : "is too large");
    }
    if (auto n = trailing_count(d, "String should be no fewer than ", " characters in length."))
      return violation("must be at least " + plural(*n, "character") + " long");
    if (auto n = trailing_count(d, "String should be no more than ", " characters in length."))
      return violation("must be at most " + plural(*n, "character") + " long");
    if (auto name = between(d, "Missing required property '", "'.")) {
      append_token(pointer, *name);
      return violation("is required");
    }
    if (auto name = between(d, "Missing dependency '", "'.")) {
      append_token(pointer, *name);
      return violation("is required when the properties it depends on are present");
    }
    if (between(d,
                "Object contains a property that could not be validated using 'properties' or "
                "'additionalProperties' constraints: '",
                "'."))
      return unknown_properties(pointer, tokens, value, out);
    if (auto n = trailing_count(d, "Array should contain no fewer than ", " elements.")) {
      return violation(exact_count(schemas(), "minItems", "maxItems", *n) ? "must have exactly " + plural(*n, "item")
                                                                          : "must have at least " + plural(*n, "item"));
    }
    if (auto n = trailing_count(d, "Array should contain no more than ", " elements.")) {
      return violation(exact_count(schemas(), "minItems", "maxItems", *n) ? "must have exactly " + plural(*n, "item")
                                                                          : "must have at most " + plural(*n, "item"));
    }
    if (d == "Array contains more items than allowed by items constraint.") return violation(too_many_items(schemas()));
    if (d.starts_with("Cannot validate item #")) return enclosing(pointer);  // same fact as the line above
    if (auto n = trailing_count(d, "Object should have no fewer than ", " properties."))
      return violation("must have at least " + properties_count(*n));
    if (auto n = trailing_count(d, "Object should have no more than ", " properties."))
      return violation("must have at most " + properties_count(*n));
    if (auto pair = between(d, "Elements at indexes #", " violate uniqueness constraint.")) {
      std::string text = *pair;
      for (auto at = text.find('#'); at != std::string::npos; at = text.find('#')) text.erase(at, 1);
      return violation("must not repeat items (items " + text + " are equal)");
    }
    if (d == "Target should not validate against schema specified in 'not' constraint.")
      return violation("must not match the schema under \"not\"");
    if (d == "Failed to validate against exactly one child schema.")
      return violation("must match exactly one of the schemas under \"oneOf\", but matches several");
    if (d.starts_with("Failed to any values against subschema in 'contains'"))
      return violation("must contain at least one item that matches the schema under \"contains\"");
    if (auto format = between(d, "String should be a valid ", "")) return violation("must be a valid " + *format);

    // Reports that sum up the violations found below them.
    if (auto name = between(d, "Failed to validate against schema associated with property name '", "'.")) {
      append_token(pointer, *name);
      return enclosing(pointer);
    }
    if (constexpr std::string_view prefix = "Failed to validate item #"; d.starts_with(prefix)) {
      if (d.ends_with("against corresponding item schema.")) return enclosing(pointer);  // context is the item
      std::size_t index = 0;
      std::from_chars(d.data() + prefix.size(), d.data() + d.size(), index);
      append_token(pointer, std::to_string(index));
      return enclosing(pointer);
    }
    if (d.starts_with("Failed to validate against")) return enclosing(pointer);

    violation(std::string(d));  // a report of a later valijson, kept as it is
  }

 private:
  // valijson names only the first unknown property of an object; every one is reported.
  void unknown_properties(const std::string& pointer, const std::vector<std::string>& tokens, const json::value* object,
                          std::vector<Reading>& out) const {
    if (!object || !object->is_object()) return;
    const char* what = tokens.empty() ? "unknown input" : "unknown field";
    for (const auto* s : locator_.at(instance_, tokens)) {
      const auto* extra = s->if_contains("additionalProperties");
      if (!extra || !(extra->is_bool() && !extra->get_bool())) continue;
      const auto* props = s->if_contains("properties");
      const auto* patterns = s->if_contains("patternProperties");
      std::vector<std::string> known;
      if (props && props->is_object())
        for (const auto& p : props->get_object()) known.emplace_back(p.key());
      std::sort(known.begin(), known.end());
      std::string expected;
      for (std::size_t i = 0; i < known.size() && i < kMaxListedNames; ++i) expected += (i ? ", " : "") + known[i];
      if (known.size() > kMaxListedNames) expected += ", ...";
      for (const auto& member : object->get_object()) {
        const std::string key(member.key());
        if (std::binary_search(known.begin(), known.end(), key)) continue;
        if (patterns && patterns->is_object() &&
            std::any_of(patterns->get_object().begin(), patterns->get_object().end(), [&](const auto& p) {
              return std::regex_search(key, std::regex(std::string(p.key()), std::regex::ECMAScript));
            }))
          continue;
        std::string at = pointer;
        append_token(at, key);
        out.push_back({false, at,
                       known.empty()
                           ? "is not allowed (" + std::string(what) + "; none is expected here)"
                           : "is not allowed (" + std::string(what) + "; expected one of: " + expected + ")"});
      }
      return;
    }
    out.push_back({false, pointer, "has a property the schema does not allow"});
  }

  static std::string too_many_items(const std::vector<const json::object*>& schemas) {
    for (const auto* s : schemas) {
      const auto* items = s->if_contains("items");
      if (items && items->is_array()) return "must have at most " + plural(items->get_array().size(), "item");
    }
    return "has more items than the schema allows";
  }

  SchemaLocator locator_;
  const json::value& instance_;
};

bool within(const std::string& pointer, const std::string& scope) {
  return pointer.size() >= scope.size() && pointer.compare(0, scope.size(), scope) == 0 &&
         (pointer.size() == scope.size() || pointer[scope.size()] == '/');
}

std::vector<SchemaViolation> violations_of(const valijson::ValidationResults& results, const json::value& schema,
                                           const json::value& instance) {
  const Reader reader(schema, instance);
  std::vector<Reading> readings;
  for (const auto& error : results) reader.read(error, readings);
  std::vector<SchemaViolation> out;
  const auto add = [&out](std::string pointer, std::string message) {
    SchemaViolation v{std::move(pointer), std::move(message)};
    if (std::find(out.begin(), out.end(), v) == out.end()) out.push_back(std::move(v));
  };
  for (auto& r : readings)
    if (!r.enclosing) add(r.pointer, r.message);
  // An enclosing report with no violation under it stands for a `false` schema.
  const std::size_t leaves = out.size();
  for (auto& r : readings) {
    if (!r.enclosing) continue;
    const bool explained = std::any_of(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(leaves),
                                       [&](const SchemaViolation& v) { return within(v.pointer, r.pointer); });
    if (!explained) add(r.pointer, "is not allowed");
  }
  return out;
}

// The first property name of `v` longer than `limit`, as a pointer.
std::optional<std::string> long_property_name(const json::value& v, std::size_t limit, std::string& pointer) {
  if (v.is_array()) {
    for (std::size_t i = 0; i < v.get_array().size(); ++i) {
      const std::size_t mark = pointer.size();
      append_token(pointer, std::to_string(i));
      if (auto found = long_property_name(v.get_array()[i], limit, pointer)) return found;
      pointer.resize(mark);
    }
  } else if (v.is_object()) {
    for (const auto& m : v.get_object()) {
      const std::size_t mark = pointer.size();
      append_token(pointer, m.key());
      if (m.key().size() > limit) return pointer;
      if (auto found = long_property_name(m.value(), limit, pointer)) return found;
      pointer.resize(mark);
    }
  }
  return std::nullopt;
}

}  // namespace

struct JsonSchema::Compiled {
  explicit Compiled(const json::value& schema) : prepared(schema) {}
  Prepared prepared;  // valijson's Schema keeps no reference to it; messages read it
  valijson::Schema schema;
};

JsonSchema::JsonSchema(const json::value& schema) {
  auto compiled = std::make_unique<Compiled>(schema);
  valijson::SchemaParser parser(valijson::SchemaParser::kDraft7);
  parser.addConstraintBuilder(std::string(kMultipleOfKeyword), new DecimalMultipleOfBuilder);
  parser.addConstraintBuilder(std::string(kPatternKeyword), new BoostPatternBuilder);
  try {
    const BoostJsonAdapter adapter(compiled->prepared.document);
    parser.populateSchema(adapter, compiled->schema);
  } catch (const Error&) {
    throw;
  } catch (const std::exception& e) {
    if (std::string_view(e.what()).find("remote JSON References") != std::string_view::npos) {
      throw_invalid_schema(
          "a \"$ref\" points to another document; only references within the same schema "
          "(\"#/definitions/...\") are supported, remote schemas are never fetched",
          e.what());
    }
    throw_invalid_schema(e.what(), e.what());
  }
  compiled_ = std::move(compiled);
}

JsonSchema::~JsonSchema() = default;
JsonSchema::JsonSchema(JsonSchema&&) noexcept = default;
JsonSchema& JsonSchema::operator=(JsonSchema&&) noexcept = default;

std::vector<SchemaViolation> JsonSchema::validate(const json::value& instance) const {
  if (compiled_->prepared.has_pattern_properties) {
    std::string pointer;
    if (auto at = long_property_name(instance, kMaxPatternPropertyName, pointer)) {
      return {{*at, "has a name longer than " + std::to_string(kMaxPatternPropertyName) + " bytes"}};
    }
  }
  std::optional<json::value> converted;
  if (needs_number_form(instance)) {
    converted.emplace(instance);
    to_number_form(*converted);
  }
  const BoostJsonAdapter target(converted ? *converted : instance);
  std::unordered_map<std::string, std::regex> unused_cache;  // no std::regex pattern reaches valijson
  try {
    // First without results: valid values, the common case, build no error text.
    valijson::ValidationVisitor<BoostJsonAdapter> quick(target, {"<root>"}, true, nullptr, unused_cache);
    if (quick.validateSchema(compiled_->schema)) return {};
    valijson::ValidationResults results;
    valijson::ValidationVisitor<BoostJsonAdapter> full(target, {"<root>"}, true, &results, unused_cache);
    full.validateSchema(compiled_->schema);
    auto out = violations_of(results, compiled_->prepared.document, instance);
    if (out.empty()) out.push_back({"", "does not match the schema"});
    return out;
  } catch (const std::exception& e) {
    throw Error(ErrorKind::internal, "schema-validation-failed", "the value could not be checked against its schema",
                e.what());
  }
}

}  // namespace mecapy::packages
