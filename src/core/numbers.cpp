#include "core/numbers.hpp"

#include <charconv>
#include <cmath>
#include <system_error>

#include "core/errors.hpp"

namespace mecapy {

std::string format_double(double value) {
  char buf[32];  // the longest shortest form is 24 characters ("-2.2250738585072014e-308")
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
  if (ec != std::errc()) throw Error(ErrorKind::internal, "number-format", "cannot format a double");
  return std::string(buf, end);
}

std::optional<double> parse_double(std::string_view text) {
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);  // from_chars refuses a leading '+'
  double value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  // ERANGE: the decimal lies beyond the largest double; a subnormal parses exactly.
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

double require_finite(double value, std::string_view what) {
  if (!std::isfinite(value))
    throw Error(ErrorKind::invalid_input, "non-finite-number",
                std::string(what) + " is " + format_double(value) +
                    ": only finite numbers are accepted (NaN and infinities are refused, never stored as something "
                    "else).");
  return value;
}

}  // namespace mecapy
