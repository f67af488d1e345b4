// read_violations: SchemaLocator finds the schemas that apply at an instance
// location; Reader turns each valijson report into a violation or an enclosing
// report; read_violations keeps what says what is wrong.
#include "packages/schema_messages.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <optional>
#include <regex>
#include <span>
#include <string>
#include <string_view>
#include <utility>

#include "core/json.hpp"
#include "core/numbers.hpp"
#include "packages/schema_document.hpp"
#include "packages/valijson.hpp"

namespace mecapy::packages {
namespace {

namespace json = boost::json;

constexpr std::size_t kMaxListedNames = 20;  // in "expected one of: ..." and "must be one of ..."

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
    visits_ = 0;
    collect(root_, &instance, tokens, out, 0);
    return out;
  }

 private:
  void collect(const json::value& schema, const json::value* instance, std::span<const std::string> tokens,
               std::vector<const json::object*>& out, int depth) const {
    // Bounded: shared subschemas (allOf of the same $ref, nested) multiply the paths.
    if (depth > 64 || ++visits_ > kMaxVisits || !schema.is_object()) return;
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
    const json::value* child = find_child(instance, token);
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

  static constexpr int kMaxVisits = 10'000;
  const json::value& root_;
  mutable int visits_ = 0;  // one locator serves one validate() call
};

// ---- Messages ----

std::string number_text(const json::value& v) {
  if (v.is_int64()) return std::to_string(v.get_int64());
  if (v.is_uint64()) return std::to_string(v.get_uint64());
  if (v.is_double()) return format_double(v.get_double());
  return serialize_json(v);
}

std::string display(const json::value& v) {
  if (v.is_number()) return number_text(v);
  std::string text = serialize_json(v);
  if (text.size() > 80) text.replace(77, std::string::npos, "...");
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
                         bool upper) {
  const json::value* first = nullptr;
  const auto x = number_of(value);
  for (const auto* s : schemas) {
    const auto* b = s->if_contains(keyword);
    if (!b || !b->is_number()) continue;
    if (!first) first = b;
    const double limit = b->to_number<double>();
    if (x && (upper ? *x >= limit : *x <= limit)) return b;  // broken (or met exactly, if exclusive)
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

// Whether one schema there fixes the count at `n` (min and max both `n`).
bool exact_count(const std::vector<const json::object*>& schemas, const char* min_keyword, const char* max_keyword,
                 std::uint64_t n) {
  for (const auto* s : schemas) {
    const auto* lo = s->if_contains(min_keyword);
    const auto* hi = s->if_contains(max_keyword);
    if (lo && hi && lo->is_number() && hi->is_number() && lo->to_number<double>() == static_cast<double>(n) &&
        hi->to_number<double>() == static_cast<double>(n))
      return true;
  }
  return false;
}

// valijson's reports of the four bounds, in the order they must be tried (a prefix
// of one is a prefix of the next).
struct BoundReport {
  std::string_view prefix;
  const char* keyword;
  bool upper;
  const char* phrase;
  const char* fallback;
};

const BoundReport kBoundReports[] = {
    {"Expected number greater than or equal to ", "minimum", false, "must be at least ", "is too small"},
    {"Expected number greater than ", "exclusiveMinimum", false, "must be greater than ", "is too small"},
    {"Expected number less than or equal to ", "maximum", true, "must be at most ", "is too large"},
    {"Expected number less than ", "exclusiveMaximum", true, "must be less than ", "is too large"},
};

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
      append_pointer_token(pointer, tokens.back());
    }
    const std::string_view d = error.description;
    const json::value* value = &instance_;
    for (const auto& t : tokens) value = find_child(value, t);
    const auto schemas = [&] { return locator_.at(instance_, tokens); };
    const auto violation = [&](std::string message) { out.push_back({false, pointer, std::move(message)}); };
    const auto enclosing = [&](std::string scope) { out.push_back({true, std::move(scope), {}}); };

    if (d.starts_with("must ") || d.starts_with("is too long or too complex")) return violation(std::string(d));
    if (d == "Value type not permitted by 'type' constraint.") return violation(type_message(schemas(), value));
    if (d == "Failed to match against any enum values.") return violation(enum_message(schemas()));
    if (d == "Failed to match expected value set by 'const' constraint.") return violation(const_message(schemas()));
    for (const auto& report : kBoundReports) {
      if (!d.starts_with(report.prefix)) continue;
      const auto* b = bound(schemas(), report.keyword, value, report.upper);
      return violation(b ? std::string(report.phrase) + number_text(*b) : std::string(report.fallback));
    }
    if (auto n = trailing_count(d, "String should be no fewer than ", " characters in length."))
      return violation("must be at least " + plural(*n, "character") + " long");
    if (auto n = trailing_count(d, "String should be no more than ", " characters in length."))
      return violation("must be at most " + plural(*n, "character") + " long");
    if (auto name = between(d, "Missing required property '", "'.")) {
      append_pointer_token(pointer, *name);
      return violation("is required");
    }
    if (auto name = between(d, "Missing dependency '", "'.")) {
      append_pointer_token(pointer, *name);
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
      append_pointer_token(pointer, *name);
      return enclosing(pointer);
    }
    if (constexpr std::string_view prefix = "Failed to validate item #"; d.starts_with(prefix)) {
      if (d.ends_with("against corresponding item schema.")) return enclosing(pointer);  // context is the item
      std::size_t index = 0;
      std::from_chars(d.data() + prefix.size(), d.data() + d.size(), index);
      append_pointer_token(pointer, std::to_string(index));
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
        append_pointer_token(at, key);
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

}  // namespace

std::vector<SchemaViolation> read_violations(const valijson::ValidationResults& results, const json::value& schema,
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

}  // namespace mecapy::packages
