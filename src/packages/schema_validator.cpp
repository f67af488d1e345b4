// JsonSchema: valijson validates; PreparedSchema (schema_document.hpp) is what it
// parses, the platform's multipleOf and pattern checks (schema_keywords.hpp) are
// registered with it, and read_violations (schema_messages.hpp) reads its reports.
//
// Thread safety: validate() builds its own visitor, results, context and regex cache
// (valijson's Validator keeps a std::regex cache it fills while validating, which is
// why the visitor is used directly); the valijson Schema is only read once parsed.
//
// Cost: a valid value is checked once, without collecting results, so no error text
// is built; an invalid one is checked a second time with results. Values are copied
// only when they hold a number valijson cannot read as it is (see number form).
//
// Property names matched by "patternProperties" still meet valijson's std::regex,
// which recurses once per character: when a schema has patternProperties, values
// with a property name longer than kMaxPatternPropertyName bytes are refused before
// valijson runs.
#include "packages/schema_validator.hpp"

#include <boost/json.hpp>
#include <optional>
#include <regex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "core/errors.hpp"
#include "packages/schema_document.hpp"
#include "packages/schema_keywords.hpp"
#include "packages/schema_messages.hpp"
#include "packages/valijson.hpp"

namespace mecapy::packages {
namespace {

namespace json = boost::json;
using valijson::adapters::BoostJsonAdapter;

constexpr std::size_t kMaxPatternPropertyName = 256;

// The first property name of `v` longer than `limit`, as a pointer.
std::optional<std::string> long_property_name(const json::value& v, std::size_t limit, std::string& pointer) {
  if (v.is_array()) {
    for (std::size_t i = 0; i < v.get_array().size(); ++i) {
      const std::size_t mark = pointer.size();
      append_pointer_token(pointer, std::to_string(i));
      if (auto found = long_property_name(v.get_array()[i], limit, pointer)) return found;
      pointer.resize(mark);
    }
  } else if (v.is_object()) {
    for (const auto& m : v.get_object()) {
      const std::size_t mark = pointer.size();
      append_pointer_token(pointer, m.key());
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
  PreparedSchema prepared;  // what valijson parsed; messages read it, and it lives as long as `schema`
  valijson::Schema schema;
};

JsonSchema::JsonSchema(const json::value& schema) {
  auto compiled = std::make_unique<Compiled>(schema);
  valijson::SchemaParser parser(valijson::SchemaParser::kDraft7);
  add_platform_keywords(parser);
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
    auto out = read_violations(results, compiled_->prepared.document, instance);
    if (out.empty()) out.push_back({"", "does not match the schema"});
    return out;
  } catch (const std::exception& e) {
    throw Error(ErrorKind::internal, "schema-validation-failed", "the value could not be checked against its schema",
                e.what());
  }
}

}  // namespace mecapy::packages
