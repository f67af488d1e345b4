// The platform's checks of "multipleOf" and "pattern", as valijson constraints
// (valijson's ConstraintBuilder hook), for the renamed keywords of a PreparedSchema.
//
// Why not valijson's own:
//  - multipleOf: valijson truncates a non-integral value before dividing by an
//    integer divisor (4.5 would be a multiple of 2) and compares remainders with an
//    absolute epsilon (1e-20 would be a multiple of 1e-17). JSON numbers are
//    decimal, so the check here is exact on the shortest decimal forms of the value
//    and the divisor (hand-written: a few lines of integer arithmetic, no library
//    decides divisibility of decimals).
//  - pattern: valijson matches with std::regex, whose matcher recurses once per
//    character and overflows the stack on a long string (20,000 characters crash
//    the process). Boost.Regex (ECMAScript syntax, compiled once with the schema)
//    does not recurse and reports an exhausted budget, which becomes a violation.
//
// Both are read-only once built: one schema is used from many threads at once
// (Boost.Regex documents a compiled regex as shareable between threads).
#pragma once

namespace valijson {
class SchemaParser;
}

namespace mecapy::packages {

// Registers the two checks with `parser` (which owns them from then on). A keyword
// of the wrong form (multipleOf not > 0, a pattern that does not compile) makes
// parsing throw Error(invalid_input, "invalid-schema").
void add_platform_keywords(valijson::SchemaParser& parser);

}  // namespace mecapy::packages
