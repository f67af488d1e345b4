// JSON text in and out, with exact numbers. Boost.JSON 1.81's parser rounds some
// decimals to a neighbouring double (about a quarter of random doubles do not
// survive serialize -> parse), and its serializer writes NaN and infinities as
// "NaN"/"Infinity", which are not JSON. These two functions are what the platform
// uses instead of boost::json::parse/serialize wherever a number may be a user's:
//   parse_json      Boost.JSON's own parser (basic_parser) with a handler that
//                   re-reads every non-integer number with std::from_chars, so the
//                   double is the correctly rounded value of its decimal text;
//   serialize_json  Boost.JSON's serializer (shortest round-trip output), after
//                   refusing any non-finite double.
#pragma once

#include <boost/json/value.hpp>
#include <string>
#include <string_view>

namespace mecapy {

// Parses one JSON document (RFC 8259, no comments, no trailing commas). Throws
// Error(invalid_input, "malformed-json") with the byte offset of the problem.
boost::json::value parse_json(std::string_view text);

// Serializes `value`; throws Error(invalid_input, "non-finite-number") naming the
// JSON pointer of the first NaN or infinite number.
std::string serialize_json(const boost::json::value& value);

}  // namespace mecapy
