// Parsing input values given on the command line (see input_values.hpp).
#include "cli/input_values.hpp"

#include <boost/json.hpp>
#include <charconv>
#include <cmath>
#include <cstdint>

#include "cli/exit_codes.hpp"
#include "core/json.hpp"
#include "core/numbers.hpp"

namespace mecapy::cli {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// The length of the decimal number at the start of `text` (sign, digits, an optional
// fraction, an optional exponent that has digits), 0 when there is none; `integral`
// says whether it has neither a fraction nor an exponent.
std::size_t number_prefix(std::string_view text, bool* integral) {
  std::size_t i = 0;
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
  std::size_t digits = 0;
  while (i < text.size() && is_digit(text[i])) ++i, ++digits;
  *integral = true;
  if (i < text.size() && text[i] == '.') {
    *integral = false;
    ++i;
    while (i < text.size() && is_digit(text[i])) ++i, ++digits;
  }
  if (digits == 0) return 0;
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    std::size_t j = i + 1;
    if (j < text.size() && (text[j] == '+' || text[j] == '-')) ++j;
    if (j < text.size() && is_digit(text[j])) {
      while (j < text.size() && is_digit(text[j])) ++j;
      i = j;
      *integral = false;
    }
  }
  return i;
}

boost::json::value number_value(std::string_view text, bool integral) {
  std::string_view digits = text;
  if (digits.starts_with('+')) digits.remove_prefix(1);
  if (integral) {
    std::int64_t n = 0;
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
    if (ec == std::errc() && end == digits.data() + digits.size()) return n;
  }
  const auto value = parse_double(digits);
  if (!value || !std::isfinite(*value))
    throw CliError(Exit::usage, "'" + std::string(text) + "' is not a finite number");
  return *value;
}

std::string_view trimmed(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

}  // namespace

boost::json::value input_value(std::string_view raw) {
  const std::string_view text = trimmed(raw);
  bool integral = true;
  if (const std::size_t length = number_prefix(text, &integral); length != 0) {
    const std::string_view unit = trimmed(text.substr(length));
    if (unit.empty()) return number_value(text, integral);
    const char first = unit.front();
    if (!is_digit(first) && first != '.' && first != '+' && first != '-' && first != ',')
      return boost::json::object{{"value", number_value(text.substr(0, length), integral)}, {"unit", unit}};
  }
  if (text == "true" || text == "false" || text == "null" || text.starts_with('[') || text.starts_with('{') ||
      text.starts_with('"')) {
    try {
      return parse_json(text);
    } catch (const std::exception& e) {
      throw CliError(Exit::usage, "'" + std::string(text) + "' is not valid JSON: " + e.what());
    }
  }
  return boost::json::string(raw);
}

std::pair<std::string, std::string> split_assignment(const std::string& text, const std::string& option) {
  const auto equals = text.find('=');
  if (equals == std::string::npos || equals == 0)
    throw CliError(Exit::usage, option + " expects NAME=VALUE, got '" + text + "'");
  return {text.substr(0, equals), text.substr(equals + 1)};
}

}  // namespace mecapy::cli
