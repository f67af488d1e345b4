// JSON Schema (draft 7) validation of JSON values, over valijson.
//
// A JsonSchema is compiled once from a schema document and then validates any number
// of values, from any number of threads at once: validate() only reads the compiled
// schema (valijson's Schema is immutable after parsing; each call has its own
// results, context and regex cache, see schema_validator.cpp).
//
// What the platform adds to valijson:
//  - every violation is reported, each once, at the JSON pointer (RFC 6901) of the
//    instance value concerned, with a message a user understands and the exact
//    numbers of the schema ("must be at most 0.6", "must be one of 8.8, 10.9")
//    (schema_messages.hpp);
//  - no document is ever fetched: a $ref to another document makes the schema
//    invalid; local references ("#/definitions/...", "#") and references to
//    subschemas of the same document by their "$id" work (schema_document.hpp);
//  - numbers follow JSON Schema where valijson does not (an integral float is an
//    integer; multipleOf is decided exactly on the decimal values). Integers must fit
//    in 64 bits (signed): larger ones are not integers here (schema_keywords.hpp);
//  - hostile schemas and values fail cleanly instead of crashing the process: long
//    strings against a pattern, long property names against patternProperties,
//    references that loop back to the same value.
#pragma once

#include <boost/json/value.hpp>
#include <memory>
#include <string>
#include <vector>

namespace mecapy::packages {

// One thing wrong with a value. `pointer` is the RFC 6901 pointer of the instance
// value concerned ("" is the whole value, "/d", "/loads/2"); for a missing property,
// it is the pointer the property would have. `message` does not repeat the pointer:
// "must be at least 0", "is required", "must be a number".
struct SchemaViolation {
  std::string pointer;
  std::string message;

  friend bool operator==(const SchemaViolation&, const SchemaViolation&) = default;
};

class JsonSchema {
 public:
  // Compiles `schema` (draft 7). Throws Error(invalid_input, "invalid-schema") when
  // the schema is not one: a keyword of the wrong form, an invalid regular
  // expression, a $ref that cannot be resolved in this document (remote references
  // are refused, never fetched).
  explicit JsonSchema(const boost::json::value& schema);
  ~JsonSchema();
  JsonSchema(JsonSchema&&) noexcept;
  JsonSchema& operator=(JsonSchema&&) noexcept;
  JsonSchema(const JsonSchema&) = delete;
  JsonSchema& operator=(const JsonSchema&) = delete;

  // Every violation of the schema by `instance`, in document order of discovery;
  // empty when the instance is valid. Safe to call concurrently on one JsonSchema.
  std::vector<SchemaViolation> validate(const boost::json::value& instance) const;

 private:
  struct Compiled;
  std::unique_ptr<const Compiled> compiled_;
};

}  // namespace mecapy::packages
