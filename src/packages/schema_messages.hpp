// valijson's reports, read as SchemaViolations.
//
// valijson reports a context path ("<root>", "[d]", "[2]"), a terse text with
// numbers printed to 6 decimals, one report per failing keyword and one more per
// enclosing level ("failed to validate against schema associated with property").
// Reading them:
//  - the context becomes an RFC 6901 pointer; a missing required property gets the
//    pointer it would have, an unknown one its own pointer;
//  - only the reports that say what is wrong are kept, each once; an enclosing
//    report with nothing under it stands for a `false` subschema ("is not allowed");
//  - messages are rewritten from the schema found at the same place (found by
//    following properties, items, local $refs, allOf and the like from the root),
//    with its numbers exact: "must be at most 0.6", "must be one of 8.8, 10.9";
//  - valijson names only the first unknown property of an object; all are reported,
//    with the names the schema expects.
// Reports of a later valijson that this file does not know are kept as they are.
#pragma once

#include <boost/json/value.hpp>
#include <vector>

#include "packages/schema_validator.hpp"

namespace valijson {
class ValidationResults;
}

namespace mecapy::packages {

// `schema` is the document valijson parsed (a PreparedSchema's: its "$ref"s are
// local), `instance` the value as the caller gave it.
std::vector<SchemaViolation> read_violations(const valijson::ValidationResults& results,
                                             const boost::json::value& schema, const boost::json::value& instance);

}  // namespace mecapy::packages
