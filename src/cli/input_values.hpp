// The values of `mecapy run --input NAME=VALUE`, as the execute body wants them
// (docs/jobs.md):
//   12, -0.5, 1e-3       a number (integers stay integers; decimals are read correctly
//                        rounded, so the double sent is the one the text means)
//   10mm, 2.5 kN.m, 20°C a number followed by a unit: {"value": 10, "unit": "mm"}
//   true, null, [1, 2], {"a": 1}, "12"
//                        JSON (a quoted string keeps a text that looks like a number)
//   anything else        the text itself, as a string
// and of `--input-file NAME=PATH`.
#pragma once

#include <boost/json/value.hpp>
#include <string>
#include <string_view>
#include <utility>

namespace mecapy::cli {

boost::json::value input_value(std::string_view text);

// Splits "NAME=VALUE" at its first '='; CliError(usage) naming `option` when there is
// none or NAME is empty.
std::pair<std::string, std::string> split_assignment(const std::string& text, const std::string& option);

}  // namespace mecapy::cli
