// The copy of a JSON Schema that valijson parses, and the number form both the
// schema and the validated values are handed to valijson in.
//
// PreparedSchema is made once per JsonSchema, from the caller's document:
//  - "multipleOf" and "pattern" are renamed (kMultipleOfKeyword, kPatternKeyword)
//    so that only the platform's checks (schema_keywords.hpp) handle them;
//  - every "$ref" that resolves (RFC 3986, against the "$id"s in force) to this
//    document or to one of its subschemas with an "$id" becomes a local JSON pointer
//    reference. valijson 1.0 reads scopes from "id" (the draft 4 spelling), resolves
//    a relative reference by appending it to the scope, and files a fetched
//    document's schemas under the caller's scope; local pointers avoid all three.
//    Other "$ref"s stay as they are, and valijson, given no way to fetch, refuses them;
//  - keywords whose value must be a number are checked (valijson reads "0" as 0);
//  - references that loop back to the same value without going into it ("anyOf":
//    [{"$ref": "#"}]) are refused: valijson would recurse until the stack overflows;
//  - the regexes of patternProperties, which valijson compiles with std::regex when
//    validating, are compiled once here, so that a bad one is a bad schema.
//
// Number form: valijson's Boost.JSON adapter takes only int64 as integers and cannot
// read a uint64 at all (a bound check on 18446744073709551615 throws). In number form,
// integral doubles that fit in int64 are int64 (draft 7: 1.0 is an integer) and uint64
// beyond int64 are doubles. Integers must therefore fit in 64 bits (signed).
#pragma once

#include <boost/json/value.hpp>
#include <string>
#include <string_view>

namespace mecapy::packages {

// Names the renamed keywords have in a PreparedSchema.
inline constexpr std::string_view kMultipleOfKeyword = "$mecapy:multipleOf";
inline constexpr std::string_view kPatternKeyword = "$mecapy:pattern";

struct PreparedSchema {
  // Throws Error(invalid_input, "invalid-schema") for what it finds wrong (see above).
  explicit PreparedSchema(const boost::json::value& schema);

  boost::json::value document;
  bool has_pattern_properties = false;
};

// Throws Error(invalid_input, "invalid-schema", "invalid JSON Schema: " + detail, cause).
[[noreturn]] void throw_invalid_schema(const std::string& detail, const std::string& cause = {});

// Whether `d` is an integer that int64 holds.
bool fits_int64(double d);

// Whether `v` has a number that number form changes; and the change, in place.
bool needs_number_form(const boost::json::value& v);
void to_number_form(boost::json::value& v);

// The member or element `token` (an RFC 6901 reference token, unescaped) of `v`;
// nullptr when `v` is null or has none.
const boost::json::value* find_child(const boost::json::value* v, const std::string& token);

// The value a local "$ref" ("#", "#/definitions/a%25b/x~1y") designates in `root`;
// nullptr for any other reference or a missing target.
const boost::json::value* resolve_local_ref(const boost::json::value& root, std::string_view ref);

// Appends "/" and `token`, escaped as RFC 6901 says ("~" as "~0", "/" as "~1").
void append_pointer_token(std::string& pointer, std::string_view token);

}  // namespace mecapy::packages
