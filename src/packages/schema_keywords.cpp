// DecimalMultipleOf and BoostPattern: valijson "poly" constraints (see
// schema_keywords.hpp for why they replace valijson's own).
#include "packages/schema_keywords.hpp"

#include <boost/json.hpp>
#include <boost/regex.hpp>
#include <cmath>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "core/json.hpp"
#include "core/numbers.hpp"
#include "packages/schema_document.hpp"
#include "packages/valijson.hpp"

namespace mecapy::packages {
namespace {

namespace json = boost::json;
using valijson::adapters::Adapter;

// ---- multipleOf, on decimal values ----

// |value| = mantissa * 10^exponent, mantissa without trailing zeros (0 for zero).
struct Decimal {
  std::uint64_t mantissa = 0;
  int exponent = 0;
};

Decimal normalize(Decimal d) {
  while (d.mantissa != 0 && d.mantissa % 10 == 0) {
    d.mantissa /= 10;
    ++d.exponent;
  }
  if (d.mantissa == 0) d.exponent = 0;
  return d;
}

Decimal decimal_of(std::int64_t i) {
  const std::uint64_t magnitude = i < 0 ? 0 - static_cast<std::uint64_t>(i) : static_cast<std::uint64_t>(i);
  return normalize({magnitude, 0});
}

// From the shortest round-trip text of `d` ("0.0001", "1.5e-07", "123456789012345680000"):
// at most 17 significant digits, so the mantissa fits once zeros are moved out.
Decimal decimal_of(double d) {
  const std::string text = format_double(d);
  Decimal out;
  int fraction_digits = 0;
  bool in_fraction = false;
  std::size_t i = text[0] == '-' ? 1 : 0;
  int pending_zeros = 0;  // trailing zeros not yet known to be followed by a digit
  for (; i < text.size() && text[i] != 'e'; ++i) {
    if (text[i] == '.') {
      in_fraction = true;
      continue;
    }
    const int digit = text[i] - '0';
    if (in_fraction) ++fraction_digits;
    if (digit == 0) {
      ++pending_zeros;
      continue;
    }
    for (; pending_zeros > 0; --pending_zeros)
      if (out.mantissa != 0) out.mantissa *= 10;
    out.mantissa = out.mantissa * 10 + static_cast<std::uint64_t>(digit);
  }
  out.exponent = pending_zeros - fraction_digits;
  if (i < text.size()) out.exponent += std::stoi(text.substr(i + 1));
  return normalize(out);
}

std::uint64_t pow10_mod(int k, std::uint64_t m) {
  unsigned __int128 result = 1 % m;
  unsigned __int128 base = 10 % m;
  for (auto e = static_cast<unsigned>(k); e != 0; e >>= 1) {
    if (e & 1U) result = result * base % m;
    base = base * base % m;
  }
  return static_cast<std::uint64_t>(result);
}

// Whether value / divisor is an integer, exactly (divisor non-zero).
bool is_multiple(Decimal value, Decimal divisor) {
  if (value.mantissa == 0) return true;
  const int k = value.exponent - divisor.exponent;
  if (k >= 0) {
    const unsigned __int128 r = static_cast<unsigned __int128>(value.mantissa % divisor.mantissa) *
                                pow10_mod(k, divisor.mantissa) % divisor.mantissa;
    return r == 0;
  }
  // divisor.mantissa * 10^-k must divide value.mantissa, so must not exceed it.
  unsigned __int128 scaled = divisor.mantissa;
  for (int e = 0; e < -k; ++e) {
    scaled *= 10;
    if (scaled > value.mantissa) return false;
  }
  return value.mantissa % static_cast<std::uint64_t>(scaled) == 0;
}

class DecimalMultipleOf : public valijson::constraints::PolyConstraint {
 public:
  DecimalMultipleOf(Decimal divisor, std::string text) : divisor_(divisor), text_(std::move(text)) {}

  bool validate(const Adapter& target, const std::vector<std::string>& context,
                valijson::ValidationResults* results) const override {
    Decimal value;
    if (target.isInteger()) {
      value = decimal_of(target.asInteger());
    } else if (target.isDouble()) {
      const double d = target.asDouble();
      if (!std::isfinite(d)) return true;  // not a JSON number; never produced by parse_json
      value = decimal_of(d);
    } else {
      return true;  // multipleOf says nothing about non-numbers
    }
    if (is_multiple(value, divisor_)) return true;
    if (results) results->pushError(context, "must be a multiple of " + text_);
    return false;
  }

 private:
  Constraint* cloneInto(void* memory) const override { return new (memory) DecimalMultipleOf(*this); }
  std::size_t sizeOf() const override { return sizeof(DecimalMultipleOf); }

  Decimal divisor_;
  std::string text_;
};

class DecimalMultipleOfBuilder : public valijson::ConstraintBuilder {
 public:
  valijson::constraints::Constraint* make(const Adapter& node) const override {
    Decimal divisor;
    std::string text;
    if (node.isInteger() && node.asInteger() > 0) {
      divisor = decimal_of(node.asInteger());
      text = std::to_string(node.asInteger());
    } else if (node.isDouble() && node.asDouble() > 0 && std::isfinite(node.asDouble())) {
      divisor = decimal_of(node.asDouble());
      text = format_double(node.asDouble());
    } else {
      throw_invalid_schema("\"multipleOf\" must be a number greater than 0");
    }
    return new DecimalMultipleOf(divisor, std::move(text));
  }
};

// ---- pattern with Boost.Regex ----

class BoostPattern : public valijson::constraints::PolyConstraint {
 public:
  BoostPattern(const boost::regex& regex, std::string text) : regex_(regex), text_(std::move(text)) {}

  bool validate(const Adapter& target, const std::vector<std::string>& context,
                valijson::ValidationResults* results) const override {
    if (!target.isString()) return true;
    const std::string subject = target.asString();
    std::string failure;
    try {
      if (boost::regex_search(subject, regex_)) return true;
      failure = "must match the pattern " + text_;
    } catch (const std::runtime_error&) {  // Boost.Regex's stack or complexity budget is spent
      failure = "is too long or too complex to be checked against the pattern " + text_;
    }
    if (results) results->pushError(context, failure);
    return false;
  }

 private:
  Constraint* cloneInto(void* memory) const override { return new (memory) BoostPattern(*this); }
  std::size_t sizeOf() const override { return sizeof(BoostPattern); }

  boost::regex regex_;
  std::string text_;
};

class BoostPatternBuilder : public valijson::ConstraintBuilder {
 public:
  valijson::constraints::Constraint* make(const Adapter& node) const override {
    if (!node.isString()) throw_invalid_schema("\"pattern\" must be a string");
    const std::string text = node.asString();
    try {
      return new BoostPattern(boost::regex(text, boost::regex::ECMAScript), serialize_json(json::string(text)));
    } catch (const boost::regex_error& e) {
      throw_invalid_schema("\"pattern\" " + serialize_json(json::string(text)) + " is not a valid regular expression",
                           e.what());
    }
  }
};

}  // namespace

void add_platform_keywords(valijson::SchemaParser& parser) {
  parser.addConstraintBuilder(std::string(kMultipleOfKeyword), new DecimalMultipleOfBuilder);
  parser.addConstraintBuilder(std::string(kPatternKeyword), new BoostPatternBuilder);
}

}  // namespace mecapy::packages
