// Doubles as text, exactly. Every place a double becomes text (SQL parameters, rows
// read back as text, JSON) goes through here, so a value written and read back is
// bit-identical: formatting is the shortest decimal that parses back to the same
// double (std::to_chars), parsing is correctly rounded (std::from_chars). Both keep
// the sign of zero and the subnormals.
//
// NaN and the infinities have no JSON form and no meaning for an engineering input:
// require_finite() refuses them, and each store refuses them rather than store
// something else (SQLite would turn NaN into NULL).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace mecapy {

// Shortest round-trip form ("1e-07", "0.30000000000000004", "-0", "5e-324");
// non-finite values give "nan", "inf" or "-inf".
std::string format_double(double value);

// Parses the whole of `text` as a decimal or hexadecimal-free floating-point number
// (optional sign, digits, '.', exponent; "inf"/"nan" too); nullopt otherwise.
std::optional<double> parse_double(std::string_view text);

// Throws Error(invalid_input, "non-finite-number") naming `what` when `value` is NaN
// or infinite; returns it otherwise.
double require_finite(double value, std::string_view what);

}  // namespace mecapy
